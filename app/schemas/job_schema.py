"""Shapes of the import, export and job endpoints.

A job is `{"id", "kind", "status", "progress": {"done", "total"}, "errors": [{"line",
"message"}], "error_count", "result", "created_at", "updated_at"}`; `errors` holds the
first 100 row errors and `error_count` counts them all.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models.job import Job
from app.schemas.common_schema import JSON_INTEGER, NOT_SENT, RowId

Target = Literal["products", "stock"]
# A store id in a JSON body: a JSON integer (not "3", not true) that can be a row's id.
StoreId = Annotated[RowId, Field(examples=[1]), JSON_INTEGER]
# `store_id` names the store for stock and is absent for products. The service enforces
# it (422); in a JSON body's schema this lets the document (and its fuzzers) know it too.
# A multipart form states it in its description only: Schemathesis cannot fuzz a `oneOf`
# over a form with a file.
STORE_ONLY_FOR_STOCK: dict[str, Any] = {
    "oneOf": [
        {"properties": {"kind": {"const": "products"}}, "not": {"required": ["store_id"]}},
        {"properties": {"kind": {"const": "stock"}}, "required": ["store_id"]},
    ]
}


def refuse_null(value: object) -> object:
    """Refuse an explicit null: leave `store_id` out instead (it is documented as not null)."""
    if value is None:
        raise ValueError("may not be null; leave the field out")
    return value


class JobPath(BaseModel):
    """The job named in the URL."""

    job_id: RowId = Field(json_schema_extra={"example": 12})


class ExportCreate(BaseModel):
    """What to export: `{"kind": "products"}`, or `{"kind": "stock", "store_id": n}`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=STORE_ONLY_FOR_STOCK)

    kind: Target = Field(examples=["products"])
    store_id: StoreId | None = NOT_SENT

    @field_validator("store_id", mode="before")
    @classmethod
    def _refuse_null(cls, value: object) -> object:
        return refuse_null(value)


class Progress(BaseModel):
    """Rows done out of the total (checked rows for an import, written for an export)."""

    done: int = Field(examples=[4000])
    total: int = Field(examples=[10000])


class RowErrorOut(BaseModel):
    """A bad row: the line of the file it starts on (null for a job-wide error), and why."""

    line: int | None = Field(examples=[7])
    message: str = Field(examples=["price: Give a number such as 12.50."])


class JobOut(BaseModel):
    """A background job as the API shows it."""

    id: int = Field(examples=[12])
    kind: str = Field(examples=["import_products"])
    status: Literal["queued", "running", "succeeded", "failed"] = Field(examples=["running"])
    progress: Progress
    errors: list[RowErrorOut]
    error_count: int = Field(examples=[1])
    result: dict[str, Any] | None = Field(
        examples=[{"rows": 10000, "written": 10000, "created": 9990, "updated": 10, "skipped": 0}]
    )
    created_at: datetime = Field(examples=["2026-11-23T10:00:00Z"])
    updated_at: datetime = Field(examples=["2026-11-23T10:00:02Z"])


class JobData(BaseModel):
    """`{"data": job}`."""

    data: JobOut


def job_out(job: Job) -> JobOut:
    """Return the API shape of a job."""
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=Progress(done=job.progress_done, total=job.progress_total),
        errors=[RowErrorOut(**error) for error in job.errors],
        error_count=job.error_count,
        result=job.result,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )
