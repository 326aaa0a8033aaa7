import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User
from app.services import passwords
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("factories")

PASSWORD = "a long enough passphrase"


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def _user(session: Session, email: str) -> User | None:
    session.expire_all()
    return session.scalars(select(User).where(User.email == email)).first()


def test_create_makes_a_user_with_a_role(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Ann@X.com",
            "--password",
            PASSWORD,
            "--name",
            "Ann",
            "--role",
            "admin",
        ]
    )

    assert result.exit_code == 0, result.output
    assert "Created user" in result.output
    user = _user(session, "ann@x.com")
    assert user is not None
    assert (user.name, user.role_names) == ("Ann", ["admin"])
    assert passwords.verify_password(user.password_hash, PASSWORD)


def test_create_without_password_prompts_twice_and_hides_it(
    runner: FlaskCliRunner, session: Session
) -> None:
    result = runner.invoke(args=["users", "create", "ann@x.com"], input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1
    assert "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output
    assert _user(session, "ann@x.com") is not None


def test_create_refuses_mismatched_prompted_passwords(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "ann@x.com"], input=f"{PASSWORD}\nother\n{PASSWORD}\n{PASSWORD}\n"
    )

    assert "do not match" in result.output


def test_create_refuses_a_duplicate_email_in_another_case(runner: FlaskCliRunner) -> None:
    UserFactory(email="ann@x.com")

    result = runner.invoke(args=["users", "create", "ANN@x.com", "--password", PASSWORD])

    assert result.exit_code == 1
    assert "Error: An account with this email already exists." in result.output
    assert "Traceback" not in result.output


def test_create_refuses_a_weak_password_with_the_reason(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "ann@x.com", "--password", "short"])

    assert result.exit_code == 1
    assert "password: Use between 12 and 128 characters." in result.output


def test_create_refuses_a_bad_email(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "not-an-email", "--password", PASSWORD])

    assert result.exit_code == 1
    assert "email:" in result.output


def test_create_refuses_an_unknown_role(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "a@x.com", "--password", PASSWORD, "--role", "king"]
    )

    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output


def test_list_shows_every_user_with_roles_and_state(runner: FlaskCliRunner) -> None:
    UserFactory(email="ann@x.com", roles=["admin"])
    UserFactory(email="bob@x.com", is_active=False)

    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0
    lines = [line.split("\t")[1:4] for line in result.output.splitlines()]
    assert lines == [["ann@x.com", "admin", "active"], ["bob@x.com", "-", "inactive"]]


def test_set_role_replaces_the_roles(runner: FlaskCliRunner, session: Session) -> None:
    UserFactory(email="ann@x.com", roles=["manager"])

    result = runner.invoke(args=["users", "set-role", "ANN@x.com", "admin"])

    assert result.exit_code == 0, result.output
    user = _user(session, "ann@x.com")
    assert user is not None
    assert user.role_names == ["admin"]


def test_set_role_refuses_an_unknown_role(runner: FlaskCliRunner) -> None:
    UserFactory(email="ann@x.com")

    result = runner.invoke(args=["users", "set-role", "ann@x.com", "king"])

    assert result.exit_code == 2
    assert "'king' is not one of 'admin', 'manager', 'none'" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["users", "set-role", "nobody@x.com", "admin"],
        ["users", "deactivate", "nobody@x.com"],
        ["users", "delete", "nobody@x.com", "--yes"],
    ],
)
def test_commands_refuse_an_unknown_user(runner: FlaskCliRunner, args: list[str]) -> None:
    result = runner.invoke(args=args)

    assert result.exit_code == 1
    assert "Error: No user with email nobody@x.com." in result.output
    assert "Traceback" not in result.output


def test_deactivate_turns_the_user_off(runner: FlaskCliRunner, session: Session) -> None:
    UserFactory(email="ann@x.com")

    result = runner.invoke(args=["users", "deactivate", "ann@x.com"])

    assert result.exit_code == 0, result.output
    user = _user(session, "ann@x.com")
    assert user is not None
    assert user.is_active is False


def test_delete_asks_before_deleting(runner: FlaskCliRunner, session: Session) -> None:
    UserFactory(email="ann@x.com")

    result = runner.invoke(args=["users", "delete", "ann@x.com"], input="n\n")

    assert result.exit_code == 1
    assert "Delete ann@x.com for good?" in result.output
    assert _user(session, "ann@x.com") is not None


def test_delete_deletes_after_confirmation(runner: FlaskCliRunner, session: Session) -> None:
    UserFactory(email="ann@x.com")

    result = runner.invoke(args=["users", "delete", "ann@x.com"], input="y\n")

    assert result.exit_code == 0, result.output
    assert _user(session, "ann@x.com") is None


def test_delete_with_yes_does_not_ask(runner: FlaskCliRunner, session: Session) -> None:
    UserFactory(email="ann@x.com")

    result = runner.invoke(args=["users", "delete", "ann@x.com", "--yes"])

    assert result.exit_code == 0, result.output
    assert "for good?" not in result.output
    assert _user(session, "ann@x.com") is None


def test_the_last_admin_cannot_be_deleted_from_the_command_line(runner: FlaskCliRunner) -> None:
    UserFactory(email="ann@x.com", roles=["admin"])

    result = runner.invoke(args=["users", "delete", "ann@x.com", "--yes"])

    assert result.exit_code == 1
    assert "last active admin" in result.output
