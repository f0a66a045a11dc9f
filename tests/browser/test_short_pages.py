"""Pages that stay short and read in order on a phone (issue #18): the NagaWorld case page at
390 px, the case list's filters behind a button above the results, and the Khmer statistics
charts drawn in the Khmer font the site ships."""

import pytest

from cases.models import Case
from core.visibility import Visibility

from .conftest import PHONE, open_visit

pytestmark = pytest.mark.browser

PUBLIC = Visibility.PUBLIC

# The NagaWorld case page at 390 px before issue #18: 12,079 px (27 timeline entries for three
# decisions, nine defendants and eighteen charges listed one by one).
NAGAWORLD_HEIGHT_BEFORE = 12_079


@pytest.fixture
def phone_visit(request, browser, live_server, seeded):
    """A fresh tab at phone width (390 px)."""
    context, visit = open_visit(browser, live_server, request, PHONE, "390px")
    yield visit
    context.close()


def nagaworld():
    return Case.objects.visible_to(PUBLIC).get(title__startswith="NagaWorld union activists")


def test_the_nagaworld_case_page_is_under_a_quarter_of_its_old_height(phone_visit):
    phone_visit.open(f"/cases/{nagaworld().pk}/")

    height = phone_visit.page.evaluate("() => document.documentElement.scrollHeight")
    phone_visit.screenshot()

    assert height < NAGAWORLD_HEIGHT_BEFORE / 4


def test_the_nagaworld_timeline_shows_each_decision_once(phone_visit):
    phone_visit.open(f"/cases/{nagaworld().pk}/")

    titles = phone_visit.page.locator("ol.timeline .event-title").all_inner_texts()

    assert len(titles) == 3
    assert all(title.startswith("Chhim Sithar and 8 others") for title in titles)


def test_on_a_phone_the_filters_wait_behind_a_button_above_the_results(phone_visit):
    phone_visit.open("/cases/")
    button = phone_visit.page.get_by_role("button", name="Filters")
    results = phone_visit.page.locator("#results-title")

    assert button.is_visible()
    assert not phone_visit.page.locator("#filters").is_visible()
    assert button.bounding_box()["y"] < results.bounding_box()["y"]
    button.click()
    assert phone_visit.page.locator("#filters").is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    phone_visit.screenshot("filters-open")


FOCUSED = "() => [document.activeElement.tagName, document.activeElement.textContent.trim()]"


def test_on_a_phone_the_keyboard_reaches_the_first_result_without_passing_the_filters(
    phone_visit,
):
    phone_visit.open("/cases/")
    first_result = phone_visit.page.locator("ol.case-results h3 a").first.inner_text()
    phone_visit.page.locator("form.search button").focus()

    order = []
    for _ in range(3):
        phone_visit.page.keyboard.press("Tab")
        order.append(phone_visit.page.evaluate(FOCUSED))

    assert order == [
        ["A", "Skip the filters to the results"],
        ["BUTTON", "Filters"],
        ["A", first_result],
    ]


def test_the_skip_link_takes_the_keyboard_to_the_results(phone_visit):
    phone_visit.open("/cases/")
    phone_visit.page.locator("form.search button").focus()
    phone_visit.page.keyboard.press("Tab")

    phone_visit.page.keyboard.press("Enter")

    assert phone_visit.page.evaluate("() => document.activeElement.id") == "results-title"
    phone_visit.page.keyboard.press("Tab")
    first_result = phone_visit.page.locator("ol.case-results h3 a").first.inner_text()
    assert phone_visit.page.evaluate(FOCUSED) == ["A", first_result]


def test_the_khmer_charts_are_drawn_in_the_khmer_font_once_it_has_loaded(phone_visit):
    phone_visit.open("/km/statistics/")
    phone_visit.page.wait_for_selector("html[data-charts-fonts=ready]", state="attached")

    family, loaded, drawn = phone_visit.page.evaluate(
        """() => [
            Chart.defaults.font.family,
            document.fonts.check('1em "Noto Sans Khmer"', "\\u1780"),
            document.querySelectorAll("canvas[data-chart]").length
                === Object.keys(Chart.instances).length,
        ]"""
    )
    phone_visit.screenshot()

    assert "Noto Sans Khmer" in family
    assert loaded is True
    assert drawn is True
