from playwright.sync_api import Page, expect

from seslip.extensions import db  # noqa: F401
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_user


def test_sign_in_and_out_with_keyboard(page: Page, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        user = make_user("ada@example.org", name="Ada Lovelace")
        email = user.email
    page.goto(live_server("/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page, "login")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "login with errors")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Welcome, Ada Lovelace")).to_be_visible()
    assert_accessible(page, "home")
