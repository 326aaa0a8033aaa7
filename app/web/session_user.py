"""The dashboard's signed-in user: Flask-Login's view of a `User`, loaded through a service."""

from typing import Any
from urllib.parse import urlsplit

from flask import redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from app.extensions import db
from app.models.user import User
from app.services import auth_service


class SessionUser:
    """What Flask-Login keeps for a signed-in request; `user` is the account itself."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.user = user

    @property
    def is_active(self) -> bool:
        """Whether the account may sign in (a deactivated one is signed out)."""
        return self.user.is_active

    def get_id(self) -> str:
        """What the session cookie keeps (the user id and a password fingerprint)."""
        return auth_service.session_key(self.user)


def load_user(key: str) -> SessionUser | None:
    """Return the session's user; None (signed out) when deleted, deactivated or stale."""
    user = auth_service.get_session_user(db.session(), key)
    return None if user is None else SessionUser(user)


def acting_user() -> User:
    """Return the account of the signed-in caller (views use `login_required` first)."""
    signed_in: Any = current_user
    user: User = signed_in.user
    return user


def safe_next(target: str | None) -> str | None:
    """Return `target` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def send_to_sign_in() -> BaseResponse:
    """Send a signed-out visitor to the sign-in page, remembering where they were going."""
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("web.auth.sign_in", next=target))


def require_sign_in() -> BaseResponse | None:
    """A `before_request` hook: send anyone not signed in to the sign-in page."""
    return None if current_user.is_authenticated else send_to_sign_in()
