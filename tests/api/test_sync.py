"""Incremental sync: ``updated_since`` on every list gives what changed, /tombstones/ what the
caller must forget (deleted, or no longer visible to them), without revealing records the caller
could never see."""

import datetime

import pytest
import time_machine

from core.visibility import Visibility
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    SourceFactory,
)

from .helpers import ids

pytestmark = pytest.mark.django_db


UTC = datetime.UTC
BEFORE = datetime.datetime(2025, 1, 1, 9, tzinfo=UTC)  # the records are made
SINCE = datetime.datetime(2025, 1, 2, 9, tzinfo=UTC)  # the caller's previous sync
AFTER = datetime.datetime(2025, 1, 3, 9, tzinfo=UTC)  # the changes the caller syncs
SINCE_PARAM = SINCE.isoformat()


def at(moment):
    return time_machine.travel(moment, tick=False)


def tombstones(client, **params):
    response = client.get("/api/v1/tombstones/", {"updated_since": SINCE_PARAM, **params})
    assert response.status_code == 200, response.content
    return [(stone["type"], stone["id"], stone["reason"]) for stone in response.json()["results"]]


# updated_since ----------------------------------------------------------------------------------


# A field every caller of the record reads, by endpoint: a save changing nothing, or only what
# monitors alone read, is no change for them (tests/api/test_monitors_only_fields.py).
EDITED_FIELD = {
    "cases": "title",
    "defendants": "name",
    "charges": "label",
    "hearings": "outcome",
    "decisions": "summary",
    "custody-periods": "note",
    "citations": "paragraph",
    "sources": "title",
}


@pytest.mark.parametrize(
    ("endpoint", "make"),
    [
        ("cases", CaseFactory),
        ("defendants", DefendantFactory),
        ("charges", ChargeFactory),
        ("hearings", HearingFactory),
        ("decisions", DecisionFactory),
        ("custody-periods", CustodyPeriodFactory),
        ("citations", CitationFactory),
        ("sources", SourceFactory),
        # Reference data (articles, laws, courts, organisations) shows no times: no
        # updated_since (tests/security/test_reference_data.py).
    ],
)
def test_updated_since_lists_only_records_edited_after_it(anonymous_api, endpoint, make):
    with at(BEFORE):
        edited, untouched = make(), make()
    with at(AFTER):
        setattr(edited, EDITED_FIELD[endpoint], "12")
        edited.save()

    listed = ids(anonymous_api.get(f"/api/v1/{endpoint}/", {"updated_since": SINCE_PARAM}))

    # Membership, not equality: migrations may add reference records (a source, provinces).
    assert edited.pk in listed
    assert untouched.pk not in listed
    assert untouched.pk in ids(anonymous_api.get(f"/api/v1/{endpoint}/"))


def test_updated_since_lists_a_new_record(anonymous_api):
    with at(BEFORE):
        CaseFactory()
    with at(AFTER):
        new = CaseFactory()

    assert ids(anonymous_api.get("/api/v1/cases/", {"updated_since": SINCE_PARAM})) == [new.pk]


def test_updated_since_must_be_a_time(anonymous_api):
    response = anonymous_api.get("/api/v1/cases/", {"updated_since": "last week"})

    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_an_edit_through_the_api_shows_in_updated_since(monitor_api):
    with at(BEFORE):
        hearing = HearingFactory()
    with at(AFTER):
        response = monitor_api.patch(
            f"/api/v1/hearings/{hearing.pk}/", {"outcome": "adjourned", "version": 1}
        )
    assert response.status_code == 200, response.content

    listed = monitor_api.get("/api/v1/hearings/", {"updated_since": SINCE_PARAM})

    assert [h["outcome"] for h in listed.json()["results"]] == ["adjourned"]


# Tombstones ------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["anonymous", "partner", "monitor"])
def test_a_record_deleted_since_is_a_deleted_tombstone(api_as, caller):
    with at(BEFORE):
        case = CaseFactory()
    case_id = case.pk
    with at(AFTER):
        case.delete()

    assert tombstones(api_as(caller), type="cases") == [("cases", case_id, "deleted")]


def test_a_record_deleted_before_since_is_not_a_tombstone(anonymous_api):
    with at(BEFORE):
        CaseFactory().delete()

    assert tombstones(anonymous_api) == []


