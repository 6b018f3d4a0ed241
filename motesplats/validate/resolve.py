"""Conformed records -> model objects, resolving every reference and reporting what does not resolve."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from motesplats import fields as spec
from motesplats.identifiers import EMAIL_PATTERN, ID_PATTERN, control_character_problem, length_problem, slug
from motesplats.load.rosters_csv import RosterFile, RosterRow
from motesplats.model import (
    AgendaItem, Correction, DeadlineRule, Decision, MailSettings, Minutes, Event, Feed, Leg, Member, Milestone, Organiser, Person, Room, Roster, Session,
    Settings, SigningSettings, Source, Text, Venue,
)
from motesplats.problems import Problem, Severity
from motesplats.suggest import did_you_mean, unknown_hint
from motesplats.validate.shape import At, LANGUAGE_CODE, LAST_YEAR, describe
from motesplats.validate.times import day_after, instant, localize, zone, zone_hint

DEFAULT_REFRESH = timedelta(hours=12)
DEFAULT_KEEP_REMOVED = timedelta(days=90)


@dataclass
class Registry:
    """What has been built so far, to resolve references against."""

    settings: Settings
    problems: list[Problem]
    venues: dict[str, Venue] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    rosters: dict[str, Roster] = field(default_factory=dict)
    organisers: dict[str, Organiser] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)

    def report(self, at: At, key: tuple, message: str, hint: str = "",
               severity: Severity = Severity.ERROR) -> None:
        self.problems.append(at.problem(key, message, hint, severity))

    def text(self, value: object, at: At, key: str) -> Text:
        """Text from a plain string (the workspace's first language) or a language table."""
        if value is None:
            return Text(())
        if isinstance(value, str):
            return Text(((self.settings.language, value),))
        for language in value:
            if language not in self.settings.languages:
                self.report(at, (key,), f"'{language}' is not a language of this workspace",
                            "add it to languages in motesplats.toml, or use one of: "
                            + ", ".join(self.settings.languages))
        return Text(tuple(value.items()))

    def check_id(self, identifier: str, at: At, what: str) -> None:
        if not ID_PATTERN.fullmatch(identifier):
            self.report(at, ("id",), f"'{identifier}' is not a usable id for a {what}",
                        f"use lowercase letters, digits and hyphens, e.g. '{slug(identifier) or 'my-id'}'")

    def claim(self, identifier: str, at: At, first_seen: dict[str, Source], what: str, verb: str,
              hint: str) -> bool:
        """Check a workspace-wide id and record where it is defined; False (reported) if taken."""
        self.check_id(identifier, at, what)
        if identifier in first_seen:
            self.report(at, ("id",), f"duplicate {what} id '{identifier}', first {verb} at "
                        f"{first_seen[identifier]}", hint)
            return False
        first_seen[identifier] = Source(at.doc.path, at.line())
        return True

    def resolve(self, table: dict, identifier: str, at: At, key: tuple, what: str):
        found = table.get(identifier)
        if found is None:
            self.report(at, key, f"unknown {what} '{identifier}'", unknown_hint(identifier, table, what))
        return found

    def resolve_all(self, table: dict, identifiers: list[str], at: At, key: str, what: str) -> tuple:
        found = (self.resolve(table, identifier, at, (key,), what) for identifier in identifiers)
        return tuple(item for item in found if item is not None)


# --- workspace settings ---------------------------------------------------------------------

def build_settings(data: dict, at: At, problems: list[Problem]) -> Settings:
    languages = tuple(data.get("languages") or ("sv",))
    for language in languages:
        if not LANGUAGE_CODE.fullmatch(language):
            codes = re.findall(r"[a-z]+", language)
            hint = (f"write each code in its own quotes: languages = {json.dumps(codes)}" if len(codes) > 1
                    else "use two-letter codes such as sv, en, fr")
            problems.append(at.problem(("languages",), f"'{language}' is not a language code", hint))
    time_zone = data.get("time_zone", "Europe/Stockholm")
    if zone(time_zone) is None:
        problems.append(at.problem(("time_zone",), f"unknown time zone '{time_zone}'", zone_hint(time_zone)))
        time_zone = "Europe/Stockholm"
    base_url = data.get("base_url", "")
    audiences = tuple(data.get("audiences", ()))
    for audience in audiences:
        if not ID_PATTERN.fullmatch(audience):
            problems.append(at.problem(("audiences",), f"'{audience}' is not a usable audience name",
                                       f"use lowercase letters, digits and hyphens, e.g. '{slug(audience)}'"))
    _report_repeats(audiences, at, ("audiences",), "audience", problems)
    keep_removed = timedelta(seconds=data["keep_removed"]) if "keep_removed" in data else DEFAULT_KEEP_REMOVED
    return Settings(data.get("organisation", ""), time_zone, languages, base_url.rstrip("/"), audiences,
                    keep_removed, mail=_mail(data.get("mail"), at, problems),
                    signing=_signing(data.get("signing"), at, problems))


DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


def _mail(data: dict | None, at: At, problems: list[Problem]) -> MailSettings | None:
    if data is None:
        return None
    here = at.child("mail")
    security = data.get("security", "starttls")
    rate = data.get("rate", 30)
    if rate == 0:
        problems.append(here.problem(("rate",), "a rate of 0 messages a minute sends nothing",
                                     "write how many a minute the server allows, e.g. rate = 30"))
    names = {key: data.get(key, default) for key, default in
             (("password_env", "MOTESPLATS_SMTP_PASSWORD"), ("client_secret_env", "MOTESPLATS_OAUTH_CLIENT_SECRET"))}
    for key, variable in names.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", variable):  # not echoed: it may be the secret itself
            problems.append(here.problem((key,), f"{key} is not an environment variable's name",
                                         f"name the variable, e.g. {key} = \"MOTESPLATS_SECRET\"; never the "
                                         "secret itself"))
    vouching = data.get("replies_authenticated_by", "")
    if "replies_authenticated_by" in data and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]*", vouching):
        problems.append(here.problem(("replies_authenticated_by",), f"'{vouching}' is not a mail server's "
                                     "authserv-id", "write the name its Authentication-Results headers begin "
                                     "with, e.g. replies_authenticated_by = \"mx.region.se\""))
    auth = data.get("auth", "password")
    authority = data.get("authority", "").rstrip("/")
    if auth == "oauth2":
        _oauth_settings_complete(data, here, problems)
        authority = authority or f"https://login.microsoftonline.com/{data.get('tenant', '')}"
    return MailSettings(data["host"], data.get("port", DEFAULT_PORTS[security]), security, data.get("user", ""),
                        names["password_env"], rate or 30, Source(here.doc.path, here.line()), auth,
                        data.get("client_id", ""), authority,
                        data.get("scope", MailSettings.scope), names["client_secret_env"],
                        vouching.lower())


