"""`flask seed catalog --products N`: bulk demo products, with a progress bar."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.common.errors import StockroomError
from app.extensions import db
from app.services.catalog_seed_service import seed_catalog


@click.command("catalog")
@click.option(
    "--products",
    "count",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="How many products to add.",
)
@with_appcontext
def seed_catalog_command(count: int) -> None:
    """Add COUNT demo products in a few demo categories (never in production)."""
    environment = current_app.config["STOCKROOM_ENV"]
    with click.progressbar(length=count, label="Seeding products") as bar:
        try:
            added = seed_catalog(db.session(), count, environment, bar.update)
        except StockroomError as error:
            raise click.ClickException(error.detail) from None
    click.echo(f"Added {added} products.")
