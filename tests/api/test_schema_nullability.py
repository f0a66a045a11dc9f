"""Every list and detail response of every record type validates against the schema's response,
with every nullable foreign key, date and number left empty: a client generated from the
schema must accept what the API really sends (issue 15, "The schema is the truth")."""

import datetime
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from rest_framework.test import APIClient

from core import registry
from tests.factories import (
    AffiliationFactory,
    AnswerFactory,
    ArticleFactory,
    AssessmentFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    ChecklistItemFactory,
    ChecklistVersionFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    DocumentFactory,
    HearingFactory,
    LawFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = [t.path for t in registry.record_types() if t.path]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The schema as JSON Schema, generated and converted once for the module."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return as_json_schema(response.json())


def as_json_schema(node):
    """OpenAPI 3.0's ``nullable: true`` as JSON Schema: the node, or null. Without
    ``nullable`` a typed node rejects null, as a generated client does."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


# The formats a response's strings claim, checked as a strict client would. jsonschema checks
# "uri" and "date-time" only with optional packages, and without the "uri" check an empty URL
# matches both branches of the blank-or-URL ``oneOf`` drf-spectacular writes for a URLField.
FORMATS = FormatChecker(["date", "uuid"])


@FORMATS.checks("uri")
def is_uri(value):
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value):
    return not isinstance(value, str) or bool(datetime.datetime.fromisoformat(value).tzinfo)


def response_validator(schema, path, method="get"):
    """A validator for the 200 JSON answer of ``path`` in the converted ``schema``, its $refs
    resolved in the schema's components."""
    body = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return Draft202012Validator(
        {**body["schema"], "components": schema["components"]}, format_checker=FORMATS
    )


@pytest.fixture
def records_with_empty_fields():
    """One public record of every type with every nullable key, date and number left empty,
    and one of each with them all filled in."""
    law = LawFactory(title_en="Law on Peaceful Assembly", short_name="", year=None)
    bare_article = ArticleFactory(law=law, number="1")
    case = CaseFactory(court=None, status_as_of=None)
    defendant = DefendantFactory(province=None)
    ChargeFactory(case=case, defendant=defendant, article=None, date_filed=None)
    ChargeFactory(case=case, defendant=defendant, article=bare_article, date_filed=None)
    CaseFactory(court=CourtFactory(province=None))
    HearingFactory(case=case, court=None, time=None)
    DecisionFactory(case=case, defendant=defendant, court=None, hearing=None)
    CustodyPeriodFactory(case=case, defendant=defendant, end=None, last_confirmed=None)
    AffiliationFactory(defendant=defendant)
    CitationFactory(subject=case, source=SourceFactory(date=None))
    empty_hearing = HearingFactory(case=case)
    AnswerFactory(hearing=empty_hearing, defendant=defendant, note="")
    AssessmentFactory(case=case)
    ChecklistVersionFactory(introduced_on=None)
    DocumentFactory(replaces=None)

    # Everything filled in: the non-null values must match the schema's types as well.
    full = CaseFactory(status_as_of=datetime.date(2024, 6, 1))
    person = DefendantFactory()
    article = ArticleFactory(
        penalty_min_months=12,
        penalty_max_months=36,
        fine_min_riel=1_000_000,
        fine_max_riel=4_000_000,
    )
    ChargeFactory(case=full, defendant=person, article=article)
    HearingFactory(case=full, time=datetime.time(8, 30))
    DecisionFactory(
        case=full,
        defendant=person,
        hearing=HearingFactory(case=full),
        prison_months=24,
        suspended_months=6,
        fine_riel=4_000_000,
        compensation_riel=1_000_000,
        political_rights_ban_years=5,
    )
    CustodyPeriodFactory(case=full, defendant=person, end=datetime.date(2024, 2, 1))
    CaseDefendantFactory(case=full)
    CitationFactory(subject=full)
    AnswerFactory(hearing=HearingFactory(case=full), defendant=person, note="Observed.")
    AssessmentFactory(case=full).weighed_items.add(ChecklistItemFactory(text_km="ក"))
    first = DocumentFactory(extract=True)
    DocumentFactory(source=first.source, replaces=first, extract=True)


def mismatches(validator, data):
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(data)
    ]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_list_and_detail_answer_matches_the_schema(
    schema, api_as, records_with_empty_fields, endpoint
):
    list_validator = response_validator(schema, f"/api/v1/{endpoint}/")
    detail_validator = response_validator(schema, f"/api/v1/{endpoint}/{{id}}/")
    errors = []
    # Monitors get monitor-only fields as well; both answers must match the one schema.
    for caller in ("anonymous", "monitor"):
        api = api_as(caller)
        listing = api.get(f"/api/v1/{endpoint}/", {"page_size": 100})
        assert listing.status_code == 200, listing.content
        records = listing.json()["results"]
        assert records, f"no {endpoint} for {caller} to check"
        errors += [f"{caller}, list: {e}" for e in mismatches(list_validator, listing.json())]
        for record in records:
            detail = api.get(f"/api/v1/{endpoint}/{record['id']}/")
            assert detail.status_code == 200, detail.content
            errors += [
                f"{caller}, {record['id']}: {e}"
                for e in mismatches(detail_validator, detail.json())
            ]

    assert errors == [], "\n".join(errors)


def test_the_validator_rejects_a_null_the_schema_does_not_allow(schema):
    validator = response_validator(schema, "/api/v1/laws/{id}/")

    assert mismatches(validator, {"id": None, "title_en": "Criminal Code"}) != []
    assert mismatches(validator, {"id": 1, "title_en": "Criminal Code", "year": None}) == []


def test_a_hearing_time_is_documented_as_phnom_penh_time(schema):
    time = schema["components"]["schemas"]["Hearing"]["properties"]["time"]

    assert {"type": "null"} in time["anyOf"]
    assert "UTC+07:00" in time["anyOf"][0]["description"]


@pytest.mark.parametrize("trim", [{"fields": "id"}, {"omit": "title"}])
def test_a_trimmed_answer_matches_the_schema(schema, anonymous_api, trim):
    CaseFactory()
    validator = response_validator(schema, "/api/v1/cases/")

    listing = anonymous_api.get("/api/v1/cases/", trim)

    assert listing.status_code == 200
    assert mismatches(validator, listing.json()) == []