def test_deleting_a_case_tombstones_its_facts_too(anonymous_api):
    with at(BEFORE):
        hearing = HearingFactory()
    case, hearing_id = hearing.case, hearing.pk
    with at(AFTER):
        case.delete()

    assert ("hearings", hearing_id, "deleted") in tombstones(anonymous_api)


def test_an_edited_record_is_in_updated_since_and_not_a_tombstone(anonymous_api):
    with at(BEFORE):
        case = CaseFactory()
    with at(AFTER):
        case.title = "Renamed"
        case.save()

    assert ids(anonymous_api.get("/api/v1/cases/", {"updated_since": SINCE_PARAM})) == [case.pk]
    assert tombstones(anonymous_api) == []


@pytest.fixture
def case_made_confidential():
    """A case that was public at the caller's last sync and is monitors-only now."""
    with at(BEFORE):
        case = CaseFactory()
    with at(AFTER):
        case.visibility = Visibility.MONITORS
        case.save()
    return case


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_case_made_confidential_is_a_hidden_tombstone(api_as, caller, case_made_confidential):
    client = api_as(caller)

    assert tombstones(client) == [("cases", case_made_confidential.pk, "hidden")]
    assert ids(client.get("/api/v1/cases/", {"updated_since": SINCE_PARAM})) == []


def test_a_case_made_confidential_is_no_tombstone_for_a_monitor(
    monitor_api, case_made_confidential
):
    assert tombstones(monitor_api) == []
    assert ids(monitor_api.get("/api/v1/cases/", {"updated_since": SINCE_PARAM})) == [
        case_made_confidential.pk
    ]


def test_the_tombstone_says_when_the_record_was_hidden(anonymous_api, case_made_confidential):
    response = anonymous_api.get("/api/v1/tombstones/", {"since": SINCE_PARAM})

    [stone] = response.json()["results"]
    assert datetime.datetime.fromisoformat(stone["at"]) == AFTER


def test_the_answer_gives_the_server_time_to_use_as_the_next_since(anonymous_api, settings):
    with at(AFTER):
        response = anonymous_api.get("/api/v1/tombstones/", {"since": SINCE_PARAM})

    # A little before now: a record stamped just before its statement began (autocommit),
    # or by an app server whose clock runs behind, is still ahead of the next sync.
    overlap = datetime.timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
    assert datetime.datetime.fromisoformat(response.json()["server_time"]) == AFTER - overlap


@pytest.mark.postgres
def test_the_server_time_waits_for_a_transaction_still_open(anonymous_api, settings):
    """A record saved in a transaction still open is stamped before the sync but committed
    after it: the next sync must start before that transaction began."""
    import psycopg
    from django.db import connection

    with psycopg.connect(**connection.get_connection_params()) as writer:
        writer.execute("BEGIN")
        [[began]] = writer.execute("SELECT now()").fetchall()  # the transaction's start
        response = anonymous_api.get("/api/v1/tombstones/", {"since": SINCE_PARAM})
        writer.execute("ROLLBACK")

    overlap = datetime.timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
    assert datetime.datetime.fromisoformat(response.json()["server_time"]) <= began - overlap


def test_a_partner_level_case_made_confidential_is_a_tombstone_only_for_partners(
    anonymous_api, partner_api
):
    with at(BEFORE):
        case = CaseFactory(visibility=Visibility.PARTNERS)
    with at(AFTER):
        case.visibility = Visibility.MONITORS
        case.save()

    assert tombstones(partner_api) == [("cases", case.pk, "hidden")]
    assert tombstones(anonymous_api) == []


def test_a_case_opened_to_partners_is_no_tombstone_for_them(partner_api):
    with at(BEFORE):
        case = CaseFactory()
    with at(AFTER):
        case.visibility = Visibility.PARTNERS
        case.save()

    assert tombstones(partner_api) == []


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_the_facts_of_a_case_made_confidential_are_hidden_tombstones(api_as, caller):
    with at(BEFORE):
        charge = ChargeFactory()
        hearing = HearingFactory(case=charge.case)
    with at(AFTER):
        charge.case.visibility = Visibility.MONITORS
        charge.case.save()

    stones = tombstones(api_as(caller))

    assert ("hearings", hearing.pk, "hidden") in stones
    assert ("charges", charge.pk, "hidden") in stones
    assert ids(api_as(caller).get("/api/v1/hearings/")) == []


