"""What keeps a bulk export near the database's speed: a constant number of queries per chunk
of records (never one per record), JSON written by orjson with the values the API gives, and
gzip on the wire."""

import datetime
import decimal
import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from cases.models import Case, Charge, Citation, Source
from core.visibility import Visibility
from defendants.models import CustodyPeriod, Defendant
from exchange import streams
from hearings.models import Decision, Hearing
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = Visibility.MONITORS

# Before the first chunk: the ETag's change feed and the newest court, law, article and
# organisation it names (exchange/api.py export_etag). After the last: the empty chunk of ids.
AROUND = 5 + 1

# Per chunk: its ids, its records, then what the record nests.
PER_CHUNK = {
    # tags, parties, charges, hearings, decisions, their charges, custody periods, citations
    "cases": (Case, 2 + 8),
    # affiliations, cases, charges, custody periods, decisions, their charges
    "defendants": (Defendant, 2 + 6),
    "charges": (Charge, 2),
    "hearings": (Hearing, 2),
    "decisions": (Decision, 2 + 1),  # their charges
    "custody-periods": (CustodyPeriod, 2),
    "citations": (Citation, 2),
    "sources": (Source, 2),
}


def make_cases(count):
    """``count`` cases with every kind of nesting, and a hidden record of each kind."""
    for _ in range(count):
        case = CaseFactory()
        party = CaseDefendantFactory(case=case)
        charge = ChargeFactory(case=case, defendant=party.defendant)
        ChargeFactory(case=case, defendant=party.defendant, visibility=HIDDEN)
        HearingFactory(case=case)
        HearingFactory(case=case, visibility=HIDDEN)
        decision = DecisionFactory(case=case, defendant=party.defendant)
        decision.charges.add(charge)
        CustodyPeriodFactory(case=case, defendant=party.defendant)
        CitationFactory(subject=case)
        CitationFactory(subject=party.defendant)


def queries_of(api, path):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured), json.loads(body)


@pytest.mark.parametrize("cases", [1, 3])
@pytest.mark.parametrize("kind", list(PER_CHUNK))
def test_a_json_export_reads_the_same_queries_for_each_chunk(
    anonymous_api, monkeypatch, kind, cases
):
    chunked_ids = streams.chunked_ids
    monkeypatch.setattr(streams, "chunked_ids", lambda queryset: chunked_ids(queryset, size=1))
    make_cases(cases)
    model, per_chunk = PER_CHUNK[kind]

    queries, records = queries_of(anonymous_api, f"/api/v1/export/{kind}.json")

    assert len(records) == model.objects.visible_to(None).count() >= cases
    assert queries == AROUND + per_chunk * len(records)


def test_an_exported_case_is_its_api_representation_key_for_key(anonymous_api):
    make_cases(1)
    case = Case.objects.get()

    [exported] = queries_of(anonymous_api, "/api/v1/export/cases.json")[1]

    detail = anonymous_api.get(f"/api/v1/cases/{case.pk}/").json()
    assert list(exported.items()) == list(detail.items())


def test_an_exported_person_is_their_api_representation_key_for_key(anonymous_api):
    make_cases(1)
    person = Defendant.objects.get()

    [exported] = queries_of(anonymous_api, "/api/v1/export/defendants.json")[1]

    detail = anonymous_api.get(f"/api/v1/defendants/{person.pk}/").json()
    assert list(exported.items()) == list(detail.items())


def test_a_json_export_writes_khmer_as_utf8_not_escapes(anonymous_api):
    CaseFactory(title_km="សំណុំរឿង")

    response = anonymous_api.get("/api/v1/export/cases.json")

    assert "សំណុំរឿង".encode() in b"".join(response.streaming_content)


def test_values_orjson_does_not_know_are_written_as_django_writes_them():
    moment = datetime.datetime(2024, 2, 7, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    item = {"fine": decimal.Decimal("12.50"), "label": gettext_lazy("case"), "at": moment}

    assert json.loads(streams.dumps(item)) == {
        "fine": "12.50",
        "label": "case",
        "at": "2024-02-07T09:30:15.123Z",
    }


def test_an_empty_json_export_is_an_empty_list(anonymous_api):
    assert queries_of(anonymous_api, "/api/v1/export/cases.json")[1] == []


def test_a_json_export_is_gzipped_for_a_client_that_accepts_it(anonymous_api):
    make_cases(2)
    plain = b"".join(anonymous_api.get("/api/v1/export/cases.json").streaming_content)

    response = anonymous_api.get("/api/v1/export/cases.json", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == plain
