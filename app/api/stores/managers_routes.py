"""A store's managers: anyone signed in lists them; an admin adds and removes them."""

from flask import Response, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.openapi_docs import problems
from app.api.responses import (
    next_page_url,
    render_created,
    render_data,
    render_list,
    render_no_content,
)
from app.extensions import db
from app.models.user import User
from app.schemas.store_schema import (
    ManagerData,
    ManagerList,
    ManagerOut,
    ManagerPath,
    PageQuery,
    StorePath,
)
from app.services import manager_service
from app.tasks.queue import manager_notifier

bp = APIBlueprint(
    "managers",
    __name__,
    abp_tags=[Tag(name="store managers", description="Who manages which store")],
)


def _out(user: User) -> ManagerOut:
    return ManagerOut.model_validate(user, from_attributes=True)


@bp.get(
    "/<int:store_id>/managers",
    responses={200: ManagerList, **problems(400, 404)},
    summary="List a store's managers (keyset-paginated by user id)",
    security=BEARER,
)
def list_managers(path: StorePath, query: PageQuery) -> Response:
    """Answer one page of the store's managers."""
    page = manager_service.list_managers(db.session(), path.store_id, query.limit, query.cursor)
    return render_list([_out(user) for user in page.items], next_page_url(page.next_cursor))


@bp.get(
    "/<int:store_id>/managers/<int:user_id>",
    responses={200: ManagerData, **problems(404)},
    summary="One of a store's managers (404 when the user does not manage it)",
    security=BEARER,
)
def get_manager(path: ManagerPath) -> Response:
    """Answer 200 with the manager."""
    user = manager_service.get_manager(db.session(), path.store_id, path.user_id)
    return render_data(_out(user))


@bp.put(
    "/<int:store_id>/managers/<int:user_id>",
    responses={201: ManagerData, **problems(403, 404, 409)},
    summary="Make a user a manager of the store (admin); the user is e-mailed",
    security=BEARER,
)
def add_manager(path: ManagerPath) -> Response:
    """Answer 201; 409 when the user already manages the store, 404 for an unknown user."""
    user = manager_service.add_manager(
        db.session(), current_user(), path.store_id, path.user_id, manager_notifier
    )
    location = url_for("api.stores.managers.get_manager", **path.model_dump())
    return render_created(_out(user), location)


@bp.delete(
    "/<int:store_id>/managers/<int:user_id>",
    responses={204: None, **problems(403, 404)},
    summary="Stop a user managing the store (admin); the user is e-mailed",
    security=BEARER,
)
def remove_manager(path: ManagerPath) -> Response:
    """Answer 204; 404 when the user does not manage the store."""
    manager_service.remove_manager(
        db.session(), current_user(), path.store_id, path.user_id, manager_notifier
    )
    return render_no_content()
