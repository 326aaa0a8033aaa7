"""PreparedQuery on PostgreSQL (psycopg): Core's SQL, arguments and rows, run directly."""

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from app.extensions import db
from tests.prepared_query_checks import (  # noqa: F401 - pytest collects them here
    test_a_new_product_is_inserted_as_core_inserts_it,
    test_the_product_reads_run_as_core_runs_them,
    test_the_token_check_runs_as_core_runs_it,
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("factories")]


@pytest.fixture
def session(pg_app: Flask) -> Session:
    """The PostgreSQL app's session; `factories` (tests/conftest.py) binds to it."""
    return db.session()
