"""Stripe API URLs read from backends in languages with no parser: endpoint, verb and account.
The cases in a registered backend language (PHP, C#, Java) now go through its parser, which
must read at least what the URL scan read from them."""

from __future__ import annotations

import pytest

from stripe_perm_lint.parse import parse_file


def requests_in(path: str, text: str):
    return [(r.verb, r.path, r.account, r.position.line) for r in parse_file(path, text).raw_requests]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("a.php", '<?php $r = wp_remote_get("https://api.stripe.com/v1/customers/$id");\n', [("GET", "/v1/customers/{}", "unknown", 1)]),
        ("a.php", "<?php $u = 'https://api.stripe.com/v1/customers/' . $id;\n", [("GET", "/v1/customers/{}", "unknown", 1)]),
        ("Sync.kt", 'val r = client.post("https://api.stripe.com/v1/refunds")\n', [("POST", "/v1/refunds", "unknown", 1)]),
        ("Main.kt", 'val url = "https://api.stripe.com/v1/invoices/$id"\nval req = Request.Builder().url(url).method("DELETE", null).build()\n',
         [("DELETE", "/v1/invoices/{}", "unknown", 1)]),
        ("Api.cs", 'var url = $"https://api.stripe.com/v1/payouts?limit={n}";\nclient.DefaultRequestHeaders.Add("Stripe-Account", acct);\n',
         [("GET", "/v1/payouts", "installing", 1)]),
        ("A.java", 'URL u = new URL("https://api.stripe.com/v1/products");\nHttpURLConnection conn = (HttpURLConnection) u.openConnection();\n'
                   'conn.setRequestProperty("Authorization", "Bearer " + accessToken);\n',
         [("GET", "/v1/products", "installing", 1)]),
        ("a.php", "<?php wp_remote_post('https://api.stripe.com/v1/oauth/token', $args);\n", [("POST", "/v1/oauth/token", "platform", 1)]),
        ("a.php", "<?php $ok = wp_remote_get('https://api.stripe.com/healthcheck');\n", []),
        ("a.php", "<?php // docs: https://stripe.com/docs/api/customers\n", []),
    ],
)
def test_urls_in_other_languages(path, text, expected) -> None:
    assert requests_in(path, text) == expected


def test_the_language_is_named_for_the_not_analysed_summary() -> None:
    assert parse_file("app/Main.kt", "fun main() {}\n").language == "Kotlin"
    assert parse_file("src/Main.scala", "object Main\n").language == "Scala"
