"""Snippet -> facts table for the TypeScript parser (pyflakes style: small source, expected facts).

Each fact is simplified to a tuple so a case reads at a glance; the tuples are those of
``parse_helpers`` (shared with the Python parser's table). Every fact of a case is listed, in any
order. All calls here are stripe-node's, so their style is "node".
"""

from __future__ import annotations

from textwrap import dedent

import pytest
from parse_helpers import facts, simplify

from stripe_perm_lint.facts import Position


IMPORT = "import Stripe from 'stripe';\n"
CLIENT = IMPORT + "const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2024-06-20' });\n"
UI_CLIENT = dedent("""\
    import Stripe from 'stripe';
    import {createHttpClient, STRIPE_API_KEY} from '@stripe/ui-extension-sdk/http_client';
    const stripe = new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() as Stripe.HttpClient, apiVersion: '2022-11-15' });
    """)
HOOK = CLIENT + "const event = stripe.webhooks.constructEvent(body, sig, secret);\n"

CASES: list[tuple[str, str, str, list[tuple]]] = [
    # --- clients and calls ------------------------------------------------------------------
    ("new-stripe", "a.ts", CLIENT + "await stripe.customers.list();\n",
     [("call", "node", "customers.list", 3, "platform")]),
    ("ui-extension-client", "v.tsx", UI_CLIENT + "await stripe.customers.retrieve(id);\n",
     [("call", "node", "customers.retrieve", 4, "installing")]),
    ("ui-import-makes-installing", "v.tsx",
     CLIENT + "import { showToast } from '@stripe/ui-extension-sdk/utils';\nstripe.invoices.list();\n",
     [("call", "node", "invoices.list", 4, "installing")]),
    ("plain-call-import", "a.ts", IMPORT + "const s = Stripe('sk_test');\ns.charges.list();\n",
     [("call", "node", "charges.list", 3, "platform")]),
    ("require-call", "a.js", "const stripe = require('stripe')(process.env.KEY);\nstripe.refunds.create({charge});\n",
     [("call", "node", "refunds.create", 2, "platform")]),
    ("new-require", "a.js", "const stripe = new (require('stripe'))('k');\nstripe.payouts.list();\n",
     [("call", "node", "payouts.list", 2, "platform")]),
    ("destructured-require-class", "a.js",
     "const {Stripe} = require('stripe');\nconst s = new Stripe('k');\ns.balance.retrieve();\n",
     [("call", "node", "balance.retrieve", 3, "platform")]),
    ("named-import-class", "a.ts", "import {Stripe} from 'stripe';\nconst s = new Stripe('k');\ns.prices.list();\n",
     [("call", "node", "prices.list", 3, "platform")]),
    ("namespace-import", "a.ts",
     "import * as stripeLib from 'stripe';\nconst a = new stripeLib.Stripe('k');\nconst b = new stripeLib('k');\n"
     "a.products.list();\nb.coupons.list();\n",
     [("call", "node", "products.list", 4, "platform"), ("call", "node", "coupons.list", 5, "platform")]),
    ("nested-namespaces", "a.ts", CLIENT + dedent("""\
        stripe.checkout.sessions.create(params);
        stripe.billing.meters.list();
        stripe.issuing.cards.create({});
        stripe.apps.secrets.find({name: 'x', scope: {type: 'account'}});
        stripe.v2.core.accounts.create({});
        stripe.testHelpers.testClocks.advance(id, {frozen_time});
        """),
     [("call", "node", "checkout.sessions.create", 3, "platform"), ("call", "node", "billing.meters.list", 4, "platform"),
      ("call", "node", "issuing.cards.create", 5, "platform"), ("call", "node", "apps.secrets.find", 6, "platform"),
      ("call", "node", "v2.core.accounts.create", 7, "platform"), ("call", "node", "testHelpers.testClocks.advance", 8, "platform")]),
    ("optional-chaining-and-non-null", "a.ts", CLIENT + "stripe?.customers?.list();\nstripe!.charges.list?.();\n",
     [("call", "node", "customers.list", 3, "platform"), ("call", "node", "charges.list", 4, "platform")]),
    ("pagination-chains", "a.ts", CLIENT + dedent("""\
        await stripe.customers.list({limit: 3}).autoPagingEach(fn);
        const all = await stripe.invoices.list().autoPagingToArray({limit: 100});
        for await (const c of stripe.subscriptions.list()) {}
        stripe.charges.list().then(r => r.data);
        """),
     [("call", "node", "customers.list", 3, "platform"), ("call", "node", "invoices.list", 4, "platform"),
      ("call", "node", "subscriptions.list", 5, "platform"), ("call", "node", "charges.list", 6, "platform")]),
    ("computed-member", "a.ts", CLIENT + "stripe[resource].list();\nstripe['customers'].del(id);\n",
     [("call", "node", "?.list", 3, "platform"), ("call", "node", "customers.del", 4, "platform")]),
    ("helpers-are-not-calls", "a.ts", CLIENT + dedent("""\
        stripe.setApiKey('x'); stripe.on('request', fn); stripe.getApiField('host');
        stripe.webhooks.generateTestHeaderString({payload, secret});
        stripe.errors.StripeError.generate(raw);
        stripe.StripeResource.extend({});
        """), []),
    ("alias", "a.ts", CLIENT + "const s = stripe;\nconst t = s;\nt.disputes.list();\n",
     [("call", "node", "disputes.list", 5, "platform")]),
    ("destructured-resource", "a.ts", CLIENT + dedent("""\
        const { customers, checkout: { sessions } } = stripe;
        customers.list();
        sessions.create({});
        const invoices = stripe.invoices;
        invoices.retrieve(id);
        """),
     [("call", "node", "customers.list", 4, "platform"), ("call", "node", "checkout.sessions.create", 5, "platform"),
      ("call", "node", "invoices.retrieve", 7, "platform")]),
    ("factory-function", "a.ts", IMPORT + dedent("""\
        function getStripe() { return new Stripe(process.env.KEY!); }
        getStripe().customers.list();
        const s = getStripe();
        s.charges.capture(id);
        """),
     [("call", "node", "customers.list", 3, "platform"), ("call", "node", "charges.capture", 5, "platform")]),
    ("arrow-factory", "a.ts", IMPORT + "const getStripe = () => new Stripe('k');\n(await getStripe()).tax.calculations.create({});\n",
     [("call", "node", "tax.calculations.create", 3, "platform")]),
    ("memoized-factory", "a.ts", IMPORT + dedent("""\
        let _s: Stripe | undefined;
        export function getStripe() {
          if (!_s) _s = new Stripe(process.env.KEY!);
          return _s;
        }
        getStripe().payouts.create({amount: 1});
        """),
     [("call", "node", "payouts.create", 7, "platform"), ("client_export", "getStripe", "node", "platform", True)]),
    ("memoized-nullish-assign", "a.ts", IMPORT + dedent("""\
        let cached;
        const client = () => (cached ??= new Stripe('k'));
        client().plans.list();
        """),
     [("call", "node", "plans.list", 4, "platform")]),
    ("class-field", "a.ts", IMPORT + dedent("""\
        class Billing {
          private stripe = new Stripe('k');
          run() { return this.stripe.invoices.pay(id); }
        }
        """),
     [("call", "node", "invoices.pay", 4, "platform")]),
    ("constructor-assignment", "a.ts", IMPORT + dedent("""\
        class Billing {
          stripe: any;
          constructor(key: string) { this.stripe = new Stripe(key, { stripeAccount: acct }); }
          run = async () => { await this.stripe.invoices.list(); };
        }
        """),
     [("call", "node", "invoices.list", 5, "installing")]),
    ("constructor-parameter-property", "a.ts", IMPORT + dedent("""\
        export class Svc {
          constructor(private readonly stripe: Stripe) {}
          go() { this.stripe.refunds.create({payment_intent: pi}); }
        }
        """),
     [("call", "node", "refunds.create", 4, "unknown")]),
    ("typed-parameters", "a.ts", IMPORT + dedent("""\
        export const run = async (stripe: Stripe, other: Stripe.Stripe | null) => {
          await stripe.customers.update(id, {});
          await other?.taxRates.list();
        };
        function f(client: InstanceType<typeof Stripe>) { client.quotes.list(); }
        """),
     [("call", "node", "customers.update", 3, "unknown"), ("call", "node", "taxRates.list", 4, "unknown"),
      ("call", "node", "quotes.list", 6, "unknown")]),
    ("typed-destructured-parameter", "a.ts", IMPORT + dedent("""\
        export const handler = async ({ stripe, event }: { stripe: Stripe; event: Stripe.Event }) => {
          await stripe.customers.list();
          if (event.type === 'a.b') {}
        };
        """),
     [("call", "node", "customers.list", 3, "unknown"), ("event", "a.b", "handled", 4)]),
    ("typed-object-members", "a.ts", dedent("""\
        import type Stripe from 'stripe';
        interface Input { stripe: Stripe; count: number }
        type Ctx = { client: Stripe.Stripe; event: Stripe.Event };
        type Alias = Ctx;
        export async function submit(input: Input, ctx: Alias, plain: { stripe: Stripe }) {
          await input.stripe.disputes.update(id, {});
          ctx.client.customers.list();
          if (ctx.event.type === 'charge.dispute.created') {}
          plain.stripe.refunds.list();
        }
        """),
     [("call", "node", "disputes.update", 6, "unknown"), ("call", "node", "customers.list", 7, "unknown"),
      ("event", "charge.dispute.created", "handled", 8), ("call", "node", "refunds.list", 9, "unknown")]),
    ("typed-let-assigned-later", "a.ts", IMPORT + dedent("""\
        let s: Stripe;
        export function init(acct: string) { s = new Stripe(key, { stripeAccount: acct }); }
        s.charges.list();
        """),
     [("call", "node", "charges.list", 4, "installing")]),
    ("import-equals-require", "a.ts", dedent("""\
        import Stripe = require('stripe');
        import lib = require('./lib');
        const s = new Stripe('k');
        s.customers.list();
        lib.stripe.invoices.list();
        export = s;
        """),
     [("call", "node", "customers.list", 4, "platform"), ("pending", "lib", "stripe.invoices.list", 5, False, None),
      ("import", "lib", "./lib", "default"), ("client_export", "default", "node", "platform", False)]),
    ("class-getter-and-method", "a.ts", IMPORT + dedent("""\
        class Api {
          #client = new Stripe('k');
          get stripe() { return this.#client; }
          client() { return this.#client; }
          run() { this.stripe.products.list(); this.client().prices.list(); }
        }
        """),
     [("call", "node", "products.list", 6, "platform"), ("call", "node", "prices.list", 6, "platform")]),
    ("client-in-const-object", "a.js", dedent("""\
        const deps = { stripe: require('stripe')(process.env.KEY), db };
        deps.stripe.customers.list();
        deps.db.customers.find();
        """),
     [("call", "node", "customers.list", 2, "platform")]),
    ("unbound-new-stripe", "a.js", "const stripe = new Stripe('sk');\nstripe.customers.list();\n",
     [("call", "node", "customers.list", 2, "platform")]),
    # The parameter shadows the client: its origin is unknown, so the call is only inferred (§11).
    ("shadowed-name", "a.ts", CLIENT + "function f(stripe) { stripe.customers.list(); }\nstripe.charges.list();\n",
     [("call", "node", "customers.list", 3, "unknown"), ("inferred", 3), ("call", "node", "charges.list", 4, "platform")]),
    # --- account context --------------------------------------------------------------------
    ("per-call-stripe-account", "a.ts", CLIENT + dedent("""\
        stripe.customers.list({}, { stripeAccount: acct });
        stripe.customers.create(params, { stripeContext });
        const opts = { stripeAccount: event.account };
        stripe.charges.list({}, opts);
        """),
     [("call", "node", "customers.list", 3, "installing"), ("call", "node", "customers.create", 4, "installing"),
      ("call", "node", "charges.list", 6, "installing")]),
    ("client-stripe-account", "a.ts", IMPORT + "const s = new Stripe(key, { stripeAccount });\ns.customers.list();\n",
     [("call", "node", "customers.list", 3, "installing")]),
    ("oauth-key", "a.ts", IMPORT + "const s = new Stripe(account.access_token);\ns.customers.list();\n"
     "const t = new Stripe(oauthToken);\nt.charges.list();\n",
     [("call", "node", "customers.list", 3, "installing"), ("call", "node", "charges.list", 5, "installing")]),
    # --- expand -----------------------------------------------------------------------------
    ("expand-literal", "a.ts", CLIENT + "stripe.customers.retrieve(id, {\n  expand: ['default_source', `invoice_settings.default_payment_method`],\n});\n",
     [("call", "node", "customers.retrieve", 3, "platform"), ("expand", "default_source", 4),
      ("expand", "invoice_settings.default_payment_method", 4)]),
    ("expand-const", "a.ts", CLIENT + dedent("""\
        const BASE = ['customer'] as const;
        const EXPAND: readonly string[] = [...BASE, 'latest_invoice'];
        stripe.subscriptions.list({ expand: EXPAND });
        """),
     [("call", "node", "subscriptions.list", 5, "platform"), ("expand", "customer", 3), ("expand", "latest_invoice", 4)]),
    ("expand-shorthand-and-params-const", "a.ts", CLIENT + dedent("""\
        const expand = ['data.customer'];
        stripe.charges.list({ expand });
        const params = { limit: 10, expand: ['data.invoice'] };
        stripe.invoices.list(params);
        """),
     [("call", "node", "charges.list", 4, "platform"), ("expand", "data.customer", 3),
      ("call", "node", "invoices.list", 6, "platform"), ("expand", "data.invoice", 5)]),
    ("expand-imported", "a.ts", CLIENT + "import { EXPAND } from './constants';\nstripe.customers.list({ expand: EXPAND });\n",
     [("call", "node", "customers.list", 4, "platform"), ("expand_import", "EXPAND", 4),
      ("import", "EXPAND", "./constants", "EXPAND")]),
    ("expand-dynamic", "a.ts", CLIENT + dedent("""\
        stripe.customers.list({ expand: fields.map(f => `data.${f}`) });
        stripe.charges.list({ expand: wantInvoice ? ['invoice'] : [] });
        stripe.invoices.list({ expand: ['customer', extra] });
        """),
     [("call", "node", "customers.list", 3, "platform"), ("expand_dynamic", 3),
      ("call", "node", "charges.list", 4, "platform"), ("expand_dynamic", 4),
      ("call", "node", "invoices.list", 5, "platform"), ("expand", "customer", 5), ("expand_dynamic", 5)]),
    ("expand-in-unrelated-object", "a.ts", CLIENT + "const ui = { expand: ['customer'] };\nrender(ui);\nlogger.info({expand: ['x']});\n",
     []),
    # --- raw requests -----------------------------------------------------------------------
    ("raw-request", "a.ts", CLIENT + dedent("""\
        await stripe.rawRequest('GET', '/v1/payouts', { expand: ['data.destination'] });
        await stripe.rawRequest(method, `/v1/customers/${id}`, {}, { stripeAccount });
        """),
     [("raw", "GET", "/v1/payouts", 3, "platform"), ("expand", "data.destination", 3),
      ("raw", "?", "/v1/customers/{}", 4, "installing")]),
    ("stripe-resource-extend", "v.tsx", dedent("""\
        import Stripe from 'stripe';
        import { createHttpClient } from '@stripe/ui-extension-sdk/http_client';
        const SecretResource = Stripe.StripeResource.extend({
          find: Stripe.StripeResource.method({ method: 'GET', path: 'apps/secrets/find?name=token' }),
          save: Stripe.StripeResource.method({ method: 'POST', path: 'apps/secrets' }),
        });
        """),
     [("raw", "GET", "apps/secrets/find?name=token", 4, "installing"), ("raw", "POST", "apps/secrets", 5, "installing")]),
    ("stripe-method-alias", "a.js", dedent("""\
        const Stripe = require('stripe');
        const stripeMethod = Stripe.StripeResource.method;
        module.exports = Stripe.StripeResource.extend({ del: stripeMethod({ method: 'delete', path: 'apps/secrets/delete' }) });
        """),
     [("raw", "DELETE", "apps/secrets/delete", 3, "platform")]),
    ("fetch", "a.ts", dedent("""\
        const BASE = 'https://api.stripe.com/v1';
        await fetch('https://api.stripe.com/v1/balance');
        await fetch(`${BASE}/customers/${id}?expand[]=x`, { method: 'POST', headers: { 'Stripe-Account': acct } });
        await fetch(BASE + '/charges', { method: m });
        await fetch('https://example.com/v1/customers');
        """),
     [("raw", "GET", "/v1/balance", 2, "platform"), ("raw", "POST", "/v1/customers/{}", 3, "installing"),
      ("expand", "x", 3), ("raw", "?", "/v1/charges", 4, "platform")]),
    ("fetch-in-ui-extension", "v.tsx", dedent("""\
        import { useRefreshDashboardData } from '@stripe/ui-extension-sdk/utils';
        await window.fetch('https://api.stripe.com/v1/customers?expand[]=data.default_source&limit=3');
        """),
     [("raw", "GET", "/v1/customers", 2, "installing"), ("expand", "data.default_source", 2)]),
    ("got-and-ky", "a.ts", dedent("""\
        import got from 'got';
        import ky from 'ky';
        await got('https://api.stripe.com/v1/customers', { method: 'POST' });
        await ky.get(`https://api.stripe.com/v1/charges?limit=3`).json();
        const client = got.extend({ prefixUrl: 'https://api.stripe.com/v1' });
        await client.get('payouts', { searchParams: { expand: ['data.destination'] } });
        """),
     [("raw", "POST", "/v1/customers", 3, "platform"), ("raw", "GET", "/v1/charges", 4, "platform"),
      ("raw", "GET", "/v1/payouts", 6, "platform"), ("expand", "data.destination", 6)]),
    ("axios", "a.ts", dedent("""\
        import axios from 'axios';
        axios.get('https://api.stripe.com/v1/customers', { headers: { Authorization: `Bearer ${accessToken}` } });
        axios.post('https://api.stripe.com/v1/refunds', body);
        axios({ url: 'https://api.stripe.com/v1/payouts', method: 'post' });
        axios.request({ url: 'https://api.stripe.com/v1/balance' });
        const api = axios.create({ baseURL: 'https://api.stripe.com' });
        api.delete('/v1/customers/cus_123');
        axios.get('https://api.example.com/v1/customers');
        """),
     [("raw", "GET", "/v1/customers", 2, "installing"), ("raw", "POST", "/v1/refunds", 3, "platform"),
      ("raw", "POST", "/v1/payouts", 4, "platform"), ("raw", "GET", "/v1/balance", 5, "platform"),
      ("raw", "DELETE", "/v1/customers/cus_123", 7, "platform")]),
    # --- webhook events ---------------------------------------------------------------------
    ("switch-fallthrough", "a.ts", HOOK + dedent("""\
        switch (event.type) {
          case 'payout.paid':
          case 'payout.failed':
            break;
          case 'customer.created': {
            break;
          }
          default:
        }
        """),
     [("event", "payout.paid", "handled", 5), ("event", "payout.failed", "handled", 6),
      ("event", "customer.created", "handled", 8)]),
    ("if-comparisons", "a.ts", HOOK + dedent("""\
        if (event.type === 'invoice.paid') {}
        else if ('invoice.payment_failed' == event.type) {}
        if (event.type !== 'charge.refunded') return;
        if (event['type'] === 'a.b') {}
        """),
     [("event", "invoice.paid", "handled", 4), ("event", "invoice.payment_failed", "handled", 5),
      ("event", "charge.refunded", "handled", 6), ("event", "a.b", "handled", 7)]),
    ("let-try-catch", "a.js", dedent("""\
        const stripe = require('stripe')(key);
        let event;
        try { event = stripe.webhooks.constructEvent(req.body, sig, secret); } catch (err) { return; }
        if (event.type === 'checkout.session.completed') {}
        """),
     [("event", "checkout.session.completed", "handled", 4)]),
    ("construct-event-async-destructured", "a.ts", CLIENT + dedent("""\
        const { type, data } = await stripe.webhooks.constructEventAsync(body, sig, secret);
        if (type === 'customer.subscription.deleted') {}
        """),
     [("event", "customer.subscription.deleted", "handled", 4)]),
    ("destructure-later", "a.ts", HOOK + "const { type } = event;\nswitch (type) { case 'a.b': }\nconst t = event.type;\nif (t === 'c.d') {}\n",
     [("event", "a.b", "handled", 5), ("event", "c.d", "handled", 7)]),
    ("typed-event-parameter", "a.ts", IMPORT + dedent("""\
        export async function handle(event: Stripe.Event) {
          if (event.type === 'account.application.deauthorized') {}
        }
        const h = (e: Stripe.DiscriminatedEvent | undefined) => e?.type === 'payout.created';
        function k(type: Stripe.Event.Type) { return type === 'x.y'; }
        """),
     [("event", "account.application.deauthorized", "handled", 3), ("event", "payout.created", "handled", 5),
      ("event", "x.y", "handled", 6)]),
    ("events-retrieve-and-thin", "a.ts", CLIENT + dedent("""\
        const ev = await stripe.events.retrieve(id);
        if (ev.type === 'charge.succeeded') {}
        const n = stripe.parseEventNotification(body, sig, secret);
        if (n.type === 'v2.core.account.updated') {}
        const t = stripe.parseThinEvent(body, sig, secret);
        if (t.type === 'v1.billing.meter.error_report_triggered') {}
        """),
     [("call", "node", "events.retrieve", 3, "platform"), ("event", "charge.succeeded", "handled", 4),
      ("event", "v2.core.account.updated", "handled", 6),
      ("event", "v1.billing.meter.error_report_triggered", "handled", 8)]),
    ("includes", "a.ts", HOOK + "const RELEVANT = ['invoice.paid', 'invoice.voided'];\n"
     "if (RELEVANT.includes(event.type)) {}\nif (['a.b'].includes(event.type)) {}\n",
     [("event", "invoice.paid", "handled", 4), ("event", "invoice.voided", "handled", 4),
      ("event", "a.b", "handled", 6)]),
    ("handler-object", "a.ts", HOOK + dedent("""\
        const handlers: Record<string, (e: Stripe.Event) => Promise<void>> = {
          'payout.paid': onPaid,
          'payout.failed': async (e) => {},
          helper: 1,
        };
        await handlers[event.type]?.(event);
        """),
     [("event", "payout.paid", "handled", 5), ("event", "payout.failed", "handled", 6)]),
    ("handler-map-and-in", "a.ts", HOOK + dedent("""\
        const table = new Map([['charge.refunded', f], ['charge.dispute.created', g]]);
        if (table.has(event.type)) table.get(event.type)!(event);
        const obj = { 'customer.deleted': h };
        if (event.type in obj) {}
        """),
     [("event", "charge.refunded", "handled", 4), ("event", "charge.dispute.created", "handled", 4),
      ("event", "customer.deleted", "handled", 6)]),
    ("event-vs-nonliteral", "a.ts", HOOK + "if (event.type === wanted) {}\nswitch (event.type) { case Types.PAID: }\n",
     [("unresolved", "event type compared with a non-literal", 4),
      ("unresolved", "event type compared with a non-literal", 5)]),
    ("event-asserted-type", "a.ts", IMPORT + dedent("""\
        const event = (await req.json()) as Stripe.Event;
        if (event.type === 'payment_intent.succeeded') {}
        const ev2 = <Stripe.Event>JSON.parse(body);
        switch (ev2.type) { case 'payment_intent.canceled': }
        """),
     [("event", "payment_intent.succeeded", "handled", 3), ("event", "payment_intent.canceled", "handled", 5)]),
    ("unknown-dispatch-table", "a.ts", HOOK + "await this.handlers[event.type]?.(event);\n",
     [("unresolved", "event type used as a key of a table the parser cannot read", 4)]),
    ("event-vs-const", "a.ts", HOOK + "const PAID = 'invoice.paid';\nif (event.type === PAID) {}\n",
     [("event", "invoice.paid", "handled", 4)]),
    ("subscribed", "a.ts", CLIENT + dedent("""\
        await stripe.webhookEndpoints.create({
          url: 'https://example.com/hook',
          enabled_events: ['account.application.authorized', '*'],
          connect: true,
        });
        await stripe.webhookEndpoints.update(id, { enabled_events: EVENTS });
        """),
     [("call", "node", "webhookEndpoints.create", 3, "platform"),
      ("event", "account.application.authorized", "subscribed", 5), ("event", "*", "subscribed", 5),
      ("call", "node", "webhookEndpoints.update", 8, "platform"),
      ("unresolved", "enabled_events is not a list of literals", 8)]),
    # --- UI-extension SDK -------------------------------------------------------------------
    ("dashboard-email", "v.tsx", dedent("""\
        import { getDashboardUserEmail as getEmail } from '@stripe/ui-extension-sdk/utils';
        const email = await getEmail();
        """),
     [("sdk", "getDashboardUserEmail", 2)]),
    ("permissions", "v.tsx", dedent("""\
        import { isPermissionAuthorized, getUserAuthorizedPermissions } from '@stripe/ui-extension-sdk/utils';
        if (await isPermissionAuthorized('customer_write')) {}
        const perms = await getUserAuthorizedPermissions();
        const canRefund = perms.includes('refund_write') || perms.indexOf('charge_read') >= 0;
        """),
     [("perm", "customer_write", 2), ("perm", "refund_write", 4), ("perm", "charge_read", 4)]),
    ("permission-variable", "v.tsx", dedent("""\
        import * as sdk from '@stripe/ui-extension-sdk/utils';
        const NEEDED = 'invoice_read';
        await sdk.isPermissionAuthorized(NEEDED);
        await sdk.isPermissionAuthorized(props.name);
        await sdk.getDashboardUserEmail();
        """),
     [("perm", "invoice_read", 2), ("unresolved", "permission name is not a literal", 4),
      ("sdk", "getDashboardUserEmail", 5)]),
    ("user-context-email", "v.tsx", dedent("""\
        import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
        const A = ({ userContext }: ExtensionContextValue) => <p>{userContext?.email}</p>;
        const B = (props) => props.userContext.email;
        const C = ({ userContext: { email, account } }) => email;
        function D({ userContext }) { const { email } = userContext; return userContext.account.id; }
        """),
     [("removed", "userContext.email", 2), ("removed", "userContext.email", 3),
      ("removed", "userContext.email", 4), ("removed", "userContext.email", 5)]),
    # --- cross-file -------------------------------------------------------------------------
    ("imports", "a.ts", dedent("""\
        import stripe from './lib/stripe';
        import { getStripe as gs, other } from '../stripe.ts';
        import * as lib from './lib';
        import React from 'react';
        const { client } = require('./client');
        const whole = require('../whole');
        """),
     [("import", "stripe", "./lib/stripe", "default"), ("import", "gs", "../stripe.ts", "getStripe"),
      ("import", "other", "../stripe.ts", "other"), ("import", "lib", "./lib", "*"),
      ("import", "client", "./client", "client"), ("import", "whole", "../whole", "default")]),
    ("pending-calls", "a.ts", dedent("""\
        import { stripe, getStripe } from './lib/stripe';
        import * as lib from './lib';
        await stripe.customers.list({ expand: ['data.default_source'] }, { stripeAccount });
        getStripe().charges.list();
        const s = getStripe();
        s.refunds.create({});
        lib.stripe.payouts.list();
        stripe.webhooks.constructEvent(a, b, c);
        """),
     [("pending", "stripe", "customers.list", 3, False, "installing"), ("expand", "data.default_source", 3),
      ("pending", "getStripe", "charges.list", 4, True, None),
      ("pending", "getStripe", "refunds.create", 6, True, None),
      ("pending", "lib", "stripe.payouts.list", 7, False, None),
      ("import", "stripe", "./lib/stripe", "stripe"), ("import", "getStripe", "./lib/stripe", "getStripe"),
      ("import", "lib", "./lib", "*")]),
    ("path-alias-imports", "app/api/route.ts", dedent("""\
        import { stripe } from '@/lib/stripe';
        import stripeClient from 'src/utils/stripe-loader';
        import { z } from 'zod';
        import { thing } from '@scope/pkg';
        await stripe.prices.list();
        stripeClient(platform).treasury.financialAccounts.list();
        z.object({}).parse(x);
        thing.a.b();
        """),
     [("pending", "stripe", "prices.list", 5, False, None),
      ("pending", "stripeClient", "treasury.financialAccounts.list", 6, True, None),
      ("import", "stripe", "@/lib/stripe", "stripe"), ("import", "stripeClient", "src/utils/stripe-loader", "default")]),
    ("event-from-imported-client", "a.ts", dedent("""\
        import { stripe } from './stripe';
        const event = stripe.webhooks.constructEvent(body, sig, secret);
        if (event.type === 'payout.paid') {}
        """),
     [("event", "payout.paid", "handled", 3), ("import", "stripe", "./stripe", "stripe")]),
    ("client-exports-esm", "lib/stripe.ts", IMPORT + dedent("""\
        export const stripe = new Stripe(process.env.KEY!);
        export function getStripe() { return stripe; }
        export const getOther = () => new Stripe('k', { stripeAccount: acct });
        const ui = stripe;
        export { ui as shared };
        export const EXPAND = ['customer', 'invoice'] as const;
        export const NOT_CONST = compute();
        """),
     [("client_export", "stripe", "node", "platform", False), ("client_export", "getStripe", "node", "platform", True),
      ("client_export", "getOther", "node", "installing", True), ("client_export", "shared", "node", "platform", False),
      ("constant_export", "EXPAND", ("customer", "invoice"))]),
    ("export-default-new", "lib/stripe.ts", UI_CLIENT + "export default new Stripe(STRIPE_API_KEY);\n",
     [("client_export", "default", "node", "installing", False)]),
    ("export-default-function", "lib/stripe.ts", IMPORT + dedent("""\
        export default function getStripe(account?: string) {
          return new Stripe(process.env.KEY!, { stripeAccount: account });
        }
        """),
     [("client_export", "default", "node", "installing", True)]),
    ("export-default-name", "lib/stripe.ts", CLIENT + "export default stripe;\n",
     [("client_export", "default", "node", "platform", False)]),
    ("commonjs-exports", "lib/stripe.js", dedent("""\
        const stripe = require('stripe')(process.env.KEY);
        module.exports = stripe;
        module.exports = { stripe, EXPAND: ['customer'] };
        exports.client = stripe;
        """),
     [("client_export", "default", "node", "platform", False), ("client_export", "stripe", "node", "platform", False),
      ("constant_export", "EXPAND", ("customer",)), ("client_export", "client", "node", "platform", False)]),
    # --- React hooks holding a client (UI extensions) ----------------------------------------
    ("hook-use-memo", "v.tsx", UI_CLIENT + dedent("""\
        import { useMemo } from 'react';
        import * as React from 'react';
        const View = () => {
          const a = useMemo(() => new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() }), []);
          a.customers.list();
          const b = React.useMemo(() => { return new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() }); }, []);
          b.invoices.list();
          const c = useMemo(() => stripe, []);
          c.charges.list();
        };
        """),
     [("call", "node", "customers.list", 8, "installing"), ("call", "node", "invoices.list", 10, "installing"),
      ("call", "node", "charges.list", 12, "installing")]),
    ("hook-use-memo-backend-account", "a.tsx", IMPORT + dedent("""\
        import { useMemo } from 'react';
        const s = useMemo(() => new Stripe(process.env.KEY!), []);
        s.payouts.list();
        const t = useMemo(() => new Stripe(key, { stripeAccount: acct }), [acct]);
        t.payouts.list();
        """),
     [("call", "node", "payouts.list", 4, "platform"), ("call", "node", "payouts.list", 6, "installing")]),
    ("hook-use-state", "v.tsx", UI_CLIENT + dedent("""\
        import { useState } from 'react';
        const View = () => {
          const [lazy] = useState(() => new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() }));
          lazy.customers.list();
          const [eager, setEager] = useState(new Stripe(STRIPE_API_KEY));
          eager.refunds.list();
          setEager.x.y();
          useState(stripe)[0].prices.list();
          const [, second] = useState(stripe);
          second.a.b();
        };
        """),
     [("call", "node", "customers.list", 7, "installing"), ("call", "node", "refunds.list", 9, "installing"),
      ("call", "node", "prices.list", 11, "installing")]),
    ("hook-use-ref", "v.tsx", UI_CLIENT + dedent("""\
        import { useRef } from 'react';
        const View = () => {
          useRef(stripe).current.payouts.list();
          const ref = useRef(new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() }));
          ref.current.invoices.list();
          const typed = useRef<Stripe | null>(null);
          typed.current?.charges.list();
          ref.other.customers.list();
        };
        """),
     [("call", "node", "payouts.list", 6, "installing"), ("call", "node", "invoices.list", 8, "installing"),
      ("call", "node", "charges.list", 10, "installing")]),
    ("hook-context", "v.tsx", UI_CLIENT + dedent("""\
        import { createContext, useContext } from 'react';
        export const StripeContext = createContext<Stripe>(stripe);
        const Other = createContext(new Stripe(STRIPE_API_KEY));
        function useClient() { return useContext(Other); }
        const View = () => {
          useContext(StripeContext).customers.list();
          const c = useClient();
          c.invoices.list();
        };
        """),
     [("call", "node", "customers.list", 9, "installing"), ("call", "node", "invoices.list", 11, "installing"),
      ("client_export", "StripeContext", "node", "installing", False)]),
    ("hook-custom-same-file-and-export", "v.tsx", UI_CLIENT + dedent("""\
        import { useMemo } from 'react';
        export function useStripe(): Stripe {
          return useMemo(() => new Stripe(STRIPE_API_KEY, { httpClient: createHttpClient() }), []);
        }
        const View = () => {
          const stripe = useStripe();
          stripe.invoices.list();
          useStripe().customers.retrieve(id);
        };
        """),
     [("call", "node", "invoices.list", 10, "installing"), ("call", "node", "customers.retrieve", 11, "installing"),
      ("client_export", "useStripe", "node", "installing", True)]),
    ("hook-imported-from-app", "v.tsx", dedent("""\
        import { useContext } from 'react';
        import { useStripe } from '../hooks/useStripe';
        import { StripeContext } from './context';
        const View = () => {
          useStripe().invoices.list();
          const s = useStripe();
          s.customers.list();
          useContext(StripeContext).charges.list();
        };
        """),
     [("pending", "useStripe", "invoices.list", 5, True, None),
      ("pending", "useStripe", "customers.list", 7, True, None),
      ("pending", "StripeContext", "charges.list", 8, False, None),
      ("import", "useStripe", "../hooks/useStripe", "useStripe"),
      ("import", "StripeContext", "./context", "StripeContext")]),
    ("hook-without-import", "v.tsx", UI_CLIENT + dedent("""\
        const a = useMemo(() => stripe, []);
        a.customers.list();
        const ref = React.useRef(stripe);
        ref.current.charges.list();
        function useState(x) { return null; }
        const [b] = useState(stripe);
        b.invoices.list();
        """),
     [("call", "node", "customers.list", 5, "installing"), ("call", "node", "charges.list", 7, "installing")]),
    ("hook-near-misses", "v.tsx", dedent("""\
        import { useMemo, useState, useRef, useContext, createContext } from 'react';
        import { useStripe } from '@stripe/react-stripe-js';
        import { loadStripe } from '@stripe/stripe-js';
        const totals = useMemo(() => computeTotals(items), [items]);
        totals.invoices.list();
        const [count] = useState(0);
        count.customers.list();
        useRef(null).current.charges.list();
        const Theme = createContext('light');
        useContext(Theme).payouts.list();
        const stripe = useStripe();
        stripe.paymentIntents.retrieve(id);
        const js = await loadStripe('pk_test_123');
        js.paymentIntents.retrieve(id);
        """), []),
    ("custom-hook-returning-stripe-js", "v.tsx", dedent("""\
        import { useMemo } from 'react';
        import { loadStripe } from '@stripe/stripe-js';
        export function useStripe() { return useMemo(() => loadStripe('pk_live_x'), []); }
        useStripe().customers.list();
        """), []),
    # --- event families and computed dispatch -----------------------------------------------
    ("event-prefix", "a.ts", HOOK + dedent("""\
        if (event.type.startsWith('customer.subscription.')) {}
        if (event.type?.startsWith('invoice.')) {}
        const FAMILY = 'payout.';
        if (event.type.startsWith(FAMILY)) {}
        """),
     [("event", "customer.subscription.*", "handled", 4), ("event", "invoice.*", "handled", 5),
      ("event", "payout.*", "handled", 6)]),
    ("event-prefix-partial", "a.ts", HOOK + dedent("""\
        if (event.type.startsWith('cust')) {}
        if (event.type.startsWith('invoice')) {}
        if (event.type.startsWith(prefix)) {}
        """),
     [("unresolved", "event type matched by a partial prefix", 4),
      ("unresolved", "event type matched by a partial prefix", 5),
      ("unresolved", "event type compared with a non-literal", 6)]),
    ("event-family-split", "a.ts", HOOK + dedent("""\
        if (event.type.split('.')[0] === 'invoice') {}
        const [family] = event.type.split('.');
        switch (family) { case 'payout': break; case 'a.b': break; }
        if ('charge' == event.type.split('.')[0]) {}
        """),
     [("event", "invoice.*", "handled", 4), ("event", "payout.*", "handled", 6),
      ("event", "charge.*", "handled", 7)]),
    ("event-prefix-near-misses", "a.ts", HOOK + dedent("""\
        if (order.type.startsWith('invoice.')) {}
        if (order.type.split('.')[0] === 'invoice') {}
        if (event.type.split('_')[0] === 'invoice') {}
        if (event.id.startsWith('evt_')) {}
        """), []),
    ("computed-handler-name", "a.ts", HOOK + dedent("""\
        await handlers[`on_${event.type}`]?.(event);
        await this['handle' + event.type](event);
        const key = 'on_' + event.type.replace(/\\./g, '_');
        this[key](event);
        """),
     [("unresolved", "event type used to compute a handler name", 4),
      ("unresolved", "event type used to compute a handler name", 5),
      ("unresolved", "event type used to compute a handler name", 7)]),
    ("computed-handler-name-near-misses", "a.ts", HOOK + dedent("""\
        const handlers = { 'payout.paid': onPaid };
        await handlers[event.type](event);
        logger.info(`got ${event.type}`);
        labels['kind_' + order.type]();
        this[`on_${order.type}`]();
        """),
     [("event", "payout.paid", "handled", 4)]),
    # --- near misses: must produce nothing --------------------------------------------------
    ("own-rest-client", "a.ts", "const api = new ApiClient(base);\napi.customers.list();\n", []),
    ("prisma", "a.ts", "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n"
     "await prisma.customer.findMany();\n", []),
    ("strings-and-comments", "a.ts", CLIENT + dedent("""\
        // stripe.payouts.create()
        const doc = "stripe.payouts.create()";
        /* const s = new Stripe('k'); s.charges.list() */
        const tpl = `stripe.customers.list()`;
        """), []),
    ("order-status-switch", "a.ts", dedent("""\
        switch (order.status) { case 'paid': break; case 'payout.paid': break; }
        if (order.type === 'invoice.paid') {}
        const msg = { type: 'customer.created' };
        const handlers = { 'payout.paid': f };
        handlers[order.type]();
        """), []),
    ("react-stripe-js", "v.tsx", dedent("""\
        import { useStripe, useElements } from '@stripe/react-stripe-js';
        const stripe = useStripe();
        await stripe.confirmPayment({ elements });
        await stripe.paymentIntents.retrieve(id);
        """), []),
    ("stripe-js-global", "a.js", "const stripe = Stripe('pk_test_123');\nstripe.redirectToCheckout({sessionId});\n"
     "stripe.elements.create('card');\n", []),
    ("stripe-js-type", "a.ts", dedent("""\
        import type { Stripe } from '@stripe/stripe-js';
        function pay(stripe: Stripe) { return stripe.paymentRequest.create({}); }
        """), []),
    ("non-client-event-type", "a.ts", dedent("""\
        function onMessage(event: MessageEvent) { if (event.type === 'message.sent') {} }
        window.addEventListener('click', (e) => { switch (e.type) { case 'click.x': } });
        """), []),
    # A barrel passes names on: recorded as imports under the exported name, for the linker.
    ("re-exports-are-recorded-as-imports", "index.ts",
     "export { stripe } from './stripe';\nexport * from './other';\nexport { default as getStripe } from './factory';\n",
     [("import", "*", "./other", "*"), ("import", "getStripe", "./factory", "default"),
      ("import", "stripe", "./stripe", "stripe")]),
    ("user-context-other-fields", "v.tsx",
     "const A = ({ userContext }) => userContext.account.id + userContext.id;\nconst { email } = customer;\nuser.email;\n", []),
    ("relative-import-of-package-skipped", "a.ts",
     "import Stripe from 'stripe';\nimport { format } from 'date-fns';\nformat(d);\n", []),
    # --- clients reached through objects, injection and context (typed: account unknown) ---
    ("client-in-interface-alias-and-nested-type", "a.ts", IMPORT + dedent("""\
        interface Ctx { stripe: Stripe }
        type Deps = { clients: { pay: Stripe } };
        function f(ctx: Ctx, deps: Deps) { ctx.stripe.customers.retrieve('c'); deps.clients.pay.charges.list(); }
        """), [("call", "node", "customers.retrieve", 4, "unknown"), ("call", "node", "charges.list", 4, "unknown")]),
    ("destructured-parameter-typed-by-alias", "a.ts", IMPORT + dedent("""\
        type Deps = { billing: Stripe };
        export const f = async ({ billing }: Deps) => billing.refunds.list();
        """), [("call", "node", "refunds.list", 3, "unknown")]),
    ("callback-typed-by-its-table", "a.ts", IMPORT + dedent("""\
        interface Ctx { stripe: Stripe }
        type Handler = { fetch: (ctx: Ctx, id: string) => unknown; list?(ctx: Ctx): unknown };
        const T: Record<string, Handler> = {
          a: { fetch: (c, id) => c.stripe.disputes.retrieve(id), list(c) { return c.stripe.coupons.list(); } },
        };
        const U = [{ fetch: (c, id) => c.stripe.prices.retrieve(id) }] satisfies Handler[];
        """), [("call", "node", "disputes.retrieve", 5, "unknown"), ("call", "node", "coupons.list", 5, "unknown"),
               ("call", "node", "prices.retrieve", 7, "unknown")]),
    ("stripe-injector-decorators", "a.ts", dedent("""\
        class A {
          constructor(@InjectStripeClient() private readonly sc: unknown) {}
          @InjectStripe() private readonly pay: any;
          go() { this.sc.payouts.list(); this.pay.balance.retrieve(); }
        }
        """), [("call", "node", "payouts.list", 4, "unknown"), ("call", "node", "balance.retrieve", 4, "unknown")]),
    ("imported-type-member-is-pending", "a.ts", dedent("""\
        import type { Ctx } from './types';
        function f(ctx: Ctx) { return ctx.billing.invoices.retrieve('x'); }
        """), [("pending", "Ctx", "billing.invoices.retrieve", 2, False, None), ("import", "Ctx", "./types", "Ctx")]),
    ("exported-type-names-its-client-members", "types.ts", IMPORT + dedent("""\
        export interface Ctx { stripe: Stripe; id: string; deps: { billing: Stripe } }
        export type Client = Stripe;
        """), [("client_export", "Ctx.stripe", "node", "unknown", False),
               ("client_export", "Ctx.deps.billing", "node", "unknown", False),
               ("client_export", "Client", "node", "unknown", False)]),
    # --- Stripe-shaped calls on untraced receivers are inferred (§11) -----------------------
    ("inferred-untraced-receivers", "a.ts", dedent("""\
        import { useStripeClient } from 'some-lib';
        export async function f(deps, id) {
          await deps.stripe.refunds.create({ charge: id });
          await useStripeClient().customers.list();
          await c.get('stripe').charges.list({}, { stripeAccount: id });
          await this.stripeClient.invoices.retrieve(id);
        }
        """), [("call", "node", "refunds.create", 3, "unknown"), ("inferred", 3),
               ("call", "node", "customers.list", 4, "unknown"), ("inferred", 4),
               ("call", "node", "charges.list", 5, "installing"), ("inferred", 5),
               ("call", "node", "invoices.retrieve", 6, "unknown"), ("inferred", 6)]),
    ("not-inferred-lookalikes", "a.ts", dedent("""\
        import { loadStripe } from '@stripe/stripe-js';
        export async function f(deps) {
          await deps.github.customers.list();
          const stripe = await loadStripe('pk');
          stripe.customers.list();
          const stripeCache = new Map(); stripeCache.customers.list();
          stripe2.customers.listAll();
          stripe2.customers.list.call();
          stripe2.webhooks.constructEvent(a, b, c);
          ctx.get('notion').charges.list();
        }
        """), []),
    # --- events recognised by the Stripe event names they are compared with ----------------
    ("untraced-event-from-request-body", "a.js", dedent("""\
        export async function onRequest(context) {
          const event = JSON.parse(await context.request.text());
          switch (event.type) { case 'customer.subscription.deleted': case 'invoice.payment_failed': break; }
          const { type } = await context.request.json();
          if (type === 'invoice.paid') {}
          if (['charge.refunded'].includes(req.body.type)) {}
          if (new Set(['payout.paid']).has(event.type)) {}
        }
        """), [("event", "customer.subscription.deleted", "handled", 3), ("event", "invoice.payment_failed", "handled", 3),
               ("event", "invoice.paid", "handled", 5), ("event", "charge.refunded", "handled", 6),
               ("event", "payout.paid", "handled", 7)]),
    ("untraced-event-needs-stripe-names", "a.js", dedent("""\
        export function github(req, action) {
          switch (req.body.type) { case 'push': case 'pull_request': break; }
          if (req.body.type === 'app.reset') {}
          switch (action.type) { case 'SET_USER': case 'customer.created': break; }
          const msg = { type: 'invoice.paid' };
          if (msg.type === 'invoice.paid') {}
        }
        """), []),
    ("event-in-destructured-typed-object", "a.ts", IMPORT + dedent("""\
        export function handle(params: { event: Stripe.Event }) {
          const { event } = params;
          const eventType = event.type;
          if (eventType === 'invoice.paid') {}
        }
        """), [("event", "invoice.paid", "handled", 5)]),
    ("event-filter-set-is-a-table", "a.ts", IMPORT + dedent("""\
        const relevant = new Set(['charge.refunded', 'coupon.deleted']);
        export function handle(event: Stripe.Event) { if (relevant.has(event.type)) {} }
        """), [("event", "charge.refunded", "handled", 2), ("event", "coupon.deleted", "handled", 2)]),
    # --- syntax errors ----------------------------------------------------------------------
    ("syntax-error-keeps-facts", "a.ts", CLIENT + "stripe.customers.list();\nconst x = ;\n",
     [("call", "node", "customers.list", 3, "platform"), ("problem", 4)]),
]


