"""The migration that dates records cited before last confirmations were derived."""

import datetime
import importlib

import pytest
from django.apps import apps

from core.visibility import Visibility
from defendants.models import CustodyPeriod
from tests.factories import CitationFactory, CustodyPeriodFactory, SourceFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cases.migrations.0013_derive_last_confirmed")


def test_it_dates_a_cited_record_from_its_public_sources_only():
    period = CustodyPeriodFactory(last_confirmed=None)
    CitationFactory(subject=period, source=SourceFactory(covers_until=datetime.date(2024, 5, 31)))
    CitationFactory(
        subject=period,
        source=SourceFactory(date=datetime.date(2026, 1, 1), visibility=Visibility.MONITORS),
    )
    CustodyPeriod.objects.filter(pk=period.pk).update(last_confirmed=None)  # as before it

    migration.derive(apps, None)

    period.refresh_from_db()
    assert period.last_confirmed == datetime.date(2024, 5, 31)
