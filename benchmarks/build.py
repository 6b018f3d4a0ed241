"""Benchmark: `motesplats build` as an organiser runs it, at 1/10, 1/4 and full Almedalen scale.

What it measures
----------------
It generates, with `generate()` of benchmarks/feeds.py (deterministic, from a seed), the
Almedalen Week workspace at each chosen scale: at full scale 4,000 events and 10,000 people on
500 rosters, about 20 entries in each personal feed; at scale 0.1, 400 events and 1,000 people.
Then it runs the command line, each build a whole new process, as an organiser would:

    <this Python> -m motesplats -w WORKSPACE build --quiet [--jobs N]

(`--jobs N` only when given here; by default the build uses every core.) Five scenarios, in this
order, each repeated --repeat times:

  full-build     build/, .motesplats-cache/ and calendars/sequence.json removed before each run
  no-change      build again with nothing changed
  one-title      one event's title changed in its TOML file (the event in the middle of the week,
                 as in feeds.py; a new title every run), then build
  one-venue      the `address` of that event's venue changed in events/venues.toml (a new address
                 every run), then build; the number of events at that venue is printed too
  one-template   templates/subscribe.html written as the built-in template plus an HTML comment
                 whose text changes every run (an organiser's override), then build

For every run: the wall time of the process, from start to exit, and the process's peak resident
size (ru_maxrss from os.wait4, so of that process, not of this script; on Linux it is the larger
of the build process and any worker it waited for, so with --jobs the workers are not added up).
Before and after every run, build/ is read into a snapshot of {path: (size, mtime_ns, SHA-1)},
so the table says how many files the last run added, changed (bytes or mtime) and removed: a
no-change rebuild should write nothing, an edit only the outputs it touches.

Per scale, a line for the workspace and its build/ (files, MiB), then per scenario the median,
min and max wall time, the median peak RSS, the files changed by the last run, the target and
whether it is met. The targets are for the full scale, so they are judged only there ("-" at
other scales). At the end, how each scenario's median grows from the smallest to the largest
scale. Each line is printed as soon as it is ready. A build that exits non-zero stops the
benchmark and prints its stderr. A default run takes about 20 minutes on a 2-core machine; choose
smaller --scales while developing.

How to run it
-------------
    .venv/bin/python benchmarks/build.py                           # scales 0.1, 0.25 and 1, 3 repeats
    .venv/bin/python benchmarks/build.py --scales 0.05 --repeat 2  # a quick run
    .venv/bin/python benchmarks/build.py --jobs 4                  # passes --jobs 4 to every build
    .venv/bin/python benchmarks/build.py --keep /tmp/almedalen     # keep the generated workspaces
    .venv/bin/python benchmarks/build.py --profile one-venue       # also cProfile one more such build

Standard library only, besides motesplats itself.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.resources
import io
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from feeds import Generated, edit_title, generate  # noqa: E402  (benchmarks/feeds.py)

FULL_EVENTS, FULL_PEOPLE, PER_PERSON, SEED = 4000, 10000, 20, 2018
CACHE_FOLDER = ".motesplats-cache"
SEQUENCE_FILE = Path("calendars") / "sequence.json"
TEMPLATE = "subscribe.html"
PROFILE_TOP = 25

# Targets at full scale: (seconds, peak RSS in MB or None).
TARGETS = {
    "full-build": (30.0, 300),
    "no-change": (1.0, None),
    "one-title": (1.0, None),
    "one-venue": (1.0, None),
    "one-template": (1.0, None),
}


# --- running one build ----------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    rss_bytes: int
    added: int
    changed: int
    removed: int
    folders: Counter  # touched files per folder of build/ (or per file at its top)

    @property
    def files(self) -> int:
        return self.added + self.changed + self.removed


def build_command(root: Path, flags: list[str]) -> list[str]:
    return [sys.executable, "-m", "motesplats", "-w", str(root), "build", *flags]


def timed_process(command: list[str], cwd: Path) -> tuple[float, int]:
    """Run `command`, return its wall time and its own peak RSS; stop the benchmark if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if process.returncode != 0:
            err.seek(0)
            out.seek(0)
            print(f"\n`{' '.join(command)}` exited with {process.returncode}; its stderr:", flush=True)
            sys.stdout.write(err.read().decode("utf-8", "replace"))
            tail = out.read().decode("utf-8", "replace")[-4000:]
            if tail.strip():
                print("the end of its stdout:")
                sys.stdout.write(tail)
            raise SystemExit(1)
    rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return elapsed, rss


Snapshot = dict[str, tuple[int, int, str]]


def snapshot(build: Path) -> Snapshot:
    files = {}
    for path in build.rglob("*"):
        if path.is_file():
            stat = path.stat()
            files[path.relative_to(build).as_posix()] = (stat.st_size, stat.st_mtime_ns,
                                                         hashlib.sha1(path.read_bytes()).hexdigest())
    return files


