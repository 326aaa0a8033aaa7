"""CSV imports from the dashboard (admins): upload a file, then watch the job's progress bar.

The job runs in the background through the same job service as POST /api/imports; the
job page polls a small JSON endpoint (static/app.js) until the job has finished.
"""

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from app.common.errors import ValidationError
from app.common.pagination import MAX_LIMIT
from app.extensions import db
from app.schemas.job_schema import job_out
from app.services import access, job_service, store_service
from app.tasks.queue import job_queue
from app.web.forms import ImportForm, page_status, show_domain_errors
from app.web.session_user import acting_user, require_sign_in

bp = Blueprint("imports", __name__, url_prefix="/imports")
bp.before_request(require_sign_in)


def _store_choices() -> list[SelectChoice]:
    query = store_service.StoreQuery(limit=MAX_LIMIT)
    stores = store_service.list_stores(db.session(), query).items
    return [SelectChoice("", "No store (products)")] + [
        SelectChoice(str(store.id), store.name) for store in stores
    ]


@bp.route("", methods=["GET", "POST"])
def create_import() -> ResponseReturnValue:
    """Upload a CSV of products or of a store's stock (admins; anyone else gets 403)."""
    access.require_admin(acting_user(), "import files")
    form = ImportForm()
    form.store_id.choices = _store_choices()
    if form.validate_on_submit():
        upload = form.file.data
        request = job_service.ImportRequest(
            target=form.kind.data,
            filename=upload.filename or "",
            content=upload.read(),
            store_id=form.store_id.data,
            skip_invalid=form.skip_invalid.data,
        )
        try:
            job = job_service.submit_import(db.session(), acting_user(), request, job_queue)
        except ValidationError as error:
            show_domain_errors(form, error)
        else:
            return redirect(url_for("web.imports.show_import", job_id=job.id))
    return render_template("imports/form.html", form=form), page_status(form)


@bp.get("/<int:job_id>")
def show_import(job_id: int) -> ResponseReturnValue:
    """Show an import's status, progress bar and row errors (its creator or an admin)."""
    job = job_service.get_job(db.session(), acting_user(), job_id)
    return render_template("imports/show.html", job=job_out(job))


@bp.get("/<int:job_id>/progress")
def get_progress(job_id: int) -> ResponseReturnValue:
    """Answer the job as JSON, for the progress bar's script."""
    job = job_service.get_job(db.session(), acting_user(), job_id)
    return jsonify(job_out(job).model_dump(mode="json"))
