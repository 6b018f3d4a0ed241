"""Benchmark: the printed (PDF) and web (HTML) programme of a festival week at Almedalen scale.

What it measures
----------------
It builds (deterministically, from a seed) a Plan directly from the model's dataclasses: one
festival_week event over 8 days (1-8 July 2018, Visby) with 4,000 sessions of 45-90 minutes in
about 60 rooms of 40 venues (no room booked twice at once), 1-4 speakers and at most one moderator
each, drawn from a roster of 3,000 people. No TOML is read, so only the programme is timed.

Then, for each format in its own fresh Python process (so peaks do not leak between them), it
runs --repeat times

  pdf   build_programme() + motesplats.render.programme_pdf.render(programme)
  html  build_programme() + motesplats.render.programme_html.render(programme, None)

and reports the median, min and max wall time (and the share of build_programme), the output size,
the page count of the PDF (pypdf), the Python heap peak (tracemalloc, in one extra untimed run,
because tracing slows Python down) and the process's peak resident size (ru_maxrss, read before
that traced run). Then the ratios against the targets: PDF <= 15 s, HTML <= 2 s on a 2-core
machine. If the HTML misses its target (or with --profile), the HTML run is profiled and the
functions where the time goes are printed.

If motesplats.render.programme_pdf does not exist, the PDF is skipped with a note.

How to run it
-------------
    .venv/bin/python benchmarks/programmes.py                      # 4,000 sessions, 3 repeats
    .venv/bin/python benchmarks/programmes.py --sessions 400 --repeat 1   # a quick run
    .venv/bin/python benchmarks/programmes.py --keep /tmp/almedalen   # keep programme.pdf/.html there
    .venv/bin/python benchmarks/programmes.py --profile            # profile the HTML run too
    .venv/bin/python benchmarks/programmes.py --print-html         # also count the A4 pages Chromium
                                                                  # prints the HTML on (needs chromium)
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import json
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from motesplats.model import Event, Member, Organiser, Person, Plan, Room, Roster, Session, Settings, Source, Text, Venue
from motesplats.render.programme import build_programme

TARGETS = {"pdf": 15.0, "html": 2.0}  # seconds, on a 2-core machine
ZONE = ZoneInfo("Europe/Stockholm")
FIRST_DAY = date(2018, 7, 1)
DAYS = 8
SEED = 20180701

FIRST_NAMES = """Anna Eva Maria Karin Sara Lena Emma Kerstin Ingrid Malin Elin Johanna Sofia Linnea Åsa Helena
Camilla Ulrika Hanna Frida Amira Fatima Leila Zeynep Agnieszka Birgitta Erik Lars Karl Anders Johan Per Mikael
Nils Jan Peter Fredrik Daniel Magnus Mats Stefan Jonas Oskar Gustav Björn Olof Sven Ahmed Hassan Łukasz Şükrü
Jürgen Göran Torbjörn Ömer""".split()
SURNAMES = """Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson
Jonsson Hansson Bengtsson Jönsson Lindberg Magnusson Lindström Lindqvist Lindgren Berg Bergström Lundberg Lind
Sandberg Forsberg Sjöberg Wallin Engström Eklund Lundin Håkansson Björk Holm Wikström Nyström Söderberg Nyberg
Haddad Yusuf Rezaei Öberg Çağlar Żółć Mäkinen Østergaard""".split()
ORGANISATIONS = """Region Gotland|Region Stockholm|Region Uppsala|Stockholms stad|Uppsala kommun|Västerås stad|
Trafikverket|Arbetsförmedlingen|Vinnova|Uppsala universitet|KTH|Svenskt Näringsliv|LO|Saco|Naturskyddsföreningen|
Röda Korset|Hyresgästföreningen|Sveriges Radio|Mälardalsrådet|Business Sweden|Scania|Ericsson|SJ|Skanska""".replace(
    "\n", "").split("|")
TITLES = ["Kommunalråd", "Regionråd", "Generaldirektör", "Vd", "Chefsekonom", "Analytiker", "Professor",
          "Forskare", "Projektledare", "Riksdagsledamot", "Journalist", "Moderator", "Samordnare"]
TOPICS = [("bostadsbristen", "the housing shortage"), ("kompetensförsörjningen", "skills supply"),
          ("klimatomställningen", "the climate transition"), ("transportplanen", "the transport plan"),
          ("psykisk ohälsa bland unga", "mental ill-health among young people"),
          ("landsbygdens framtid", "the future of rural Sweden"), ("skolans likvärdighet", "equity in schools"),
          ("Östersjöns miljö", "the Baltic Sea"), ("energiförsörjningen", "energy supply"),
          ("digitaliseringen", "digitalisation"), ("vården i hela landet", "health care in all of Sweden")]
FORMATS = [("Hur löser vi {sv}?", "How do we solve {en}?"), ("Panelsamtal om {sv}", "Panel on {en}"),
           ("Från ord till handling: {sv}", "From words to action: {en}"), ("Debatt: {sv}", "Debate: {en}"),
           ("Ny rapport om {sv}", "New report on {en}"), ("Frukostseminarium: {sv}", "Breakfast seminar: {en}")]
PLACES = ["Almedalsbiblioteket", "Wisby Strand", "Donners plats", "Hästgatan", "Strandgatan", "S:t Hansgatan",
          "Mellangatan", "Klinttorget", "Packhusplan", "Stora torget", "Hamnplan", "Cramérgatan", "Skeppsbron",
          "Tranhusgatan", "Visborgsgatan", "Österväg", "Kopparsvik", "Specksrum", "Norra Murgatan", "Södra kyrkogatan"]
ROOM_NAMES = ["Trädgården", "Salen", "Tältet", "Övervåningen", "Lilla salen", "Terrassen"]
SESSION_KINDS = ["seminar", "seminar", "seminar", "panel", "panel", "speech", "workshop"]


# --- the plan -------------------------------------------------------------------------------------


def festival_plan(sessions: int = 4000, people: int = 3000, venues: int = 40) -> Plan:
    """A valid-looking Plan with one festival week; the same objects on every call with the same sizes."""
    rng = random.Random(SEED)
    persons = tuple(_person(rng, n) for n in range(people))
    roster = Roster("speakers", Text((("sv", "Talare"), ("en", "Speakers"))), Text(()),
                    tuple(Member(person, "talare") for person in persons), Source("events/speakers.csv", 1))
    places = []
    for n in range(venues):
        street = PLACES[n % len(PLACES)]
        rooms = tuple(Room(f"rum-{n}-{r}", ROOM_NAMES[(n + r) % len(ROOM_NAMES)], capacity=40 + 20 * r)
                      for r in range(1 + (n % 3 == 0) + (n % 5 == 0)))
        places.append(Venue(f"plats-{n}", f"{street} {n + 1}", "Visby", "Europe/Stockholm",
                            address=f"{street} {rng.randint(1, 40)}", postcode="621 56", country="Sverige",
                            directions=Text((("sv", f"Ingång från {street}."), ("en", f"Entrance from {street}."))),
                            rooms=rooms))
    rooms = [(venue, room) for venue in places for room in venue.rooms]
    free_at = {(venue.id, room.id, day): 8 * 60 for venue, room in rooms for day in range(DAYS)}
    items: list[Session] = []
    while len(items) < sessions:
        n = len(items)
        day = n % DAYS
        venue, room = rooms[rng.randrange(len(rooms))]
        key = (venue.id, room.id, day)
        start = free_at[key] + rng.choice((0, 0, 15, 30))
        length = rng.choice((45, 60, 60, 75, 90))
        if start + length > 21 * 60:
            continue
        free_at[key] = start + length + 15
        topic_sv, topic_en = TOPICS[rng.randrange(len(TOPICS))]
        title_sv, title_en = FORMATS[rng.randrange(len(FORMATS))]
        first = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time(), ZONE)
        chosen = rng.sample(persons, rng.randint(1, 5))
        items.append(Session(
            id=f"s{n:05d}", kind=rng.choice(SESSION_KINDS),
            title=Text((("sv", title_sv.format(sv=topic_sv) + f" ({n + 1})"),
                        ("en", title_en.format(en=topic_en) + f" ({n + 1})"))),
            start=first + timedelta(minutes=start), end=first + timedelta(minutes=start + length),
            venue=venue, room=room,
            description=Text((("sv", f"Ett samtal om {topic_sv} med forskare, politiker och praktiker."),
                              ("en", f"A conversation on {topic_en} with researchers, politicians and practitioners."))),
            speakers=tuple(chosen[:-1] or chosen), moderators=tuple(chosen[-1:]) if len(chosen) > 1 else (),
            audiences=("public",), status="tentative" if n % 97 == 0 else "confirmed"))
    organiser = Organiser("malardalsradet", "Mälardalsrådet", email="info@example.org")
    event = Event(
        id="almedalen-benchmark", kind="festival_week",
        title=Text((("sv", "Almedalsveckan 2018"), ("en", "Almedalen Week 2018"))),
        start=datetime.combine(FIRST_DAY, datetime.min.time(), ZONE),
        end=datetime.combine(FIRST_DAY + timedelta(days=DAYS), datetime.min.time(), ZONE),
        all_day=True, time_zone="Europe/Stockholm", audiences=("public",),
        subtitle=Text((("sv", "Hela veckans program"), ("en", "The whole week's programme"))),
        organiser=organiser, participants=(roster,), contacts=persons[:2],
        sessions=tuple(sorted(items, key=lambda s: (s.start, s.id))))
    settings = Settings("Mälardalsrådet", "Europe/Stockholm", ("sv", "en"), "https://calendar.example.org", ("public",))
    return Plan(settings, persons, (roster,), tuple(places), (organiser,), (event,))


def _person(rng: random.Random, n: int) -> Person:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    return Person(f"p{n:05d}", name, organisation=rng.choice(ORGANISATIONS), title=rng.choice(TITLES),
                  email=f"p{n}@example.org", languages=("sv",))


# --- one format, in its own process -----------------------------------------------------------------


def renderer(kind: str):
    if kind == "pdf":
        from motesplats.render import programme_pdf
        return lambda programme, organisation: programme_pdf.render(programme, "A4", organisation)
    from motesplats.render import programme_html
    return lambda programme, organisation: programme_html.render(programme, None, organisation)


def child(kind: str, sessions: int, people: int, repeat: int, keep: str | None, profile: bool) -> dict:
    plan = festival_plan(sessions, people)
    event = plan.events[0]
    render = renderer(kind)
    walls, builds = [], []
    output = b""
    for _ in range(repeat):
        started = time.perf_counter()
        programme = build_programme(plan, event, "sv")
        built = time.perf_counter()
        output = render(programme, plan.settings.organisation)
        walls.append(time.perf_counter() - started)
        builds.append(built - started)
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    render(build_programme(plan, event, "sv"), plan.settings.organisation)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = {"kind": kind, "walls": walls, "builds": builds, "bytes": len(output),
              "heap_peak": heap_peak, "maxrss": maxrss_kib * 1024, "sessions": len(event.sessions),
              "people": len(plan.people), "rooms": sum(len(v.rooms) for v in plan.venues), "venues": len(plan.venues)}
    if kind == "pdf":
        from pypdf import PdfReader
        result["pages"] = len(PdfReader(io.BytesIO(output)).pages)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / f"programme.{kind}").write_bytes(output)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        render(build_programme(plan, event, "sv"), plan.settings.organisation)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(22)
        result["profile"] = text.getvalue()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(12)
        result["profile_self"] = text.getvalue()
    return result


def run_child(kind: str, args: argparse.Namespace, profile: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--sessions", str(args.sessions), "--people",
               str(args.people), "--repeat", str(args.repeat)]
    if args.keep:
        command += ["--keep", args.keep]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- reporting --------------------------------------------------------------------------------------


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def report(result: dict) -> None:
    walls = result["walls"]
    median = statistics.median(walls)
    target = TARGETS[result["kind"]]
    print(f"\n{result['kind'].upper()}")
    print(f"  wall time     median {median:.2f} s  (min {min(walls):.2f}, max {max(walls):.2f}; "
          f"{len(walls)} run{'s' * (len(walls) != 1)}), of which build_programme {statistics.median(result['builds']):.2f} s")
    print(f"  target        {target:.0f} s on a 2-core machine: {median / target:.2f} of the target "
          f"({'met' if median <= target else 'MISSED'})")
    print(f"  size          {result['bytes']:,} bytes ({mib(result['bytes'])})")
    if "pages" in result:
        print(f"  pages         {result['pages']} (A4)")
    if "print_pages" in result:
        print(f"  pages         {result['print_pages']} A4 pages when Chromium prints it")
    print(f"  memory        Python heap peak {mib(result['heap_peak'])} (tracemalloc); "
          f"process peak RSS {mib(result['maxrss'])} (ru_maxrss)")


def chromium_pages(html: Path) -> int | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        return None
    from pypdf import PdfReader
    with tempfile.TemporaryDirectory() as profile_dir:
        pdf = Path(profile_dir) / "printed.pdf"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        f"--user-data-dir={profile_dir}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        html.resolve().as_uri()], capture_output=True, timeout=600, check=False)
        return len(PdfReader(pdf).pages) if pdf.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=4000)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="folder to write programme.pdf and programme.html into")
    parser.add_argument("--profile", action="store_true", help="profile the HTML run even if it meets its target")
    parser.add_argument("--print-html", action="store_true", help="count the A4 pages Chromium prints the HTML on")
    parser.add_argument("--child", choices=("pdf", "html"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.sessions, args.people, args.repeat, args.keep, args.profile)))
        return

    plan = festival_plan(args.sessions, args.people)
    event = plan.events[0]
    print(f"Festival programme: {len(event.sessions):,} sessions over {len(event.days)} days in "
          f"{sum(len(v.rooms) for v in plan.venues)} rooms of {len(plan.venues)} venues; "
          f"{len(plan.people):,} people on the roster, "
          f"{len({p.id for s in event.sessions for p in (*s.speakers, *s.moderators)}):,} of them on stage.")
    print(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {args.repeat} timed runs per format, "
          "each format in its own process.")

    results = []
    if importlib.util.find_spec("motesplats.render.programme_pdf") is None:
        print("\nNOTE: motesplats.render.programme_pdf does not exist yet: measuring the HTML only. "
              "Run this again when the PDF renderer is in place.")
    else:
        results.append(run_child("pdf", args))
    html = run_child("html", args, profile=args.profile)
    if statistics.median(html["walls"]) > TARGETS["html"] and not args.profile:
        html["profile"] = run_child("html", argparse.Namespace(**{**vars(args), "repeat": 1}), profile=True)["profile"]
    if args.print_html:
        with tempfile.TemporaryDirectory() as folder:
            keep = args.keep or folder
            if not args.keep:
                run_child("html", argparse.Namespace(**{**vars(args), "repeat": 1, "keep": keep}))
            pages = chromium_pages(Path(keep) / "programme.html")
            if pages:
                html["print_pages"] = pages
    results.append(html)

    for result in results:
        report(result)
    if "profile" in html:
        print("\nWhere the HTML time goes (cProfile, one run, by cumulative time):")
        print(html["profile"])
        if "profile_self" in html:
            print("By own time:")
            print(html["profile_self"])
    print("\nTargets: " + ", ".join(
        f"{r['kind'].upper()} {statistics.median(r['walls']):.2f} s / {TARGETS[r['kind']]:.0f} s = "
        f"{statistics.median(r['walls']) / TARGETS[r['kind']]:.2f}" for r in results))


if __name__ == "__main__":
    main()
