"""The preview server over a real loopback socket, and the watcher that triggers rebuilds."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import pytest

from motesplats.serve import make_server, watch
from motesplats.write import replace_atomically
from tests.conftest import raw_exchange

SECRET = b"TOP SECRET: not part of the site"
FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
PERSONAL = "3f9a1c0de2b47a8e"
PROGRAMME = bytes(range(256)) * 800  # bigger than one chunk

FILES = {
    "index.html": b"<!doctype html><title>Start</title>",
    "calendars/public.ics": FEED,
    f"calendars/personal/{PERSONAL}.ics": FEED,
    "programme.pdf": PROGRAMME,
    "data.json": b'{"events": []}',
    "style.css": b"body { margin: 0 }",
    "logo.png": b"\x89PNG\r\n\x1a\n",
    "logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "notes.bin": b"\x00\x01",
    "sub/index.html": b"<title>Sub</title>",
    "empty/readme.txt": b"no index here",
    ".index.html.abc123.tmp": b"half written",
    "calendars/.public.ics.x.tmp": b"half written",
    ".hidden/file.html": b"hidden",
}


@dataclass
class Site:
    build: Path
    port: int
    log: list[str]

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.request("GET", path, {name.replace("_", "-"): value for name, value in headers.items()})


@pytest.fixture
def site(tmp_path: Path):
    build = tmp_path / "build"
    for relative, content in FILES.items():
        (build / relative).parent.mkdir(parents=True, exist_ok=True)
        (build / relative).write_bytes(content)
    (tmp_path / "secret").write_bytes(SECRET)
    (build / "leak").symlink_to(tmp_path / "secret")
    (build / "calendars" / "outside").symlink_to(tmp_path)
    log: list[str] = []
    server = make_server(build, port=0, log=log.append)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield Site(build, server.server_address[1], log)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_binds_loopback_on_a_free_port(site):
    assert site.port != 0
    status, _, body = site.get("/index.html")
    assert status == 200 and body == FILES["index.html"]
    assert any("GET /index.html" in line for line in site.log)


def test_personal_feed_names_stay_out_of_the_log(site):
    status, _, body = site.get(f"/calendars/personal/{PERSONAL}.ics")
    assert status == 200 and body == FEED
    line = next(line for line in site.log if "/calendars/personal/" in line)
    assert PERSONAL not in line and "/calendars/personal/…" in line


@pytest.mark.parametrize("path, expected", [
    ("/calendars/public.ics", "text/calendar; charset=utf-8"),
    ("/index.html", "text/html; charset=utf-8"),
    ("/programme.pdf", "application/pdf"),
    ("/data.json", "application/json"),
    ("/style.css", "text/css; charset=utf-8"),
    ("/logo.png", "image/png"),
    ("/logo.svg", "image/svg+xml"),
    ("/notes.bin", "application/octet-stream"),
])
def test_content_types_and_headers(site, path, expected):
    status, headers, body = site.get(path)
    assert status == 200
    assert headers["Content-Type"] == expected
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-cache"
    assert int(headers["Content-Length"]) == len(body) == len(FILES[path.lstrip("/")])
    assert body == FILES[path.lstrip("/")]


def test_root_and_folders_serve_their_index(site):
    assert site.get("/")[2] == FILES["index.html"]
    assert site.get("/sub/")[2] == FILES["sub/index.html"]
    status, headers, _ = site.get("/sub")
    assert status == 301 and headers["Location"] == "/sub/"


def test_query_strings_are_ignored(site):
    assert site.get("/calendars/public.ics?refresh=1")[2] == FEED


@pytest.mark.parametrize("path", ["/empty/", "/empty", "/calendars/personal/", "/calendars/personal",
                                  "/calendars/"])
def test_folders_without_index_are_not_listed(site, path):
    status, _, body = site.get(path)
    assert status == 404
    assert b"readme" not in body and PERSONAL.encode() not in body and b"public.ics" not in body


@pytest.mark.parametrize("path", ["/.index.html.abc123.tmp", "/calendars/.public.ics.x.tmp",
                                  "/.hidden/file.html", "/%2ehidden/file.html", "/missing.ics"])
def test_hidden_and_missing_files_are_404(site, path):
    status, _, body = site.get(path)
    assert status == 404 and b"half written" not in body and b"hidden" not in body


@pytest.mark.parametrize("path", [
    "/../secret", "/%2e%2e/secret", "/%2E%2E%2Fsecret", "/calendars/..%2f..%2fsecret",
    "/calendars/../../secret", "/calendars/..%5c..%5csecret", "//etc/passwd", "/%2fetc/passwd",
    "/calendars/%00", "/index.html%00.ics", "/leak", "/calendars/outside/secret", "/%ff",
    "/calendars/%2e%2e/%2e%2e/secret",
])
def test_nothing_outside_the_root_is_reachable(site, path):
    status, _, body = site.get(path)
    assert status == 404
    assert SECRET not in body and b"root:" not in body
    assert body == site.get("/../does-not-exist")[2]  # same answer whether the file exists or not


def test_etag_is_stable_and_follows_the_content(site):
    first = site.get("/calendars/public.ics")[1]["ETag"]
    assert first.startswith('"') and first.endswith('"') and not first.startswith("W/")
    assert site.get("/calendars/public.ics")[1]["ETag"] == first

    replace_atomically(site.build / "calendars/public.ics", FEED.replace(b"test", b"TEST"))  # same size
    changed = site.get("/calendars/public.ics")
    assert changed[2] == FEED.replace(b"test", b"TEST")
    assert changed[1]["ETag"] != first

    replace_atomically(site.build / "calendars/public.ics", FEED)
    assert site.get("/calendars/public.ics")[1]["ETag"] == first


def test_last_modified_is_the_file_mtime(site):
    headers = site.get("/calendars/public.ics")[1]
    mtime = (site.build / "calendars/public.ics").stat().st_mtime
    assert parsedate_to_datetime(headers["Last-Modified"]).timestamp() == int(mtime)
    assert headers["Last-Modified"].endswith(" GMT")


@pytest.mark.parametrize("template", ["{tag}", '"other", {tag}', "W/{tag}", '"x",W/{tag} , "y"', "*"])
def test_matching_if_none_match_is_304_without_body(site, template):
    tag = site.get("/calendars/public.ics")[1]["ETag"]
    for method in ("GET", "HEAD"):
        status, headers, body = site.request(method, "/calendars/public.ics",
                                             {"If-None-Match": template.format(tag=tag)})
        assert status == 304 and body == b""
        assert headers["ETag"] == tag


def test_other_tags_get_the_file(site):
    status, _, body = site.get("/calendars/public.ics", If_None_Match='"stale", W/"older"')
    assert status == 200 and body == FEED


def test_if_modified_since(site):
    headers = site.get("/programme.pdf")[1]
    last = headers["Last-Modified"]
    earlier = formatdate(parsedate_to_datetime(last).timestamp() - 3600, usegmt=True)
    later = formatdate(parsedate_to_datetime(last).timestamp() + 3600, usegmt=True)
    assert site.get("/programme.pdf", If_Modified_Since=last)[0] == 304
    assert site.get("/programme.pdf", If_Modified_Since=later)[0] == 304
    assert site.get("/programme.pdf", If_Modified_Since=earlier)[2] == PROGRAMME
    assert site.get("/programme.pdf", If_Modified_Since="not a date")[0] == 200
    # If-None-Match wins: a differing tag means the file is sent whatever the date says.
    assert site.get("/programme.pdf", If_None_Match='"stale"', If_Modified_Since=later)[0] == 200


def test_head_sends_headers_only(site):
    status, headers, body = site.request("HEAD", "/programme.pdf")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len(PROGRAMME)
    assert headers["ETag"] == site.get("/programme.pdf")[1]["ETag"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405(site, method):
    status, headers, _ = site.request(method, "/calendars/public.ics", body=b"x=1")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"
    assert (site.build / "calendars/public.ics").read_bytes() == FEED


def test_keep_alive_serves_several_requests_on_one_connection(site):
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    try:
        for path, status in [("/calendars/public.ics", 200), ("/missing", 404), ("/programme.pdf", 200),
                             ("/calendars/public.ics", 200)]:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            assert response.status == status
            assert body == FILES.get(path.lstrip("/"), b"404 Not Found\n")
    finally:
        connection.close()


def test_concurrent_requests(site):
    paths = ["/calendars/public.ics", "/programme.pdf", "/index.html", f"/calendars/personal/{PERSONAL}.ics"]

    def fetch_many(worker: int) -> list[bool]:
        results = []
        for number in range(25):
            path = paths[(worker + number) % len(paths)]
            status, _, body = site.get(path)
            results.append(status == 200 and body == FILES[path.lstrip("/")])
        return results

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = [ok for results in pool.map(fetch_many, range(8), timeout=30) for ok in results]
    assert len(outcomes) == 200 and all(outcomes)
    assert time.monotonic() - started < 20


@pytest.fixture
def watching(tmp_path: Path):
    """Two source files and start(on_change, reports), which runs `watch` on them in a thread."""
    sources = [tmp_path / "a.toml", tmp_path / "b.toml"]
    for source in sources:
        source.write_text("x = 1\n")
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(on_change, reports: list[str]) -> None:
        thread = threading.Thread(target=watch, args=(lambda: sources, on_change),
                                  kwargs={"interval": 0.05, "stop": stop, "report": reports.append}, daemon=True)
        thread.start()
        threads.append(thread)
        time.sleep(0.15)  # let the first snapshot be taken

    yield sources, start
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
        assert not thread.is_alive()


def _wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_watch_calls_on_change_once_per_batch(watching):
    sources, start = watching
    calls: list[float] = []
    start(lambda: calls.append(time.monotonic()), [])
    for number, source in enumerate(sources * 3):
        source.write_text(f"x = {number + 10}\n")
    assert _wait_for(lambda: calls)
    time.sleep(0.4)
    assert len(calls) == 1

    sources[1].unlink()
    assert _wait_for(lambda: len(calls) == 2)


def test_watch_survives_a_failing_rebuild(watching):
    sources, start = watching
    calls: list[int] = []
    reports: list[str] = []

    def on_change() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("broken event file")

    start(on_change, reports)
    sources[0].write_text("x = [\n")
    assert _wait_for(lambda: reports)
    assert "broken event file" in reports[0]

    sources[0].write_text("x = 2\n")  # same size: move the mtime on for coarse-grained file systems
    os.utime(sources[0], ns=(time.time_ns(), time.time_ns() + 10**9))
    assert _wait_for(lambda: len(calls) == 2)
    assert len(reports) == 1


def test_a_body_sent_with_a_get_is_never_read_as_a_second_request(site):
    smuggled = b"GET /calendars/public.ics HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = raw_exchange(site.port, b"GET /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(smuggled)
                  + smuggled)
    assert answer.count(b"HTTP/1.1 ") == 1 and FILES["index.html"] in answer and FEED not in answer
    chunked = raw_exchange(site.port, b"GET /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   + b"%x\r\n" % len(smuggled) + smuggled + b"\r\n0\r\n\r\n")
    assert chunked.count(b"HTTP/1.1 ") == 1 and FEED not in chunked


def test_headers_sent_a_line_at_a_time_are_cut_off_at_the_deadline(tmp_path):
    (tmp_path / "index.html").write_bytes(b"<title>x</title>")
    server = make_server(tmp_path, port=0, log=lambda line: None, header_deadline=1.0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        began = time.monotonic()
        closed_after = None
        with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=0.3) as connection:
            connection.sendall(b"GET /index.html HTTP/1.1\r\n")
            for number in range(20):  # a header line every 0.3 s: 6 s in all
                try:
                    if connection.recv(1024) == b"":
                        closed_after = time.monotonic() - began
                        break
                except TimeoutError:
                    pass
                try:
                    connection.sendall(b"X-Slow-%d: 1\r\n" % number)
                except OSError:
                    closed_after = time.monotonic() - began
                    break
        assert closed_after is not None and closed_after < 3, closed_after
    finally:
        server.shutdown()
        server.server_close()


def test_more_connections_than_allowed_are_closed_not_given_threads(tmp_path):
    (tmp_path / "index.html").write_bytes(b"<title>x</title>")
    server = make_server(tmp_path, port=0, log=lambda line: None, max_connections=3)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    idle = [socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) for _ in range(3)]
    try:
        time.sleep(0.3)
        assert raw_exchange(server.server_address[1], b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", wait=2) == b""
        for connection in idle:
            connection.close()
        time.sleep(0.3)
        assert b"200 OK" in raw_exchange(server.server_address[1], b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    finally:
        server.shutdown()
        server.server_close()


def test_private_names_stay_out_of_the_log_however_they_are_spelled(site):
    site.get(f"/calendars/%70ersonal/{PERSONAL}.ics")
    site.get("/calendars/board-0123456789abcdef0123456789abcdef.ics")
    assert not any(PERSONAL in line or "0123456789abcdef" in line for line in site.log), site.log


SMUGGLED = b"GET /calendars/public.ics HTTP/1.1\r\nHost: x\r\n\r\n"


def status_line(answer: bytes) -> str:
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


@pytest.mark.parametrize("lengths", [
    b"Content-Length: 0\r\nContent-Length: %d\r\n" % len(SMUGGLED),
    b"Content-Length: %d\r\nContent-Length: %d\r\n" % (len(SMUGGLED), len(SMUGGLED)),
    b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(SMUGGLED),
    b"Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
    b"Content-Length: -1\r\n", b"Content-Length: abc\r\n", b"Content-Length: +48\r\n", b"Content-Length: 4_8\r\n",
])
def test_a_request_whose_length_reads_two_ways_is_refused_and_its_connection_closed(site, lengths):
    answer = raw_exchange(site.port, b"GET /index.html HTTP/1.1\r\nHost: x\r\n" + lengths + b"\r\n" + SMUGGLED)
    assert status_line(answer) == "HTTP/1.1 400 Bad Request"
    assert answer.count(b"HTTP/1.1 ") == 1 and FEED not in answer and FILES["index.html"] not in answer


def test_control_characters_in_a_request_never_reach_the_log_raw(site):
    forged = '127.0.0.1 - - [01/Jan/2026 10:00:00] "GET /forged HTTP/1.1" 200 -'
    requests = [b"/x%0a" + forged.replace(" ", "%20").encode(), b"/x%0d%0bforged%1b[2J", b"/x\x1b[2Jforged\x0bforged",
                b"/x\xc2\x85forged%E2%80%A8forged", b"/x%E2%80%AEdegrof"]
    for path in requests:
        answer = raw_exchange(site.port, b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path)
        assert status_line(answer).startswith(("HTTP/1.1 404 ", "HTTP/1.1 400 "))  # \x0b splits the request line
    logged = [entry for entry in site.log if "/x" in entry]
    assert len(logged) >= len(requests)  # a 400 is logged twice: its reason, then the answer
    assert all(entry.isprintable() for entry in logged), logged
    assert "/x\\n127.0.0.1 - - [01/Jan/2026" in logged[0]
    assert "/x\\r\\x0bforged\\x1b[2J" in logged[1]
    assert any("/x\\u202edegrof" in entry for entry in logged)  # a right-to-left override shown, not obeyed
