"""The dashboard in headless Chromium: sign-in, stock edits, store admin, CSRF, small screens."""

from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from app.services import auth_service
from tests.e2e.conftest import LAPTOP, PHONE, LiveServer, overflow, sign_in
from tests.factories import ProductFactory, StockItemFactory

pytestmark = pytest.mark.e2e


def test_signing_in_with_the_right_password_shows_my_stores(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "manager@example.com")

    expect(page.get_by_role("heading", name="My stores")).to_be_visible()
    expect(page.get_by_role("link", name="Main Street")).to_be_visible()
    expect(page.get_by_role("link", name="Harbour")).to_have_count(0)


def test_signing_in_with_a_wrong_password_says_so_and_keeps_the_email(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "manager@example.com", "not the password")

    expect(page.get_by_role("alert")).to_have_text("The email or password is not correct.")
    expect(page.get_by_label("Email")).to_have_value("manager@example.com")


def test_a_manager_edits_stock_without_a_reload_and_the_api_sees_it(
    page: Page, live_server: LiveServer
) -> None:
    item = StockItemFactory(store=live_server.store, product=ProductFactory(name="Oak spade"))
    sign_in(page, live_server, "manager@example.com")
    page.goto(f"{live_server.url}/stores/{live_server.store.id}")
    quantity = page.get_by_label("Quantity of Oak spade")

    page.get_by_role("button", name="One more Oak spade").click()
    expect(quantity).to_have_value("11")
    quantity.fill("42")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").last).to_contain_text("now 42")
    page.reload()

    expect(page.get_by_label("Quantity of Oak spade")).to_have_value("42")
    pair = auth_service.issue_tokens(
        db.session(), live_server.manager, auth_service.TokenLifetimes()
    )
    answer = page.request.get(
        f"{live_server.url}/api/stores/{item.store_id}/stock/{item.product_id}",
        headers={"Authorization": f"Bearer {pair.access_token}"},
    )
    assert answer.json()["data"]["quantity"] == 42


def test_a_manager_cannot_edit_another_store(page: Page, live_server: LiveServer) -> None:
    item = StockItemFactory(store=live_server.other_store, quantity=5)
    sign_in(page, live_server, "manager@example.com")
    page.goto(f"{live_server.url}/stores/{live_server.other_store.id}")
    expect(page.locator("[data-stock-form]")).to_have_count(0)

    status = page.evaluate(
        """async (url) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const body = new URLSearchParams({delta: "1"});
            const response = await fetch(url, {method: "POST", body,
                headers: {"X-CSRFToken": token, "Accept": "application/json"}});
            return response.status;
        }""",
        f"/stores/{item.store_id}/stock/{item.product_id}",
    )
    page.goto(f"{live_server.url}/stores/{live_server.other_store.id}/edit")

    assert status == 403
    expect(page.get_by_role("heading", name="You may not do that")).to_be_visible()


def test_an_admin_creates_a_store_and_assigns_a_manager_who_is_emailed(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "admin@example.com")
    page.get_by_role("link", name="New store").first.click()
    for label, value in [
        ("Name", "Dockside"),
        ("Address", "1 Pier Road"),
        ("City", "Bayport"),
        ("State", "CA"),
        ("ZIP code", "94000"),
    ]:
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Create store").click()
    expect(page.get_by_role("heading", name="Dockside")).to_be_visible()

    page.get_by_label("New manager").select_option(label="Max Manager (manager@example.com)")
    page.get_by_role("button", name="Assign manager").click()

    expect(page.get_by_text("now manages this store")).to_be_visible()
    outbox: list[EmailMessage] = live_server.app.extensions["mail"].outbox
    assert ["manager@example.com" in message["To"] for message in outbox] == [True]
    assert "Dockside" in str(outbox[0]["Subject"]) + outbox[0].get_body().get_content()


def test_a_form_posted_without_its_csrf_token_is_refused(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server.url}/stores/new")
    page.get_by_label("Name").fill("No token")
    page.locator('main form input[name="csrf_token"]').evaluate("input => input.remove()")

    page.locator("main form").get_by_role("button", name="Create store").click()

    expect(page.get_by_text("The CSRF token is missing.")).to_be_visible()
    expect(page.locator(".status-code")).to_have_text("400")


def test_an_admin_imports_a_csv_and_sees_the_finished_progress_bar(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "admin@example.com")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "products.csv",
                "mimeType": "text/csv",
                "buffer": b"sku,name,price\nOAK-1,Oak spade,24.50\nRAK-1,Steel rake,18.00\n",
            }
        ]
    )
    page.get_by_role("button", name="Start import").click()

    expect(page.locator("#job-status")).to_have_text("succeeded")
    expect(page.locator("#job-progress")).to_have_attribute("value", "2")
    page.get_by_role("link", name="Catalog").click()
    expect(page.get_by_text("Steel rake")).to_be_visible()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_main_pages_have_no_horizontal_scroll(
    browser: Browser, live_server: LiveServer, viewport: dict[str, int]
) -> None:
    StockItemFactory(store=live_server.store, product=ProductFactory(name="A" * 40))
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    paths = [
        "/",
        f"/stores/{live_server.store.id}",
        f"/stores/{live_server.store.id}/edit",
        "/catalog",
        "/users",
        "/users/new",
        "/catalog/new",
        "/imports",
        "/no-such-page",
    ]
    widths = {"/sign-in": overflow(page, f"{live_server.url}/sign-in")}
    sign_in(page, live_server, "admin@example.com")
    widths |= {path: overflow(page, live_server.url + path) for path in paths}
    context.close()

    assert {path: extra for path, extra in widths.items() if extra > 0} == {}
