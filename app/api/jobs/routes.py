"""GET /api/jobs/<id> and its /file: for the job's creator or an admin (others get 404)."""

from typing import Any

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.openapi_docs import problems
from app.api.responses import render_data
from app.extensions import db
from app.schemas.job_schema import JobData, JobPath, job_out
from app.services import job_service

# The export file: its CSV bytes, offered as a download.
CSV_FILE: dict[str, Any] = {
    "description": "The CSV file, as an attachment",
    "content": {"text/csv": {"schema": {"type": "string"}}},
    "headers": {
        "Content-Disposition": {
            "description": "`attachment` with the file's name",
            "required": True,
            "schema": {"type": "string"},
        }
    },
}

bp = APIBlueprint(
    "jobs",
    __name__,
    url_prefix="/jobs",
    abp_tags=[Tag(name="jobs", description="CSV imports and exports, run in the background")],
)


@bp.get(
    "/<int:job_id>",
    responses={200: JobData, **problems(404)},
    summary="A job: status, progress, row errors and result",
    security=BEARER,
)
def get_job(path: JobPath) -> Response:
    """Answer 200 with the job; poll it until `status` is succeeded or failed."""
    job = job_service.get_job(db.session(), current_user(), path.job_id)
    return render_data(job_out(job))


@bp.get(
    "/<int:job_id>/file",
    responses={200: CSV_FILE, **problems(404)},
    summary="An export's CSV file (text/csv), once the job succeeded",
    security=BEARER,
)
def get_job_file(path: JobPath) -> Response:
    """Answer 200 with the CSV as an attachment; 404 until there is one."""
    found = job_service.get_output_file(db.session(), current_user(), path.job_id)
    disposition = f'attachment; filename="{found.filename}"'
    return Response(
        found.content, mimetype="text/csv", headers={"Content-Disposition": disposition}
    )