def _signing(data: dict | None, at: At, problems: list[Problem]) -> SigningSettings | None:
    """[signing]: the trust roots and the organisation's seal (whose files `check` reads later)."""
    if data is None:
        return None
    here = at.child("signing")
    if "password" in data:  # not echoed: it is the secret itself
        problems.append(here.problem(("password",), "a password is written in the settings",
                                     "remove it: the seal's password comes only from the environment variable "
                                     "MOTESPLATS_SEAL_PASSWORD, never from a file"))
    seal = data.get("organisation_seal", "")
    if seal and not seal.lower().endswith((".p12", ".pfx")):
        problems.append(here.problem(("organisation_seal",), f"'{seal}' is not a PKCS#12 file (.p12 or .pfx)",
                                     "name the seal's .p12 file, e.g. organisation_seal = \"signing/seal.p12\""))
        seal = ""
    return SigningSettings(tuple(data.get("trust_roots", ())), seal, Source(here.doc.path, here.line()))


def _oauth_settings_complete(data: dict, here: At, problems: list[Problem]) -> None:
    """OAuth 2.0 needs the mailbox that sends, the application, and where its token comes from."""
    if not data.get("user"):
        problems.append(here.problem((), "auth = \"oauth2\" needs the mailbox that sends",
                                     "add user = \"kansliet@example.se\" (the mailbox the application may send as)"))
    if not data.get("client_id"):
        problems.append(here.problem((), "auth = \"oauth2\" needs the application's client_id",
                                     "add client_id = \"…\" (Application (client) ID of the app registration)"))
    if not data.get("tenant") and not data.get("authority"):
        problems.append(here.problem((), "auth = \"oauth2\" needs the tenant the application is registered in",
                                     "add tenant = \"…\" (Directory (tenant) ID, or the domain, e.g. example.se)"))


def build_deadlines(entries: list[dict], at: At, registry: Registry) -> None:
    """The settings' deadline rules, once the rosters they name are known; one rule per organ."""
    rules = []
    for index, data in enumerate(entries):
        here = at.child("deadline", index)
        if registry.resolve(registry.rosters, data["organ"], here, ("organ",), "roster") is None:
            continue
        if any(rule.organ == data["organ"] for rule in rules):
            registry.report(here, ("organ",), f"a second [[deadline]] for '{data['organ']}'",
                            "give each organ one [[deadline]] table")
            continue
        durations = {key: timedelta(seconds=data[key]) for key in ("notice", "documents", "adjusted", "posted")
                     if key in data}
        rules.append(DeadlineRule(data["organ"], **durations, source=Source(here.doc.path, here.line())))
    registry.settings = replace(registry.settings, deadlines=tuple(rules))


def build_organisers(entries: list[dict], at: At, registry: Registry) -> None:
    for index, data in enumerate(entries):
        here = at.child("organiser", index)
        registry.check_id(data["id"], here, "organiser")
        if data["id"] in registry.organisers:
            registry.report(here, ("id",), f"duplicate organiser id '{data['id']}'", "give each organiser its own id")
            continue
        _check_email(data.get("email", ""), here, registry)
        registry.organisers[data["id"]] = Organiser(data["id"], data["name"], data.get("email", ""),
                                                    data.get("url", ""))


