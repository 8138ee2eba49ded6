import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each role's navigation shows, in order; the rest must be absent.
# (API and Django admin sit in the user menu.)
SELLING = ["Counter", "Sales", "Purchasing", "Customers"]
NAVIGATION = {
    Role.STAFF: ["Dashboard", "Products", "Stock", *SELLING, "Suppliers"],
    Role.MANAGER: ["Dashboard", "Products", "Stock", *SELLING, "Reports", "Suppliers"],
    Role.ADMIN: ["Dashboard", "Products", "Stock", *SELLING, "Reports", "Suppliers", "Users"],
}


@pytest.mark.parametrize("role", list(NAVIGATION), ids=str)
def test_each_role_signs_in_and_sees_its_navigation(page, live_server, sign_in, role):
    UserFactory(username=f"{role.value.lower()}1", role=role)
    sign_in(f"{role.value.lower()}1")

    expect(page).to_have_url(f"{live_server.url}/")
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link")).to_have_text(NAVIGATION[role])
    expect(page.get_by_test_id("role-badge")).to_have_text(str(role.label))
    manager_cards = page.get_by_test_id("manager-cards")
    if role == Role.STAFF:
        expect(manager_cards).to_have_count(0)
    else:
        expect(manager_cards).to_be_visible()


def test_a_wrong_password_shows_an_error_and_stays_signed_out(page, live_server, sign_in):
    UserFactory(username="kasir", role=Role.STAFF)
    sign_in("kasir", "not-the-password")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    expect(page.get_by_test_id("main-nav")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_sign_out_returns_to_the_sign_in_page(page, live_server, sign_in):
    UserFactory(username="kasir", role=Role.STAFF)
    sign_in("kasir")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_on_a_phone_the_navigation_folds_behind_a_menu_button(page, live_server, sign_in):
    page.set_viewport_size({"width": 390, "height": 844})
    UserFactory(username="boss", role=Role.ADMIN)
    sign_in("boss")
    users_link = page.get_by_test_id("main-nav").get_by_role("link", name="Users")
    expect(users_link).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    # Bootstrap marks the menu "show" once it has finished unfolding.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    expect(users_link).to_be_visible()
    users_link.click()
    expect(page).to_have_url(re.compile(r"/accounts/users/$"))
    expect(page.get_by_role("heading", name="Users")).to_be_visible()


def test_admin_pages_and_api_docs_load_without_console_or_csp_errors(page, live_server, sign_in):
    UserFactory(username="boss", role=Role.ADMIN)
    sign_in("boss")
    page.goto(f"{live_server.url}/accounts/users/")
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Inventory API")
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_contain_text("Inventory administration")


def test_switching_to_bahasa_indonesia_translates_the_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Language").select_option("id")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Bahasa").select_option("en")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
