"""Save PNGs of the dashboard's main pages at laptop and phone sizes into docs/screenshots/.

`make screenshots` runs this: it builds the app over a throw-away SQLite file, fills it with
demo data through the services, serves it on 127.0.0.1 in a thread and drives Debian's
headless Chromium through the pages, signed in as the demo admin and the demo manager.
"""

import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.config import TestingConfig
from app.extensions import db
from app.services import (
    auth_service,
    category_service,
    manager_service,
    product_service,
    stock_service,
    store_service,
)
from app.services.seed_service import DEMO_ACCOUNTS, seed_demo_users
from app.tasks.queue import manager_notifier

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
STORES = [
    ("Main Street", "12 Main Street", "Springfield", "IL", "62701"),
    ("Harbour", "3 Quay Road", "Bayport", "CA", "94000"),
    ("Airport", "Terminal 2", "Riverton", "WY", "82501"),
]
PRODUCTS = [
    ("OAK-SPD", "Oak-handled spade", "24.50", "Garden"),
    ("STL-RAK", "Steel garden rake", "18.00", "Garden"),
    ("LMP-DSK", "Folding desk lamp", "32.99", "Lighting"),
    ("BRS-HOS", "Brass hose connector", "6.75", "Garden"),
    ("CRD-DRL", "Cordless drill 18V", "89.00", "Tools"),
    ("PNT-WHT", "White wall paint 5L", "41.20", "Paint"),
]
QUANTITIES = (3, 40, 12, 0, 7, 25)


def _seed() -> None:
    """Demo accounts, categories, products, stores, stock and a manager, via the services."""
    session = db.session()
    seed_demo_users(session, "development")
    admin = auth_service.sign_in_to_dashboard(
        session, DEMO_ACCOUNTS[0].email, DEMO_ACCOUNTS[0].password
    )
    manager = auth_service.sign_in_to_dashboard(
        session, DEMO_ACCOUNTS[1].email, DEMO_ACCOUNTS[1].password
    )
    categories = {
        name: category_service.create_category(session, admin, name).id
        for name in {product[3] for product in PRODUCTS}
    }
    products = [
        product_service.create_product(
            session,
            admin,
            {"sku": sku, "name": name, "price": Decimal(price), "categories": [categories[cat]]},
        )
        for sku, name, price, cat in PRODUCTS
    ]
    for index, (name, address, city, state, zip_code) in enumerate(STORES):
        fields = {"name": name, "address": address, "city": city, "state": state}
        store = store_service.create_store(session, admin, {**fields, "zip_code": zip_code})
        for product, quantity in zip(
            products, QUANTITIES[index:] + QUANTITIES[:index], strict=True
        ):
            key = stock_service.StockKey(store.id, product.id)
            stock_service.add_stock(session, admin, key, quantity)
        if index < 2:
            manager_service.add_manager(session, admin, store.id, manager.id, manager_notifier)


@contextmanager
def _served(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def _shoot(browser: Browser, url: str, account: int, pages: dict[str, str]) -> None:
    for size_name, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        if account == 0:
            page.goto(f"{url}/sign-in")
            page.screenshot(path=OUT / f"sign-in-{size_name}.png", full_page=True)
        page.goto(f"{url}/sign-in")
        page.get_by_label("Email").fill(DEMO_ACCOUNTS[account].email)
        page.get_by_label("Password").fill(DEMO_ACCOUNTS[account].password)
        page.get_by_role("button", name="Sign in").click()
        for name, path in pages.items():
            page.goto(url + path)
            page.screenshot(path=OUT / f"{name}-{size_name}.png", full_page=True)
        context.close()


def main() -> None:
    """Build, seed, serve and photograph the dashboard."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/demo.db")
        with app.app_context():
            upgrade(revision="heads")
            _seed()
            with _served(app) as url, sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                admin_pages = {
                    "dashboard-admin": "/",
                    "store": "/stores/1",
                    "catalog": "/catalog?q=garden",
                    "users": "/users",
                    "store-form": "/stores/new",
                    "import": "/imports",
                }
                _shoot(browser, url, 0, admin_pages)
                _shoot(browser, url, 1, {"dashboard-manager": "/", "store-manager": "/stores/1"})
                browser.close()
            db.engine.dispose()
    sys.stdout.write(f"screenshots saved in {OUT}\n")


if __name__ == "__main__":
    main()
