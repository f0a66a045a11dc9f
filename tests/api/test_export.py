"""Bulk export: everything of one type the caller may see, streamed as JSON or CSV."""

import csv
import datetime
import io
import json
from datetime import UTC

import pytest

from cases.models import Case
from core.dates import DatePrecision
from core.models import changed_now
from core.visibility import Visibility
from exchange import streams
from tests.factories import (
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = Visibility.MONITORS

EXPORTS = {
    "cases": lambda **kw: CaseFactory(**kw),
    "defendants": lambda **kw: DefendantFactory(**kw),
    "charges": lambda **kw: ChargeFactory(**kw),
    "hearings": lambda **kw: HearingFactory(**kw),
    "decisions": lambda **kw: DecisionFactory(**kw),
    "custody-periods": lambda **kw: CustodyPeriodFactory(**kw),
    "citations": lambda **kw: CitationFactory(**kw),
    "sources": lambda **kw: SourceFactory(**kw),
}


def read(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def json_ids(response):
    return [record["id"] for record in json.loads(read(response))]


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(read(response))))


def csv_ids(response):
    return [int(row["id"]) for row in csv_rows(response)]


@pytest.mark.parametrize("kind", list(EXPORTS))
@pytest.mark.parametrize("extension", ["json", "csv"])
def test_an_export_is_streamed(anonymous_api, kind, extension):
    EXPORTS[kind]()

    response = anonymous_api.get(f"/api/v1/export/{kind}.{extension}")

    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"].startswith(
        "application/json" if extension == "json" else "text/csv"
    )


# The migrations load public sources of their own (the detention rules' legal sources).
STARTING_EMPTY = [kind for kind in EXPORTS if kind != "sources"]


@pytest.mark.parametrize("kind", STARTING_EMPTY)
def test_a_json_export_holds_exactly_the_public_records_for_anonymous_callers(anonymous_api, kind):
    public = EXPORTS[kind]()
    EXPORTS[kind](visibility=HIDDEN)
    EXPORTS[kind](visibility=Visibility.PARTNERS)

    assert json_ids(anonymous_api.get(f"/api/v1/export/{kind}.json")) == [public.pk]


@pytest.mark.parametrize("kind", STARTING_EMPTY)
def test_a_csv_export_holds_exactly_the_public_records_for_anonymous_callers(anonymous_api, kind):
    public = EXPORTS[kind]()
    EXPORTS[kind](visibility=HIDDEN)

    assert csv_ids(anonymous_api.get(f"/api/v1/export/{kind}.csv")) == [public.pk]


@pytest.mark.parametrize("kind", ["charges", "hearings", "decisions", "custody-periods"])
@pytest.mark.parametrize("extension", ["json", "csv"])
def test_public_facts_of_a_confidential_case_are_not_exported(anonymous_api, kind, extension):
    EXPORTS[kind](case__visibility=HIDDEN)

    response = anonymous_api.get(f"/api/v1/export/{kind}.{extension}")

    assert (json_ids if extension == "json" else csv_ids)(response) == []


@pytest.mark.parametrize("extension", ["json", "csv"])
def test_a_confidential_case_is_exported_for_a_monitor_token(monitor_api, extension):
    public, confidential = CaseFactory(), CaseFactory(visibility=HIDDEN)

    response = monitor_api.get(f"/api/v1/export/cases.{extension}")

    listed = json_ids(response) if extension == "json" else csv_ids(response)
    assert listed == [public.pk, confidential.pk]


def test_a_partner_level_case_is_exported_for_a_partner_token(partner_api):
    public, shared = CaseFactory(), CaseFactory(visibility=Visibility.PARTNERS)
    CaseFactory(visibility=HIDDEN)

    assert json_ids(partner_api.get("/api/v1/export/cases.json")) == [public.pk, shared.pk]