@pytest.mark.parametrize(("path", "source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_facts(path: str, source: str, expected: list[tuple]) -> None:
    got = simplify(facts(source, path=path))
    assert sorted(got, key=repr) == sorted(expected, key=repr)


def test_case_ids_unique() -> None:
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))


def test_columns_are_one_based_characters() -> None:
    src = CLIENT + "const é = 1; stripe.customers.list();\n"
    (call,) = facts(src, path="a.ts").calls
    assert call.position == Position(3, 14)


def test_expand_position_is_the_string() -> None:
    (call,) = facts(CLIENT + "stripe.customers.list({expand: ['a']});\n", path="a.ts").calls
    assert call.position == Position(3, 1)
    assert call.expand[0].position == Position(3, 33)


def test_language_and_path() -> None:
    found = facts("export const x = 1;\n", path="src/views/App.tsx")
    assert found.path == "src/views/App.tsx"
    assert found.language == "typescript"
    assert found.problems == ()


@pytest.mark.parametrize("path", ["a.ts", "a.mts", "a.cts", "a.tsx", "a.jsx", "a.js", "a.mjs", "a.cjs"])
def test_every_suffix_parses(path: str) -> None:
    src = CLIENT + "stripe.customers.list();\n"
    if not path.endswith(("ts", "cts", "mts")):  # TSX grammar: JSX must parse in .js too
        src += "const el = <div>{1}</div>;\n"
    found = facts(src, path=path)
    assert [c.accessor for c in found.calls] == ["customers.list"]
    assert found.problems == ()


