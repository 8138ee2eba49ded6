import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from reports.registry import reports
from reports.tests.test_reports_all import trade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_opens_every_report_and_sees_a_chart(page, live_server, sign_in):
    manager = UserFactory(username="boss", role=Role.MANAGER)
    trade(manager, products=3, days=45)
    sign_in("boss")
    page.get_by_test_id("main-nav").get_by_role("link", name="Reports").click()
    for report in reports().values():
        page.goto(f"{live_server.url}/reports/")
        page.get_by_test_id("report-list").get_by_role("link", name=str(report.title)).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(str(report.title))
        chart = page.get_by_test_id("report-chart").first
        expect(chart.locator("svg")).to_be_visible()
        box = chart.locator("svg").bounding_box()
        assert box["width"] > 300, report.slug  # drawn across the card, not a stamp


def test_a_manager_narrows_a_report_and_downloads_it(page, live_server, sign_in):
    manager = UserFactory(username="boss", role=Role.MANAGER)
    _items, places = trade(manager, products=2, days=20, shops=2)
    sign_in("boss")
    page.goto(f"{live_server.url}/reports/sales/")
    page.locator("#id_location").select_option(label=places[1].name)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("report-table-locations")).to_contain_text(places[1].name)
    expect(page.get_by_test_id("report-table-locations")).not_to_contain_text(places[0].name)
    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_staff_have_no_reports_in_the_menu(page, live_server, sign_in):
    UserFactory(username="clerk", role=Role.STAFF)
    sign_in("clerk")
    expect(page.get_by_test_id("main-nav").get_by_role("link", name="Reports")).to_have_count(0)
    # asked outside the page, so the refusal is not a console error of the page
    assert page.request.get(f"{live_server.url}/reports/sales/").status == 403
