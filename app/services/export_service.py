"""Run a CSV export job: the catalog, or one store's stock, read in pages by id.

The output has the columns an import takes (`sku,name,description,price,categories`, or
`sku,quantity`), so an export imports back unchanged. It is stored in `job_files` in
the same transaction that marks the job succeeded. Pages are read one after another, so
under concurrent writes the file is not a single snapshot.
"""

import csv
import io
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from app.models.job import KIND_EXPORT_PRODUCTS, Job
from app.models.job_file import ROLE_OUTPUT
from app.repositories import export_repository, job_repository
from app.services import job_service
from app.services.csv_table import escape_cell
from app.services.import_rows import CATEGORY_SEPARATOR

PAGE_SIZE = 1000
PRODUCT_HEADER = ("sku", "name", "description", "price", "categories")
STOCK_HEADER = ("sku", "quantity")

Progress = Callable[[int, int], None]
WriteRow = Callable[[Sequence[object]], object]


def run_export(session: Session, job_id: int, on_progress: Progress | None = None) -> Job | None:
    """Run an export job; None when it is gone or already finished (safe to run again)."""
    job = job_service.start_job(session, job_id)
    if job is None:
        return None
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if job.kind == KIND_EXPORT_PRODUCTS:
        writer.writerow(PRODUCT_HEADER)
        rows = _write_products(session, job_id, writer.writerow, on_progress)
        filename = "products.csv"
    else:
        store_id = int(job.params["store_id"])
        writer.writerow(STOCK_HEADER)
        rows = _write_stock(session, job_id, store_id, writer.writerow, on_progress)
        filename = f"store-{store_id}-stock.csv"
    job = job_repository.get_by_id(session, job_id)
    if job is None:  # deleted while it ran
        return None
    job_repository.delete_file(session, job_id, ROLE_OUTPUT)
    job_repository.add_file(session, job_id, ROLE_OUTPUT, filename, buffer.getvalue().encode())
    job_service.finish_job(job, {"rows": rows, "filename": filename}, [])
    session.commit()
    return job


def _write_products(
    session: Session, job_id: int, write_row: WriteRow, on_progress: Progress | None
) -> int:
    total = export_repository.count_products(session)
    done, after_id = 0, 0
    while page := export_repository.list_product_rows(session, after_id, PAGE_SIZE):
        names = export_repository.map_category_names(session, [row.id for row in page])
        for row in page:
            categories = CATEGORY_SEPARATOR.join(names.get(row.id, []))
            texts = (row.sku, row.name, row.description or "")
            cells = [escape_cell(text) for text in texts]
            write_row((*cells, f"{row.price:.2f}", escape_cell(categories)))
        done, after_id = done + len(page), page[-1].id
        _report(session, job_id, done, max(total, done), on_progress)
    return done


def _write_stock(
    session: Session,
    job_id: int,
    store_id: int,
    write_row: WriteRow,
    on_progress: Progress | None,
) -> int:
    total = export_repository.count_stock(session, store_id)
    done, after_id = 0, 0
    while page := export_repository.list_stock_rows(session, store_id, after_id, PAGE_SIZE):
        for row in page:
            write_row((escape_cell(row.sku), row.quantity))
        done, after_id = done + len(page), page[-1].product_id
        _report(session, job_id, done, max(total, done), on_progress)
    return done


def _report(
    session: Session, job_id: int, done: int, total: int, on_progress: Progress | None
) -> None:
    job_service.record_progress(session, job_id, done, total)
    if on_progress is not None:
        on_progress(done, total)
