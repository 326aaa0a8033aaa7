"""API tokens: sign in, check, refresh (with rotation and reuse detection), sign out.

A token is 256 random bits, handed out once; only its SHA-256 is stored, so a copy of
the database holds nothing a client could present.
"""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import AuthenticationError
from app.models.token import ACCESS, REFRESH
from app.models.user import User
from app.repositories import token_repository, user_repository
from app.repositories.prepared_query import Reader
from app.services import passwords
from app.services.access import Actor, Caller
from app.services.user_service import normalise_email

TOKEN_BYTES = 32
BAD_CREDENTIALS = "The email or password is not correct."
BAD_REFRESH = "The refresh token is not valid; sign in again."


@dataclass(frozen=True)
class TokenLifetimes:
    """How long tokens live, in seconds (from ACCESS_TOKEN_TTL and REFRESH_TOKEN_TTL)."""

    access: int = 3600
    refresh: int = 30 * 24 * 3600


@dataclass(frozen=True)
class TokenPair:
    """The raw secrets handed to a client once, and the access token's lifetime."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret


def hash_token(raw_token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def sign_in(session: Session, email: str, password: str, lifetimes: TokenLifetimes) -> TokenPair:
    """Check an email and password and hand out a new token pair.

    An unknown email, a wrong password and a deactivated account all get the same
    error, after the same amount of work. A hash made with older parameters is
    replaced by one made with today's.

    Raises:
        AuthenticationError: when the credentials are not accepted.
    """
    found = user_repository.find_credentials(session, normalise_email(email))
    if found is None:
        passwords.burn_verify_time(password)
        raise AuthenticationError(BAD_CREDENTIALS)
    user_id, password_hash, is_active = found
    _accept_password(session, user_id, password_hash, is_active, password)
    pair = _issue_pair(session, user_id, lifetimes)
    session.commit()
    return pair


def sign_in_to_dashboard(session: Session, email: str, password: str) -> User:
    """Check an email and password for a dashboard session (no tokens), as `sign_in` does.

    Raises:
        AuthenticationError: when the credentials are not accepted.
    """
    user = _check_credentials(session, email, password)
    session.commit()
    return user


def session_key(user: User) -> str:
    """Return what a dashboard session keeps: the user id and a fingerprint of the password.

    A new password (changed or reset) changes the fingerprint, which ends every session
    signed in with the old one.
    """
    return f"{user.id}.{_password_fingerprint(user)}"


def get_session_user(session: Session, key: str) -> User | None:
    """Return the user a dashboard session names; None when deleted, deactivated or stale."""
    user_id, _, fingerprint = key.partition(".")
    if not user_id.isdigit():
        return None
    user = user_repository.get_by_id(session, int(user_id))
    if user is None or not user.is_active:
        return None
    return user if hmac.compare_digest(fingerprint, _password_fingerprint(user)) else None


def authenticate(reader: Reader, raw_token: str) -> Caller:
    """Return who sent a live access token: their id and roles, and the token's ids.

    One query of a few columns, no ORM object: every signed-in API request runs it, on a
    Session or on a bare Connection (the API's, so a read-only request needs no Session).

    Raises:
        AuthenticationError: when the token is unknown, expired, revoked, not an
            access token, or its user is deactivated.
    """
    rows = token_repository.find_live_access(reader, hash_token(raw_token), utcnow())
    if not rows:
        raise AuthenticationError("The access token is missing, invalid, expired or revoked.")
    token_id, pair_id, user_id, _ = rows[0]
    roles = frozenset(role for *_, role in rows if role is not None)
    return Caller(id=user_id, token_id=token_id, pair_id=pair_id, roles=roles)


def refresh(session: Session, raw_refresh_token: str, lifetimes: TokenLifetimes) -> TokenPair:
    """Trade a refresh token for a new pair; the old refresh token is spent.

    Presenting a spent refresh token again means it leaked: every token of its user
    is revoked, so whoever holds the stolen copy is signed out too.

    Raises:
        AuthenticationError: for an unknown, expired, revoked or reused token.
    """
    now = utcnow()
    token = token_repository.get_by_hash(session, hash_token(raw_refresh_token))
    if token is None or token.kind != REFRESH:
        raise AuthenticationError(BAD_REFRESH)
    if token.used_at is not None:
        token_repository.revoke_all_for_user(session, token.user_id, now)
        session.commit()
        raise AuthenticationError(BAD_REFRESH)
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        raise AuthenticationError(BAD_REFRESH)
    if not token_repository.mark_used(session, token.id, now):
        # Another request spent it between our read and our write: that is reuse too.
        session.rollback()
        token_repository.revoke_all_for_user(session, token.user_id, now)
        session.commit()
        raise AuthenticationError(BAD_REFRESH)
    token_repository.revoke_pair(session, token.pair_id, now)
    pair = _issue_pair(session, token.user_id, lifetimes)
    session.commit()
    return pair


def sign_out(session: Session, actor: Actor, token: Caller) -> None:
    """Revoke the access token the caller signed in with, and its refresh token.

    Raises:
        AuthenticationError: when the token is not the caller's.
    """
    if token.user_id != actor.id:
        raise AuthenticationError("The access token is not yours.")
    token_repository.revoke_pair(session, token.pair_id, utcnow())
    session.commit()


def issue_tokens(session: Session, user: User, lifetimes: TokenLifetimes) -> TokenPair:
    """Hand out a pair to a user without a password (trusted callers: tests, tools)."""
    pair = _issue_pair(session, user.id, lifetimes)
    session.commit()
    return pair


def purge_expired_tokens(session: Session) -> int:
    """Delete the tokens no check needs any more; return how many went (the daily purge).

    Expired tokens go, and revoked or spent ones at once, except a spent refresh token:
    `refresh` treats presenting it again as reuse and revokes the user's other tokens,
    so it is kept until it expires (after that, both copies are refused anyway).
    """
    count = token_repository.delete_dead(session, utcnow())
    session.commit()
    return count


def _check_credentials(session: Session, email: str, password: str) -> User:
    user = user_repository.find_for_sign_in(session, normalise_email(email))
    if user is None:
        passwords.burn_verify_time(password)
        raise AuthenticationError(BAD_CREDENTIALS)
    _accept_password(session, user.id, user.password_hash, user.is_active, password)
    return user


def _accept_password(
    session: Session, user_id: int, password_hash: str, is_active: bool, password: str
) -> None:
    """Verify the password of a known user and record the sign-in, or refuse it."""
    if not passwords.verify_password(password_hash, password) or not is_active:
        raise AuthenticationError(BAD_CREDENTIALS)
    new_hash = None
    if passwords.needs_rehash(password_hash):
        new_hash = passwords.hash_password(password)
    user_repository.record_login(session, user_id, utcnow(), new_hash)


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _issue_pair(session: Session, user_id: int, lifetimes: TokenLifetimes) -> TokenPair:
    now = utcnow()
    pair_id = uuid.uuid4().hex
    secrets_by_kind = {}
    rows = []
    for kind, seconds in ((ACCESS, lifetimes.access), (REFRESH, lifetimes.refresh)):
        raw = secrets.token_urlsafe(TOKEN_BYTES)
        secrets_by_kind[kind] = raw
        rows.append(
            {
                "user_id": user_id,
                "kind": kind,
                "token_hash": hash_token(raw),
                "pair_id": pair_id,
                "expires_at": now + timedelta(seconds=seconds),
                "created_at": now,
            }
        )
    token_repository.insert_many(session, rows)  # both in one statement
    return TokenPair(secrets_by_kind[ACCESS], secrets_by_kind[REFRESH], lifetimes.access)
