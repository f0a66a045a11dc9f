"""A fact's last confirmation is derived from its citations, at its own level (cases/citing.py)."""

import datetime

import pytest

from core.visibility import Visibility
from tests.factories import CitationFactory, CustodyPeriodFactory, SourceFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def period():
    return CustodyPeriodFactory(last_confirmed=None, visibility=Visibility.PUBLIC)


def confirmed(record):
    record.refresh_from_db(fields=["last_confirmed"])
    return record.last_confirmed


def public_source(**kwargs):
    return SourceFactory(visibility=Visibility.PUBLIC, **kwargs)


def test_a_report_confirms_up_to_the_end_of_the_period_it_covers(period):
    source = public_source(date=D(2024, 8, 26), covers_until=D(2024, 5, 31))

    CitationFactory(source=source, subject=period, visibility=Visibility.PUBLIC)

    assert confirmed(period) == D(2024, 5, 31)


def test_a_source_without_a_covered_period_confirms_up_to_its_date(period):
    CitationFactory(
        source=public_source(date=D(2025, 2, 3)), subject=period, visibility=Visibility.PUBLIC
    )

    assert confirmed(period) == D(2025, 2, 3)


def test_the_latest_of_several_sources_counts(period):
    for day in (D(2024, 1, 1), D(2025, 3, 1), D(2024, 9, 1)):
        CitationFactory(source=public_source(date=day), subject=period)

    assert confirmed(period) == D(2025, 3, 1)


def test_a_monitors_only_source_does_not_date_a_public_fact(period):
    secret = SourceFactory(date=D(2026, 11, 30), visibility=Visibility.MONITORS)

    CitationFactory(source=secret, subject=period, visibility=Visibility.MONITORS)

    assert confirmed(period) is None


def test_publishing_the_source_dates_the_public_fact(period):
    secret = SourceFactory(date=D(2026, 11, 30), visibility=Visibility.MONITORS)
    CitationFactory(source=secret, subject=period, visibility=Visibility.PUBLIC)
    before = confirmed(period)

    secret.visibility = Visibility.PUBLIC
    secret.save()

    assert (before, confirmed(period)) == (None, D(2026, 11, 30))


def test_a_monitors_only_fact_is_dated_by_monitors_only_sources():
    period = CustodyPeriodFactory(last_confirmed=None, visibility=Visibility.MONITORS)
    secret = SourceFactory(date=D(2026, 11, 30), visibility=Visibility.MONITORS)

    CitationFactory(source=secret, subject=period, visibility=Visibility.MONITORS)

    assert confirmed(period) == D(2026, 11, 30)


def test_deleting_the_only_citation_leaves_the_fact_unconfirmed(period):
    citation = CitationFactory(source=public_source(date=D(2025, 2, 3)), subject=period)

    citation.delete()

    assert confirmed(period) is None


def test_a_source_whose_period_is_corrected_moves_the_date(period):
    source = public_source(date=D(2024, 8, 26), covers_until=D(2024, 5, 31))
    CitationFactory(source=source, subject=period)

    source.covers_until = D(2024, 4, 30)
    source.save()

    assert confirmed(period) == D(2024, 4, 30)


def test_a_confirmation_moves_the_fact_for_incremental_syncs(period):
    before = period.updated_at

    CitationFactory(source=public_source(date=D(2025, 2, 3)), subject=period)

    period.refresh_from_db()
    assert period.updated_at > before


def test_a_confirmation_adds_no_version_a_monitor_would_conflict_with(period):
    CitationFactory(source=public_source(date=D(2025, 2, 3)), subject=period)

    period.refresh_from_db()
    assert period.version == 1
