"""The dashboard's "stale" queue: open facts not confirmed for STALE_AFTER_DAYS, each confirmed
in one step with a source (workspace/confirming.py)."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Citation
from core.visibility import Visibility
from defendants.models import CustodyKind
from tests.admin.test_dashboard import section
from tests.factories import CaseFactory, CustodyPeriodFactory, DefendantFactory, SourceFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=400)


@pytest.fixture
def stale_period():
    return CustodyPeriodFactory(
        defendant=DefendantFactory(name="Held Long Ago"),
        case=CaseFactory(title="Old case", status="final"),
        start=LONG_AGO,
        last_confirmed=None,
    )


@pytest.fixture
def staff(client, monitor):
    client.force_login(monitor)
    return client


def stale_section(client):
    return section(client.get("/admin/"), "stale")


def confirm_url(period):
    return f"/admin/confirm/custodyperiod/{period.pk}/"


def test_an_open_period_never_confirmed_is_in_the_queue(staff, stale_period):
    assert "Held Long Ago" in stale_section(staff)


def test_a_period_confirmed_recently_is_not_in_the_queue(staff, stale_period):
    Citation.objects.create(source=SourceFactory(date=TODAY), subject=stale_period)

    assert "Held Long Ago" not in stale_section(staff)


def test_an_ended_period_is_not_in_the_queue(staff, stale_period):
    stale_period.end = TODAY
    stale_period.save()

    assert "Held Long Ago" not in stale_section(staff)


def test_an_arrest_is_an_event_not_an_open_fact(staff):
    CustodyPeriodFactory(
        defendant=DefendantFactory(name="Arrested Once"),
        kind=CustodyKind.ARREST,
        start=LONG_AGO,
        last_confirmed=None,
    )

    assert "Arrested Once" not in stale_section(staff)


def test_the_queue_links_to_the_confirm_page(staff, stale_period):
    assert confirm_url(stale_period) in stale_section(staff)


def test_an_editor_confirming_with_a_public_source_dates_the_public_fact(
    client, editor, stale_period
):
    client.force_login(editor)
    source = SourceFactory(date=TODAY - datetime.timedelta(days=2))

    response = client.post(
        confirm_url(stale_period), {"cite-source": source.pk, "cite-paragraph": "3"}
    )

    stale_period.refresh_from_db()
    assert response.status_code == 302
    assert stale_period.last_confirmed == source.date
    assert stale_period.citations.get().paragraph == "3"


def test_a_monitors_confirmation_waits_for_an_editor_to_date_the_public_fact(staff, stale_period):
    source = SourceFactory(date=TODAY - datetime.timedelta(days=2))

    staff.post(confirm_url(stale_period), {"cite-source": source.pk, "cite-paragraph": "3"})

    stale_period.refresh_from_db()
    citation = stale_period.citations.get()
    assert (citation.visibility, stale_period.last_confirmed) == (Visibility.MONITORS, None)


def test_publishing_a_monitors_confirmation_dates_the_public_fact(staff, stale_period):
    source = SourceFactory(date=TODAY - datetime.timedelta(days=2))
    staff.post(confirm_url(stale_period), {"cite-source": source.pk, "cite-paragraph": "3"})
    citation = stale_period.citations.get()

    citation.visibility = Visibility.PUBLIC
    citation.save()

    stale_period.refresh_from_db()
    assert stale_period.last_confirmed == source.date


def test_the_confirm_page_names_the_person_and_case(staff, stale_period):
    text = staff.get(confirm_url(stale_period)).content.decode()

    assert "Held Long Ago" in text and "Old case" in text


def test_confirming_as_an_observation_takes_it_off_the_queue(staff, stale_period):
    staff.post(
        confirm_url(stale_period),
        {"cite-own_observation": "on", "cite-observed_on": TODAY, "cite-observed_at": "Prey Sar"},
    )

    assert "Held Long Ago" not in stale_section(staff)


def test_an_observation_does_not_date_the_public_fact_before_it_is_published(staff, stale_period):
    staff.post(
        confirm_url(stale_period),
        {"cite-own_observation": "on", "cite-observed_on": TODAY, "cite-observed_at": "Prey Sar"},
    )

    stale_period.refresh_from_db()
    assert (stale_period.visibility, stale_period.last_confirmed) == (Visibility.PUBLIC, None)


def test_confirming_without_a_source_is_a_form_error_and_saves_nothing(staff, stale_period):
    response = staff.post(confirm_url(stale_period), {"cite-paragraph": "3"})

    assert response.status_code == 200
    assert "Cite a source and paragraph" in response.content.decode()
    assert not Citation.objects.exists()


def test_an_unknown_kind_of_fact_is_not_found(staff, stale_period):
    assert staff.get(f"/admin/confirm/hearing/{stale_period.pk}/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, stale_period):
    response = client.get(confirm_url(stale_period))

    assert response.status_code == 302 and "/login/" in response["Location"]
