"""Spring's `StripeClient` bean across Java files: the account each `@Bean` factory's client holds
(``parse.java``), the calls on an injected client that wait for it, and the linker giving them that
account when the app's factories agree (``java_links``), parsed and linked as the CLI does. Test
code (a test configuration's bean under `src/test`) never reaches the linker: discovery skips it,
which ``fixtures/java-bean-client`` checks end to end."""

from __future__ import annotations

import textwrap

import pytest
from parse_helpers import simplify

from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse.java import parse

HEAD = """\
import com.stripe.StripeClient;
import com.stripe.net.RequestOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;
"""  # 7 lines: the snippets that use them start at line 8


def java(code: str) -> str:
    return HEAD + textwrap.dedent(code).lstrip("\n")


def bean(body: str, params: str = "", annotations: str = "") -> str:
    return java(f"""
        @Configuration
        class StripeConfig {{
          @Value("${{stripe.secret-key}}") private String secretKey;

          @Bean {annotations}
          StripeClient stripeClient({params}) {{
            {body}
          }}
        }}
        """)


PLATFORM_BEAN = bean("return new StripeClient(key);", '@Value("${stripe.secret-key}") String key')
ACCOUNT_BEAN = bean('return new StripeClient(tokens.accessTokenFor(request.getHeader("Stripe-Account")));',
                    "HttpServletRequest request, TokenStore tokens", "@RequestScope")
BILLING = java("""
    @Service
    class Billing {
      private final StripeClient stripe;
      private final StripeClient own;

      Billing(StripeClient stripe, @Value("${stripe.key}") String key) {
        this.stripe = stripe;
        this.own = new StripeClient(key);
      }

      void pay(String id) throws Exception {
        stripe.v1().invoices().pay(id);
        own.v1().customers().list();
      }
    }
    """)


@pytest.mark.parametrize("source, account", [
    pytest.param(PLATFORM_BEAN, "platform", id="value-parameter"),
    pytest.param(bean("return new StripeClient(secretKey);"), "platform", id="value-field"),
    pytest.param(bean("return StripeClient.builder().setApiKey(secretKey).setMaxNetworkRetries(2).build();"),
                 "platform", id="builder-with-more-setters"),
    pytest.param(bean('StripeClient client = new StripeClient(System.getenv("STRIPE_SECRET_KEY"));\nreturn client;'),
                 "platform", id="local-returned"),
    pytest.param(ACCOUNT_BEAN, "installing", id="request-scope-lookup-by-account"),
    pytest.param(bean("return StripeClient.builder().setApiKey(secretKey).setStripeAccount(acct).build();",
                      "String acct"), "installing", id="builder-with-stripe-account"),
    pytest.param(bean("return new StripeClient(oauthAccessToken);", "String oauthAccessToken"), "installing",
                 id="oauth-token"),
    # Spring passes a bean factory's plain `String` from some other bean: nothing says whose key it is.
    pytest.param(bean("return new StripeClient(key);", "String key"), "unknown", id="injected-string"),
    pytest.param(bean("return factory.create();", "ClientFactory factory"), "unknown", id="unreadable"),
])
def test_the_account_of_each_bean_factory(source, account):
    assert simplify(parse("Config.java", source), {"client_export"}) == [
        ("client_export", "@bean:StripeClient", "java_client", account, False),
        ("client_export", "@bean:StripeClient:model", "java_instance", account, False)]


def test_a_method_returning_a_client_without_bean_is_no_bean():
    source = java("""
        class Clients {
          StripeClient platform() { return new StripeClient(System.getenv("STRIPE_SECRET_KEY")); }
        }
        """)
    assert simplify(parse("Clients.java", source), {"client_export"}) == []


