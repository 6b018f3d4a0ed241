"""Benchmark: calendar feeds for a workspace at Almedalen scale.

What it measures
----------------
It generates (deterministically, from a seed) a workspace the size of Almedalen Week: about
4,000 public events in Visby during 1-8 July 2018, mostly single seminars of 45-90 minutes in
60 venues' rooms (no room or speaker booked twice at once), and 10,000 people on roster CSV
files, each taking part in about 20 events (as members of the rosters an event names in
`participants`, or as speakers and moderators). Two public feeds: calendars/public.toml
(sessions = "none": one entry per event) and calendars/programme.toml (sessions = "all").
The workspace must pass the same check as `motesplats check`, or the benchmark stops.

Then it times, each scenario in its own fresh Python process (so peaks do not leak between
scenarios) and repeated --repeat times:

  a  load + validate         check_workspace(workspace)
  b  one 4,000-event feed    motesplats.render.feeds.render() on the plan restricted to the public
                             feed and to no people (selection, sequence ledger, iCalendar text);
                             the bytes are compared with public.ics of the full build
  c  10,000 personal feeds   render() of the plan without named feeds, then write_files() into an
                             empty folder (timed separately and together)
  d  full build              build() with build/ and calendars/sequence.json removed first
  e1 rebuild after one edit  one event's title changed in its TOML file, then build()
  e2 no-change rebuild       build() again with nothing changed

build() is asked for the feeds (with the personal feeds) and the subscription page only:
programmes and badges are not what this benchmark is about (benchmarks/build.py times them all).
Each full build starts without build/, the build cache and calendars/sequence.json.

and reports the median, min and max wall time and the process's peak resident size (ru_maxrss
after the timed repetitions, and after the untimed setup). With --heap, also the Python heap peak
(tracemalloc), measured in one extra, untimed repetition, because tracing slows Python down 10-20
times (at full scale a traced build takes 5-10 minutes). Each scenario's line is printed as soon
as it is done. Then the file sizes and counts of the build, and the ratios against the targets.
A full run takes about 10 minutes on a 2-CPU machine (40+ with --heap).

How to run it
-------------
    .venv/bin/python benchmarks/feeds.py                        # 4,000 events, 10,000 people, 5 repeats
    .venv/bin/python benchmarks/feeds.py --events 400 --people 1000 --repeat 3   # a quick run
    .venv/bin/python benchmarks/feeds.py --keep /tmp/almedalen  # keep the generated workspace
    .venv/bin/python benchmarks/feeds.py --profile              # also profile the rebuild after one edit
    .venv/bin/python benchmarks/feeds.py --heap                 # also the tracemalloc heap peaks (slow)
    .venv/bin/python benchmarks/feeds.py --only b,e1            # some scenarios only

Standard library only, besides motesplats itself.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from motesplats.build import SECRET_FILE, build
from motesplats.cache import CACHE_FOLDER
from motesplats.outputs import Request
from motesplats.render import feeds
from motesplats.validate import check_workspace
from motesplats.workspace import SEQUENCE_FILE, open_workspace
from motesplats.write import write_files

# A fixed "now", so that DTSTAMPs, and so the bytes of every feed, are the same on every run.
NOW = datetime(2018, 6, 1, 8, 0, tzinfo=timezone.utc)
SECRET = "5eb0c7a1" * 8
FIRST_DAY = date(2018, 7, 1)
DAYS = 8
EDITED_INDEX = 0.5  # which event the edit scenario changes: the one in the middle of the week

TARGETS = {  # seconds
    "public_feed": 0.5,
    "personal_feeds": 10.0,
    "rebuild_edit": 1.0,
}
REFERENCE_SYSTEM_SECONDS = 7.0  # a well-known conference system, same 4,000-event schedule


# --- generating the workspace ---------------------------------------------------------------

FIRST_NAMES = """Anna Eva Maria Karin Sara Lena Emma Kerstin Ingrid Malin Elin Johanna Sofia Linnea
Åsa Helena Camilla Ulrika Hanna Frida Ida Amira Fatima Leila Zeynep Agnieszka Mona Birgitta Annika
Erik Lars Karl Anders Johan Per Mikael Nils Jan Peter Hans Fredrik Daniel Magnus Mats Stefan Jonas
Oskar Gustav Björn Olof Sven Ahmed Mohammed Hassan Ali Łukasz Şükrü Jürgen Göran Torbjörn Ömer""".split()
SURNAMES = """Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström Olofsson
Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund Fredriksson
Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson Lundin Håkansson Björk Bergman
Gunnarsson Holm Wikström Samuelsson Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren
Söderberg Nyberg Blomqvist Claesson Nordström Haddad Yusuf Rezaei Öberg Çağlar Żółć Mäkinen Østergaard""".split()
ORGANISATIONS = """Region Gotland|Region Stockholm|Region Uppsala|Region Skåne|Västra Götalandsregionen|
Sveriges Kommuner och Landsting|Stockholms stad|Göteborgs stad|Malmö stad|Uppsala kommun|Västerås stad|
Örebro kommun|Linköpings kommun|Norrköpings kommun|Umeå kommun|Luleå kommun|Trafikverket|
Folkhälsomyndigheten|Naturvårdsverket|Skolverket|Arbetsförmedlingen|Försäkringskassan|Tillväxtverket|
Energimyndigheten|Vinnova|Formas|Vetenskapsrådet|Uppsala universitet|Lunds universitet|
Stockholms universitet|KTH|Chalmers|Karolinska Institutet|Göteborgs universitet|Umeå universitet|
Svenskt Näringsliv|LO|TCO|Saco|Unionen|Kommunal|Vision|Sveriges Ingenjörer|Lärarförbundet|
Företagarna|Almega|Teknikföretagen|Naturskyddsföreningen|WWF Sverige|Röda Korset|Rädda Barnen|
Läkare utan gränser|Amnesty Sverige|Svenska kyrkan|Riksidrottsförbundet|Hyresgästföreningen|
HSB|Riksbyggen|Fastighetsägarna|Sveriges Radio|SVT|Dagens Nyheter|Svenska Dagbladet|
Mälardalsrådet|Stockholm Business Region|Business Sweden|Tillväxt Gotland|Destination Gotland|
Vattenfall|Ellevio|Scania|Volvo Group|Ericsson|Telia|SJ|SL|Skanska|NCC|Ikea|ICA|Coop|
Apotekens Service|Sveriges Läkarförbund|Vårdförbundet|Famna|Ideell Arena|Forum|Civil Rights Defenders""".replace(
    "\n", "").split("|")
TITLES = """Kommunalråd|Regionråd|Oppositionsråd|Generaldirektör|Generalsekreterare|Förbundsordförande|
Vd|Chefsekonom|Analytiker|Utredare|Professor|Forskare|Docent|Kommunikationschef|Pressekreterare|
Riksdagsledamot|Statssekreterare|Projektledare|Verksamhetschef|Journalist|Moderator|Samordnare|
Hållbarhetschef|Näringslivschef|Planeringschef|Avdelningschef|Politisk sekreterare|Student""".replace(
    "\n", "").split("|")
PARTIES = ["S", "M", "SD", "C", "V", "KD", "L", "MP"]
TOPICS = [
    ("bostadsbristen i storstadsregionerna", "the housing shortage in the metropolitan regions"),
    ("kompetensförsörjningen i välfärden", "skills supply in the welfare services"),
    ("klimatomställningen i industrin", "the climate transition in industry"),
    ("den nationella transportplanen 2018–2029", "the national transport plan 2018–2029"),
    ("psykisk ohälsa bland unga", "mental ill-health among young people"),
    ("integration på arbetsmarknaden", "integration in the labour market"),
    ("landsbygdens framtid", "the future of rural Sweden"),
    ("digitaliseringen av offentlig sektor", "digitalisation of the public sector"),
    ("vården i hela landet", "health care in all of Sweden"),
    ("skolans likvärdighet", "equity in schools"),
    ("Östersjöns miljö", "the environment of the Baltic Sea"),
    ("energiförsörjningen efter kärnkraften", "energy supply after nuclear power"),
    ("totalförsvaret och civilsamhället", "total defence and civil society"),
    ("demokratin i sociala medier", "democracy in social media"),
    ("innovation i offentlig upphandling", "innovation in public procurement"),
    ("äldreomsorgens bemanning", "staffing in elderly care"),
    ("Gotlands vattenförsörjning", "water supply on Gotland"),
    ("snabbtåg mellan storstäderna", "high-speed rail between the cities"),
    ("jämställda löner", "equal pay"),
    ("brottsförebyggande arbete i kommunerna", "crime prevention in the municipalities"),
    ("civilsamhällets roll i välfärden", "the role of civil society in welfare"),
    ("fossilfria transporter", "fossil-free transport"),
    ("forskningens frihet", "academic freedom"),
    ("EU:s sammanhållningspolitik efter 2020", "EU cohesion policy after 2020"),
    ("cirkulär ekonomi", "the circular economy"),
    ("barns rättigheter", "children's rights"),
    ("näringslivets villkor på landsbygden", "business conditions in rural areas"),
    ("ungas inflytande i politiken", "young people's influence in politics"),
    ("kulturens finansiering", "funding for culture"),
    ("pensionssystemets hållbarhet", "the sustainability of the pension system"),
]
FORMATS = [
    ("Hur löser vi {sv}?", "How do we solve {en}?"),
    ("Vem tar ansvar för {sv}?", "Who takes responsibility for {en}?"),
    ("Panelsamtal om {sv}", "Panel on {en}"),
    ("Från ord till handling: {sv}", "From words to action: {en}"),
    ("{SV} – vad säger partierna?", "{EN}: what do the parties say?"),
    ("Ny rapport om {sv}", "New report on {en}"),
    ("Frukostseminarium: {sv}", "Breakfast seminar: {en}"),
    ("Utfrågning om {sv}", "Hearing on {en}"),
    ("Debatt: {sv}", "Debate: {en}"),
    ("Tio år av {sv}", "Ten years of {en}"),
]
PLACES = [
    "Almedalsbiblioteket", "Wisby Strand", "Donners plats", "Hästgatan", "Strandgatan",
    "S:t Hansgatan", "Mellangatan", "Klinttorget", "Packhusplan", "Specksrum", "Stora torget",
    "Hamnplan", "Cramérgatan", "Skeppsbron", "Södra kyrkogatan", "Norra Murgatan", "Tranhusgatan",
    "Visborgsgatan", "Österväg", "Kopparsvik",
]
ROOM_NAMES = ["Trädgården", "Salen", "Tältet", "Övervåningen", "Källaren", "Gården", "Lilla salen",
              "Terrassen", "Biblioteket", "Bryggan"]
SESSION_KINDS = ["seminar", "seminar", "seminar", "panel", "panel", "speech", "workshop"]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def toml_text(sv: str, en: str | None) -> str:
    return f"{{ sv = {toml_string(sv)}, en = {toml_string(en)} }}" if en else toml_string(sv)


@dataclass
class Slot:
    venue: str
    room: str
    start: datetime
    end: datetime


@dataclass
class Generated:
    events: int
    sessions: int
    people: int
    rosters: int
    venues: int
    rooms: int
    roster_entries: int   # person-event pairs through participants
    role_entries: int     # person-session pairs as speaker or moderator
    edited_event: str
    seconds: float

    @property
    def expected_entries_per_person(self) -> float:
        return (self.roster_entries + self.role_entries) / self.people


def generate(root: Path, n_events: int, n_people: int, per_person: float, seed: int) -> Generated:
    """Write a valid Almedalen-sized workspace into `root` (which must be empty or missing)."""
    began = time.perf_counter()
    rng = random.Random(seed)
    (root / "events" / "almedalen-2018").mkdir(parents=True, exist_ok=True)
    (root / "calendars").mkdir(parents=True, exist_ok=True)

    organisers = [(slug(name), name) for name in ORGANISATIONS]
    _write_settings(root, organisers)
    venues = _write_venues(root, rng)
    people, rosters = _write_rosters(root, rng, n_people)
    _write_calendars(root)

    slots = _room_slots(venues, rng)
    if len(slots) < n_events:
        raise SystemExit(f"only {len(slots)} room slots for {n_events} events: add venues")
    chosen = sorted(rng.sample(slots, n_events), key=lambda s: (s.start, s.venue, s.room))
    speakers_pool = people[: max(50, len(people) * 3 // 10)]  # some people speak often, most never
    busy: dict[str, list[tuple[datetime, datetime]]] = {}
    events = []
    for number, slot in enumerate(chosen, start=1):
        events.append(_event(number, slot, rng, organisers, speakers_pool, busy))
    role_entries = sum(len(s["speakers"]) + len(s["moderators"]) for e in events for s in e["sessions"])

    # Rosters per event, so that a personal feed holds `per_person` entries on average.
    roster_size = len(people) / len(rosters)
    picks = max(0, round((per_person * len(people) - role_entries) / roster_size))
    base, extra = divmod(picks, len(events))
    lucky = set(rng.sample(range(len(events)), extra))
    roster_entries = 0
    for index, event in enumerate(events):
        count = min(len(rosters), base + (index in lucky))
        event["participants"] = rng.sample(rosters, count)
        roster_entries += sum(len(members) for _, members in event["participants"])

    by_day: dict[date, list[dict]] = {}
    for event in events:
        by_day.setdefault(event["start"].date(), []).append(event)
    for day, day_events in sorted(by_day.items()):
        _write_events(root / "events" / "almedalen-2018" / f"{day:%Y-%m-%d}.toml", day, day_events)

    secret = root / SECRET_FILE
    secret.write_text(SECRET + "\n", encoding="ascii")
    secret.chmod(0o600)
    edited = events[int(len(events) * EDITED_INDEX)]["id"]
    return Generated(len(events), sum(len(e["sessions"]) for e in events), len(people), len(rosters),
                     len(venues), sum(len(rooms) for _, rooms in venues), roster_entries, role_entries,
                     edited, time.perf_counter() - began)


def _write_settings(root: Path, organisers: list[tuple[str, str]]) -> None:
    lines = [
        "# Generated by benchmarks/feeds.py: Almedalen Week 2018 at full scale (invented data).",
        'organisation = "Almedalsveckan 2018"',
        'time_zone = "Europe/Stockholm"',
        'languages = ["sv", "en"]',
        'base_url = "https://almedalen.example"',
        'audiences = ["public", "press"]',
        "",
    ]
    for identifier, name in organisers:
        lines += ["[[organiser]]", f'id = "{identifier}"', f"name = {toml_string(name)}",
                  f'email = "info@{identifier}.example"', f'url = "https://{identifier}.example"', ""]
    (root / "motesplats.toml").write_text("\n".join(lines), encoding="utf-8")


def _write_venues(root: Path, rng: random.Random) -> list[tuple[str, list[str]]]:
    """60 venues in Visby with 1-6 rooms each; returns (venue id, room ids)."""
    venues, lines = [], ["# Venues in Visby (invented addresses and rooms).", ""]
    for number in range(60):
        place = PLACES[number % len(PLACES)]
        name = f"{place} {number // len(PLACES) * 10 + rng.randint(1, 9)}" if number >= len(PLACES) else place
        identifier = slug(name)
        rooms = rng.sample(ROOM_NAMES, rng.choice([1, 2, 3, 3, 4, 4, 5, 6]))
        lines += ["[[venue]]", f'id = "{identifier}"', f"name = {toml_string(name)}",
                  f"address = {toml_string(f'{place} {rng.randint(1, 40)}')}", 'postcode = "621 56"',
                  'city = "Visby"', 'country = "Sverige"',
                  f"geo = [{57.6389 + rng.uniform(-0.006, 0.006):.5f}, {18.2948 + rng.uniform(-0.006, 0.006):.5f}]",
                  ""]
        for room in rooms:
            lines += ["[[venue.room]]", f'id = "{slug(room)}"', f"name = {toml_string(room)}",
                      f"capacity = {rng.choice([30, 50, 80, 120, 200])}", ""]
        venues.append((identifier, [slug(room) for room in rooms]))
    (root / "events" / "venues.toml").write_text("\n".join(lines), encoding="utf-8")
    return venues


def _write_rosters(root: Path, rng: random.Random, n_people: int):
    """Rosters of 20 people (CSV, semicolons, Swedish headers, BOM, as Excel exports them)."""
    people, rosters = [], []
    size = 20
    count = max(1, n_people // size)
    titles = ["# Titles of the generated rosters.", ""]
    for number in range(count):
        roster_id = f"anmalda-{number + 1:03d}"
        rows = ["id;namn;roll;organisation;titel;e-post;parti;språk"]
        members = []
        for _ in range(size if number < count - 1 else n_people - size * (count - 1)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            person_id = f"{slug(first)}-{slug(last)}-{len(people) + 1:05d}"
            party = rng.choice(PARTIES) if rng.random() < 0.3 else ""
            languages = rng.choice(["sv", "sv", "sv,en", "sv,en", "en,sv", "sv,fi"])
            rows.append(";".join([person_id, f"{first} {last}", "deltagare", rng.choice(ORGANISATIONS),
                                  rng.choice(TITLES), f"{person_id}@example.se", party, languages]))
            people.append(person_id)
            members.append(person_id)
        (root / "events" / f"{roster_id}.csv").write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
        titles += ["[[roster]]", f'id = "{roster_id}"',
                   f'title = {{ sv = "Anmälda deltagare, grupp {number + 1}", en = "Registered participants, group {number + 1}" }}',
                   ""]
        rosters.append((roster_id, members))
    (root / "events" / "rosters.toml").write_text("\n".join(titles), encoding="utf-8")
    return people, rosters


def _write_calendars(root: Path) -> None:
    (root / "calendars" / "public.toml").write_text("\n".join([
        'name = { sv = "Almedalsveckan 2018 – alla evenemang", en = "Almedalen Week 2018 – all events" }',
        'description = { sv = "Hela programmet, ett inslag per evenemang.", en = "The whole programme, one entry per event." }',
        'language = "sv"', 'audiences = ["public"]', 'sessions = "none"', 'alarms = ["30 minutes"]',
        'refresh = "1 hour"', ""]), encoding="utf-8")
    (root / "calendars" / "programme.toml").write_text("\n".join([
        'name = { sv = "Almedalsveckan 2018 – programpunkter", en = "Almedalen Week 2018 – sessions" }',
        'description = { sv = "Varje programpunkt för sig.", en = "Every session on its own." }',
        'language = "sv"', 'audiences = ["public"]', 'sessions = "all"', 'refresh = "1 hour"', ""]),
        encoding="utf-8")


def _room_slots(venues, rng: random.Random) -> list[Slot]:
    """Every room's day split into back-to-back bookings of 45 minutes to 3 hours, 08:00-21:00."""
    slots = []
    for day in range(DAYS):
        for venue, rooms in venues:
            for room in rooms:
                cursor = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time()) + \
                    timedelta(hours=8, minutes=rng.choice([0, 15, 30, 60]))
                closing = cursor.replace(hour=21, minute=0)
                while True:
                    length = timedelta(minutes=rng.choice([45, 60, 60, 75, 90]) if rng.random() < 0.9
                                       else rng.choice([120, 150, 180]))
                    if cursor + length > closing:
                        break
                    slots.append(Slot(venue, room, cursor, cursor + length))
                    cursor += length + timedelta(minutes=rng.choice([15, 15, 30, 30, 45, 60]))
    return slots


