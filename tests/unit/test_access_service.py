"""access: the API caller and the admin-only rule, for callers and ORM users alike."""

import pytest
from sqlalchemy.orm import Session

from app.common.errors import PermissionDeniedError
from app.services.access import Actor, Caller, require_admin
from tests.factories import UserFactory


def _caller(*roles: str) -> Caller:
    return Caller(id=7, token_id=3, pair_id="p", roles=frozenset(roles))


def test_a_caller_is_the_user_its_token_belongs_to() -> None:
    caller = _caller()

    assert (caller.id, caller.user_id, caller.token_id, caller.pair_id) == (7, 7, 3, "p")


@pytest.mark.parametrize(
    ("roles", "is_admin", "is_manager"),
    [((), False, False), (("manager",), False, True), (("admin", "manager"), True, True)],
)
def test_a_caller_answers_for_its_roles(
    roles: tuple[str, ...], is_admin: bool, is_manager: bool
) -> None:
    caller = _caller(*roles)

    assert (caller.is_admin, caller.has_role("manager")) == (is_admin, is_manager)


def test_a_caller_cannot_be_changed() -> None:
    caller = _caller()

    with pytest.raises(AttributeError):
        caller.id = 8  # type: ignore[misc]


def test_only_an_admin_caller_passes_the_admin_rule() -> None:
    require_admin(_caller("admin"), "do it")

    with pytest.raises(PermissionDeniedError, match=r"Only an admin may do it\."):
        require_admin(_caller("manager"), "do it")


@pytest.mark.parametrize("roles", [["admin"], ["manager"]])
def test_a_user_and_a_caller_with_the_same_roles_answer_alike(
    session: Session, roles: list[str]
) -> None:
    user = UserFactory(roles=roles)
    actors: list[Actor] = [
        user,
        Caller(id=user.id, token_id=1, pair_id="p", roles=frozenset(roles)),
    ]

    answers = {(actor.id, actor.is_admin, actor.has_role("manager")) for actor in actors}

    assert len(answers) == 1
