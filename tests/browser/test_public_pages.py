"""What an advocate does on the public site, in a real browser, at desktop and phone widths.
Screenshots go to tests/screenshots/, named by test and width."""

import csv
import re
from pathlib import Path

import pytest

from cases.models import Case, Charge
from core.visibility import Visibility
from defendants.models import Defendant

pytestmark = pytest.mark.browser

PUBLIC = Visibility.PUBLIC
REPORT = "2024 UN Secretary-General report on Cambodia"
# static/js/filters.js folds the case list's filters at this width and below.
PHONE_BREAKPOINT = 760


def charged_under_494():
    """Titles of the public cases with a public charge under article 494, read straight from
    the database."""
    charged = Charge.objects.visible_to(PUBLIC).filter(article__number="494").values("case_id")
    cases = Case.objects.visible_to(PUBLIC).filter(pk__in=charged)
    return sorted(cases.values_list("title", flat=True))


def result_titles(page):
    return sorted(page.locator("ol.case-results h3").all_inner_texts())


def first_case_with_a_timeline():
    case = (
        Case.objects.visible_to(PUBLIC)
        .filter(charges__isnull=False, hearings__isnull=False)
        .order_by("pk")
        .first()
    )
    assert case is not None, "the seed has no public case with charges and hearings"
    return case


def test_the_home_page_shows_the_headline_figures(visit):
    visit.open("/")

    figures = visit.page.locator("dl.figure-grid dt").all_inner_texts()
    assert figures == [
        "People in detention now, confirmed in the last 30 days",
        "People last reported in detention, not confirmed since",
        "Cases tracked",
        "Hearings monitored by the tracker's monitors",
        "Decisions recorded for the last 12 months",
    ]
    cases_tracked = visit.page.locator("dl.figure-grid dd").nth(2).inner_text()
    assert cases_tracked == str(Case.objects.visible_to(PUBLIC).count())
    assert visit.page.locator("ul.status-list li").count() > 0
    visit.screenshot()


def test_two_clicks_find_every_case_under_article_494_and_nobody_is_called_detained_now(visit):
    # The report's sources end on 31 May 2024: no facet may offer anyone as detained "now".
    expected = charged_under_494()
    assert expected, "the seed has no public case under article 494"
    visit.open("/")

    visit.page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    # Wait for the case list and its scripts: asking about the "Filters" button before then
    # asked the page being left, which has none.
    visit.page.wait_for_url("**/cases/")
    # On a phone the filters wait behind a "Filters" button (issue #18): one click more.
    if visit.page.viewport_size["width"] <= PHONE_BREAKPOINT:
        visit.page.get_by_role("button", name="Filters").click()
    visit.page.locator('aside.facets a[href="?article=494"]').click()
    # A click only starts the navigation: read the results once the new page has loaded.
    visit.page.wait_for_url(re.compile(r"/cases/\?article=494$"))

    assert result_titles(visit.page) == expected
    assert visit.page.locator('aside.facets a[href*="in_detention=true"]').count() == 0
    visit.screenshot()


