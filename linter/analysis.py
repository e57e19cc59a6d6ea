"""Turn an app's facts into permission needs and the gaps met on the way.

This is the one place that asks the catalog what a fact requires. Rules read the result through
the rule context (``stripe_perm_lint.context``): ``missing-permission`` compares needs with the
manifest, ``unresolved-call`` lists what could not be resolved, and so on. Each kind of gap is
reported by exactly one rule, which names it in its ``gap_kinds`` (a meta-test checks that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stripe_perm_lint.app import App
from stripe_perm_lint.gaps import RAW_REQUEST, GapKind
from stripe_perm_lint.facts import (
    EVIDENCE_BILLING_PLUGIN,
    EVIDENCE_CALLS_INSTALLING,
    EVIDENCE_READS_ACCOUNT,
    EVIDENCE_RECEIVES,
    EVIDENCE_SECRET,
    ApiCall,
    ExpandPath,
    Position,
    RawRequest,
)
from stripe_perm_lint.finding import Location
from stripe_perm_lint.marked_webhooks import endpoint_function as _function_name
from stripe_perm_lint.marked_webhooks import marked_endpoints


@dataclass(frozen=True)
class Need:
    """Something in the code that needs one permission of ``any_of``."""

    location: Location
    subject: str  # "`stripe.customers.list()`", "event `invoice.paid`", "expand `customer`"
    any_of: tuple[str, ...]
    canonical: str | None  # what the JSON report's `required` lists for this need
    access: str  # "read" | "write"
    counts: bool = True  # False for platform-account calls: shown, but the manifest need not cover them
    note: str | None = None  # e.g. "secret_write also covers it"
    inferred: bool = False  # from a call recognised by its shape alone (docs/semantics.md §11)


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    location: Location
    subject: str
    detail: str = ""
    permission: str | None = None


@dataclass(frozen=True)
class Analysis:
    needs: tuple[Need, ...]
    gaps: tuple[Gap, ...]

    def gaps_of(self, *kinds: GapKind) -> list[Gap]:
        return [g for g in self.gaps if g.kind in kinds]

    @property
    def counted_needs(self) -> list[Need]:
        return [n for n in self.needs if n.counts]


# How a call is shown in messages. The variable name is not kept in the facts (clients are
# recognised by how they were made), so the SDK's conventional names stand in for it.
_PREFIX = {"node": "stripe.", "python_client": "client.", "python_legacy": "stripe.", "python_instance": ""}
LIST_KINDS = ("list", "search")
API_PATHS = ("/v1/", "/v2/")


def call_display(call: ApiCall) -> str:
    if call.style == "python_instance":
        cls, _, method = call.accessor.rpartition(".")
        return f"`{method}()` on a `{cls}` object"
    if call.style not in _PREFIX:  # a backend language: its SDK table says how calls are written
        from stripe_perm_lint.catalog import load_catalog

        table = load_catalog().language_table(call.style)
        return f"`{table['display'][call.style].format(call.accessor) if table else call.accessor}`"
    return f"`{_PREFIX.get(call.style, '')}{call.accessor}()`"


def analyse(app: App, catalog) -> Analysis:
    """Every need and gap of ``app``, sorted by place. The rule context computes it once per app."""
    c = _Collector(app, catalog)
    # Endpoints the config marks win over what the code shows (docs/semantics.md §10).
    c.own_endpoints = {} if c.count_platform else {**own_account_endpoints(app), **marked_endpoints(app)}
    for path, call in app.calls():
        c.api_call(path, call)
    for path, raw in app.raw_requests():
        c.raw_request(path, raw)
    for path, event in app.events():
        c.event(path, event)
    for path, use in app.sdk_functions():
        permission = catalog.ui_function_permission(use.name)
        if permission:
            c.need(path, use.position, f"`{use.name}()`", (permission,), permission, "read", True)
    for path, ref in app.permission_references():
        c.permission_reference(path, ref)
    for path, item in app.unresolved():
        c.gap(GapKind.UNRESOLVED, path, item.position, "Stripe use", item.what)
    key = lambda item: (item.location, item.subject)  # noqa: E731
    return Analysis(tuple(sorted(set(c.needs), key=key)), tuple(sorted(set(c.gaps), key=key)))


class _Collector:
    def __init__(self, app: App, catalog) -> None:
        self.catalog = catalog
        self.count_platform = app.options.platform_calls == "count"
        self.needs: list[Need] = []
        self.gaps: list[Gap] = []
        self.own_endpoints: dict[str, str] = {}

    def loc(self, path: str, position: Position) -> Location:
        return Location(path, position.line, position.column)

    def need(self, path, position, subject, any_of, canonical, access, counts, note=None, inferred=False) -> None:
        self.needs.append(Need(self.loc(path, position), subject, tuple(any_of), canonical, access, counts, note, inferred))

    def gap(self, kind: GapKind, path, position, subject, detail="", permission=None) -> None:
        self.gaps.append(Gap(kind, self.loc(path, position), subject, detail, permission))

    def api_call(self, path: str, call: ApiCall) -> None:
        subject = call_display(call)
        if "?" in call.accessor.split("."):
            computed = "method" if call.accessor.split(".")[-1] == "?" else "resource"
            self.gap(GapKind.UNRESOLVED, path, call.position, subject, f"its {computed} name is computed at run time")
            return
        if self.catalog.is_sdk_helper(call.style, call.accessor):
            return
        op = self.catalog.operation_for_call(call.style, call.accessor)
        if op is None:
            self.gap(GapKind.UNRESOLVED, path, call.position, subject, "the catalog knows no Stripe API method by that name")
            return
        self.operation(path, call, op, subject)

    def raw_request(self, path: str, raw: RawRequest) -> None:
        subject = f"`{raw.verb} {raw.path}`"
        if raw.path.startswith("/") and not raw.path.startswith(API_PATHS) and "{}" not in raw.path and raw.path != "/":
            return  # `/healthcheck` and the like: a Stripe URL, but no API endpoint and no permission
        if raw.verb == "?":
            self.gap(GapKind.UNRESOLVED, path, raw.position, subject, "its HTTP method is computed at run time")
            return
        op = self.catalog.operation_for_http(raw.verb, raw.path)
        if op is None:
            self.gap(GapKind.UNRESOLVED, path, raw.position, subject, "the catalog knows no Stripe endpoint at that path")
            return
        self.operation(path, raw, op, subject)

    def operation(self, path: str, use: ApiCall | RawRequest, op, subject: str) -> None:
        counts = use.account == "installing" or self.count_platform
        req = op.requirement
        if not counts:  # shown at info level, whatever it would need: nothing is silent
            kind_of_use = RAW_REQUEST if isinstance(use, RawRequest) else ""
            self.gap(GapKind.PLATFORM_CALL, path, use.position, subject, kind_of_use, permission=req.canonical)
        if req.no_permission_reason:
            if counts:
                self.gap(GapKind.NO_PERMISSION, path, use.position, subject, req.no_permission_reason)
        else:
            inferred = isinstance(use, ApiCall) and use.inferred
            self.need(path, use.position, subject, req.any_of, req.canonical, req.access, counts, req.note, inferred)
        self.expand(path, use, op, counts)

    def expand(self, path: str, use: ApiCall | RawRequest, op, counts: bool) -> None:
        if use.expand_dynamic:
            self.gap(GapKind.UNRESOLVED, path, use.position, "an `expand` list", "it is built at run time")
        for item in use.expand:
            self.expand_path(path, item, op, counts)

    def expand_path(self, path: str, item: ExpandPath, op, counts: bool) -> None:
        subject = f"expand `{item.path}`"
        target = item.path
        if op.return_kind in LIST_KINDS:
            if not target.startswith("data."):
                self.gap(GapKind.INVALID_EXPAND, path, item.position, subject,
                         f"`{op.id}` returns a list, so expand paths start with `data.` (`data.{target}`)")
                return
            target = target[len("data."):]
        if not op.object:
            self.gap(GapKind.UNRESOLVED, path, item.position, subject, f"the object `{op.id}` returns is not known")
            return
        resolution = self.catalog.resolve_expand(op.object, target)
        if resolution.error:
            self.gap(GapKind.INVALID_EXPAND, path, item.position, subject, resolution.error)
            return
        for object_type, req in resolution.steps:
            if req.no_permission_reason or not req.any_of:
                continue
            self.need(path, item.position, f"{subject} (a `{object_type}`)", req.any_of, req.canonical,
                      "read", counts, req.note)

    def event(self, path: str, event) -> None:
        catalog = self.catalog
        family = event.name.endswith(".*")
        subject = f"events `{event.name}`" if family else f"event `{event.name}`"
        own = self.own_endpoints.get(event.endpoint) if event.kind == "handled" and event.endpoint else None
        counts = own is None
        self.need(path, event.position, subject, (catalog.event_permission,), catalog.event_permission, "read", counts)
        if event.name == "*":
            self.gap(GapKind.WILDCARD_EVENT, path, event.position, "`enabled_events: ['*']`")
            return
        if family:  # `event.type.startsWith('customer.subscription.')`: every event of the family
            prefix = event.name[:-1]
            infos = [e for e in catalog.events if e.name.startswith(prefix)]
        else:
            infos = [info for info in (catalog.event(event.name),) if info is not None]
        if not infos:
            self.gap(GapKind.UNKNOWN_EVENT, path, event.position, subject, event.name)
            return
        rows = {(self.with_writes(info.any_of), info.recommended) for info in infos if info.any_of}
        ordered = sorted(rows, key=lambda r: (r[1] or "", r[0]))
        if own is not None:  # shown at info level with its evidence, never dropped
            self.gap(GapKind.OWN_ACCOUNT_EVENT, path, event.position, subject, own,
                     ordered[0][1] if ordered else catalog.event_permission)
        for any_of, recommended in ordered:
            self.need(path, event.position, subject, any_of, recommended, "read", counts)

    def with_writes(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """An event row lists read names; a declared `X_write` meets a read of X (docs/semantics.md §1),
        for events as for calls."""
        out = set(names)
        for name in names:
            info = self.catalog.permission(name)
            if info is not None and info.access == "read" and info.counterpart:
                out.add(info.counterpart)
        return tuple(sorted(out))

    def permission_reference(self, path: str, ref) -> None:
        subject = f"the permission check for `{ref.permission}`"
        if ref.permission in self.catalog.permission_names:
            # The SDK throws unless this exact name is declared, so nothing implied can stand in.
            self.need(path, ref.position, subject, (ref.permission,), ref.permission, "read", True)
        else:
            self.gap(GapKind.UNKNOWN_PERMISSION_REFERENCE, path, ref.position, subject, permission=ref.permission)


# --- whose events (docs/semantics.md §10) ---------------------------------------------------------

_BILLING_SECRET = re.compile(r"(?:^|_)BILLING(?:_|$)")


def own_account_endpoints(app: App) -> dict[str, str]:
    """The webhook endpoints and handlers whose events arrive on the developer's own account,
    each with the evidence, worded for the finding. Only positive evidence moves an endpoint:
    one that reads `event.account` (or hands the event to a handler reached from one that does)
    always serves the app, and one with no evidence either way counts too."""
    evidence: dict[str, dict[str, str]] = {}  # endpoint -> evidence -> the endpoint that shows it
    hands: dict[str, set[str]] = {}
    for _, event in app.events():
        if event.kind == "handled" and event.endpoint:
            evidence.setdefault(event.endpoint, {}).update({e: event.endpoint for e in event.evidence})
    for _, found in app.webhook_endpoints():
        evidence.setdefault(found.endpoint, {}).update({e: found.endpoint for e in found.evidence})
        hands.setdefault(found.endpoint, set()).update(found.hands_to)
    direct = {endpoint: set(found) for endpoint, found in evidence.items()}
    by_name: dict[str, list[str]] = {}
    for endpoint in evidence:
        by_name.setdefault(_function_name(endpoint), []).append(endpoint)
    changed = True
    while changed:  # a handler shares the evidence of every endpoint that hands it the event...
        changed = False
        for caller, names in hands.items():
            for name in names:
                callees = by_name.get(name, [])
                if len(callees) != 1 or callees[0] == caller:
                    continue  # unknown, or ambiguous: no evidence travels
                target = evidence[callees[0]]
                for item, source in evidence[caller].items():
                    if item not in target:
                        target[item] = source
                        changed = True
                # ...and a helper that reads `event.account` makes its callers' events the app's
                if EVIDENCE_READS_ACCOUNT in target and EVIDENCE_READS_ACCOUNT not in evidence[caller]:
                    evidence[caller][EVIDENCE_READS_ACCOUNT] = target[EVIDENCE_READS_ACCOUNT]
                    changed = True
    # Endpoints that receive events and read their account: an endpoint that never does, beside
    # one, serves another account. A helper that reads it (reached through a queue) is no endpoint.
    readers = sorted(e for e, found in evidence.items() if EVIDENCE_READS_ACCOUNT in found and EVIDENCE_RECEIVES in found)
    secrets = {e: {item[len(EVIDENCE_SECRET) + 1:-1] for item in found if item.startswith(EVIDENCE_SECRET)}
               for e, found in direct.items()}
    out = {}
    for endpoint, found in evidence.items():
        if EVIDENCE_READS_ACCOUNT in found or EVIDENCE_CALLS_INSTALLING in found:
            continue
        own_secrets = {item[len(EVIDENCE_SECRET) + 1:-1]: source for item, source in found.items()
                       if item.startswith(EVIDENCE_SECRET)}
        if any({_same(n) for n in own_secrets} & {_same(n) for n in secrets[e]} for e in readers):
            continue  # verified with the secret of an endpoint that reads `event.account`: the same events
        reasons = []
        if EVIDENCE_BILLING_PLUGIN in found:
            reasons.append((found[EVIDENCE_BILLING_PLUGIN], f"is {EVIDENCE_BILLING_PLUGIN}"))
        if own_secrets and all(_BILLING_SECRET.search(name) for name in own_secrets):
            other = next(((e, name) for e in sorted(secrets) for name in sorted(secrets[e])
                          if name not in own_secrets and not _BILLING_SECRET.search(name)), None)
            if other is not None:
                name = sorted(own_secrets)[0]
                reasons.append((own_secrets[name], f"is verified with `{name}`, not the `{other[1]}` of `{other[0]}`,"))
        others = [e for e in readers if e != endpoint]
        if EVIDENCE_RECEIVES in found and others:
            reasons.append((found[EVIDENCE_RECEIVES], f"never reads `event.account`, which `{others[0]}` does"))
        if reasons:
            out[endpoint] = _evidence_text(endpoint, reasons)
    return out


def _same(secret: str) -> str:
    """`STRIPE_WEBHOOK_SECRET` and `WEBHOOK_SECRET` name the same secret."""
    return secret.removeprefix("STRIPE_")


def _evidence_text(endpoint: str, reasons: list[tuple[str, str]]) -> str:
    """`its handler `a.ts:f` is ... and ...`; evidence shown by the endpoint that hands the
    event on is said of that endpoint."""
    parts = []
    for source in dict.fromkeys(source for source, _ in reasons):
        what = " and ".join(phrase for s, phrase in reasons if s == source).rstrip(",")
        who = f"its handler `{source}`" if source == endpoint else f"the endpoint that hands it the event, `{source}`,"
        parts.append(f"{who} {what}")
    return "; ".join(parts)
