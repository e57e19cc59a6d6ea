"""Values that flow through functions and between TypeScript modules (``stripe_perm_lint.flows``):
request options naming an account, events returned by a verifying helper, imported base URLs.
Each case parses small modules and links them, as the engine does."""

from __future__ import annotations

from textwrap import dedent

from stripe_perm_lint.facts import AccountArgument
from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.typescript import parse_typescript

PLATFORM = "import Stripe from 'stripe';\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n"
HELPERS = PLATFORM + dedent("""\
    export async function listInvoices(client: Stripe, opts: Stripe.RequestOptions) {
      return client.invoices.list({ limit: 10 }, opts);
    }
    export const listCharges = (opts) => stripe.charges.list({}, opts);
    export function listPayouts(opts: Stripe.RequestOptions) {
      return stripe.payouts.list({}, opts);
    }
""")


def linked(files: dict[str, str]) -> dict[str, object]:
    return {f.path: f for f in link_app([parse_typescript(path, dedent(src)) for path, src in files.items()])}


def accounts(found) -> list[tuple[str, int, str]]:
    return [(c.accessor, c.position.line, c.account) for c in found.calls]


def test_options_parameter_records_where_its_account_comes_from():
    found = parse_typescript("lib/invoices.ts", HELPERS)
    assert [(c.accessor, c.account, c.options_param) for c in found.calls] == [
        ("invoices.list", "unknown", ("listInvoices", 1)),  # a typed client: unknown anyway
        ("charges.list", "platform", ("listCharges", 0)),  # untyped options nobody passes here
        ("payouts.list", "unknown", ("listPayouts", 0)),  # `Stripe.RequestOptions` with no caller
    ]


def test_callers_in_the_module_decide_the_options_account():
    source = PLATFORM + dedent("""\
        async function products(opts: Stripe.RequestOptions) { return stripe.products.list({}, opts); }
        async function coupons(opts: Stripe.RequestOptions) { return stripe.coupons.list({}, opts); }
        async function prices(opts) { return stripe.prices.list({}, { ...opts, timeout: 10 }); }
        async function plans(params, opts) { return stripe.plans.list(params, opts); }
        export async function run(accountId: string) {
          const requestOptions = { stripeAccount: accountId };
          await products(requestOptions);
          await coupons({ timeout: 5000 });
          await prices({ ...requestOptions });
          await plans({ limit: 3 }, requestOptions);
          return stripe.quotes.list({}, { ...requestOptions, idempotencyKey: 'k' });
        }
    """)
    found = parse_typescript("lib/prices.ts", source)
    assert accounts(found) == [
        ("products.list", 3, "installing"),
        ("coupons.list", 4, "platform"),
        ("prices.list", 5, "installing"),
        ("plans.list", 6, "installing"),
        ("quotes.list", 13, "installing"),
    ]
    assert found.calls[3].options_param == ("plans", 1)


def test_a_caller_in_another_module_passing_an_account_makes_the_call_installing():
    route = """\
        import { listCharges, listInvoices } from './lib/invoices';
        import * as invoices from './lib/invoices';
        export async function handle(stripe, accountId: string) {
          const requestOptions = { stripeAccount: accountId };
          await listInvoices(stripe, { stripeAccount: accountId });
          await listCharges({ timeout: 1 });
          await invoices.listPayouts({ ...requestOptions });
        }
    """
    parsed = parse_typescript("route.ts", dedent(route))
    assert parsed.account_arguments == (  # any parameter handed on is recorded: the linker sorts them
        AccountArgument("invoices", "listPayouts", 0),
        AccountArgument("listInvoices", None, 0, ("handle", 0)),
        AccountArgument("listInvoices", None, 1),
    )
    found = linked({"lib/invoices.ts": HELPERS, "route.ts": route})
    assert accounts(found["lib/invoices.ts"]) == [
        ("invoices.list", 4, "installing"),
        ("charges.list", 6, "platform"),
        ("payouts.list", 8, "installing"),
    ]


