"""One name per record type for partners: its API path, in citations as in lists and
tombstones."""

import pytest

from tests.factories import CaseFactory, CitationFactory, CustodyPeriodFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_a_citation_names_its_subject_type_by_the_types_path(anonymous_api):
    period = CustodyPeriodFactory()
    citation = CitationFactory(subject=period)

    body = anonymous_api.get(f"/api/v1/citations/{citation.pk}/").json()

    assert (body["subject_type"], body["subject_id"]) == ("custody-periods", period.pk)


def test_citations_filter_by_the_types_path(anonymous_api):
    cited = CitationFactory(subject=CaseFactory())
    CitationFactory(subject=CustodyPeriodFactory())

    body = anonymous_api.get("/api/v1/citations/", {"subject_type": "cases"}).json()

    assert [c["id"] for c in body["results"]] == [cited.pk]


def test_an_unknown_subject_type_filter_is_a_400(anonymous_api):
    response = anonymous_api.get("/api/v1/citations/", {"subject_type": "custodyperiod"})

    assert response.status_code == 400
    assert "subject_type" in response.json()


def test_a_citation_is_written_with_the_types_path(monitor_api):
    case = CaseFactory()

    response = monitor_api.post(
        "/api/v1/citations/",
        {
            "source": SourceFactory().pk,
            "paragraph": "34",
            "subject_type": "cases",
            "subject_id": case.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["subject_type"] == "cases"


def test_a_citation_with_a_model_name_for_its_type_is_a_400(monitor_api):
    response = monitor_api.post(
        "/api/v1/citations/",
        {
            "source": SourceFactory().pk,
            "paragraph": "34",
            "subject_type": "exportjob",
            "subject_id": 1,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "subject_type" in response.json()
