"""Sending mail: an SMTP connection with STARTTLS or implicit TLS and login, at a bounded rate,
giving back the server's own answer for each message."""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import getaddresses

from motesplats.model import MailSettings


class Refused(Exception):
    """The server would not take one message (a refused address, a rejected message): the others go on."""


class Unreachable(Exception):
    """The server cannot be reached or logged in to: nothing more can be sent this run."""


class SmtpTransport:
    """One connection, opened on the first message and used for all; at most `rate` messages a minute."""

    def __init__(self, settings: MailSettings, password: str | None, timeout: float = 30.0):
        self.settings, self.password, self.timeout = settings, password, timeout
        self._smtp: smtplib.SMTP | None = None
        self._last = 0.0

    def send(self, message: EmailMessage) -> str:
        """Send `message`; return the server's answer to it ('250 2.0.0 Ok: queued as …')."""
        self._wait()
        smtp = self._connection()
        sender = getaddresses([message["From"]])[0][1]
        recipients = [address for _, address in getaddresses(message.get_all("To", []))]
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
        context = ssl.create_default_context()
        try:
            if settings.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=self.timeout,
                                                      context=context)
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)
                if settings.security == "starttls":
                    smtp.starttls(context=context)
            if settings.user:
                smtp.login(settings.user, self.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise Unreachable(f"{settings.host} refused the login of {settings.user}: "
                              f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}") from error
        except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
            raise Unreachable(f"cannot reach {settings.host}:{settings.port} ({settings.security}): {error}") from error
        self._smtp = smtp
        return smtp
