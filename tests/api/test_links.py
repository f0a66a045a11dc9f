"""Links between records — a person's place in a case, a person's affiliations — are records a
partner syncs like any other: listed with ``updated_since``, read through the visibility gate,
and tombstoned when they go."""

import datetime

import pytest
import time_machine

from core.visibility import Visibility
from tests.factories import (
    AffiliationFactory,
    CaseDefendantFactory,
    CaseFactory,
    DefendantFactory,
)

from .helpers import ids

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BEFORE = datetime.datetime(2025, 1, 1, 9, tzinfo=UTC)  # the case and the person are made
SINCE = datetime.datetime(2025, 1, 2, 9, tzinfo=UTC)  # the partner's previous sync
AFTER = datetime.datetime(2025, 1, 3, 9, tzinfo=UTC)  # a monitor links them
SINCE_PARAM = SINCE.isoformat()


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def public_pair():
    with at(BEFORE):
        return CaseFactory(visibility=Visibility.PUBLIC), DefendantFactory(
            visibility=Visibility.PUBLIC
        )


def test_a_link_made_since_the_last_sync_is_listed_to_a_partner(partner_api, public_pair):
    case, person = public_pair
    with at(AFTER):
        link = CaseDefendantFactory(case=case, defendant=person)

    response = partner_api.get("/api/v1/case-defendants/", {"updated_since": SINCE_PARAM})

    assert ids(response) == [link.pk]
    record = response.json()["results"][0]
    assert (record["case"], record["defendant"]) == (case.pk, person.pk)
    assert "visibility" not in record


def test_a_link_made_before_the_last_sync_is_not_listed_since(partner_api, public_pair):
    case, person = public_pair
    with at(BEFORE):
        link = CaseDefendantFactory(case=case, defendant=person)

    assert ids(partner_api.get("/api/v1/case-defendants/", {"updated_since": SINCE_PARAM})) == []
    assert ids(partner_api.get("/api/v1/case-defendants/")) == [link.pk]


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_monitors_only_link_is_not_listed_or_shown(api_as, public_pair, caller):
    case, person = public_pair
    link = CaseDefendantFactory(case=case, defendant=person, visibility=Visibility.MONITORS)
    client = api_as(caller)

    assert ids(client.get("/api/v1/case-defendants/")) == []
    assert client.get(f"/api/v1/case-defendants/{link.pk}/").status_code == 404


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_public_link_of_a_monitors_only_case_is_not_listed(api_as, caller):
    link = CaseDefendantFactory(case=CaseFactory(visibility=Visibility.MONITORS))

    assert ids(api_as(caller).get("/api/v1/case-defendants/")) == []
    assert api_as(caller).get(f"/api/v1/case-defendants/{link.pk}/").status_code == 404


def test_a_monitor_sees_a_monitors_only_link(monitor_api):
    link = CaseDefendantFactory(visibility=Visibility.MONITORS)

    response = monitor_api.get(f"/api/v1/case-defendants/{link.pk}/")

    assert response.status_code == 200
    assert response.json()["visibility"] == Visibility.MONITORS


def test_links_are_read_only_even_for_an_editor(editor_api, public_pair):
    # An editor may link people to cases in the workspace, not through the API.
    case, person = public_pair

    response = editor_api.post(
        "/api/v1/case-defendants/", {"case": case.pk, "defendant": person.pk}
    )

    assert response.status_code == 405


def test_unlinking_since_the_last_sync_is_a_tombstone(partner_api, public_pair):
    case, person = public_pair
    with at(BEFORE):
        link = CaseDefendantFactory(case=case, defendant=person)
    link_id = link.pk
    with at(AFTER):
        link.delete()

    response = partner_api.get(
        "/api/v1/tombstones/", {"since": SINCE_PARAM, "type": "case-defendants"}
    )

    assert response.status_code == 200, response.content
    assert [(s["type"], s["id"], s["reason"]) for s in response.json()["results"]] == [
        ("case-defendants", link_id, "deleted")
    ]


def test_an_affiliation_made_since_is_listed_and_filtered_by_person(partner_api):
    with at(BEFORE):
        person = DefendantFactory(visibility=Visibility.PUBLIC)
        AffiliationFactory()
    with at(AFTER):
        affiliation = AffiliationFactory(defendant=person)

    since = partner_api.get("/api/v1/affiliations/", {"updated_since": SINCE_PARAM})
    of_person = partner_api.get("/api/v1/affiliations/", {"defendant": person.pk})

    assert ids(since) == [affiliation.pk]
    assert ids(of_person) == [affiliation.pk]
    assert since.json()["results"][0]["organisation"] == affiliation.organisation_id


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_an_affiliation_of_a_monitors_only_person_is_not_listed(api_as, caller):
    affiliation = AffiliationFactory(defendant=DefendantFactory(visibility=Visibility.MONITORS))

    assert ids(api_as(caller).get("/api/v1/affiliations/")) == []
    assert api_as(caller).get(f"/api/v1/affiliations/{affiliation.pk}/").status_code == 404
