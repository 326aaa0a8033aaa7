"""Fixtures for the browser tests: the app under a real WSGI server, and Debian's Chromium.

The server runs in a thread on 127.0.0.1 (a free port) over a private copy of the migrated
SQLite template, with CSRF switched on as in production. Chromium is launched once per test
session through Playwright; each test gets a fresh browser context (cookies, viewport).
"""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from app.extensions import db
from app.models.store import Store
from app.models.user import User
from tests.conftest import make_test_app
from tests.factories import DEFAULT_PASSWORD, StoreFactory, UserFactory, bind_session

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.e2e


@dataclass
class LiveServer:
    """The app being served, its base URL, and the seeded people and stores."""

    app: Flask
    url: str
    admin: User
    manager: User
    store: Store
    other_store: Store


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (install it with `make browser`)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _seed(app: Flask) -> tuple[User, User, Store, Store]:
    bind_session(db.session())
    admin = UserFactory(email="admin@example.com", name="Ada Admin", roles=["admin"])
    manager = UserFactory(email="manager@example.com", name="Max Manager", roles=["manager"])
    store = StoreFactory(name="Main Street", managers=[manager])
    other_store = StoreFactory(name="Harbour")
    return admin, manager, store, other_store


@pytest.fixture
def live_server(database_uri: str) -> Iterator[LiveServer]:
    """Serve the app on 127.0.0.1 in a thread, with CSRF on and demo people seeded."""
    app = make_test_app(database_uri, WTF_CSRF_ENABLED=True)
    with app.app_context():
        admin, manager, store, other_store = _seed(app)
        server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_port}"
            yield LiveServer(app, url, admin, manager, store, other_store)
        finally:
            server.shutdown()
            thread.join(timeout=5)
            server.server_close()
            bind_session(None)
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A laptop-sized page in a fresh browser context."""
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, server: LiveServer, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in through the form."""
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def overflow(page: Page, url: str) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scroll)."""
    page.goto(url)
    extra: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return extra
