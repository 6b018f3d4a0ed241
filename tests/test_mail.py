"""The SMTP connection against real servers on 127.0.0.1 (aiosmtpd): a greeting in every security
mode, with and without a login; a server that refuses every message the same way; and OAuth 2.0
(XOAUTH2) with tokens from a token endpoint this test serves itself over TLS."""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.test_invitations import (  # noqa: F401 (certificate is a fixture)
    BOARD_MARCH, PASSWORD, Inbox, _free_port, certificate, invite, ledger_lines,
)

TENANT, CLIENT_ID, CLIENT_SECRET = "malardalsradet.example", "6f1c2a9e-0d7b-4c55-9a41-3e8d2b7c1f00", "k7Q~sekret.value"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.smtp-send-as-app"
MAILBOX = "kansliet@example.se"


@contextmanager
def smtp_server(security: str, certificate: tuple[Path, Path], inbox: Inbox) -> Iterator[int]:
    """A server that wants a greeting (aiosmtpd answers MAIL without one '503 Error: send HELO first')."""
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    options = {"starttls": {"tls_context": context, "require_starttls": True},
               "tls": {"ssl_context": context, "auth_require_tls": False},  # aiosmtpd cannot tell the socket is TLS
               "none": {"auth_require_tls": False}}[security]
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=inbox.authenticate,
                            **options)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def use_server(workspace: Path, port: int, security: str, more: str = "") -> None:
    settings = workspace / "motesplats.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace(text[text.index("[mail]"):], f'[mail]\nhost = "127.0.0.1"\nport = {port}\n'
                                     f'security = "{security}"\nrate = 6000\n{more}'), encoding="utf-8")


@pytest.mark.parametrize("login", [True, False], ids=["login", "no-login"])
@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_every_security_mode_greets_the_server_with_and_without_a_login(
        example_files, certificate, monkeypatch, cli, security, login):
    received = Inbox()
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[1]))
    monkeypatch.setenv("MOTESPLATS_SMTP_PASSWORD", PASSWORD)
    with smtp_server(security, certificate, received) as port:
        use_server(example_files, port, security, 'user = "kansliet"\n' if login else "")
        result = invite(cli, example_files, BOARD_MARCH, "--to", "helena-forsberg")
    assert result.exit_code == 0, result.output
    assert [m["To"].addresses[0].addr_spec for m in received.messages] == ["helena.forsberg@example.se"]
    assert received.logins == ([("kansliet", PASSWORD)] if login else [])
    assert len(ledger_lines(example_files)) == 1


class RefusesTheSender(Inbox):
    """Exchange Online's answer when the account may not send as the organiser's address."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        return "550 5.7.60 SMTP; Client does not have permissions to send as this sender"


def test_a_server_refusing_every_message_the_same_way_is_one_setting_to_fix(example_files, certificate, cli):
    received = RefusesTheSender()
    with smtp_server("none", certificate, received) as port:
        use_server(example_files, port, "none")
        result = invite(cli, example_files, BOARD_MARCH)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines == ["motesplats: the server refused every message with '550 5.7.60 SMTP; Client does not have "
                     "permissions to send as this sender': check [mail] in motesplats.toml. Nothing was sent."]
    assert received.messages == [] and ledger_lines(example_files) == []


# --- OAuth 2.0: a token for the application, then AUTH XOAUTH2 ------------------------------------

class TokenEndpoint(BaseHTTPRequestHandler):
    """Microsoft Entra's two endpoints the client-credentials flow uses: OpenID discovery and token."""

    asked: list[dict[str, list[str]]]

    def do_GET(self) -> None:
        base = f"https://127.0.0.1:{self.server.server_port}/{TENANT}"
        if self.path != f"/{TENANT}/v2.0/.well-known/openid-configuration":
            return self._answer(404, {"error": "not_found"})
        self._answer(200, {"issuer": f"{base}/v2.0", "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                           "token_endpoint": f"{base}/oauth2/v2.0/token"})

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.server.asked.append(form)
        if self.path != f"/{TENANT}/oauth2/v2.0/token":
            return self._answer(404, {"error": "not_found"})
        if form.get("client_secret") != [CLIENT_SECRET]:
            return self._answer(401, {"error": "invalid_client", "error_description":
                                      "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                                      "in the request is the client secret value, not the client secret ID.\r\n"
                                      "Trace ID: 0f5e\r\nCorrelation ID: 9a1b\r\nTimestamp: 2026-12-01 09:00:00Z"})
        self._answer(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": TOKEN})

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def token_endpoint(certificate) -> Iterator[ThreadingHTTPServer]:
    key, cert = certificate
    server = ThreadingHTTPServer(("127.0.0.1", 0), TokenEndpoint)
    server.asked = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class TakesTokens(Inbox):
    """An Exchange-like server: AUTH XOAUTH2 with a bearer token, refused as Exchange does (a 334
    challenge holding the error, then 535) unless it is `valid`."""

    def __init__(self, valid: str = TOKEN) -> None:
        super().__init__()
        self.valid, self.xoauth2 = valid, []

    async def auth_XOAUTH2(self, server, args) -> AuthResult:
        response = base64.b64decode(args[1]).decode()
        self.xoauth2.append(response)
        if response == f"user={MAILBOX}\x01auth=Bearer {self.valid}\x01\x01":
            return AuthResult(success=True)
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer", "scope": ""}))
        return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")


@pytest.fixture
def oauth_workspace(example_files, certificate, token_endpoint, monkeypatch) -> Path:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[1]))  # the SMTP server's certificate
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate[1]))  # the token endpoint's, for msal
    monkeypatch.setenv("MOTESPLATS_OAUTH_CLIENT_SECRET", CLIENT_SECRET)
    return example_files


