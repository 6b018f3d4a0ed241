"""Incremental builds: after any edit, build/ is byte for byte what a clean build makes, and only
the outputs that show the edited input are written again."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from motesplats.build import SECRET_FILE, build
from motesplats.cache import CACHE_FOLDER
from motesplats.identifiers import unguessable
from motesplats.outputs import NAMES, Request
from motesplats.problems import ProblemsFound
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY, copy_example

NOW = datetime(2018, 3, 1, 8, 0, tzinfo=timezone.utc)
SECRET = "6d6f7465" * 16
BOARD_MEETING = "styrelsemote-2018-03-16"
# A board meeting is not public: its programme has a name only the secret gives.
BOARD_PROGRAMME = f"programmes/{BOARD_MEETING}-{unguessable(SECRET.encode(), 'programme:' + BOARD_MEETING)}.sv"
BOARD_FEED = f"calendars/board-{unguessable(SECRET.encode(), 'feed:board')}.ics"


def _copy_example(target: Path) -> Path:
    copy_example(target)
    (target / SECRET_FILE).write_text(SECRET + "\n", encoding="ascii")
    return target


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def built_example(tmp_path_factory) -> Path:
    """The example workspace, built once with a fixed clock (tests copy it before editing)."""
    root = _copy_example(tmp_path_factory.mktemp("example") / "ws")
    build(open_workspace(root), now=NOW)
    return root


@pytest.fixture
def example(built_example, tmp_path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(built_example, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _role_band_override(root: Path) -> None:
    (root / "templates" / "badges").mkdir(parents=True, exist_ok=True)
    (root / "templates" / "badges" / "roles.toml").write_text('[role.talare]\nband = "#5b2c6f"\n', encoding="utf-8")


def _layout_override(root: Path) -> None:
    builtin = REPOSITORY / "motesplats" / "data" / "badges" / "layouts" / "a4-8up.toml"
    folder = root / "templates" / "badges" / "layouts"
    folder.mkdir(parents=True, exist_ok=True)
    text = builtin.read_text(encoding="utf-8")
    assert "crop_marks = true" in text
    (folder / "a4-8up.toml").write_text(text.replace("crop_marks = true", "crop_marks = false"), encoding="utf-8")


def _programme_template_override(root: Path) -> None:
    builtin = REPOSITORY / "motesplats" / "data" / "templates" / "programme" / "formal_meeting.html"
    (root / "templates" / "programme").mkdir(parents=True, exist_ok=True)
    text = builtin.read_text(encoding="utf-8")
    assert "{% block main %}" in text
    (root / "templates" / "programme" / "formal_meeting.html").write_text(
        text.replace("{% block main %}", "{% block main %}<p>Kansliets version</p>"), encoding="utf-8")


def _rename_person(root: Path) -> None:
    """A board member, also on the council: one id, one name on every roster."""
    for roster in ("board.csv", "council.csv"):
        _edit(root / "events" / roster, "Hassan Yusuf;", "Hassan Yusuf Ali;")


# Each edit, and what it may and must change: prefixes every written file starts with, and paths
# that must be among them.
EDITS = {
    "event title": (
        # before its minutes were sealed (a sealed meeting's title is the record's: see test_records)
        lambda root: (shutil.rmtree(root / "records" / "board" / "2018" / BOARD_MEETING),
                      _edit(root / "events" / "styrelsemoten-2018.toml", 'sv = "Styrelsemöte 16 mars 2018"',
                            'sv = "Styrelsemöte 16 mars 2018 (flyttat)"')),
        # its minutes, sealed by the build, and the subscription page, which links them, show the
        # title too, and so does the secretariat's year wheel (the public one holds no board meeting);
        # the notice of adjustment sealed with them is published on the notice board
        ("calendars/", BOARD_PROGRAMME, f"minutes/{BOARD_MEETING}.", "index.html", "year/2018-",
         f"notice-board/{BOARD_MEETING}.notice."),
        (f"{BOARD_PROGRAMME}.pdf", BOARD_FEED, f"minutes/{BOARD_MEETING}.sv.pdf", "index.html")),
    "venue address": (
        lambda root: _edit(root / "events" / "venues.toml", 'address = "Vaksalagatan 1"', 'address = "Vaksalagatan 3"'),
        ("calendars/", "programmes/malartinget-2018.", "badges/malartinget-2018"),
        ("programmes/malartinget-2018.sv.pdf",)),
    "person name": (
        _rename_person,
        ("calendars/personal/", "programmes/", "badges/", "minutes/"),
        (f"{BOARD_PROGRAMME}.html",)),
    "roster row": (
        lambda root: (root / "events" / "board.csv").open("a", encoding="utf-8", newline="").write(
            "nils-nyman;Nils Nyman;ersättare;Västerås stad;Kommunalråd;nils.nyman@example.se;C;sv;\r\n"),
        ("calendars/personal/", "programmes/", "badges/", "minutes/"),
        (f"{BOARD_PROGRAMME}.html",)),
    "template override": (
        _programme_template_override,
        ("programmes/",),
        (f"{BOARD_PROGRAMME}.html",)),
    "roles.toml": (
        _role_band_override,
        ("badges/",),
        ("badges/malartinget-2018.pdf",)),
    "badge layout": (
        _layout_override,
        ("badges/malartinget-2018.pdf", "badges/signering-ile-de-france-2020.pdf"),
        ("badges/malartinget-2018.pdf",)),
    "motesplats.toml": (
        lambda root: _edit(root / "motesplats.toml", 'organisation = "Mälardalsrådet"',
                           'organisation = "Mälardalsrådet i Stockholm-Mälarregionen"'),
        ("calendars/personal/", "index.html", "programmes/", "minutes/", "year/", "notice-board/"),
        ("index.html",)),
    "the secret": (
        lambda root: (root / SECRET_FILE).write_text("72656b6f" * 16 + "\n", encoding="ascii"),
        # Every file named by the secret: personal feeds, the feeds and programmes not public, and
        # the secretariat's year wheels.
        ("calendars/personal/", "calendars/board-", "calendars/staff-", "calendars/berlin-delegation-",
         "calendars/regional-board-", f"programmes/{BOARD_MEETING}-", "programmes/berlin-studieresa-2018-",
         "programmes/regionstyrelsen-", "programmes/styrelsemote-", "minutes/malartinget-2018.radsmote-",
         "year/2018-", "year/2020-"),
        (BOARD_FEED,)),
}


# Edits whose every re-rendered file really shows the change, but for the files named (for the
# others, a fingerprint covers more than the file shows: a roster's new deputy is in the
# fingerprint of every event that names the roster, but only some programmes list it).
RENDERED_EXACTLY = {
    "event title": set(),
    "template override": {"index.html"},  # the page may include any template
    "roles.toml": {"badges/signering-ile-de-france-2020.table-cards.pdf"},  # no speaker at the dinner
    "the secret": set(),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_rewrites_exactly_what_shows_it_and_matches_a_clean_build(example, tmp_path, kind):
    change, allowed, required = EDITS[kind]
    before = _tree(example / "build")
    change(example)
    clean = tmp_path / "clean"
    shutil.copytree(example, clean, ignore=shutil.ignore_patterns("build", CACHE_FOLDER))

    report = build(open_workspace(example), now=NOW)
    build(open_workspace(clean), now=NOW)

    after = _tree(example / "build")
    assert after == _tree(clean / "build"), "the incremental build differs from a clean one"
    assert (example / "calendars" / "sequence.json").read_bytes() == (clean / "calendars" / "sequence.json").read_bytes()
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert set(report.written) == changed
    assert changed, "the edit changed nothing"
    assert all(path.startswith(allowed) for path in changed), sorted(changed)
    assert set(required) <= changed
    assert len(report.rendered) < len(after), "everything was rendered again"
    if kind in RENDERED_EXACTLY:
        assert set(report.rendered) - changed <= RENDERED_EXACTLY[kind], "files were rendered in vain"


def test_a_second_build_with_nothing_changed_renders_and_writes_nothing(example):
    report = build(open_workspace(example), now=NOW)
    assert (report.written, report.rendered, report.removed) == ([], (), [])


def test_an_output_deleted_or_edited_by_hand_is_made_again(example):
    page = example / "build" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"defaced")
    programme = example / "build" / f"{BOARD_PROGRAMME}.pdf"
    programme.unlink()
    report = build(open_workspace(example), now=NOW)
    assert set(report.written) == {"index.html", f"{BOARD_PROGRAMME}.pdf"}
    assert page.read_bytes() == original


@pytest.mark.parametrize("damage", ["garbage", "other version", "deleted"])
def test_a_damaged_or_foreign_cache_is_thrown_away(example, damage):
    cache = example / CACHE_FOLDER
    if damage == "garbage":
        for path in cache.rglob("*.json"):
            path.write_bytes(b"\x00not json{")
    elif damage == "other version":
        (cache / "VERSION").write_text("0 from-another-motesplats\n", encoding="utf-8")
    else:
        shutil.rmtree(cache)
    before = _tree(example / "build")
    build(open_workspace(example), now=NOW)
    assert _tree(example / "build") == before


def test_an_event_removed_from_the_data_loses_its_programmes(example):
    (example / "events" / "almedalen-2018.toml").unlink()
    report = build(open_workspace(example), now=NOW)
    assert {"programmes/almedalen-2018.sv.pdf", "programmes/almedalen-2018.sv.html"} <= set(report.removed)
    assert not list((example / "build" / "programmes").glob("almedalen-2018.*"))


def test_badges_follow_the_event_files_choice(example):
    assert (example / "build" / "badges" / "malartinget-2018.pdf").is_file()          # a conference: yes
    assert (example / "build" / "badges" / "signering-ile-de-france-2020.table-cards.pdf").is_file()  # a ceremony: yes
    assert not (example / "build" / "badges" / f"{BOARD_MEETING}.pdf").is_file()       # a board meeting: no
    assert not (example / "build" / "badges" / "almedalen-2018.pdf").is_file()        # a festival week: no
    _edit(example / "events" / "styrelsemoten-2018.toml", f'id = "{BOARD_MEETING}"', f'id = "{BOARD_MEETING}"\nbadges = true')
    _edit(example / "events" / "malartinget-2018.toml", 'kind = "conference"', 'kind = "conference"\nbadges = false')
    report = build(open_workspace(example), now=NOW)
    assert f"badges/{BOARD_MEETING}.pdf" in report.written
    assert "badges/malartinget-2018.pdf" in report.removed


def test_a_failing_renderer_changes_nothing(example):
    before = _tree(example / "build")
    _edit(example / "events" / "venues.toml", 'address = "Vaksalagatan 1"', 'address = "Vaksalagatan 3"')
    (example / "templates" / "programme").mkdir(parents=True, exist_ok=True)
    (example / "templates" / "programme" / "conference.html").write_text("{{ no_such_value }}", encoding="utf-8")
    with pytest.raises(Exception):
        build(open_workspace(example), now=NOW)
    assert _tree(example / "build") == before
    assert not (example / CACHE_FOLDER / "staging").exists()


def test_errors_in_the_workspace_write_nothing(example):
    before = _tree(example / "build")
    _edit(example / "events" / "venues.toml", 'address = "Vaksalagatan 1"', 'address = ')
    with pytest.raises(ProblemsFound):
        build(open_workspace(example), now=NOW)
    assert _tree(example / "build") == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_parallel_and_serial_builds_make_the_same_bytes(tmp_path, jobs, built_example):
    root = _copy_example(tmp_path / "ws")
    build(open_workspace(root), now=NOW, jobs=jobs)
    assert _tree(root / "build") == _tree(built_example / "build")


def test_only_the_requested_outputs_are_built(tmp_path):
    root = _copy_example(tmp_path / "ws")
    build(open_workspace(root), Request(("programmes",)), now=NOW)
    built = _tree(root / "build")
    assert built and all(path.startswith("programmes/") for path in built)
    assert (root / "calendars" / "sequence.json").read_bytes() == \
        (REPOSITORY / "calendars" / "sequence.json").read_bytes(), "the feeds' state is only touched by building feeds"
    assert set(NAMES) >= {"feeds", "page", "programmes", "badges", "table-cards"}


def test_a_build_killed_while_rendering_leaves_build_as_it_was(example):
    """SIGKILL in the middle of a real build: build/ is untouched, and the next build completes it."""
    before = _tree(example / "build")
    _edit(example / "motesplats.toml", 'organisation = "Mälardalsrådet"', 'organisation = "Mälardalsrådet (test)"')
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    process = subprocess.Popen([sys.executable, "-m", "motesplats", "-w", str(example), "build", "--jobs", "2",
                                "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    staged = example / CACHE_FOLDER / "staging" / "files"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (staged.is_dir() and any(staged.rglob("*.*"))):
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert staged.is_dir(), "the build ended before anything was staged"
    assert _tree(example / "build") == before
    report = build(open_workspace(example), now=NOW)
    assert report.written and not (example / CACHE_FOLDER / "staging").exists()


def test_a_line_added_above_events_renders_nothing_again(example):
    """Where a record was written is not part of any output, so moving it re-renders nothing."""
    path = example / "events" / "styrelsemoten-2018.toml"
    path.write_text("# Ändrad av kansliet.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    report = build(open_workspace(example), now=NOW)
    assert (report.written, report.rendered) == ([], ())


def _run_build(root: Path, *flags: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "motesplats", "-w", str(root), "build", *flags],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPOSITORY), **(env or {})})


def test_a_long_build_shows_plain_progress_lines_when_not_on_a_terminal(tmp_path):
    root = _copy_example(tmp_path / "ws")
    result = _run_build(root, "--jobs", "1", env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("rendered ")]
    assert progress, result.stderr  # a clean build of the example takes longer than a second
    assert progress[-1].startswith("rendered ") and "/" in progress[-1]
    assert "\x1b[" not in result.stderr  # plain text: no colours, no cursor movement
    assert result.stdout.startswith("Built ")


def test_quiet_prints_nothing_but_problems(tmp_path):
    root = _copy_example(tmp_path / "ws")
    result = _run_build(root, "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert all(": warning: " in line for line in result.stderr.splitlines())


def test_a_second_build_waits_for_the_first(example):
    """Two builds of one workspace (serve --watch and a manual build) never interleave."""
    import fcntl
    import threading

    _edit(example / "events" / "venues.toml", 'address = "Vaksalagatan 1"', 'address = "Vaksalagatan 3"')
    done = threading.Event()
    with open(example / CACHE_FOLDER / "lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        thread = threading.Thread(target=lambda: (build(open_workspace(example), now=NOW, jobs=1), done.set()))
        thread.start()
        assert not done.wait(1.0), "the build did not wait for the lock"
        fcntl.flock(held, fcntl.LOCK_UN)
    thread.join(60)
    assert done.is_set()


def test_a_template_an_override_includes_is_followed(example):
    builtin = REPOSITORY / "motesplats" / "data" / "templates" / "programme" / "formal_meeting.html"
    overrides = example / "templates" / "programme"
    overrides.mkdir(parents=True, exist_ok=True)
    (overrides / "formal_meeting.html").write_text(builtin.read_text(encoding="utf-8").replace(
        "{% block main %}", '{% block main %}{% include "lokalt/notis.html" %}'), encoding="utf-8")
    (example / "templates" / "lokalt").mkdir()
    (example / "templates" / "lokalt" / "notis.html").write_text("<p>Första notisen</p>", encoding="utf-8")
    build(open_workspace(example), now=NOW)
    (example / "templates" / "lokalt" / "notis.html").write_text("<p>Andra notisen</p>", encoding="utf-8")
    report = build(open_workspace(example), now=NOW)
    assert f"{BOARD_PROGRAMME}.html" in report.written
    assert not [path for path in report.rendered if path.endswith(".pdf")]
    assert "Andra notisen" in (example / "build" / f"{BOARD_PROGRAMME}.html").read_text(encoding="utf-8")


def test_private_feeds_and_programmes_are_published_only_under_unguessable_names(example, cli):
    built = example / "build"
    assert not (built / "calendars" / "board.ics").exists()
    assert not list((built / "programmes").glob(f"{BOARD_MEETING}.*"))
    page = (built / "index.html").read_text(encoding="utf-8")
    result = cli("--workspace", str(example), "private-links")
    assert result.exit_code == 0, result.output
    rows = [line.split(";") for line in result.output.splitlines()[1:]]
    assert {row[0] for row in rows} == {"feed", "programme", "web programme", "minutes", "web minutes", "extract",
                                        "year wheel"}
    base = "kalender.malardalsradet.example/"
    for what, identifier, title, link in rows:
        path = link.split(base, 1)[1]
        assert (built / path).is_file(), link
        stem = identifier.replace("/", ".")  # a meeting inside an event: malartinget-2018.radsmote; a year
        assert path.split("/")[-1].startswith(f"{stem}-") and len(path.split("-")[-1]) >= 32 + len(".ics")
        assert path not in page, f"the public page links {path}"
    assert {row[1] for row in rows if row[0] == "feed"} == {"board", "staff", "berlin-delegation", "regional-board"}
    assert {row[1] for row in rows if row[0] == "minutes"} == {"malartinget-2018/radsmote"}  # not a public organ
    extracts = {path.name for path in (built / "minutes").glob("malartinget-2018.radsmote-*.p*.pdf")}
    assert extracts and {row[3].rsplit("/", 1)[1] for row in rows if row[0] == "extract"} == extracts


def test_a_file_that_cannot_be_replaced_is_reported_with_its_path(example, cli):
    page = example / "build" / "index.html"
    page.unlink()
    page.mkdir()  # what stands there can not be replaced by a file (even by root)
    _edit(example / "motesplats.toml", 'organisation = "Mälardalsrådet"', 'organisation = "Mälardalsrådet (test)"')
    result = cli("--workspace", str(example), "build", "--jobs", "1")
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "build/index.html:1: error: cannot write" in result.output


def test_a_published_sequence_never_goes_back_when_a_build_fails_half_way(example, cli):
    """The state is replaced before the feeds; if moving a feed fails after it, the next build
    publishes that feed with the newer sequence, never the one subscribers had before."""
    public = example / "build" / "calendars" / "public.ics"
    uid = "almedalen-2018.mingel@kalender.malardalsradet.example"
    before = _sequence(public, uid)
    _edit(example / "events" / "almedalen-2018.toml", "Mälardalsrådets mingel", "Mälardalsrådets sommarmingel")
    public.unlink()
    public.mkdir()  # the move of the new feed fails: a file cannot replace a folder
    failed = cli("--workspace", str(example), "build", "--jobs", "1")
    assert failed.exit_code == 1 and "build/calendars/public.ics:1: error: cannot write" in failed.output
    state = json.loads((example / "calendars" / "sequence.json").read_text(encoding="utf-8"))
    assert state["entries"][uid]["sequence"] == before + 1  # the state moved first
    public.rmdir()
    build(open_workspace(example), now=NOW)
    assert _sequence(public, uid) == before + 1


def _sequence(feed: Path, uid: str) -> int:
    import icalendar

    events = {str(event["UID"]): event for event in icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")}
    return int(events[uid]["SEQUENCE"])


def test_files_left_under_guessable_names_by_an_older_version_are_removed(example):
    """An upgrade empties the cache; what an old build published in the outputs' own folders goes."""
    left = [example / "build" / "calendars" / "board.ics", example / "build" / "programmes" / f"{BOARD_MEETING}.sv.pdf",
            example / "build" / "badges" / f"{BOARD_MEETING}.pdf"]
    for path in left:
        path.write_bytes(b"published by an older motesplats")
    shutil.rmtree(example / CACHE_FOLDER)
    report = build(open_workspace(example), now=NOW)
    assert not any(path.exists() for path in left)
    assert {path.relative_to(example / "build").as_posix() for path in left} <= set(report.removed)
    assert (example / "build" / "calendars" / "public.ics").is_file()


def test_a_build_stopped_while_moving_its_files_says_what_it_published(cli, tiny):
    """Once the sequence state is replaced (first of all), a failure is not 'nothing was written'."""
    assert cli("--workspace", str(tiny.root), "build").exit_code == 0
    state = tiny.root / "calendars" / "sequence.json"
    before = state.read_bytes()
    _edit(tiny.root / "events" / "konferens.toml", 'title = { sv = "Konferensen"', 'title = { sv = "Konferensen 2018"')
    programme = tiny.root / "build" / "programmes" / "konferens.sv.html"
    programme.unlink()
    (programme / "in-the-way").mkdir(parents=True)  # a folder where the new programme must go
    result = cli("--workspace", str(tiny.root), "build")
    assert result.exit_code == 1 and "build/programmes/konferens.sv.html:1: error: cannot write" in result.output
    assert "nothing was written" not in result.output
    assert "calendars/sequence.json was updated" in result.output and "the next build" in result.output
    assert state.read_bytes() != before
    shutil.rmtree(programme)
    assert cli("--workspace", str(tiny.root), "build").exit_code == 0
    assert "Konferensen 2018" in programme.read_text(encoding="utf-8")
