"""Serving `build/` over HTTP: a preview while editing, and plain enough for a small deployment.

Calendar clients poll feeds, so every response carries a strong ETag and Last-Modified and asks
clients to revalidate; unchanged feeds then cost a 304. Personal feeds are protected only by
their unguessable names, so nothing is ever listed and no request reaches outside the root.

With a check-in desk, the door's page is served too, under a token made for each run: the only
requests that change anything, each a same-origin POST of JSON under that token, to a Host that
names this server by its address.

All three local servers (this one, the check-in page, the editor) refuse a request whose body
length could be read two ways and escape what they log, with the functions here.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import os
import secrets
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import timezone
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, unquote

from motesplats.checkin import Desk, outcome_record, page_html, search_record
from motesplats.problems import visible

CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
}
ALLOWED = "GET, HEAD"
PRIVATE_FOLDERS = ("badges",)  # by default: built for printing, not for the web, they list everyone attending
CHUNK = 64 * 1024
_PERSONAL_NAME = re.compile(r"(/calendars/personal/)[^ /?\"]+")
_PRIVATE_NAME = re.compile(r"-[0-9a-f]{32}(?=[.])")  # board-<hex>.ics, an agenda's -<hex>.sv.pdf
_CHECKIN_PATH = re.compile(r"(/checkin/)[^ /?\"]*([^ ?\"]*)(?:\?[^ \"]*)?")  # the token, and names searched
CHECKIN = "/checkin/"
MAX_BODY = 4096  # bytes of JSON in a scan or tick: a badge's code is under a hundred
HEADER_DEADLINE = 10.0  # seconds to send the request line and headers, however slowly they trickle
MAX_CONNECTIONS = 256   # open at once; more are closed at once rather than given a thread each

Snapshot = dict[Path, tuple[int, int] | None]


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def make_server(root: Path, host: str = "127.0.0.1", port: int = 8000,
                log: Callable[[str], None] = _to_stderr,
                private: tuple[str, ...] = PRIVATE_FOLDERS, header_deadline: float = HEADER_DEADLINE,
                max_connections: int = MAX_CONNECTIONS, checkin: Desk | None = None) -> ThreadingHTTPServer:
    """A server for the files under `root`, bound but not yet serving; port 0 picks a free port.

    Folders named in `private` (top level, in any case) are never served. A client gets
    `header_deadline` seconds for each request's headers, and at most `max_connections` are
    served at once, so slow or many clients cannot take every thread. With a `checkin` desk, its
    page is at the server's `checkin_path`, /checkin/<token>/ with a token new for this server.
    """
    return _BuildServer((host, port), root.resolve(), log, private, header_deadline, max_connections, checkin)


def watch(paths: Callable[[], Iterable[Path]], on_change: Callable[[], None], *,
          interval: float = 1.0, stop: threading.Event,
          report: Callable[[str], None] = _to_stderr) -> None:
    """Call `on_change` once after each batch of changes to the files `paths()` names, until `stop`.

    Polling keeps this dependency-free and works on every file system. `paths` is asked again on
    every poll so files that appear or disappear count as changes. A failing `on_change` is
    reported, not raised: a bad edit must not stop the server.
    """
    seen = snapshot(paths())
    while not stop.wait(interval):
        current = snapshot(paths())
        if current == seen:
            continue
        settled = _settle(paths, current, interval, stop)
        if settled is None:
            return
        seen = settled
        try:
            on_change()
        except Exception as error:
            report("".join(traceback.format_exception(error)).rstrip())


def _settle(paths: Callable[[], Iterable[Path]], current: Snapshot, interval: float,
            stop: threading.Event) -> Snapshot | None:
    """The snapshot once it stays unchanged for one interval (an editor saves several files in a
    burst, which should cause one rebuild); None if stopped meanwhile."""
    while not stop.wait(interval):
        latest = snapshot(paths())
        if latest == current:
            return latest
        current = latest
    return None


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Modification time and size of each file, None for one that is missing."""
    state: Snapshot = {}
    for path in paths:
        try:
            status = path.stat()
            state[path] = (status.st_mtime_ns, status.st_size)
        except OSError:
            state[path] = None
    return state


