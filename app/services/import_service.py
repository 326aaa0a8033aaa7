"""Run a CSV import job: check every row, then write them all in one transaction.

Policy (docs/background-jobs.md, "Imports and exports"): every row is checked before
anything is written, and every bad row is reported with its line. By default a file with
any bad row writes nothing and the job fails; with `skip_invalid` the good rows are
written and the bad ones listed. The write is one transaction that also marks the job
succeeded, so a file is applied whole or not at all. Progress counts checked rows and is
committed every PROGRESS_EVERY rows in its own short transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models.job import KIND_IMPORT_PRODUCTS, Job
from app.models.job_file import ROLE_INPUT
from app.repositories import import_repository, job_repository
from app.services import job_service
from app.services.csv_table import CsvFormatError, CsvRow, CsvTable, RowError, read_table
from app.services.import_rows import RowProblemError, check_product_row, check_quantity

PRODUCT_COLUMNS = frozenset({"sku", "name", "description", "price", "categories"})
PRODUCT_REQUIRED = frozenset({"sku", "name", "price"})
STOCK_COLUMNS = frozenset({"sku", "quantity"})
PROGRESS_EVERY = 1000
WRITE_BATCH = 1000

Progress = Callable[[int, int], None]


@dataclass
class CheckedRows:
    """What checking found: rows to write (by SKU), which SKUs exist, and row errors."""

    rows: dict[str, Any] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    first_lines: dict[str, int] = field(default_factory=dict)


def run_import(session: Session, job_id: int, on_progress: Progress | None = None) -> Job | None:
    """Run an import job from its stored CSV; None when it is gone or already finished.

    Safe to run again: a finished job is left alone, and a job left running by a crash
    starts over (nothing of the previous attempt was committed).
    """
    job = job_service.start_job(session, job_id)
    if job is None:
        return None
    is_products = job.kind == KIND_IMPORT_PRODUCTS
    allowed = PRODUCT_COLUMNS if is_products else STOCK_COLUMNS
    content = job_service.read_file(session, job_id, ROLE_INPUT) or b""
    try:
        table = read_table(content, PRODUCT_REQUIRED if is_products else STOCK_COLUMNS, allowed)
    except CsvFormatError as error:
        _fail(session, job_id, [RowError(error.line, error.message)], 0)
        return job_repository.get_by_id(session, job_id)
    checked = _check_rows(session, job, table, on_progress)
    if checked.errors and not job.params.get("skip_invalid"):
        _fail(session, job_id, checked.errors, len(table.rows))
    else:
        _write(session, job, table, checked)
    return job_repository.get_by_id(session, job_id)


def _check_rows(
    session: Session, job: Job, table: CsvTable, on_progress: Progress | None
) -> CheckedRows:
    checked = CheckedRows()
    categories = import_repository.map_category_ids(session)
    total = len(table.rows)
    for start in range(0, total, PROGRESS_EVERY):
        chunk = table.rows[start : start + PROGRESS_EVERY]
        skus = [row.values["sku"].strip() for row in chunk if row.error is None]
        checked.existing.update(import_repository.map_product_ids(session, skus))
        for row in chunk:
            _check_row(row, table.columns, categories, checked)
        done = start + len(chunk)
        job_service.record_progress(session, job.id, done, total)
        if on_progress is not None:
            on_progress(done, total)
    return checked


def _check_row(
    row: CsvRow, columns: tuple[str, ...], categories: dict[str, int], checked: CheckedRows
) -> None:
    try:
        sku, value = _checked_value(row, columns, categories, checked)
        if sku in checked.first_lines:
            raise RowProblemError(f"sku: {sku!r} is already on line {checked.first_lines[sku]}.")
    except RowProblemError as problem:
        checked.errors.append(RowError(row.line, str(problem)))
        return
    checked.first_lines[sku] = row.line
    checked.rows[sku] = value


def _checked_value(
    row: CsvRow, columns: tuple[str, ...], categories: dict[str, int], checked: CheckedRows
) -> tuple[str, Any]:
    """Return (sku, checked row): a ProductRow, or (product id, quantity) for stock."""
    if row.error is not None:
        raise RowProblemError(row.error)
    if "quantity" in columns:
        sku = row.values["sku"].strip()
        return sku, (_stocked_product(sku, checked), check_quantity(row.values["quantity"]))
    product = check_product_row(row.values, categories, columns)
    return product.values["sku"], product


def _stocked_product(sku: str, checked: CheckedRows) -> int:
    if not sku:
        raise RowProblemError("sku: May not be blank.")
    if sku not in checked.existing:
        raise RowProblemError(f"sku: No product has SKU {sku!r}.")
    return checked.existing[sku]


def _write(session: Session, job: Job, table: CsvTable, checked: CheckedRows) -> None:
    try:
        if job.kind == KIND_IMPORT_PRODUCTS:
            result = _write_products(session, table.columns, checked)
        else:
            result = _write_stock(session, job.params["store_id"], checked)
    except IntegrityError as error:  # a concurrent change (a category or store deleted)
        message = (
            f"A concurrent change clashed with the import, so nothing was written: {error.orig}"
        )
        result = {"rows": len(table.rows), "written": 0}
        job_service.fail_job(session, job.id, [{"line": None, "message": message}], result)
        return
    result["rows"] = len(table.rows)
    result["skipped"] = len(checked.errors)
    job_service.finish_job(job, result, [error.as_dict() for error in checked.errors])
    session.commit()


def _write_products(
    session: Session, columns: tuple[str, ...], checked: CheckedRows
) -> dict[str, Any]:
    rows = list(checked.rows.values())
    value_columns = [name for name in columns if name != "categories"]
    ids: dict[str, int] = {}
    for start in range(0, len(rows), WRITE_BATCH):
        batch = [row.values for row in rows[start : start + WRITE_BATCH]]
        ids.update(import_repository.upsert_products(session, batch, value_columns))
    if "categories" in columns:
        links = [
            (ids[sku], category)
            for sku, row in checked.rows.items()
            for category in row.category_ids
        ]
        import_repository.replace_category_links(session, list(ids.values()), links)
    updated = sum(1 for sku in checked.rows if sku in checked.existing)
    return {"written": len(rows), "created": len(rows) - updated, "updated": updated}


def _write_stock(session: Session, store_id: int, checked: CheckedRows) -> dict[str, Any]:
    quantities = dict(checked.rows.values())
    items = list(quantities.items())
    for start in range(0, len(items), WRITE_BATCH):
        import_repository.upsert_stock(session, store_id, dict(items[start : start + WRITE_BATCH]))
    return {"written": len(items)}


def _fail(session: Session, job_id: int, errors: list[RowError], rows: int) -> None:
    result = {"rows": rows, "written": 0}
    job_service.fail_job(session, job_id, [error.as_dict() for error in errors], result)
