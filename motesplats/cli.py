"""The `motesplats` command: parses arguments, calls the pipeline, prints. Nothing else lives here."""

from __future__ import annotations

import csv
import ipaddress
import json
import os
import shutil
import sys
import threading
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from typer.core import TyperGroup

from motesplats import __version__, badge_styles, meetings, record, schema, serve as server
from motesplats.meetings import find_meeting
from motesplats.load import participants_import
from motesplats.build import (SECRET_FILE, BuildReport, PartlyPublished, build as build_workspace, workspace_secret,
                              write_secret)
from motesplats.outputs import DEFAULT_BADGE_LAYOUT, NAMES, Request, output
from motesplats.progress import ShownProgress
from motesplats.problems import Problem, ProblemsFound, visible
from motesplats.spreadsheets import safe_cell
from motesplats.render import attendance_list, listing
from motesplats.validate import Checked, check_usable_part, check_workspace
from motesplats.workspace import (INVITATION_LEDGER, OUTBOX, SEQUENCE_FILE, NotAWorkspace, Workspace, find_workspace,
                                  open_workspace)
from motesplats.suggest import unknown_hint
from motesplats.identifiers import ID_PATTERN
from motesplats.write import replace_atomically, write_files

if TYPE_CHECKING:
    from motesplats.checkin import Desk

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
ROSTER_TITLES = "rosters.toml"  # in events/: the rosters' titles

WORKSPACE_OPTIONS = ("--workspace", "-w")


def workspace_first(args: list[str]) -> list[str]:
    """`args` with `--workspace DIR` moved before the command: organisers write it after the
    command too (`motesplats check --workspace DIR`), and every command that takes one reads it
    from the main command."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":  # what follows is the command's own
            rest += args[index:]
            break
        if arg in WORKSPACE_OPTIONS and index + 1 < len(args):
            front += args[index:index + 2]
            index += 2
            continue
        (front if arg.startswith("--workspace=") else rest).append(arg)
        index += 1
    return front + rest


class _WorkspaceAnywhere(TyperGroup):
    def parse_args(self, ctx, args):
        return super().parse_args(ctx, workspace_first(list(args)))


app = typer.Typer(
    cls=_WorkspaceAnywhere,
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


def _checked_or_exit(workspace: Workspace, warn: bool = True) -> Checked:
    """The checked workspace; on errors, print them all and exit 1. Warnings are printed unless not `warn`."""
    checked = check_workspace(workspace)
    if checked.plan is None:
        _report(checked.problems, err=True)
        typer.echo(f"{len(checked.errors)} error(s): nothing was done. Fix them and run again.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    if warn:
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
    show_deadlines: bool = typer.Option(False, "--deadlines", help="The secretariat's deadlines instead, with "
                                        "what has been done: invitations sent, minutes adjusted and posted."),
) -> None:
    """List what is planned, by date, with dates in the workspace's language."""
    first_day = _parse_day(since) if since else (date.today() if upcoming else None)
    checked = _checked_or_exit(_workspace(context))
    plan = checked.plan
    language = lang or plan.settings.language
    if language not in plan.settings.languages:
        raise typer.BadParameter(f"choose one of {', '.join(plan.settings.languages)}", param_hint="--lang")
    if show_deadlines:
        typer.echo(listing.render_deadlines(plan, language, first_day), nl=False)
        return
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


