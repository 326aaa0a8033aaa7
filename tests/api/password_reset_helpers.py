"""Helpers shared by the password-reset API tests: ask for a link, confirm it, read the mail.

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
LINK = re.compile(r"(\S+)/password-reset\?token=(\S+)")


def mail_outbox(app: Flask) -> list[EmailMessage]:
    """Return the mail sent so far (the memory backend's outbox)."""
    outbox: list[EmailMessage] = app.extensions["mail"].outbox
    return outbox


def ask_reset(client: FlaskClient, email: str) -> Any:
    """Post a password-reset request for `email`."""
    return client.post("/api/auth/password-reset", json={"email": email})


def confirm_reset(client: FlaskClient, token: str, password: str = NEW_PASSWORD) -> Any:
    """Post a password-reset confirmation with `token` and a new password."""
    return client.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": password}
    )


def reset_link(message: EmailMessage) -> tuple[str, str]:
    """Return the base URL and the raw token of the link in the plain-text part."""
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    match = LINK.search(plain.get_content())
    assert match is not None
    return match.group(1), unquote(match.group(2))
