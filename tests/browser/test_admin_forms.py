"""Admin change forms on a 390 px phone, in a real browser (#18, item 5): a failed save opens
with its error summary focused, each entry jumps to its field, and checkboxes are 24 px
targets. Screenshots go to tests/screenshots/ (git-ignored)."""

import datetime

import pytest

from tests.browser.conftest import PHONE, admin_visit
from tests.factories import ChargeFactory

pytestmark = pytest.mark.browser

DECISION_ADD = "/admin/hearings/decision/add/"


@pytest.fixture
def phone(request, browser, live_server, transactional_db):
    context, visit = admin_visit(browser, live_server, request, PHONE, "390px", DECISION_ADD)
    yield visit
    context.close()


def submit_a_decision_with_a_negative_term(page):
    ChargeFactory(date_filed=datetime.date(2024, 4, 10))
    page.reload()
    page.fill("input[name=prison_months]", "-3")
    with page.expect_navigation():
        page.click("input[name=_save]")


def test_a_failed_save_focuses_the_error_summary(phone):
    submit_a_decision_with_a_negative_term(phone.page)

    assert phone.page.evaluate("document.activeElement.id") == "error-summary"
    phone.screenshot("error-summary")


def test_an_entry_of_the_summary_takes_the_monitor_to_its_field(phone):
    page = phone.page
    submit_a_decision_with_a_negative_term(page)

    page.click("#error-summary a[href='#id_prison_months']")

    assert page.evaluate("document.activeElement.id") == "id_prison_months"


def test_checkboxes_are_24_px_targets_on_a_phone(phone):
    box = phone.page.locator("input[type=checkbox][name=in_absentia]").bounding_box()

    assert box["width"] >= 24 and box["height"] >= 24
    assert phone.errors == []
