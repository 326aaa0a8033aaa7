"""A forgotten password in headless Chromium: ask, read the mail, open the link, sign in."""

import re
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.conftest import LAPTOP, PHONE, LiveServer, overflow, sign_in

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"\S+/password-reset\?token=\S+")


def _reset_link(live_server: LiveServer) -> str:
    outbox: list[EmailMessage] = live_server.app.extensions["mail"].outbox
    assert [message["To"] for message in outbox] == ["Max Manager <manager@example.com>"]
    plain = outbox[0].get_body(preferencelist=("plain",))
    assert plain is not None
    match = LINK.search(plain.get_content())
    assert match is not None
    return match.group(0)


def test_a_manager_resets_a_forgotten_password_from_the_mail_and_signs_in_with_it(
    page: Page, live_server: LiveServer
) -> None:
    live_server.app.config["PUBLIC_BASE_URL"] = live_server.url  # the mail links to this server
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("manager@example.com")
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    link = _reset_link(live_server)
    token = link.split("token=", 1)[1]
    requests: list[Request] = []

    def record(request: Request) -> None:
        requests.append(request)

    page.on("request", record)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()

    expect(page.get_by_role("status")).to_contain_text("Your password was changed; sign in")
    assert page.url == f"{live_server.url}/sign-in"
    assert [request.url for request in requests if token in request.url] == [link]
    assert [r.url for r in requests if token in (r.headers.get("referer") or "")] == []
    sign_in(page, live_server, "manager@example.com", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="My stores")).to_be_visible()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_reset_and_profile_pages_have_no_horizontal_scroll(
    browser: Browser, live_server: LiveServer, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    widths = {
        path: overflow(page, live_server.url + path)
        for path in ["/password-reset/request", "/password-reset?token=x" + "A" * 43]
    }
    sign_in(page, live_server, "manager@example.com")
    widths["/profile"] = overflow(page, f"{live_server.url}/profile")
    context.close()

    assert {path: extra for path, extra in widths.items() if extra > 0} == {}
