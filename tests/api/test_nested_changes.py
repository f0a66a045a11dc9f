"""Parents move with their children (#15, item 2): a change to a record nested in a case or a
person, or to the link it is nested through, moves the parent's ``updated_at`` (and so its
ETag and ``updated_since``) for exactly the callers who may see that change, and the change
feed sends the parent again to them alone."""

import csv
import datetime
import io
import json

import pytest
import time_machine

from cases.models import Tag
from core.visibility import Visibility
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BEFORE = datetime.datetime(2025, 1, 1, 9, tzinfo=UTC)  # the records are made
SINCE = datetime.datetime(2025, 1, 2, 9, tzinfo=UTC)  # the caller's previous sync
AFTER = datetime.datetime(2025, 1, 3, 9, tzinfo=UTC)  # the change
BEFORE_TEXT, AFTER_TEXT = "2025-01-01T09:00:00Z", "2025-01-03T09:00:00Z"
CALLERS = ["anonymous", "partner", "monitor"]


def at(moment):
    return time_machine.travel(moment, tick=False)


def case_detail(client, case):
    response = client.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200, response.content
    return response


def changed_since(client, endpoint="cases"):
    response = client.get(f"/api/v1/{endpoint}/", {"updated_since": SINCE.isoformat()})
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]


def feed_cursor(client):
    body = client.get("/api/v1/changes/", {"page_size": 500}).json()
    while body["next"]:
        body = client.get("/api/v1/changes/", {"page_size": 500, "cursor": body["cursor"]}).json()
    return body["cursor"]


def feed(client, cursor):
    response = client.get("/api/v1/changes/", {"cursor": cursor})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def in_a_case(make, level=Visibility.PUBLIC):
    """A public case with one record ``make`` makes in it at ``level``: (case, record)."""
    with at(BEFORE):
        case = CaseFactory()
        return case, make(case, level)


def hearing(case, level):
    return HearingFactory(case=case, visibility=level)


def charge(case, level):
    return ChargeFactory(case=case, visibility=level)


def link(case, level):
    return CaseDefendantFactory(case=case, visibility=level)


def person(case, level):
    return CaseDefendantFactory(case=case, visibility=level).defendant


def citation(case, level):
    return CitationFactory(subject=case, visibility=level)


def decision(case, level):
    return DecisionFactory(case=case, visibility=level)


def custody_period(case, level):
    return CustodyPeriodFactory(case=case, visibility=level)


def edit(record):
    """Change a field the record's nested representation shows."""
    field = {
        "Hearing": "outcome",
        "Charge": "label",
        "CaseDefendant": "certainty",
        "Defendant": "name",
        "Citation": "paragraph",
        "Decision": "summary",
        "CustodyPeriod": "note",
    }[type(record).__name__]
    setattr(record, field, "inferred" if field == "certainty" else "12")
    record.save()


NESTED = [hearing, charge, link, person, citation, decision, custody_period]


# A visible change moves the parent ------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("make", NESTED)
def test_editing_a_visible_nested_record_moves_the_case_for_its_caller(api_as, caller, make):
    case, record = in_a_case(make)
    client = api_as(caller)
    assert case_detail(client, case).json()["updated_at"] == BEFORE_TEXT

    with at(AFTER):
        edit(record)

    assert case_detail(client, case).json()["updated_at"] == AFTER_TEXT
    assert changed_since(client) == [case.pk]


@pytest.mark.parametrize("make", [hearing, charge, link, citation])
def test_creating_a_visible_nested_record_moves_the_case(anonymous_api, make):
    with at(BEFORE):
        case = CaseFactory()

    with at(AFTER):
        make(case, Visibility.PUBLIC)

    assert case_detail(anonymous_api, case).json()["updated_at"] == AFTER_TEXT
    assert changed_since(anonymous_api) == [case.pk]


@pytest.mark.parametrize("make", [hearing, charge, link, citation])
def test_deleting_a_visible_nested_record_moves_the_case(anonymous_api, make):
    case, record = in_a_case(make)

    with at(AFTER):
        record.delete()

    assert case_detail(anonymous_api, case).json()["updated_at"] == AFTER_TEXT
    assert changed_since(anonymous_api) == [case.pk]


def test_a_partners_level_hearing_moves_the_case_for_partners_only(anonymous_api, partner_api):
    case, record = in_a_case(hearing, Visibility.PARTNERS)

    with at(AFTER):
        edit(record)

    assert case_detail(partner_api, case).json()["updated_at"] == AFTER_TEXT
    assert case_detail(anonymous_api, case).json()["updated_at"] == BEFORE_TEXT


