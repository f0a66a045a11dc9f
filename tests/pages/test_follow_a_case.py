"""Following a case or a person from its page: a calendar subscription (webcal), the case's
own Atom feed, and the e-mail form (tests/following/ follows the mails)."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from core.visibility import Visibility
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
)

from .conftest import TODAY
from .helpers import body

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SOON = TODAY + datetime.timedelta(days=10)


def entries(client, case):
    feed = ET.fromstring(client.get(f"/cases/{case.pk}/feed.atom").content)
    return feed.findall(f"{ATOM}entry")


def test_a_case_without_hearings_still_offers_a_calendar_subscription(client):
    case = CaseFactory()
    page = body(client.get(f"/cases/{case.pk}/"))
    assert f'href="webcal://testserver/cases/{case.pk}/hearings.ics"' in page
    assert "How to subscribe" in page


def test_a_case_page_links_its_own_feed_and_the_follow_form(client):
    case = CaseFactory()
    page = body(client.get(f"/cases/{case.pk}/"))
    assert f'href="/cases/{case.pk}/feed.atom"' in page
    assert f'href="/cases/{case.pk}/follow/"' in page


def test_a_person_page_offers_their_calendar_and_the_follow_form(client):
    person = DefendantFactory()
    page = body(client.get(f"/people/{person.pk}/"))
    assert f'href="webcal://testserver/people/{person.pk}/hearings.ics"' in page
    assert f'href="/people/{person.pk}/follow/"' in page


def test_a_persons_calendar_holds_the_hearings_of_their_public_cases(client):
    link = CaseDefendantFactory()
    HearingFactory(case=link.case, date=SOON)
    calendar = client.get(f"/people/{link.defendant_id}/hearings.ics").content.decode()
    assert calendar.count("BEGIN:VEVENT") == 1
    assert link.case.title[:20] in calendar.replace("\r\n ", "")


def test_a_persons_calendar_leaves_out_a_case_their_place_in_is_hidden(client):
    link = CaseDefendantFactory(visibility=Visibility.MONITORS)
    HearingFactory(case=link.case, date=SOON)
    calendar = client.get(f"/people/{link.defendant_id}/hearings.ics").content.decode()
    assert "BEGIN:VEVENT" not in calendar


def test_the_calendar_of_a_hidden_person_is_a_404(client):
    person = DefendantFactory(visibility=Visibility.MONITORS)
    assert client.get(f"/people/{person.pk}/hearings.ics").status_code == 404


def test_the_case_feed_lists_its_hearings_and_decisions_newest_first(client):
    link = CaseDefendantFactory(defendant__name="Sok Dara")
    HearingFactory(case=link.case, date=TODAY - datetime.timedelta(days=30))
    DecisionFactory(case=link.case, defendant=link.defendant, date=TODAY)
    titles = [entry.find(f"{ATOM}title").text for entry in entries(client, link.case)]
    assert len(titles) == 2
    assert titles[0].startswith("Sok Dara: ")
    assert "hearing" in titles[1]


def test_the_case_feed_leaves_out_what_only_monitors_see(client):
    case = CaseFactory()
    HearingFactory(case=case, visibility=Visibility.MONITORS)
    assert entries(client, case) == []


def test_the_case_feed_never_names_a_person_whose_place_in_the_case_is_hidden(client):
    link = CaseDefendantFactory(defendant__name="Hidden Person", visibility=Visibility.MONITORS)
    DecisionFactory(case=link.case, defendant=link.defendant, visibility=Visibility.PUBLIC)
    assert "Hidden Person" not in client.get(f"/cases/{link.case_id}/feed.atom").content.decode()


def test_the_case_feed_entry_ids_do_not_change_when_a_record_is_edited(client):
    hearing = HearingFactory()
    before = entries(client, hearing.case)[0].find(f"{ATOM}id").text
    hearing.outcome = "Adjourned."
    hearing.save()
    assert entries(client, hearing.case)[0].find(f"{ATOM}id").text == before


def test_the_feed_of_a_hidden_case_is_a_404(client):
    case = CaseFactory(visibility=Visibility.MONITORS)
    assert client.get(f"/cases/{case.pk}/feed.atom").status_code == 404
