"""Dates in the admin as the site writes them (#18, item 5): "5 January 2024" in English,
"5 មករា 2024" in a Khmer admin, never Django's US "Jan. 5, 2024"; inputs stay ISO, with the
format said beside them (cambodia_tracker/formats/, templates/admin/widgets/date.html)."""

import datetime
import re

import pytest

from tests.factories import CaseFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def in_khmer(client):
    client.post("/i18n/setlang/", {"language": "km", "next": "/admin/"})


def test_a_change_list_shows_dates_as_the_site_writes_them(signed_in):
    SourceFactory(date=datetime.date(2024, 1, 5))

    page = signed_in.get("/admin/cases/source/").content.decode()

    assert "5 January 2024" in page
    assert "Jan. 5, 2024" not in page


def test_a_khmer_change_list_shows_dates_with_khmer_month_names(signed_in):
    SourceFactory(date=datetime.date(2024, 1, 5))
    in_khmer(signed_in)

    page = signed_in.get("/admin/cases/source/").content.decode()

    assert "5 មករា 2024" in page


def test_a_read_only_date_reads_as_the_site_writes_it(client, monitor):
    # A Monitor sees a case's page read-only.
    case = CaseFactory(status_as_of=datetime.date(2024, 1, 5))
    client.force_login(monitor)

    page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert '<div class="readonly">5 January 2024</div>' in page


def test_the_history_page_writes_times_as_the_site_does(signed_in):
    case = CaseFactory()

    page = signed_in.get(f"/admin/cases/case/{case.pk}/history/").content.decode()

    month = (
        r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    )
    assert re.search(rf"\d{{1,2}} {month} \d{{4}}, \d\d:\d\d", page)


def test_a_date_input_stays_iso_and_says_so(signed_in):
    case = CaseFactory(status_as_of=datetime.date(2024, 1, 5))

    page = signed_in.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert re.search(r'<input[^>]*name="status_as_of"[^>]*value="2024-01-05"', page)
    assert "YYYY-MM-DD, e.g. 2024-01-05" in page


def test_a_khmer_date_input_stays_iso(signed_in):
    case = CaseFactory(status_as_of=datetime.date(2024, 1, 5))
    in_khmer(signed_in)

    page = signed_in.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert re.search(r'<input[^>]*name="status_as_of"[^>]*value="2024-01-05"', page)


@pytest.mark.parametrize("language", ["en", "km"])
def test_a_date_typed_the_us_way_is_refused_not_misread(language):
    # "05/01/2024" is 5 January to most readers and 1 May to Django's English defaults.
    from django import forms
    from django.utils import translation

    with translation.override(language):
        field = forms.DateField()
        with pytest.raises(forms.ValidationError):
            field.clean("05/01/2024")
        assert field.clean("2024-01-05") == datetime.date(2024, 1, 5)


@pytest.mark.parametrize("language", ["en", "km"])
def test_a_date_and_time_typed_the_us_way_is_refused(language):
    from django import forms
    from django.utils import translation

    with translation.override(language), pytest.raises(forms.ValidationError):
        forms.DateTimeField().clean("05/01/2024 10:00")
