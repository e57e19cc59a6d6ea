"""Command line: ``stripe-perm-lint [PATH]...`` lints; ``explain``, ``rules`` and ``catalog`` inform.

Exit codes: 0 no errors, 1 errors found, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stripe_perm_lint import __version__


class _DefaultToCheck(click.Group):
    """``stripe-perm-lint ./app`` means ``stripe-perm-lint check ./app``: linting is the job,
    the other commands are helpers. A folder named like a command needs ``check`` spelled out."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stripe-perm-lint")
def main() -> None:
    """Check a Stripe App's code against the permissions its manifest declares."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    # The names of report.FORMATS, spelled out so that `--help` does not import every renderer.
    type=click.Choice(["text", "json", "sarif", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="Report format written to stdout, or to --output FILE.",
)
@click.option(
    "--output",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Write the report in --format to FILE (atomically); the terminal still gets text.",
)
@click.option(
    "--platform-calls",
    type=click.Choice(["info", "count"]),
    default="info",
    show_default=True,
    help="Backend calls without stripeAccount/stripe_account act on your own account: report them "
    "at info level (info) or require manifest permissions for them too (count).",
)
@click.option(
    "--extra-sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="A folder (or file) outside the app folder whose code is part of the app, such as a backend "
    "kept beside it. Repeatable.",
)
@click.option("--no-older-implications", is_flag=True, help="Ignore implied permissions that only older editions of Stripe's docs list.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when writing to a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
def check(paths, fmt, output, platform_calls, extra_sources, no_older_implications, color, debug) -> None:
    """Lint the Stripe apps found at or below PATHS (default: the current folder)."""
    from stripe_perm_lint.app import Options
    from stripe_perm_lint.engine import NoAppFound, NothingToLint, RunLog, lint_paths
    from stripe_perm_lint.finding import Severity

    options = Options(
        platform_calls=platform_calls,
        include_older_edition=not no_older_implications,
        extra_sources=tuple(extra_sources),
    )
    log = RunLog()
    if output is not None:
        _check_output(output)
    try:
        reports = lint_paths(list(paths) or [Path(".")], options, debug=debug, log=log)
    except NothingToLint as exc:
        click.echo(f"stripe-perm-lint: {exc}; nothing to lint", err=True)
        if output is not None:  # a CI step that uploads the file still finds one, empty
            _write_file([], fmt, output)
        sys.exit(0)
    except NoAppFound as exc:
        _fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback, unless asked
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for a traceback)")
    colour = sys.stdout.isatty() if color is None else color
    _write_report(reports, fmt, output, colour)
    errors = any(f.severity is Severity.ERROR for r in reports for f in r.findings)
    sys.exit(2 if log.incomplete else 1 if errors else 0)


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show the documentation of a rule, by code (SPL101) or name (missing-permission)."""
    from stripe_perm_lint.rules import rule_by_code_or_name

    rule = rule_by_code_or_name(code)
    if rule is None:
        _fail(f"no rule {code!r}; `stripe-perm-lint rules` lists them")
    from stripe_perm_lint.examples import render

    click.echo(f"{rule.code} {rule.name} ({rule.severity.value})\n\n{rule.summary()}.\n\n{rule.documentation()}")
    for heading, examples in (("Reported", rule.invalid), ("Not reported", rule.valid)):
        if examples:
            click.echo(f"\n## Examples: {heading.lower()}\n\n" + "\n\n".join(render(e) for e in examples))


@main.command("rules")
def list_rules() -> None:
    """List every rule: code, name, severity and summary."""
    from stripe_perm_lint.rules import ALL_RULES

    for rule in ALL_RULES:
        click.echo(f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.summary()}")


@main.command("catalog")
@click.option("--coverage", is_flag=True, help="How many operations map to a permission, and which names none uses.")
def catalog_command(coverage: bool) -> None:
    """Facts about the bundled permission catalog."""
    from stripe_perm_lint.catalog import load_catalog

    catalog = load_catalog()
    if coverage:
        from stripe_perm_lint.catalog.coverage import coverage_report

        click.echo(coverage_report(catalog).rstrip("\n"))
        return
    versions = ", ".join(f"{k} {v}" for k, v in sorted(catalog.sdk_versions.items()))
    click.echo(f"API version {catalog.api_version}; built from {versions}")
    click.echo(f"{len(catalog.operations)} operations, {len(catalog.permission_names)} permission names")


def _check_output(output: Path) -> None:
    from stripe_perm_lint.report.output import OutputError, check_writable

    try:
        check_writable(output)
    except OutputError as exc:
        _fail(str(exc))


def _write_report(reports, fmt: str, output: Path | None, colour: bool) -> None:
    """The chosen format to stdout, or to ``output`` while the terminal gets text."""
    from stripe_perm_lint.report import FORMATS

    if output is None:
        FORMATS[fmt](reports, sys.stdout, colour=colour)
        return
    _write_file(reports, fmt, output)
    FORMATS["text"](reports, sys.stdout, colour=colour)


def _write_file(reports, fmt: str, output: Path) -> None:
    import io

    from stripe_perm_lint.report import FORMATS
    from stripe_perm_lint.report.output import OutputError, write_atomically

    buffer = io.StringIO()
    FORMATS[fmt](reports, buffer)
    try:
        write_atomically(output, buffer.getvalue())
    except OutputError as exc:
        _fail(str(exc))


def _fail(message: str) -> None:
    click.echo(f"stripe-perm-lint: error: {message}", err=True)
    sys.exit(2)
