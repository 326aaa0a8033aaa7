"""The mail backends on their own: .eml files, SMTP against a real server, memory."""

import smtplib
import ssl
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.mail import FileBackend, MemoryBackend, SmtpBackend, make_backend
from tests.smtp_sink import make_certificate, running_smtp_sink

MESSAGE_ID = "<manager-added.0123abcd@stockroom.test>"


def make_message(message_id: str | None = MESSAGE_ID) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "You now manage Main Street"
    message["From"] = "Stockroom <stockroom@stockroom.test>"
    message["To"] = "Ann Example <ann@example.com>"
    if message_id is not None:
        message["Message-ID"] = message_id
    message.set_content("Hello Ann,\nYou now manage Main Street.\n")
    message.add_alternative("<p>Hello Ann,</p><p>You now manage <b>Main Street</b>.</p>", "html")
    return message


def read_eml(path: Path) -> EmailMessage:
    parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_the_file_backend_writes_one_eml_file_named_by_the_message_id(tmp_path: Path) -> None:
    FileBackend(tmp_path / "outbox").send(make_message())

    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert files == ["manager-added.0123abcd_stockroom.test.eml"]


def test_the_eml_file_keeps_every_header(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path)
    backend.send(make_message())

    parsed = read_eml(backend.path_for(make_message()))

    assert parsed["Subject"] == "You now manage Main Street"
    assert parsed["From"] == "Stockroom <stockroom@stockroom.test>"
    assert parsed["To"] == "Ann Example <ann@example.com>"
    assert parsed["Message-ID"] == MESSAGE_ID
    assert parsed.get_content_type() == "multipart/alternative"


def test_the_eml_file_holds_the_plain_text_and_the_html_body(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path)
    backend.send(make_message())

    parsed = read_eml(backend.path_for(make_message()))

    plain = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content() == "Hello Ann,\nYou now manage Main Street.\n"
    assert "<b>Main Street</b>" in html.get_content()


def test_the_file_backend_leaves_no_temporary_file(tmp_path: Path) -> None:
    FileBackend(tmp_path).send(make_message())

    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".eml")] == []


def test_sending_the_same_message_id_twice_leaves_the_first_file(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path)
    backend.send(make_message())
    second = make_message()
    second.replace_header("Subject", "A second attempt")

    backend.send(second)

    assert len(list(tmp_path.iterdir())) == 1
    assert read_eml(backend.path_for(second))["Subject"] == "You now manage Main Street"


@pytest.mark.parametrize(
    ("message_id", "file_name"),
    [
        ("<../../etc/passwd@evil>", ".._.._etc_passwd_evil.eml"),
        ("<a/b/c@d>", "a_b_c_d.eml"),
    ],
)
def test_a_message_id_cannot_write_outside_the_outbox(
    tmp_path: Path, message_id: str, file_name: str
) -> None:
    backend = FileBackend(tmp_path / "outbox")
    backend.send(make_message(message_id))

    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [file_name]


def test_the_file_backend_refuses_a_message_without_a_message_id(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Message-ID"):
        FileBackend(tmp_path).send(make_message(message_id=None))


def test_the_smtp_backend_delivers_to_the_server() -> None:
    with running_smtp_sink() as sink:
        SmtpBackend({"MAIL_SERVER": sink.host, "MAIL_PORT": sink.port}).send(make_message())

    assert sink.envelopes == [("stockroom@stockroom.test", ["ann@example.com"])]
    received = sink.messages[0]
    assert received["Message-ID"] == MESSAGE_ID
    assert received.get_body(preferencelist=("html",)) is not None


def test_the_smtp_backend_logs_in_when_a_username_is_set() -> None:
    with running_smtp_sink(credentials=("stockroom", "s3cret")) as sink:
        config = {
            "MAIL_SERVER": sink.host,
            "MAIL_PORT": sink.port,
            "MAIL_USERNAME": "stockroom",
            "MAIL_PASSWORD": "s3cret",
        }
        SmtpBackend(config).send(make_message())

    assert sink.logins == ["stockroom"]
    assert len(sink.messages) == 1


@pytest.fixture
def trusted_certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A self-signed server certificate that this process's default TLS context trusts."""
    certificate = make_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    return certificate


@pytest.mark.parametrize(
    ("tls", "setting"), [("starttls", "MAIL_USE_TLS"), ("implicit", "MAIL_USE_SSL")]
)
def test_the_smtp_backend_speaks_tls_as_configured(
    trusted_certificate: tuple[Path, Path], tls: str, setting: str
) -> None:
    # A STARTTLS server refuses mail before the upgrade; an implicit-TLS one speaks no
    # plain SMTP at all: delivery proves the right kind of TLS, with the name checked.
    with running_smtp_sink(tls=tls, certificate=trusted_certificate) as sink:
        SmtpBackend({"MAIL_SERVER": sink.host, "MAIL_PORT": sink.port, setting: True}).send(
            make_message()
        )

    assert [message["Message-ID"] for message in sink.messages] == [MESSAGE_ID]


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with running_smtp_sink(tls="implicit", certificate=make_certificate(tmp_path)) as sink:
        backend = SmtpBackend(
            {"MAIL_SERVER": sink.host, "MAIL_PORT": sink.port, "MAIL_USE_SSL": True}
        )
        with pytest.raises(ssl.SSLCertVerificationError):
            backend.send(make_message())

    assert sink.messages == []


def test_a_starttls_server_gets_no_mail_from_a_plain_client(
    trusted_certificate: tuple[Path, Path],
) -> None:
    with running_smtp_sink(tls="starttls", certificate=trusted_certificate) as sink:
        backend = SmtpBackend({"MAIL_SERVER": sink.host, "MAIL_PORT": sink.port})
        with pytest.raises(smtplib.SMTPException):
            backend.send(make_message())

    assert sink.messages == []


def test_a_temporary_smtp_refusal_raises_an_os_error_worth_retrying() -> None:
    with running_smtp_sink(replies=["451 4.3.0 Try again later"]) as sink:
        backend = SmtpBackend({"MAIL_SERVER": sink.host, "MAIL_PORT": sink.port})
        with pytest.raises(smtplib.SMTPDataError) as raised:
            backend.send(make_message())

    assert isinstance(raised.value, OSError)
    assert raised.value.smtp_code == 451
    assert sink.messages == []


def test_an_unreachable_smtp_server_raises_connection_refused() -> None:
    with running_smtp_sink() as sink:
        port = sink.port
    backend = SmtpBackend({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port})

    with pytest.raises(ConnectionRefusedError):
        backend.send(make_message())


def test_the_memory_backend_keeps_each_message() -> None:
    backend = MemoryBackend()
    message = make_message()

    backend.send(message)

    assert backend.outbox == [message]


@pytest.mark.parametrize(
    ("name", "backend_class"),
    [
        ("file", FileBackend),
        ("smtp", SmtpBackend),
        ("memory", MemoryBackend),
        (" SMTP ", SmtpBackend),
    ],
)
def test_mail_backend_names_the_backend(name: str, backend_class: type, tmp_path: Path) -> None:
    config = {
        "MAIL_BACKEND": name,
        "MAIL_OUTBOX_DIR": str(tmp_path),
        "MAIL_SERVER": "mx",
        "MAIL_PORT": 25,
    }

    assert isinstance(make_backend(config), backend_class)


def test_an_unknown_mail_backend_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="MAIL_BACKEND='pigeon' is not one of"):
        make_backend({"MAIL_BACKEND": "pigeon"})