# --- venues ---------------------------------------------------------------------------------

def build_venue(data: dict, at: At, registry: Registry, first_seen: dict[str, Source]) -> None:
    identifier = data["id"]
    if not registry.claim(identifier, at, first_seen, "venue", "defined", "give each venue its own id"):
        return
    time_zone = data.get("time_zone", registry.settings.time_zone)
    if zone(time_zone) is None:
        registry.report(at, ("time_zone",), f"unknown time zone '{time_zone}'", zone_hint(time_zone))
        time_zone = registry.settings.time_zone
    rooms: list[Room] = []
    for index, room in enumerate(data.get("room", [])):
        room_at = at.child("room", index)
        registry.check_id(room["id"], room_at, "room")
        if any(existing.id == room["id"] for existing in rooms):
            registry.report(room_at, ("id",), f"duplicate room id '{room['id']}' at venue '{identifier}'",
                            "give each room its own id")
            continue
        rooms.append(Room(room["id"], room["name"], room.get("capacity"), room.get("floor", "")))
    registry.venues[identifier] = Venue(
        identifier, data["name"], data["city"], time_zone, data.get("address", ""),
        data.get("postcode", ""), data.get("country", ""), data.get("geo"), data.get("url", ""),
        registry.text(data.get("directions"), at, "directions"), tuple(rooms), first_seen[identifier])


# --- people and rosters ---------------------------------------------------------------------

def build_rosters(files: list[RosterFile], titles: list[tuple[dict, At]], registry: Registry) -> None:
    """People from every roster CSV, merged by id; roster titles from [[roster]] tables."""
    meta: dict[str, tuple[dict, At]] = {}
    for data, at in titles:
        if data["id"] in meta:
            registry.report(at, ("id",), f"duplicate roster '{data['id']}'", "give each roster one [[roster]] table")
        meta.setdefault(data["id"], (data, at))
    for file in files:
        if not ID_PATTERN.fullmatch(file.roster_id):
            registry.problems.append(Problem(file.file, 1, f"'{file.roster_id}' is not a usable roster name",
                                             f"rename the file to {slug(file.roster_id)}.csv"))
        if file.roster_id in registry.rosters:
            registry.problems.append(Problem(file.file, 1, f"duplicate roster '{file.roster_id}'",
                                             "two CSV files have the same name; rename one"))
            continue
        members = _members(file, registry)
        data, at = meta.pop(file.roster_id, ({}, None))
        title = registry.text(data.get("title"), at, "title") if at else Text(((registry.settings.language,
                                                                               file.roster_id),))
        description = registry.text(data.get("description"), at, "description") if at else Text(())
        rules = {"deputy_rule": data.get("deputies", "party"), "quorum": data.get("quorum"),
                 "public_minutes": data.get("public_minutes", False),
                 "minutes_kept_at": data.get("minutes_kept_at", "")}
        if "web_minutes_for" in data:
            rules["web_minutes_for"] = timedelta(seconds=data["web_minutes_for"])
        if "adjustment_limit" in data:
            rules["adjustment_limit"] = timedelta(seconds=data["adjustment_limit"])
        if "announce" in data:
            rules["announce"] = timedelta(seconds=data["announce"])
        if "posting" in data:
            rules["posting"] = timedelta(seconds=data["posting"])
            if rules["posting"] < timedelta(days=1):
                registry.report(at, ("posting",), "the notice of adjusted minutes must stay posted at least a day",
                                "write the organ's rule, e.g. posting = \"3 weeks\"")
        voting = sum(not m.is_deputy for m in members)
        if rules["quorum"] is not None and not 1 <= rules["quorum"] <= voting:
            registry.report(at, ("quorum",), f"a quorum of {rules['quorum']} for {voting} members can never "
                            "(or always) be met", f"write a number from 1 to {voting}, or leave it out for more "
                            "than half")
        _check_personal_deputies(file, members, registry)
        registry.rosters[file.roster_id] = Roster(file.roster_id, title, description, members,
                                                  Source(file.file, 1), **rules)
    for identifier, (_, at) in meta.items():
        registry.report(at, ("id",), f"roster '{identifier}' has no file events/{identifier}.csv",
                        did_you_mean(identifier, registry.rosters) or "add the CSV file or remove this table")
    # A person on several rosters was completed from each row: give every roster the final record.
    for identifier, roster in registry.rosters.items():
        members = tuple(replace(m, person=registry.people[m.person.id]) for m in roster.members)
        registry.rosters[identifier] = replace(roster, members=members)


