"""POST /api/exports: queue a CSV export of the catalog or of a store's stock (admins)."""

from flask import Response, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.openapi_docs import problems
from app.api.responses import render_data
from app.extensions import db
from app.schemas.job_schema import ExportCreate, JobData, job_out
from app.services import job_service
from app.tasks.queue import job_queue

bp = APIBlueprint(
    "exports",
    __name__,
    url_prefix="/exports",
    abp_tags=[Tag(name="jobs", description="CSV imports and exports, run in the background")],
)


@bp.post(
    "",
    responses={202: JobData, **problems(403, 404, 503)},
    summary="Queue a CSV export (admin); 202 with the job's Location",
    security=BEARER,
)
def create_export(body: ExportCreate) -> Response:
    """Answer 202 with the queued job (404 for an unknown store); GET its `/file` later."""
    request = job_service.ExportRequest(target=body.kind, store_id=body.store_id)
    job = job_service.submit_export(db.session(), current_user(), request, job_queue)
    location = url_for("api.jobs.get_job", job_id=job.id)
    return render_data(job_out(job), 202, {"Location": location})