def test_a_hearing_made_confidential_is_a_hidden_tombstone(anonymous_api):
    with at(BEFORE):
        hearing = HearingFactory()
    with at(AFTER):
        hearing.visibility = Visibility.MONITORS
        hearing.save()

    assert tombstones(anonymous_api, type="hearings") == [("hearings", hearing.pk, "hidden")]


def test_the_type_parameter_limits_tombstones_to_one_type(anonymous_api):
    with at(BEFORE):
        hearing = HearingFactory()
    with at(AFTER):
        hearing.case.visibility = Visibility.MONITORS
        hearing.case.save()

    assert tombstones(anonymous_api, type="cases") == [("cases", hearing.case_id, "hidden")]
    assert tombstones(anonymous_api, type="hearings") == [("hearings", hearing.pk, "hidden")]


def test_an_unknown_type_is_a_400(anonymous_api):
    response = anonymous_api.get("/api/v1/tombstones/", {"since": SINCE_PARAM, "type": "user"})

    assert response.status_code == 400
    assert "type" in response.json()


def test_updated_since_is_required(anonymous_api):
    response = anonymous_api.get("/api/v1/tombstones/")

    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_tombstones_still_take_the_older_name_since(anonymous_api):
    response = anonymous_api.get("/api/v1/tombstones/", {"since": SINCE_PARAM})

    assert response.status_code == 200


def test_tombstones_refuse_since_and_updated_since_together(anonymous_api):
    response = anonymous_api.get(
        "/api/v1/tombstones/", {"since": SINCE_PARAM, "updated_since": SINCE_PARAM}
    )

    assert response.status_code == 400


# Tombstones never reveal a record the caller could not see --------------------------------------


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_confidential_case_edited_and_deleted_is_never_a_tombstone(api_as, caller):
    with at(BEFORE):
        edited = CaseFactory(visibility=Visibility.MONITORS)
        deleted = CaseFactory(visibility=Visibility.MONITORS)
    with at(AFTER):
        edited.title = "Renamed"
        edited.save()
        deleted.delete()

    assert tombstones(api_as(caller)) == []


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_public_hearing_of_a_confidential_case_is_never_a_tombstone(api_as, caller):
    """The hearing is marked public, but its case never was: the caller never saw it."""
    with at(BEFORE):
        hearing = HearingFactory(case__visibility=Visibility.MONITORS)
    with at(AFTER):
        hearing.outcome = "adjourned"
        hearing.save()
        hearing.visibility = Visibility.MONITORS
        hearing.save()

    assert tombstones(api_as(caller)) == []


def test_a_deleted_public_hearing_of_a_confidential_case_is_never_a_tombstone(anonymous_api):
    with at(BEFORE):
        hearing = HearingFactory(case__visibility=Visibility.MONITORS)
    with at(AFTER):
        hearing.delete()

    assert tombstones(anonymous_api) == []


def test_a_public_charge_against_a_confidential_person_is_never_a_tombstone(anonymous_api):
    """The case was public and is now hidden, but the person charged never was visible."""
    with at(BEFORE):
        charge = ChargeFactory(defendant__visibility=Visibility.MONITORS)
    with at(AFTER):
        charge.case.visibility = Visibility.MONITORS
        charge.case.save()

    assert ("charges", charge.pk, "hidden") not in tombstones(anonymous_api)


def test_a_confidential_hearing_of_a_case_made_confidential_is_never_a_tombstone(anonymous_api):
    with at(BEFORE):
        hearing = HearingFactory(visibility=Visibility.MONITORS)
    with at(AFTER):
        hearing.case.visibility = Visibility.MONITORS
        hearing.case.save()

    assert tombstones(anonymous_api) == [("cases", hearing.case_id, "hidden")]


def test_a_citation_of_a_case_made_confidential_is_a_hidden_tombstone(anonymous_api):
    with at(BEFORE):
        citation = CitationFactory()
    with at(AFTER):
        citation.subject.visibility = Visibility.MONITORS
        citation.subject.save()

    assert tombstones(anonymous_api, type="citations") == [("citations", citation.pk, "hidden")]
    assert ids(anonymous_api.get("/api/v1/citations/")) == []


