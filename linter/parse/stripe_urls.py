"""Stripe API URLs in files of a language the linter has no parser for (PHP, Ruby, Go, Java, C#...).

Such a backend's SDK calls are not seen (a parser per language is a later step), but a request
written against the REST API names its endpoint in a string, whatever the language:
`"https://api.stripe.com/v1/customers/" . $id`. Each such URL becomes a ``RawRequest`` at its
position, so the permission it needs is counted rather than reported as unused. This is a scan
of string text, not a parse: the verb and the account are read from the URL's neighbourhood.
"""

from __future__ import annotations

import re

from stripe_perm_lint.facts import FileFacts, Position, RawRequest
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT

# The API's versioned paths only: `https://api.stripe.com/healthcheck` is not an endpoint.
_URL = re.compile(r"https://api\.stripe\.com(?::443)?(?P<path>/v[12]/[^\s'\"`<>()\[\],;]*)")
# An interpolated or concatenated part of a path: `{$id}`, `#{id}`, `%s`, `${id}`, `{id}`.
_DYNAMIC = re.compile(r"[{$#%]")
# How the surrounding code names the HTTP method, across languages: `'method' => 'POST'`,
# `Net::HTTP::Post`, `http.MethodPost`, `HttpMethod.Delete`, `CURLOPT_POST`, `wp_remote_post`,
# `requests.post(`, `method: :post`.
# A method named outright (`'method' => 'POST'`, `"DELETE"`) wins over one implied by the
# function called (`wp_remote_get($url, ['method' => 'POST'])` posts).
_EXPLICIT_VERB = re.compile(r"\b(POST|GET|DELETE|PUT|PATCH)\b")
_IMPLIED_VERB = re.compile(
    r"(?:HTTP::|Http::|http\.Method|HttpMethod\.|Method\.)(Post|Get|Delete|Put|Patch)\b"
    r"|\bCURLOPT_(POST)\b"
    r"|\b(?:wp_remote_|\.)(post|get|delete|put|patch)\s*\("
    r"|:(post|get|delete|put|patch)\b"
)
# `$base = 'https://api.stripe.com/v1/'; ... $base . 'customers'`: the first literal joined to a
# bare version prefix names the resource.
_JOINED_LITERAL = re.compile(r"""[.+]\s*['"]([A-Za-z0-9_/]+)['"]""")
_ACCOUNT_HEADER = re.compile(r"stripe[-_]account", re.IGNORECASE)
# Connect OAuth (`/v1/oauth/token`, `/v1/oauth/deauthorize`) is always called with the platform's
# own secret key: it is how the per-account token is obtained in the first place.
OAUTH_ENDPOINTS = ("/v1/oauth/",)


def request_account(path: str, account: str) -> str:
    """Whose account a raw request to ``path`` acts on, whatever the code around it shows: the
    OAuth flow is the platform's own business (a refresh token sent as a Bearer still asks the
    platform for a token), so every parser settles it the same way, as the SDK's `oauth.token()`."""
    return "platform" if path.startswith(OAUTH_ENDPOINTS) else account
WINDOW_LINES = 6  # lines after the URL's own in which its request is usually made


def scan_stripe_urls(path: str, text: str, language: str) -> FileFacts:
    lines = text.splitlines()
    requests = []
    for number, line in enumerate(lines, start=1):
        for match in _URL.finditer(line):
            # What follows the URL: the rest of its line and the next few lines.
            after = "\n".join([line[match.end():], *lines[number : number + WINDOW_LINES]])
            before = line[: match.start()]
            endpoint = _path(match.group("path"))
            joined = _JOINED_LITERAL.search(after) if endpoint in ("/v1/", "/v2/") else None
            requests.append(
                RawRequest(
                    verb=_verb(before, after),
                    path=endpoint + joined.group(1).strip("/") if joined else endpoint,
                    position=Position(number, match.start() + 1),
                    account=request_account(endpoint, _account(before + "\n" + after)),
                )
            )
    return FileFacts(path=path, language=language, raw_requests=tuple(requests))


def _path(raw: str) -> str:
    """`/v1/customers/{$id}/sources?limit=3` -> `/v1/customers/{}/sources`; a path that ends in
    `/` is followed by a concatenated part (`"/v1/customers/" . $id`)."""
    raw = raw.split("?", 1)[0]
    segments = ["{}" if _DYNAMIC.search(s) else s for s in raw.split("/")]
    path = "/".join(segments)
    return path + "{}" if path.endswith("/") and path.count("/") > 2 else path  # `/v1/customers/` + id


# Shared with the PHP parser, which reads the URLs it builds the same way.
endpoint_path = _path
ACCOUNT_HEADER = _ACCOUNT_HEADER


def _verb(before: str, after: str) -> str:
    """The method the code after the URL names outright, else the one the call around it implies
    (`wp_remote_post('https://…'`); GET when none is named (a URL used as is is read far more
    often than written to, and GET needs the narrower permission)."""
    match = _EXPLICIT_VERB.search(after) or _IMPLIED_VERB.search(before + "\n" + after)
    if match is None:
        return "GET"
    return next(group for group in match.groups() if group).upper()


def _account(window: str) -> str:  # the text around the URL, not the URL (`/v1/oauth/token`)
    """Installing with a `Stripe-Account` header or an OAuth token nearby; otherwise unknown,
    settled like any client of unknown origin (docs/semantics.md §6)."""
    return "installing" if _ACCOUNT_HEADER.search(window) or OAUTH_KEY_TEXT.search(window) else "unknown"
