"""Raw requests through wrappers (docs/semantics.md §6), the language-neutral part.

A wrapper is a function that makes a raw request to a Stripe URL ending with one of its parameters
(`stripeRequest(cred, path, init)`). Each parser finds its wrappers (``RequestWrapperExport`` has
the shape) and the linker resolves imported ones; both turn a call into a ``RawRequest`` here.
"""

from __future__ import annotations

from stripe_perm_lint.facts import Position, RawRequest, RequestWrapperExport

# A path argument: a literal (or template with a literal prefix) that names a Stripe API path.
_PATH_STARTS = ("/v1/", "/v2/", "v1/", "v2/")


def wrapper_request(wrapper: RequestWrapperExport, args: tuple[str | None, ...],
                    arg_methods: tuple[str | None, ...], position: Position,
                    account: str | None = None) -> RawRequest | None:
    """The request a call of ``wrapper`` makes, or None when its path argument is not a literal
    path (a variable: the call is another wrapper's business, or unknowable)."""
    if wrapper.path_param >= len(args):
        return None
    arg = args[wrapper.path_param]
    if arg is None or not arg or arg.startswith("{"):
        return None
    prefix = wrapper.prefix.rstrip("/")
    path = f"{prefix}/{arg.lstrip('/')}" if prefix else arg
    if not path.startswith("/"):
        path = "/" + path
    if not path.startswith(_PATH_STARTS) and not (prefix and prefix in ("/v1", "/v2")):
        return None
    verb = wrapper.default_verb
    if wrapper.method_param is not None and wrapper.method_param < len(args):
        given = args[wrapper.method_param]
        verb = given.upper() if given and "{" not in given else "?"
    elif wrapper.init_param is not None and wrapper.init_param < len(arg_methods):
        given = arg_methods[wrapper.init_param]
        if given is not None:
            verb = given.upper() if "{" not in given else "?"
    if wrapper.account != "unknown" or account is None:
        account = wrapper.account
    return RawRequest(verb, path.split("?", 1)[0], position, account)