def test_exported_cases_nest_only_their_visible_facts(anonymous_api):
    case = CaseFactory()
    shown = HearingFactory(case=case)
    HearingFactory(case=case, visibility=HIDDEN)

    [exported] = json.loads(read(anonymous_api.get("/api/v1/export/cases.json")))

    assert [h["id"] for h in exported["hearings"]] == [shown.pk]


def test_exported_people_carry_their_days_in_detention(anonymous_api):
    person = CustodyPeriodFactory().defendant

    [exported] = json.loads(read(anonymous_api.get("/api/v1/export/defendants.json")))

    assert exported["id"] == person.pk
    assert exported["detention"]["in_detention"] is True


def test_an_export_spanning_several_chunks_is_one_valid_document(anonymous_api, monkeypatch):
    chunked_ids = streams.chunked_ids
    monkeypatch.setattr(streams, "chunked_ids", lambda queryset: chunked_ids(queryset, size=2))
    made = [case.pk for case in CaseFactory.create_batch(5)]

    assert json_ids(anonymous_api.get("/api/v1/export/cases.json")) == made
    assert csv_ids(anonymous_api.get("/api/v1/export/cases.csv")) == made


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tindent"]
)
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(anonymous_api, title):
    CaseFactory(title=title)

    [row] = csv_rows(anonymous_api.get("/api/v1/export/cases.csv"))

    assert row["title"] == "'" + title


def test_ordinary_csv_cells_are_left_alone(anonymous_api):
    CaseFactory(title="Prosecutor v. Kem Sokha")

    [row] = csv_rows(anonymous_api.get("/api/v1/export/cases.csv"))

    assert row["title"] == "Prosecutor v. Kem Sokha"


def test_a_csv_export_says_how_certain_each_record_is(anonymous_api):
    CaseFactory(certainty="inferred")

    [row] = csv_rows(anonymous_api.get("/api/v1/export/cases.csv"))

    assert row["certainty"] == "inferred"


def test_a_csv_export_has_a_header_row_even_when_empty(anonymous_api):
    text = read(anonymous_api.get("/api/v1/export/hearings.csv"))

    assert text.splitlines() == [
        "id,case_id,court,date,date_precision,time,kind,status,monitored,outcome,certainty,"
        "updated_at"
    ]


@pytest.mark.parametrize("url", ["/api/v1/export/users.json", "/api/v1/export/tokens.csv"])
def test_an_unknown_export_is_a_404(anonymous_api, url):
    assert anonymous_api.get(url).status_code == 404


def test_an_unknown_format_is_a_404(anonymous_api):
    assert anonymous_api.get("/api/v1/export/cases.xlsx").status_code == 404


def test_an_export_for_a_token_is_not_stored_by_caches(monitor_api):
    response = monitor_api.get("/api/v1/export/cases.json")

    assert "no-store" in response["Cache-Control"]


def test_a_csv_writes_a_partial_date_as_the_json_does(anonymous_api):
    ChargeFactory(date_filed=datetime.date(2023, 10, 1), date_filed_precision=DatePrecision.MONTH)

    [row] = csv_rows(anonymous_api.get("/api/v1/export/charges.csv"))

    assert (row["date_filed"], row["date_filed_precision"]) == ("2023-10", "month")


def test_a_csv_leaves_the_precision_of_an_unknown_date_empty(anonymous_api):
    ChargeFactory(date_filed=None)

    [row] = csv_rows(anonymous_api.get("/api/v1/export/charges.csv"))

    assert (row["date_filed"], row["date_filed_precision"]) == ("", "")


def test_an_export_with_updated_since_holds_only_what_changed_since(anonymous_api):
    old = CaseFactory()
    Case.objects.filter(pk=old.pk).update(
        **changed_now(Case, datetime.datetime(2024, 1, 1, tzinfo=UTC))
    )
    new = CaseFactory()

    response = anonymous_api.get("/api/v1/export/cases.csv?updated_since=2025-01-01T00:00:00Z")

    assert csv_ids(response) == [new.pk]