def _free(busy, person: str, start: datetime, end: datetime) -> bool:
    return all(end <= s or start >= e for s, e in busy.get(person, ()))


def _pick_people(rng, pool, count, start, end, busy, taken: set[str]) -> list[str]:
    chosen = []
    for _ in range(count * 20):
        if len(chosen) == count:
            break
        person = rng.choice(pool)
        if person not in taken and _free(busy, person, start, end):
            chosen.append(person)
            taken.add(person)
            busy.setdefault(person, []).append((start, end))
    return chosen


def _event(number: int, slot: Slot, rng: random.Random, organisers, pool, busy) -> dict:
    """One event: a single session of the slot's length, or for long slots 2-3 sessions back to back."""
    sv_topic, en_topic = rng.choice(TOPICS)
    sv_format, en_format = rng.choice(FORMATS)
    title_sv = sv_format.format(sv=sv_topic, SV=sv_topic[0].upper() + sv_topic[1:])
    title_en = en_format.format(en=en_topic, EN=en_topic[0].upper() + en_topic[1:])
    organiser_id, organiser = rng.choice(organisers)
    description = (f"{organiser} bjuder in till ett samtal om {sv_topic}. "
                   + rng.choice(["Vilka beslut behövs nu, och vem ska fatta dem? ",
                                 "Vi presenterar ny statistik och diskuterar vad den betyder för kommuner och regioner. ",
                                 "Forskare, politiker och praktiker möts för att jämföra erfarenheter. "])
                   + rng.choice(["Fri entré, kaffe serveras.", "Seminariet teckentolkas.",
                                 "Ingen föranmälan.", "Begränsat antal platser, först till kvarn."]))
    long_slot = slot.end - slot.start > timedelta(minutes=90)
    parts = rng.choice([2, 3]) if long_slot else 1
    length = (slot.end - slot.start) / parts
    sessions = []
    for index in range(parts):
        start = slot.start + length * index
        end = start + length
        start, end = (moment.replace(minute=moment.minute // 5 * 5, second=0) for moment in (start, end))
        if index == parts - 1:
            end = slot.end
        taken: set[str] = set()
        speakers = _pick_people(rng, pool, rng.choice([1, 2, 2, 3, 3, 4]), start, end, busy, taken)
        moderators = _pick_people(rng, pool, 1, start, end, busy, taken) if rng.random() < 0.7 else []
        kind = rng.choice(SESSION_KINDS) if parts > 1 else "seminar"
        session_title = (title_sv, title_en) if parts == 1 else \
            (f"Del {index + 1}: {rng.choice(['inledning', 'panelsamtal', 'frågor från publiken', 'mingel'])}",
             None)
        sessions.append({"id": "seminarium" if parts == 1 else f"del-{index + 1}", "kind": kind,
                         "title": session_title, "start": start, "end": end, "room": slot.room,
                         "speakers": speakers, "moderators": moderators})
    return {"id": f"almedalen-2018-{number:04d}", "title": (title_sv, title_en if rng.random() < 0.4 else None),
            "description": description, "start": slot.start, "end": slot.end, "venue": slot.venue,
            "organiser": organiser_id, "tentative": rng.random() < 0.03, "sessions": sessions}


def _write_events(path: Path, day: date, events: list[dict]) -> None:
    lines = [f"# Almedalsveckan {day:%Y-%m-%d}: {len(events)} evenemang (genererade).", "",
             "# Seminars of 45-90 minutes: nobody prints name badges for them.",
             "[defaults]", "badges = false", ""]
    for event in events:
        lines += ["[[event]]", f'id = "{event["id"]}"', 'kind = "conference"',
                  f"title = {toml_text(*event['title'])}",
                  f"description = {toml_string(event['description'])}",
                  f"start = {event['start']:%Y-%m-%dT%H:%M:%S}", f"end = {event['end']:%Y-%m-%dT%H:%M:%S}",
                  f'venue = "{event["venue"]}"', 'audiences = ["public"]', f'organiser = "{event["organiser"]}"',
                  f'url = "https://almedalen.example/program/{event["id"]}"']
        if event["tentative"]:
            lines.append('status = "tentative"')
        lines.append(f"participants = {json.dumps([roster_id for roster_id, _ in event['participants']])}")
        lines.append("")
        for session in event["sessions"]:
            lines += ["[[event.session]]", f'id = "{session["id"]}"', f'kind = "{session["kind"]}"',
                      f"title = {toml_text(*session['title'])}",
                      f"start = {session['start']:%Y-%m-%dT%H:%M:%S}", f"end = {session['end']:%Y-%m-%dT%H:%M:%S}",
                      f'room = "{session["room"]}"']
            if session["speakers"]:
                lines.append(f"speakers = {json.dumps(session['speakers'])}")
            if session["moderators"]:
                lines.append(f"moderators = {json.dumps(session['moderators'])}")
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def edit_title(root: Path, event_id: str, variant: int) -> Path:
    """Change the title of one event in its TOML file, as an organiser would."""
    for path in sorted((root / "events").rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        marker = f'id = "{event_id}"\n'
        at = text.find(marker)
        if at < 0:
            continue
        line_start = text.index("\ntitle = ", at) + 1
        line_end = text.index("\n", line_start)
        new = f'title = {{ sv = "Ändrad titel nummer {variant}", en = "Changed title number {variant}" }}'
        path.write_text(text[:line_start] + new + text[line_end:], encoding="utf-8")
        return path
    raise SystemExit(f"event {event_id} not found")


# --- scenarios (each runs in a child process) -----------------------------------------------

# build() also renders programmes and badges; this benchmark is about feeds, so it asks for the
# feeds (with the personal feeds) and the subscription page only.
FEEDS_ONLY = Request(("feeds", "page"))
BUILD_CALL = "build(workspace, Request(('feeds', 'page')), now)"


def build_feeds(workspace):
    return build(workspace, FEEDS_ONLY, now=NOW)


def clean_build(root: Path) -> None:
    shutil.rmtree(root / "build", ignore_errors=True)
    shutil.rmtree(root / CACHE_FOLDER, ignore_errors=True)
    (root / SEQUENCE_FILE).unlink(missing_ok=True)


class Scenario:
    """setup() once, untimed; run() timed `repeat` times with prepare() untimed before each."""

    name = ""
    what = ""

    def __init__(self, root: Path, edited_event: str):
        self.root, self.workspace, self.edited_event = root, open_workspace(root), edited_event
        self.extra: dict = {}

    def setup(self) -> None: ...
    def prepare(self, repetition: int) -> None: ...
    def run(self) -> None: ...
    def finish(self) -> None: ...


class Validate(Scenario):
    name, what = "a", "load + validate: check_workspace()"

    def run(self) -> None:
        checked = check_workspace(self.workspace)
        assert checked.plan is not None


class PublicFeed(Scenario):
    name = "b"
    what = ("one public feed of every event: feeds.render() of the plan with feeds = (public,) and no people, "
            "rosters or roles (selection + sequence ledger + iCalendar text, no file I/O)")

    def setup(self) -> None:
        plan = check_workspace(self.workspace).plan
        public = next(feed for feed in plan.feeds if feed.id == "public")
        # A public sessions = "none" feed shows no person (speakers appear only in session entries),
        # so taking the people out of the plan leaves its bytes unchanged and renders nothing else.
        events = tuple(replace(event, participants=(), summoned=(), contacts=(), sessions=tuple(
            replace(session, speakers=(), moderators=(), summoned=()) for session in event.sessions))
            for event in plan.events)
        self.plan = replace(plan, feeds=(public,), people=(), rosters=(), events=events)
        self.secret = (self.root / SECRET_FILE).read_text(encoding="ascii").strip().encode()

    def run(self) -> None:
        self.output = feeds.render(self.plan, {}, NOW, self.secret)

    def finish(self) -> None:
        content = self.output.files["calendars/public.ics"]
        self.extra = {"bytes": len(content), "entries": content.count(b"BEGIN:VEVENT"),
                      "content": content.decode()}


class PersonalFeeds(Scenario):
    name = "c"
    what = ("all personal feeds: feeds.render() of the plan with feeds = () (every person's feed), "
            "then write_files() into an empty folder")

    def setup(self) -> None:
        plan = check_workspace(self.workspace).plan
        self.plan = replace(plan, feeds=())
        self.secret = (self.root / SECRET_FILE).read_text(encoding="ascii").strip().encode()
        self.target = Path(tempfile.mkdtemp(prefix="motesplats-bench-personal-"))
        self.render_times, self.write_times = [], []

    def prepare(self, repetition: int) -> None:
        shutil.rmtree(self.target, ignore_errors=True)
        self.target.mkdir()

    def run(self) -> None:
        began = time.perf_counter()
        output = feeds.render(self.plan, {}, NOW, self.secret)
        rendered = time.perf_counter()
        written = write_files(self.target, output.files)
        self.render_times.append(rendered - began)
        self.write_times.append(time.perf_counter() - rendered)
        self.count = len(written)

    def finish(self) -> None:
        shutil.rmtree(self.target, ignore_errors=True)
        self.extra = {"render": self.render_times, "write": self.write_times, "files": self.count}


class FullBuild(Scenario):
    name, what = "d", f"full build: {BUILD_CALL} with build/ and calendars/sequence.json removed"

    def prepare(self, repetition: int) -> None:
        clean_build(self.root)

    def run(self) -> None:
        self.report = build_feeds(self.workspace)

    def finish(self) -> None:
        self.extra = {"written": len(self.report.written)}


class RebuildAfterEdit(Scenario):
    name, what = "e1", f"rebuild after one edit: one event's title changed in its TOML file, then {BUILD_CALL}"

    def setup(self) -> None:
        if not (self.root / SEQUENCE_FILE).is_file():
            build_feeds(self.workspace)
        self.original = {path: path.read_bytes() for path in (self.root / "events").rglob("*.toml")}

    def prepare(self, repetition: int) -> None:
        edit_title(self.root, self.edited_event, repetition)

    def run(self) -> None:
        self.report = build_feeds(self.workspace)

    def finish(self) -> None:
        self.extra = {"written": len(self.report.written), "unchanged": self.report.unchanged}
        for path, content in self.original.items():  # leave the workspace as generated
            path.write_bytes(content)
        build_feeds(self.workspace)


class RebuildNoChange(Scenario):
    name, what = "e2", f"no-change rebuild: {BUILD_CALL} with nothing changed"

    def setup(self) -> None:
        if not (self.root / SEQUENCE_FILE).is_file():
            build_feeds(self.workspace)
        build_feeds(self.workspace)

    def run(self) -> None:
        self.report = build_feeds(self.workspace)

    def finish(self) -> None:
        self.extra = {"written": len(self.report.written), "unchanged": self.report.unchanged}


SCENARIOS = {cls.name: cls for cls in (Validate, PublicFeed, PersonalFeeds, FullBuild, RebuildAfterEdit,
                                       RebuildNoChange)}


def max_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run_child(name: str, root: Path, edited_event: str, repeat: int, heap: bool) -> dict:
    """In the child process: run one scenario and return its figures."""
    scenario = SCENARIOS[name](root, edited_event)
    scenario.setup()
    rss_after_setup = max_rss_bytes()
    times = []
    for repetition in range(repeat):
        scenario.prepare(repetition + 1)
        began = time.perf_counter()
        scenario.run()
        times.append(time.perf_counter() - began)
    rss_peak = max_rss_bytes()
    heap_peak = None
    if heap:  # one more repetition, traced: tracemalloc makes Python several times slower
        scenario.prepare(repeat + 1)
        tracemalloc.start()
        scenario.run()
        heap_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    scenario.finish()
    return {"what": scenario.what, "times": times, "rss_after_setup": rss_after_setup, "rss_peak": rss_peak,
            "heap_peak": heap_peak, "extra": scenario.extra}


def profile_child(root: Path, edited_event: str) -> dict:
    scenario = RebuildAfterEdit(root, edited_event)
    scenario.setup()
    scenario.prepare(999)
    profiler = cProfile.Profile()
    profiler.enable()
    scenario.run()
    profiler.disable()
    scenario.finish()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(15)
    stats.sort_stats("tottime").print_stats(10)
    return {"profile": text.getvalue()}


def in_child(args: list[str]) -> dict:
    """Run this script again in a fresh process for one scenario; return its JSON result."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    try:
        subprocess.run([sys.executable, __file__, *args, "--_result", str(result_path)], check=True)
        return json.loads(result_path.read_text(encoding="utf-8"))
    finally:
        result_path.unlink(missing_ok=True)


# --- reporting ------------------------------------------------------------------------------

def megabytes(count: int | None) -> str:
    return "—" if count is None else f"{count / 2**20:,.0f} MB"


def seconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.2f} s"


def spread(times: list[float]) -> str:
    return f"{seconds(statistics.median(times)):>10} {seconds(min(times)):>10} {seconds(max(times)):>10}"


def feed_stats(root: Path) -> dict:
    personal = sorted((root / "build" / feeds.PERSONAL_FOLDER).glob("*.ics"))
    entries = [path.read_bytes().count(b"BEGIN:VEVENT") for path in personal]
    sizes = [path.stat().st_size for path in personal]
    named = {path.name: path for path in (root / "build" / "calendars").glob("*.ics")}
    return {
        "named": {name: (path.stat().st_size, path.read_bytes().count(b"BEGIN:VEVENT"))
                  for name, path in sorted(named.items())},
        "personal_count": len(personal), "personal_bytes": sum(sizes),
        "entries_mean": statistics.mean(entries) if entries else 0,
        "entries_min": min(entries, default=0), "entries_max": max(entries, default=0),
        "entries_median": statistics.median(entries) if entries else 0,
        "files_total": sum(1 for path in (root / "build").rglob("*") if path.is_file()),
        "bytes_total": sum(path.stat().st_size for path in (root / "build").rglob("*") if path.is_file()),
        "state_bytes": (root / SEQUENCE_FILE).stat().st_size,
    }


def ratio_line(label: str, measured: float, target: float) -> str:
    verdict = "met" if measured <= target else "MISSED"
    return (f"  {label:<34} {seconds(measured):>10}   target {seconds(target):>8}   "
            f"{measured / target:5.2f}x of target   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--per-person", type=float, default=20, help="average entries per personal feed")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--keep", type=Path, help="generate into this (new or empty) folder and keep it")
    parser.add_argument("--profile", action="store_true", help="profile the rebuild after one edit")
    parser.add_argument("--heap", action="store_true",
                        help="add one traced (tracemalloc) repetition per scenario for the Python heap peak "
                             "(slow: at full scale each traced build takes 5-10 minutes)")
    parser.add_argument("--only", help="comma-separated scenarios to run (a,b,c,d,e1,e2)")
    parser.add_argument("--_child", help=argparse.SUPPRESS)
    parser.add_argument("--_workspace", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_edited", help=argparse.SUPPRESS)
    parser.add_argument("--_result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._child:
        if args._child == "profile":
            result = profile_child(args._workspace, args._edited)
        else:
            result = run_child(args._child, args._workspace, args._edited, args.repeat, args.heap)
        args._result.write_text(json.dumps(result), encoding="utf-8")
        return

    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            raise SystemExit(f"{args.keep} is not empty")
        root, temporary = args.keep.resolve(), None
    else:
        temporary = tempfile.TemporaryDirectory(prefix="motesplats-bench-")
        root = Path(temporary.name) / "almedalen"
    try:
        bench(args, root)
    finally:
        if temporary:
            temporary.cleanup()


LABELS = {"a": "a load + validate", "b": "b one public feed (render)", "c": "c personal feeds",
          "d": "d full build", "e1": "e1 rebuild, one edit", "e2": "e2 rebuild, no change"}


def print_result(name: str, result: dict) -> None:
    print(f"{LABELS[name]:<28} {spread(result['times'])} {megabytes(result['heap_peak']):>11} "
          f"{megabytes(result['rss_peak']):>10} {megabytes(result['rss_after_setup']):>10}")
    extra = result["extra"]
    if name == "c":
        print(f"{'  of which render()':<28} {spread(extra['render'])}")
        print(f"{'  of which write_files()':<28} {spread(extra['write'])}   ({extra['files']:,} files)")
    if name in ("d", "e1", "e2"):
        print(f"{'':<28} last run wrote {extra['written']:,} files"
              + (f", left {extra['unchanged']:,} unchanged" if "unchanged" in extra else ""))
    sys.stdout.flush()


def bench(args, root: Path) -> None:
    print(f"Generating {args.events:,} events and {args.people:,} people into {root} (seed {args.seed}) ...")
    generated = generate(root, args.events, args.people, args.per_person, args.seed)
    checked = check_workspace(open_workspace(root))
    if checked.plan is None:
        print(f"The generated workspace does not pass the check ({len(checked.errors)} errors):")
        for problem in checked.errors[:50]:
            print(f"  {problem}")
        raise SystemExit(1)
    g = generated
    print(f"  {g.events:,} events with {g.sessions:,} sessions in {g.venues} venues ({g.rooms} rooms), "
          f"{g.people:,} people on {g.rosters} rosters; {g.roster_entries:,} attendances through rosters + "
          f"{g.role_entries:,} speaker/moderator roles = {g.expected_entries_per_person:.1f} entries per person")
    print(f"  generated in {g.seconds:.1f} s; check: 0 errors, {len(checked.warnings)} warnings; "
          f"edited event in scenario e1: {g.edited_event}")
    del checked
    print(f"  Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; each scenario in its own process, "
          f"{args.repeat} timed repetitions" + (" + 1 traced for the heap peak" if args.heap else ""))
    print()

    wanted = args.only.split(",") if args.only else list(SCENARIOS)
    results = {}
    print(f"{'scenario':<28} {'median':>10} {'min':>10} {'max':>10} {'heap peak':>11} {'RSS peak':>10} "
          f"{'RSS setup':>10}", flush=True)
    for name in wanted:
        child_args = ["--_child", name, "--_workspace", str(root), "--_edited", g.edited_event,
                      "--repeat", str(args.repeat)] + (["--heap"] if args.heap else [])
        try:
            results[name] = in_child(child_args)
        except subprocess.CalledProcessError:
            print(f"{LABELS[name]:<28} FAILED (the child's traceback is above)", flush=True)
            continue
        print_result(name, results[name])
        if name == "d":  # the full build's output, before the rebuilds change sequences
            stats = feed_stats(root)
            built_public = (root / "build" / "calendars" / "public.ics").read_bytes().decode("utf-8")
    print()
    print("What was timed:")
    for name, result in results.items():
        print(f"  {name:<3} {result['what']}")
    print()

    if "d" in results:
        print("Output of the full build:")
        for file_name, (size, entries) in stats["named"].items():
            print(f"  calendars/{file_name:<22} {size / 1024:>10,.0f} KiB   {entries:,} entries")
        print(f"  personal feeds: {stats['personal_count']:,} files, {stats['personal_bytes'] / 2**20:,.1f} MiB, "
              f"{stats['personal_bytes'] / max(1, stats['personal_count']) / 1024:,.1f} KiB each on average")
        print(f"  entries per personal feed: mean {stats['entries_mean']:.1f}, median {stats['entries_median']}, "
              f"min {stats['entries_min']}, max {stats['entries_max']}")
        print(f"  build/: {stats['files_total']:,} files, {stats['bytes_total'] / 2**20:,.1f} MiB; "
              f"calendars/sequence.json {stats['state_bytes'] / 2**20:,.1f} MiB")
        if "b" in results:
            same = built_public == results["b"]["extra"]["content"]
            print(f"  scenario b's public feed is {'byte for byte the same as' if same else 'DIFFERENT FROM'} "
                  f"calendars/public.ics of the full build")
        print()

    print(f"Against the targets (medians; scaled workspace: {g.events:,} events, {g.people:,} people):")
    if "b" in results:
        measured = statistics.median(results["b"]["times"])
        print(ratio_line(f"one {results['b']['extra']['entries']:,}-entry feed", measured, TARGETS["public_feed"]))
        print(f"  {'reference: conference system':<34} {seconds(REFERENCE_SYSTEM_SECONDS):>10}   "
              f"motesplats takes {measured / REFERENCE_SYSTEM_SECONDS:.3f}x its time "
              f"({REFERENCE_SYSTEM_SECONDS / measured:,.0f} times faster)")
    if "c" in results:
        print(ratio_line(f"all {g.people:,} personal feeds", statistics.median(results["c"]["times"]),
                         TARGETS["personal_feeds"]))
    if "e1" in results:
        print(ratio_line("rebuild after one edit", statistics.median(results["e1"]["times"]),
                         TARGETS["rebuild_edit"]))
    if "a" in results and "e1" in results:
        share = statistics.median(results["a"]["times"]) / statistics.median(results["e1"]["times"])
        print(f"  (load + validate alone is {share:.0%} of the rebuild after one edit)")

    if args.profile:
        print()
        print("Profile of the rebuild after one edit (cProfile; times inflated by profiling):")
        print(in_child(["--_child", "profile", "--_workspace", str(root), "--_edited", g.edited_event])["profile"])


if __name__ == "__main__":
    main()
