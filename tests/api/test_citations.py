"""A new fact written through the API says where it comes from (#14): ``citations`` is
required, write-only, and every citation given is stored against the record."""

import pytest

from cases.models import Citation, SourceKind
from defendants.models import CustodyPeriod
from hearings.models import Decision, Hearing
from tests.factories import CaseDefendantFactory, ChargeFactory, HearingFactory, SourceFactory

pytestmark = pytest.mark.django_db

MODELS = {"hearings": Hearing, "decisions": Decision, "custody-periods": CustodyPeriod}


@pytest.fixture
def payloads():
    link = CaseDefendantFactory()
    charge = ChargeFactory(case=link.case, defendant=link.defendant)
    return {
        "hearings": {"case": link.case_id, "date": "2024-03-05", "kind": "trial"},
        "decisions": {
            "case": link.case_id,
            "defendant": link.defendant_id,
            "court_level": "first_instance",
            "kind": "conviction",
            "date": "2024-05-01",
            "charges": [charge.pk],
        },
        "custody-periods": {
            "case": link.case_id,
            "defendant": link.defendant_id,
            "kind": "pretrial_detention",
            "start": "2024-01-10",
        },
    }


@pytest.mark.parametrize("endpoint", list(MODELS))
def test_a_new_record_without_citations_is_a_400_naming_the_field(monitor_api, payloads, endpoint):
    response = monitor_api.post(f"/api/v1/{endpoint}/", payloads[endpoint], format="json")

    assert response.status_code == 400
    assert "citations" in response.json()
    assert not MODELS[endpoint].objects.exists()


@pytest.mark.parametrize("endpoint", list(MODELS))
def test_an_empty_list_of_citations_is_a_400(monitor_api, payloads, endpoint):
    response = monitor_api.post(
        f"/api/v1/{endpoint}/", {**payloads[endpoint], "citations": []}, format="json"
    )

    assert response.status_code == 400
    assert "citations" in response.json()


@pytest.mark.parametrize("endpoint", list(MODELS))
def test_a_new_record_is_cited_to_the_paragraph_given(monitor_api, payloads, endpoint):
    source = SourceFactory(paragraph_count=75)

    response = monitor_api.post(
        f"/api/v1/{endpoint}/",
        {**payloads[endpoint], "citations": [{"source": source.pk, "paragraph": "40"}]},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert "citations" not in response.json()  # write-only
    record = MODELS[endpoint].objects.get()
    assert [(c.source, c.paragraph) for c in record.citations.all()] == [(source, "40")]


def test_a_paragraph_beyond_the_source_is_a_400(monitor_api, payloads):
    source = SourceFactory(paragraph_count=75)

    response = monitor_api.post(
        "/api/v1/hearings/",
        {**payloads["hearings"], "citations": [{"source": source.pk, "paragraph": "90"}]},
        format="json",
    )

    assert response.status_code == 400
    assert "paragraph" in response.json()["citations"]["0"]
    assert not Hearing.objects.exists()


def test_a_document_without_a_paragraph_is_a_400(monitor_api, payloads):
    response = monitor_api.post(
        "/api/v1/hearings/",
        {**payloads["hearings"], "citations": [{"source": SourceFactory().pk}]},
        format="json",
    )

    assert response.status_code == 400
    assert "paragraph" in response.json()["citations"]["0"]


def test_an_observation_is_cited_to_a_new_source_naming_the_monitor(monitor_api, monitor, payloads):
    observed = {"date": "2024-03-05", "place": "Phnom Penh Municipal Court"}

    response = monitor_api.post(
        "/api/v1/hearings/",
        {**payloads["hearings"], "citations": [{"observation": observed}]},
        format="json",
    )

    assert response.status_code == 201, response.content
    source = Hearing.objects.get().citations.get().source
    assert (source.kind, source.observer, source.place) == (
        SourceKind.OBSERVATION,
        monitor,
        "Phnom Penh Municipal Court",
    )


def test_an_observation_without_a_place_is_a_400(monitor_api, payloads):
    response = monitor_api.post(
        "/api/v1/hearings/",
        {**payloads["hearings"], "citations": [{"observation": {"date": "2024-03-05"}}]},
        format="json",
    )

    assert response.status_code == 400
    assert "place" in response.json()["citations"]["0"]["observation"]


def test_an_update_needs_no_new_citation(monitor_api):
    hearing = HearingFactory()

    response = monitor_api.patch(
        f"/api/v1/hearings/{hearing.pk}/",
        {"outcome": "Adjourned", "version": hearing.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert not Citation.objects.exists()


def test_records_say_how_certain_they_are(anonymous_api):
    hearing = HearingFactory(certainty="inferred")

    response = anonymous_api.get(f"/api/v1/hearings/{hearing.pk}/")

    assert response.json()["certainty"] == "inferred"


def test_a_citation_to_a_paragraph_the_source_lacks_is_a_400(monitor_api):
    hearing = HearingFactory()
    source = SourceFactory(paragraph_count=75)

    response = monitor_api.post(
        "/api/v1/citations/",
        {
            "source": source.pk,
            "paragraph": "76",
            "subject_type": "hearings",
            "subject_id": hearing.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "paragraph" in response.json()
    assert not Citation.objects.exists()