def _members(file: RosterFile, registry: Registry) -> tuple[Member, ...]:
    members: list[Member] = []
    seen: set[str] = set()
    for row in file.rows:
        person = _person(row, registry)
        if person is None:
            continue
        if person.id in seen:
            registry.problems.append(Problem(row.file, row.line, f"{person.name} ('{person.id}') is on "
                                             "this roster twice", "remove one row, or give them different ids"))
            continue
        seen.add(person.id)
        members.append(Member(person, row.values.get("role", ""), row.values.get("deputy_for", "")))
    return tuple(members)


def _check_personal_deputies(file: RosterFile, members: tuple[Member, ...], registry: Registry) -> None:
    """'ersättare för' names a member of the same roster, on a deputy's row, one deputy per member."""
    lines = {row.values.get("id") or slug(" ".join(row.values.get("name", "").split())): row.line
             for row in file.rows}
    by_id = {m.person.id: m for m in members}
    taken: dict[str, str] = {}
    for member in members:
        if not member.deputy_for:
            continue
        line = lines.get(member.person.id, 1)
        target = by_id.get(member.deputy_for)
        if not member.is_deputy:
            why, hint = f"{member.person.name} is '{member.role}', not a deputy, but has 'ersättare för'", \
                "only a deputy's row names the member they stand in for; empty the cell"
        elif target is None:
            why, hint = f"'ersättare för' names '{member.deputy_for}', who is not on this roster", \
                unknown_hint(member.deputy_for, by_id, "member")
        elif target.is_deputy:
            why, hint = f"'ersättare för' names {target.person.name}, who is a deputy too", \
                "name the member (ledamot) this deputy stands in for"
        elif member.deputy_for in taken:
            why, hint = f"{target.person.name} already has {taken[member.deputy_for]} as personal deputy", \
                "each member has one personal deputy; correct one of the rows"
        else:
            taken[member.deputy_for] = member.person.name
            continue
        registry.problems.append(Problem(file.file, line, why, hint))


def _person(row: RosterRow, registry: Registry) -> Person | None:
    values = row.values
    name = " ".join(values.get("name", "").split())
    if not name:
        registry.problems.append(Problem(row.file, row.line, "the row has no name", "fill in the name column"))
        return None
    for column, value in values.items():
        too_long = length_problem(value, spec.ROSTER_CELL_LENGTHS.get(column, spec.LINE_LENGTH))
        why = too_long or control_character_problem(value, one_line=True)
        if why:
            registry.problems.append(Problem(row.file, row.line, f"the {column} {why}",
                                             "shorten the cell" if too_long else
                                             "retype the cell on one line, or paste it as plain text"))
            return None
    identifier = values.get("id") or slug(name)
    if not ID_PATTERN.fullmatch(identifier):
        registry.problems.append(Problem(row.file, row.line, f"'{identifier}' is not a usable person id",
                                         f"use lowercase letters, digits and hyphens, e.g. '{slug(name)}'"))
        return None
    email = values.get("email", "")
    if email and not EMAIL_PATTERN.fullmatch(email):
        registry.problems.append(Problem(row.file, row.line, f"'{email}' is not an e-mail address",
                                         "write it as name@example.org, or leave the cell empty"))
        email = ""
    languages = tuple(code.strip() for code in re.split(r"[,/ ]+", values.get("languages", "")) if code.strip())
    person = Person(identifier, name, values.get("organisation", ""), values.get("title", ""), email,
                    values.get("party", ""), languages, Source(row.file, row.line))
    known = registry.people.get(identifier)
    if known is None:
        registry.people[identifier] = person
        return person
    if known.name != person.name:
        registry.problems.append(Problem(row.file, row.line, f"id '{identifier}' is {person.name} here but "
                                         f"{known.name} at {known.source}",
                                         "one person keeps one id on every roster; give the other person "
                                         "another id"))
        return None
    return _merged(known, person, row, registry)


def _merged(known: Person, other: Person, row: RosterRow, registry: Registry) -> Person:
    """One person on two rosters: fill gaps from either row, warn where they disagree."""
    updates = {}
    for name in ("organisation", "title", "email", "party", "languages"):
        mine, theirs = getattr(known, name), getattr(other, name)
        if mine and theirs and mine != theirs:
            registry.problems.append(Problem(
                row.file, row.line, f"{other.name}'s {name} is '{theirs}' here but '{mine}' at {known.source}",
                "make the rows agree; the first is used", Severity.WARNING))
        elif theirs and not mine:
            updates[name] = theirs
    if updates:
        known = replace(known, **updates)
        registry.people[known.id] = known
    return known


# --- events ---------------------------------------------------------------------------------

