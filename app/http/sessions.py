"""Flask's signed-cookie sessions, with the signing serializer built once, not per request.

Flask builds a new `URLSafeTimedSerializer` in every `open_session` and `save_session`,
and parses the cookies even when there are none; with SECRET_KEY set that was about
a sixth of the cost of `GET /api/health` (see docs/performance.md). The serializer holds
no state between calls, so one per key set is kept and reused; cookies, salts and
signatures are exactly Flask's.
"""

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's default session interface, reusing the serializer while the keys are the same."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the serializer for the app's current SECRET_KEY and fallbacks."""
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers[keys] = serializer
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Open the session; with no Cookie header at all, an empty one without parsing."""
        # Flask's serializer is None exactly when there is no secret key: ask for the key.
        if "HTTP_COOKIE" not in request.environ and app.secret_key:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Save as Flask does; an empty, unmodified session needs nothing (as in Flask)."""
        if not session and not session.modified:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Use the caching session interface."""
    app.session_interface = CachedSerializerSessionInterface()
