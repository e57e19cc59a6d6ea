"""The method table of Stripe.net (C#), generated from a checkout of stripe-dotnet.

    python -m stripe_perm_lint.catalog.build.lang_csharp --sdk PATH

PATH is an extracted checkout of https://github.com/stripe/stripe-dotnet (the folder holding
``src/Stripe.net``; ``--commit`` names its commit when it is not a git work tree). The sources
are read with tree-sitter, never executed or imported:

- every service class under ``src/Stripe.net/Services`` (``Stripe.CustomerService``,
  ``Stripe.Checkout.SessionService``, ``Stripe.V2.Core.AccountService``): each public method whose
  body calls ``this.Request…(BaseAddress.X, HttpMethod.Get, $"/v1/customers/{…}", …)`` or
  ``this.ListRequestAutoPaging…($"/v1/customers", …)`` (GET) is joined by verb and path onto the
  catalog's operations. Style ``dotnet``, accessor ``CustomerService.Get``, the namespace below
  ``Stripe`` kept where there is one (``Checkout.SessionService.Create``): three classes are
  called ``SessionService``;
- the ``StripeClient`` service tree (``client.V1.Customers.Get``): the properties of
  ``V1Services`` / ``V2Services`` and of each service they return. Style ``dotnet_client``,
  accessor ``V1.Customers.Get``;
- helpers, members that call no API: the static methods of ``EventUtility`` (webhook
  construction and signature checks) and public service methods that make no request
  (``OAuthTokenService.AuthorizeUrl``);
- ``constants``: the event-type constants (``EventTypes.ChargeSucceeded`` -> ``charge.succeeded``),
  also those of the class's older name ``Events`` (Stripe.net < 46) read from the git history
  when PATH is a git work tree or ``--git-dir`` is given.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from stripe_perm_lint.catalog.build import languages
from stripe_perm_lint.catalog.build.lang_csharp_source import (
    SdkClasses,
    event_constants,
    read_services,
)

REPOSITORY = "https://github.com/stripe/stripe-dotnet"
OLD_EVENTS_FILE = "src/Stripe.net/Constants/Events.cs"  # renamed EventTypes.cs in 46.0.0
OLD_EVENTS_REVISION = "c7a5c77b8^"  # the commit before that rename (v45.14.0)
DISPLAY = {"dotnet": "{}()", "dotnet_client": "client.{}()"}
CLIENT_ROOTS = {"V1": "Stripe.V1Services", "V2": "Stripe.V2Services"}


def build_table(sdk: Path, commit: str, old_events: str | None) -> dict:
    classes = read_services(sdk / "src" / "Stripe.net")
    index = languages.operation_index()
    methods: dict[str, dict[str, str]] = {"dotnet": {}, "dotnet_client": {}}
    helpers: dict[str, list[str]] = {"dotnet": sorted(classes.helpers)}
    unjoined = []
    for full_name, cls in sorted(classes.services.items()):
        for method, (verb, path) in sorted(cls.requests.items()):
            op = index.get(languages.shape(verb, path))
            if op is None:
                unjoined.append(f"{full_name}.{method}: {verb} {path}")
                continue
            methods["dotnet"][f"{short_name(full_name)}.{method}"] = op
    for root, class_name in CLIENT_ROOTS.items():
        for accessor, full_name in walk_client(classes, class_name, root):
            for method, (verb, path) in classes.services[full_name].requests.items():
                op = index.get(languages.shape(verb, path))
                if op is not None:
                    methods["dotnet_client"][f"{accessor}.{method}"] = op
    reached = {op for style in methods.values() for op in style.values()}
    constants = event_constants(sdk / "src" / "Stripe.net" / "Constants" / "EventTypes.cs", "EventTypes")
    if old_events:
        constants |= event_constants(old_events, "Events")
    version = (sdk / "VERSION").read_text("utf-8").strip()
    for line in unjoined:
        print(f"not in the catalog: {line}", file=sys.stderr)
    return {
        "language": "csharp",
        "sdk": "Stripe.net",
        "sdk_version": version,
        "source": f"{REPOSITORY} commit {commit}",
        "generated_by": "python -m stripe_perm_lint.catalog.build.lang_csharp --sdk PATH",
        "display": DISPLAY,
        "methods": methods,
        "helpers": helpers,
        "constants": constants,
        "absent": absent_reasons(reached),
    }


def short_name(full_name: str) -> str:
    """``Stripe.Checkout.SessionService`` -> ``Checkout.SessionService``: the SDK's root
    namespace is what every app imports (`using Stripe;`), the rest tells classes apart."""
    return full_name.removeprefix("Stripe.")


def walk_client(classes: SdkClasses, class_name: str, prefix: str, seen: frozenset = frozenset()):
    """(``V1.Customers.BalanceTransactions``, service class) for every service reachable from a
    ``StripeClient`` root by its properties."""
    for prop, target in sorted(classes.properties.get(class_name, {}).items()):
        if target in seen:
            continue
        accessor = f"{prefix}.{prop}"
        if target in classes.services:
            yield accessor, target
        yield from walk_client(classes, target, accessor, seen | {target})


# Why the GA sources lack an operation the catalog calls current, by path prefix; any other is
# a preview API (the SDK's `-beta` releases carry those, the GA one does not).
ABSENT_BECAUSE = {
    "/v1/exchange_rates": "Stripe.net removed ExchangeRateService with the deprecated resource (commit 0aac212c2)",
    "/v1/charges/{charge}/refunds": "Stripe.net has no charge-scoped refund service: RefundService.List "
                                    "with a Charge filter calls GET /v1/refunds",
}
PREVIEW = "a preview API absent from the GA Stripe.net sources (its -beta releases carry preview APIs)"


def absent_reasons(reached: set[str]) -> dict[str, str]:
    """Why no Stripe.net method reaches a current operation: the SDK is generated from Stripe's
    OpenAPI spec, so what it lacks is removed or not yet generally available."""
    out = {}
    for op_id in languages.required_operations():
        if op_id not in reached:
            path = op_id.split(" ", 1)[1]
            out[op_id] = next((why for prefix, why in ABSENT_BECAUSE.items() if path.startswith(prefix)), PREVIEW)
    return out


def git_commit(sdk: Path, git_dir: str | None) -> str:
    args = ["git", f"--git-dir={git_dir}"] if git_dir else ["git", "-C", str(sdk)]
    return subprocess.run([*args, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()


def old_events_source(sdk: Path, git_dir: str | None) -> str | None:
    args = ["git", f"--git-dir={git_dir}"] if git_dir else ["git", "-C", str(sdk)]
    done = subprocess.run([*args, "show", f"{OLD_EVENTS_REVISION}:{OLD_EVENTS_FILE}"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build.lang_csharp",
                                     description="regenerate catalog/languages/csharp.json from a stripe-dotnet checkout")
    parser.add_argument("--sdk", required=True, type=Path, help="the checkout (holds src/Stripe.net)")
    parser.add_argument("--git-dir", help="its git directory, when PATH is an extracted archive")
    parser.add_argument("--commit", help="the checkout's commit, when no git directory is at hand")
    args = parser.parse_args(argv)
    if not (args.sdk / "src" / "Stripe.net" / "Services").is_dir():
        print(f"error: {args.sdk} is not a stripe-dotnet checkout (no src/Stripe.net/Services)", file=sys.stderr)
        return 2
    try:
        commit = args.commit or git_commit(args.sdk, args.git_dir)
    except (subprocess.CalledProcessError, FileNotFoundError):
        print("error: cannot tell the checkout's commit; pass --commit or --git-dir", file=sys.stderr)
        return 2
    table = build_table(args.sdk, commit, old_events_source(args.sdk, args.git_dir))
    path = languages.write_table(table)
    found = languages.problems(table)
    print(f"wrote {path}: {sum(len(m) for m in table['methods'].values())} methods, "
          f"{len(table['absent'])} operations absent" + (f", {len(found)} problem(s)" if found else ""))
    for line in found:
        print(f"  {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
