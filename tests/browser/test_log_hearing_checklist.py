"""A monitor records a full fair-trial checklist for a hearing on a 390 px phone (#16), in a
real browser: quick tap answers in collapsed stages, a note, a reload that restores the draft,
and the answers in the database after the save. Screenshots go to the test's tmp dir and to
tests/screenshots/."""

import datetime
import shutil

import pytest
from django.utils import timezone

from core import roles
from core.visibility import Visibility
from fairtrial.models import Answer, ChecklistVersion, Finding, Stage
from hearings.models import Hearing
from tests.browser.conftest import PHONE, SCREENSHOTS, log_in, open_visit
from tests.factories import (
    AnswerFactory,
    CaseDefendantFactory,
    CaseFactory,
    HearingFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

NOTE = "The lawyer met the accused only in the courtroom."
FINDINGS = [value for value, _label in Finding.choices]


@pytest.fixture
def phone(request, browser, live_server, transactional_db):
    context, visit = open_visit(browser, live_server, request, PHONE, "390px")
    # The admin's pages link no icon, so the browser asks for /favicon.ico (a 404) by itself.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    yield visit
    context.close()


@pytest.fixture
def shots(tmp_path):
    """Saves a full-page screenshot under the test's tmp dir (and a copy in
    tests/screenshots/, git-ignored, to look at after the run)."""

    def shoot(visit, label, full_page=True):
        path = tmp_path / f"{visit.name}-{label}.png"
        visit.page.screenshot(path=str(path), full_page=full_page)
        shutil.copy(path, SCREENSHOTS / path.name)
        return path

    return shoot


def no_horizontal_scroll(visit):
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


def answer_stage(visit, stage_items, person):
    """Opens a stage and taps a finding for each of its items, one of each in turn."""
    summary = visit.page.locator("details.checklist-stage > summary").nth(stage_items[0])
    summary.click()
    for index, item in stage_items[1]:
        finding = FINDINGS[index % len(FINDINGS)]
        name = f"a{person.pk}-{item.pk}-finding"
        visit.page.locator(f"label.tap:has(input[name='{name}'][value='{finding}'])").click()
        assert visit.page.locator(f"input[name='{name}'][value='{finding}']").is_checked()


def test_a_monitor_records_a_full_checklist_on_a_phone(phone, shots):
    monitor = UserFactory(role=roles.MONITOR)
    case = CaseFactory(visibility=Visibility.PUBLIC)
    person = CaseDefendantFactory(case=case).defendant
    items = list(ChecklistVersion.current().items.order_by("position", "id"))
    numbered = list(enumerate(items))
    stages = [
        (position, [(i, item) for i, item in numbered if item.stage == value])
        for position, value in enumerate(v for v, _label in Stage.choices)
    ]
    path = f"/admin/cases/case/{case.pk}/log-hearing/"
    log_in(phone, monitor, path)
    page = phone.page

    # Every stage starts collapsed and counts nothing answered.
    assert page.locator("details.checklist-stage[open]").count() == 0
    assert page.locator("details.checklist-stage").count() == len(stages)
    no_horizontal_scroll(phone)
    shots(phone, "1-opened")

    # The big tap answers: no 13 px radio to aim at.
    page.locator("details.checklist-stage > summary").first.click()
    box = page.locator("label.tap").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44

    page.fill("input[name=date]", (timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.select_option("select[name=kind]", index=1)
    page.check("input[name=cite-own_observation]")
    page.fill("input[name=cite-observed_at]", "Phnom Penh Municipal Court")
    page.locator("details.checklist-stage > summary").first.click()  # closed again

    # Half the checklist, and a note, then the connection drops: the page is reloaded.
    for stage in stages[:2]:
        answer_stage(phone, stage, person)
    first = items[0]
    page.fill(f"textarea[name='a{person.pk}-{first.pk}-note']", NOTE)
    page.wait_for_timeout(600)  # the draft is saved 0.3 s after the last keystroke
    no_horizontal_scroll(phone)
    shots(phone, "2-half-answered")
    page.locator("details.checklist-stage").first.scroll_into_view_if_needed()
    shots(phone, "2-half-answered-screen", full_page=False)
    page.reload()

    notice = page.locator(".draft-notice")
    assert notice.is_visible()
    assert notice.inner_text().startswith("Draft restored from")
    answered_so_far = len(stages[0][1]) + len(stages[1][1])
    assert page.locator(".checklist-answer input[type=radio]:checked").count() == answered_so_far
    assert page.input_value(f"textarea[name='a{person.pk}-{first.pk}-note']") == NOTE
    assert page.input_value("input[name=cite-observed_at]") == "Phnom Penh Municipal Court"
    assert "csrfmiddlewaretoken" not in page.evaluate(
        f"localStorage.getItem('log-hearing-draft-{monitor.pk}-{case.pk}')"
    )
    first_count = page.locator(".answered-count").first.inner_text()
    assert first_count == f"{len(stages[0][1])} of {len(stages[0][1])} answered"
    shots(phone, "3-draft-restored")
    notice.scroll_into_view_if_needed()
    shots(phone, "3-draft-restored-screen", full_page=False)

    for stage in stages[2:]:
        if stage[1]:
            answer_stage(phone, stage, person)
    no_horizontal_scroll(phone)
    shots(phone, "4-all-answered")

    with page.expect_navigation():
        page.click("input[type=submit]")

    assert page.url.endswith(f"/admin/cases/case/{case.pk}/change/"), page.url
    assert page.locator(".messagelist .success").is_visible()
    draft = page.evaluate(f"localStorage.getItem('log-hearing-draft-{monitor.pk}-{case.pk}')")
    assert draft is None
    shots(phone, "5-saved")
    hearing = Hearing.objects.get(case=case)
    saved = {a.item_id: a.finding for a in Answer.objects.filter(hearing=hearing)}
    assert saved == {item.pk: FINDINGS[i % len(FINDINGS)] for i, item in numbered}
    assert Answer.objects.get(hearing=hearing, item=first).note == NOTE
    assert phone.errors == []


def test_the_hearings_checklist_in_the_admin_fits_a_phone(phone, shots):
    monitor = UserFactory(role=roles.MONITOR)
    hearing = HearingFactory(visibility=Visibility.MONITORS)
    AnswerFactory(
        hearing=hearing,
        item=ChecklistVersion.current().items.first(),
        visibility=Visibility.MONITORS,
        note=NOTE,
    )
    path = f"/admin/hearings/hearing/{hearing.pk}/change/"
    log_in(phone, monitor, path)
    page = phone.page

    page.locator(".fair-trial-checklist summary").click()
    radio_label = page.locator(".fair-trial-checklist td.field-finding label").first
    radio_label.scroll_into_view_if_needed()
    box = radio_label.bounding_box()
    assert box["height"] >= 44
    no_horizontal_scroll(phone)
    shots(phone, "hearing-admin")
    page.locator(".fair-trial-checklist td.field-finding").first.scroll_into_view_if_needed()
    shots(phone, "hearing-admin-screen", full_page=False)
    assert phone.errors == []


def test_a_discarded_draft_is_gone(phone):
    monitor = UserFactory(role=roles.MONITOR)
    case = CaseFactory(visibility=Visibility.PUBLIC)
    CaseDefendantFactory(case=case)
    path = f"/admin/cases/case/{case.pk}/log-hearing/"
    log_in(phone, monitor, path)
    page = phone.page
    page.fill("textarea[name=outcome]", "Adjourned.")
    page.wait_for_timeout(600)
    page.reload()
    assert page.input_value("textarea[name=outcome]") == "Adjourned."

    page.click(".draft-notice button")

    assert not page.locator(".draft-notice").is_visible()
    assert page.input_value("textarea[name=outcome]") == ""
    draft = page.evaluate(f"localStorage.getItem('log-hearing-draft-{monitor.pk}-{case.pk}')")
    assert draft is None


def test_a_draft_older_than_a_week_is_not_restored(phone):
    monitor = UserFactory(role=roles.MONITOR)
    case = CaseFactory(visibility=Visibility.PUBLIC)
    path = f"/admin/cases/case/{case.pk}/log-hearing/"
    log_in(phone, monitor, path)
    key = f"log-hearing-draft-{monitor.pk}-{case.pk}"
    eight_days_ago = "Date.now() - 8 * 24 * 60 * 60 * 1000"
    phone.page.evaluate(
        f"localStorage.setItem('{key}', JSON.stringify("
        f"{{savedAt: {eight_days_ago}, values: {{outcome: ['Adjourned.']}}}}))"
    )

    phone.page.reload()

    assert not phone.page.locator(".draft-notice").is_visible()
    assert phone.page.input_value("textarea[name=outcome]") == ""
    assert phone.page.evaluate(f"localStorage.getItem('{key}')") is None


def test_signing_out_deletes_this_devices_drafts(phone):
    # A courtroom phone may be shared: what a monitor typed but did not save must not stay
    # readable in the browser after they sign out (another account's draft included).
    monitor = UserFactory(role=roles.MONITOR)
    case = CaseFactory(visibility=Visibility.PUBLIC)
    path = f"/admin/cases/case/{case.pk}/log-hearing/"
    log_in(phone, monitor, path)
    page = phone.page
    page.fill("textarea[name=outcome]", "Adjourned.")
    page.wait_for_timeout(600)
    page.evaluate(
        "localStorage.setItem('log-hearing-draft-999-1', JSON.stringify("
        "{savedAt: Date.now(), values: {outcome: ['Another account.']}}))"
    )
    page.evaluate("localStorage.setItem('unrelated', 'kept')")

    page.get_by_role("button", name="Log out").click()

    page.wait_for_url("**/admin/logout/")
    assert page.locator(".drafts-forgotten").is_visible()
    keys = page.evaluate("Object.keys(localStorage)")
    assert [key for key in keys if key.startswith("log-hearing-draft-")] == []
    assert "unrelated" in keys  # the admin's own (its theme) and other sites' keys stay
    assert phone.errors == []
