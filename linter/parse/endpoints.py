"""Whose webhook endpoint handles an event: the evidence both parsers attach to handled events
(docs/semantics.md §10).

A parser cuts its file into regions, one per outermost function (a route handler, a view, a
callback such as better-auth's ``onEvent``), and hands them here with the facts it found. Each
handled ``EventUse`` inside a region gets the region's id (``path:name``) and what the region's
code shows: whether it reads ``event.account`` or calls the installing account (the app's
events), which webhook secrets it names, whether it receives the event from the request itself,
and the functions it hands the event to. Whose events they are is decided later, for the whole
app, by ``stripe_perm_lint.analysis``. Only text and patterns live here: nothing from libcst or
tree-sitter.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from stripe_perm_lint.parse.vocabulary import EVENT_NAME
from stripe_perm_lint.facts import (
    EVIDENCE_BILLING_PLUGIN,
    EVIDENCE_CALLS_INSTALLING,
    EVIDENCE_READS_ACCOUNT,
    EVIDENCE_RECEIVES,
    EVIDENCE_SECRET,
    ApiCall,
    EventUse,
    PendingCall,
    PendingEvents,
    Position,
    WebhookEndpoint,
)

# A variable holding an event (`event`, `evt`, `stripeEvent`, `stripe_event`) read for its account:
# `event.account`, `event?.account`, `event["account"]`, `event[:account]` (Ruby), `event.get("account")`, `$event->account`,
# `event.getAccount()` (Java), `event.Account` (Go), `stripeEvent.Account` (C#).
_EVENT_VAR = r"\b[A-Za-z_]*(?:[eE]vent|[eE]vt|EVENT)[A-Za-z0-9_]*"
READS_ACCOUNT = re.compile(
    r"\$?" + _EVENT_VAR + r"\s*(?:\??(?:\.|->)\s*account\b(?!\s*\()|(?:\?\.)?\[\s*(?:['\"]account['\"]|:account)\s*\]|\.get\(\s*['\"]account['\"])"
    r"|" + _EVENT_VAR + r"\s*\.\s*getAccount\s*\(\s*\)"  # Java: `event.getAccount()`
    r"|" + _EVENT_VAR + r"\.Account\b(?!\s*\()"  # Go and C#: `event.Account`
)
# A webhook signing secret named like an environment variable: `STRIPE_WEBHOOK_SECRET`,
# `STRIPE_BILLING_WEBHOOK_SECRET`, `BILLING_WEBHOOK_SIGNING_SECRET`.
WEBHOOK_SECRET = re.compile(r"\b[A-Z0-9_]*(?:WEBHOOK|WH)[A-Z0-9_]*SECRET[A-Z0-9_]*\b")
# Whose name says it serves the developer's own billing.
BILLING_SECRET = re.compile(r"(?:^|_)BILLING(?:_|$)")
# The event taken from the request in this very function: verified (C#'s `EventUtility.ConstructEvent`
# too), parsed from the body, or
# read from the context a verifying middleware set (Hono's `c.get('stripeEvent')`).
RECEIVES = re.compile(
    r"[cC]onstruct_?[eE]vent(?:Async)?\s*\(|EventUtility\.ParseEvent\s*\(|constructStripeEvent\s*\(|\.json\(\s*\)|get_json\s*\(|json\.loads\s*\("
    r"|\b(?:request|req)\.(?:body|data|raw_post)\b|\.text\(\s*\)|\.get\(\s*['\"][A-Za-z_]*[eE]vent['\"]\s*\)"
    # PHP: the raw body (`php://input`, WordPress `->get_body()`, Symfony/Laravel `->getContent()`)
    r"|php://input|->get_body\(\s*\)|->getContent\(\s*\)"
    # Go: `webhook.ConstructEvent(...)` (and its `WithOptions` / `WithTolerance` twins), the body read whole
    r"|\bConstructEvent\w*\s*\(|\b(?:r|req|request)\.Body\b|\bGetRawData\s*\("
)
# The event handed to another function: `handleBillingWebhookEvent(event)`, `await on_paid(evt, db)`.
HANDOFF = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(?:await\s+)?\$?" + _EVENT_VAR[2:] + r"\s*[,)]")
_NOT_HANDLERS = frozenset({"if", "while", "for", "switch", "return", "print", "log", "str", "repr", "String",
                           "JSON", "stringify", "dumps", "len", "has", "includes", "get", "push", "append"})


@dataclass(frozen=True)
class Region:
    """One outermost function of a file: ``name`` (its function, variable, route or key name),
    its span, its source text, and whether it is a billing plugin's callback. A billing plugin
    whose callback is defined elsewhere (``onEvent: hooks.onEvent``) is a region of its own that
    ``hands_to`` the function defining it."""

    name: str
    start: Position
    end: Position
    text: str
    billing_plugin: bool = False
    hands_to: tuple[str, ...] = ()

    def holds(self, position: Position) -> bool:
        return self.start <= position <= self.end


def compared_like_stripe(names: list[str]) -> bool:
    """Whether the types one function compares an unverified payload's ``type`` with say it is
    a Stripe event: every one is shaped like an event name (``message`` is not) and at least
    one is an event the catalog knows (``push.created`` alone is another service's)."""
    from stripe_perm_lint.catalog import load_catalog

    catalog = load_catalog()
    shaped = all(EVENT_NAME.match(name) or name.endswith(".*") for name in names)
    return shaped and any(catalog.event(name) is not None for name in names)


# Substrings every match of a pattern holds. Most regions hold none, and the patterns, which try
# a word at each offset, are then not run: a third of the TypeScript readers' time went there.
def _reads_account(text: str) -> bool:
    return "ccount" in text and READS_ACCOUNT.search(text) is not None


def _secrets(text: str) -> list[str]:
    return WEBHOOK_SECRET.findall(text) if "SECRET" in text else []


def _handoffs(text: str) -> list[str]:
    return HANDOFF.findall(text) if "vent" in text or "vt" in text or "EVENT" in text else []


def region_evidence(region: Region, calls: list[ApiCall], pending: list[PendingCall]) -> tuple[str, ...]:
    found = []
    if _reads_account(region.text):
        found.append(EVIDENCE_READS_ACCOUNT)
    installing = [c for c in calls if c.account == "installing" and region.holds(c.position)]
    installing += [p for p in pending if p.account == "installing" and region.holds(p.position)]
    if installing:
        found.append(EVIDENCE_CALLS_INSTALLING)
    if region.billing_plugin:
        found.append(EVIDENCE_BILLING_PLUGIN)
    if RECEIVES.search(region.text):
        found.append(EVIDENCE_RECEIVES)
    found += [f"{EVIDENCE_SECRET}`{name}`" for name in sorted(set(_secrets(region.text)))]
    return tuple(found)


def attach(
    path: str, regions: list[Region], events: list[EventUse], calls: list[ApiCall], pending: list[PendingCall],
    pending_events: list[PendingEvents] = (),
) -> tuple[list[EventUse], list[WebhookEndpoint], list[PendingEvents]]:
    """Handled events with their endpoint and evidence, and the endpoints worth knowing across
    files: those naming a webhook secret or reading the account, and those handing an event on
    (``handleBillingWebhookEvent(event)``), whose callee then shares their evidence. Events the
    linker will name (``SUPPORTED.has(event.type)`` with an imported set) get theirs too."""
    ids: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, region in enumerate(regions):
        seen[region.name] = seen.get(region.name, 0) + 1
        ids[i] = f"{path}:{region.name}" if seen[region.name] == 1 else f"{path}:{region.name}@{region.start.line}"
    evidence = {}

    def located(items: list) -> list:
        out = []
        for event in items:
            index = next((i for i, r in enumerate(regions) if event.kind == "handled" and r.holds(event.position)), None)
            if index is None:
                out.append(event)
                continue
            if index not in evidence:
                evidence[index] = region_evidence(regions[index], calls, pending)
            out.append(dataclasses.replace(event, endpoint=ids[index], evidence=evidence[index]))
        return out

    out_events, out_pending = located(events), located(list(pending_events))
    endpoints = []
    for i, region in enumerate(regions):
        found_handoffs = {n for n in _handoffs(region.text) if n not in _NOT_HANDLERS} | set(region.hands_to)
        hands_to = tuple(sorted(found_handoffs - {region.name}))
        if i not in evidence and not hands_to and not _secrets(region.text) and not _reads_account(region.text):
            continue
        found = evidence.get(i) or region_evidence(region, calls, pending)
        if hands_to or any(e.startswith(EVIDENCE_SECRET) or e == EVIDENCE_READS_ACCOUNT for e in found):
            endpoints.append(WebhookEndpoint(ids[i], region.start, found, hands_to))
    return out_events, endpoints, out_pending
