"""Create the PostgreSQL database that DATABASE_URL names, if it does not exist yet.

Run by `deploy/prod-like.sh` before `flask db upgrade`; harmless to run again. It
connects to the server's `postgres` maintenance database with the same credentials.
"""

import logging
import os
import sys

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/stockroom"

logger = logging.getLogger("create_database")


def create_database(database_url: str) -> bool:
    """Create the database `database_url` names unless it exists; tell whether it was made."""
    url = make_url(database_url).set(drivername="postgresql")
    name = url.database
    if not name:
        raise SystemExit(f"create_database: no database name in {url!r}")
    admin_url = url.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if found:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def main() -> None:
    """Create the database named by DATABASE_URL (default: stockroom on 127.0.0.1)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    database_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    is_created = create_database(database_url)
    name = make_url(database_url).database
    logger.info("==> database %s %s", name, "created" if is_created else "exists")


if __name__ == "__main__":
    main()
