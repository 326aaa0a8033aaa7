"""Stockroom: the application factory, the only place an app is built."""

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from app import api, cli, extensions, mail, web
from app.api import errors as api_errors
from app.api.openapi import make_application
from app.config import (
    BaseConfig,
    ConfigError,
    check_required_settings,
    get_config,
    load_env_settings,
)
from app.http import (
    json_logging,
    method_override,
    metrics,
    request_id,
    security_headers,
    sessions,
)
from app.http.json_provider import OrjsonProvider
from app.http.plumbing import plumbing
from app.tasks.celery_app import celery_init_app

__version__ = "0.1.0"


def create_app(config: type[BaseConfig] | None = None, **overrides: Any) -> Flask:
    """Build and configure a Stockroom app.

    Args:
        config: the config class; default: the one STOCKROOM_ENV names (development).
        **overrides: settings applied last (tests pass their database URL this way).

    Raises:
        SystemExit: with a one-line message when a setting is missing or unsafe.
    """
    app = make_application(__name__, __version__)
    try:
        _load_config(app, config, overrides)
    except ConfigError as error:
        raise SystemExit(f"stockroom: configuration error: {error}") from None
    app.json = OrjsonProvider(app)
    _init_extensions(app)
    _init_http(app)
    api.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app


def _load_config(app: Flask, config: type[BaseConfig] | None, overrides: dict[str, Any]) -> None:
    config_class = config or get_config()
    app.config.from_object(config_class)
    app.config["STOCKROOM_ENV"] = config_class.ENV_NAME
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(load_env_settings())
    app.config.update(overrides)
    _fill_instance_defaults(app)
    _fit_engine_options(app)
    check_required_settings(dict(app.config))


def _fill_instance_defaults(app: Flask) -> None:
    """Point the embedded defaults (SQLite, broker, outbox) at files under instance/.

    Production gets only the outbox default: its database and broker must be named.
    """
    instance = Path(app.instance_path)
    if not app.config.get("MAIL_OUTBOX_DIR"):
        # Everywhere, production too: file mail there is flagged by deploy-check (S010), but
        # must not land in a directory named "None" (the outbox is made on first use).
        app.config["MAIL_OUTBOX_DIR"] = str(instance / "outbox")
    if app.config["STOCKROOM_ENV"] == "production":
        return
    instance.mkdir(parents=True, exist_ok=True)
    defaults = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'stockroom.db'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{instance / 'celery-broker.sqlite'}",
        "CELERY_RESULT_BACKEND": f"db+sqlite:///{instance / 'celery-results.sqlite'}",
    }
    for key, value in defaults.items():
        if not app.config.get(key):
            app.config[key] = value


def _fit_engine_options(app: Flask) -> None:
    """Adjust SQLALCHEMY_ENGINE_OPTIONS to the database the URL names (on a copy).

    SQLite: no `pool_pre_ping`. It is there for PostgreSQL restarts (DESIGN: no failed
    request after the database is back); a SQLite file never drops a connection, so the
    ping would only cost one more statement per request.

    PostgreSQL: libpq's `connect_timeout` is DATABASE_CONNECT_TIMEOUT, unless the options
    (instance/config.py) set one. Without it a server that accepts the connection but
    never answers (a hung database, a half-open proxy) holds the request, and its worker,
    until gunicorn kills it, and readiness never answers; with it the request fails as
    for a stopped database: 503 problem+json, and readiness says so.
    """
    url = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        options.pop("pool_pre_ping", None)
    elif url.startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", int(app.config["DATABASE_CONNECT_TIMEOUT"]))
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _init_extensions(app: Flask) -> None:
    extensions.init_db(app)
    extensions.enable_sqlite_pragmas()
    extensions.migrate.init_app(app, extensions.db, directory=_migrations_dir())
    extensions.limiter.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.csrf.init_app(app)
    mail.init_app(app)
    celery_init_app(app)
    if app.config["CORS_ORIGINS"]:
        CORS(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}})


def _migrations_dir() -> str:
    return os.path.join(Path(__file__).resolve().parent.parent, "migrations")


def _init_http(app: Flask) -> None:
    request_id.init_app(app)
    json_logging.init_app(app)
    security_headers.init_app(app)
    metrics.init_app(app)
    sessions.init_app(app)
    api_errors.init_app(app)
    method_override.init_app(app)
    # How long access lines and metric counts may wait to be written (app/http/answers.py).
    plumbing(app).answers.wait_seconds = float(app.config.get("ACCESS_LOG_FLUSH_SECONDS") or 0)
    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
