"""On 5 December 2026, long after the last source, nothing the tracker shows says or implies
that anyone from the report is detained "now", or counts detention past the last confirmation.

The clock is frozen there, and every place that shows detention is walked: the home page, every
public person and case page, the statistics, the case and people filters, the API (with and
without ``as_of``), the exports and the pretrial-detention clock.
"""

import datetime

import pytest
from django.db.models import Max
from django.db.models.functions import Coalesce

from cases.models import Case, Source
from core.visibility import Visibility
from defendants.clock import pretrial_clock
from defendants.models import CustodyPeriod, Defendant
from public.statistics import detention_durations, headline_figures

pytestmark = pytest.mark.django_db

LATER = datetime.date(2026, 12, 5)
NOON_IN_PHNOM_PENH = datetime.datetime(2026, 12, 5, 5, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def later(time_machine):
    time_machine.move_to(NOON_IN_PHNOM_PENH, tick=False)


@pytest.fixture
def last_source_day():
    return Source.objects.aggregate(day=Max(Coalesce("covers_until", "date")))["day"]


def public(model):
    return model.objects.visible_to(Visibility.PUBLIC).order_by("pk")


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_report_still_has_people_whose_detention_has_no_reported_end():
    # Without them this walk would prove nothing.
    assert CustodyPeriod.objects.detention().filter(end__isnull=True).count() >= 3


def test_the_home_page_counts_nobody_as_detained_now(client):
    figures = headline_figures(Visibility.PUBLIC, LATER)

    assert figures["detained_now"] == 0
    assert figures["detained_as_last_reported"] >= 3


def test_no_person_page_says_now_and_each_counts_to_a_source(client, last_source_day):
    for person in public(Defendant):
        html = page(client, f"/people/{person.pk}/")
        assert "In detention now." not in html, person
        tally = person.detention(as_of=LATER)
        assert not tally.in_detention, person
        if tally.counted_to is not None:
            assert tally.counted_to <= last_source_day, person
            assert "At least" in html, person


def test_no_case_page_says_anyone_is_detained_now(client):
    for case in public(Case):
        html = page(client, f"/cases/{case.pk}/")
        assert "In detention now" not in html, case


def test_the_case_list_filter_finds_nobody_detained_now(client):
    html = page(client, "/cases/?in_detention=true")

    assert "/cases/" in html
    assert not any(f'href="/cases/{case.pk}/"' in html for case in Case.objects.all())


def test_the_statistics_stop_counting_detention_at_the_last_source(last_source_day):
    then = detention_durations(Visibility.PUBLIC, last_source_day)
    now = detention_durations(Visibility.PUBLIC, LATER)

    assert sum(n for _label, n in now.rows) >= 3
    assert now.rows == then.rows


def test_the_api_says_nobody_is_in_detention_now(client, last_source_day):
    for person in public(Defendant):
        detention = client.get(f"/api/v1/defendants/{person.pk}/").json()["detention"]
        assert detention["as_of"] == LATER.isoformat()
        assert detention["in_detention"] is False, person
        if detention["counted_to"] is not None:
            assert detention["counted_to"] <= last_source_day.isoformat(), person
            assert detention["as_last_reported"] is True, person


def test_the_api_filters_find_nobody_detained_now(client):
    cases = client.get("/api/v1/cases/?in_detention=true").json()
    people = client.get("/api/v1/defendants/?in_detention=true").json()

    assert (cases["results"], people["results"]) == ([], [])


def test_asking_for_a_date_inside_the_period_still_answers_for_that_date(client):
    held = [
        client.get(f"/api/v1/defendants/{p.pk}/?as_of=2024-05-15").json()["detention"]
        for p in public(Defendant)
    ]

    assert any(d["in_detention"] for d in held)


def test_the_people_export_says_nobody_is_in_detention_now(client):
    response = client.get("/api/v1/export/defendants.json")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()

    assert '"in_detention": true' not in text and '"in_detention":true' not in text


def test_the_pretrial_clock_runs_for_nobody():
    assert pretrial_clock(LATER) == []
