"""The `motesplats` command: parses arguments, calls the pipeline, prints. Nothing else lives here."""

from __future__ import annotations

import json
import shutil
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Optional

import typer

from motesplats import __version__, schema
from motesplats.problems import Problem
from motesplats.render import listing
from motesplats.validate import Checked, check_workspace
from motesplats.workspace import NotAWorkspace, Workspace, find_workspace, open_workspace
from motesplats.write import write_files

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    help="Plan meetings and conferences: calendar feeds, programmes and badges from files organisers edit.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"motesplats {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    context: typer.Context,
    workspace: Optional[Path] = typer.Option(
        None, "--workspace", "-w", help="Workspace folder (default: the one containing the current folder).",
        file_okay=False),
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Plan meetings and conferences: calendar feeds, programmes and badges from files organisers edit."""
    context.obj = workspace


def _workspace(context: typer.Context) -> Workspace:
    try:
        return open_workspace(context.obj) if context.obj else find_workspace()
    except NotAWorkspace as error:
        typer.echo(f"motesplats: {error}", err=True)
        typer.echo("Run it inside a workspace, pass --workspace DIR, or create one with 'motesplats init DIR'.",
                   err=True)
        raise typer.Exit(EXIT_USAGE)


def _report(problems: tuple[Problem, ...], err: bool) -> None:
    for problem in problems:
        typer.echo(str(problem), err=err)


def _checked_or_exit(workspace: Workspace) -> Checked:
    """The checked workspace; on errors, print them all and exit 1."""
    checked = check_workspace(workspace)
    if checked.plan is None:
        _report(checked.problems, err=True)
        typer.echo(f"{len(checked.errors)} error(s): nothing was done. Fix them and run again.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    _report(checked.warnings, err=True)
    return checked


@app.command()
def check(
    context: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON, for other programs."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors (exit 1)."),
) -> None:
    """Check every file of the workspace and report all problems at once, as file:line: message.

    Exit status: 0 clean (warnings allowed unless --strict), 1 problems found, 2 usage error.
    """
    workspace = _workspace(context)
    checked = check_workspace(workspace)
    failed = bool(checked.errors) or (strict and bool(checked.warnings))
    if as_json:
        typer.echo(json.dumps({
            "ok": not failed,
            "workspace": str(workspace.root),
            "errors": len(checked.errors),
            "warnings": len(checked.warnings),
            "problems": [problem.as_json() for problem in checked.problems],
        }, ensure_ascii=False, indent=2))
    else:
        _report(checked.problems, err=False)
        typer.echo(_summary(checked))
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _summary(checked: Checked) -> str:
    counts = f"{len(checked.errors)} error(s), {len(checked.warnings)} warning(s)"
    if checked.plan is None:
        return f"{counts}."
    plan = checked.plan
    sessions = sum(len(event.sessions) for event in plan.events)
    return (f"{counts}. {len(plan.events)} events, {sessions} sessions, {len(plan.people)} people "
            f"on {len(plan.rosters)} rosters, {len(plan.venues)} venues, {len(plan.feeds)} feeds.")


@app.command("list")
def list_events(
    context: typer.Context,
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of dates and titles (default: the workspace's)."),
    since: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="Only events from this day on."),
    upcoming: bool = typer.Option(False, "--upcoming", help="Only events from today on."),
    sessions: bool = typer.Option(False, "--sessions", help="Show each event's sessions too."),
) -> None:
    """List what is planned, by date, with dates in the workspace's language."""
    first_day = _parse_day(since) if since else (date.today() if upcoming else None)
    checked = _checked_or_exit(_workspace(context))
    plan = checked.plan
    language = lang or plan.settings.language
    if language not in plan.settings.languages:
        raise typer.BadParameter(f"choose one of {', '.join(plan.settings.languages)}", param_hint="--lang")
    typer.echo(listing.render(plan, language, first_day, sessions), nl=False)


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date; write it as 2018-05-17", param_hint="--from")


@app.command()
def init(directory: Path = typer.Argument(..., help="Folder for the new workspace (new or empty).",
                                          file_okay=False)) -> None:
    """Create a new, working workspace from the built-in example skeleton."""
    if directory.exists() and any(directory.iterdir()):
        typer.echo(f"motesplats: {directory} is not empty; choose a new folder so nothing is overwritten.",
                   err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    skeleton = resources.files("motesplats") / "data" / "skeleton"
    with resources.as_file(skeleton) as source:
        shutil.copytree(source, directory, dirs_exist_ok=True)
    write_files(directory / "schema", schema.all_schemas())
    typer.echo(f"Created a workspace in {directory}. Next:\n  cd {directory}\n  motesplats check\n"
               "  motesplats list")


@app.command("schema")
def write_schema(
    context: typer.Context,
    output: Optional[Path] = typer.Option(None, "--output", "-o", file_okay=False,
                                          help="Folder to write to (default: schema/ in the workspace)."),
) -> None:
    """Write JSON Schemas of the workspace's files, for editors that complete and check TOML."""
    folder = output or _workspace(context).root / "schema"
    changed = write_files(folder, schema.all_schemas())
    typer.echo(f"{len(changed)} schema file(s) updated in {folder}" if changed
               else f"Schemas in {folder} are up to date.")


def run() -> None:
    """Entry point of the console script."""
    app()