def compare(before: Snapshot, after: Snapshot) -> tuple[int, int, int, Counter]:
    added = [path for path in after if path not in before]
    changed = [path for path, seen in after.items() if path in before and before[path] != seen]
    removed = [path for path in before if path not in after]
    folders = Counter(path.rpartition("/")[0] or path for path in added + changed + removed)
    return len(added), len(changed), len(removed), folders


# --- scenarios ------------------------------------------------------------------------------

@dataclass
class Workspace:
    root: Path
    scale: float
    generated: Generated
    venue: str = ""
    events_at_venue: int = 0
    notes: dict[str, str] = field(default_factory=dict)


def venue_of(root: Path, event_id: str) -> str:
    for path in sorted((root / "events").rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        at = text.find(f'id = "{event_id}"\n')
        if at >= 0:
            return re.compile(r'^venue = "([^"]+)"$', re.M).search(text, at).group(1)
    raise SystemExit(f"event {event_id} not found")


def count_events_at(root: Path, venue: str) -> int:
    line = re.compile(rf'^venue = "{re.escape(venue)}"$', re.M)
    return sum(len(line.findall(path.read_text(encoding="utf-8"))) for path in (root / "events").rglob("*.toml"))


def edit_venue_address(root: Path, venue: str, variant: int) -> None:
    """Change one venue's address in events/venues.toml, as an organiser would."""
    path = root / "events" / "venues.toml"
    text = path.read_text(encoding="utf-8")
    at = text.index(f'id = "{venue}"\n')
    line_start = text.index("\naddress = ", at) + 1
    line_end = text.index("\n", line_start)
    path.write_text(text[:line_start] + f'address = "Benchmarkgatan {variant}"' + text[line_end:], encoding="utf-8")


def edit_template(root: Path, variant: int) -> None:
    """Save an override of the subscription page: the built-in template plus a changing comment."""
    built_in = importlib.resources.files("motesplats").joinpath("data", "templates", TEMPLATE).read_text(encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / TEMPLATE).write_text(built_in + f"<!-- benchmark edit {variant} -->\n", encoding="utf-8")


def prepare(scenario: str, workspace: Workspace, variant: int) -> None:
    """Untimed: bring the workspace into the state the scenario starts from."""
    root = workspace.root
    if scenario == "full-build":
        shutil.rmtree(root / "build", ignore_errors=True)
        shutil.rmtree(root / CACHE_FOLDER, ignore_errors=True)
        (root / SEQUENCE_FILE).unlink(missing_ok=True)
    elif scenario == "one-title":
        edit_title(root, workspace.generated.edited_event, variant)
    elif scenario == "one-venue":
        edit_venue_address(root, workspace.venue, variant)
    elif scenario == "one-template":
        edit_template(root, variant)


def run_scenario(scenario: str, workspace: Workspace, flags: list[str], repeat: int) -> list[Run]:
    runs = []
    for repetition in range(1, repeat + 1):
        prepare(scenario, workspace, repetition)
        before = snapshot(workspace.root / "build")
        seconds, rss = timed_process(build_command(workspace.root, flags), workspace.root)
        runs.append(Run(seconds, rss, *compare(before, snapshot(workspace.root / "build"))))
    return runs


def profile_scenario(scenario: str, workspace: Workspace, flags: list[str], repeat: int, output: Path) -> str:
    """One more run of `scenario` under cProfile; the top functions by cumulative time."""
    prepare(scenario, workspace, repeat + 1)
    command = [sys.executable, "-m", "cProfile", "-o", str(output), *build_command(workspace.root, flags)[1:]]
    timed_process(command, workspace.root)
    text = io.StringIO()
    pstats.Stats(str(output), stream=text).sort_stats("cumulative").print_stats(PROFILE_TOP)
    return text.getvalue()


# --- reporting ------------------------------------------------------------------------------

def seconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.2f} s"


def target_text(scenario: str) -> str:
    limit, rss = TARGETS[scenario]
    return f"≤ {seconds(limit)}" + (f", ≤ {rss} MB" if rss else "")


def verdict(scenario: str, runs: list[Run], judged: bool) -> str:
    if not judged:
        return "-"
    limit, rss = TARGETS[scenario]
    met = statistics.median(r.seconds for r in runs) <= limit
    if rss:
        met = met and statistics.median(r.rss_bytes for r in runs) / 2**20 <= rss
    return "met" if met else "MISSED"


ROW = "  {:<14} {:>10} {:>10} {:>10} {:>9} {:>24}   {:<18} {}"


