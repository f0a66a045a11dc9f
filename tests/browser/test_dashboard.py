"""The monitors' dashboard with 300 synthetic cases on top of the 2024 report, in a real browser
at 1366 and 390 px (#18, item 4): it uses the width of a laptop, reads on a phone without
sideways scrolling or words split mid-word, and stays a few screens tall however many people
are held. Full-page screenshots go to tests/screenshots/ (git-ignored) to be looked at."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import roles
from tests.browser.conftest import admin_visit
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SYNTHETIC_CASES = 300
# 390 px: a page of the clock as cards, the queues folded after five rows each, and the list of
# record types (about 9,900 px before the clock was paged and the queues folded; 6,300 after;
# 6,650 once the header gained the language switch and the page the missing-translations link).
PHONE_HEIGHT_LIMIT = 6_900


@pytest.fixture
def synthetic(seeded):
    """300 synthetic cases whose world ends today, so the clock has people near their limits."""
    call_command(
        "generate_synthetic",
        "--cases",
        str(SYNTHETIC_CASES),
        "--today",
        timezone.localdate().isoformat(),
        "--force",  # the test database; Django runs tests with DEBUG off
        stdout=StringIO(),
    )


@pytest.fixture(params=[LAPTOP, PHONE], ids=["laptop-1366", "phone-390"])
def monitor_visit(request, browser, live_server, synthetic):
    context, visit = admin_visit(browser, live_server, request, request.param, "")
    visit.name = f"dashboard-{request.param['width']}px"
    yield visit
    context.close()


def page_height(visit):
    return visit.page.evaluate("document.documentElement.scrollHeight")


# Elements whose text a browser may split mid-word ("misdeme anour", "En g Sro y").
SPLITS_WORDS = """() => [...document.querySelectorAll('#dashboard *')].filter(element => {
    const style = getComputedStyle(element);
    return ['break-all', 'break-word'].includes(style.wordBreak)
        || ['anywhere', 'break-word'].includes(style.overflowWrap);
}).map(element => element.tagName + '.' + element.className)"""


def test_the_dashboard_fits_the_screen_and_keeps_words_whole(monitor_visit):
    page = monitor_visit.page
    width = monitor_visit.page.viewport_size["width"]

    monitor_visit.screenshot()

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(SPLITS_WORDS) == []
    dashboard = page.locator("#dashboard").bounding_box()
    if width == LAPTOP["width"]:
        # The admin's index is a 600 px column; the dashboard takes the screen.
        assert dashboard["width"] >= 1200, dashboard
    else:
        assert page_height(monitor_visit) < PHONE_HEIGHT_LIMIT
    assert page.locator("#clock tbody tr").count() == 20
    assert monitor_visit.errors == []


@pytest.fixture
def phone_without_javascript(browser, live_server, synthetic):
    context = browser.new_context(
        viewport=PHONE, locale="en-GB", java_script_enabled=False, base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    monitor = UserFactory(role=roles.MONITOR)
    page.goto("/admin/login/?next=/admin/")
    page.fill("input[name=username]", monitor.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    yield page
    context.close()


def test_the_clock_filters_sorts_and_pages_without_javascript(phone_without_javascript):
    page = phone_without_javascript

    page.select_option("select[name=left]", "exceeded")
    page.select_option("select[name=sort]", "court")
    with page.expect_navigation():
        page.click(".clock-filters input[type=submit]")

    assert "left=exceeded" in page.url and "sort=court" in page.url
    rows = page.locator("#clock tbody tr")
    assert rows.count() > 0
    assert rows.count() == page.locator("#clock tbody tr.clock-exceeded").count()
    courts = page.locator("#clock td.court").all_inner_texts()
    assert courts == sorted(courts, key=lambda court: (court == "—", court))

    page.goto("/admin/")
    with page.expect_navigation():
        page.click(".clock-nav a:has-text('Next')")

    assert "page=2" in page.url
    assert page.locator(".clock-nav").inner_text().startswith("Previous")
