"""Validation: a workspace's files -> the Plan, or the full list of problems, all at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from motesplats import badge_styles, fields as spec
from motesplats.cache import BuildCache
from motesplats.load.checkin_log import parse_checkin_log
from motesplats.load.files import read_bytes
from motesplats.load.invitation_ledger import invited as invited_by_uid, read_ledger
from motesplats.load.rosters_csv import RosterFile, roster_from_bytes
from motesplats.load.sequence_state import read_sequence_state
from motesplats.load.toml_files import TomlDocument, toml_from_bytes
from motesplats.model import Plan
from motesplats.problems import Problem, ProblemsFound, is_error
from motesplats.records import compare as sealed
from motesplats.records.folder import Record, read_records
from motesplats.records.signing import signing_settings_problems
from motesplats.suggest import did_you_mean
from motesplats.validate import attendance as meeting_records, badge_roles, conflicts, resolve, web_copy
from motesplats.validate.shape import At, conform
from motesplats.workspace import CHECKIN_LOG_SUFFIX, INVITATION_LEDGER, SEQUENCE_FILE, Workspace

__all__ = ["Checked", "check_usable_part", "check_workspace", "load_plan"]

# The settings that the other files are checked against, so that a mistake in one of them would
# show as a mistake in every events and calendar file (the time zone has a safe default instead).
SETTINGS_EVERY_FILE_USES = ("languages", "audiences")


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a workspace: the plan (None when there are errors) and every problem;
    with the plan, the feeds' sequence state as read, so that a build does not read it again."""

    plan: Plan | None
    problems: tuple[Problem, ...]
    records: dict[str, Record] = field(default_factory=dict)  # the sealed records, by meeting key
    sequence_state: dict = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if is_error(p))

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not is_error(p))


def check_workspace(workspace: Workspace, cache: BuildCache | None = None, today: date | None = None,
                    pending: Mapping[Path, bytes] | None = None, leave_out: frozenset[str] = frozenset()) -> Checked:
    """Load and validate every file of the workspace, collecting all problems.

    With a build `cache`, files whose bytes were parsed before are not parsed again. `today`
    (default: the real one) decides which meetings are past and should have minutes. `pending`
    holds files as a command is about to write them (path -> bytes; an attendance file may be
    new): checked as if written, so nothing is written that does not check. The files in `leave_out`
    (as shown) are read as if they were not there (see check_usable_part).
    """
    problems: list[Problem] = []
    pending = dict(pending or {})

    def kept(files: list[Path]) -> list[Path]:
        return [file for file in files if workspace.shown(file) not in leave_out]

    def read(file: Path) -> TomlDocument | None:
        return _read(workspace, file, problems, cache, pending.get(file))

    settings_doc = read(workspace.settings_file)
    event_files = kept(workspace.event_files())
    event_docs = [doc for file in event_files if (doc := read(file))]
    calendar_docs = [(file.stem, doc) for file in kept(workspace.calendar_files()) if (doc := read(file))]
    roster_files = _read_rosters(workspace, kept(workspace.roster_files()), problems, cache)
    # A new attendance file is checked before it exists; the other files pending are read in place.
    attendance_files = sorted({*kept(workspace.attendance_files()),
                               *(file for file in pending if file.parent == workspace.attendance_dir)})
    attendance_docs = [doc for file in attendance_files if (doc := read(file))]
    checkin_logs = _read_checkin_logs(workspace, kept(workspace.checkin_logs()), problems)
    invited = {} if INVITATION_LEDGER in leave_out else _read_invited(workspace, problems)
    sequence_state = {} if SEQUENCE_FILE in leave_out else _read_sequence_state(workspace, problems)
    if settings_doc is None:
        return Checked(None, _sorted(problems))

    settings_at = At(settings_doc, ())
    settings_problems: list[Problem] = []
    settings_data = conform(settings_doc.data, spec.WORKSPACE, settings_at, settings_problems)
    settings = resolve.build_settings(settings_data or {}, settings_at, settings_problems)
    settings_problems += signing_settings_problems(settings.signing, workspace.root)
    problems += settings_problems
    events, venues, titles = _conform_event_files(event_docs, problems)
    calendars = [(identifier, At(doc, ()), conform(doc.data, spec.CALENDAR, At(doc, ()), problems))
                 for identifier, doc in calendar_docs]
    problems += web_copy.workspace_problems(events, venues, titles, calendars, roster_files)
    if settings_data is None or _wrong_at(settings_problems, settings_at, SETTINGS_EVERY_FILE_USES):
        # Every text and audience in the other files is checked against these settings: with them
        # wrong, what follows would repeat the one mistake hundreds of times, once per title.
        return Checked(None, _sorted(problems))
    registry = resolve.Registry(settings, problems)
    resolve.build_organisers(settings_data.get("organiser", []), settings_at, registry)

    venue_sources: dict = {}
    for data, at in venues:
        resolve.build_venue(data, at, registry, venue_sources)
    resolve.build_rosters(roster_files, titles, registry)
    resolve.build_deadlines(settings_data.get("deadline", []), settings_at, registry)
    event_sources: dict = {}
    for data, at in events:
        resolve.build_event(data, at, registry, event_sources)
    feeds = [resolve.build_feed(identifier, data, at, registry) for identifier, at, data in calendars
             if data is not None]

    records, found = read_records(workspace)
    problems += found
    plan_events, found = sealed.with_frozen_numbers(
        tuple(sorted(registry.events.values(), key=lambda e: (e.start, e.id))), records)
    problems += found + sealed.numbers_held(plan_events, records)
    # With an events file unreadable, its meetings are unknown: the attendance naming them is not
    # reported as well (the syntax error is what to fix).
    attendance = meeting_records.build_attendance(attendance_docs, checkin_logs, list(plan_events), registry,
                                                  all_events_read=len(event_docs) == len(event_files))
    attendance, found = sealed.as_sealed(attendance, records, plan_events)
    problems += found + sealed.differences(records, plan_events, attendance,
                                           all_events_read=not any(is_error(p) for p in problems))
    problems += meeting_records.lifecycle_problems(list(plan_events), attendance, today or date.today())
    problems += meeting_records.paragraph_overlaps(list(plan_events), frozenset(records))
    problems += meeting_records.invitations_due(registry.settings, list(plan_events), invited, today or date.today())
    problems += conflicts.room_conflicts(plan_events)
    problems += conflicts.person_conflicts(plan_events)
    problems += conflicts.holiday_warnings(plan_events)
    problems += conflicts.unprintable_names(tuple(registry.people.values()))
    problems += badge_styles.layout_problems(workspace.root / "templates")
    problems += _template_problems(workspace)
    problems = [p for p in problems if p.file not in leave_out]  # the templates' and records' (not read here)
    if any(is_error(p) for p in problems):
        return Checked(None, _sorted(problems), records)
    plan = Plan(registry.settings, tuple(sorted(registry.people.values(), key=lambda p: p.id)),
                tuple(registry.rosters.values()), tuple(registry.venues.values()),
                tuple(registry.organisers.values()), plan_events, tuple(feeds), attendance, invited)
    roles = badge_styles.load_roles(workspace.root / "templates")
    problems += badge_roles.role_problems(plan, roles)
    return Checked(plan, _sorted(problems), records, sequence_state)


