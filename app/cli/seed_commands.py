"""`flask seed demo`: demo accounts for development (never in production)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.common.errors import StockroomError
from app.extensions import db
from app.services.seed_service import seed_demo_users

seed = AppGroup("seed", help="Fill the database with demo data.")


@seed.command("demo")
def seed_demo() -> None:
    """Make a demo admin and a demo manager (idempotent) and print their credentials."""
    try:
        accounts = seed_demo_users(db.session(), current_app.config["STOCKROOM_ENV"])
    except StockroomError as error:
        raise click.ClickException(error.detail) from None
    for account in accounts:
        state = "created" if account.is_created else "exists"
        click.echo(f"{account.role:<8} {account.email}  password: {account.password}  ({state})")