def oauth_settings(token_endpoint) -> str:
    return (f'user = "{MAILBOX}"\nauth = "oauth2"\nclient_id = "{CLIENT_ID}"\n'
            f'authority = "https://127.0.0.1:{token_endpoint.server_port}/{TENANT}"\n')


def test_oauth2_sends_with_a_token_for_the_application(oauth_workspace, certificate, token_endpoint, cli):
    received = TakesTokens()
    with smtp_server("starttls", certificate, received) as port:
        use_server(oauth_workspace, port, "starttls", oauth_settings(token_endpoint))
        result = invite(cli, oauth_workspace, BOARD_MARCH, "--to", "helena-forsberg")
    assert result.exit_code == 0, result.output
    (asked,) = token_endpoint.asked
    assert asked["grant_type"] == ["client_credentials"] and asked["client_id"] == [CLIENT_ID]
    assert asked["scope"] == ["https://outlook.office365.com/.default"]
    assert received.xoauth2 == [f"user={MAILBOX}\x01auth=Bearer {TOKEN}\x01\x01"] and received.logins == []
    assert [m["To"].addresses[0].addr_spec for m in received.messages] == ["helena.forsberg@example.se"]
    assert len(ledger_lines(oauth_workspace)) == 1


def test_a_refused_client_secret_is_one_message_and_nothing_is_sent(oauth_workspace, certificate, token_endpoint,
                                                                    cli, monkeypatch):
    monkeypatch.setenv("MOTESPLATS_OAUTH_CLIENT_SECRET", "the secret's id, not its value")
    received = TakesTokens()
    with smtp_server("starttls", certificate, received) as port:
        use_server(oauth_workspace, port, "starttls", oauth_settings(token_endpoint))
        result = invite(cli, oauth_workspace, BOARD_MARCH)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"motesplats: https://127.0.0.1:{token_endpoint.server_port}/{TENANT} gave no OAuth token to the application "
        f"{CLIENT_ID}: invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
        "in the request is the client secret value, not the client secret ID. Nothing was sent; fix that and run "
        "again."]
    assert received.xoauth2 == [] and received.messages == [] and ledger_lines(oauth_workspace) == []


def test_a_token_the_server_refuses_is_one_message_and_nothing_is_sent(oauth_workspace, certificate,
                                                                       token_endpoint, cli):
    received = TakesTokens(valid="another token: this one has expired")
    with smtp_server("starttls", certificate, received) as port:
        use_server(oauth_workspace, port, "starttls", oauth_settings(token_endpoint))
        result = invite(cli, oauth_workspace, BOARD_MARCH)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"motesplats: 127.0.0.1 refused the OAuth token for {MAILBOX}: 535 5.7.3 Authentication unsuccessful. "
        "Nothing was sent; fix that and run again."]
    assert len(received.xoauth2) == 1 and received.messages == [] and ledger_lines(oauth_workspace) == []


def test_a_client_secret_in_the_settings_is_refused_and_oauth2_needs_its_application(example_files, cli):
    use_server(example_files, 587, "starttls", 'auth = "oauth2"\nclient_secret = "k7Q~sekret.value"\n')
    result = cli("--workspace", str(example_files), "check")
    assert result.exit_code == 1
    assert "unknown field 'client_secret' in mail" in result.output
    assert "auth = \"oauth2\" needs the mailbox that sends" in result.output
    assert "auth = \"oauth2\" needs the application's client_id" in result.output
    assert "auth = \"oauth2\" needs the tenant the application is registered in" in result.output


def test_without_the_client_secret_in_the_environment_nothing_is_tried(example_files, cli, monkeypatch):
    monkeypatch.delenv("MOTESPLATS_OAUTH_CLIENT_SECRET", raising=False)
    use_server(example_files, 587, "starttls", f'user = "{MAILBOX}"\nauth = "oauth2"\nclient_id = "{CLIENT_ID}"\n'
                                               f'tenant = "{TENANT}"\n')
    result = invite(cli, example_files, BOARD_MARCH)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"motesplats: set the client secret of the application {CLIENT_ID} in the environment variable "
        "MOTESPLATS_OAUTH_CLIENT_SECRET (it is never read from a file)."]
