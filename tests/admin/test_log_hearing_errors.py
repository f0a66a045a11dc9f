""" "Log a hearing" that failed to save (#18, item 5): a summary at the top, that takes the
focus, links to every field in error, on the hearing's form and on each person's decision,
custody and fair-trial answers; every link lands on an element of the page."""

import re

import pytest

from fairtrial.models import ChecklistItem
from tests.admin.test_log_hearing import bail_granted, hearing_data, url_of
from tests.factories import ChargeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def charge(db):
    return ChargeFactory()


def failed_save(client, monitor, charge, **outcome):
    client.force_login(monitor)
    data = {**hearing_data(charge.case, court=""), **bail_granted(charge, **outcome)}
    response = client.post(url_of(charge.case), data)
    assert response.status_code == 200
    return response.content.decode()


def summary_links(page):
    match = re.search(r'<div class="error-summary" id="error-summary"(.*?)</div>', page, re.S)
    assert match, "no error summary on the page"
    return dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', match.group(1)))


def ids_on(page):
    return set(re.findall(r'\sid="([^"]+)"', page))


def test_a_failed_save_opens_with_a_summary_that_takes_the_focus(client, monitor, charge):
    page = failed_save(client, monitor, charge)

    assert re.search(r'<div class="error-summary" id="error-summary" tabindex="-1"', page)
    assert "js/error-summary.js" in page
    assert "This was not saved: 1 thing to correct" in page


def test_the_summary_links_the_hearing_s_field(client, monitor, charge):
    links = summary_links(failed_save(client, monitor, charge))

    assert links == {"id_court": "Court"}


def test_the_summary_links_a_person_s_decision_field(client, monitor, charge):
    links = summary_links(failed_save(client, monitor, charge, prison_months="-3"))

    field = f"id_d{charge.defendant_id}-prison_months"
    assert links[field].startswith(f"{charge.defendant}: ")


def test_the_summary_links_a_person_s_custody_change(client, monitor, charge):
    links = summary_links(failed_save(client, monitor, charge, custody="teleported"))

    assert f"id_d{charge.defendant_id}-custody" in links


def test_the_summary_links_the_first_button_of_a_checklist_answer(client, monitor, charge):
    item = ChecklistItem.objects.filter(checklist__isnull=False).first()
    finding = f"a{charge.defendant_id}-{item.pk}-finding"
    client.force_login(monitor)
    data = {**hearing_data(charge.case), **bail_granted(charge), finding: "fine"}

    page = client.post(url_of(charge.case), data).content.decode()

    assert f"id_{finding}_0" in summary_links(page)


def test_every_link_of_the_summary_lands_on_the_page(client, monitor, charge):
    page = failed_save(client, monitor, charge, prison_months="-3", custody="teleported")

    links = summary_links(page)

    assert len(links) == 3
    assert set(links) <= ids_on(page)


def test_a_page_without_errors_has_no_summary(client, monitor, charge):
    client.force_login(monitor)

    page = client.get(url_of(charge.case)).content.decode()

    assert "error-summary" not in page