def build_event(data: dict, at: At, registry: Registry, first_seen: dict[str, Source]) -> None:
    identifier = data["id"]
    if not registry.claim(identifier, at, first_seen, "event", "used",
                          "give each event its own id; ids must never be reused"):
        return
    kind = data["kind"]
    for key in data:
        kinds = spec.KIND_ONLY_FIELDS.get(key)
        if kinds and kind not in kinds:
            registry.report(at, (key,), f"'{key}' belongs to events of kind {' or '.join(kinds)}, "
                            f"not {kind}", f"remove '{key}' or set kind = \"{kinds[0]}\"")
    venue = _venue(data, "venue", at, registry)
    time_zone = data.get("time_zone") or (venue.time_zone if venue else registry.settings.time_zone)
    if zone(time_zone) is None:
        registry.report(at, ("time_zone",), f"unknown time zone '{time_zone}'", zone_hint(time_zone))
        return
    all_day = not isinstance(data["start"], datetime)
    if all_day != (not isinstance(data["end"], datetime)):
        registry.report(at, ("end",), f"event '{identifier}' mixes a date and a date with time",
                        "give both start and end a time, or both only a date for whole days")
        return
    start = _moment(data, "start", time_zone, at, registry)
    end = _moment(data, "end", time_zone, at, registry)
    if start is None or end is None:
        return
    if all_day:
        end = datetime.combine(day_after(end.date()), start.timetz())
    if instant(end) <= instant(start):
        registry.report(at, ("end",), f"event '{identifier}' ends before it starts",
                        "the end must come after the start; check dates, times and AM/PM-style slips")
        return
    languages = tuple(data.get("languages") or (registry.settings.language,))
    for language in languages:
        if language not in registry.settings.languages:
            registry.report(at, ("languages",), f"'{language}' is not a language of this workspace",
                            "add it to languages in motesplats.toml")
    span = (start, end)
    sessions = _sessions(data.get("session", []), at, venue, time_zone, span, registry)
    legs = _legs(data.get("leg", []), at, registry)
    milestones = _milestones(data, at, start.date(), languages, registry)
    registry.events[identifier] = Event(
        id=identifier, kind=kind, title=registry.text(data["title"], at, "title"), start=start, end=end,
        all_day=all_day, time_zone=time_zone,
        audiences=_audiences(data.get("audiences", []), at, registry),
        status=data.get("status", "confirmed"),
        subtitle=registry.text(data.get("subtitle"), at, "subtitle"),
        description=registry.text(data.get("description"), at, "description"),
        venue=venue, room=_room(data, venue, at, registry),
        organiser=_organiser(data, at, registry),
        partners=tuple(data.get("partners", ())), url=data.get("url", ""), languages=languages,
        participants=registry.resolve_all(registry.rosters, data.get("participants", []), at, "participants", "roster"),
        contacts=registry.resolve_all(registry.people, data.get("contacts", []), at, "contacts", "person"),
        summoned=registry.resolve_all(registry.rosters, data.get("summoned", []), at, "summoned", "roster"),
        agenda=(agenda := _agenda(data.get("agenda", []), at, registry)),
        minutes=_minutes(data.get("minutes"), at, agenda, registry),
        sessions=sessions, legs=legs, hotel=_venue(data, "hotel", at, registry),
        parties=tuple(data.get("parties", ())),
        signatories=registry.resolve_all(registry.people, data.get("signatories", []), at, "signatories", "person"),
        term_years=data.get("term_years"), milestones=milestones,
        badges=data.get("badges", spec.BADGES_BY_DEFAULT[kind]), source=first_seen[identifier])


def _moment(data: dict, key: str, time_zone: str, at: At, registry: Registry) -> datetime | None:
    moment, why_not = localize(data[key], time_zone)
    if moment is None:
        registry.report(at, (key,), f"'{key}' of {describe(spec.EVENT, data)}: {why_not}",
                        "choose a time an hour earlier or later")
    return moment


def _venue(data: dict, key: str, at: At, registry: Registry) -> Venue | None:
    return registry.resolve(registry.venues, data[key], at, (key,), "venue") if key in data else None


def _room(data: dict, venue: Venue | None, at: At, registry: Registry):
    if "room" not in data:
        return None
    if venue is None:
        registry.report(at, ("room",), f"room '{data['room']}' is given but no venue", "add venue = \"…\"")
        return None
    room = venue.room(data["room"])
    if room is None:
        registry.report(at, ("room",), f"venue '{venue.id}' has no room '{data['room']}'",
                        unknown_hint(data["room"], [r.id for r in venue.rooms], "room"))
    return room


def _organiser(data: dict, at: At, registry: Registry) -> Organiser | None:
    if "organiser" not in data:
        return None
    return registry.resolve(registry.organisers, data["organiser"], at, ("organiser",), "organiser")


def _audiences(audiences: list[str], at: At, registry: Registry) -> tuple[str, ...]:
    for audience in audiences:
        if audience not in registry.settings.audiences:
            registry.report(at, ("audiences",), f"unknown audience '{audience}'",
                            unknown_hint(audience, registry.settings.audiences, "audience")
                            + " (audiences are declared in motesplats.toml)")
    return tuple(audience for audience in audiences if audience in registry.settings.audiences)