def locate(root: Path, target: str, private: tuple[str, ...] = PRIVATE_FOLDERS) -> Path | None:
    """The real path inside `root` (already resolved) that a request path names, or None.

    Percent-encoding is decoded exactly once; anything that could climb out, hide behind an
    alternative spelling or name a temporary file of an atomic write is refused, and symlinks
    are followed before checking that the result is still inside the root.
    """
    try:
        decoded = unquote(target, errors="strict")
    except UnicodeDecodeError:
        return None
    if not decoded.startswith("/") or decoded.startswith("//") or "\x00" in decoded or "\\" in decoded:
        return None
    segments = decoded[1:].split("/")
    if segments[-1] == "":
        segments.pop()
    if any(segment == "" or segment.startswith(".") for segment in segments):
        return None
    if segments and segments[0].casefold() in {folder.casefold() for folder in private}:
        return None  # casefolded: on a case-insensitive disk /Badges is the same folder
    try:
        real = root.joinpath(*segments).resolve()
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root) else None


def same_origin(origin: str | None, fetch_site: str | None, host: str) -> bool:
    """Whether a request comes from a page of this server (or from no page at all, as a script's
    does): a browser names the page's origin, and says whether another site sent it."""
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    return origin is None or origin in (f"http://{host}", f"https://{host}")


_HOST = re.compile(r"(?:\[([0-9A-Fa-f:.]+)\]|([^:\[\]]+))(?::([0-9]{1,5}))?")


def names_this_server(host: str, port: int) -> bool:
    """Whether a request's Host header names this server as its own address would: an IP address
    or localhost, and its port. A name of someone else's that they point at this machine (DNS
    rebinding) would let their page read and post here as if it were this server's own."""
    found = _HOST.fullmatch(host.strip())
    if found is None or int(found[3] or 80) != port:
        return False
    name = found[1] or found[2]
    if name.casefold() == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def ambiguous_length(headers) -> bool:
    """Whether a request's body length could be read two ways: more than one Content-Length, one
    with Transfer-Encoding, or one that is not a plain number. A proxy in front may read it the
    other way, and the rest of the connection become a request nobody sent (smuggling)."""
    lengths = headers.get_all("Content-Length") or []
    return len(lengths) > 1 or bool(lengths) and (
        "Transfer-Encoding" in headers or not re.fullmatch(r"[0-9]{1,18}", lengths[0].strip()))


