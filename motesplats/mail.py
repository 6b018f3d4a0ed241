"""Sending mail: an SMTP connection with STARTTLS or implicit TLS, a greeting, and a login by
password or by an OAuth 2.0 token (XOAUTH2), at a bounded rate, giving back the server's own
answer for each message."""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage

from motesplats.model import MailSettings


class Refused(Exception):
    """The server would not take one message (a refused address, a rejected message): the others go on."""


class Unreachable(Exception):
    """The server cannot be reached or logged in to: nothing more can be sent this run."""


class SmtpTransport:
    """One connection, opened on the first message and used for all; at most `rate` messages a minute.
    `secret` is the password, or with auth "oauth2" the application's client secret."""

    def __init__(self, settings: MailSettings, secret: str | None, timeout: float = 30.0):
        self.settings, self.secret, self.timeout = settings, secret, timeout
        self._smtp: smtplib.SMTP | None = None
        self._last = 0.0

    def send(self, message: EmailMessage) -> str:
        """Send `message`; return the server's answer to it ('250 2.0.0 Ok: queued as …')."""
        self._wait()
        smtp = self._connection()
        sender = message["From"].addresses[0].addr_spec
        recipients = [address.addr_spec for header in message.get_all("To", []) for address in header.addresses]
        try:
            code, answer = smtp.mail(sender)
            if code != 250:
                smtp.rset()
                raise Refused(f"{code} {answer.decode(errors='replace')}")
            for recipient in recipients:
                code, answer = smtp.rcpt(recipient)
                if code not in (250, 251):
                    smtp.rset()
                    raise Refused(f"{code} {answer.decode(errors='replace')}")
            code, answer = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._smtp = None
            raise Unreachable(f"the connection to {self.settings.host} broke: {error}") from error
        if code != 250:
            raise Refused(f"{code} {answer.decode(errors='replace')}")
        return f"{code} {answer.decode(errors='replace')}"

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None

    def _wait(self) -> None:
        interval = 60.0 / self.settings.rate
        pause = self._last + interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last = time.monotonic()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        settings = self.settings
        token = bearer_token(settings, self.secret or "", self.timeout) if settings.auth == "oauth2" else ""
        context = ssl.create_default_context()
        try:
            if settings.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=self.timeout,
                                                      context=context)
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)
                if settings.security == "starttls":
                    smtp.starttls(context=context)
            smtp.ehlo_or_helo_if_needed()  # a relay without login wants a greeting too
            if token:
                _log_in_with_token(smtp, settings, token)
            elif settings.user:
                smtp.login(settings.user, self.secret or "")
        except smtplib.SMTPAuthenticationError as error:
            how = "the OAuth token for" if settings.auth == "oauth2" else "the login of"
            raise Unreachable(f"{settings.host} refused {how} {settings.user}: "
                              f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}") from error
        except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
            raise Unreachable(f"cannot reach {settings.host}:{settings.port} ({settings.security}): {error}") from error
        self._smtp = smtp
        return smtp


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response, before base64 (which smtplib adds)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def _log_in_with_token(smtp: smtplib.SMTP, settings: MailSettings, token: str) -> None:
    # A server refusing the token sends a 334 challenge with its error first; the answer to it is empty.
    smtp.auth("XOAUTH2", lambda challenge=None: xoauth2(settings.user, token) if challenge is None else "")


def bearer_token(settings: MailSettings, client_secret: str, timeout: float) -> str:
    """An access token for the application (the OAuth 2.0 client-credentials flow), from the
    settings' authority, through Microsoft's own library, msal."""
    import msal  # only sending by OAuth needs it
    try:
        application = msal.ConfidentialClientApplication(
            settings.client_id, client_credential=client_secret, authority=settings.authority,
            instance_discovery=False, timeout=timeout)  # the authority is the IT department's choice
        answer = application.acquire_token_for_client(scopes=[settings.scope])
    except (ValueError, OSError) as error:  # requests' errors are OSErrors
        raise Unreachable(f"cannot get an OAuth token from {settings.authority}: {error}") from error
    if "access_token" not in answer:
        description = (answer.get("error_description") or "").splitlines()
        raise Unreachable(f"{settings.authority} gave no OAuth token to the application {settings.client_id}: "
                          f"{answer.get('error', 'no answer')}{': ' + description[0] if description else ''}")
    return answer["access_token"]