def _minutes(data: dict | None, meeting_at: At, agenda: tuple[AgendaItem, ...],
             registry: Registry) -> Minutes | None:
    """The minutes' decisions checked against the agenda: each for an item on it, once, and
    'as proposed' only where the notice made a proposal."""
    if data is None:
        return None
    at = meeting_at.child("minutes")
    if not agenda:
        registry.report(at, (), "minutes are recorded for a meeting without an agenda",
                        "write the agenda as [[…agenda]] items first; the minutes follow its numbers")
        return None
    people = registry.people
    decisions: dict[int, Decision] = {}

    def claim(item: int, where: At, key: tuple) -> bool:
        if not 1 <= item <= len(agenda):
            registry.report(where, key, f"a decision is recorded for item {item}, which is not on the agenda",
                            f"the agenda has items 1 to {len(agenda)}; an item raised at the meeting is "
                            "added to the agenda first")
            return False
        if item in decisions:
            registry.report(where, key, f"item {item} ('{agenda[item - 1].title.get(registry.settings.language)}') has two decisions",
                            "record each item's decision once: in as_proposed or in one [[…decision]]")
            return False
        return True

    for index, entry in enumerate(data.get("decision", [])):
        here = at.child("decision", index)
        item = entry["item"]
        if not claim(item, here, ("item",)):
            continue
        text = registry.text(entry.get("text"), here, "text")
        if "reservation_reason" in entry and not entry.get("reservations"):
            registry.report(here, ("reservation_reason",), "a reservation's reason is given but nobody reserved",
                            "name who entered it: reservations = [\"…\"]")
        if not text and not agenda[item - 1].proposal:
            registry.report(here, ("item",), f"item {item} had no proposal, so it cannot be decided as proposed",
                            "write what was decided as text = \"…\"")
        decisions[item] = Decision(
            item, text,
            adjusters=registry.resolve_all(people, entry.get("adjusters", []), here, "adjusters", "person"),
            reservations=registry.resolve_all(people, entry.get("reservations", []), here, "reservations", "person"),
            reservation_reason=registry.text(entry.get("reservation_reason"), here, "reservation_reason"),
            dispatch=tuple(entry.get("dispatch", ())), notes=registry.text(entry.get("notes"), here, "notes"),
            source=Source(here.doc.path, here.line()))
    for item in data.get("as_proposed", []):
        if not claim(item, at, ("as_proposed",)):
            continue
        if not agenda[item - 1].proposal:
            registry.report(at, ("as_proposed",), f"item {item} had no proposal to decide as proposed",
                            f"record item {item} as a [[…decision]] with its own text")
            continue
        decisions[item] = Decision(item, source=Source(at.doc.path, at.line("as_proposed")))
    if data.get("first_paragraph") == 0:
        registry.report(at, ("first_paragraph",), "§ numbers start at 1", "write first_paragraph = 1 or more")
    adjusted, posted = data.get("adjusted"), data.get("posted")
    if posted and not adjusted:
        registry.report(at, ("posted",), "the minutes are posted but not adjusted",
                        "write the day they were adjusted: adjusted = 2018-03-20")
    elif posted and adjusted and posted < adjusted:
        registry.report(at, ("posted",), "the minutes are posted before they were adjusted",
                        "the notice of adjustment is posted on or after the adjustment day")
    return Minutes(
        secretary=registry.resolve(people, data["secretary"], at, ("secretary",), "person"),
        chair=registry.resolve(people, data["chair"], at, ("chair",), "person") if "chair" in data else None,
        decisions=tuple(sorted(decisions.values(), key=lambda d: d.item)),
        first_paragraph=data.get("first_paragraph"), adjusted=adjusted,
        adjusted_place=data.get("adjusted_place", ""), posted=posted, source=Source(at.doc.path, at.line()),
        corrections=_corrections(data.get("correction", []), at, adjusted, registry))


def _corrections(entries: list[dict], at: At, adjusted: date | None, registry: Registry) -> tuple[Correction, ...]:
    """The corrections (rättelser) of the minutes: each of adjusted minutes, on or after their
    adjustment, one a day (a day's corrections are one addendum). Their § numbers are checked
    against the record (records/compare.py)."""
    found: dict = {}
    for index, entry in enumerate(entries):
        here = at.child("correction", index)
        day = entry["adjusted"]
        if adjusted is None:
            registry.report(here, (), "a correction (rättelse) of minutes that are not adjusted",
                            "edit the minutes themselves until they are adjusted; a correction comes after")
            continue
        if day < adjusted:
            registry.report(here, ("adjusted",), f"the correction is adjusted on {day}, before the minutes "
                            f"it corrects ({adjusted})", f"a correction is adjusted on {adjusted} or later")
            continue
        if not entry.get("paragraphs") and not entry.get("covers"):
            registry.report(here, (), "the correction names no § and covers nothing else",
                            "name the § numbers it corrects, e.g. paragraphs = [22], or what else it corrects, "
                            'e.g. covers = ["attendance"] (' + ", ".join(spec.CORRECTION_COVERS) + ")")
            continue
        if day in found:
            registry.report(here, ("adjusted",), f"two corrections of the same minutes are adjusted on {day}",
                            "write what was corrected that day as one correction (paragraphs = [..] names "
                            "every § it concerns, covers = [..] what else)")
            continue
        found[day] = Correction(
            day, tuple(sorted(set(entry.get("paragraphs", ())))), registry.text(entry.get("text"), here, "text"),
            registry.resolve_all(registry.people, entry.get("adjusters", []), here, "adjusters", "person"),
            Source(here.doc.path, here.line()),
            tuple(part for part in spec.CORRECTION_COVERS if part in entry.get("covers", ())))
    return tuple(found[day] for day in sorted(found))


