"""The facts one TypeScript file yields, collected as the topics find them, and how they become one
``FileFacts``.

``FactLists`` is a plain accumulator: the per-topic readers (``calls``, ``events``, ``exports``,
``user_context``) each append to its lists, so none of them needs to know about the others.
It also places facts (``pos``: 1-based line and character column of a node).
"""

from __future__ import annotations

from stripe_perm_lint.facts import (
    AccountArgument,
    BaseUrlExport,
    PendingBaseUrlRequest,
    PendingRequest,
    RequestWrapperExport,
    ApiCall,
    ClientExport,
    ConstantExport,
    EventUse,
    FileFacts,
    ImportBinding,
    ParseProblem,
    PendingCall,
    PendingEvents,
    PermissionReference,
    RawRequest,
    RemovedApiUse,
    SdkFunctionUse,
    Unresolved,
    UntracedClient,
    WebhookEndpoint,
)
from stripe_perm_lint.parse.typescript.declarations import Declarations
from stripe_perm_lint.parse.typescript.syntax import Positions
from stripe_perm_lint.parse.typescript.values import is_app_module


class FactLists:
    """The facts found so far in one file."""

    def __init__(self, positions: Positions) -> None:
        self.pos = positions.of
        self.calls: list[ApiCall] = []
        self.raw: list[RawRequest] = []
        self.events: list[EventUse] = []
        self.sdk: list[SdkFunctionUse] = []
        self.perms: list[PermissionReference] = []
        self.removed: list[RemovedApiUse] = []
        self.unresolved: list[Unresolved] = []
        self.client_exports: list[ClientExport] = []
        self.constant_exports: list[ConstantExport] = []
        self.pending: list[PendingCall] = []
        self.pending_events: list[PendingEvents] = []
        self.pending_requests: list[PendingRequest] = []
        self.wrapper_exports: list[RequestWrapperExport] = []
        self.problems: list[ParseProblem] = []
        self.endpoints: list[WebhookEndpoint] = []
        self.untraced: list[UntracedClient] = []
        self.account_arguments: list[AccountArgument] = []
        self.base_url_exports: list[BaseUrlExport] = []
        self.pending_base_urls: list[PendingBaseUrlRequest] = []
        self.event_source_exports: list[str] = []
        self.reexports: list[ImportBinding] = []  # `export {a as b} from './x'`, `export * from './x'`

    def facts(self, path: str, decls: Declarations) -> FileFacts:
        """The file's facts, with its imports of app modules taken from its declarations."""
        imports = []
        for b in decls.bindings:
            if b.kind == "import" and b.module is not None and is_app_module(b.module):
                imports.append(ImportBinding(b.name, b.module, b.imported or "default"))
        return FileFacts(
            path=path,
            language="typescript",
            calls=_sorted(self.calls),
            raw_requests=_sorted(self.raw),
            events=_sorted(self.events),
            sdk_functions=_sorted(self.sdk),
            permission_references=_sorted(self.perms),
            removed_apis=_sorted(self.removed),
            unresolved=_sorted(self.unresolved),
            imports=tuple(dict.fromkeys(imports + self.reexports)),
            client_exports=tuple(dict.fromkeys(self.client_exports)),
            constant_exports=tuple(dict.fromkeys(self.constant_exports)),
            pending_calls=_sorted(self.pending),
            pending_events=_sorted(self.pending_events),
            request_wrapper_exports=tuple(dict.fromkeys(self.wrapper_exports)),
            pending_requests=_sorted(self.pending_requests),
            webhook_endpoints=_sorted(self.endpoints),
            untraced_clients=_sorted(self.untraced),
            account_arguments=tuple(sorted(set(self.account_arguments), key=repr)),
            base_url_exports=tuple(dict.fromkeys(self.base_url_exports)),
            pending_base_url_requests=_sorted(self.pending_base_urls),
            event_source_exports=tuple(sorted(set(self.event_source_exports))),
            problems=tuple(sorted(self.problems, key=lambda p: p.position)),
        )


def _sorted(items: list) -> tuple:
    """Dedupe (a table indexed twice names its keys once) and sort by position, then by content."""
    return tuple(sorted(dict.fromkeys(items), key=lambda f: (f.position, repr(f))))
