"""Failed saves in a real browser at 390 px (#18, item 5): "Log a hearing" opens with its
error summary focused and a link moves the focus to the field, even inside a person's folded
section; on a change form, a link to an autocomplete field lands on the select2 box a monitor
types in. Checkboxes on the case page and a change list are 24 px targets."""

import pytest

from core import roles
from tests.browser.conftest import PHONE, log_in, open_visit
from tests.factories import CaseDefendantFactory, CaseFactory, ChargeFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(request, browser, live_server, transactional_db):
    context, visit = open_visit(browser, live_server, request, PHONE, "390px")
    # The admin's pages link no icon, so the browser asks for /favicon.ico (a 404) by itself.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    visit.user = UserFactory(role=roles.EDITOR)
    yield visit
    context.close()


def sign_in(visit, path):
    log_in(visit, visit.user, path)


def focused_id(page):
    return page.evaluate("document.activeElement.id")


@pytest.fixture
def failed_log(phone):
    """ "Log a hearing" saved without a court and with a negative prison term."""
    charge = ChargeFactory()
    sign_in(phone, f"/admin/cases/case/{charge.case_id}/log-hearing/")
    page = phone.page
    page.select_option("select[name=court]", "")
    page.locator("details.person > summary").first.click()
    prefix = f"d{charge.defendant_id}"
    page.select_option(f"select[name={prefix}-decision_kind]", index=1)
    page.fill(f"input[name={prefix}-prison_months]", "-3")
    with page.expect_navigation():
        page.click("input[type=submit]")
    return phone, f"id_{prefix}-prison_months"


def test_a_failed_log_focuses_the_error_summary(failed_log):
    phone, _field = failed_log

    assert focused_id(phone.page) == "error-summary"
    phone.screenshot("log-hearing-errors")


def test_a_link_of_the_log_s_summary_moves_the_focus_to_the_field(failed_log):
    phone, field = failed_log

    phone.page.click(f"#error-summary a[href='#{field}']")

    assert focused_id(phone.page) == field
    assert phone.errors == []


def test_a_link_to_an_autocomplete_field_lands_on_its_select2_box(phone):
    sign_in(phone, "/admin/hearings/decision/add/")
    with phone.page.expect_navigation():
        phone.page.click("input[name=_save]")

    phone.page.click("#error-summary a[href='#id_defendant']")

    box = phone.page.evaluate(
        "(() => { const el = document.activeElement;"
        " const container = el.closest('.select2-container');"
        " return [el.classList.contains('select2-selection'),"
        " container && container.previousElementSibling.id]; })()"
    )
    assert box == [True, "id_defendant"]


def assert_24_px(locator):
    assert locator.count() > 0
    for index in range(locator.count()):
        box = locator.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


def test_checkboxes_on_the_case_page_are_24_px_targets(phone):
    case = CaseFactory()
    CaseDefendantFactory(case=case)
    sign_in(phone, f"/admin/cases/case/{case.pk}/change/")

    assert_24_px(phone.page.locator("input[type=checkbox]:visible"))


def test_checkboxes_of_a_change_list_are_24_px_targets(phone):
    CaseFactory.create_batch(2)
    sign_in(phone, "/admin/cases/case/")

    assert_24_px(phone.page.locator("#result_list input[type=checkbox]"))
    assert phone.errors == []


def test_small_links_of_a_form_are_24_px_targets(phone):
    sign_in(phone, "/admin/hearings/decision/add/")

    assert_24_px(phone.page.locator(".datetimeshortcuts a:visible"))
    assert_24_px(phone.page.locator(".related-widget-wrapper-link:visible"))
    assert_24_px(phone.page.locator(".language-switch button"))


def test_the_header_s_switch_turns_the_admin_khmer_in_the_site_s_khmer_font(phone):
    sign_in(phone, "/admin/")
    page = phone.page

    with page.expect_navigation():
        page.click(".language-switch button[value=km]")
    page.evaluate("document.fonts.ready")

    assert page.evaluate("document.documentElement.lang") == "km"
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ខ្មែរ')")
    phone.screenshot("khmer-dashboard")
    assert phone.errors == []
