"""?fields= and ?omit= trim each record to what a partner mirrors."""

import pytest

from tests.factories import CaseFactory, ChargeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory()


def test_fields_keeps_only_the_named_fields_of_each_listed_record(anonymous_api, case):
    body = anonymous_api.get("/api/v1/cases/?fields=id,title").json()

    assert body["results"] == [{"id": case.pk, "title": case.title}]


def test_fields_keeps_the_page_links(anonymous_api, case):
    body = anonymous_api.get("/api/v1/cases/?fields=id").json()

    assert {"next", "previous", "results"} <= body.keys()


def test_omit_drops_the_named_fields(anonymous_api, case):
    [record] = anonymous_api.get("/api/v1/cases/?omit=summary,charges").json()["results"]

    assert "summary" not in record and "charges" not in record
    assert record["id"] == case.pk


def test_fields_works_on_a_detail(anonymous_api):
    charge = ChargeFactory()

    body = anonymous_api.get(f"/api/v1/charges/{charge.pk}/?fields=id,label").json()

    assert body == {"id": charge.pk, "label": charge.label}


def test_an_unknown_field_is_a_400_naming_the_fields_there_are(anonymous_api, case):
    response = anonymous_api.get("/api/v1/cases/?fields=id,nonsense")

    assert response.status_code == 400
    assert response.json()["fields"] == ["Unknown field: nonsense."]
    assert "title" in response.json()["available_fields"]


def test_a_monitor_only_field_cannot_be_asked_for_by_the_public(anonymous_api, case):
    response = anonymous_api.get("/api/v1/cases/?fields=id,monitor_notes")

    assert response.status_code == 400


def test_trimmed_answers_carry_their_own_etag(anonymous_api, case):
    whole = anonymous_api.get("/api/v1/cases/")["ETag"]

    assert anonymous_api.get("/api/v1/cases/?fields=id")["ETag"] != whole
