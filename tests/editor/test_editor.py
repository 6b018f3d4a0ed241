"""The editor in a real browser and over real sockets, on a copy of the example workspace."""

from __future__ import annotations

import http.client
import json
import re
import select
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest

from motesplats.build import build
from motesplats.cache import CACHE_FOLDER, EDIT_LOCK, holding
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY, copy_example, raw_exchange

BOARD_FILE = "events/styrelsemoten-2018.toml"
ALMEDALEN_FILE = "events/almedalen-2018.toml"


@pytest.fixture(scope="module")
def built_example(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("editor") / "ws")
    not_yet_adjusted(root)
    build(open_workspace(root))
    return root


@pytest.fixture
def workspace(built_example, tmp_path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(built_example, root)
    shutil.copy2(REPOSITORY / "motesplats" / "data" / "skeleton" / ".gitignore", root / ".gitignore")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "before"],
                   cwd=root, check=True)
    return root


def not_yet_adjusted(root: Path) -> None:
    """The board's 2018 minutes as drafts, with no record: its meetings may still be edited (an
    edit of sealed minutes is refused by design, tests/test_records.py)."""
    events = root / BOARD_FILE
    kept = [line for line in events.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(("adjusted = 2018-", "posted = 2018-"))]
    events.write_text("".join(kept), encoding="utf-8")
    shutil.rmtree(root / "records" / "board")


