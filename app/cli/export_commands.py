"""`flask export products FILE.csv` and `flask export stock --store ID FILE.csv`.

They run the same job service as POST /api/exports, in this process, with a progress
bar, then write the job's CSV to FILE.
"""

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli.job_progress import run_job_here
from app.extensions import db
from app.models.job_file import ROLE_OUTPUT
from app.services import export_service, job_service

CSV_FILE = click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))


@click.group("export")
def export_group() -> None:
    """Export the catalog or a store's stock to a CSV file."""


@export_group.command("products")
@CSV_FILE
@with_appcontext
def export_products(csv_file: Path) -> None:
    """Export every product to CSV_FILE (the columns an import takes)."""
    _export(csv_file, "products", None)


@export_group.command("stock")
@click.option("--store", "store_id", type=click.IntRange(min=1), required=True, help="Store id.")
@CSV_FILE
@with_appcontext
def export_stock(csv_file: Path, store_id: int) -> None:
    """Export a store's stock (sku,quantity) to CSV_FILE."""
    _export(csv_file, "stock", store_id)


def _export(csv_file: Path, target: str, store_id: int | None) -> None:
    session = db.session()
    request = job_service.ExportRequest(target=target, store_id=store_id)
    job = run_job_here(
        session,
        lambda: job_service.create_export_job(session, None, request),
        export_service.run_export,
        f"Exporting to {csv_file.name}",
    )
    csv_file.write_bytes(job_service.read_file(session, job.id, ROLE_OUTPUT) or b"")
    click.echo(f"Wrote {csv_file}.")
