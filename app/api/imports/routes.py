"""POST /api/imports: queue a CSV import of products or of a store's stock (admins)."""

from flask import Response, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.file import FileStorage
from flask_openapi3.models.tag import Tag
from pydantic import ConfigDict, Field, field_validator

from app.api.auth import BEARER, current_user
from app.api.openapi_docs import problems
from app.api.responses import render_data
from app.extensions import db
from app.schemas.common_schema import NOT_SENT, RequestModel
from app.schemas.job_schema import JobData, StoreId, Target, job_out, refuse_null
from app.services import job_service
from app.tasks.queue import job_queue

bp = APIBlueprint(
    "imports",
    __name__,
    url_prefix="/imports",
    abp_tags=[Tag(name="jobs", description="CSV imports and exports, run in the background")],
)


class ImportForm(RequestModel):
    """A multipart form: what the CSV holds, the store (for stock), the policy, the file.

    `store_id` names the store for `kind=stock` and must be left out for `kind=products`
    (422 otherwise); an unknown store is 404.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Target = Field(description="`products`, or `stock` of the store `store_id`")
    # Form values arrive as text and are read as JSON (flask-openapi3), so `7` is a number
    # and `true` a boolean; strict types refuse what JSON Schema would ("0", "yes", "7.5").
    store_id: StoreId | None = NOT_SENT
    skip_invalid: bool = Field(
        default=False,
        strict=True,
        description="`true`: write the good rows and list the bad ones (default: none)",
    )
    file: FileStorage = Field(description="UTF-8 CSV whose first line names the columns")

    @field_validator("store_id", mode="before")
    @classmethod
    def _refuse_null(cls, value: object) -> object:
        return refuse_null(value)


@bp.post(
    "",
    responses={202: JobData, **problems(403, 404, 503)},
    summary="Queue a CSV import (admin); 202 with the job's Location",
    security=BEARER,
)
def create_import(form: ImportForm) -> Response:
    """Answer 202 with the queued job; 404 for an unknown store, 503 when the queue is down."""
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
