"""`flask users ...`: create, list, change roles, deactivate and delete accounts."""

import click
from flask.cli import AppGroup

from app.common.errors import StockroomError
from app.extensions import db
from app.models.role import ROLE_NAMES
from app.services import user_service

users = AppGroup("users", help="Manage user accounts.")


def _fail(error: StockroomError) -> click.ClickException:
    """Turn a service's refusal into a one-line message and exit status 1."""
    details = [f"{field}: {'; '.join(messages)}" for field, messages in _field_errors(error)]
    return click.ClickException(" ".join([error.detail, *details]))


def _field_errors(error: StockroomError) -> list[tuple[str, list[str]]]:
    return list(getattr(error, "errors", {}).items())


@users.command("create")
@click.argument("email")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for twice, hidden, when not given.",
)
@click.option("--name", default=None, help="Display name.")
@click.option("--role", type=click.Choice(ROLE_NAMES), default=None, help="A role to hold.")
def create_user(email: str, password: str, name: str | None, role: str | None) -> None:
    """Create an account."""
    new_user = user_service.NewUser(email, password, name, [role] if role else [])
    try:
        user = user_service.create_user(db.session(), None, new_user)
    except StockroomError as error:
        raise _fail(error) from None
    click.echo(f"Created user {user.id} {user.email} roles: {', '.join(user.role_names) or '-'}")


@users.command("list")
def list_users() -> None:
    """List every account."""
    for user in user_service.list_all_users(db.session()):
        state = "active" if user.is_active else "inactive"
        roles = ",".join(user.role_names) or "-"
        click.echo(f"{user.id}\t{user.email}\t{roles}\t{state}\t{user.name or ''}")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([*ROLE_NAMES, "none"]))
def set_role(email: str, role: str) -> None:
    """Give an account exactly this role (`none` removes every role)."""
    changes = user_service.UserChanges(roles=[] if role == "none" else [role])
    try:
        user = user_service.get_user_by_email(db.session(), email)
        user_service.update_user(db.session(), None, user.id, changes)
    except StockroomError as error:
        raise _fail(error) from None
    click.echo(f"{user.email} now has role: {role}")


@users.command("deactivate")
@click.argument("email")
def deactivate_user(email: str) -> None:
    """Deactivate an account; its tokens stop working at once."""
    try:
        user = user_service.get_user_by_email(db.session(), email)
        user_service.update_user(
            db.session(), None, user.id, user_service.UserChanges(is_active=False)
        )
    except StockroomError as error:
        raise _fail(error) from None
    click.echo(f"Deactivated {user.email}")


@users.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_user(email: str, *, yes: bool) -> None:
    """Delete an account with its tokens."""
    try:
        user = user_service.get_user_by_email(db.session(), email)
        if not yes:
            click.confirm(f"Delete {user.email} for good?", abort=True)
        user_service.delete_user(db.session(), None, user.id)
    except StockroomError as error:
        raise _fail(error) from None
    click.echo(f"Deleted {email.strip().lower()}")
