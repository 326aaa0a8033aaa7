"""POST /api/imports: queue a CSV import of products or of a store's stock (admins)."""

from flask import Response, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.file import FileStorage
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.api.auth import BEARER, current_user
from app.api.openapi_docs import problems
from app.api.responses import render_data
from app.extensions import db
from app.schemas.job_schema import STORE_ONLY_FOR_STOCK, JobData, Target, job_out, refuse_null
from app.services import job_service
from app.tasks.queue import job_queue

bp = APIBlueprint(
    "imports",
    __name__,
    url_prefix="/imports",
    abp_tags=[Tag(name="jobs", description="CSV imports and exports, run in the background")],
)


class ImportForm(BaseModel):
    """A multipart form: what the CSV holds, the store (for stock), the policy, the file."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=STORE_ONLY_FOR_STOCK)

    kind: Target = Field(description="`products`, or `stock` of the store `store_id`")
    store_id: int | SkipJsonSchema[None] = Field(default=None, ge=1)
    skip_invalid: bool = Field(
        default=False, description="Write the good rows and list the bad ones (default: none)"
    )
    file: FileStorage = Field(description="UTF-8 CSV whose first line names the columns")

    @field_validator("store_id", mode="before")
    @classmethod
    def _refuse_null(cls, value: object) -> object:
        return refuse_null(value)


@bp.post(
    "",
    responses={202: JobData, **problems(403, 503)},
    summary="Queue a CSV import (admin); 202 with the job's Location",
    security=BEARER,
)
def create_import(form: ImportForm) -> Response:
    """Answer 202 with the queued job; 503 with Retry-After when the queue is down."""
    request = job_service.ImportRequest(
        target=form.kind,
        filename=form.file.filename or "",
        content=form.file.read(),
        store_id=form.store_id,
        skip_invalid=form.skip_invalid,
    )
    job = job_service.submit_import(db.session(), current_user(), request, job_queue)
    location = url_for("api.jobs.get_job", job_id=job.id)
    return render_data(job_out(job), 202, {"Location": location})
