"""Validation: a workspace's files -> the Plan, or the full list of problems, all at once."""

from __future__ import annotations

from dataclasses import dataclass

from motesplats import badge_styles, fields as spec
from motesplats.cache import BuildCache
from motesplats.load.files import read_bytes
from motesplats.load.rosters_csv import RosterFile, roster_from_bytes
from motesplats.load.toml_files import TomlDocument, toml_from_bytes
from motesplats.model import Plan
from motesplats.problems import Problem, ProblemsFound, is_error
from motesplats.suggest import did_you_mean
from motesplats.validate import badge_roles, conflicts, resolve
from motesplats.validate.shape import At, conform
from motesplats.workspace import Workspace

__all__ = ["Checked", "check_workspace", "load_plan"]


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a workspace: the plan (None when there are errors) and every problem."""

    plan: Plan | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if is_error(p))

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not is_error(p))


def check_workspace(workspace: Workspace, cache: BuildCache | None = None) -> Checked:
    """Load and validate every file of the workspace, collecting all problems.

    With a build `cache`, files whose bytes were parsed before are not parsed again.
    """
    problems: list[Problem] = []
    settings_doc = _read(workspace, workspace.settings_file, problems, cache)
    event_docs = [doc for file in workspace.event_files() if (doc := _read(workspace, file, problems, cache))]
    calendar_docs = [(file.stem, doc) for file in workspace.calendar_files()
                     if (doc := _read(workspace, file, problems, cache))]
    roster_files = _read_rosters(workspace, problems, cache)
    if settings_doc is None:
        return Checked(None, _sorted(problems))

    settings_at = At(settings_doc, ())
    settings_data = conform(settings_doc.data, spec.WORKSPACE, settings_at, problems) or {}
    settings = resolve.build_settings(settings_data, settings_at, problems)
    registry = resolve.Registry(settings, problems)
    resolve.build_organisers(settings_data.get("organiser", []), settings_at, registry)

    events, venues, titles = _conform_event_files(event_docs, problems)
    venue_sources: dict = {}
    for data, at in venues:
        resolve.build_venue(data, at, registry, venue_sources)
    resolve.build_rosters(roster_files, titles, registry)
    event_sources: dict = {}
    for data, at in events:
        resolve.build_event(data, at, registry, event_sources)
    feeds = []
    for identifier, doc in calendar_docs:
        at = At(doc, ())
        data = conform(doc.data, spec.CALENDAR, at, problems)
        if data is not None:
            feeds.append(resolve.build_feed(identifier, data, at, registry))

    plan_events = tuple(sorted(registry.events.values(), key=lambda e: (e.start, e.id)))
    problems += conflicts.room_conflicts(plan_events)
    problems += conflicts.person_conflicts(plan_events)
    problems += conflicts.holiday_warnings(plan_events)
    problems += conflicts.unprintable_names(tuple(registry.people.values()))
    problems += badge_styles.layout_problems(workspace.root / "templates")
    if any(is_error(p) for p in problems):
        return Checked(None, _sorted(problems))
    plan = Plan(settings, tuple(sorted(registry.people.values(), key=lambda p: p.id)),
                tuple(registry.rosters.values()), tuple(registry.venues.values()),
                tuple(registry.organisers.values()), plan_events, tuple(feeds))
    roles = badge_styles.load_roles(workspace.root / "templates")
    problems += badge_roles.role_problems(plan, roles)
    return Checked(plan, _sorted(problems))


def load_plan(workspace: Workspace) -> Plan:
    """The validated plan; raises ProblemsFound when the workspace has errors."""
    checked = check_workspace(workspace)
    if checked.plan is None:
        raise ProblemsFound(list(checked.problems))
    return checked.plan


def _read(workspace: Workspace, file, problems: list[Problem], cache: BuildCache | None) -> TomlDocument | None:
    shown = workspace.shown(file)
    raw = read_bytes(file, shown)
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


def _read_rosters(workspace: Workspace, problems: list[Problem], cache: BuildCache | None) -> list[RosterFile]:
    rosters = []
    for file in workspace.roster_files():
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
