"""Password reset: mail a single-use link to an account's owner, then set a new password.

A reset token is 256 random bits, like an API token, and lives in the tokens table with
kind 'reset': only its SHA-256 is stored, it is alone in its `pair_id`, and it expires
after PASSWORD_RESET_TTL seconds. Asking again revokes the previous link. Using it spends
it and revokes every other token of the user, API tokens included. The scheduled purge of
expired tokens deletes expired reset tokens too.
"""

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import BadRequestError, ValidationError
from app.models.token import RESET, Token
from app.repositories import token_repository, user_repository
from app.services import passwords
from app.services.auth_service import TOKEN_BYTES, hash_token
from app.services.ports import PasswordResetMailer
from app.services.user_service import normalise_email

DEFAULT_TTL = 3600
INVALID_LINK = "The password-reset token is unknown, already used or expired; ask for a new link."


def request_reset(
    session: Session, email: str, mailer: PasswordResetMailer, ttl_seconds: int = DEFAULT_TTL
) -> None:
    """Make a reset token for the active account with this email, and mail its link.

    The caller learns nothing: an unknown email, or a deactivated account, returns the
    same way after the same lookup, token generation and commit; only the mail is left
    out. The mail is enqueued after the commit, so a failed request sends nothing.
    """
    now = utcnow()
    raw_token = secrets.token_urlsafe(TOKEN_BYTES)
    token_hash = hash_token(raw_token)
    user = user_repository.get_by_email(session, normalise_email(email))
    user_id = user.id if user is not None and user.is_active else None
    if user_id is not None:
        token_repository.revoke_live_of_kind(session, user_id, RESET, now)
        token_repository.add(session, _reset_token(user_id, token_hash, now, ttl_seconds))
    session.commit()
    if user_id is not None:
        mailer.send_reset_link(user_id, raw_token)


def confirm_reset(session: Session, raw_token: str, new_password: str) -> None:
    """Set a new password with a reset token, then revoke it and every other token of the user.

    A weak password leaves the token unspent, so the user can try again with the same link.

    Raises:
        BadRequestError: for an unknown, spent, revoked or expired token, or one whose
            user has been deactivated.
        ValidationError: under `new_password`, when the password policy refuses it.
    """
    now = utcnow()
    token = token_repository.get_by_hash(session, hash_token(raw_token))
    if token is None or not _is_live_reset(token, now):
        raise BadRequestError(INVALID_LINK)
    problems = passwords.password_problems(new_password, token.user.email)
    if problems:
        raise ValidationError("The password is too weak.", errors={"new_password": problems})
    user_id = token.user_id
    new_hash = passwords.hash_password(new_password)  # slow: before any write lock is taken
    if not token_repository.mark_used(session, token.id, now):
        session.rollback()  # another request spent it first
        raise BadRequestError(INVALID_LINK)
    token_repository.revoke_all_for_user(session, user_id, now)
    user_repository.set_password_hash(session, user_id, new_hash, now)
    session.commit()


def _reset_token(user_id: int, token_hash: str, now: datetime, ttl_seconds: int) -> Token:
    return Token(
        user_id=user_id,
        kind=RESET,
        token_hash=token_hash,
        pair_id=uuid.uuid4().hex,
        expires_at=now + timedelta(seconds=ttl_seconds),
        created_at=now,
    )


def _is_live_reset(token: Token, now: datetime) -> bool:
    if token.kind != RESET or token.used_at is not None or token.revoked_at is not None:
        return False
    return token.expires_at > now and token.user.is_active