WAITING = [
    ("constructor-injection", BILLING, [("pending", "@bean:StripeClient", "v1().invoices().pay", 19, False, None)]),
    ("autowired-field-outside-a-component", java("""
        class Jobs {
          @Autowired private StripeClient stripe;
          void run() throws Exception { stripe.v1().payouts().list(); }
        }
        """), [("pending", "@bean:StripeClient", "v1().payouts().list", 10, False, None)]),
    ("field-of-a-component", java("""
        @Service
        class Jobs {
          private StripeClient stripe;
          void run() throws Exception { stripe.customers().list(); }
        }
        """), [("pending", "@bean:StripeClient", "customers().list", 11, False, None)]),
    ("field-a-method-assigns", java("""
        @Service
        class Jobs {
          @Value("${stripe.key}") private String key;
          private StripeClient stripe;
          @PostConstruct void init() { stripe = new StripeClient(key); }
          void run() throws Exception { stripe.customers().list(); }
        }
        """), []),
    # A plain method's argument is its caller's client: perhaps one built for an account.
    ("method-parameter-of-a-component", java("""
        @Service
        class Sync {
          void run(StripeClient client) throws Exception { client.customers().list(); }
        }
        """), []),
    ("constructor-of-a-plain-class", java("""
        class Sync {
          private final StripeClient client;
          Sync(StripeClient client) { this.client = client; }
          void run() throws Exception { client.customers().list(); }
        }
        """), []),
    # The call's own options say whose account it is: nothing waits.
    ("per-request-account", java("""
        @Service
        class Sync {
          private final StripeClient stripe;
          Sync(StripeClient stripe) { this.stripe = stripe; }
          void run(String acct) throws Exception {
            stripe.customers().list(null, RequestOptions.builder().setStripeAccount(acct).build());
          }
        }
        """), []),
]


@pytest.mark.parametrize("source, expected", [pytest.param(s, e, id=i) for i, s, e in WAITING])
def test_calls_on_an_injected_client_wait_for_the_bean(source, expected):
    assert simplify(parse("Sync.java", source), {"pending"}) == expected


def linked(files: dict[str, str], path: str) -> list[tuple]:
    found = {f.path: f for f in link_app([parse(p, text) for p, text in files.items()])}
    return [(c.position.line, c.accessor, c.account) for c in found[path].calls]


def test_an_injected_client_acts_for_the_account_of_the_app_bean():
    assert linked({"config/StripeConfig.java": PLATFORM_BEAN, "billing/Billing.java": BILLING}, "billing/Billing.java") == [
        (19, "v1().invoices().pay", "platform"), (20, "v1().customers().list", "platform")]
    assert linked({"config/StripeConfig.java": ACCOUNT_BEAN, "billing/Billing.java": BILLING}, "billing/Billing.java") == [
        (19, "v1().invoices().pay", "installing"), (20, "v1().customers().list", "platform")]


def test_beans_that_disagree_or_none_leave_the_account_unknown():
    for files in ({"a/PlatformConfig.java": PLATFORM_BEAN, "b/AccountConfig.java": ACCOUNT_BEAN},
                  {"a/Config.java": bean("return new StripeClient(key);", "String key")},
                  {}):
        assert linked({**files, "billing/Billing.java": BILLING}, "billing/Billing.java") == [
            (19, "v1().invoices().pay", "unknown"), (20, "v1().customers().list", "platform")]


def test_a_client_the_file_builds_keeps_its_own_account():
    controller = java("""
        @Service
        class Advice {
          void advise(String oauthAccessToken) throws Exception {
            StripeClient merchant = new StripeClient(oauthAccessToken);
            merchant.v1().invoices().list();
          }
        }
        """)
    assert linked({"Config.java": PLATFORM_BEAN, "Advice.java": controller}, "Advice.java") == [
        (12, "v1().invoices().list", "installing")]


def test_an_object_fetched_through_the_injected_client_acts_for_the_same_account():
    sync = java("""
        @Service
        class Sync {
          private final StripeClient stripe;
          Sync(StripeClient stripe) { this.stripe = stripe; }
          void tag(String id) throws Exception {
            com.stripe.model.Customer customer = stripe.v1().customers().retrieve(id);
            customer.update(java.util.Map.of("metadata", java.util.Map.of("synced", "true")));
          }
        }
        """)
    assert simplify(parse("Sync.java", sync), {"pending"}) == [
        ("pending", "@bean:StripeClient", "v1().customers().retrieve", 13, False, None),
        ("pending", "@bean:StripeClient:model", "Customer.update", 14, False, None)]
    assert linked({"Config.java": ACCOUNT_BEAN, "Sync.java": sync}, "Sync.java") == [
        (13, "v1().customers().retrieve", "installing"), (14, "Customer.update", "installing")]
    assert linked({"Sync.java": sync}, "Sync.java") == [
        (13, "v1().customers().retrieve", "unknown"), (14, "Customer.update", "unknown")]
