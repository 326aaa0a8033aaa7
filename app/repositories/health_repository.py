"""Database round trips used by the readiness check."""

from sqlalchemy import text
from sqlalchemy.orm import Session


def ping(session: Session) -> None:
    """Run the cheapest possible query; raises if the database does not answer."""
    session.execute(text("SELECT 1"))