def check_usable_part(workspace: Workspace) -> tuple[Checked, Checked]:
    """The workspace checked as a whole, and the largest part of it that checks: every file with an
    error left out, then every file with an error without those, until none has one. For what must
    start despite a mistake elsewhere (the door): the part's plan holds what can be read, and the
    whole's problems say what is wrong. Without the settings there is no part (its plan is None)."""
    whole = part = check_workspace(workspace)
    left_out: frozenset[str] = frozenset()
    while part.plan is None:
        wrong = frozenset(p.file for p in part.errors) - left_out
        if not wrong or workspace.shown(workspace.settings_file) in wrong:
            break
        left_out |= wrong
        part = check_workspace(workspace, leave_out=left_out)
    return whole, part


def _wrong_at(problems: list[Problem], at: At, keys: tuple[str, ...]) -> bool:
    """Whether an error in `problems` is at one of `keys` of the record at `at`."""
    lines = {at.line(key) for key in keys}
    return any(is_error(p) and p.file == at.doc.path and p.line in lines for p in problems)


def load_plan(workspace: Workspace) -> Plan:
    """The validated plan; raises ProblemsFound when the workspace has errors."""
    checked = check_workspace(workspace)
    if checked.plan is None:
        raise ProblemsFound(list(checked.problems))
    return checked.plan


def _read(workspace: Workspace, file: Path, problems: list[Problem], cache: BuildCache | None,
          pending: bytes | None = None) -> TomlDocument | None:
    shown = workspace.shown(file)
    raw = read_bytes(file, shown) if pending is None else pending
    if isinstance(raw, Problem):
        problems.append(raw)
        return None
    result = cache.parsed_toml(raw, shown) if cache else None
    if result is None:
        result = toml_from_bytes(raw, shown)
        if cache:
            cache.keep_toml(raw, shown, result)
    if isinstance(result, Problem):
        problems.append(result)
        return None
    return result


def _template_problems(workspace: Workspace) -> list[Problem]:
    """The workspace's own Jinja templates checked as a build would use them, so that `check` and
    the editor report what `build` would (the renderers' environment decides what parses)."""
    if not workspace.template_files():
        return []
    from motesplats.render.templates import workspace_template_problems  # Jinja only when there are templates
    return workspace_template_problems(workspace)