def test_angle_bracket_assertion_in_ts() -> None:
    # `<T>x` is valid only in .ts files; the TypeScript grammar must be picked for them.
    src = CLIENT + "const s = <Stripe>stripe;\ns.customers.list();\n"
    found = facts(src, path="a.ts")
    assert [c.accessor for c in found.calls] == ["customers.list"]
    assert found.problems == ()


def test_deterministic_and_sorted() -> None:
    src = CLIENT + "stripe.b.list(); stripe.a.list();\nstripe.c.list();\n"
    first = facts(src, path="a.ts")
    assert first == facts(src, path="a.ts")
    assert [c.accessor for c in first.calls] == ["b.list", "a.list", "c.list"]
    assert list(first.calls) == sorted(first.calls, key=lambda c: c.position)


def test_no_tree_sitter_objects_leak() -> None:
    found = facts(HOOK + "stripe.customers.list({expand: ['x']});\nif (event.type === 'a.b') {}\n", path="a.ts")

    def walk(value):
        if isinstance(value, (str, int, bool, type(None))):
            return
        assert "tree_sitter" not in type(value).__module__
        if isinstance(value, tuple):
            for v in value:
                walk(v)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))

    walk(found)


def test_large_file_is_fast() -> None:
    import time

    body = "".join(f"await stripe.customers.retrieve('cus_{i}', {{expand: ['default_source']}});\n" for i in range(3000))
    start = time.perf_counter()
    found = facts(CLIENT + "async function f() {\n" + body + "}\n", path="a.ts")
    assert len(found.calls) == 3000
    assert time.perf_counter() - start < 5


