"""Raw requests through wrappers (docs/semantics.md §6), the language-neutral part.

A wrapper is a function that makes a raw request to a Stripe URL ending with one of its parameters
(`stripeRequest(cred, path, init)`). Each parser finds its wrappers (``RequestWrapperExport`` has
the shape) and the linker resolves imported ones; both turn a call into a ``RawRequest`` here.
"""

from __future__ import annotations

from stripe_perm_lint.facts import ImportBinding, PendingRequest, Position, RawRequest, RequestWrapperExport
from stripe_perm_lint.parse.stripe_urls import request_account

# A path argument: a literal (or template with a literal prefix) that names a Stripe API path.
_PATH_STARTS = ("/v1/", "/v2/", "v1/", "v2/")


def wrapper_request(wrapper: RequestWrapperExport, args: tuple[str | None, ...],
                    arg_methods: tuple[str | None, ...], position: Position,
                    account: str | None = None,
                    keywords: tuple[tuple[str, str | None], ...] = ()) -> RawRequest | None:
    """The request a call of ``wrapper`` makes, or None when its path argument is not a literal
    path (a variable: the call is another wrapper's business, or unknowable)."""
    given: dict[int, str | None] = dict(enumerate(args))
    for name, value in keywords:
        if name in wrapper.param_names:
            given[wrapper.param_names.index(name)] = value
    arg = given.get(wrapper.path_param)
    if arg is None or not arg or arg.startswith("{"):
        return None
    prefix = wrapper.prefix.rstrip("/")
    path = f"{prefix}/{arg.lstrip('/')}" if prefix else arg
    if not path.startswith("/"):
        path = "/" + path
    if not path.startswith(_PATH_STARTS):
        return None
    verb = wrapper.default_verb
    if wrapper.method_param is not None and wrapper.method_param in given:
        value = given[wrapper.method_param]
        verb = value.upper() if value and "{" not in value else "?"
    elif wrapper.init_param is not None and wrapper.init_param < len(arg_methods):
        value = arg_methods[wrapper.init_param]
        if value is not None:
            verb = value.upper() if "{" not in value else "?"
    if wrapper.account != "unknown" or account is None:
        account = wrapper.account
    path = path.split("?", 1)[0]
    return RawRequest(verb, path, position, request_account(path, account))


def wrapper_name(binding: ImportBinding, pending: PendingRequest) -> str | None:
    """The name a pending call's wrapper is exported under: the namespace import's member, the
    import's name, or the imported name's member (`api.get(...)` of `api: StripeAPI`)."""
    if binding.name == "*":
        return pending.member or None
    return f"{binding.name}.{pending.member}" if pending.member else binding.name


def looks_like_path(value: str | None) -> bool:
    """An argument that may be a Stripe API path: `/v1/invoices`, `/customers/{}`."""
    if not value:
        return False
    return (value.startswith("/") and not value.startswith(("//", "/{")) and len(value) > 1) or value.startswith(("v1/", "v2/"))
