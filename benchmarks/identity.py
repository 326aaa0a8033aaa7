"""Users and tokens for the identity scenarios, made through the app's own services."""

from flask import Flask

from benchmarks.scenarios.base import BenchContext

EMAIL = "bench{}@example.com"


def create_users(app: Flask, count: int, password: str) -> None:
    """Create `count` users with the user service, as the command line would (no actor)."""
    from app.extensions import db
    from app.services import user_service

    with app.app_context():
        for number in range(count):
            new_user = user_service.NewUser(EMAIL.format(number), password, f"Bench {number}")
            user_service.create_user(db.session(), None, new_user)


def issue_fixtures(app: Flask, password: str) -> dict[str, str]:
    """Sign the first bench user in with the auth service; return what scenarios send.

    Tokens expire, so they are made for each run rather than kept in the seeded file.
    """
    from app.extensions import db
    from app.services import auth_service

    email = EMAIL.format(0)
    with app.app_context():
        pair = auth_service.sign_in(db.session(), email, password, auth_service.TokenLifetimes())
        user = db.session().execute(
            db.text("SELECT password_hash FROM users WHERE email = :email"), {"email": email}
        )
        password_hash = user.scalar_one()
        db.session.remove()
        db.engine.dispose()
    return {
        "email": email,
        "password": password,
        "password_hash": password_hash,
        "access_token": pair.access_token,
    }


def bearer(ctx: BenchContext) -> dict[str, str]:
    """The Authorization header of the signed-in bench user."""
    return {"Authorization": f"Bearer {ctx.fixtures['access_token']}"}