def _agenda(items: list[dict], at: At, registry: Registry, key: tuple = ()) -> tuple[AgendaItem, ...]:
    agenda = []
    for number, data in enumerate(items, start=1):
        item_at = at.child(*key, "agenda", number - 1)
        presenter = None
        if "presenter" in data:
            presenter = registry.resolve(registry.people, data["presenter"], item_at, ("presenter",), "person")
        agenda.append(AgendaItem(number, registry.text(data["title"], item_at, "title"), presenter,
                                 registry.text(data.get("proposal"), item_at, "proposal"),
                                 tuple(data.get("documents", ())), registry.text(data.get("notes"), item_at, "notes"),
                                 Source(item_at.doc.path, item_at.line()), data.get("web", True),
                                 data.get("web_reason", "")))
    return tuple(agenda)


def _sessions(entries: list[dict], at: At, event_venue: Venue | None, time_zone: str,
              span: tuple[datetime, datetime], registry: Registry) -> tuple[Session, ...]:
    sessions: list[Session] = []
    seen: set[str] = set()
    for index, data in enumerate(entries):
        here = at.child("session", index)
        identifier = data["id"]
        registry.check_id(identifier, here, "session")
        if identifier in seen:
            registry.report(here, ("id",), f"duplicate session id '{identifier}' in this event",
                            "give each session its own id")
            continue
        seen.add(identifier)
        venue = _venue(data, "venue", here, registry) if "venue" in data else event_venue
        zone_name = venue.time_zone if "venue" in data and venue else time_zone
        times = [_session_time(data, key, zone_name, here, registry) for key in ("start", "end")]
        if None in times:
            continue
        start, end = times
        if instant(end) <= instant(start):
            registry.report(here, ("end",), f"session '{identifier}' ends before it starts",
                            "the end must come after the start")
            continue
        if instant(start) < instant(span[0]) or instant(end) > instant(span[1]):
            registry.report(here, ("start",), f"session '{identifier}' ({start:%Y-%m-%d %H:%M}–"
                            f"{end:%H:%M}) is outside its event ({span[0]:%Y-%m-%d %H:%M} – "
                            f"{span[1]:%Y-%m-%d %H:%M})", "move the session, or widen the event's start and end")
            continue
        sessions.append(Session(
            id=identifier, kind=data.get("kind", "session"), title=registry.text(data["title"], here, "title"),
            start=start, end=end, venue=venue, room=_room(data, venue, here, registry),
            description=registry.text(data.get("description"), here, "description"),
            speakers=registry.resolve_all(registry.people, data.get("speakers", []), here, "speakers", "person"),
            moderators=registry.resolve_all(registry.people, data.get("moderators", []), here, "moderators", "person"),
            audiences=_audiences(data.get("audiences", []), here, registry),
            status=data.get("status", "confirmed"),
            summoned=registry.resolve_all(registry.rosters, data.get("summoned", []), here, "summoned", "roster"),
            agenda=(agenda := _agenda(data.get("agenda", []), here, registry)),
            minutes=_minutes(data.get("minutes"), here, agenda, registry),
            source=Source(here.doc.path, here.line())))
    return tuple(sorted(sessions, key=lambda session: (instant(session.start), instant(session.end), session.id)))


def _session_time(data: dict, key: str, zone_name: str, at: At, registry: Registry) -> datetime | None:
    if not isinstance(data[key], datetime):
        registry.report(at, (key,), f"'{key}' of session '{data['id']}' needs a time of day",
                        "write it as 2018-05-17T09:30:00")
        return None
    moment, why_not = localize(data[key], zone_name)
    if moment is None:
        registry.report(at, (key,), f"'{key}' of session '{data['id']}': {why_not}",
                        "choose a time an hour earlier or later")
    return moment