def test_options_handed_on_through_helpers_in_several_modules_carry_the_account():
    repository = PLATFORM + "export const fetchCoupons = (opts) => stripe.coupons.list({}, opts);\n"
    service = """\
        import { fetchCoupons } from './repository';
        async function load(opts) { return fetchCoupons(opts); }
        export async function couponsFor(opts) { return load(opts); }
        export async function unused(opts) { return fetchCoupons(opts); }
    """
    route = """\
        import { couponsFor } from './service';
        export const handle = (accountId: string) => couponsFor({ stripeAccount: accountId });
    """
    found = linked({"repository.ts": repository, "service.ts": service, "route.ts": route})
    assert accounts(found["repository.ts"]) == [("coupons.list", 3, "installing")]
    found = linked({"repository.ts": repository, "service.ts": service})  # no caller names an account
    assert accounts(found["repository.ts"]) == [("coupons.list", 3, "platform")]


def test_an_event_flows_out_of_an_imported_wrapper_only():
    webhook = PLATFORM + dedent("""\
        export async function constructStripeEvent(body: string, sig: string) {
          return stripe.webhooks.constructEventAsync(body, sig, process.env.WHSEC!);
        }
        export function parseEvent(raw: string): Stripe.Event { return JSON.parse(raw); }
        export async function nextJob() { return { type: 'invoice.reminder_due' }; }
    """)
    route = """\
        import { constructStripeEvent, nextJob, parseEvent } from './webhook';
        import { verify } from 'some-package';
        export async function handle(body: string, sig: string) {
          const event = await constructStripeEvent(body, sig);
          if (event.type === 'invoice.paid') return 1;
          if (parseEvent(body).type.startsWith('customer.subscription.')) return 2;
          const job = await nextJob();
          if (job.type === 'invoice.upcoming') return 3;
          if ((await verify(body)).type === 'payout.paid') return 4;
        }
    """
    found = linked({"webhook.ts": webhook, "route.ts": route})["route.ts"]
    assert [(e.name, e.position.line, e.via) for e in found.events] == [
        ("invoice.paid", 5, None),
        ("customer.subscription.*", 6, None),
    ]


def test_an_imported_base_url_joins_the_path_written_at_the_request():
    config = "export const STRIPE_API = process.env.STRIPE_API_BASE ?? 'https://api.stripe.com/v1';\n" \
             "export const SITE = 'https://example.com';\n"
    client = """\
        import axios from 'axios';
        import { SITE, STRIPE_API } from './config';
        const api = axios.create({ baseURL: STRIPE_API });
        export const charge = (id: string, accessToken: string) =>
          fetch(`${STRIPE_API}/charges/${id}?expand[]=customer`, { headers: { Authorization: `Bearer ${accessToken}` } });
        export const refund = () => fetch(STRIPE_API + '/refunds', { method: 'POST' });
        export const home = () => fetch(`${SITE}/v1/charges`);
        export const stripeRequest = (path: string) => fetch(`${STRIPE_API}${path}`);  // a wrapper: not read yet
        export const payouts = () => api.get('/payouts');
    """
    found = linked({"config.ts": config, "client.ts": client})["client.ts"]
    assert [(r.verb, r.path, r.position.line, r.account, tuple(e.path for e in r.expand))
            for r in found.raw_requests] == [
        ("GET", "/v1/charges/{}", 5, "installing", ("customer",)),
        ("POST", "/v1/refunds", 6, "platform", ()),
        ("GET", "/v1/payouts", 9, "platform", ()),
    ]


def test_oauth_endpoints_act_on_the_platform_whatever_the_request_sends():
    assert request_account("/v1/oauth/token", "installing") == "platform"
    assert request_account("/v1/oauth/deauthorize", "unknown") == "platform"
    assert request_account("/v1/customers", "installing") == "installing"
