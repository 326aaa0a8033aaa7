"""Helpers for job service tests: make an import job from CSV text and run it."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.job import Job
from app.models.product import Product
from app.services import import_service, job_service

PRODUCT_HEADER = "sku,name,description,price,categories\n"


def import_csv(
    session: Session,
    text: str | bytes,
    target: str = "products",
    store_id: int | None = None,
    *,
    skip_invalid: bool = False,
) -> Job:
    """Create an import job holding `text` and run it in-process; return the finished job."""
    content = text.encode() if isinstance(text, str) else text
    request = job_service.ImportRequest(target, "test.csv", content, store_id, skip_invalid)
    job = job_service.create_import_job(session, None, request)
    finished = import_service.run_import(session, job.id)
    assert finished is not None
    return finished


def product_skus(session: Session) -> list[str]:
    """Every product's SKU, sorted."""
    return list(session.scalars(select(Product.sku).order_by(Product.sku)))
