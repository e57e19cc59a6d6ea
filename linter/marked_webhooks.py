"""Webhook endpoints the config marks as serving the developer's own account
(``own-account-webhooks``, docs/semantics.md §10).

An entry names endpoints by what the user knows of them:

- a route path, ``/api/webhooks/billing``: an inline route handler registered with that path
  (``app.post('/api/webhooks/billing', ...)``) or a file-based route (Next.js
  ``app/api/webhooks/billing/route.ts``, ``pages/api/webhooks/billing.ts``);
- a source file or folder, ``backend/billing.py``: every endpoint in it;
- an endpoint id, ``backend/app.py:billing_webhook`` (``path:function``, as findings show it);
- a handler name, ``billing_webhook`` or ``BillingWebhook.post``.

A marked endpoint's events need no manifest permission, and neither do those of the handlers
it hands the event to (matched by a name unique in the app, as for other evidence). File parts
are relative to the app by now (``stripe_perm_lint.settings``).
"""

from __future__ import annotations

from stripe_perm_lint.app import App
from stripe_perm_lint.discover import language_of

_ROUTE_FILES = ("/route", "/index")


def marked_endpoints(app: App) -> dict[str, str]:
    """Endpoint id -> evidence text, for every endpoint the config marks (and its handlers)."""
    entries = app.options.own_account_webhooks
    if not entries:
        return {}
    endpoints = {e.endpoint for _, e in app.events() if e.kind == "handled" and e.endpoint}
    hands: dict[str, set[str]] = {}
    for _, found in app.webhook_endpoints():
        endpoints.add(found.endpoint)
        hands.setdefault(found.endpoint, set()).update(found.hands_to)
    by_name: dict[str, list[str]] = {}
    for endpoint in endpoints:
        by_name.setdefault(endpoint_function(endpoint), []).append(endpoint)
    where = app.options.config_file.name if app.options.config_file else "the config"
    out: dict[str, str] = {}
    todo = sorted(e for e in endpoints if any(matches(e, entry) for entry in entries))
    for endpoint in todo:
        out[endpoint] = f"its handler `{endpoint}` is marked in config by `own-account-webhooks` in {where}"
    while todo:
        caller = todo.pop()
        for name in sorted(hands.get(caller, ())):
            callees = by_name.get(name, [])
            if len(callees) == 1 and callees[0] not in out:
                out[callees[0]] = (f"the endpoint that hands it the event, `{caller}`, is marked in config "
                                   f"by `own-account-webhooks` in {where}")
                todo.append(callees[0])
    return out


def matches(endpoint: str, entry: str) -> bool:
    file, _, name = endpoint.partition(":")
    if entry.startswith("/"):
        route = entry.rstrip("/")
        stem = file.rsplit(".", 1)[0]
        for suffix in _ROUTE_FILES:
            stem = stem.removesuffix(suffix)
        file_based = file.rpartition("/")[2].startswith("route.") or "/pages/" in "/" + file or "/app/" in "/" + file
        return name.endswith((" " + entry, " " + route)) or (file_based and ("/" + stem).endswith(route))
    if ":" in entry:
        return endpoint == entry or endpoint.startswith(entry + ".")
    if "/" in entry or language_of(entry) != "unknown":
        folder = entry.rstrip("/")
        return file == folder or file.startswith(folder + "/")
    return name == entry or endpoint_function(endpoint) == entry


def endpoint_function(endpoint: str) -> str:
    """`handle` of `a.py:Webhooks.handle` or `a.ts:handle@12`: the name other code calls it by."""
    return endpoint.rpartition(":")[2].partition("@")[0].rpartition(".")[2]
