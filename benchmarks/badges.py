"""Benchmark: 10,000 name badges on the A4 8-up sheet.

What it measures
----------------
It generates (deterministically, from a seed) one conference with 10,000 people on one roster:
names of realistic lengths with the diacritics a Swedish regional council meets (å ä ö, é,
Ł ż ó ć, ş ğ ç, Vietnamese tones, some Greek), double-barrelled given names and surnames,
organisations and titles; about one in twelve speaks or moderates a session. Then it times
render_badges() with the built-in `a4-8up` layout and check-in QR codes, --repeat times, and
reports:

  median, min and max wall time        (target: 10 s)
  pages, file size, bytes per badge    (target: 2 KB per badge)
  Python heap peak (tracemalloc, in one extra untimed run, since tracing slows Python down)
  peak resident size of the process (ru_maxrss, read before that traced run)

and the ratios to the targets. For scale: a well-known ticketing system takes about 19 s for
2,000 badges, at 15.7 KB each.

How to run it
-------------
    .venv/bin/python benchmarks/badges.py                       # 10,000 badges, 3 repeats
    .venv/bin/python benchmarks/badges.py --people 1000 --repeat 1
    .venv/bin/python benchmarks/badges.py --out /tmp/badges.pdf # keep the PDF to look at
    .venv/bin/python benchmarks/badges.py --profile             # cProfile of one run, top 25

Standard library only, besides motesplats itself.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motesplats.badge_styles import load_layout, load_roles  # noqa: E402
from motesplats.model import Event, Member, Person, Plan, Roster, Session, Settings, Source, Text  # noqa: E402
from motesplats.render.badges_pdf import render_badges  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_BYTES_PER_BADGE = 2048
REFERENCE = "a well-known ticketing system: ~19 s for 2,000 badges, 15.7 KB per badge"

GIVEN = ["Anna", "Åsa", "Erik", "Lars", "Karin", "Maria", "Johan", "Ingrid", "Björn", "Märta", "Göran", "Ebba",
         "Zeynep", "Ahmed", "Fatima", "Łukasz", "Şükrü", "Hélène", "François", "Nguyễn Văn", "Jörg", "Ulrike",
         "Anna-Karin", "Per-Olof", "Lars-Erik", "Britt-Marie", "Carl-Johan", "Sven-Åke", "Maïté", "Noémie",
         "Σωκράτης", "Ελένη", "Małgorzata", "Dragan", "Emina", "Aurélien", "Tiina", "Mohammad", "Leyla", "Ida"]
FAMILY = ["Andersson", "Öberg", "Åkerlund", "Lindqvist", "Sjöholm", "Ekström", "Żółć", "Çağlar", "Anh",
          "Lundberg Udelepp", "Gustafsson-Nordström", "Dupré-Laforêt", "Pécresse", "Weißenfels", "Yılmaz",
          "Begić", "Osmanović", "Παπαδόπουλος", "Wiśniewska", "Hällgren", "Ek", "Ali", "Rask-Berg",
          "Lind-Berglöf", "Sandberg-Håkansson", "Lindgren-Roux", "Västberg", "Svenonius", "Karimi", "Jäderberg"]
ORGS = ["Stockholms läns landsting", "Uppsala kommun", "Region Örebro län", "Mälardalens högskola", "KTH",
        "Région Île-de-France", "Verkehrsverbund Berlin-Brandenburg", "Svartbäcken Tech AB", "Trafikverket",
        "Agence régionale de développement économique", "Ahlgren & Partners Fastigheter AB", "Vinnova"]
TITLES = ["Kommunalråd", "Regionråd", "Ledamot i kommunfullmäktige", "Oppositionsråd", "Professor i kulturgeografi",
          "Vd", "Projektledare, En svensk innovationsbarometer", "Directeur des relations internationales",
          "Kommunstyrelsens ordförande", "Analytiker, internationella frågor", ""]
ROLES = ["ledamot"] * 12 + ["ersättare"] * 6 + ["ordförande", "vice ordförande", "personal", "press", "delegat"]


def workload(people: int, seed: int = 2018) -> tuple[Plan, Event]:
    """A plan with one event whose single roster has `people` members (and some speakers)."""
    rng = random.Random(seed)
    source = Source("benchmark", 1)
    members = []
    for n in range(people):
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if rng.random() < 0.05:
            name = f"{rng.choice(GIVEN)} {name}"
        person = Person(id=f"p{n:05d}-{name.split()[-1].casefold()}", name=name, organisation=rng.choice(ORGS),
                        title=rng.choice(TITLES))
        members.append(Member(person, rng.choice(ROLES)))
    roster = Roster("attendees", Text((("sv", "Deltagare"),)), Text(()), tuple(members), source)
    zone = ZoneInfo("Europe/Stockholm")
    sessions = []
    speakers = [member.person for member in members[:: 12]]
    for n in range(0, len(speakers), 4):
        sessions.append(Session(id=f"s{n}", kind="seminar", title=Text((("sv", f"Seminarium {n}"),)),
                                start=datetime(2018, 5, 17, 10, tzinfo=zone), end=datetime(2018, 5, 17, 11, tzinfo=zone),
                                venue=None, speakers=tuple(speakers[n:n + 3]), moderators=tuple(speakers[n + 3:n + 4])))
    event = Event(id="malartinget-2018", kind="conference", title=Text((("sv", "Mälartinget 2018"),)),
                  start=datetime(2018, 5, 17, 9, tzinfo=zone), end=datetime(2018, 5, 18, 15, 30, tzinfo=zone),
                  all_day=False, time_zone="Europe/Stockholm", audiences=("public",), participants=(roster,),
                  sessions=tuple(sessions), source=source)
    settings = Settings("Mälardalsrådet", "Europe/Stockholm", ("sv", "en", "fr"), "https://example.org", ("public",))
    plan = Plan(settings, tuple(member.person for member in members), (roster,), (), (), (event,))
    return plan, event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layout", default="a4-8up")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    plan, event = workload(args.people)
    layout, roles = load_layout(args.layout), load_roles()
    render_badges(plan, event, layout, roles)  # warm up: fonts registered, modules imported

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(render_badges, plan, event, layout, roles)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return

    times, pdf = [], b""
    for _ in range(args.repeat):
        start = time.perf_counter()
        pdf = render_badges(plan, event, layout, roles)
        times.append(time.perf_counter() - start)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    tracemalloc.start()
    render_badges(plan, event, layout, roles)
    heap_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if args.out:
        args.out.write_bytes(pdf)

    median = statistics.median(times)
    pages = math.ceil(args.people / layout.per_page) * (2 if layout.double_sided else 1)
    per_badge = len(pdf) / args.people
    print(f"badges            {args.people:,} on {args.layout} ({layout.per_page} per sheet)")
    print(f"wall time         median {median:.2f} s, min {min(times):.2f} s, max {max(times):.2f} s "
          f"({args.repeat} runs); {median / args.people * 1000:.3f} ms per badge")
    print(f"pages             {pages:,} (PDF has {pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages'):,})")
    print(f"file size         {len(pdf):,} bytes ({len(pdf) / 2**20:.1f} MiB); {per_badge:,.0f} bytes per badge")
    print(f"peak memory       Python heap {heap_mb:.1f} MiB (tracemalloc); process {rss_mb:.1f} MiB (ru_maxrss)")
    scale = args.people / 10_000
    print(f"vs targets        time {median / (TARGET_SECONDS * scale):.2f} × of ≤ {TARGET_SECONDS * scale:g} s; "
          f"size {per_badge / TARGET_BYTES_PER_BADGE:.2f} × of ≤ 2 KB per badge")
    print(f"reference         {REFERENCE}: {19 / 2000 * 1000:.1f} ms per badge vs ours "
          f"{median / args.people * 1000:.2f} ms; {15.7 * 1024:,.0f} bytes vs ours {per_badge:,.0f}")


if __name__ == "__main__":
    main()
