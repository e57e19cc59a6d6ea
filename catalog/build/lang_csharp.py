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
- ``older_majors``: methods only the last release of an older major has (44.x to the current
  one's predecessor: `InvoiceService.Upcoming`, `UsageRecordService.Create`), added to ``methods``
  and listed here with that release, since apps pin older majors; read from the git history;
- ``nested``: the services a service hands out as properties (`CustomerService.BalanceTransactions`);
- ``constants``: the event-type constants (``EventTypes.ChargeSucceeded`` -> ``charge.succeeded``),
  also those of the class's older name ``Events`` (Stripe.net < 46) read from the git history
  when PATH is a git work tree or ``--git-dir`` is given.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tarfile
import tempfile
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
# Services write their paths as literals (`$"/v1/invoices/upcoming"`) from 44.0.0 on; before,
# through `this.InstanceUrl(...)`, which this reader does not follow.
FIRST_LITERAL_MAJOR = 44


def build_table(sdk: Path, commit: str, old_events: str | None, older: dict[str, Path] | None = None) -> dict:
    """The table of the checkout at ``sdk``, plus the methods only older majors have (``older``:
    release tag -> an extracted checkout of it), each listed under ``older_majors`` with the last
    release that has it."""
    index = languages.operation_index()
    classes = read_services(sdk / "src" / "Stripe.net")
    methods, unjoined = methods_of(classes, index)
    helpers = set(classes.helpers)
    from_older: dict[str, dict[str, str]] = {}
    for tag, checkout in sorted((older or {}).items(), key=lambda item: _version_key(item[0]), reverse=True):
        old_classes = read_services(checkout / "src" / "Stripe.net")
        helpers |= old_classes.helpers
        for style, found in methods_of(old_classes, index)[0].items():
            for accessor, op in found.items():
                if accessor not in methods[style]:
                    methods[style][accessor] = op
                    from_older.setdefault(style, {})[accessor] = tag
    reached = {op for style in methods.values() for op in style.values()}
    constants = event_constants(sdk / "src" / "Stripe.net" / "Constants" / "EventTypes.cs", "EventTypes")
    if old_events:
        constants |= event_constants(old_events, "Events")
    version = (sdk / "VERSION").read_text("utf-8").strip()
    for line in unjoined:
        print(f"not in the catalog: {line}", file=sys.stderr)
    table = {
        "language": "csharp",
        "sdk": "Stripe.net",
        "sdk_version": version,
        "source": f"{REPOSITORY} commit {commit}",
        "generated_by": "python -m stripe_perm_lint.catalog.build.lang_csharp --sdk PATH --git-dir DIR",
        "display": DISPLAY,
        "methods": methods,
        "helpers": {"dotnet": sorted(helpers)},
        "constants": constants,
        "nested": nested_services(classes),
        "absent": absent_reasons(reached),
    }
    if from_older:
        table["older_majors"] = from_older
    return table


def methods_of(classes: SdkClasses, index: dict) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Both styles' accessors -> operation ids, and the requests no operation matches."""
    methods: dict[str, dict[str, str]] = {"dotnet": {}, "dotnet_client": {}}
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
    return methods, unjoined


def nested_services(classes: SdkClasses) -> dict[str, dict[str, str]]:
    """`CustomerService.BalanceTransactions` -> `CustomerBalanceTransactionService`: the services a
    service hands out as properties (`new CustomerService().BalanceTransactions.List(id)`)."""
    out: dict[str, dict[str, str]] = {}
    for owner, properties in sorted(classes.properties.items()):
        if owner in classes.services:
            for name, target in sorted(properties.items()):
                if target in classes.services:
                    out.setdefault(short_name(owner), {})[name] = short_name(target)
    return out


def _version_key(tag: str) -> tuple[int, ...]:
    return tuple(int(part) for part in tag.lstrip("v").split("."))


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
    "/v1/exchange_rates": "Stripe.net removed ExchangeRateService with the deprecated resource in 2020 (commit 0aac212c2)",
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
    return subprocess.run([*_git(sdk, git_dir), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def old_events_source(sdk: Path, git_dir: str | None) -> str | None:
    done = subprocess.run([*_git(sdk, git_dir), "show", f"{OLD_EVENTS_REVISION}:{OLD_EVENTS_FILE}"],
                          capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def _git(sdk: Path, git_dir: str | None) -> list[str]:
    return ["git", f"--git-dir={git_dir}"] if git_dir else ["git", "-C", str(sdk)]


def older_majors(sdk: Path, git_dir: str | None, current: str, into: Path) -> dict[str, Path]:
    """The last release of each major from ``FIRST_LITERAL_MAJOR`` to the current one, extracted
    under ``into`` (services only): apps pin older majors, whose removed methods
    (`InvoiceService.Upcoming`, `ExchangeRateService.List`) still call the API."""
    done = subprocess.run([*_git(sdk, git_dir), "tag", "--list", "v*"], capture_output=True, text=True)
    last: dict[int, str] = {}
    for tag in done.stdout.split():
        if re.fullmatch(r"v\d+\.\d+\.\d+", tag):
            major = int(tag[1:].split(".")[0])
            if FIRST_LITERAL_MAJOR <= major < int(current.split(".")[0]):
                last[major] = max(last.get(major, tag), tag, key=_version_key)
    out = {}
    for tag in sorted(last.values(), key=_version_key):
        archive = subprocess.run([*_git(sdk, git_dir), "archive", tag, "src/Stripe.net/Services"], capture_output=True)
        if archive.returncode == 0:
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(into / tag, filter="data")
            out[tag] = into / tag
    return out


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
    version = (args.sdk / "VERSION").read_text("utf-8").strip()
    with tempfile.TemporaryDirectory() as scratch:
        older = older_majors(args.sdk, args.git_dir, version, Path(scratch))
        table = build_table(args.sdk, commit, old_events_source(args.sdk, args.git_dir), older)
    path = languages.write_table(table)
    found = languages.problems(table)
    print(f"wrote {path}: {sum(len(m) for m in table['methods'].values())} methods, "
          f"{len(table['absent'])} operations absent" + (f", {len(found)} problem(s)" if found else ""))
    for line in found:
        print(f"  {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