@app.command()
def build(
    context: typer.Context,
    only: Optional[str] = typer.Option(None, "--only", metavar="OUTPUTS",
                                       help=f"Comma-separated: {', '.join(NAMES)} (default: all)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="Processes that render at once (default: one per core)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems: no progress, no summary."),
) -> None:
    """Check the workspace and write every output to build/: feeds and personal feeds, the
    subscription page, programmes (PDF and HTML), badges and table cards.

    Only files whose inputs changed are rendered again. Nothing is written when the workspace
    has errors or a renderer fails; otherwise the changed files are swapped in together and
    unchanged files are left alone (so their ETags stay the same).
    """
    workspace = _workspace(context)
    outputs = NAMES
    if only:
        outputs = tuple(part.strip() for part in only.split(",") if part.strip())
        unknown = [part for part in outputs if part not in NAMES]
        if unknown or not outputs:
            raise typer.BadParameter(f"choose among {', '.join(NAMES)}", param_hint="--only")
    report = _build_or_exit(workspace, Request(outputs), jobs, quiet)
    if not quiet:
        typer.echo(_built(workspace, report))


def _built(workspace: Workspace, report: BuildReport) -> str:
    removed = f", {len(report.removed)} stale removed" if report.removed else ""
    return (f"Built {workspace.build_dir}: {len(report.written) - len(report.removed)} file(s) written, "
            f"{report.unchanged} unchanged{removed} ({len(report.rendered)} rendered).")


def _build_or_exit(workspace: Workspace, request: Request, jobs: Optional[int] = None,
                   quiet: bool = False) -> BuildReport:
    progress = None if quiet else ShownProgress()
    try:
        report = build_workspace(workspace, request, jobs=jobs, progress=progress)
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        written = _partly_published(found.replaced) if isinstance(found, PartlyPublished) else "nothing was written"
        typer.echo(f"{len(found.problems)} error(s): {written}. Fix them and run again.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    finally:
        if progress is not None:
            progress.close()
    _report(report.warnings, err=True)
    for folder in report.sealed:
        typer.echo(f"Sealed {folder}: the adjusted minutes are a record now; commit it with the workspace.", err=True)
    for meeting in report.awaiting:
        typer.echo(f"Not sealed: {meeting} is out for signing; it waits for signatures, then "
                   "'motesplats adjust' seals it.", err=True)
    return report


def _partly_published(replaced: list[str]) -> str:
    """What a build that stopped half way through moving its files had already published."""
    state = f"{SEQUENCE_FILE} was updated" if SEQUENCE_FILE in replaced else f"{SEQUENCE_FILE} was not changed"
    in_build = [path for path in replaced if path != SEQUENCE_FILE]
    moved = f"{len(in_build)} file(s) in build/ were replaced" if in_build else "nothing in build/ was replaced"
    return f"{state}, {moved}, the rest is moved into place by the next build"


@app.command()
def programme(
    context: typer.Context,
    event_id: str = typer.Argument(..., metavar="EVENT", help="Id of the event (see 'motesplats list')."),
    lang: Optional[str] = typer.Option(None, "--lang", help="sv, en or fr (default: the workspace's language)."),
    paper: str = typer.Option("A4", "--paper", help="A4 or A5 (the PDF)."),
) -> None:
    """Write the printed programme or agenda of one event: build/programmes/EVENT.LANG.pdf and .html."""
    workspace = _workspace(context)
    plan = _checked_or_exit(workspace, warn=False).plan  # the build below reports the warnings
    event = _event_or_fail(plan, event_id)
    language = _language_or_fail(plan, lang)
    if paper.upper() not in ("A4", "A5"):
        raise typer.BadParameter("choose A4 or A5", param_hint="--paper")
    request = Request(("programmes",), (event.id,), language, paper=paper.upper())
    for path in _build_or_exit(workspace, request, quiet=True).paths:
        typer.echo(workspace.shown(workspace.build_dir / path))


@app.command()
def badges(
    context: typer.Context,
    event_id: str = typer.Argument(..., metavar="EVENT", help="Id of the event (see 'motesplats list')."),
    layout: str = typer.Option(DEFAULT_BADGE_LAYOUT, "--layout",
                               help="Badge layout: a4-8up, a4-8up-duplex, a6-lanyard, or one in templates/badges/layouts/."),
    qr: str = typer.Option("checkin", "--qr", help="What the QR code holds: checkin, vcard or none."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of role words and dates "
                                       "(default: the event's first language)."),
) -> None:
    """Write name badges for everyone attending EVENT to build/badges/EVENT.pdf, sorted by surname.

    For a ceremony, the dinner's folded table cards are written beside them. build/badges/ is for
    printing: 'motesplats serve' does not serve it, and it should not be published.
    """
    workspace = _workspace(context)
    plan = _checked_or_exit(workspace, warn=False).plan  # the build below reports the warnings
    event = _event_or_fail(plan, event_id)
    templates = workspace.root / "templates"
    if layout not in badge_styles.layout_names(templates):
        raise typer.BadParameter(f"no layout '{layout}'; choose one of {', '.join(badge_styles.layout_names(templates))}",
                                 param_hint="--layout")
    if qr not in ("checkin", "vcard", "none"):
        raise typer.BadParameter("choose checkin, vcard or none", param_hint="--qr")
    language = _language_or_fail(plan, lang) if lang else None
    request = Request(("badges", "table-cards"), (event.id,), language, badge_layout=layout, qr=qr)
    made = _build_or_exit(workspace, request, quiet=True).paths
    if not made:
        typer.echo(f"Nobody attends '{event_id}': give it participants, a roster summoned or speakers.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    for path in made:
        typer.echo(workspace.shown(workspace.build_dir / path))


def _event_or_fail(plan, event_id: str):
    event = plan.event(event_id)
    if event is None:
        hint = unknown_hint(event_id, [e.id for e in plan.events], "event")
        raise typer.BadParameter(f"no event '{event_id}'; {hint}", param_hint="EVENT")
    return event


def _language_or_fail(plan, lang: Optional[str]) -> str:
    language = lang or plan.settings.language
    if language not in plan.settings.languages:
        raise typer.BadParameter(f"choose one of {', '.join(plan.settings.languages)}", param_hint="--lang")
    return language


@app.command("attendance")
def attendance(
    context: typer.Context,
    meeting_key: str = typer.Argument(..., metavar="MEETING",
                                      help="The meeting: an event id, or EVENT/SESSION for a meeting inside an event."),
    apology: list[str] = typer.Option([], "--apology", metavar="PERSON",
                                      help="Record that PERSON sent apologies (förhinder); repeatable."),
    accept: bool = typer.Option(False, "--accept", help="Record the deputies proposed as serving."),
    call: Optional[str] = typer.Option(None, "--call", metavar="DEPUTY",
                                       help="Record DEPUTY as serving for the member given with --for."),
    for_member: Optional[str] = typer.Option(None, "--for", metavar="MEMBER", help="The member DEPUTY serves for."),
    show_roll: bool = typer.Option(False, "--roll", help="Print the voting roll (röstlängd) instead."),
    lang: Optional[str] = typer.Option(None, "--lang", help="sv, en or fr (default: the meeting's language)."),
) -> None:
    """Show who is summoned to MEETING and who comes, propose the deputy to call in for each member
    who sent apologies (by the organ's rule), and record apologies and deputies.

    Recording edits attendance/MEETING.toml (made if missing), keeping its comments and layout,
    and only when the whole workspace still checks; otherwise every problem is shown and nothing
    is written.
    """
    if bool(call) != bool(for_member):
        raise typer.BadParameter("give --call DEPUTY and --for MEMBER together", param_hint="--call")
    workspace = _workspace(context)
    plan = _checked_or_exit(workspace, warn=False).plan
    meeting = _meeting_or_fail(plan, meeting_key)
    language = _language_or_fail(plan, lang or meeting.language)
    if apology or accept or call:
        plan = _record_attendance(workspace, plan, meeting, language, apology, accept,
                                  [(call, for_member)] if call else [])
        meeting = find_meeting(plan, meeting.key)
    record = plan.attendance_of(meeting.key)
    shown = meetings.presence(meeting, record)
    if show_roll:
        typer.echo(attendance_list.render_roll(shown, language), nl=False)
        return
    first = meetings.first_paragraphs(plan).get(meeting.key, 1)
    typer.echo(attendance_list.render_text(meeting, shown, meetings.proposals(meeting, record), first, language),
               nl=False)


@app.command("minutes")
def minutes(
    context: typer.Context,
    meeting_key: str = typer.Argument(..., metavar="MEETING",
                                      help="The meeting: an event id, or EVENT/SESSION for a meeting inside an event."),
    lang: Optional[str] = typer.Option(None, "--lang", help="sv, en or fr (default: the meeting's language)."),
    for_signing: bool = typer.Option(False, "--for-signing", help="Issue the minutes for signed adjustment: write "
                                     "the PDF to sign, with its digest and who must sign, into signing/."),
    again: bool = typer.Option(False, "--again", help="With --for-signing: issue them anew although they are out "
                               "for signing (copies signed so far are then refused)."),
) -> None:
    """Write the minutes (protokoll) of MEETING to build/minutes/ as PDF and web page and, once
    they are adjusted, one extract (protokollsutdrag) per § for dispatch.

    Until the minutes are adjusted, and for organs whose minutes are not public, the files have
    names only the workspace's secret gives ('motesplats private-links' lists them).
    With --for-signing, write the document the chair and adjusters sign instead ('motesplats adjust').
    """
    workspace = _workspace(context)
    checked = _checked_or_exit(workspace, warn=False)  # the build below reports the warnings
    plan = checked.plan
    meeting = _meeting_or_fail(plan, meeting_key)
    if for_signing:
        _issue_for_signing(workspace, checked, meeting, again)
        return
    if meeting.minutes is None:
        typer.echo(f"{meeting.key} has no minutes yet: record them in a [event.minutes] table "
                   "(see the README, 'After the meeting').", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    language = _language_or_fail(plan, lang or meeting.language)
    request = Request(("minutes",), (meeting.event.id,), language)
    for path in _build_or_exit(workspace, request, quiet=True).paths:
        if path.startswith((f"minutes/{meeting.stem}.", f"minutes/{meeting.stem}-")):
            typer.echo(workspace.shown(workspace.build_dir / path))


def _issue_for_signing(workspace: Workspace, checked: Checked, meeting, again: bool) -> None:
    from motesplats.records import signing
    try:
        issued = signing.issue(workspace, checked.plan, meeting, checked.records,
                               datetime.now(timezone.utc).replace(microsecond=0), again)
    except signing.Refused as refused:
        typer.echo(f"motesplats: {refused}", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    typer.echo(issued.document)
    typer.echo(f"SHA-256 {issued.digest}")
    for signer in issued.signers:
        typer.echo(f"to sign: {signer.person.name} ({signer.role})")
    typer.echo(f"Send it to be signed; bring the signed copies back with 'motesplats adjust {meeting.key} "
               "SIGNED.pdf ...'.", err=True)


@app.command("adjust")
def adjust(
    context: typer.Context,
    meeting_key: str = typer.Argument(..., metavar="MEETING",
                                      help="The meeting: an event id, or EVENT/SESSION for a meeting inside an event."),
    signed: Optional[list[Path]] = typer.Argument(None, metavar="SIGNED.pdf", exists=False,
                                                  help="Signed copies: one signed by all, or one per signer."),
    seal_with: Optional[Path] = typer.Option(None, "--seal-with", metavar="SEAL.p12",
                                             help="Adjust with the organisation's seal (password from "
                                                  "MOTESPLATS_SEAL_PASSWORD) instead of personal signatures."),
    use_seal: bool = typer.Option(False, "--seal", help="As --seal-with, with [signing] organisation_seal."),
) -> None:
    """Bring back the signed minutes of MEETING (issued with 'minutes MEETING --for-signing'):
    check every signature, record who signed when, and once the chair and every adjuster have
    signed, write adjusted = DAY under the minutes and seal the record with the signed PDF.
    """
    from motesplats.records import signing
    workspace = _workspace(context)
    plan = _checked_or_exit(workspace).plan
    meeting = _meeting_or_fail(plan, meeting_key)
    if use_seal and not seal_with:
        configured = plan.settings.signing.organisation_seal if plan.settings.signing else ""
        if not configured:
            raise typer.BadParameter("no [signing] organisation_seal in motesplats.toml; name it with --seal-with",
                                     param_hint="--seal")
        seal_with = workspace.root / configured
    if not signed and seal_with is None:
        raise typer.BadParameter("name the signed PDF file(s), or adjust with --seal", param_hint="SIGNED.pdf")
    try:
        done = signing.adjust(workspace, plan, meeting, list(signed or ()),
                              datetime.now(timezone.utc).replace(microsecond=0), seal_with,
                              os.environ.get(signing.SEAL_PASSWORD))
    except signing.Refused as refused:
        typer.echo(f"motesplats: {refused}", err=True)
        typer.echo("Nothing was recorded or sealed.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        typer.echo(f"{len(found.problems)} error(s): nothing was sealed. Fix them and run again.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    if done.accepted:
        typer.echo(f"Accepted the signature(s) of {', '.join(done.accepted)}.")
    if done.waiting:
        total = len(signing.signers(meeting))
        typer.echo(f"Waiting for signatures from {', '.join(f'{s.person.name} ({s.role})' for s in done.waiting)}: "
                   f"{total - len(done.waiting)} of {total} signed; nothing is sealed yet.")
        return
    typer.echo(f"Sealed {done.sealed}, adjusted {done.adjusted_on} (written as adjusted = {done.adjusted_on} under "
               "the minutes): commit both.")


@app.command("seal")
def seal(
    context: typer.Context,
    meeting_key: str = typer.Argument(..., metavar="MEETING",
                                      help="The meeting: an event id, or EVENT/SESSION for a meeting inside an event."),
) -> None:
    """Seal the adjusted minutes of MEETING: write them once, with their extracts, the facts they
    were made from and a manifest of digests, into records/ (to commit); once sealed, seal the
    corrections (rättelser) adjusted since, each as a folder beside the record. `build` does this by
    itself; from then on it publishes the record byte for byte.
    """
    from motesplats.records.seal import seal as seal_meeting, seal_correction, unsealed_corrections
    workspace = _workspace(context)
    checked = _checked_or_exit(workspace)
    plan = checked.plan
    meeting = _meeting_or_fail(plan, meeting_key)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    corrections = [c for m, c in unsealed_corrections(plan, checked.records) if m.key == meeting.key]
    try:
        folders = [seal_correction(workspace, plan, meeting, c, now) for c in corrections] or \
            [seal_meeting(workspace, plan, meeting, now)]
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    for folder in folders:
        typer.echo(f"Sealed {folder}: commit it with the workspace.")


@app.command("invite")
def invite(
    context: typer.Context,
    target_key: str = typer.Argument(..., metavar="EVENT",
                                     help="A meeting (event id, or EVENT/SESSION) or another event with participants."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write the messages to build/outbox/ as .eml files; send nothing."),
    to: Optional[str] = typer.Option(None, "--to", metavar="PERSON", help="Only the message to this person."),
) -> None:
    """Send EVENT as a calendar invitation (iMIP) to everyone summoned or taking part: members as
    required, deputies as optional participants, with the notice as a PDF.

    Run it again after an edit: only what changed goes out (an update with a higher SEQUENCE, or a
    cancellation to those no longer invited or when the meeting is cancelled); the ledger
    calendars/invitations.jsonl records each message the server accepted. The SMTP server is
    [mail] in motesplats.toml; the password (or OAuth client secret) comes from the environment
    variable it names.
    """
    # Sending needs reportlab, the mail and calendar code: loaded here, so other commands start fast.
    from motesplats import invitations
    from motesplats.load.invitation_ledger import read_ledger
    from motesplats.mail import Unreachable
    from motesplats.render import invitation, programme_pdf
    from motesplats.render.programme import build_programme
    workspace = _workspace(context)
    checked = _checked_or_exit(workspace, warn=False)
    plan = checked.plan
    target = _target_or_fail(plan, target_key)
    ledger_file = workspace.root / INVITATION_LEDGER
    try:
        ledger = read_ledger(ledger_file.read_bytes() if ledger_file.is_file() else None,
                                         INVITATION_LEDGER)
        organiser = invitation.organiser_of(plan, target)
        # an invitation never goes out with a lower SEQUENCE than the feeds gave the entry
        feed_sequence = checked.sequence_state.get("entries", {}).get(invitation.uid(plan, target), {}).get("sequence", 0)
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    except ValueError as error:
        typer.echo(f"motesplats: {error}: give the event an organiser = \"…\" whose [[organiser]] in "
                   "motesplats.toml has an email", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    messages = invitations.outgoing(plan, target, ledger, feed_sequence)
    if to:
        if to not in {p.id for p in plan.people}:
            raise typer.BadParameter(f"no person '{to}'; {unknown_hint(to, [p.id for p in plan.people], 'person')}",
                                     param_hint="--to")
        messages = [m for m in messages if m.person.id == to]
    unaddressed = [m for m in messages if not m.person.email]
    messages = [m for m in messages if m.person.email]
    deliver, close = _delivery(workspace, plan, dry_run, target.key.replace("/", "."))
    notices: dict[str, tuple[bytes | None, str]] = {}

    def notice(language: str) -> tuple[bytes | None, str]:
        if language not in notices:
            programme = build_programme(plan, target.event, language)
            notices[language] = (programme_pdf.render(programme, "A4", organiser.name),
                                 f"{target.event.id}.{language}.pdf")
        return notices[language]

    keep = (lambda sent: None) if dry_run else (lambda sent: invitations.record_sent(ledger_file, sent))

    delivered = []

    def told(outcome) -> None:  # refusals are told at the end, together
        if not outcome.refused:
            delivered.append(outcome)
            typer.echo(f"{'written' if dry_run else 'sent'}: {outcome.method} (SEQUENCE {outcome.sequence}) to "
                       f"{outcome.person.name}: {outcome.answer}")

    try:
        outcomes = invitations.send_all(plan, target, messages, deliver, keep,
                                        lambda: datetime.now(timezone.utc), notice, told)
    except Unreachable as error:
        after = ("Nothing more was sent; run again to send the rest." if delivered else
                 "Nothing was sent; fix that and run again.")
        typer.echo(f"motesplats: {str(error).rstrip('.')}. {after}", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    finally:
        close()
    if not messages and not unaddressed:
        typer.echo(f"Nothing to send: everyone invited to {target.key} has the current version.")
    refusal = invitations.common_refusal(outcomes)
    if refusal:
        typer.echo(f"motesplats: the server refused every message with '{refusal}': check [mail] in "
                   f"motesplats.toml. Nothing was sent.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    problems = [o for o in outcomes if o.refused]
    for message in unaddressed:
        where = f"has no e-mail address in {message.person.source}" if message.person.source else \
            "is on no roster now, so there is no address for the cancellation: tell them yourself"
        typer.echo(f"not sent: {message.person.name} ({message.person.id}) {where}", err=True)
    for outcome in problems:
        typer.echo(f"not sent: {outcome.person.name} ({outcome.person.id}): the server answered {outcome.answer}",
                   err=True)
    if problems or unaddressed:
        typer.echo(f"{len(problems) + len(unaddressed)} message(s) not sent; fix them and run again "
                   "(the others are not sent twice).", err=True)
        raise typer.Exit(EXIT_PROBLEMS)


def _target_or_fail(plan, key: str):
    from motesplats.render.invitation import Target
    meeting = find_meeting(plan, key)
    if meeting is not None:
        return Target(meeting.event, meeting)
    event = plan.event(key)
    if event is None or not event.participants:
        known = [m.key for m in meetings.meetings(plan)] + [e.id for e in plan.events if e.participants]
        raise typer.BadParameter(f"no meeting or event with participants '{key}'; {unknown_hint(key, known, 'event')}",
                                 param_hint="EVENT")
    return Target(event)


def _delivery(workspace: Workspace, plan, dry_run: bool, stem: str):
    """How messages go: .eml files in build/outbox/EVENT/ (what this run would send, and only
    that), or the [mail] server with its password."""
    if dry_run:
        outbox = workspace.build_dir / OUTBOX / stem
        shutil.rmtree(outbox, ignore_errors=True)

        def write(message, outgoing) -> str:
            path = outbox / f"{outgoing.person.id}.{outgoing.method.lower()}.eml"
            replace_atomically(path, message.as_bytes(policy=message.policy.clone(linesep="\r\n")))  # as sent
            return workspace.shown(path)
        return write, lambda: None
    mail = plan.settings.mail
    if mail is None:
        typer.echo("motesplats: motesplats.toml has no [mail] table, so there is no server to send through; "
                   "add one (host, user) or use --dry-run.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    if mail.auth == "oauth2":
        variable, whose = mail.client_secret_env, f"the client secret of the application {mail.client_id}"
    else:
        variable, whose = mail.password_env, f"the password of {mail.user}"
    secret = os.environ.get(variable)
    if (mail.user or mail.auth == "oauth2") and not secret:
        typer.echo(f"motesplats: set {whose} in the environment variable {variable} (it is never read from a file).",
                   err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    from motesplats.mail import SmtpTransport
    transport = SmtpTransport(mail, secret)
    return (lambda message, outgoing: transport.send(message)), transport.close


def _meeting_or_fail(plan, key: str):
    found = find_meeting(plan, key)
    if found is None:
        hint = unknown_hint(key, [m.key for m in meetings.meetings(plan)], "meeting")
        raise typer.BadParameter(f"no meeting '{key}'; {hint}", param_hint="MEETING")
    return found


def _record_attendance(workspace: Workspace, plan, meeting, language: str, apologies: list[str], accept: bool,
                       chosen: list[tuple[str, str]]):
    """Write the apologies and deputies into the meeting's attendance file, each step checked with
    the whole workspace first; the plan as it then is."""
    existing = plan.attendance_of(meeting.key).source
    file = workspace.root / existing.file if existing else \
        workspace.attendance_dir / record.attendance_file_name(meeting)
    text = file.read_bytes().decode("utf-8-sig") if file.is_file() else record.new_attendance_text(meeting, language)
    if apologies:
        text = record.with_apologies(text, apologies)
        plan = _plan_with(workspace, file, text)
    if accept:
        proposals = meetings.proposals(find_meeting(plan, meeting.key), plan.attendance_of(meeting.key))
        chosen = chosen + [(p.deputy.person.id, p.member.person.id) for p in proposals if p.deputy]
    if chosen:
        text = record.with_deputies(text, chosen)
        plan = _plan_with(workspace, file, text)
    replace_atomically(file, text.encode("utf-8"))
    typer.echo(f"Recorded in {workspace.shown(file)}.", err=True)
    return plan


def _plan_with(workspace: Workspace, file: Path, text: str):
    """The plan as it would be with `file` holding `text`; on errors print them and exit, writing nothing."""
    checked = check_workspace(workspace, pending={file: text.encode("utf-8")})
    if checked.plan is None:
        _report(checked.errors, err=True)
        typer.echo(f"{len(checked.errors)} error(s): nothing was recorded.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    return checked.plan


@app.command("serve")
def serve_build(
    context: typer.Context,
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    watch_files: bool = typer.Option(False, "--watch", help="Rebuild when a file of the workspace changes."),
    checkin: Optional[str] = typer.Option(None, "--checkin", metavar="MEETING",
                                          help="Also serve the check-in page for the door of MEETING "
                                               "(an event id, or EVENT/SESSION)."),
) -> None:
    """Serve build/ over HTTP for preview: calendar types, ETags, conditional requests, no listings.

    With --checkin, also the page the staff at the door check people in on, by badge scanner or
    by name, each check-in on disk in attendance/ before the page confirms it. Its address holds
    a token made for this run and printed here: give it to the staff only.
    """
    workspace = _workspace(context)
    desk = _desk_or_fail(workspace, checkin) if checkin else None
    try:
        _build_or_exit(workspace, Request(NAMES))
    except typer.Exit:
        if desk is None:
            raise
        typer.echo("Serving the last build and the check-in page all the same.", err=True)
    private = tuple(sorted({*(output(name).folder for name in NAMES if not output(name).published), OUTBOX}))
    httpd = server.make_server(workspace.build_dir, host, port, private=private, checkin=desk)
    stop = threading.Event()
    if watch_files:
        threading.Thread(target=server.watch, daemon=True, kwargs={
            "paths": lambda: _source_files(workspace), "on_change": lambda: _rebuild(workspace),
            "stop": stop}).start()
    address, bound_port = httpd.server_address[:2]
    typer.echo(f"Serving {workspace.build_dir} at http://{address}:{bound_port}/ (Ctrl-C to stop)")
    if desk is not None:
        typer.echo(f"Check-in for {desk.meeting.key}, for the staff at the door only: "
                   f"http://{address}:{bound_port}{httpd.checkin_path}")
        if not _loopback(host):
            typer.echo("Anyone on the network who has that address can check people in, over plain HTTP: "
                       "use it on a network you trust, or behind a TLS proxy.", err=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        httpd.server_close()


def _desk_or_fail(workspace: Workspace, key: str) -> "Desk":
    """The desk for the meeting `key`, open whenever the meeting, its rosters, venues, attendance
    file and check-in log can be read: errors elsewhere are printed and shown on its page. The
    door always opens; only a meeting that cannot be read is refused, with what is wrong."""
    from motesplats.checkin import open_desk
    whole, part = check_usable_part(workspace)
    meeting = find_meeting(part.plan, key) if part.plan else None
    own = {workspace.shown(workspace.checkin_log(meeting.stem)),
           workspace.shown(workspace.attendance_dir / record.attendance_file_name(meeting))} if meeting else set()
    if meeting is None and whole.errors or any(p.file in own for p in whole.errors):
        _report(whole.problems, err=True)
        typer.echo(f"{len(whole.errors)} error(s): the check-in for {key} cannot start until the meeting "
                   "can be read. Fix them and run again.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    if meeting is None:
        meeting = _meeting_or_fail(part.plan, key)
    if whole.errors:
        _report(whole.errors, err=True)
        typer.echo(f"{len(whole.errors)} error(s) elsewhere in the workspace: the check-in for {meeting.key} "
                   "opens all the same (its page lists them); fix them after the meeting.", err=True)
    return open_desk(part.plan, meeting, workspace.checkin_log(meeting.stem), elsewhere=whole.errors)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _source_files(workspace: Workspace) -> list[Path]:
    """What a rebuild reads from the organisers, and the secret."""
    return [*workspace.input_files(), workspace.root / SECRET_FILE]


def _rebuild(workspace: Workspace) -> None:
    try:
        # One process: the server's threads are running, and a fork now could copy a held lock.
        report = build_workspace(workspace, Request(NAMES), jobs=1)
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        typer.echo("Not rebuilt: fix the errors above; still serving the last good build.", err=True)
        return
    typer.echo(f"Rebuilt: {len(report.written)} file(s) changed ({len(report.rendered)} rendered).", err=True)


@app.command("edit")
def edit(
    context: typer.Context,
    port: int = typer.Option(0, "--port", "-p", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."),
    open_browser: bool = typer.Option(True, "--open/--no-open", help="Open the editor in the web browser."),
) -> None:
    """Edit the workspace in the web browser: forms over the same files, checked as you type.

    A save writes the TOML file back with its comments and layout, only when the whole workspace
    checks, and rebuilds what the edit changes. The editor is on 127.0.0.1 only, at an address
    with a token made for this run: keep it to yourself.
    """
    import webbrowser

    from motesplats.editor.server import make_editor_server
    from motesplats.editor.session import EditorSession

    workspace = _workspace(context)
    try:
        build_workspace(workspace, Request(NAMES), jobs=1)  # so the preview shows what is there
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        typer.echo(f"{len(found.problems)} error(s): the editor opens so you can fix them; "
                   "nothing is saved until the whole workspace checks.", err=True)
    httpd = make_editor_server(EditorSession(workspace), "127.0.0.1", port)
    typer.echo(f"Editing {workspace.root} at {httpd.address} (Ctrl-C to stop)", err=False)
    sys.stdout.flush()
    if open_browser:
        webbrowser.open(httpd.address)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


@app.command("personal-links")
def personal_links(
    context: typer.Context,
    roster: Optional[str] = typer.Option(None, "--roster", help="Only the people on this roster."),
) -> None:
    """Print each person's private feed address as CSV (name;e-mail;link), for a mail merge.

    The links are not written anywhere in build/: they are as private as the people's e-mails.
    """
    checked = _checked_or_exit(_workspace(context))
    plan = checked.plan
    people = plan.people
    if roster:
        chosen = next((r for r in plan.rosters if r.id == roster), None)
        if chosen is None:
            raise typer.BadParameter(f"no roster '{roster}'", param_hint="--roster")
        people = tuple(member.person for member in chosen.members)
    secret = _secret_or_exit(_workspace(context))
    from motesplats.outputs import links  # the feeds' code: loaded only by the commands that need it
    _print_csv(["namn", "e-post", "länk"], links.personal_links(plan, secret, people))


@app.command("private-links")
def private_links(context: typer.Context) -> None:
    """Print the addresses of the feeds and programmes that are not public, as CSV (vad;id;titel;länk).

    They are published under names only the workspace's secret gives (a board agenda, the
    delegation's itinerary): hand each to the people it is for. Nothing here is written to build/.
    """
    plan = _checked_or_exit(_workspace(context)).plan
    secret = _secret_or_exit(_workspace(context))
    from motesplats.outputs import links
    _print_csv(["vad", "id", "titel", "länk"], links.private_links(plan, secret))


def _print_csv(header: list[str], rows: list[tuple[str, ...]]) -> None:
    """CSV as Swedish Excel reads it, no cell of which a spreadsheet would run as a formula."""
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])


def _secret_or_exit(workspace: Workspace) -> bytes:
    try:
        return workspace_secret(workspace)
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        raise typer.Exit(EXIT_PROBLEMS)


@app.command("rotate-secret")
def rotate_secret(context: typer.Context) -> None:
    """Give every personal feed a new address; the next build deletes the old ones (revokes all links)."""
    workspace = _workspace(context)
    write_secret(workspace.root / SECRET_FILE)
    typer.echo("New secret written. Run 'motesplats build', then send the new links ('motesplats personal-links').")


import_app = typer.Typer(help="Bring data from elsewhere into the workspace.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("participants")
def import_participants(
    context: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="CSV as exported from Excel or a registration system."),
    roster: str = typer.Option(..., "--roster", help="Roster to merge into: events/ROSTER.csv (created if new)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    title: Optional[str] = typer.Option(None, "--title", help="Title of a new roster, written to events/rosters.toml "
                                        "(default: the roster's id)."),
) -> None:
    """Merge participants from a CSV file into a roster.

    Reads Excel's Swedish export (semicolons, Windows-1252), UTF-8 with or without BOM, commas or
    tabs; maps Swedish or English column names; merges people already on the roster (same e-mail,
    any case) instead of duplicating them; reports every row it cannot use by its line number.
    Exit status 1 when some rows could not be used (the rest are still merged).
    """
    workspace = _workspace(context)
    if not ID_PATTERN.fullmatch(roster):
        raise typer.BadParameter("use lowercase letters, digits and hyphens, e.g. 'board'", param_hint="--roster")
    target = workspace.root / "events" / f"{roster}.csv"
    result = participants_import.read_participants(file.read_bytes(), file.name)
    # Bytes, not read_text: universal newlines would turn the roster's CRLF into LF on every row.
    existing = target.read_bytes().decode("utf-8-sig") if target.is_file() else None
    try:
        merge = participants_import.merge_into_roster(existing, result, workspace.shown(target))
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        typer.echo(f"{workspace.shown(target)} has rows that cannot be read; fix them first.", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    typer.echo(participants_import.describe(merge, dry_run=dry_run))
    if existing is None and not result.rows:
        typer.echo(f"No row could be used, so no roster '{roster}' was created.", err=True)
    elif merge.changed and not dry_run:
        if existing is None:  # the title first: a roster without one is a problem for check
            titles = workspace.root / "events" / ROSTER_TITLES
            current = titles.read_bytes().decode("utf-8-sig") if titles.is_file() else ""
            replace_atomically(titles, participants_import.with_roster_title(current, roster, title or roster).encode())
            typer.echo(f"New roster '{roster}', titled in {workspace.shown(titles)}.")
        replace_atomically(target, merge.content)
    if not result.readable or any(problem.severity.value == "error" for problem in merge.problems):
        raise typer.Exit(EXIT_PROBLEMS)


@import_app.command("replies")
def import_replies(
    context: typer.Context,
    path: Path = typer.Argument(..., exists=True, readable=True,
                                help="An mbox file, a Maildir, a folder of .eml files or one .eml file."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be recorded; write nothing."),
    yes: bool = typer.Option(False, "--yes", help="Record the apologies without asking first."),
) -> None:
    """Read the answers to invitations (accepted, tentative, declined) from a mailbox, match each to
    a person and an invitation sent, and record the declines as apologies in the meetings'
    attendance files, so that 'motesplats attendance' proposes the deputies.

    A reply is used only when it comes from the attendee's own address (and, with [mail]
    replies_authenticated_by, when the organisation's mail server found it genuine). One sent by
    someone else, from an address nobody has, to an entry never sent, or to an older version than
    the last one sent, is reported and not used. What would be recorded is shown first and
    written once confirmed (or with --yes). Exit status 1 when some reply could not be used.
    """
    from motesplats import invitations
    from motesplats.load.invitation_ledger import read_ledger
    from motesplats.load.replies import Unreadable, read_replies
    workspace = _workspace(context)
    plan = _checked_or_exit(workspace, warn=False).plan
    ledger_file = workspace.root / INVITATION_LEDGER
    try:
        ledger = read_ledger(ledger_file.read_bytes() if ledger_file.is_file() else None, INVITATION_LEDGER)
        replies, notes = read_replies(path)
    except ProblemsFound as found:
        _report(tuple(found.problems), err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    except Unreadable as unreadable:
        _say(f"motesplats: {unreadable}", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    answers = invitations.match_replies(plan, replies, ledger)
    for answer in answers:
        if not answer.problem:
            _say(f"{answer.reply.partstat.lower()}: {answer.person.name} ({answer.person.id}), "
                 f"{answer.target.key}" + (f": {answer.reply.comment}" if answer.reply.comment else ""))
    unusable = [answer for answer in answers if answer.problem]
    for answer in unusable:
        _say(f"not used: {answer.reply.found_in}: {answer.problem}", err=True)
    for note in notes:
        _say(f"skipped: {note}", err=True)
    to_record: dict[str, list[str]] = {}
    recorded = 0
    for answer in answers:
        if answer.declined and answer.target.meeting is not None and not answer.target.cancelled:
            key, person = answer.target.meeting.key, answer.person
            if person.id in {p.id for p in plan.attendance_of(key).apologies}:
                _say(f"already recorded: apologies of {person.name} ({person.id}), {key}")
                recorded += 1
            elif person.id not in to_record.get(key, []):
                _say(f"to record: apologies of {person.name} ({person.id}), {key}")
                to_record.setdefault(key, []).append(person.id)
    count = sum(map(len, to_record.values()))
    typer.echo(f"{len(answers) - len(unusable)} repl(ies) matched, {count} decline(s) to record as apologies, "
               f"{recorded} already recorded, {len(unusable)} not used.")
    if dry_run:
        typer.echo("Dry run: nothing was recorded.")
    elif count and not (yes or _confirmed(f"Record {count} apolog(ies) in {len(to_record)} attendance file(s)?")):
        typer.echo("Nothing was recorded (run with --yes to record without being asked).", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    else:
        for key, people in to_record.items():
            meeting = find_meeting(plan, key)
            plan = _record_attendance(workspace, plan, meeting, meeting.language, people, False, [])
    if unusable:
        raise typer.Exit(EXIT_PROBLEMS)


def _say(text: str, err: bool = False) -> None:
    """Print a line holding text from outside (a mail, a file name): its control characters shown."""
    typer.echo(visible(text), err=err)


def _confirmed(question: str) -> bool:
    """The organiser's yes; no when there is nobody to ask (stdin closed or at its end)."""
    try:
        return typer.confirm(question, default=False)
    except typer.Abort:
        return False


def run() -> None:
    """Entry point of the console script."""
    app()