def test_names_resolve_through_deep_nesting_and_shadowing_scopes() -> None:
    # 800 nested calls (scope lookups once climbed Node.parent, depth squared per name), with a
    # shadowing `stripe` in an inner function and the client returned through a local function.
    nested = "f(" * 800 + "stripe.customers.list()" + ")" * 800
    source = CLIENT + dedent("""\
        function f(x: any) { return x; }
        function make() { const inner = () => { return 1; }; return stripe; }
        function g() { const stripe = { customers: { list() {} } }; stripe.customers.list(); }
        make().invoices.list();
        """) + f"export const v = {nested};\n"
    found = facts(source, path="a.ts")
    assert simplify(found, {"call"}) == [("call", "node", "invoices.list", 6, "platform"),
                                         ("call", "node", "customers.list", 7, "platform")]
    assert found.problems == ()


@pytest.mark.parametrize("source", [
    "const a = <span className='x'>Sarah & Michael</span>;\n",
    'export type * from "./schema";\nexport * from "./errors";\n',
])
def test_valid_typescript_the_grammar_stumbles_on_is_not_a_syntax_error(source: str) -> None:
    assert facts(source, path="src/a.tsx").problems == ()


@pytest.mark.parametrize("source, account", [
    # a key handed in from outside: provenance unknown (the engine settles it by access type)
    ("import Stripe from 'stripe';\nexport function clientFor(key: string) {\n"
     "  const s = new Stripe(key);\n  return s.customers.list();\n}\n", "unknown"),
    # a key from the environment: the platform's own
    ("import Stripe from 'stripe';\nconst s = new Stripe(process.env.STRIPE_SECRET_KEY!);\n"
     "export const f = () => s.customers.list();\n", "platform"),
])
def test_client_built_from_a_passed_in_key(source: str, account: str) -> None:
    [call] = facts(source, path="server/a.ts").calls
    assert call.account == account


