"""Stores: anyone signed in reads them; an admin creates and deletes them.

An admin or a manager of the store changes it. Managers and stock are nested blueprints.
"""

from flask import Response, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.conditional import expected_version, render_resource
from app.api.openapi_docs import HAS_ETAG, problems
from app.api.responses import next_page_url, render_list, render_no_content
from app.api.stores.managers_routes import bp as managers_bp
from app.api.stores.stock_routes import bp as stock_bp
from app.extensions import db
from app.models.store import Store
from app.schemas.store_schema import (
    StoreCreate,
    StoreData,
    StoreList,
    StoreListQuery,
    StoreOut,
    StorePath,
    StoreUpdate,
)
from app.services import store_service

bp = APIBlueprint(
    "stores", __name__, url_prefix="/stores", abp_tags=[Tag(name="stores", description="Stores")]
)


def _out(store: Store) -> StoreOut:
    return StoreOut.model_validate(store, from_attributes=True)


@bp.get(
    "",
    responses={200: StoreList, **problems(400)},
    summary="List stores, filtered by city, state or manager (keyset-paginated)",
    security=BEARER,
)
def list_stores(query: StoreListQuery) -> Response:
    """Answer one page of stores in the requested order."""
    store_query = store_service.StoreQuery(**query.model_dump())
    page = store_service.list_stores(db.session(), store_query)
    return render_list([_out(store) for store in page.items], next_page_url(page.next_cursor))


@bp.post(
    "",
    responses={201: StoreData, **problems(403)},
    summary="Create a store (admin)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def create_store(body: StoreCreate) -> Response:
    """Answer 201 with the new store and its Location."""
    store = store_service.create_store(db.session(), current_user(), body.model_dump())
    location = url_for("api.stores.get_store", store_id=store.id)
    return render_resource(_out(store), store.version, 201, {"Location": location})


@bp.get(
    "/<int:store_id>",
    responses={200: StoreData, 304: None, **problems(404)},
    summary="A store",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def get_store(path: StorePath) -> Response:
    """Answer 200 with the store and its ETag (304 when If-None-Match names it)."""
    store = store_service.get_store(db.session(), path.store_id)
    return render_resource(_out(store), store.version)


@bp.patch(
    "/<int:store_id>",
    responses={200: StoreData, **problems(403, 404, 412)},
    summary="Change a store (admin, or a manager of this store)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def update_store(path: StorePath, body: StoreUpdate) -> Response:
    """Answer 200 with the changed store; 412 when If-Match names an old version."""
    store = store_service.update_store(
        db.session(), current_user(), path.store_id, body.changes(), expected_version()
    )
    return render_resource(_out(store), store.version)


@bp.delete(
    "/<int:store_id>",
    responses={204: None, **problems(403, 404, 412)},
    summary="Delete a store with its managers and stock (admin)",
    security=BEARER,
)
def delete_store(path: StorePath) -> Response:
    """Answer 204; the store's manager and stock rows go with it."""
    store_service.delete_store(db.session(), current_user(), path.store_id, expected_version())
    return render_no_content()


for nested_bp in (managers_bp, stock_bp):
    bp.register_api(nested_bp)
