"""Command line: ``stripe-perm-lint [check] [PATH]...`` lints; ``explain``, ``rules``, ``catalog``, ``why``
and ``diff`` inform.

Exit codes: 0 nothing fails the run, 1 findings at or above ``--fail-on`` (default: errors), 2 usage,
configuration or internal error.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from stripe_perm_lint import __version__


class _DefaultToCheck(click.Group):
    """``stripe-perm-lint ./app`` means ``stripe-perm-lint check ./app``: linting is the job,
    the other commands are helpers. A first argument that names a command and also a file or
    folder with an app in, below or around it is linted as that path, with a note, so an app
    folder called ``rules`` is never mistaken for the command (a folder with no app to lint, such
    as this repository's own ``rules``, still runs the command). Top-level ``--help`` shows the
    lint options too."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands and _holds_an_app(Path(args[0])):
            click.echo(f"stripe-perm-lint: note: `{args[0]}` is both a command and a path here; linting the path "
                       f"(to run the command, run it from another folder)", err=True)
            args = ["check", *args]
        elif not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [PATHS]...")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="   or: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lint = self.commands["check"]
        lint_ctx = click.Context(lint, info_name="check", parent=ctx)
        own_help = lint.get_help_option(lint_ctx)
        records = [p.get_help_record(lint_ctx) for p in lint.get_params(lint_ctx)
                   if isinstance(p, click.Option) and p is not own_help]
        records += [p.get_help_record(ctx) for p in self.get_params(ctx)]
        with formatter.section("Options (of check, the default command)"):
            formatter.write_dl([r for r in records if r is not None])
        self.format_commands(ctx, formatter)


def _holds_an_app(path: Path) -> bool:
    from stripe_perm_lint.discover import find_app_roots

    return path.exists() and bool(find_app_roots([path]))


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stripe-perm-lint")
def main() -> None:
    """Check a Stripe App's code against the permissions its manifest declares."""


def _selectors(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...] | None:
    """``--select SPL1,SPL201 --select unused-permission``: repeatable and comma-separated."""
    from stripe_perm_lint.selection import UnknownSelector, check_selectors

    if not values:
        return None
    selectors = tuple(s.strip() for value in values for s in value.split(",") if s.strip())
    try:
        check_selectors(selectors)
    except UnknownSelector as exc:
        raise click.BadParameter(str(exc)) from None
    return selectors


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
    default=None,
    help="Backend calls without stripeAccount/stripe_account act on your own account: report them "
    "at info level (info, the default) or require manifest permissions for them too (count).",
)
@click.option(
    "--extra-sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="A folder (or file) outside the app folder whose code is part of the app, such as a backend "
    "kept beside it. Repeatable; replaces the config's extra-sources.",
)
@click.option(
    "--older-implications/--no-older-implications",
    default=None,
    help="Count (the default) or ignore implied permissions that only older editions of Stripe's docs list.",
)
# --- config, rule selection and exit policy ---
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use this config file for every app instead of the nearest one above each app.",
)
@click.option("--select", multiple=True, callback=_selectors,
              help="Run only these rules: codes (SPL101), prefixes (SPL1), names or ALL; comma-separated, repeatable.")
