"""A real SMTP server for tests (aiosmtpd), that keeps what it receives.

`replies` scripts the answers to DATA: each send pops the next one ("451 ..." for a
temporary failure); when it is empty, messages are accepted. `refuse_recipients` makes
every RCPT TO answer 550, a permanent failure. `credentials` (login, password) makes the
server accept AUTH (over plain TCP: these are local tests). `tls` ("starttls" or
"implicit") serves TLS with a self-signed certificate made by `make_certificate`; a client
trusts it when SSL_CERT_FILE names that certificate.
"""

import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ACCEPTED = "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    """The handler aiosmtpd calls; also the record of what arrived."""

    host: str = "127.0.0.1"
    port: int = 0
    replies: list[str] = field(default_factory=list)
    refuse_recipients: bool = False
    credentials: tuple[str, str] | None = None
    logins: list[str] = field(default_factory=list)
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    data_attempts: int = 0
    rcpt_attempts: int = 0

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        self.rcpt_attempts += 1
        if self.refuse_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd calls
        self, _server: Any, _session: Any, envelope: Any
    ) -> str:
        self.data_attempts += 1
        if self.replies:
            return self.replies.pop(0)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return ACCEPTED

    def authenticate(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        """Accept exactly `credentials`; remember who logged in."""
        is_valid = isinstance(data, LoginPassword) and self.credentials == (
            data.login.decode(),
            data.password.decode(),
        )
        if is_valid:
            self.logins.append(data.login.decode())
        return AuthResult(success=is_valid)


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for 127.0.0.1 and localhost (and its key) with openssl."""
    certificate, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [  # noqa: S607 - openssl from PATH, as any test machine has it
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


@contextmanager
def running_smtp_sink(
    tls: str | None = None, certificate: tuple[Path, Path] | None = None, **options: Any
) -> Iterator[SmtpSink]:
    """Run an SmtpSink on a free local port for the duration of the block."""
    sink = SmtpSink(port=free_port(), **options)
    auth: dict[str, Any] = {}
    if sink.credentials is not None:
        auth = {
            "authenticator": sink.authenticate,
            "auth_require_tls": False,
        }
    if tls is not None:
        assert certificate is not None, "TLS needs make_certificate's pair"
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        auth["ssl_context" if tls == "implicit" else "tls_context"] = context
        if tls == "starttls":
            auth["require_starttls"] = True
    controller = Controller(sink, hostname=sink.host, port=sink.port, **auth)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
