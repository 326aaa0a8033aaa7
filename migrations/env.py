"""Alembic environment, run through Flask-Migrate inside an app context.

Logging is left to the app (no fileConfig), so migrations log as JSON like the rest.
"""

import logging

from alembic import context
from flask import current_app

import app.models  # noqa: F401 - registers every table on the metadata

config = context.config
logger = logging.getLogger("alembic.env")
target_db = current_app.extensions["migrate"].db


def run_migrations_offline() -> None:
    """Emit SQL for the current database URL without connecting."""
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(
        url=url, target_metadata=target_db.metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def _skip_empty_autogenerate(_context, _revision, directives) -> None:
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def _render_item(type_: str, obj: object, _autogen_context: object) -> str | bool:
    """Write our UTCDateTime as a plain timezone-aware DateTime, so migrations need no app."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


# Full-text search objects that migration 0002 creates by hand and no model maps.
UNMAPPED_SEARCH_TABLE_PREFIX = "products_fts"
UNMAPPED_SEARCH_NAMES = frozenset({"search_vector", "ix_products_search_vector"})


def _include_object(
    _obj: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    """Keep autogenerate away from the hand-made full-text search tables, column and index."""
    if type_ == "table" and (name or "").startswith(UNMAPPED_SEARCH_TABLE_PREFIX):
        return False
    return not (type_ in {"column", "index"} and name in UNMAPPED_SEARCH_NAMES)


def run_migrations_online() -> None:
    """Migrate the app's database over a live connection."""
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", _skip_empty_autogenerate)
    conf_args.setdefault("render_item", _render_item)
    conf_args.setdefault("include_object", _include_object)
    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