def test_a_citation_of_a_case_never_public_is_never_a_tombstone(anonymous_api):
    with at(BEFORE):
        citation = CitationFactory(subject__visibility=Visibility.MONITORS)
    with at(AFTER):
        citation.paragraph = "35"
        citation.save()
        citation.delete()

    assert tombstones(anonymous_api) == []


def test_a_hidden_case_link_is_a_tombstone(anonymous_api):
    with at(BEFORE):
        link = CaseDefendantFactory()
    with at(AFTER):
        link.visibility = Visibility.MONITORS
        link.save()

    assert tombstones(anonymous_api, type="case-defendants") == [
        ("case-defendants", link.pk, "hidden")
    ]


def test_a_full_sync_round_trip(anonymous_api):
    """What a partner's nightly job does: everything changed, then everything to forget."""
    with at(BEFORE):
        _unchanged, edited, hidden, deleted = (CaseFactory() for _ in range(4))
    deleted_id = deleted.pk
    with at(AFTER):
        edited.title = "Edited"
        edited.save()
        hidden.visibility = Visibility.MONITORS
        hidden.save()
        deleted.delete()
        new = CaseFactory()

    changed = ids(anonymous_api.get("/api/v1/cases/", {"updated_since": SINCE_PARAM}))
    forget = tombstones(anonymous_api, type="cases")

    assert changed == [edited.pk, new.pk]
    assert sorted(forget) == sorted(
        [("cases", hidden.pk, "hidden"), ("cases", deleted_id, "deleted")]
    )


# Issue 20, finding 3: one tombstone per visibility change, never for what was never seen --------


LATER = AFTER + datetime.timedelta(hours=5)  # monitors keep editing the hidden record


def test_editing_a_hidden_record_does_not_move_its_tombstone(anonymous_api, case_made_confidential):
    with at(LATER):
        case_made_confidential.title = "Renamed by a monitor"
        case_made_confidential.save()

    response = anonymous_api.get("/api/v1/tombstones/", {"since": SINCE_PARAM})

    [stone] = response.json()["results"]
    assert datetime.datetime.fromisoformat(stone["at"]) == AFTER


def test_editing_a_record_hidden_before_since_is_no_new_tombstone(
    anonymous_api, case_made_confidential
):
    with at(LATER):
        case_made_confidential.title = "Renamed by a monitor"
        case_made_confidential.save()

    since = (AFTER + datetime.timedelta(hours=1)).isoformat()
    response = anonymous_api.get("/api/v1/tombstones/", {"since": since})

    assert response.json()["results"] == []


def test_deleting_a_record_hidden_before_since_is_no_new_tombstone(
    anonymous_api, case_made_confidential
):
    with at(LATER):
        case_made_confidential.delete()

    since = (AFTER + datetime.timedelta(hours=1)).isoformat()
    response = anonymous_api.get("/api/v1/tombstones/", {"since": since})

    assert response.json()["results"] == []


def test_a_public_citation_of_a_public_hearing_in_a_hidden_case_is_never_a_tombstone(
    anonymous_api,
):
    with at(BEFORE):
        hearing = HearingFactory(case__visibility=Visibility.MONITORS)
        citation = CitationFactory(subject=hearing, visibility=Visibility.PUBLIC)
    with at(AFTER):
        citation.visibility = Visibility.MONITORS
        citation.save()

    assert tombstones(anonymous_api) == []


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_hiding_a_persons_place_in_a_case_tombstones_the_facts_on_it(api_as, caller):
    with at(BEFORE):
        charge = ChargeFactory()
        custody = CustodyPeriodFactory(case=charge.case, defendant=charge.defendant)
        decision = DecisionFactory(case=charge.case, defendant=charge.defendant)
    link = charge.case.parties.get()
    with at(AFTER):
        link.visibility = Visibility.MONITORS
        link.save()

    stones = tombstones(api_as(caller))

    assert ("case-defendants", link.pk, "hidden") in stones
    assert ("charges", charge.pk, "hidden") in stones
    assert ("custody-periods", custody.pk, "hidden") in stones
    assert ("decisions", decision.pk, "hidden") in stones
