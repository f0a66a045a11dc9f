"""The dashboard's pretrial-detention clock: filtered by court, province and days left, sorted
by any column, a page at a time (workspace/dashboard.py)."""

import datetime
import re

import pytest
from django.utils import timezone

from cases.models import OffenceClass
from tests.factories import (
    ArticleFactory,
    ChargeFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DefendantFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def held(name, *, days, court=None, offence_class=OffenceClass.FELONY):
    """``name`` held before trial for ``days`` days on a charge of ``offence_class``."""
    charge = ChargeFactory(
        defendant=DefendantFactory(name=name),
        article=ArticleFactory(offence_class=offence_class),
        case__court=court or CourtFactory(),
    )
    return CustodyPeriodFactory(
        defendant=charge.defendant,
        case=charge.case,
        start=TODAY - datetime.timedelta(days=days),
    )


def clock(client, monitor, **params):
    client.force_login(monitor)
    response = client.get("/admin/", params)
    assert response.status_code == 200
    page = response.content.decode()
    table = re.search(r'<table id="clock">(.*?)</table>', page, flags=re.DOTALL)
    assert table, "no clock table"
    names = re.findall(r'<td class="person"[^>]*><a [^>]*>([^<]*)</a>', table.group(1))
    return response, names


def test_it_filters_by_court(client, monitor):
    court = CourtFactory(name_en="Phnom Penh Municipal Court")
    held("Sok Dara", days=10, court=court)
    held("Chan Vuthy", days=20)

    _, names = clock(client, monitor, court=court.pk)

    assert names == ["Sok Dara"]


def test_it_filters_by_province(client, monitor):
    province = ProvinceFactory(name_en="Kampot")
    held("Sok Dara", days=10, court=CourtFactory(province=province))
    held("Chan Vuthy", days=20)

    _, names = clock(client, monitor, province=province.pk)

    assert names == ["Sok Dara"]


def test_it_filters_to_limits_already_passed(client, monitor):
    held("Long held", days=400, offence_class=OffenceClass.MISDEMEANOUR)
    held("Just arrived", days=3)

    _, names = clock(client, monitor, left="exceeded")

    assert names == ["Long held"]


def test_it_sorts_by_days_held_longest_first(client, monitor):
    for name, days in [("Ten", 10), ("Thirty", 30), ("Twenty", 20)]:
        held(name, days=days)

    _, names = clock(client, monitor, sort="-days_held")

    assert names == ["Thirty", "Twenty", "Ten"]


def test_it_sorts_by_name(client, monitor):
    for name in ["Vann", "Bopha", "Kosal"]:
        held(name, days=10)

    _, names = clock(client, monitor, sort="person")

    assert names == ["Bopha", "Kosal", "Vann"]


def test_it_shows_twenty_people_a_page(client, monitor):
    for n in range(22):
        held(f"Person {n:02}", days=n + 1)

    _, first = clock(client, monitor, sort="person")
    _, second = clock(client, monitor, sort="person", page=2)

    assert (len(first), second) == (20, ["Person 20", "Person 21"])


def test_a_bad_filter_is_a_form_error_and_the_clock_stays_whole(client, monitor):
    held("Sok Dara", days=10)

    response, names = clock(client, monitor, left="soon", court="not-a-court")

    assert names == ["Sok Dara"]
    assert "Select a valid choice" in response.content.decode()