def _read_rosters(workspace: Workspace, files: list[Path], problems: list[Problem],
                  cache: BuildCache | None) -> list[RosterFile]:
    rosters = []
    for file in files:
        shown = workspace.shown(file)
        raw = read_bytes(file, shown)
        if isinstance(raw, Problem):
            problems.append(raw)
            rosters.append(RosterFile(file.stem, shown, ()))
            continue
        parsed = cache.parsed_roster(raw, shown) if cache else None
        if parsed is None:
            parsed = roster_from_bytes(raw, file.stem, shown)
            if cache:
                cache.keep_roster(raw, shown, parsed)
        roster, found = parsed
        problems += found
        rosters.append(roster)
    return rosters


def _read_sequence_state(workspace: Workspace, problems: list[Problem]) -> dict:
    """The feeds' sequence state; builds write it, and a damaged one would stop the next."""
    try:
        return read_sequence_state(workspace.root)
    except ProblemsFound as found:
        problems += found.problems
        return {}


def _read_invited(workspace: Workspace, problems: list[Problem]) -> dict[str, frozenset[str]]:
    """Who has been sent an invitation to what, from the ledger `motesplats invite` keeps."""
    file = workspace.root / INVITATION_LEDGER
    if not file.is_file():
        return {}
    raw = read_bytes(file, INVITATION_LEDGER)
    if isinstance(raw, Problem):
        problems.append(raw)
        return {}
    try:
        return invited_by_uid(read_ledger(raw, INVITATION_LEDGER))
    except ProblemsFound as found:
        problems += found.problems
        return {}


def _read_checkin_logs(workspace: Workspace, files: list[Path],
                       problems: list[Problem]) -> dict[str, tuple[str, tuple]]:
    """Each check-in log's entries by meeting stem, with the file as shown; bad lines are problems."""
    logs = {}
    for file in files:
        shown = workspace.shown(file)
        raw = read_bytes(file, shown)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        entries, found = parse_checkin_log(raw, shown)
        problems += found
        logs[file.name.removesuffix(CHECKIN_LOG_SUFFIX)] = (shown, entries)
    return logs


def _conform_event_files(docs: list[TomlDocument], problems: list[Problem]):
    """Check each events file's shape; return (event, venue, roster-title) records with positions."""
    events, venues, titles = [], [], []
    for doc in docs:
        _check_top_level(doc, problems)
        defaults = _defaults(doc, problems)
        for at, raw in _entries(doc, "event", problems):
            inherited = frozenset(key for key in defaults if key not in raw)
            at = At(doc, at.path, inherited)
            data = conform({**defaults, **raw}, spec.EVENT, at, problems)
            if data is not None:
                events.append((data, at))
        venues += _conformed(doc, "venue", spec.VENUE, problems)
        titles += _conformed(doc, "roster", spec.ROSTER, problems)
    return events, venues, titles


def _check_top_level(doc: TomlDocument, problems: list[Problem]) -> None:
    known = spec.EVENTS_FILE.names
    for key in doc.data:
        if key not in known:
            hint = did_you_mean(key, known) or "an events file holds [[event]], [[venue]], [[roster]] and [defaults]"
            problems.append(Problem(doc.path, doc.line((key,)), f"unknown table '{key}'", hint))


def _entries(doc: TomlDocument, key: str, problems: list[Problem]) -> list[tuple[At, dict]]:
    raw = doc.data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        problems.append(Problem(doc.path, doc.line((key,)), f"'{key}' should be a list of tables",
                                f"write each one under its own [[{key}]] header"))
        return []
    return [(At(doc, (key, index)), entry) for index, entry in enumerate(raw)]


def _defaults(doc: TomlDocument, problems: list[Problem]) -> dict:
    """The [defaults] table, checked once as event fields (none of them required there)."""
    raw = doc.data.get("defaults")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(doc.path, doc.line(("defaults",)), "'defaults' should be a table",
                                "write it as a [defaults] header followed by keys"))
        return {}
    passed = conform(raw, spec.EVENT, At(doc, ("defaults",)), problems, optional=frozenset(spec.EVENT.names))
    if "id" in raw:
        problems.append(Problem(doc.path, doc.line(("defaults", "id")), "[defaults] cannot set an id",
                                "every event needs its own id"))
    # Only values that passed are handed on, so a mistake in [defaults] is reported once, there.
    return {key: raw[key] for key in passed or {} if key != "id"}


def _conformed(doc: TomlDocument, key: str, record: spec.Record, problems: list[Problem]):
    conformed = ((conform(entry, record, at, problems), at) for at, entry in _entries(doc, key, problems))
    return [(data, at) for data, at in conformed if data is not None]


def _sorted(problems: list[Problem]) -> tuple[Problem, ...]:
    """Every problem once, in file and line order."""
    return tuple(sorted(set(problems)))
