"""Helpers shared by the password-reset page tests: ask for a link, read it from the mail.

TestingConfig runs Celery tasks eagerly and keeps mail in memory, so the reset mail is in
`app.extensions["mail"].outbox` as soon as the request returns.
"""

import re
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote

from flask import Flask
from flask.testing import FlaskClient

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"/password-reset\?token=(\S+)")
SENT = "If an active account has this email, a reset link has been sent to it."
REQUEST_LINK = 'href="/password-reset/request"'


def outbox_of(app: Flask) -> list[EmailMessage]:
    """The mail sent so far (the memory backend's outbox)."""
    outbox: list[EmailMessage] = app.extensions["mail"].outbox
    return outbox


def ask(client: FlaskClient, email: str, address: str = "10.0.0.1") -> Any:
    """Post the "forgot your password?" form from a client address."""
    return client.post(
        "/password-reset/request", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def token_in(message: EmailMessage) -> str:
    """The raw token of the reset link in a mail's plain-text part."""
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    match = LINK.search(plain.get_content())
    assert match is not None
    return unquote(match.group(1))