def test_a_value_typed_by_an_imported_type_reaches_its_client_member() -> None:
    from stripe_perm_lint.linker import link_app

    types = facts("import Stripe from 'stripe';\nexport interface Ctx { stripe: Stripe }\n", path="server/types.ts")
    job = facts("import type { Ctx } from './types';\nexport const f = (ctx: Ctx) => ctx.stripe.customers.list();\n",
                path="server/job.ts")
    # Before linking the call is inferred from its shape; the imported type makes it exact.
    assert [c.inferred for c in job.calls] == [True]
    linked = {f.path: f for f in link_app([types, job])}["server/job.ts"]
    assert [(c.accessor, c.account, c.inferred) for c in linked.calls] == [("customers.list", "unknown", False)]


def test_imported_event_sets_and_tables_are_left_for_the_linker() -> None:
    source = (
        "import Stripe from 'stripe';\n"
        "import { EVENTS, handlers } from '@/lib/constants';\n"
        "import * as c from './constants';\n"
        "import { other } from 'some-package';\n"
        "const stripe = new Stripe('sk');\n"
        "export function f(raw: string, body: any) {\n"
        "  const event = stripe.webhooks.constructEvent(raw, '', '');\n"
        "  if (EVENTS.has(event.type)) {}\n"
        "  handlers[event.type]?.(event);\n"
        "  if (c.LIST.includes(event.type)) {}\n"
        "  if (event.type in handlers) {}\n"
        "  if (other.has(event.type)) {}\n"
        "  if (EVENTS.has(body.type)) {}\n"
        "}\n"
    )
    found = simplify(facts(source, path="server/hook.ts"), {"pending_events", "unresolved"})
    assert found == [
        ("unresolved", "event type used as a key of a table the parser cannot read", 12),
        ("pending_events", "EVENTS", None, 8, False),
        ("pending_events", "handlers", None, 9, False),
        ("pending_events", "c", "LIST", 10, False),
        ("pending_events", "handlers", None, 11, False),
        ("pending_events", "EVENTS", None, 13, True),
    ]