def test_a_case_page_shows_its_timeline_with_sources(visit):
    case = first_case_with_a_timeline()
    visit.open("/cases/")

    visit.page.locator("ol.case-results a", has_text=case.title).first.click()
    # A click only starts the navigation: counting at once once counted a page with no
    # timeline parsed yet (CI, phone width).
    visit.page.wait_for_url(f"{visit.base_url}/cases/{case.pk}/")

    events = visit.page.locator("ol.timeline li.event")
    assert events.count() >= 2
    for index in range(events.count()):
        event = events.nth(index)
        assert event.locator("time").inner_text()
        assert REPORT in event.locator(".sources").inner_text()
        assert "para." in event.locator(".sources").inner_text()
    datetimes = visit.page.locator("ol.timeline time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert datetimes == sorted(datetimes)
    visit.screenshot()


def test_a_statistics_csv_downloads_the_rows_of_its_table(visit):
    visit.open("/statistics/")
    chart = visit.page.locator("section.chart").filter(has_text="Cases per article charged")
    chart.locator("summary").click()
    table_rows = [row.locator("td").all_inner_texts() for row in chart.locator("tbody tr").all()]

    with visit.page.expect_download() as download:
        chart.get_by_role("link", name=re.compile("Download the data")).click()

    assert download.value.suggested_filename == "cases-per-article.csv"
    # A byte-order mark first, so spreadsheet programs read the file as UTF-8 (issue #18).
    assert Path(download.value.path()).read_bytes().startswith(b"\xef\xbb\xbf")
    with Path(download.value.path()).open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    headings = chart.locator("thead th").all_inner_texts()
    assert rows == [headings, *table_rows]
    visit.screenshot()


def test_the_charts_are_drawn(visit):
    visit.open("/statistics/")

    drawn = visit.page.locator("canvas[data-chart]").evaluate_all(
        "canvases => canvases.map(c => Boolean(window.Chart && Chart.getChart(c)))"
    )

    # Five charts: outcomes, articles, courts, months, and the fair-trial rights (#16).
    assert drawn == [True] * 5


# For each chart with its labels beside the bars: [labels shown, bars, widest label fits].
BESIDE_THE_BARS = """canvases => canvases.map(canvas => {
    const chart = Chart.getChart(canvas);
    if (chart.options.indexAxis !== "y") return null;
    const scale = chart.scales.y;
    chart.ctx.save();
    chart.ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
    const widths = scale.ticks.flatMap(
        tick => [].concat(tick.label).map(line => chart.ctx.measureText(line).width));
    chart.ctx.restore();
    return [scale.ticks.length, chart.data.labels.length, Math.max(...widths) <= scale.width];
}).filter(Boolean)"""


def test_every_bar_label_shows_in_full_on_a_360_px_screen(narrow_visit):
    narrow_visit.open("/statistics/")

    charts = narrow_visit.page.locator("canvas[data-chart]").evaluate_all(BESIDE_THE_BARS)

    assert charts, "no chart has its labels beside its bars"
    for shown, bars, fits in charts:
        assert (shown, fits) == (bars, True)


def test_the_language_switcher_opens_the_same_page_in_khmer(visit):
    case = first_case_with_a_timeline()
    visit.open(f"/cases/{case.pk}/")

    visit.page.locator("nav.languages a[hreflang=km]").click()

    visit.page.wait_for_url(f"{visit.base_url}/km/cases/{case.pk}/")
    assert visit.page.locator("html").get_attribute("lang") == "km"
    # The seed has no Khmer titles: the English one, marked as such (issue #18).
    assert visit.page.locator("h1 [lang=en]").inner_text() == case.title
    assert visit.page.locator("h1 .english-only").is_visible()
    nav = visit.page.get_by_role("navigation").first.locator("ul.nav a").first.inner_text()
    assert nav != "Cases"  # the interface is in Khmer
    visit.screenshot()
    visit.page.locator("nav.languages a[hreflang=en]").click()
    visit.page.wait_for_url(f"{visit.base_url}/cases/{case.pk}/")


def test_the_khmer_home_page_renders_khmer_text_in_the_khmer_font(visit):
    visit.open("/km/")

    loaded = visit.page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter(face => face.family.replaceAll('"', "") === "Noto Sans Khmer")
                .map(face => [face.weight, face.status]);
        }"""
    )

    assert ["400", "loaded"] in loaded  # the vendored font, from our own host
    visit.screenshot()


def test_tab_reaches_the_skip_link_first(visit):
    visit.open("/cases/")

    visit.page.keyboard.press("Tab")

    focused = visit.page.evaluate(
        "() => [document.activeElement.className, document.activeElement.getAttribute('href')]"
    )
    assert focused == ["skip-link", "#main"]
    box = visit.page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # shown on screen when focused
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("() => document.activeElement.id") == "main"


def public_paths():
    cases = Case.objects.visible_to(PUBLIC).order_by("pk").values_list("pk", flat=True)
    people = Defendant.objects.visible_to(PUBLIC).order_by("pk").values_list("pk", flat=True)
    articles = Charge.objects.visible_to(PUBLIC).values_list("article_id", flat=True)
    paths = ["/", "/cases/", "/cases/?article=494&in_detention=true", "/statistics/", "/hearings/"]
    paths += [f"/cases/{pk}/" for pk in cases]
    paths += [f"/people/{pk}/" for pk in people]
    paths += [f"/articles/{pk}/" for pk in sorted(set(articles) - {None})]
    return paths + ["/km" + path for path in paths[:5]]


def test_no_page_is_wider_than_a_360_px_screen(narrow_visit):
    too_wide = []
    for path in public_paths():
        narrow_visit.open(path)
        # Open every collapsed part too: a data table must fit when shown.
        narrow_visit.page.evaluate(
            "() => document.querySelectorAll('details').forEach(d => d.open = true)"
        )
        width = narrow_visit.page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            too_wide.append((path, width))
    for label, path in [("home", "/"), ("list", "/cases/"), ("statistics", "/statistics/")]:
        narrow_visit.open(path)
        narrow_visit.screenshot(label)

    assert too_wide == []


def test_pages_log_no_error_and_load_nothing_from_another_host(visit):
    case = first_case_with_a_timeline()
    person = Defendant.objects.visible_to(PUBLIC).order_by("pk").first()
    for path in [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        f"/people/{person.pk}/",
        "/statistics/",
        "/hearings/",
        "/km/",
        f"/km/cases/{case.pk}/",
    ]:
        visit.open(path)
        visit.page.wait_for_load_state("networkidle")

    assert visit.errors == []
    assert visit.foreign_requests == []
