from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.common.clock import utcnow
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
from app.services import auth_service, passwords, user_service
from app.services.user_service import NewUser, ProfileChanges, UserChanges, UserFilter
from tests.factories import DEFAULT_PASSWORD, UserFactory

GOOD_PASSWORD = "a long enough passphrase"


def _live_tokens(session: Session, user: User) -> int:
    query = (
        select(func.count())
        .select_from(Token)
        .where(Token.user_id == user.id, Token.revoked_at.is_(None))
    )
    return session.scalar(query) or 0


def _sign_up(session: Session, email: str = "ann@example.com", **kwargs: object) -> User:
    return user_service.sign_up(session, NewUser(email, GOOD_PASSWORD, **kwargs), is_enabled=True)


# --- sign-up and creation ---------------------------------------------------------------


def test_sign_up_stores_the_email_trimmed_and_lower_cased(session: Session) -> None:
    user = _sign_up(session, "  Ann@X.com ")

    assert user.email == "ann@x.com"


@pytest.mark.parametrize("again", ["ann@x.com", "ANN@X.COM", " Ann@x.Com  "])
def test_sign_up_refuses_an_email_taken_in_any_letter_case(session: Session, again: str) -> None:
    _sign_up(session, "Ann@X.com ")

    with pytest.raises(ConflictError, match="already exists"):
        _sign_up(session, again)


def test_a_refused_duplicate_leaves_the_session_usable(session: Session) -> None:
    _sign_up(session, "ann@x.com")
    with pytest.raises(ConflictError):
        _sign_up(session, "ANN@x.com")

    assert _sign_up(session, "bob@x.com").id is not None


def test_sign_up_stores_an_argon2id_hash_never_the_password(session: Session) -> None:
    user = _sign_up(session)

    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash
    assert passwords.verify_password(user.password_hash, GOOD_PASSWORD)


def test_sign_up_gives_no_role(session: Session) -> None:
    assert _sign_up(session).role_names == []


def test_sign_up_keeps_the_name(session: Session) -> None:
    assert _sign_up(session, name="Ann Example").name == "Ann Example"


def test_sign_up_is_refused_when_disabled(session: Session) -> None:
    with pytest.raises(PermissionDeniedError, match="disabled"):
        user_service.sign_up(session, NewUser("ann@x.com", GOOD_PASSWORD), is_enabled=False)


@pytest.mark.parametrize("email", ["not-an-email", "ann@", "@x.com", "ann@localhost"])
def test_sign_up_refuses_a_bad_email(session: Session, email: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _sign_up(session, email)

    assert list(caught.value.errors) == ["email"]


def test_sign_up_refuses_a_weak_password(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        user_service.sign_up(session, NewUser("ann@x.com", "short"), is_enabled=True)

    assert caught.value.errors == {"password": ["Use between 12 and 128 characters."]}


def test_sign_up_ignores_roles_asked_for(session: Session) -> None:
    new_user = NewUser("ann@x.com", GOOD_PASSWORD, roles=["admin"])

    user = user_service.sign_up(session, new_user, is_enabled=True)

    assert user.role_names == []


def test_the_command_line_may_create_a_user_with_a_role(session: Session) -> None:
    user = user_service.create_user(
        session, None, NewUser("a@x.com", GOOD_PASSWORD, roles=["admin"])
    )

    assert user.is_admin is True
    assert user.role_names == ["admin"]


def test_a_non_admin_may_not_create_users(session: Session) -> None:
    manager = UserFactory(roles=["manager"])

    with pytest.raises(PermissionDeniedError):
        user_service.create_user(session, manager, NewUser("b@x.com", GOOD_PASSWORD))


def test_creating_a_user_with_an_unknown_role_is_a_validation_error(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        user_service.create_user(session, None, NewUser("a@x.com", GOOD_PASSWORD, roles=["king"]))

    assert caught.value.errors == {"roles": ["Unknown role: king."]}


# --- reading ----------------------------------------------------------------------------


def test_anyone_may_get_themselves(session: Session) -> None:
    user = UserFactory()

    assert user_service.get_user(session, user, user.id) is user


def test_a_non_admin_gets_not_found_for_another_user(session: Session) -> None:
    manager, other = UserFactory(roles=["manager"]), UserFactory()

    with pytest.raises(NotFoundError):
        user_service.get_user(session, manager, other.id)


def test_an_admin_gets_any_user(session: Session) -> None:
    admin, other = UserFactory(roles=["admin"]), UserFactory()

    assert user_service.get_user(session, admin, other.id).id == other.id


def test_an_admin_gets_not_found_for_an_unknown_id(session: Session) -> None:
    admin = UserFactory(roles=["admin"])

    with pytest.raises(NotFoundError):
        user_service.get_user(session, admin, 999)


def test_a_user_is_found_by_email_in_any_letter_case(session: Session) -> None:
    user = UserFactory(email="ann@x.com")

    assert user_service.get_user_by_email(session, " ANN@x.com") is user


def test_an_unknown_email_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError):
        user_service.get_user_by_email(session, "nobody@x.com")


def test_the_profile_is_the_caller(session: Session) -> None:
    user = UserFactory()

    assert user_service.get_profile(user) is user


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
    assert _live_tokens(session, user) == 0


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


# --- own profile ------------------------------------------------------------------------


def test_a_user_renames_themselves(session: Session) -> None:
    user = UserFactory()

    assert (
        user_service.update_profile(session, user, ProfileChanges(name="New"), None).name == "New"
    )


def test_a_password_change_needs_the_current_password(session: Session) -> None:
    user = UserFactory()

    with pytest.raises(ValidationError) as caught:
        user_service.update_profile(session, user, ProfileChanges(password=GOOD_PASSWORD), None)

    assert list(caught.value.errors) == ["current_password"]


def test_a_password_change_with_a_wrong_current_password_is_refused(session: Session) -> None:
    user = UserFactory()
    changes = ProfileChanges(password=GOOD_PASSWORD, current_password="not my password")

    with pytest.raises(ValidationError) as caught:
        user_service.update_profile(session, user, changes, None)

    assert caught.value.errors == {"current_password": ["This is not your current password."]}


def test_a_weak_new_password_is_refused(session: Session) -> None:
    user = UserFactory()
    changes = ProfileChanges(password="short", current_password=DEFAULT_PASSWORD)

    with pytest.raises(ValidationError) as caught:
        user_service.update_profile(session, user, changes, None)

    assert list(caught.value.errors) == ["password"]


def test_a_password_change_revokes_every_other_token_but_keeps_this_one(session: Session) -> None:
    user = UserFactory()
    lifetimes = auth_service.TokenLifetimes()
    mine = auth_service.issue_tokens(session, user, lifetimes)
    auth_service.issue_tokens(session, user, lifetimes)
    my_pair = auth_service.authenticate(session, mine.access_token).pair_id
    changes = ProfileChanges(password=GOOD_PASSWORD, current_password=DEFAULT_PASSWORD)

    user_service.update_profile(session, user, changes, my_pair)

    assert passwords.verify_password(user.password_hash, GOOD_PASSWORD)
    assert _live_tokens(session, user) == 2
    assert auth_service.authenticate(session, mine.access_token).user_id == user.id


def test_tokens_expire_in_the_future_by_their_lifetime(session: Session) -> None:
    user = UserFactory()

    pair = auth_service.issue_tokens(session, user, auth_service.TokenLifetimes(access=60))

    token = auth_service.authenticate(session, pair.access_token)
    assert utcnow() < token.expires_at <= utcnow() + timedelta(seconds=60)