@dataclass
class Editor:
    process: subprocess.Popen
    url: str

    @property
    def port(self) -> int:
        return int(self.url.split(":")[2].split("/")[0])

    @property
    def token(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[1]

    def request(self, method: str, path: str, body: object = None, **headers: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            data = None if body is None else json.dumps(body).encode()
            connection.request(method, path, body=data, headers={
                **({"Content-Type": "application/json"} if body is not None else {}), **headers})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


@pytest.fixture
def editor(tmp_path):
    started: list[subprocess.Popen] = []

    def start(root: Path) -> Editor:
        errors = (tmp_path / "editor.err").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "motesplats", "--workspace", str(root), "edit",
                                    "--no-open", "--port", "0"], stdout=subprocess.PIPE, stderr=errors,
                                   stdin=subprocess.DEVNULL, bufsize=0)
        started.append(process)
        deadline, printed = time.monotonic() + 120, ""
        while time.monotonic() < deadline and process.poll() is None:
            if select.select([process.stdout], [], [], 0.5)[0]:
                printed += process.stdout.readline().decode()
                found = re.search(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{43}/", printed)
                if found:
                    return Editor(process, found.group(0))
        raise AssertionError(f"no editor address printed:\n{printed}\n{(tmp_path / 'editor.err').read_text()}")

    yield start
    for process in started:
        process.kill()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright  # missing: the test fails, it does not skip

    chromium = shutil.which("chromium")
    assert chromium, "the browser test needs Debian's chromium: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield launched
        launched.close()


def git_diff(root: Path, file: str) -> tuple[list[str], list[str]]:
    diff = subprocess.run(["git", "diff", "-U0", "--", file], cwd=root, capture_output=True, text=True, check=True).stdout
    lines = diff.splitlines()
    removed = [l[1:] for l in lines if l.startswith("-") and not l.startswith("---")]
    added = [l[1:] for l in lines if l.startswith("+") and not l.startswith("+++")]
    return removed, added


def changed_files(root: Path) -> list[str]:
    return subprocess.run(["git", "diff", "--name-only"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.split()


def feed_event(root: Path, feed_prefix: str, uid_start: str):
    [feed] = (root / "build" / "calendars").glob(f"{feed_prefix}*.ics")
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(uid_start)]


def open_page(browser, editor: Editor, width: int = 1280):
    page = browser.new_page(locale="sv-SE", viewport={"width": width, "height": 900})
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(f"http://127.0.0.1:{editor.port}/")
            else outside.append(request.url))
    page.goto(editor.url)
    page.locator("#content table").wait_for()
    return page, outside


def replace_text(page, selector: str, text: str) -> None:
    """Focus a field and type into it, as a person does: select all, then the keys."""
    page.locator(selector).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_a_board_meeting_edited_with_the_keyboard_changes_only_those_lines_and_rebuilds_its_feed(
        workspace, editor, browser):
    from playwright.sync_api import expect

    server = editor(workspace)
    page, outside = open_page(browser, server)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("link", name="Styrelsemöte 16 mars 2018").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#form-heading")).to_contain_text("Styrelsemöte 16 mars 2018")
    expect(page.get_by_text("Tidszon Europe/Stockholm").first).to_be_visible()

    replace_text(page, "#f-event-0-end-time", "13:15")
    page.locator("#add-event-0-agenda").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#f-event-0-agenda-12-title-sv")).to_be_focused()
    page.keyboard.type("Information om regionplanen")
    page.locator("#save").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Sparat i events/styrelsemoten-2018.toml", timeout=60_000)

    removed, added = git_diff(workspace, BOARD_FILE)
    assert changed_files(workspace) == ["calendars/sequence.json", BOARD_FILE]  # the feed entry's SEQUENCE rose
    assert removed == ["end = 2018-03-16T12:30:00"]
    assert [line for line in added if line] == [
        "end = 2018-03-16T13:15:00", "[[event.agenda]]", 'title = { sv = "Information om regionplanen" }']
    assert added.count("") == 1  # the blank line that sets the new item apart
    text = (workspace / BOARD_FILE).read_text(encoding="utf-8")
    assert text.index("Information om regionplanen") < text.index("# The minutes")
    [entry] = feed_event(workspace, "board-", "styrelsemote-2018-03-16@")
    assert entry.decoded("DTEND").isoformat() == "2018-03-16T13:15:00+01:00"
    assert str(entry["DTEND"].params["TZID"]) == "Europe/Stockholm"
    assert "Information om regionplanen" in str(entry["DESCRIPTION"])
    preview = page.locator("#preview .feed-entry").first
    expect(preview).to_contain_text("13:15")
    expect(page.locator("#preview iframe.programme")).to_have_attribute("src", re.compile(r"/build/programmes/"))
    assert outside == []


def test_an_invalid_edit_shows_check_s_words_at_its_field_and_writes_nothing(workspace, editor, browser):
    from playwright.sync_api import expect

    server = editor(workspace)
    before = (workspace / BOARD_FILE).read_bytes()
    page, _ = open_page(browser, server)
    page.get_by_role("link", name="Styrelsemöte 8 juni 2018").click()
    replace_text(page, "#f-event-1-end-time", "08:00")
    page.locator("#save").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Inget sparades")
    end = page.locator("#f-event-1-end")
    expect(end).to_have_attribute("aria-invalid", "true")
    error_id = end.get_attribute("aria-describedby").split()[0]
    shown = page.locator(f"#{error_id}").inner_text()

    assert (workspace / BOARD_FILE).read_bytes() == before
    assert changed_files(workspace) == []
    pending = before.decode().replace("end = 2018-06-08T12:30:00", "end = 2018-06-08T08:00:00").encode()
    checked = check_workspace(open_workspace(workspace), pending={workspace / BOARD_FILE: pending})
    said = [str(p) for p in checked.errors if p.file == BOARD_FILE]
    assert said and all(text in shown for text in said)


def test_an_almedalen_seminar_is_cancelled_and_a_board_meeting_moved_each_in_one_action(workspace, editor, browser):
    from playwright.sync_api import expect

    server = editor(workspace)
    page, _ = open_page(browser, server)
    page.get_by_role("link", name="Mälardalsrådet i Almedalen 2018").click()
    status = page.locator("#f-event-0-session-3-status")
    status.focus()
    status.select_option("cancelled")
    page.locator("#save").click()
    expect(page.locator("#status")).to_contain_text("Sparat", timeout=60_000)

    page.goto(server.url + "#year")
    page.get_by_role("link", name="Styrelsemöte 21 september 2018").click()
    replace_text(page, "#reschedule-date", "2018-09-19")
    page.locator("#reschedule").click()
    expect(page.locator("#f-event-2-start")).to_have_value("2018-09-19")
    page.locator("#save").click()
    expect(page.locator("#status")).to_contain_text("Sparat", timeout=60_000)

    assert sorted(changed_files(workspace)) == ["calendars/sequence.json", ALMEDALEN_FILE, BOARD_FILE]
    almedalen = tomllib.loads((workspace / ALMEDALEN_FILE).read_text(encoding="utf-8"))
    assert almedalen["event"][0]["session"][3]["status"] == "cancelled"
    board = tomllib.loads((workspace / BOARD_FILE).read_text(encoding="utf-8"))["event"][2]
    assert [board["start"].day, board["end"].day, *(s["start"].day for s in board["session"])] == [19] * 4
    [moved] = feed_event(workspace, "board-", "styrelsemote-2018-09-21@")
    assert moved.decoded("DTSTART").date().isoformat() == "2018-09-19"
    session_id = almedalen["event"][0]["session"][3]["id"]
    [cancelled] = feed_event(workspace, "public", f"almedalen-2018.{session_id}@")
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_a_file_changed_on_disk_is_not_overwritten_and_the_page_reloads_it(workspace, editor, browser):
    from playwright.sync_api import expect

    server = editor(workspace)
    page, _ = open_page(browser, server)
    page.get_by_role("link", name="Styrelsemöte 16 mars 2018").click()
    replace_text(page, "#f-event-0-end-time", "13:00")
    meanwhile = (workspace / BOARD_FILE).read_text(encoding="utf-8").replace(
        'title = "Övriga frågor"', 'title = "Övriga frågor (ändrat i texteditorn)"')
    (workspace / BOARD_FILE).write_text(meanwhile, encoding="utf-8")
    page.locator("#save").click()
    expect(page.locator("#status")).to_contain_text("har ändrats på disken")
    assert (workspace / BOARD_FILE).read_text(encoding="utf-8") == meanwhile
    expect(page.locator("#f-event-0-end-time")).to_have_value("12:30")


def test_the_page_fits_a_phone_speaks_three_languages_and_labels_every_control(workspace, editor, browser):
    from playwright.sync_api import expect

    server = editor(workspace)
    page, outside = open_page(browser, server, width=390)
    page.get_by_role("link", name="Styrelsemöte 16 mars 2018").click()
    page.locator("#form-heading").wait_for()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('#content input, #content select, #content textarea')]
        .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')).map((c) => c.id)""")
    assert unlabelled == []
    for language, word in (("en", "Save"), ("fr", "Enregistrer"), ("sv", "Spara")):
        page.locator("#ui-language").select_option(language)
        expect(page.locator("#save")).to_have_text(word)
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.reload()
    page.locator("#form-heading").wait_for()
    page.keyboard.press("Tab")
    expect(page.locator("#skip")).to_be_focused()
    assert outside == []


