"""/api/v1/search/: bad input answers 400 with messages per field, pages follow links, filters
by type and year, and the query count is pinned."""

import pytest

from core.visibility import Visibility
from search.providers import PROVIDERS
from tests.factories import (
    CaseFactory,
    ChargeFactory,
    CourtFactory,
    DefendantFactory,
    HearingFactory,
)

from .conftest import found

pytestmark = pytest.mark.django_db


def errors(client, **params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400, response.content
    return response.json()


def test_an_empty_query_answers_400(anonymous_api):
    assert "q" in errors(anonymous_api, q="")


def test_a_missing_query_answers_400(anonymous_api):
    assert errors(anonymous_api, type="cases")["q"] == ["This field is required."]


def test_a_blank_query_answers_400(anonymous_api):
    assert errors(anonymous_api, q="   ")["q"] == ["This field is required."]


def test_a_query_longer_than_200_characters_answers_400(anonymous_api):
    assert "200" in errors(anonymous_api, q="a" * 201)["q"][0]


def test_a_query_of_more_than_ten_words_answers_400(anonymous_api):
    assert "10 words" in errors(anonymous_api, q="a " * 11)["q"][0]


def test_an_unknown_type_answers_400(anonymous_api):
    assert "type" in errors(anonymous_api, q="Kem", type="documents-and-more")


@pytest.mark.parametrize("year", ["2024x", "1899", "2101", "99999999999999999999"])
def test_a_bad_year_answers_400(anonymous_api, year):
    assert "year" in errors(anonymous_api, q="Kem", year=year)


@pytest.mark.parametrize("cursor", ["nonsense", "bz05OTk5OTk5OTk5OTk5", "%%%"])
def test_a_cursor_we_did_not_give_answers_400(anonymous_api, cursor):
    assert "cursor" in errors(anonymous_api, q="Kem", cursor=cursor)


@pytest.mark.parametrize("size", ["0", "-1", "ten"])
def test_a_bad_page_size_answers_400(anonymous_api, size):
    assert "page_size" in errors(anonymous_api, q="Kem", page_size=size)


def test_an_unknown_parameter_answers_400(anonymous_api):
    assert "search" in errors(anonymous_api, q="Kem", search="Kem")


def test_the_type_filter_keeps_one_type(anonymous_api):
    case = CaseFactory(title="Vorak case")
    DefendantFactory(name="Vorak")

    assert found(anonymous_api, "Vorak", type="cases") == [("cases", case.pk)]


def test_the_year_filter_keeps_the_records_of_that_year(anonymous_api):
    charge = ChargeFactory(
        case__title="Vorak case", defendant__name="Vorak Chan", date_filed="2023-02-01"
    )
    CaseFactory(title="Vorak appeal")  # nothing dated: no year
    HearingFactory(case=charge.case, date="2024-03-01", outcome="Vorak absent")

    assert sorted(found(anonymous_api, "Vorak", year=2023)) == [
        ("cases", charge.case_id),
        ("defendants", charge.defendant_id),
    ]


def test_the_year_filter_counts_only_what_the_caller_may_see(anonymous_api):
    charge = ChargeFactory(
        case__title="Vorak case", date_filed="2023-02-01", visibility=Visibility.MONITORS
    )

    assert ("cases", charge.case_id) not in found(anonymous_api, "Vorak", year=2023)


def test_the_year_filter_leaves_out_reference_data(anonymous_api):
    CaseFactory(court=CourtFactory(name_en="Vorak Court"))

    assert found(anonymous_api, "Vorak", year=2024) == []


def test_pages_follow_the_next_and_previous_links(anonymous_api):
    people = [DefendantFactory(name=f"Vorak {n}") for n in range(5)]

    first = anonymous_api.get("/api/v1/search/", {"q": "Vorak", "page_size": 2}).json()
    second = anonymous_api.get(first["next"]).json()
    third = anonymous_api.get(second["next"]).json()
    back = anonymous_api.get(third["previous"]).json()

    pages = [first, second, third]
    assert [r["id"] for page in pages for r in page["results"]] == [p.pk for p in people]
    assert first["previous"] is None and third["next"] is None
    assert back == second


def test_a_page_size_above_the_maximum_gives_the_maximum(anonymous_api):
    DefendantFactory(name="Vorak")

    response = anonymous_api.get("/api/v1/search/", {"q": "Vorak", "page_size": 100000})

    assert response.status_code == 200


def test_searches_count_against_the_callers_search_budget(anonymous_api, monkeypatch):
    from partners.api.auth import CallerRateThrottle

    rates = {**CallerRateThrottle.THROTTLE_RATES, "search_anon": "2/hour"}
    monkeypatch.setattr(CallerRateThrottle, "THROTTLE_RATES", rates)

    statuses = [anonymous_api.get("/api/v1/search/", {"q": "Vorak"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_the_search_reads_one_query_per_type(anonymous_api, django_assert_num_queries):
    DefendantFactory(name="Vorak")
    CaseFactory(title="Vorak case")
    HearingFactory(outcome="Vorak absent")

    # One query per type: cases, people, articles, courts, organisations, hearings, documents
    # (each through the visibility gate; a reference type's uses, a document's case, as
    # subqueries). The same on SQLite and PostgreSQL.
    with django_assert_num_queries(7):
        response = anonymous_api.get("/api/v1/search/", {"q": "Vorak"})
    assert response.status_code == 200


def test_a_search_of_one_type_reads_one_query(anonymous_api, django_assert_num_queries):
    DefendantFactory(name="Vorak")

    with django_assert_num_queries(1):
        anonymous_api.get("/api/v1/search/", {"q": "Vorak", "type": "defendants"})


def test_the_schema_documents_the_search(anonymous_api):
    schema = anonymous_api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    result = schema["components"]["schemas"]["SearchResult"]

    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"]["maxLength"] == 200
    assert sorted(parameters["type"]["schema"]["enum"]) == sorted(p.record_type for p in PROVIDERS)
    assert set(result["properties"]) == {"record_type", "id", "title", "url", "snippet", "rank"}


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.record_type)
def test_each_types_url_is_its_api_detail(provider):
    from django.urls import reverse

    assert reverse(f"api:{provider.api_name}", args=[7]) == f"/api/v1/{provider.record_type}/7/"