def test_sets_and_event_tables_are_exported() -> None:
    source = (
        "export const EVENTS = new Set(['invoice.paid', 'payout.paid']);\n"
        "export const handlers = { 'invoice.paid': () => {}, [dyn]: () => {} };\n"
        "export const byMap = new Map([['charge.refunded', () => {}]]);\n"
        "export const config = { apiVersion: '2024-06-20' };\n"
    )
    found = simplify(facts(source, path="server/constants.ts"), {"constant_export", "table_export"})
    assert found == [
        ("constant_export", "EVENTS", ("invoice.paid", "payout.paid")),
        ("table_export", "handlers", ("invoice.paid",)),
        ("table_export", "byMap", ("charge.refunded",)),
    ]


def test_a_stripe_base_url_read_from_the_environment_with_a_fallback() -> None:
    source = (
        "const API = process.env.STRIPE_API_BASE ?? 'https://api.stripe.com/v1';\n"
        "const OTHER = process.env.API_BASE ?? 'https://example.com/v1';\n"
        "export const f = (accessToken: string, id: string) =>\n"
        "  fetch(`${API}/charges/${id}`, { headers: { Authorization: `Bearer ${accessToken}` } });\n"
        "export const g = () => fetch(`${OTHER}/charges`);\n"
    )
    assert simplify(facts(source, path="server/a.ts"), {"raw"}) == [("raw", "GET", "/v1/charges/{}", 4, "installing")]


