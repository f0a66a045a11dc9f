"""axe-core over the pages people meet (issue #18, item 6): the public pages in English and
Khmer at desktop and phone widths, the monitors' dashboard, a case's change form, "Log a
hearing" and the API's documentation. A page fails on any serious or critical violation
(tests/browser/axe.py names the rules and elements)."""

import pytest
from django.urls import reverse

from cases.models import Case, Charge, Source
from core.visibility import Visibility
from tests.browser.axe import assert_no_blocking_violations
from tests.browser.conftest import DESKTOP, PHONE, admin_visit, open_visit

pytestmark = pytest.mark.browser

PUBLIC = Visibility.PUBLIC
WIDTHS = [DESKTOP, PHONE]
WIDTH_IDS = ["desktop-1280", "phone-390"]


def nagaworld():
    return Case.objects.visible_to(PUBLIC).get(title__startswith="NagaWorld union activists")


def a_person():
    return nagaworld().defendants.visible_to(PUBLIC).order_by("pk").first()


def an_article():
    charge = Charge.objects.visible_to(PUBLIC).filter(article__number="494").first()
    return charge.article_id


def the_report():
    return Source.objects.visible_to(PUBLIC).filter(documents__isnull=False).first()


# Each public page, by name: the path is read from the seeded database in the test.
PUBLIC_PAGES = {
    "home": lambda: "/",
    "case-list": lambda: "/cases/",
    "case-list-filtered": lambda: "/cases/?article=494",
    "case": lambda: f"/cases/{nagaworld().pk}/",
    "case-report": lambda: f"/cases/{nagaworld().pk}/report/",
    "case-follow": lambda: f"/cases/{nagaworld().pk}/follow/",
    "person": lambda: f"/people/{a_person().pk}/",
    "article": lambda: f"/articles/{an_article()}/",
    "statistics": lambda: "/statistics/",
    "hearings": lambda: "/hearings/",
    "methodology": lambda: "/methodology/",
    "search": lambda: "/search/?q=union",
    "source-text": lambda: f"/sources/{the_report().pk}/text/",
}


@pytest.fixture(params=WIDTHS, ids=WIDTH_IDS)
def reader(request, browser, live_server, seeded):
    context, visit = open_visit(browser, live_server, request, request.param, "")
    yield visit
    context.close()


@pytest.mark.parametrize("language", ["", "/km"], ids=["english", "khmer"])
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_public_page_has_no_serious_accessibility_violation(reader, name, language):
    path = PUBLIC_PAGES[name]()
    reader.open(language + path)
    # What is folded away is read too, once opened.
    reader.page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")

    assert_no_blocking_violations(reader.page)


@pytest.fixture(params=WIDTHS, ids=WIDTH_IDS)
def monitor(request, browser, live_server, seeded):
    context, visit = admin_visit(browser, live_server, request, request.param, "")
    yield visit
    context.close()


MONITOR_PAGES = {
    "dashboard": lambda: reverse("admin:index"),
    "case-change-form": lambda: reverse("admin:cases_case_change", args=[nagaworld().pk]),
    "log-a-hearing": lambda: reverse("admin:cases_case_log_hearing", args=[nagaworld().pk]),
    "log-a-hearing-picker": lambda: reverse("admin:log-hearing"),
    "missing-translations": lambda: reverse("admin:missing-translations"),
    "api-docs": lambda: "/api/v1/docs/",
}


@pytest.mark.parametrize("name", MONITOR_PAGES)
def test_a_monitors_page_has_no_serious_accessibility_violation(monitor, name):
    monitor.open(MONITOR_PAGES[name]())
    monitor.page.wait_for_load_state("networkidle")
    monitor.page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")

    assert_no_blocking_violations(monitor.page)


def test_a_page_with_a_violation_fails_the_check(reader):
    # The check itself: an unlabelled input and an image without text are caught.
    reader.open("/")
    reader.page.evaluate(
        "() => { const main = document.querySelector('main');"
        " main.insertAdjacentHTML('beforeend', '<input type=\"text\"><img src=\"x.png\">'); }"
    )

    with pytest.raises(AssertionError, match="critical image-alt"):
        assert_no_blocking_violations(reader.page)