@click.option("--extend-select", multiple=True, callback=_selectors, help="Run these rules as well as the selected ones.")
@click.option("--ignore", multiple=True, callback=_selectors, help="Do not run these rules.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="The lowest severity that makes the run fail (exit 1).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings would fail the run (2 still means an error).")
@click.option("--quiet", "-q", is_flag=True, help="Hide info-level findings in the text output.")
# --- end of config, rule selection and exit policy ---
# Cache (README "Cache").
@click.option("--no-cache", is_flag=True, help="Parse every file; neither read nor write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="STRIPE_PERM_LINT_CACHE_DIR",
    show_envvar=True,
    help="Keep parsed facts in this folder (default: stripe-perm-lint in the user's cache folder).",
)
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when writing to a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
# Suppressions and baseline (README "Suppressing findings").
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    help="Hide the findings recorded in this file by --write-baseline.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    help="Record every current finding in this file (JSON; an existing one is replaced) and exit 0.",
)
# --- fixes (README "Fixing the manifest") ---
@click.option("--fix", is_flag=True, help="Add every missing permission to the manifest, with a drafted purpose.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff, also remove unused and redundant permissions and narrow a write the code only reads.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them; exit 1 if there are any.")
@click.option("--purpose-prefix", default="", metavar="TEXT", help="Start every drafted purpose with TEXT (e.g. 'TODO: ').")
def check(paths, fmt, output, platform_calls, extra_sources, older_implications, config_file, select, extend_select,
          ignore, fail_on, exit_zero, quiet, no_cache, cache_dir, color, debug, baseline_file, write_baseline, fix,
          unsafe_fixes, show_diff, purpose_prefix) -> None:
    """Lint the Stripe apps found at or below PATHS (default: the current folder)."""
    from stripe_perm_lint.config import ConfigError, ConfigLoader, Settings
    from stripe_perm_lint.engine import NoAppFound, NothingToLint, RunLog, lint_paths
    from stripe_perm_lint.cache import default_cache_dir
    from stripe_perm_lint.outcome import exit_status
    from stripe_perm_lint.progress import progress_for
    from stripe_perm_lint.selection import Selection
    from stripe_perm_lint.settings import options_for

    flags = Settings(
        origin=None,
        base=Path.cwd(),
        selection=Selection(select, extend_select, ignore),
        extra_sources=tuple(str(p) for p in extra_sources) or None,
        platform_calls=platform_calls,
        older_implications=older_implications,
    )
    loader = ConfigLoader(config_file)
    baseline = _read_baseline(baseline_file) if baseline_file and not write_baseline else None
    # Progress only above a text report: a machine format is read by a program, which wants no
    # carriage returns even on stderr; --quiet asks for less output.
    log = RunLog(progress=progress_for(sys.stderr, fmt == "text" and not quiet))
    cache = None if no_cache else cache_dir or default_cache_dir()
    if output is not None:
        _check_output(output)

    def configure(root: Path):
        return dataclasses.replace(options_for(root, loader.for_app(root), flags), baseline=baseline, cache_dir=cache)

    try:
        reports = lint_paths(list(paths) or [Path(".")], debug=debug, log=log, configure=configure)
    except NothingToLint as exc:
        click.echo(f"stripe-perm-lint: {exc}; nothing to lint", err=True)
        if output is not None:  # a CI step that uploads the file still finds one, empty
            _write_file([], fmt, output)
        sys.exit(0)
    except (NoAppFound, ConfigError) as exc:
        _fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback, unless asked
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for a traceback)")
    if write_baseline:
        _record_baseline(write_baseline, reports)
        sys.exit(2 if log.incomplete else 0)
    _note_stale_baseline(baseline_file, reports)
    if fix or show_diff:
        from stripe_perm_lint.cli_fix import run_fixes

        if run_fixes(reports, unsafe_fixes, purpose_prefix, write=not show_diff) and show_diff:
            sys.exit(1)
        if show_diff:
            sys.exit(0)
        reports = lint_paths(list(paths) or [Path(".")], debug=debug, log=log, configure=configure)
    colour = sys.stdout.isatty() if color is None else color
    _write_report(reports, fmt, output, colour, quiet)
    sys.exit(exit_status(reports, fail_on, exit_zero, log.incomplete))


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


def _read_baseline(path: Path):
    from stripe_perm_lint.baseline import BaselineError, read_baseline

    try:
        return read_baseline(path)
    except BaselineError as exc:
        _fail(str(exc))


def _record_baseline(path: Path, reports) -> None:
    from stripe_perm_lint.baseline import BaselineError, write_baseline

    try:
        count = write_baseline(path, reports)
    except BaselineError as exc:
        _fail(str(exc))
    apps = f"{len(reports)} app{'s' if len(reports) != 1 else ''}"
    click.echo(f"stripe-perm-lint: recorded {count} finding{'s' if count != 1 else ''} of {apps} in {path}", err=True)


def _note_stale_baseline(path: Path | None, reports) -> None:
    """One line when baseline entries match nothing: the findings were fixed, so the file can shrink."""
    stale = sum(report.stale_baseline for report in reports)
    if stale:
        entries = f"{stale} entr{'y' if stale == 1 else 'ies'}"
        click.echo(f"stripe-perm-lint: {entries} in the baseline {path} matched no finding; refresh it with --write-baseline {path}", err=True)


def _check_output(output: Path) -> None:
    from stripe_perm_lint.report.output import OutputError, check_writable

    try:
        check_writable(output)
    except OutputError as exc:
        _fail(str(exc))


def _write_report(reports, fmt: str, output: Path | None, colour: bool, quiet: bool) -> None:
    """The chosen format to stdout, or to ``output`` while the terminal gets text. ``quiet``
    hides info findings from the text a person reads, never from a machine format."""
    from stripe_perm_lint.outcome import without_info
    from stripe_perm_lint.report import FORMATS

    text = without_info(reports) if quiet else reports
    if output is None:
        FORMATS[fmt](text if fmt == "text" else reports, sys.stdout, colour=colour)
        return
    _write_file(reports, fmt, output)
    FORMATS["text"](text, sys.stdout, colour=colour)


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


# The commands that answer questions (catalog lookups, `why`, the consent `diff`) live apart.
from stripe_perm_lint.cli_questions import catalog_command, diff_command, why  # noqa: E402

from stripe_perm_lint.cli_fix import init  # noqa: E402

for _command in (catalog_command, why, diff_command, init):
    main.add_command(_command)