def print_row(scenario: str, runs: list[Run], judged: bool) -> None:
    times = [r.seconds for r in runs]
    last = runs[-1]
    files = f"{last.files:,} (+{last.added:,} ~{last.changed:,} -{last.removed:,})"
    print(ROW.format(scenario, seconds(statistics.median(times)), seconds(min(times)), seconds(max(times)),
                     f"{statistics.median(r.rss_bytes for r in runs) / 2**20:,.0f} MB", files,
                     target_text(scenario), verdict(scenario, runs, judged)), flush=True)
    if last.folders:
        where = ", ".join(f"{folder} {count:,}" for folder, count in sorted(last.folders.items()))
        print(f"{'':<17}in build/: {where}", flush=True)


def build_flags(jobs: int | None) -> list[str]:
    return ["--quiet"] + (["--jobs", str(jobs)] if jobs else [])


def bench_scale(scale: float, root: Path, flags: list[str], repeat: int) -> tuple[Workspace, dict[str, list[Run]]]:
    events, people = round(FULL_EVENTS * scale), round(FULL_PEOPLE * scale)
    print(f"Scale {scale:g}: generating {events:,} events and {people:,} people into {root} ...", flush=True)
    generated = generate(root, events, people, PER_PERSON, SEED)
    workspace = Workspace(root, scale, generated)
    workspace.venue = venue_of(root, generated.edited_event)
    workspace.events_at_venue = count_events_at(root, workspace.venue)

    results = {"full-build": run_scenario("full-build", workspace, flags, repeat)}
    built = snapshot(root / "build")
    g = generated
    print(f"Scale {scale:g}: {g.events:,} events ({g.sessions:,} sessions), {g.people:,} people on {g.rosters} "
          f"rosters, {g.expected_entries_per_person:.1f} entries per person; build/ after the full build: "
          f"{len(built):,} files, {sum(size for size, _, _ in built.values()) / 2**20:,.1f} MiB", flush=True)
    print(ROW.format("scenario", "median", "min", "max", "RSS", "files changed (last run)", "target", "verdict"))
    judged = scale == 1
    print_row("full-build", results["full-build"], judged)
    for scenario in ("no-change", "one-title", "one-venue", "one-template"):
        results[scenario] = run_scenario(scenario, workspace, flags, repeat)
        print_row(scenario, results[scenario], judged)
        if scenario == "one-title":
            print(f"{'':<17}the edited event: {g.edited_event}", flush=True)
        if scenario == "one-venue":
            print(f"{'':<17}the edited venue: {workspace.venue}, where {workspace.events_at_venue} of {g.events:,} "
                  f"events are; the last run changed {results[scenario][-1].files:,} files", flush=True)
    print(flush=True)
    return workspace, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="0.1,0.25,1",
                        help="comma-separated fractions of 4,000 events and 10,000 people (default 0.1,0.25,1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to every build")
    parser.add_argument("--keep", type=Path, help="generate into this (new or empty) folder and keep it")
    parser.add_argument("--profile", choices=list(TARGETS),
                        help="run this scenario once more at the largest scale under cProfile")
    args = parser.parse_args()
    scales = sorted(float(text) for text in args.scales.split(","))
    if args.repeat < 1 or any(scale <= 0 for scale in scales):
        parser.error("--repeat and every scale must be positive")

    print(f"Python {platform.python_version()} ({sys.executable}), {os.cpu_count()} CPUs, {platform.platform()}")
    flags = build_flags(args.jobs)
    print(f"each run: {' '.join(build_command(Path('WORKSPACE'), flags)[1:])}   "
          f"(flags used: {' '.join(flags) or 'none'}); {args.repeat} run(s) per scenario", flush=True)
    print()

    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            raise SystemExit(f"{args.keep} is not empty")
        parent, temporary = args.keep.resolve(), None
    else:
        temporary = tempfile.TemporaryDirectory(prefix="motesplats-bench-build-")
        parent = Path(temporary.name)
    try:
        results, workspace = {}, None
        for scale in scales:
            workspace, results[scale] = bench_scale(scale, parent / f"almedalen-{scale:g}", flags, args.repeat)
        if len(scales) > 1:
            small, large = scales[0], scales[-1]
            growth = ", ".join(
                f"{scenario} {statistics.median(r.seconds for r in results[large][scenario]) / statistics.median(r.seconds for r in results[small][scenario]):.1f}x"
                for scenario in TARGETS)
            print(f"Growth of the median from scale {small:g} to {large:g} "
                  f"({large / small:g} times the events and people): {growth}", flush=True)
        if args.profile:
            largest = scales[-1]
            output = parent / f"profile-{args.profile}-{largest:g}.prof"
            print(f"\nProfile of one more '{args.profile}' run at scale {largest:g} (cProfile, main process only; "
                  f"times inflated by profiling){f', saved in {output}' if args.keep else ''}:", flush=True)
            print(profile_scenario(args.profile, workspace, flags, args.repeat, output), flush=True)
    finally:
        if temporary:
            temporary.cleanup()


if __name__ == "__main__":
    main()