def test_an_export_refuses_a_naive_updated_since(anonymous_api):
    response = anonymous_api.get("/api/v1/export/cases.json?updated_since=2025-01-01T00:00:00")

    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_an_export_carries_an_etag_and_answers_304_when_nothing_changed(anonymous_api):
    CaseFactory()
    etag = anonymous_api.get("/api/v1/export/cases.json")["ETag"]

    response = anonymous_api.get("/api/v1/export/cases.json", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_an_export_etag_moves_when_a_record_changes(
    anonymous_api, django_capture_on_commit_callbacks
):
    case = CaseFactory()
    etag = anonymous_api.get("/api/v1/export/cases.json")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "A new title"
        case.save()

    response = anonymous_api.get("/api/v1/export/cases.json", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200


def test_a_change_the_caller_cannot_see_leaves_their_export_etag(
    anonymous_api, django_capture_on_commit_callbacks
):
    court = CaseFactory().court
    etag = anonymous_api.get("/api/v1/export/cases.json")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        # A confidential case at a court already known: public callers see nothing of it.
        CaseFactory(visibility=HIDDEN, court=court)

    response = anonymous_api.get("/api/v1/export/cases.json", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_renaming_a_court_moves_the_export_etag_of_the_hearings_naming_it(anonymous_api):
    hearing = HearingFactory(court=CourtFactory())
    etag = anonymous_api.get("/api/v1/export/hearings.csv")["ETag"]
    hearing.court.name_en = "Renamed court"
    hearing.court.save()

    response = anonymous_api.get("/api/v1/export/hearings.csv", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200


def test_an_export_etag_differs_between_levels(anonymous_api, monitor_api):
    CaseFactory()

    public = anonymous_api.get("/api/v1/export/cases.json")["ETag"]

    assert monitor_api.get("/api/v1/export/cases.json")["ETag"] != public


def test_a_gzipped_export_etag_sent_back_answers_304(anonymous_api):
    CaseFactory()
    first = anonymous_api.get("/api/v1/export/cases.json", HTTP_ACCEPT_ENCODING="gzip")

    response = anonymous_api.get(
        "/api/v1/export/cases.json", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert response.status_code == 304


@pytest.mark.parametrize("extension", ["json", "csv"])
def test_a_public_citation_of_a_confidential_case_is_not_exported(anonymous_api, extension):
    CitationFactory(subject=CaseFactory(visibility=HIDDEN))

    response = anonymous_api.get(f"/api/v1/export/citations.{extension}")

    assert (json_ids if extension == "json" else csv_ids)(response) == []


def test_a_csv_names_a_cited_record_by_its_type_path(anonymous_api):
    citation = CitationFactory(subject=CustodyPeriodFactory())

    rows = csv_rows(anonymous_api.get("/api/v1/export/citations.csv"))

    assert [(r["subject_type"], r["subject_id"]) for r in rows] == [
        ("custody-periods", str(citation.object_id))
    ]


def test_an_exported_citation_is_its_api_representation(anonymous_api):
    citation = CitationFactory()

    exported = json.loads(read(anonymous_api.get("/api/v1/export/citations.json")))

    assert exported == [anonymous_api.get(f"/api/v1/citations/{citation.pk}/").json()]


def test_a_source_export_gives_the_period_a_source_covers(anonymous_api):
    source = SourceFactory(
        covers_from=datetime.date(2023, 6, 1), covers_until=datetime.date(2024, 5, 31)
    )

    rows = csv_rows(anonymous_api.get("/api/v1/export/sources.csv"))
    row = next(r for r in rows if r["id"] == str(source.pk))

    assert (row["covers_from"], row["covers_until"]) == ("2023-06-01", "2024-05-31")


@pytest.mark.parametrize("extension", ["json", "csv"])
def test_a_confidential_source_is_not_exported(anonymous_api, extension):
    public, hidden = SourceFactory(), SourceFactory(visibility=HIDDEN)

    response = anonymous_api.get(f"/api/v1/export/sources.{extension}")
    ids = (json_ids if extension == "json" else csv_ids)(response)

    assert public.pk in ids and hidden.pk not in ids
