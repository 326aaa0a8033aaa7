"""Users: sign-up (POST /api/users), /api/users/me, and user administration."""

from flask import Response, current_app, request, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_token, current_user, public
from app.api.conditional import expected_version, render_resource
from app.api.openapi_docs import HAS_ETAG
from app.api.responses import render_no_content, render_page
from app.extensions import db, limiter
from app.schemas.problem_schema import Problem
from app.schemas.user_schema import (
    ProfileUpdate,
    SignupIn,
    UserData,
    UserList,
    UserListQuery,
    UserOut,
    UserPath,
    UserUpdate,
)
from app.services import profile_service, user_service

bp = APIBlueprint(
    "users", __name__, url_prefix="/users", abp_tags=[Tag(name="users", description="Accounts")]
)


def _signup_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGNUP"])


def _signup_key() -> str:
    return f"signup:{request.remote_addr or 'unknown'}"


def _out(user: object) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


@bp.post(
    "",
    responses={201: UserData, 403: Problem, 409: Problem},
    summary="Sign up: make an account (when SIGNUP_ENABLED)",
    openapi_extensions=HAS_ETAG,
)
@public
@limiter.limit(_signup_limit, key_func=_signup_key)
def create_user(body: SignupIn) -> Response:
    """Answer 201 with the new user; 409 when the email is taken in any letter case."""
    user = user_service.sign_up(
        db.session(),
        user_service.NewUser(body.email, body.password, body.name),
        is_enabled=current_app.config["SIGNUP_ENABLED"],
    )
    location = url_for("api.users.get_user", user_id=user.id)
    return render_resource(_out(user), user.version, 201, {"Location": location})


@bp.get(
    "/me",
    responses={200: UserData, 304: None},
    summary="Your profile",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def get_me() -> Response:
    """Answer 200 with the caller's own account and its ETag (304 when If-None-Match names it)."""
    user = profile_service.get_profile(db.session(), current_user())
    return render_resource(_out(user), user.version)


@bp.patch(
    "/me",
    responses={200: UserData, 412: Problem},
    summary="Change your name or password (a password change signs out your other tokens)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def update_me(body: ProfileUpdate) -> Response:
    """Answer 200 with the changed account; 412 when If-Match names an old version."""
    changes = profile_service.ProfileChanges(**body.model_dump(exclude_unset=True))
    user = profile_service.update_profile(
        db.session(), current_user(), changes, current_token().pair_id, expected_version()
    )
    return render_resource(_out(user), user.version)


@bp.get(
    "",
    responses={200: UserList, 400: Problem, 403: Problem},
    summary="List users (admin)",
    security=BEARER,
)
def list_users(query: UserListQuery) -> Response:
    """Answer one page of users by id, filtered by role and active flag."""
    filters = user_service.UserFilter(role=query.role, is_active=query.is_active)
    page = user_service.list_users(db.session(), current_user(), filters, query.limit, query.cursor)
    return render_page([_out(user) for user in page.items], page.next_cursor)


@bp.get(
    "/<int:user_id>",
    responses={200: UserData, 304: None, 404: Problem},
    summary="A user (admin, or yourself)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def get_user(path: UserPath) -> Response:
    """Answer 200 with the user and its ETag; 404 for ids the caller may not see."""
    user = user_service.get_user(db.session(), current_user(), path.user_id)
    return render_resource(_out(user), user.version)


@bp.patch(
    "/<int:user_id>",
    responses={200: UserData, 403: Problem, 404: Problem, 409: Problem, 412: Problem},
    summary="Change a user's name, roles or active flag (admin)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def update_user(path: UserPath, body: UserUpdate) -> Response:
    """Answer 200 with the changed user; deactivation revokes their tokens. 412 when stale."""
    changes = user_service.UserChanges(**body.model_dump(exclude_unset=True))
    user = user_service.update_user(
        db.session(), current_user(), path.user_id, changes, expected_version()
    )
    return render_resource(_out(user), user.version)


@bp.delete(
    "/<int:user_id>",
    responses={204: None, 403: Problem, 404: Problem, 409: Problem, 412: Problem},
    summary="Delete a user (admin)",
    security=BEARER,
)
def delete_user(path: UserPath) -> Response:
    """Answer 204; the user's tokens go with them. 412 when If-Match names an old version."""
    user_service.delete_user(db.session(), current_user(), path.user_id, expected_version())
    return render_no_content()
