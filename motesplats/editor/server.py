"""The editor's local HTTP front: its page, its JSON API and the built files it previews.

Everything is under /<token>/, a token made for each run and printed with the address: a request
without it gets 404 and changes nothing. Requests must name this server as their Host (a page
elsewhere that points a name at 127.0.0.1 is refused), and a change is a same-origin POST of
JSON, which a page of another site cannot send without the browser asking first, and we never
answer that question. Nothing the page uses comes from elsewhere.
"""

from __future__ import annotations

import json
import secrets
import sys
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from motesplats.editor.edits import EditRefused, edits_from_json
from motesplats.editor.forms import asset, forms, interface_words, is_asset
from motesplats.editor.session import Conflict, EditorSession
from motesplats.problems import visible
from motesplats.serve import (
    ambiguous_length, content_type, locate, names_this_server, read_json_body, same_origin,
)

MAX_BODY = 2 * 1024 * 1024  # a save carries a file's edits, not the file
_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
           "frame-src 'self'; object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def make_editor_server(session: EditorSession, host: str = "127.0.0.1", port: int = 0,
                       log: Callable[[str], None] = _to_stderr) -> "EditorServer":
    """The editor's server, bound but not yet serving; its `address` is what to open."""
    return EditorServer((host, port), session, log)


class EditorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], session: EditorSession, log: Callable[[str], None]):
        self.session = session
        self.token = secrets.token_urlsafe(32)
        self.log = log
        super().__init__(address, _Handler)

    @property
    def address(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/{self.token}/"


class _Handler(BaseHTTPRequestHandler):
    server: EditorServer
    protocol_version = "HTTP/1.1"
    server_version = "motesplats-editor"
    sys_version = ""
    timeout = 60

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if ambiguous_length(self.headers):
            self.close_connection = True
            self._send_status(HTTPStatus.BAD_REQUEST, Connection="close")
            return False
        return True

    def do_GET(self) -> None:
        route = self._route()
        if route is None:
            return self._send_status(HTTPStatus.NOT_FOUND)
        path, query = route
        if path == "":
            return self._send(HTTPStatus.OK, asset("editor.html"), "text/html; charset=utf-8",
                              **{"Content-Security-Policy": _POLICY})
        if is_asset(path):
            return self._send(HTTPStatus.OK, asset(path), content_type(Path(path)) if path.endswith(".css")
                              else "text/javascript; charset=utf-8")
        if path == "api/state":
            return self._send_answer(self._state)
        if path == "api/preview":
            event_id = parse_qs(query).get("event", [""])[0]
            return self._send_answer(lambda: (HTTPStatus.OK, self.server.session.preview(event_id)))
        if path.startswith("build/"):
            return self._send_built(path.removeprefix("build"))
        return self._send_status(HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        route = self._route()
        self.close_connection = True  # the body is not always read
        if route is None:
            return self._send_status(HTTPStatus.NOT_FOUND)
        path = route[0]
        if path not in ("api/check", "api/save"):
            return self._send_status(HTTPStatus.NOT_FOUND)
        if not same_origin(self.headers.get("Origin"), self.headers.get("Sec-Fetch-Site"),
                           self.headers.get("Host", "")):
            return self._send_status(HTTPStatus.FORBIDDEN)
        if self.headers.get_content_type() != "application/json":
            return self._send_status(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        request = read_json_body(self.headers, self.rfile, MAX_BODY)
        if isinstance(request, HTTPStatus):
            return self._send_status(request)
        self._send_answer(lambda: self._attempt(request, save=path == "api/save"))

    def _state(self) -> tuple[HTTPStatus, dict]:
        state = self.server.session.state()
        state["forms"], state["words"] = forms(), interface_words()
        return HTTPStatus.OK, state

    def _attempt(self, request: object, save: bool) -> tuple[HTTPStatus, dict]:
        """A check or save: what it gave, a conflict, or a refusal of edits that do not fit."""
        try:
            if not isinstance(request, dict) or not isinstance(request.get("file"), str) \
                    or not isinstance(request.get("version"), str):
                raise EditRefused("a request names a file and the version read")
            outcome = self.server.session.attempt(request["file"], request["version"],
                                                  edits_from_json(request.get("edits")), save=save)
        except Conflict as conflict:
            return HTTPStatus.CONFLICT, {"conflict": str(conflict)}
        except EditRefused as refused:
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"refused": str(refused)}
        return HTTPStatus.OK, {"saved": outcome.saved, "version": outcome.version, "data": outcome.data,
                               "problems": outcome.problems, "diff": outcome.diff, "built": outcome.built}

    def _send_answer(self, answer: Callable[[], tuple[HTTPStatus, dict]]) -> None:
        """The JSON `answer` gives; a bug in it is said plainly (its traceback goes to the terminal,
        never to the page) and the editor goes on."""
        try:
            code, record = answer()
        except Exception as error:
            self.server.log("".join(traceback.format_exception(error)).rstrip())
            code, record = HTTPStatus.INTERNAL_SERVER_ERROR, {
                "refused": f"the editor failed ({type(error).__name__}: {error}); "
                           "the details are in the terminal that runs motesplats edit"}
        self._send_json(code, record)

    def _refuse(self) -> None:
        self.close_connection = True
        self._send_status(HTTPStatus.METHOD_NOT_ALLOWED, Allow="GET, HEAD, POST")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse

    def _route(self) -> tuple[str, str] | None:
        """The path after this run's token, and the query; None without the token or a known Host."""
        if not names_this_server(self.headers.get("Host", ""), self.server.server_address[1]):
            return None
        target, _, query = self.path.partition("?")
        given, slash, rest = target.removeprefix("/").partition("/")
        if not slash or not secrets.compare_digest(given.encode(), self.server.token.encode()):
            return None
        return rest, query

    def _send_built(self, target: str) -> None:
        found = locate(self.server.session.workspace.build_dir.resolve(), target, private=())
        if found is None or not found.is_file():
            return self._send_status(HTTPStatus.NOT_FOUND)
        # A built page is shown beside the form, never able to run anything; a PDF needs the
        # browser's own viewer, which a sandboxed frame does not get.
        policy = "frame-ancestors 'self'" if found.suffix == ".pdf" else \
            "sandbox; default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"
        self._send(HTTPStatus.OK, found.read_bytes(), content_type(found), **{"Content-Security-Policy": policy})

    def _send_json(self, code: HTTPStatus, record: dict) -> None:
        self._send(code, json.dumps(record, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send_status(self, code: HTTPStatus, **headers: str) -> None:
        self._send(code, f"{code.value} {code.phrase}\n".encode(), "text/plain; charset=utf-8", **headers)

    def _send(self, code: HTTPStatus, data: bytes, kind: str, **headers: str) -> None:
        self.send_response(code)
        for name, value in {"Content-Type": kind, "Content-Length": str(len(data)), "Cache-Control": "no-store",
                            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        line = visible((format % args).replace(self.server.token, "…"))
        self.server.log(f"{self.address_string()} {line}")
