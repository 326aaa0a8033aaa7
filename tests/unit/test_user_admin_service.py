"""user_service administration: listing users, changing roles and flags, deleting users."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.common.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    ValidationError,
)
from app.common.pagination import encode_cursor
from app.models.token import Token
from app.models.user import User
from app.services import auth_service, user_service
from app.services.user_service import UserChanges, UserFilter
from tests.factories import UserFactory
from tests.unit.identity_helpers import live_tokens

# --- listing ----------------------------------------------------------------------------


def test_a_non_admin_may_not_list_users(session: Session) -> None:
    with pytest.raises(PermissionDeniedError):
        user_service.list_users(session, UserFactory(), UserFilter(), 20, None)


def test_pages_walk_every_user_exactly_once(session: Session) -> None:
    admin = UserFactory(roles=["admin"])
    UserFactory.create_batch(6)
    seen: list[int] = []
    cursor = None

    while True:
        page = user_service.list_users(session, admin, UserFilter(), 3, cursor)
        seen.extend(user.id for user in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == sorted(user.id for user in session.scalars(select(User)))


def test_the_last_page_has_no_next_cursor(session: Session) -> None:
    admin = UserFactory(roles=["admin"])

    page = user_service.list_users(session, admin, UserFilter(), 20, None)

    assert [user.id for user in page.items] == [admin.id]
    assert page.next_cursor is None


def test_the_list_filters_by_role(session: Session) -> None:
    admin = UserFactory(roles=["admin"])
    manager = UserFactory(roles=["manager"])
    UserFactory()

    page = user_service.list_users(session, admin, UserFilter(role="manager"), 20, None)

    assert [user.id for user in page.items] == [manager.id]


@pytest.mark.parametrize("is_active", [True, False])
def test_the_list_filters_by_active_flag(session: Session, is_active: bool) -> None:
    admin = UserFactory(roles=["admin"])
    inactive = UserFactory(is_active=False)

    page = user_service.list_users(session, admin, UserFilter(is_active=is_active), 20, None)

    expected = [admin.id] if is_active else [inactive.id]
    assert [user.id for user in page.items] == expected


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_a_limit_outside_1_to_100_is_a_validation_error(session: Session, limit: int) -> None:
    admin = UserFactory(roles=["admin"])

    with pytest.raises(ValidationError) as caught:
        user_service.list_users(session, admin, UserFilter(), limit, None)

    assert list(caught.value.errors) == ["limit"]


@pytest.mark.parametrize(
    "cursor", ["!!!", "bm90LWpzb24", encode_cursor(["seven"]), encode_cursor([1, 2])]
)
def test_an_unreadable_cursor_is_a_bad_request(session: Session, cursor: str) -> None:
    admin = UserFactory(roles=["admin"])

    with pytest.raises(BadRequestError):
        user_service.list_users(session, admin, UserFilter(), 20, cursor)


def test_the_command_line_lists_every_user(session: Session) -> None:
    users = UserFactory.create_batch(3)

    assert [user.id for user in user_service.list_all_users(session)] == [u.id for u in users]


# --- administration ---------------------------------------------------------------------


def test_an_admin_replaces_a_users_roles(session: Session) -> None:
    admin, user = UserFactory(roles=["admin"]), UserFactory(roles=["manager"])

    changed = user_service.update_user(session, admin, user.id, UserChanges(roles=["admin"]))

    assert changed.role_names == ["admin"]


def test_an_admin_renames_a_user(session: Session) -> None:
    admin, user = UserFactory(roles=["admin"]), UserFactory()

    assert user_service.update_user(session, admin, user.id, UserChanges(name="Zed")).name == "Zed"


def test_an_unknown_role_is_a_validation_error(session: Session) -> None:
    admin, user = UserFactory(roles=["admin"]), UserFactory()

    with pytest.raises(ValidationError) as caught:
        user_service.update_user(session, admin, user.id, UserChanges(roles=["owner"]))

    assert caught.value.errors == {"roles": ["Unknown role: owner."]}


def test_deactivation_revokes_every_token_of_the_user(session: Session) -> None:
    admin, user = UserFactory(roles=["admin"]), UserFactory()
    auth_service.issue_tokens(session, user, auth_service.TokenLifetimes())

    user_service.update_user(session, admin, user.id, UserChanges(is_active=False))

    assert user.is_active is False
    assert live_tokens(session, user) == 0


def test_a_non_admin_may_not_edit_themselves_as_an_admin_would(session: Session) -> None:
    manager = UserFactory(roles=["manager"])

    with pytest.raises(PermissionDeniedError):
        user_service.update_user(session, manager, manager.id, UserChanges(roles=["admin"]))


def test_a_non_admin_gets_not_found_when_editing_another_user(session: Session) -> None:
    manager, other = UserFactory(roles=["manager"]), UserFactory()

    with pytest.raises(NotFoundError):
        user_service.update_user(session, manager, other.id, UserChanges(name="x"))


@pytest.mark.parametrize("changes", [UserChanges(is_active=False), UserChanges(roles=["manager"])])
def test_the_last_active_admin_cannot_lose_admin_access(
    session: Session, changes: UserChanges
) -> None:
    admin = UserFactory(roles=["admin"])

    with pytest.raises(ConflictError, match="last active admin"):
        user_service.update_user(session, admin, admin.id, changes)


def test_an_admin_may_step_down_when_another_admin_remains(session: Session) -> None:
    admin = UserFactory(roles=["admin"])
    UserFactory(roles=["admin"])

    changed = user_service.update_user(session, admin, admin.id, UserChanges(roles=[]))

    assert changed.role_names == []


def test_an_edit_against_an_old_version_is_refused(session: Session) -> None:
    admin, user = UserFactory(roles=["admin"]), UserFactory()
    seen = user.version
    user_service.update_user(session, admin, user.id, UserChanges(name="First"))

    with pytest.raises(PreconditionFailedError):
        user_service.update_user(session, admin, user.id, UserChanges(name="Second"), seen)


def test_an_edit_bumps_the_version(session: Session) -> None:
    admin, user = UserFactory(roles=["admin"]), UserFactory()
    before = user.version

    user_service.update_user(session, admin, user.id, UserChanges(name="New"), before)

    assert user.version == before + 1


def test_deleting_a_user_removes_their_tokens_and_role_links(session: Session) -> None:
    admin, user = UserFactory(roles=["admin"]), UserFactory(roles=["manager"])
    auth_service.issue_tokens(session, user, auth_service.TokenLifetimes())
    user_id = user.id

    user_service.delete_user(session, admin, user_id)

    assert session.get(User, user_id) is None
    assert session.scalar(select(func.count()).select_from(Token)) == 0
    links = session.execute(
        text("SELECT count(*) FROM user_roles WHERE user_id = :id"), {"id": user_id}
    )
    assert links.scalar() == 0


def test_the_last_active_admin_cannot_be_deleted(session: Session) -> None:
    admin = UserFactory(roles=["admin"])

    with pytest.raises(ConflictError):
        user_service.delete_user(session, None, admin.id)


def test_a_non_admin_may_not_delete_themselves_as_an_admin_would(session: Session) -> None:
    manager = UserFactory(roles=["manager"])

    with pytest.raises(PermissionDeniedError):
        user_service.delete_user(session, manager, manager.id)


def test_a_non_admin_gets_not_found_when_deleting_another_user(session: Session) -> None:
    manager, other = UserFactory(roles=["manager"]), UserFactory()

    with pytest.raises(NotFoundError):
        user_service.delete_user(session, manager, other.id)
