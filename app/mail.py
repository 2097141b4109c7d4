"""Composing and sending one notification mail.

Why it looks like this: the outbox relay (``app/operations/outbox.py``) must
tell a failure worth retrying from one that never will succeed, so this module
turns everything ``smtplib`` and the network can raise into exactly two
exceptions, ``TransientFailure`` (connection refused or dropped, a timeout, a
4xx reply) and ``PermanentFailure`` (a 5xx reply to the recipient or the
message, an address that is not one). The relay only decides what to write.

Bodies come from Jinja templates in ``app/templates/mail/<language>/``: a
plain-text part and an HTML alternative (autoescaped, so a title typed by a
person can never become markup in someone's mail client). A language without
its own template falls back to English. Every mail about an item links to
the item's page (``app/links.py``, from ``REIS_BASE_URL``).

Without ``REIS_SMTP_HOST`` (the embedded default) a message is written to the
log instead of sent; it still counts as delivered, so ``make run`` shows the
whole path working with nothing installed.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
from collections.abc import Mapping
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from flask import current_app

from app.links import item_url
from app.models.notification import EVENT_KINDS, NotificationKind
from app.text import strip_bidi

log = logging.getLogger("reis.mail")

#: seconds to wait for the SMTP server to connect or answer one command
DEFAULT_TIMEOUT = 10.0
FALLBACK_LANGUAGE = "en"
# ASCII addresses only: an SMTPUTF8 address would need server support we cannot assume.
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


class DeliveryFailure(Exception):
    """A mail was not accepted; ``str()`` is what the outbox row records."""


class TransientFailure(DeliveryFailure):
    """Worth trying again later. ``server_down``: no mail can go out right now,
    so the relay stops this run instead of failing every row in turn."""

    def __init__(self, message: str, *, server_down: bool = False) -> None:
        super().__init__(message)
        self.server_down = server_down


class PermanentFailure(DeliveryFailure):
    """Will never succeed as it stands (a bad address, a 5xx for the recipient)."""


def valid_address(address: str) -> bool:
    return bool(address) and len(address) <= 254 and _ADDRESS.fullmatch(address) is not None


def template_name(kind: str) -> str:
    if kind in EVENT_KINDS:
        return "event"
    return str(kind) if kind in (NotificationKind.REMINDER, NotificationKind.DIGEST) else "generic"


def compose(notification, *, language: str | None, recipient_name: str | None,
            config: Mapping[str, Any]) -> EmailMessage:
    """The message for one outbox row: headers, a text part and an HTML alternative."""
    if not valid_address(notification.email):
        raise PermanentFailure(f"not a valid e-mail address: {notification.email!r}")
    payload = notification.payload or {}
    context = {"n": notification, "p": payload, "name": recipient_name,
               "subject": notification.subject, "base_url": config.get("REIS_BASE_URL"),
               "url": item_url(payload["file_id"]) if payload.get("file_id") else None,
               "links": {i["file_id"]: item_url(i["file_id"])
                         for i in payload.get("items", []) if i.get("file_id")},
               "meeting": _day(payload.get("meeting_date"))}
    text, html = render(template_name(notification.kind), language, context)
    sender = config["REIS_MAIL_FROM"]
    domain = sender.rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["Subject"] = one_line(notification.subject)
    message["From"] = sender
    message["To"] = Address(display_name=one_line(recipient_name or ""), addr_spec=notification.email)
    message["Date"] = format_datetime(notification.created_at)
    # Stable per row: if a crash makes the relay send a row twice, mail clients
    # and servers that deduplicate by Message-ID see one message.
    stamp = int(notification.created_at.timestamp() * 1000)
    message["Message-ID"] = f"<reis.{notification.id}.{stamp}@{domain}>"
    message["X-REIS-Notification"] = str(notification.id)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to us
    message["Content-Language"] = language or FALLBACK_LANGUAGE
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _day(iso: str | None) -> str | None:
    day = date.fromisoformat(iso) if iso else None
    return f"{day:%A, %B} {day.day}, {day.year}" if day else None


def render(name: str, language: str | None, context: dict[str, Any]) -> tuple[str, str]:
    env = current_app.jinja_env
    out = []
    for ext in ("txt", "html"):
        names = [f"mail/{lang}/{name}.{ext}" for lang in dict.fromkeys(
            [language or FALLBACK_LANGUAGE, FALLBACK_LANGUAGE])]
        out.append(env.select_template(names).render(**context))
    return out[0], out[1]


def one_line(value: str, limit: int = 200) -> str:
    """Header-safe: no line breaks (header injection), no direction controls (a header is
    shown with nothing to isolate it), bounded length."""
    flat = " ".join(strip_bidi(str(value)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Mailer:
    """Sends messages over one SMTP connection, opened on first use and reused.

    Use as a context manager so the connection is closed (``QUIT``) at the end
    of a relay run. Without an SMTP host it logs each message instead.
    """

    def __init__(self, host: str | None, port: int, sender: str,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Mailer:
        return cls(config.get("REIS_SMTP_HOST"), int(config.get("REIS_SMTP_PORT") or 25),
                   config["REIS_MAIL_FROM"],
                   float(config.get("REIS_SMTP_TIMEOUT") or DEFAULT_TIMEOUT))

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, message: EmailMessage, recipient: str) -> None:
        if not self.host:
            self._log(message, recipient)
            return
        reused = self._smtp is not None
        try:
            try:
                self._connection(self.host).send_message(message, from_addr=self.sender,
                                                         to_addrs=[recipient])
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                if not reused:
                    raise
                # The server closed our idle connection between two mails: reconnect once.
                self._drop()
                self._connection(self.host).send_message(message, from_addr=self.sender,
                                                         to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (0, b""))
            raise _by_code(code, reply, "recipient refused") from exc
        except smtplib.SMTPSenderRefused as exc:
            # Our own From is refused: a configuration problem that would fail
            # every row alike, so retry later rather than fail them all.
            raise TransientFailure(f"sender refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                                   server_down=True) from exc
        except smtplib.SMTPDataError as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error, "message refused") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TransientFailure(f"SMTP server unavailable: {exc}", server_down=True) from exc

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()  # a polite QUIT; the server may already be gone
            self._drop()

    def _connection(self, host: str) -> smtplib.SMTP:
        """The open connection, or a new one to ``host`` (``self.host``, known to be set)."""
        if self._smtp is None:
            # HELO with our mail domain: the default, socket.getfqdn(), can
            # stall on a DNS lookup in a container.
            helo = self.sender.rpartition("@")[2] or "localhost"
            smtp = smtplib.SMTP(host, self.port, timeout=self.timeout, local_hostname=helo)
            try:
                smtp.ehlo_or_helo_if_needed()
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    @staticmethod
    def _log(message: EmailMessage, recipient: str) -> None:
        body = message.get_body(preferencelist=("plain",))
        log.info("mail (no SMTP host set, so logged instead of sent) to %s\nSubject: %s\n\n%s",
                 recipient, message["Subject"], body.get_content() if body else "")


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _by_code(code: int, reply: bytes | str, what: str) -> DeliveryFailure:
    detail = f"{what}: {code} {_text(reply)}".strip()
    if 500 <= code < 600:
        return PermanentFailure(detail)
    return TransientFailure(detail)