def test_request_wrappers_are_read_at_their_calls():
    found = facts(dedent("""\
        const BASE = process.env.STRIPE_API_BASE ?? 'https://api.stripe.com/v1';
        export async function stripeRequest(cred, path: string, init: RequestInit = {}) {
          return fetch(`https://api.stripe.com${path}`, {...init, headers: {Authorization: `Bearer ${cred.accessToken}`}});
        }
        const call = (key: string, path: string, method = 'GET') =>
          fetch(BASE + path, {method, headers: {Authorization: `Bearer ${key}`}});
        stripeRequest(cred, '/v1/invoices');
        stripeRequest(cred, `/v1/customers/${id}`, {method: 'post'});
        call(process.env.STRIPE_SECRET_KEY, '/refunds', 'POST');
        stripeRequest(cred, somePath);
        const one = (id: string) => fetch('https://api.stripe.com/v1/customers/' + id);
        """), "server/a.ts")
    raw = [(r.verb, r.path, r.position.line, r.account) for r in found.raw_requests]
    assert raw == [
        ("GET", "/v1/invoices", 7, "installing"),
        ("POST", "/v1/customers/{}", 8, "installing"),
        ("POST", "/v1/refunds", 9, "platform"),
        ("GET", "/v1/customers/{}", 11, "platform"),  # the parameter is an id: not a wrapper
    ]
    assert [(w.name, w.path_param, w.init_param, w.account) for w in found.request_wrapper_exports] == [
        ("stripeRequest", 1, 2, "installing"),
    ]