def _legs(entries: list[dict], at: At, registry: Registry) -> tuple[Leg, ...]:
    legs: list[Leg] = []
    for index, data in enumerate(entries):
        here = at.child("leg", index)
        registry.check_id(data["id"], here, "leg")
        if any(leg.id == data["id"] for leg in legs):
            registry.report(here, ("id",), f"duplicate leg id '{data['id']}'", "give each leg its own id")
            continue
        origin = registry.resolve(registry.venues, data["from"], here, ("from",), "venue")
        destination = registry.resolve(registry.venues, data["to"], here, ("to",), "venue")
        if origin is None or destination is None:
            continue
        depart, why_depart = localize(data["depart"], origin.time_zone)
        arrive, why_arrive = localize(data["arrive"], destination.time_zone)
        for key, why in (("depart", why_depart), ("arrive", why_arrive)):
            if why:
                registry.report(here, (key,), f"'{key}' of leg '{data['id']}': {why}", "check the time")
        if depart is None or arrive is None:
            continue
        if instant(arrive) <= instant(depart):
            registry.report(here, ("arrive",), f"leg '{data['id']}' arrives ({arrive:%H:%M %Z}) before it "
                            f"departs ({depart:%H:%M %Z})", "each time is in its own place's time zone; "
                            "check the date and the zone of each venue")
            continue
        legs.append(Leg(data["id"], data["mode"], origin, destination, depart, arrive,
                        data.get("carrier", ""), data.get("number", ""), data.get("booking", ""),
                        registry.text(data.get("notes"), here, "notes"), Source(here.doc.path, here.line())))
    return tuple(sorted(legs, key=lambda leg: instant(leg.depart)))


MILESTONE_TITLES = {
    "in-force": {"sv": "Avtalet träder i kraft", "en": "The agreement enters into force",
                 "fr": "Entrée en vigueur de l'accord"},
    "term-ends": {"sv": "Avtalsperioden löper ut", "en": "The agreement's term ends",
                  "fr": "Fin de la durée de l'accord"},
}


def _milestones(data: dict, at: At, signed: date, languages: tuple[str, ...],
                registry: Registry) -> tuple[Milestone, ...]:
    """Milestones as written, plus entry into force and end of term when term_years is set."""
    milestones: list[Milestone] = []
    years = data.get("term_years")
    if years and signed.year + years > LAST_YEAR:
        registry.report(at, ("term_years",), f"a term of {years} years from {signed.year} ends after {LAST_YEAR}",
                        "write the agreement's term in years, e.g. term_years = 4")
    elif years:
        end = _add_years(signed, years)
        for identifier, day in (("in-force", signed), ("term-ends", end)):
            titles = MILESTONE_TITLES[identifier]
            wanted = [lang for lang in (*languages, *registry.settings.languages) if lang in titles]
            text = Text(tuple((lang, titles[lang]) for lang in dict.fromkeys(wanted)))
            milestones.append(Milestone(identifier, day, text, derived=True))
    for index, entry in enumerate(data.get("milestone", [])):
        here = at.child("milestone", index)
        registry.check_id(entry["id"], here, "milestone")
        if any(milestone.id == entry["id"] for milestone in milestones):
            registry.report(here, ("id",), f"duplicate milestone id '{entry['id']}'",
                            "give each milestone its own id ('in-force' and 'term-ends' are made from term_years)")
            continue
        milestones.append(Milestone(entry["id"], entry["date"], registry.text(entry["title"], here, "title")))
    # An organiser's own milestone on the day of a derived one says it better: keep only theirs.
    written = {milestone.date for milestone in milestones if not milestone.derived}
    milestones = [m for m in milestones if not (m.derived and m.date in written)]
    return tuple(sorted(milestones, key=lambda milestone: milestone.date))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


# --- calendars ------------------------------------------------------------------------------

def build_feed(identifier: str, data: dict, at: At, registry: Registry) -> Feed | None:
    if not ID_PATTERN.fullmatch(identifier):
        registry.report(at, (), f"'{identifier}' is not a usable feed name",
                        f"rename the file to {slug(identifier)}.toml")
    language = data.get("language", registry.settings.language)
    if language not in registry.settings.languages:
        registry.report(at, ("language",), f"'{language}' is not a language of this workspace",
                        unknown_hint(language, registry.settings.languages, "language"))
    for event_id in data.get("events", []):
        registry.resolve(registry.events, event_id, at, ("events",), "event")
    if not data.get("audiences") and not data.get("events"):
        registry.report(at, (), f"feed '{identifier}' selects nothing",
                        "add audiences = [\"public\"] or events = [\"…\"]")
    return Feed(identifier, registry.text(data["name"], at, "name"),
                registry.text(data.get("description"), at, "description"), language,
                _audiences(data.get("audiences", []), at, registry), tuple(data.get("events", ())),
                data.get("sessions", "none"), data.get("include_tentative", True),
                tuple(timedelta(seconds=s) for s in data.get("alarms", ())),
                timedelta(seconds=data["refresh"]) if "refresh" in data else DEFAULT_REFRESH,
                data.get("public", True), Source(at.doc.path, 1), data.get("deadlines", False))


# --- helpers --------------------------------------------------------------------------------

def _check_email(email: str, at: At, registry: Registry) -> None:
    if email and not EMAIL_PATTERN.fullmatch(email):
        registry.report(at, ("email",), f"'{email}' is not an e-mail address", "write it as name@example.org")


def _report_repeats(values: tuple[str, ...], at: At, key: tuple, what: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            problems.append(at.problem(key, f"{what} '{value}' is listed twice", "remove one"))
        seen.add(value)