def test_hiding_a_public_hearing_moves_the_case_for_public_callers(anonymous_api):
    case, record = in_a_case(hearing)

    with at(AFTER):
        record.visibility = Visibility.MONITORS
        record.save()

    body = case_detail(anonymous_api, case).json()
    assert (body["updated_at"], body["hearings"]) == (AFTER_TEXT, [])
    assert changed_since(anonymous_api) == [case.pk]


def test_a_changed_affiliation_moves_the_person(anonymous_api):
    with at(BEFORE):
        affiliation = AffiliationFactory()

    with at(AFTER):
        affiliation.role = "Deputy president"
        affiliation.save()

    person_id = affiliation.defendant_id
    assert anonymous_api.get(f"/api/v1/defendants/{person_id}/").json()["updated_at"] == AFTER_TEXT
    assert changed_since(anonymous_api, "defendants") == [person_id]


def test_a_new_link_moves_the_person_it_names(anonymous_api):
    with at(BEFORE):
        case, defendant = CaseFactory(), DefendantFactory()

    with at(AFTER):
        CaseDefendantFactory(case=case, defendant=defendant)

    assert changed_since(anonymous_api, "defendants") == [defendant.pk]


def test_a_charge_added_to_a_decision_moves_the_case(anonymous_api):
    with at(BEFORE):
        ruling = DecisionFactory()
        ruled_on = ChargeFactory(case=ruling.case, defendant=ruling.defendant)

    with at(AFTER):
        ruling.charges.add(ruled_on)

    assert case_detail(anonymous_api, ruling.case).json()["updated_at"] == AFTER_TEXT


# A change a caller cannot see moves nothing they see -------------------------------------------


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
@pytest.mark.parametrize("make", [hearing, charge, citation, decision])
def test_a_monitors_only_change_leaves_the_case_byte_identical(api_as, caller, make):
    case, record = in_a_case(make, Visibility.MONITORS)
    client = api_as(caller)
    detail, listing = case_detail(client, case), client.get("/api/v1/cases/")
    cursor = feed_cursor(client)

    with at(AFTER):
        edit(record)

    detail_after, listing_after = case_detail(client, case), client.get("/api/v1/cases/")
    assert (detail_after.content, detail_after["ETag"]) == (detail.content, detail["ETag"])
    assert (listing_after.content, listing_after["ETag"]) == (listing.content, listing["ETag"])
    assert changed_since(client) == []
    assert feed(client, cursor) == []


def test_a_monitors_only_change_moves_the_case_for_monitors(monitor_api):
    case, record = in_a_case(hearing, Visibility.MONITORS)

    with at(AFTER):
        edit(record)

    assert case_detail(monitor_api, case).json()["updated_at"] == AFTER_TEXT


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_person_in_a_case_through_a_hidden_link_moves_nothing_for_them(api_as, caller):
    with at(BEFORE):
        case, defendant = CaseFactory(), DefendantFactory()
        CaseDefendantFactory(case=case, defendant=defendant, visibility=Visibility.MONITORS)
    client = api_as(caller)
    cursor = feed_cursor(client)

    with at(AFTER):
        defendant.name = "Renamed"
        defendant.save()

    assert case_detail(client, case).json()["updated_at"] == BEFORE_TEXT
    assert changed_since(client) == []
    assert [entry["type"] for entry in feed(client, cursor)] == ["defendants"]


def test_a_person_in_a_case_through_a_hidden_link_moves_the_case_for_monitors(monitor_api):
    with at(BEFORE):
        case, defendant = CaseFactory(), DefendantFactory()
        CaseDefendantFactory(case=case, defendant=defendant, visibility=Visibility.MONITORS)

    with at(AFTER):
        defendant.name = "Renamed"
        defendant.save()

    assert case_detail(monitor_api, case).json()["updated_at"] == AFTER_TEXT


# The change feed sends the parent again --------------------------------------------------------


@pytest.mark.parametrize("make", [person, citation, custody_period])
def test_the_feed_sends_the_case_again_as_a_fresh_pull_gives_it(anonymous_api, make):
    case, record = in_a_case(make)
    cursor = feed_cursor(anonymous_api)

    with at(AFTER):
        edit(record)

    [sent] = [entry for entry in feed(anonymous_api, cursor) if entry["type"] == "cases"]
    [pulled] = anonymous_api.get("/api/v1/cases/").json()["results"]
    assert (sent["id"], sent["action"], sent["record"]) == (case.pk, "updated", pulled)