def test_calls_of_imported_functions_with_a_path_are_pending_requests():
    found = facts(dedent("""\
        import { stripeRequest } from './stripe';
        import { log } from './log';
        stripeRequest(cred, '/v1/invoices', {method: 'DELETE'});
        log('hello');
        """), "server/b.ts")
    assert [(p.import_local, p.args, p.arg_methods, p.position.line) for p in found.pending_requests] == [
        ("stripeRequest", (None, "/v1/invoices", None), (None, None, "DELETE"), 3),
    ]


def test_factory_returning_a_client_in_a_field_exports_the_field() -> None:
    found = facts(dedent("""\
        import Stripe from 'stripe';
        export async function getStripeClient(accountId: string) {
          const token = await loadToken(accountId);
          return { client: new Stripe(token.access_token, { apiVersion: '2024-06-20' }), accountId };
        }
        export const fromEnv = async () => {
          const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
          return { stripe, account: 'self' };
        };
        export const fromKey = (key: string) => ({ stripe: new Stripe(key), key });
        export function notAClient() { return { name: 'x', count: 1 }; }
        export function getStripe() { return new Stripe(process.env.STRIPE_SECRET_KEY!); }
    """), "lib/stripe-client.ts")
    assert [(e.name, e.account, e.returns_client) for e in found.client_exports] == [
        ("getStripeClient.client", "installing", True),
        ("fromEnv.stripe", "platform", True),
        ("fromKey.stripe", "unknown", True),
        ("getStripe", "platform", True),
    ]


def test_calls_on_a_factory_result_field_are_pending() -> None:
    found = facts(dedent("""\
        import { getStripeClient } from './lib/stripe-client';
        export async function a(id: string) {
          const { client } = await getStripeClient(id);
          await client.accounts.retrieve(id);
          const result = await getStripeClient(id);
          await result.client.customers.list();
        }
    """), "b.ts")
    assert [(p.import_local, p.accessor, p.position.line, p.via_factory) for p in found.pending_calls] == [
        ("getStripeClient", "client.accounts.retrieve", 4, True),
        ("getStripeClient", "client.customers.list", 6, True),
    ]


def test_an_argument_that_is_the_events_account_acts_for_the_installing_account():
    # As every backend parser reads it (decision 6): the event names the account it comes from.
    source = (
        "const Stripe = require('stripe');\n"
        "const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);\n"
        "export async function onInstall(event) {\n"
        "  const account = event.account;\n"
        "  await stripe.accounts.retrieve(account);\n"
        "  await stripe.accounts.retrieve(event?.account);\n"
        "  await stripe.customers.retrieve(event.data.object.customer);\n"
        "  return stripe.accounts.retrieve(process.env.PLATFORM_ACCOUNT);\n"
        "}\n"
    )
    found = [(c.accessor, c.position.line, c.account) for c in facts(source, "backend/hooks.js").calls]
    assert found == [
        ("accounts.retrieve", 5, "installing"),
        ("accounts.retrieve", 6, "installing"),
        ("customers.retrieve", 7, "platform"),
        ("accounts.retrieve", 8, "platform"),
    ]