def read_json_body(headers, stream: BinaryIO, limit: int) -> object:
    """A request's JSON body of at most `limit` bytes, or the status that refuses it."""
    if "Transfer-Encoding" in headers:
        return HTTPStatus.LENGTH_REQUIRED
    try:
        length = int(headers.get("Content-Length", ""))
    except ValueError:
        return HTTPStatus.LENGTH_REQUIRED
    if not 0 < length <= limit:
        return HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length > limit else HTTPStatus.BAD_REQUEST
    try:
        return json.loads(stream.read(length).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep to parse
        return HTTPStatus.BAD_REQUEST


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def none_match(header: str, tag: str) -> bool:
    """Whether If-None-Match `header` matches `tag`, by weak comparison (RFC 9110, 13.1.2)."""
    if header.strip() == "*":
        return True
    return any(candidate.strip().removeprefix("W/") == tag for candidate in header.split(","))


def modified_since(header: str, mtime: float) -> bool:
    """Whether the file changed after the If-Modified-Since date; an unreadable date counts as yes."""
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return True
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    return int(mtime) > since.timestamp()


class _Tags:
    """Strong ETags by file version, so an unchanged big file is hashed once, not per request.

    The version includes the inode: the build replaces files by renaming, so even a rewrite
    within the same mtime tick and of the same size is noticed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[Path, tuple[tuple[int, ...], str]] = {}

    def of(self, path: Path, stream: BinaryIO, status: os.stat_result) -> str:
        version = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)
        with self._lock:
            known = self._known.get(path)
        if known and known[0] == version:
            return known[1]
        tag = f'"{hashlib.file_digest(stream, "sha256").hexdigest()[:32]}"'
        stream.seek(0)
        with self._lock:
            self._known[path] = (version, tag)
        return tag


class _BuildServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64  # the default 5 drops connections when a few clients arrive at once

    def __init__(self, address: tuple[str, int], root: Path, log: Callable[[str], None],
                 private: tuple[str, ...], header_deadline: float, max_connections: int,
                 desk: Desk | None) -> None:
        self.root = root
        self.desk = desk
        self.checkin_token = secrets.token_urlsafe(32)
        self.log = log
        self.private = private
        self.header_deadline = header_deadline
        self.slots = threading.BoundedSemaphore(max_connections)
        self.tags = _Tags()
        super().__init__(address, _Handler)

    @property
    def checkin_path(self) -> str | None:
        """Where the check-in page is (None: there is none); only those given it may check people in."""
        return f"{CHECKIN}{self.checkin_token}/" if self.desk else None

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)  # full: the client may try again in a moment
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class _Handler(BaseHTTPRequestHandler):
    server: _BuildServer
    protocol_version = "HTTP/1.1"
    server_version = "motesplats"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection must not hold a thread for ever
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def setup(self) -> None:
        super().setup()
        self.rfile = _Deadlined(self.rfile, self.connection, self.server.header_deadline, self.timeout)

    def handle_one_request(self) -> None:
        self.rfile.start()  # the deadline runs from here until the headers are read
        super().handle_one_request()

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self.rfile.stop()
        if parsed and ambiguous_length(self.headers):
            self._send_text(HTTPStatus.BAD_REQUEST, self.command != "HEAD", Connection="close")
            self.close_connection = True
            return False
        if parsed and (self.headers.get("Content-Length", "0").strip() not in ("", "0")
                       or "Transfer-Encoding" in self.headers):
            # GET and HEAD have no body; one sent anyway is never read as the next request.
            self.close_connection = True
        return parsed

    def do_GET(self) -> None:
        self._get(body=True)

    def do_HEAD(self) -> None:
        self._get(body=False)

    def _get(self, body: bool) -> None:
        if self._for_checkin():
            self._checkin_get(body)
        else:
            self._serve(body)

    def do_POST(self) -> None:
        if self._for_checkin():
            self._checkin_post()
        else:
            self._refuse()

    def _refuse(self) -> None:
        # The request body is never read, so the connection cannot carry another request.
        self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, body=True, Allow=ALLOWED, Connection="close")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse

    def _for_checkin(self) -> bool:
        return self.server.desk is not None and self.path.startswith(CHECKIN)

    def _checkin_action(self) -> str | None:
        """What a request under /checkin/ asks for ('' the page itself), or None without this run's
        token or from a page that does not name this server as its host."""
        if not names_this_server(self.headers.get("Host", ""), self.server.server_address[1]):
            return None
        given, slash, action = self.path.split("?", 1)[0].removeprefix(CHECKIN).partition("/")
        token = self.server.checkin_token
        return action if slash and secrets.compare_digest(given.encode(), token.encode()) else None

    def _checkin_get(self, body: bool) -> None:
        action, desk = self._checkin_action(), self.server.desk
        if action == "":
            nonce = secrets.token_urlsafe(16)
            policy = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                      "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            self._send_checkin(HTTPStatus.OK, page_html(desk, nonce).encode(), "text/html; charset=utf-8", body,
                             **{"Content-Security-Policy": policy})
        elif action == "people":
            query = parse_qs(self.path.partition("?")[2]).get("q", [""])[0][:100]
            self._send_json(HTTPStatus.OK, search_record(desk, query), body)
        else:
            self._send_text(HTTPStatus.NOT_FOUND, body)

    def _checkin_post(self) -> None:
        # The body is not always read, so the connection never carries another request.
        answer = self._checkin_answer()
        if isinstance(answer, HTTPStatus):
            self._send_text(answer, True, Connection="close")
        else:
            self._send_json(HTTPStatus.OK, answer, True, Connection="close")

    def _checkin_answer(self) -> dict | HTTPStatus:
        """A scan or a tick: only under this run's token, from the page's own origin, as JSON."""
        action, desk = self._checkin_action(), self.server.desk
        if action not in ("scan", "tick"):
            return HTTPStatus.NOT_FOUND
        if not same_origin(self.headers.get("Origin"), self.headers.get("Sec-Fetch-Site"),
                           self.headers.get("Host", "")):
            return HTTPStatus.FORBIDDEN
        if self.headers.get_content_type() != "application/json":
            return HTTPStatus.UNSUPPORTED_MEDIA_TYPE
        request = self._json_body()
        if isinstance(request, HTTPStatus):
            return request
        field = "code" if action == "scan" else "person"
        if not isinstance(request, dict) or not isinstance(request.get(field), str):
            return HTTPStatus.BAD_REQUEST
        try:
            outcome = desk.scan(request[field]) if action == "scan" else desk.tick(request[field])
        except OSError as error:  # not on disk, so not confirmed: the page says to try again
            self.server.log(f"check-in not saved: {error}")
            return HTTPStatus.INTERNAL_SERVER_ERROR
        return outcome_record(desk, outcome)

    def _json_body(self) -> object:
        return read_json_body(self.headers, self.rfile, MAX_BODY)

    def _serve(self, body: bool) -> None:
        target = self.path.split("?", 1)[0].split("#", 1)[0]
        found = locate(self.server.root, target, self.server.private)
        if found is not None and os.path.isdir(found):
            index = locate(self.server.root, target.rstrip("/") + "/index.html", self.server.private)
            if index is not None and os.path.isfile(index) and not target.endswith("/"):
                # Relative links in the folder's index.html only work below the slash.
                self._send_text(HTTPStatus.MOVED_PERMANENTLY, body, Location=target + "/")
                return
            found = index
        if found is None or not os.path.isfile(found):
            self._send_text(HTTPStatus.NOT_FOUND, body)
            return
        try:
            stream = found.open("rb")
        except OSError:
            self._send_text(HTTPStatus.NOT_FOUND, body)
            return
        with stream:
            self._send_file(found, stream, body)

    def _send_file(self, path: Path, stream: BinaryIO, body: bool) -> None:
        """Headers and bytes all from one open file: the build may replace it meanwhile."""
        status = os.fstat(stream.fileno())
        tag = self.server.tags.of(path, stream, status)
        validators = {"ETag": tag, "Last-Modified": formatdate(status.st_mtime, usegmt=True),
                      "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if (none_match(if_none_match, tag) if if_none_match is not None
                else if_modified_since is not None and not modified_since(if_modified_since, status.st_mtime)):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_headers(validators)
            return
        self.send_response(HTTPStatus.OK)
        self._send_headers({"Content-Type": content_type(path), "Content-Length": str(status.st_size),
                            **validators})
        if body:
            try:
                shutil.copyfileobj(stream, self.wfile, CHUNK)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    def _send_text(self, code: HTTPStatus, body: bool, **headers: str) -> None:
        text = f"{code.value} {code.phrase}\n".encode()
        self.send_response(code)
        self._send_headers({"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(text)),
                            "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", **headers})
        if body:
            self.wfile.write(text)

    def _send_json(self, code: HTTPStatus, record: dict, body: bool, **headers: str) -> None:
        self._send_checkin(code, json.dumps(record, ensure_ascii=False).encode(),
                           "application/json; charset=utf-8", body, **headers)

    def _send_checkin(self, code: HTTPStatus, data: bytes, kind: str, body: bool, **headers: str) -> None:
        """A check-in response: never cached, never framed, and the token never sent on as a referrer."""
        self.send_response(code)
        self._send_headers({"Content-Type": kind, "Content-Length": str(len(data)), "Cache-Control": "no-store",
                            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                            "X-Frame-Options": "DENY", **headers})
        if body:
            self.wfile.write(data)

    def _send_headers(self, headers: dict[str, str]) -> None:
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        # A private file's name is its only protection: keep it out of logs that others may read,
        # however the client spelled it (%70ersonal is personal).
        line = unquote(format % args, errors="replace")
        line = _PRIVATE_NAME.sub("-…", _PERSONAL_NAME.sub(r"\1…", line))
        line = _CHECKIN_PATH.sub(r"\1…\2", line)
        self.server.log(f"{self.address_string()} {visible(line)}")


class _Deadlined:
    """The request's input, which gives up when the headers take longer than the deadline in all."""

    def __init__(self, stream: BinaryIO, connection, deadline: float, idle: float):
        self.stream, self.connection, self.deadline, self.idle = stream, connection, deadline, idle
        self.until: float | None = None

    def start(self) -> None:
        self.until = time.monotonic() + self.deadline

    def stop(self) -> None:
        self.until = None
        self.connection.settimeout(self.idle)

    def readline(self, limit: int = -1) -> bytes:
        if self.until is not None:
            left = self.until - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request's headers took too long")
            self.connection.settimeout(min(left, self.idle))
        return self.stream.readline(limit)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
