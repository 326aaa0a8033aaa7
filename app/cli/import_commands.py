"""`flask import products FILE.csv` and `flask import stock --store ID FILE.csv`.

They run the same job services as POST /api/imports, in this process, with a progress
bar; the job is recorded like any other. Bad rows are listed by line and the command
exits non-zero (with `--skip-invalid`, the good rows are written first).
"""

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli.job_progress import run_job_here
from app.extensions import db
from app.services import import_service, job_service

SKIP_INVALID = click.option(
    "--skip-invalid", is_flag=True, help="Write the good rows and list the bad ones."
)
CSV_FILE = click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@click.group("import")
def import_group() -> None:
    """Import products or a store's stock from a CSV file."""


@import_group.command("products")
@CSV_FILE
@SKIP_INVALID
@with_appcontext
def import_products(csv_file: Path, *, skip_invalid: bool) -> None:
    """Import products (sku,name,description,price,categories) from CSV_FILE."""
    _import(csv_file, "products", None, skip_invalid=skip_invalid)


@import_group.command("stock")
@click.option("--store", "store_id", type=click.IntRange(min=1), required=True, help="Store id.")
@CSV_FILE
@SKIP_INVALID
@with_appcontext
def import_stock(csv_file: Path, store_id: int, *, skip_invalid: bool) -> None:
    """Import a store's stock (sku,quantity) from CSV_FILE."""
    _import(csv_file, "stock", store_id, skip_invalid=skip_invalid)


def _import(csv_file: Path, target: str, store_id: int | None, *, skip_invalid: bool) -> None:
    session = db.session()
    request = job_service.ImportRequest(
        target=target,
        filename=csv_file.name,
        content=csv_file.read_bytes(),
        store_id=store_id,
        skip_invalid=skip_invalid,
    )
    run_job_here(
        session,
        lambda: job_service.create_import_job(session, None, request),
        import_service.run_import,
        f"Importing {csv_file.name}",
    )