def test_a_request_without_the_token_or_from_another_site_changes_nothing(workspace, editor):
    server = editor(workspace)
    before = (workspace / BOARD_FILE).read_bytes()
    host = f"127.0.0.1:{server.port}"
    _, body = server.request("GET", f"/{server.token}/api/state")
    version = json.loads(body)["files"][BOARD_FILE]["version"]
    edit = {"file": BOARD_FILE, "version": version,
            "edits": [{"op": "set", "path": ["event", 0, "end"], "value": "2018-03-16T13:00"}]}

    assert server.request("POST", "/api/save", edit)[0] == 404
    assert server.request("POST", f"/{'x' * 43}/api/save", edit)[0] == 404
    assert server.request("GET", "/")[0] == 404
    assert server.request("POST", f"/{server.token}/api/save", edit, Origin="http://evil.example",
                          **{"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert server.request("POST", f"/{server.token}/api/save", edit, Host=f"evil.example:{server.port}")[0] == 404
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("POST", f"/{server.token}/api/save", body=json.dumps(edit), headers={"Content-Type": "text/plain"})
    assert connection.getresponse().status == 415
    connection.close()
    assert (workspace / BOARD_FILE).read_bytes() == before

    status, body = server.request("POST", f"/{server.token}/api/save", edit, Origin=f"http://{host}",
                                  **{"Sec-Fetch-Site": "same-origin"})
    assert status == 200 and json.loads(body)["saved"] is True
    assert git_diff(workspace, BOARD_FILE) == (["end = 2018-03-16T12:30:00"], ["end = 2018-03-16T13:00:00"])


def saving(server: Editor, edits: list[dict], file: str = BOARD_FILE) -> dict:
    """A save of `edits` to `file` as read now, as the page sends it."""
    _, body = server.request("GET", f"/{server.token}/api/state")
    return {"file": file, "version": json.loads(body)["files"][file]["version"], "edits": edits}


def test_a_request_whose_length_reads_two_ways_or_nested_too_deep_is_refused(workspace, editor, tmp_path):
    server = editor(workspace)
    before = (workspace / BOARD_FILE).read_bytes()
    save = json.dumps(saving(server, [{"op": "set", "path": ["event", 0, "end"], "value": "2018-03-16T13:00"}])).encode()
    nested = b'{"file": "%s", "version": "x", "edits": %s}' % (BOARD_FILE.encode(), b"[" * 1500 + b"]" * 1500)
    head = f"POST /{server.token}/api/save HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
    for lengths, body in ((f"Content-Length: 0\r\nContent-Length: {len(save)}\r\n", save),
                          (f"Content-Length: {len(save)}\r\nTransfer-Encoding: chunked\r\n", save),
                          ("Content-Length: 1e3\r\n", save), (f"Content-Length: {len(nested)}\r\n", nested)):
        answer = raw_exchange(server.port, f"{head}{lengths}\r\n".encode() + body, wait=30)
        assert answer.split(b" ", 2)[1] == b"400" and answer.count(b"HTTP/1.1 ") == 1
    assert (workspace / BOARD_FILE).read_bytes() == before
    assert "Traceback" not in (tmp_path / "editor.err").read_text(encoding="utf-8")


def test_control_characters_in_a_request_never_reach_the_editor_s_log_raw(workspace, editor, tmp_path):
    server = editor(workspace)
    for path in (f"/{server.token}/x\rFORGED\x1b[2J", f"/{server.token}/x%0aFORGED\x08FORGED"):
        raw_exchange(server.port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n\r\n"
                     .encode(), wait=30)
    lines = (tmp_path / "editor.err").read_text(encoding="utf-8").splitlines()
    forged = [line for line in lines if "FORGED" in line]
    assert forged and all(re.match(r'127\.0\.0\.1 ("GET /|code 400, )', line) and line.isprintable()
                          for line in forged), forged
    assert server.token not in "\n".join(lines)


def test_moving_an_event_past_the_calendar_s_end_is_refused_in_words_and_a_failure_is_an_answer(
        workspace, editor, tmp_path):
    server = editor(workspace)
    before = (workspace / BOARD_FILE).read_bytes()
    status, body = server.request("POST", f"/{server.token}/api/save",
                                  saving(server, [{"op": "reschedule", "path": ["event", 0], "value": "9999-12-31T23:00"}]))
    assert status == 422 and "outside the calendar" in json.loads(body)["refused"]
    assert (workspace / BOARD_FILE).read_bytes() == before

    (workspace / "build" / "calendars" / "broken.ics").write_bytes(b"BEGIN:VCALENDAR\r\nnot a line\r\n")
    status, body = server.request("GET", f"/{server.token}/api/preview?event=nothing-has-this-id")
    assert status == 500 and "motesplats edit" in json.loads(body)["refused"] and "Traceback" not in body.decode()
    assert "Traceback" in (tmp_path / "editor.err").read_text(encoding="utf-8")  # for whoever fixes it


def someone_waits_for(lock: Path) -> bool:
    """Whether a process is blocked waiting for the flock on `lock` (Linux lists waiters with '->')."""
    inode = lock.stat().st_ino
    return any("->" in line and f":{inode} " in line for line in Path("/proc/locks").read_text().splitlines())


def test_a_file_written_while_the_save_is_under_way_is_not_overwritten(workspace, editor):
    server = editor(workspace)
    host = f"127.0.0.1:{server.port}"
    save = saving(server, [{"op": "set", "path": ["event", 0, "end"], "value": "2018-03-16T13:00"}])
    meanwhile = (workspace / BOARD_FILE).read_text(encoding="utf-8").replace(
        'title = "Övriga frågor"', 'title = "Övriga frågor (ändrat i texteditorn)"')
    with ThreadPoolExecutor(max_workers=1) as pool:
        with holding(workspace, EDIT_LOCK):  # as a second editor holds it while it compares and replaces
            answer = pool.submit(server.request, "POST", f"/{server.token}/api/save", save, Origin=f"http://{host}")
            deadline = time.monotonic() + 60
            while not someone_waits_for(workspace / CACHE_FOLDER / EDIT_LOCK):
                assert not answer.done(), f"answered {answer.result()[0]} without waiting for the lock"
                assert time.monotonic() < deadline
                time.sleep(0.05)
            # The save has checked the workspace with the file as it read it; now another program writes it.
            (workspace / BOARD_FILE).write_text(meanwhile, encoding="utf-8")
        status, body = answer.result(timeout=60)
    assert status == 409 and json.loads(body) == {"conflict": BOARD_FILE}
    assert (workspace / BOARD_FILE).read_text(encoding="utf-8") == meanwhile
