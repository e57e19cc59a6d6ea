"""PHP clients across files: a function a `require`d file defines, a static method of a class
another file declares (``parse.php.links`` and ``php_links``), parsed and linked as the CLI does."""

from __future__ import annotations

from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse.php import parse

PLATFORM_FUNCTION = """<?php
use Stripe\\StripeClient;
function stripe_client(): StripeClient {
    return new StripeClient(getenv('STRIPE_SECRET_KEY'));
}
"""
ACCOUNT_FACTORY = """<?php
namespace App\\Billing;
use Stripe\\StripeClient;
final class StripeFactory {
    public static function forAccount(string $id): StripeClient {
        return new StripeClient(['api_key' => getenv('STRIPE_SECRET_KEY'), 'stripe_account' => $id]);
    }
}
"""


def linked(files: dict[str, str], path: str) -> list[tuple]:
    found = {f.path: f for f in link_app([parse(p, text) for p, text in files.items()])}
    return [(c.position.line, c.style, c.accessor, c.account, c.inferred) for c in found[path].calls]


def test_functions_of_required_files_however_the_path_is_built():
    for require in ("__DIR__ . '/includes/stripe.php'", "dirname(__FILE__) . '/includes/stripe.php'",
                    "plugin_dir_path(__FILE__) . 'includes/stripe.php'", "(PLUGIN_DIR . 'includes/stripe.php')"):
        plugin = f"""<?php
define('PLUGIN_DIR', plugin_dir_path(__FILE__));
require_once {require};
function sync($id, $acct) {{
    stripe_client()->customers->retrieve($id);
    $client = stripe_client();
    $client->customers->update($id, [], ['stripe_account' => $acct]);
}}
"""
        found = linked({"plugin.php": plugin, "includes/stripe.php": PLATFORM_FUNCTION}, "plugin.php")
        assert found == [(5, "php_client", "customers->retrieve", "platform", False),
                         (7, "php_client", "customers->update", "installing", False)], require


def test_an_include_sees_the_functions_its_includer_requires():
    plugin = "<?php\nrequire_once __DIR__ . '/includes/stripe.php';\nrequire_once __DIR__ . '/includes/sync.php';\n"
    sync = "<?php\nfunction sync($id) {\n    $c = stripe_client();\n    $c->invoices->all(['customer' => $id]);\n}\n"
    found = linked({"plugin.php": plugin, "includes/stripe.php": PLATFORM_FUNCTION, "includes/sync.php": sync},
                   "includes/sync.php")
    assert found == [(4, "php_client", "invoices->all", "platform", False)]


def test_static_factories_of_another_files_class():
    route = """<?php
use App\\Billing\\StripeFactory;
function note($acct, $id) {
    $client = StripeFactory::forAccount($acct);
    $client->customers->update($id, ['metadata' => ['n' => '1']]);
    \\App\\Billing\\StripeFactory::forAccount($acct)->refunds->create(['charge' => 'ch_1']);
}
"""
    found = linked({"public/index.php": route, "src/Billing/StripeFactory.php": ACCOUNT_FACTORY}, "public/index.php")
    assert found == [(5, "php_client", "customers->update", "installing", False),
                     (6, "php_client", "refunds->create", "installing", False)]


def test_a_required_file_outside_the_app_links_nothing():
    plugin = """<?php
require_once __DIR__ . '/../shared/stripe.php';
function sync($id) {
    $c = stripe_client();
    $c->customers->retrieve($id);
}
"""
    facts = parse("plugin.php", plugin)
    assert facts.imports == ()
    # `shared/stripe.php` of the app is not the `../shared/stripe.php` above the app folder.
    assert linked({"plugin.php": plugin, "shared/stripe.php": PLATFORM_FUNCTION}, "plugin.php") == []


def test_a_class_two_files_declare_and_a_factory_returning_no_client_are_not_linked():
    route = """<?php
use App\\Billing\\StripeFactory;
use App\\Http\\ApiFactory;
function f($acct) {
    StripeFactory::forAccount($acct)->customers->retrieve('cus_1');
    ApiFactory::make()->customers->retrieve('cus_1');
}
"""
    api = "<?php\nnamespace App\\Http;\nfinal class ApiFactory { public static function make() { return new Client(); } }\n"
    files = {"src/route.php": route, "src/Billing/StripeFactory.php": ACCOUNT_FACTORY,
             "tests/Billing/StripeFactory.php": ACCOUNT_FACTORY, "src/Http/ApiFactory.php": api}
    # Not linked: the first stays the call its receiver's name alone allows (inferred, account unknown).
    assert linked(files, "src/route.php") == [(5, "php_client", "customers->retrieve", "unknown", True)]


def test_a_static_factory_called_from_its_own_class():
    factory = ACCOUNT_FACTORY.replace("}\n}\n", """}
    public static function balanceOf(string $id) {
        return self::forAccount($id)->balance->retrieve();
    }
}
""")
    assert linked({"src/Billing/StripeFactory.php": factory}, "src/Billing/StripeFactory.php") == [
        (9, "php_client", "balance->retrieve", "installing", False)]


def test_memoised_factories_are_followed():
    memo = """<?php
function wc_stripe() {
    static $stripe = null;
    if ($stripe === null) {
        $stripe = new \\Stripe\\StripeClient(get_option('wc_stripe_secret_key'));
    }
    return $stripe;
}
final class Clients {
    private static $client;
    public static function connected(string $token) {
        return self::$client ??= new \\Stripe\\StripeClient(['api_key' => $token['access_token']]);
    }
}
"""
    use = """<?php
require_once __DIR__ . '/stripe.php';
wc_stripe()->paymentIntents->create(['amount' => 100, 'currency' => 'usd']);
Clients::connected($row)->customers->all();
"""
    assert linked({"inc/stripe.php": memo, "inc/use.php": use}, "inc/use.php") == [
        (3, "php_client", "paymentIntents->create", "platform", False),
        (4, "php_client", "customers->all", "installing", False)]
