"""Bulk clean-up queries run by scheduled maintenance."""

from datetime import datetime

from sqlalchemy import and_, delete, or_
from sqlalchemy.orm import Session

from app.models.token import ACCESS, Token


def delete_dead_tokens(session: Session, now: datetime) -> int:
    """Delete expired tokens and revoked access tokens; return how many went.

    A revoked refresh token is kept until it expires: presenting it again must still be
    recognised as reuse (which revokes the user's other tokens), not as an unknown token.
    """
    result = session.execute(
        delete(Token).where(
            or_(
                Token.expires_at <= now,
                and_(Token.kind == ACCESS, Token.revoked_at.is_not(None)),
            )
        ),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0))
