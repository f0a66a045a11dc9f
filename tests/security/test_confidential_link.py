"""Issue 20, finding 1: a fact about a person in a case (charge, custody period, decision) is
visible only when the person, the case and the link between them are. Hiding the link
(a monitors-only ``CaseDefendant``) must hide every fact that hangs on it, everywhere."""

import pytest
from django.test import Client

from cases.models import CaseDefendant, Charge
from core.visibility import Visibility
from defendants.models import CustodyPeriod
from hearings.models import Decision
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
)

pytestmark = pytest.mark.django_db

MARK = "ZQLINKX"


@pytest.fixture
def hidden_link():
    """A public person in a public case, with public facts, but a monitors-only link."""
    case = CaseFactory(title="Open case", visibility=Visibility.PUBLIC)
    person = DefendantFactory(name=f"{MARK} person", visibility=Visibility.PUBLIC)
    other = DefendantFactory(name="Other person", visibility=Visibility.PUBLIC)
    CaseDefendantFactory(case=case, defendant=other, visibility=Visibility.PUBLIC)
    CaseDefendantFactory(case=case, defendant=person, visibility=Visibility.MONITORS)
    ChargeFactory(case=case, defendant=person, label=f"{MARK} charge")
    CustodyPeriodFactory(case=case, defendant=person, note=f"{MARK} custody")
    DecisionFactory(case=case, defendant=person, summary=f"{MARK} decision")
    return case, person


@pytest.mark.parametrize("level", [Visibility.PUBLIC, Visibility.PARTNERS])
@pytest.mark.parametrize("model", [Charge, CustodyPeriod, Decision])
def test_a_fact_is_hidden_with_the_link_it_hangs_on(hidden_link, level, model):
    case, _ = hidden_link
    assert not model.objects.visible_to(level).exists()
    assert not model.objects.visible_under(level, "case", [case.pk]).exists()
    assert model.objects.visible_to(Visibility.MONITORS).count() == 1


@pytest.mark.parametrize("model", [Charge, CustodyPeriod, Decision])
def test_a_fact_shows_when_its_link_is_visible(hidden_link, model):
    _, person = hidden_link
    link = CaseDefendant.objects.get(defendant=person)
    link.visibility = Visibility.PARTNERS
    link.save()
    assert model.objects.visible_to(Visibility.PARTNERS).count() == 1
    assert not model.objects.visible_to(Visibility.PUBLIC).exists()


def test_a_fact_without_a_link_is_not_public():
    case = CaseFactory(visibility=Visibility.PUBLIC)
    person = DefendantFactory(visibility=Visibility.PUBLIC)
    Charge.objects.create(case=case, defendant=person, label="x", visibility=Visibility.PUBLIC)
    assert not Charge.objects.visible_to(Visibility.PUBLIC).exists()


def test_the_api_case_detail_names_no_one_on_a_hidden_link(hidden_link):
    case, _ = hidden_link
    response = Client().get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    assert MARK not in response.content.decode()


def test_the_api_case_list_names_no_one_on_a_hidden_link(hidden_link):
    response = Client().get("/api/v1/cases/")
    assert response.status_code == 200
    assert MARK not in response.content.decode()


@pytest.mark.parametrize("route", ["charges", "custody-periods", "decisions"])
def test_the_fact_lists_do_not_list_facts_of_a_hidden_link(hidden_link, route):
    case, person = hidden_link
    for query in ({"case": case.pk}, {"defendant": person.pk}, {}):
        response = Client().get(f"/api/v1/{route}/", query)
        assert response.status_code == 200
        assert MARK not in response.content.decode()
        assert response.json()["results"] == []


def test_the_person_page_does_not_link_to_the_case_of_a_hidden_link(hidden_link):
    case, person = hidden_link
    response = Client().get(f"/people/{person.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"/cases/{case.pk}/" not in text
    assert f"{MARK} charge" not in text and f"{MARK} decision" not in text


def test_the_case_page_does_not_name_the_person_of_a_hidden_link(hidden_link):
    case, _ = hidden_link
    response = Client().get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    assert MARK not in response.content.decode()
