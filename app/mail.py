"""Outgoing mail: messages rendered from `app/templates/mail/`, delivered by one backend.

MAIL_BACKEND picks the backend: "file" (the default) writes one `.eml` file per message
into MAIL_OUTBOX_DIR, so development needs no mail server; "smtp" hands each message to
MAIL_SERVER; "memory" keeps them in a list, for tests. `init_app` puts the backend in
`app.extensions["mail"]`.

Rule: this module knows Flask (templates, config) but nothing of Celery or the database.
"""

import logging
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app, render_template

logger = logging.getLogger(__name__)

EXTENSION_KEY = "mail"
SMTP_TIMEOUT_SECONDS = 10
_UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


class MailBackend(Protocol):
    """Delivers a finished message."""

    def send(self, message: EmailMessage) -> None:
        """Deliver `message` or raise."""


class FileBackend:
    """Writes each message as `<Message-ID>.eml` into a directory, atomically.

    A message whose file already exists is not written again, so a retried task
    that sends the same Message-ID twice leaves one file.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def path_for(self, message: EmailMessage) -> Path:
        """Return the file a message is (or would be) written to."""
        message_id = str(message["Message-ID"] or "").strip("<>")
        if not message_id:
            raise ValueError("a message needs a Message-ID to be written to the outbox")
        return self.directory / f"{_UNSAFE_FILE_CHARACTERS.sub('_', message_id)}.eml"

    def send(self, message: EmailMessage) -> None:
        """Write the message to a temporary file, then rename it into place."""
        target = self.path_for(message)
        if target.exists():
            logger.info("mail: %s is already in the outbox", target.name)
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(message.as_bytes())
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        logger.info("mail: wrote %s", target.name)


class SmtpBackend:
    """Hands each message to an SMTP server, over TLS and with a login when configured.

    MAIL_USE_TLS upgrades a plain connection with STARTTLS (port 587); MAIL_USE_SSL speaks
    TLS from the first byte (implicit TLS, port 465). Either way the server's certificate
    is checked against the system's trusted CAs (SSL_CERT_FILE names another bundle).
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = str(config["MAIL_SERVER"])
        self.port = int(config["MAIL_PORT"])
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))

    def _connect(self) -> smtplib.SMTP:
        if self.use_ssl:
            return smtplib.SMTP_SSL(
                self.host,
                self.port,
                timeout=SMTP_TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        return smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)

    def send(self, message: EmailMessage) -> None:
        """Open a connection, send, and close it; smtplib errors are OSErrors (retryable)."""
        with self._connect() as smtp:
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)
        logger.info("mail: sent %s via %s:%s", message["Message-ID"], self.host, self.port)


class MemoryBackend:
    """Keeps every message in `outbox` (the test suite's backend)."""

    def __init__(self) -> None:
        self.outbox: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        """Append the message to the outbox."""
        self.outbox.append(message)


def make_backend(config: Mapping[str, Any]) -> MailBackend:
    """Build the backend MAIL_BACKEND names.

    Raises:
        ValueError: for a name other than file, smtp or memory.
    """
    name = str(config.get("MAIL_BACKEND") or "file").strip().lower()
    if name == "file":
        return FileBackend(str(config["MAIL_OUTBOX_DIR"]))
    if name == "smtp":
        return SmtpBackend(config)
    if name == "memory":
        return MemoryBackend()
    raise ValueError(f"MAIL_BACKEND={name!r} is not one of: file, smtp, memory")


def init_app(app: Flask) -> None:
    """Put the configured mail backend in `app.extensions["mail"]`."""
    app.extensions[EXTENSION_KEY] = make_backend(app.config)


def make_message_id(kind: str, key: str) -> str:
    """Return a Message-ID made only from the event, so a retry reuses it."""
    sender = parseaddr(str(current_app.config["MAIL_DEFAULT_SENDER"]))[1]
    domain = sender.rpartition("@")[2] or "stockroom.local"
    return f"<{kind}.{key}@{domain}>"


def render_message(
    template: str, recipient: tuple[str | None, str], subject: str, message_id: str, **context: Any
) -> EmailMessage:
    """Build a message with plain-text and HTML bodies from `mail/<template>.txt|.html`.

    Args:
        template: the template name without extension, e.g. "manager_added".
        recipient: (display name or None, address).
        subject: the subject line; line breaks are folded away.
        message_id: from `make_message_id`.
        **context: the templates' variables.
    """
    name, address = recipient
    username, _, domain = address.rpartition("@")
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    message["From"] = str(current_app.config["MAIL_DEFAULT_SENDER"])
    message["To"] = Address(
        display_name=" ".join((name or "").split()), username=username, domain=domain
    )
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id
    message.set_content(render_template(f"mail/{template}.txt", **context))
    message.add_alternative(render_template(f"mail/{template}.html", **context), subtype="html")
    return message


def send(message: EmailMessage) -> None:
    """Deliver a message through the current app's backend."""
    backend: MailBackend = current_app.extensions[EXTENSION_KEY]
    backend.send(message)