def test_the_feed_sends_a_partners_level_change_to_partners_only(anonymous_api, partner_api):
    case, record = in_a_case(charge, Visibility.PARTNERS)
    anonymous_cursor, partner_cursor = feed_cursor(anonymous_api), feed_cursor(partner_api)

    with at(AFTER):
        edit(record)

    assert feed(anonymous_api, anonymous_cursor) == []
    assert [e["type"] for e in feed(partner_api, partner_cursor)] == [
        "charges",
        "cases",
        "defendants",
    ]


# The caller's updated_at everywhere ------------------------------------------------------------


def test_ordering_by_updated_at_follows_what_the_caller_sees(anonymous_api, monitor_api):
    with at(BEFORE):
        quiet, busy = CaseFactory(title="Quiet"), CaseFactory(title="Busy")
        hidden = HearingFactory(case=quiet, visibility=Visibility.MONITORS)
    with at(BEFORE + datetime.timedelta(hours=1)):
        busy.summary = "Adjourned again."
        busy.save()

    with at(AFTER):
        edit(hidden)

    def ordered(client):
        response = client.get("/api/v1/cases/", {"ordering": "-updated_at"})
        return [record["title"] for record in response.json()["results"]]

    assert ordered(anonymous_api) == ["Busy", "Quiet"]
    assert ordered(monitor_api) == ["Quiet", "Busy"]


@pytest.mark.parametrize("caller", ["anonymous", "monitor"])
def test_the_csv_export_gives_the_updated_at_the_api_gives(api_as, caller):
    case, record = in_a_case(hearing, Visibility.MONITORS)
    with at(AFTER):
        edit(record)
    client = api_as(caller)

    response = client.get("/api/v1/export/cases.csv")
    [row] = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))

    expected = case_detail(client, case).json()["updated_at"]
    assert row["updated_at"].replace(" ", "T").replace("+00:00", "Z") == expected


def test_the_json_export_gives_the_updated_at_the_api_gives(anonymous_api):
    case, record = in_a_case(hearing)
    with at(AFTER):
        edit(record)

    response = anonymous_api.get("/api/v1/export/cases.json")

    [exported] = json.loads(b"".join(response.streaming_content))
    assert exported["updated_at"] == case_detail(anonymous_api, case).json()["updated_at"]


# Reference data shown inside a parent ---------------------------------------------------------


def test_renaming_a_court_moves_its_cases(anonymous_api):
    with at(BEFORE):
        case = CaseFactory(court=CourtFactory())
    cursor = feed_cursor(anonymous_api)

    with at(AFTER):
        case.court.name_en = "Appeal Court"
        case.court.save()

    body = case_detail(anonymous_api, case).json()
    assert (body["updated_at"], body["court"]["name_en"]) == (AFTER_TEXT, "Appeal Court")
    assert [(e["type"], e["record"]["court"]["name_en"]) for e in feed(anonymous_api, cursor)] == [
        ("cases", "Appeal Court")
    ]


def test_renaming_a_tag_moves_its_cases(anonymous_api):
    with at(BEFORE):
        case = CaseFactory()
        tag = Tag.objects.create(slug="land", name_en="Land")
        case.tags.add(tag)

    with at(AFTER):
        tag.slug = "land-rights"
        tag.save()

    assert changed_since(anonymous_api) == [case.pk]


@pytest.mark.parametrize(
    ("level", "moved_for_public"), [(Visibility.PUBLIC, True), (Visibility.MONITORS, False)]
)
def test_renaming_an_article_moves_a_case_for_those_who_see_its_charge(
    anonymous_api, level, moved_for_public
):
    case, record = in_a_case(charge, level)
    article = ArticleFactory()
    with at(BEFORE):
        record.article = article
        record.save()

    with at(AFTER):
        article.title_en = "Incitement to commit a felony"
        article.save()

    assert (changed_since(anonymous_api) == [case.pk]) is moved_for_public
    assert (changed_since(anonymous_api, "defendants") == [record.defendant_id]) is moved_for_public


def test_renaming_a_cited_source_moves_the_case_citing_it(anonymous_api):
    case, record = in_a_case(citation)

    with at(AFTER):
        record.source.title = "Second report"
        record.source.save()

    body = case_detail(anonymous_api, case).json()
    assert (body["updated_at"], body["citations"][0]["source_title"]) == (
        AFTER_TEXT,
        "Second report",
    )
