"""A search shows each caller only what their level may see: the records, and the text of the
snippets. The API reads at the caller's level; the page, like every public page, at the
public level whoever is logged in."""

import pytest

from core.visibility import Visibility
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    CourtFactory,
    DefendantFactory,
    HearingFactory,
)

from .conftest import found

pytestmark = pytest.mark.django_db

CALLERS = {
    "anonymous": Visibility.PUBLIC,
    "partner": Visibility.PARTNERS,
    "monitor": Visibility.MONITORS,
}


@pytest.fixture
def people():
    """A person at each level, all called Vorak."""
    return {
        level: DefendantFactory(name=f"Vorak {int(level)}", visibility=level)
        for level in Visibility
    }


@pytest.mark.parametrize("caller", CALLERS)
def test_the_api_finds_the_people_the_caller_may_see(api_as, people, caller):
    level = CALLERS[caller]

    ids = {pk for _, pk in found(api_as(caller), "Vorak")}

    assert ids == {person.pk for person_level, person in people.items() if person_level <= level}


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_monitors_only_person_is_not_found_by_a_misspelling_either(api_as, caller):
    DefendantFactory(name="Kem Sokha", visibility=Visibility.MONITORS)

    assert found(api_as(caller), "Kim Sokha") == []


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_page_shows_public_people_only_whoever_reads_it(client, monitor, people, logged_in):
    if logged_in:
        client.force_login(monitor)

    page = client.get("/search/", {"q": "Vorak"}).content.decode()

    assert f"/people/{people[Visibility.PUBLIC].pk}/" in page
    assert "Vorak 1" not in page and "Vorak 2" not in page


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_monitors_only_person_in_a_public_case_leaks_nowhere(api_as, client, caller):
    case = CaseFactory(title="Open case", summary="A public summary")
    hidden = DefendantFactory(name="Zorblat Hidden", visibility=Visibility.MONITORS)
    CaseDefendantFactory(case=case, defendant=hidden, visibility=Visibility.MONITORS)

    api = api_as(caller).get("/api/v1/search/", {"q": "Zorblat"}).content.decode()
    page = client.get("/search/", {"q": "Zorblat"}).content.decode()
    case_search = api_as(caller).get("/api/v1/search/", {"q": "Open case"}).json()

    assert '"results":[]' in api.replace(" ", "")
    assert "Zorblat Hidden" not in page.split("<main", 1)[1]
    assert [r["id"] for r in case_search["results"]] == [case.pk]
    assert "Zorblat" not in case_search["results"][0]["snippet"]


def test_a_public_hearing_of_a_hidden_case_is_not_found(anonymous_api):
    HearingFactory(
        case=CaseFactory(visibility=Visibility.MONITORS),
        outcome="Zorblat adjourned",
        visibility=Visibility.PUBLIC,
    )

    assert found(anonymous_api, "Zorblat") == []


def test_a_court_only_a_hidden_case_names_is_not_found(anonymous_api, monitor_api):
    court = CourtFactory(name_en="Zorblat Provincial Court")
    CaseFactory(court=court, visibility=Visibility.MONITORS)

    assert found(anonymous_api, "Zorblat") == []
    assert found(monitor_api, "Zorblat") == [("courts", court.pk)]


def test_a_partner_finds_a_partners_case(partner_api):
    case = CaseFactory(title="Zorblat case", visibility=Visibility.PARTNERS)

    assert found(partner_api, "Zorblat") == [("cases", case.pk)]
