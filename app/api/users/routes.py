"""Users: sign-up (POST /api/users), /api/users/me, and user administration."""

from typing import Any

from flask import Response, current_app, request, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_token, current_user, public
from app.api.responses import render_created, render_data, render_list, render_no_content
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
from app.services import user_service

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
    responses={201: UserData, 403: Problem, 409: Problem, 422: Problem, 429: Problem},
    summary="Sign up: make an account (when SIGNUP_ENABLED)",
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
    return render_created(_out(user), url_for("api.users.get_user", user_id=user.id))


@bp.get("/me", responses={200: UserData, 401: Problem}, summary="Your profile", security=BEARER)
def get_me() -> Response:
    """Answer 200 with the caller's own account."""
    return render_data(_out(user_service.get_profile(current_user())))


@bp.patch(
    "/me",
    responses={200: UserData, 422: Problem, 401: Problem},
    summary="Change your name or password (a password change signs out your other tokens)",
    security=BEARER,
)
def update_me(body: ProfileUpdate) -> Response:
    """Answer 200 with the changed account."""
    changes = user_service.ProfileChanges(**body.model_dump(exclude_unset=True))
    user = user_service.update_profile(
        db.session(), current_user(), changes, current_token().pair_id
    )
    return render_data(_out(user))


@bp.get(
    "",
    responses={200: UserList, 403: Problem, 422: Problem, 401: Problem},
    summary="List users (admin)",
    security=BEARER,
)
def list_users(query: UserListQuery) -> Response:
    """Answer one page of users by id, filtered by role and active flag."""
    filters = user_service.UserFilter(role=query.role, is_active=query.is_active)
    page = user_service.list_users(db.session(), current_user(), filters, query.limit, query.cursor)
    next_url = None
    if page.next_cursor:
        args: dict[str, Any] = {**request.args.to_dict(), "cursor": page.next_cursor}
        next_url = url_for("api.users.list_users", **args)
    return render_list([_out(user) for user in page.items], next_url)


@bp.get(
    "/<int:user_id>",
    responses={200: UserData, 404: Problem, 401: Problem},
    summary="A user (admin, or yourself)",
    security=BEARER,
)
def get_user(path: UserPath) -> Response:
    """Answer 200 with the user; 404 for ids the caller may not see."""
    return render_data(_out(user_service.get_user(db.session(), current_user(), path.user_id)))


@bp.patch(
    "/<int:user_id>",
    responses={200: UserData, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Change a user's name, roles or active flag (admin)",
    security=BEARER,
)
def update_user(path: UserPath, body: UserUpdate) -> Response:
    """Answer 200 with the changed user; deactivation revokes their tokens."""
    changes = user_service.UserChanges(**body.model_dump(exclude_unset=True))
    user = user_service.update_user(db.session(), current_user(), path.user_id, changes)
    return render_data(_out(user))


@bp.delete(
    "/<int:user_id>",
    responses={204: None, 403: Problem, 404: Problem, 409: Problem, 401: Problem},
    summary="Delete a user (admin)",
    security=BEARER,
)
def delete_user(path: UserPath) -> Response:
    """Answer 204; the user's tokens go with them."""
    user_service.delete_user(db.session(), current_user(), path.user_id)
    return render_no_content()
