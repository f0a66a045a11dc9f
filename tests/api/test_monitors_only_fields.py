"""A change only monitors can see — a review flag or note, a hearing's monitor notes, a
finding's unpublished note — is a change for monitors alone (#15, item 2): every other
caller's record, the records nesting it, ``updated_since``, the change feed, the export's
ETag and webhooks stay exactly as they were; monitors are told."""

import datetime

import pytest
import time_machine

from cases.models import Case, Source
from core.visibility import Visibility
from exchange.webhooks import collect
from tests.factories import (
    AnswerFactory,
    CaseDefendantFactory,
    CaseFactory,
    CitationFactory,
    HearingFactory,
    SourceFactory,
    WebhookFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BEFORE = datetime.datetime(2025, 1, 1, 9, tzinfo=UTC)  # the records are made
SINCE = datetime.datetime(2025, 1, 2, 9, tzinfo=UTC)  # the caller's previous sync
AFTER = datetime.datetime(2025, 1, 3, 9, tzinfo=UTC)  # the monitors-only change
AFTER_TEXT = "2025-01-03T09:00:00Z"
OTHERS = ["anonymous", "partner"]


def at(moment):
    return time_machine.travel(moment, tick=False)


def flag(record):
    record.needs_review = True
    record.review_note = "Check the date against the verdict."
    record.save()


def write_monitor_notes(hearing):
    hearing.monitor_notes = "The defence lawyer asked us not to name the witness."
    hearing.save()


def rewrite_unpublished_note(answer):
    answer.note = "The witness was the defendant's neighbour."
    answer.save()


def write_link_note(link):
    link.note = "His lawyer says he fears arrest if named."
    link.save()


def write_observation_details(source):
    source.note = "Seen from the back of the courtroom."
    source.place = "Phnom Penh Court of First Instance, room 2"
    source.save()


def public_case():
    return CaseFactory(visibility=Visibility.PUBLIC)


def public_person():
    return CaseDefendantFactory(case=public_case(), visibility=Visibility.PUBLIC).defendant


def public_hearing():
    return HearingFactory(case=public_case(), visibility=Visibility.PUBLIC)


def public_link():
    return CaseDefendantFactory(case=public_case(), visibility=Visibility.PUBLIC)


def public_source():
    source = SourceFactory(visibility=Visibility.PUBLIC)
    CitationFactory(source=source, subject=public_case(), visibility=Visibility.PUBLIC)
    return source


def public_answer_with_a_private_note():
    return AnswerFactory(note_visibility=Visibility.MONITORS, note="First note.")


# (what is made, its endpoint, the change only monitors see)
CHANGES = {
    "case flagged": (public_case, "cases", flag),
    "person flagged": (public_person, "defendants", flag),
    "hearing flagged": (public_hearing, "hearings", flag),
    "hearing's monitor notes": (public_hearing, "hearings", write_monitor_notes),
    "finding's private note": (
        public_answer_with_a_private_note,
        "fair-trial-answers",
        rewrite_unpublished_note,
    ),
    "link's note": (public_link, "case-defendants", write_link_note),
    "source's note and place": (public_source, "sources", write_observation_details),
}


def the_case_of(record):
    if isinstance(record, Source):  # the case citing it
        return Case.objects.get(citations__source=record)
    return getattr(record, "case", None) or record.cases.get()


def everything_a_caller_reads(client, endpoint, record):
    """Every answer the caller's copy is built from, with its ETag."""
    case = the_case_of(record) if endpoint != "cases" else record
    answers = []
    for url in (
        f"/api/v1/{endpoint}/{record.pk}/",
        f"/api/v1/{endpoint}/",
        f"/api/v1/cases/{case.pk}/",
        "/api/v1/cases/",
        "/api/v1/export/cases.json",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        answers.append((url, response.getvalue(), response["ETag"]))
    return answers


def feed_cursor(client):
    body = client.get("/api/v1/changes/", {"page_size": 500}).json()
    while body["next"]:
        body = client.get("/api/v1/changes/", {"page_size": 500, "cursor": body["cursor"]}).json()
    return body["cursor"]


def feed(client, cursor):
    response = client.get("/api/v1/changes/", {"cursor": cursor})
    assert response.status_code == 200, response.content
    return [(entry["type"], entry["id"]) for entry in response.json()["results"]]


def changed_since(client, endpoint):
    response = client.get(f"/api/v1/{endpoint}/", {"updated_since": SINCE.isoformat()})
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]


@pytest.mark.parametrize("caller", OTHERS)
@pytest.mark.parametrize("change", CHANGES)
def test_a_monitors_only_change_leaves_every_answer_byte_identical(api_as, caller, change):
    make, endpoint, edit = CHANGES[change]
    with at(BEFORE):
        record = make()
    client = api_as(caller)
    before = everything_a_caller_reads(client, endpoint, record)

    with at(AFTER):
        edit(record)

    assert everything_a_caller_reads(client, endpoint, record) == before


@pytest.mark.parametrize("caller", OTHERS)
@pytest.mark.parametrize("change", CHANGES)
def test_a_monitors_only_change_is_not_in_the_feed_or_updated_since(api_as, caller, change):
    make, endpoint, edit = CHANGES[change]
    with at(BEFORE):
        record = make()
    client = api_as(caller)
    cursor = feed_cursor(client)

    with at(AFTER):
        edit(record)

    assert feed(client, cursor) == []
    # (The migrations' own records, such as the checklist's sources, are newer than SINCE.)
    assert record.pk not in changed_since(client, endpoint)
    assert changed_since(client, "cases") == []


@pytest.mark.parametrize("change", CHANGES)
def test_monitors_are_told_of_their_change_in_the_feed(monitor_api, change):
    make, endpoint, edit = CHANGES[change]
    with at(BEFORE):
        record = make()
    cursor = feed_cursor(monitor_api)

    with at(AFTER):
        edit(record)

    assert (endpoint, record.pk) in feed(monitor_api, cursor)


@pytest.mark.parametrize("change", ["case flagged", "hearing flagged"])
def test_a_monitors_only_change_moves_the_case_for_monitors(monitor_api, change):
    make, endpoint, edit = CHANGES[change]
    with at(BEFORE):
        record = make()

    with at(AFTER):
        edit(record)

    case = the_case_of(record) if endpoint != "cases" else record
    assert monitor_api.get(f"/api/v1/cases/{case.pk}/").json()["updated_at"] == AFTER_TEXT


def test_publishing_a_note_is_a_change_the_public_sees(anonymous_api):
    with at(BEFORE):
        answer = public_answer_with_a_private_note()
    cursor = feed_cursor(anonymous_api)

    with at(AFTER):
        answer.note_visibility = Visibility.PUBLIC
        answer.save()

    assert ("fair-trial-answers", answer.pk) in feed(anonymous_api, cursor)
    assert changed_since(anonymous_api, "fair-trial-answers") == [answer.pk]


def test_a_public_field_changed_with_a_review_flag_is_seen_by_everyone(anonymous_api):
    with at(BEFORE):
        hearing = public_hearing()

    with at(AFTER):
        hearing.outcome = "Adjourned."
        flag(hearing)

    assert changed_since(anonymous_api, "hearings") == [hearing.pk]


def test_a_public_change_sends_a_webhook():
    with at(BEFORE):
        hearing = public_hearing()
        webhook = WebhookFactory()
    with at(SINCE):
        collect(webhook)
    sent = webhook.deliveries.count()

    with at(AFTER):
        hearing.outcome = "Adjourned."
        hearing.save()
    with at(AFTER + datetime.timedelta(hours=1)):
        collect(webhook)

    assert webhook.deliveries.count() == sent + 1


@pytest.mark.parametrize("change", CHANGES)
def test_a_monitors_only_change_sends_no_webhook(change):
    make, _, edit = CHANGES[change]
    with at(BEFORE):
        record = make()
        webhook = WebhookFactory()
    with at(SINCE):
        collect(webhook)  # the records as made
    sent = webhook.deliveries.count()

    with at(AFTER):
        edit(record)
    with at(AFTER + datetime.timedelta(hours=1)):
        collect(webhook)

    assert webhook.deliveries.count() == sent


@pytest.mark.parametrize("url", ["/feeds/cases.atom", "/sitemap.xml"])
@pytest.mark.parametrize("change", ["case flagged", "person flagged", "hearing flagged"])
def test_a_monitors_only_change_leaves_the_public_feed_and_sitemap(client, url, change):
    make, _, edit = CHANGES[change]
    with at(BEFORE):
        record = make()
    before = client.get(url).content

    with at(AFTER):
        edit(record)

    assert client.get(url).content == before
