"""The admin list filters monitors use to find cases and people, and the defendant page's
custody timeline."""

import datetime

import pytest
from django.utils import timezone

from defendants.models import CustodyKind
from hearings.models import HearingStatus
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def held_and_released(db):
    """Two charged people: one still in pretrial detention, one released on bail last month."""
    held = ChargeFactory(case=CaseFactory(title="Held"))
    CustodyPeriodFactory(case=held.case, defendant=held.defendant, start=days_ago(100))
    released = ChargeFactory(case=CaseFactory(title="Released"))
    CustodyPeriodFactory(
        case=released.case, defendant=released.defendant, start=days_ago(100), end=days_ago(30)
    )
    CustodyPeriodFactory(
        case=released.case,
        defendant=released.defendant,
        kind=CustodyKind.BAIL,
        start=days_ago(30),
    )
    return held, released


def listed(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("answer, expected", [("yes", "Held"), ("no", "Released")])
def test_the_case_list_filters_on_someone_in_detention_now(
    client, monitor, held_and_released, answer, expected
):
    cases = listed(client, monitor, "/admin/cases/case/", in_detention=answer)

    assert [c.title for c in cases] == [expected]


def test_the_case_list_filters_on_an_upcoming_hearing(client, monitor):
    soon = HearingFactory(case=CaseFactory(title="Soon"), date=TODAY + datetime.timedelta(days=3))
    HearingFactory(case=CaseFactory(title="Over"), date=days_ago(3))

    assert listed(client, monitor, "/admin/cases/case/", upcoming="yes") == [soon.case]


def test_a_cancelled_hearing_is_not_an_upcoming_hearing(client, monitor):
    HearingFactory(
        case=CaseFactory(title="Cancelled"),
        date=TODAY + datetime.timedelta(days=3),
        status=HearingStatus.CANCELLED,
    )

    assert listed(client, monitor, "/admin/cases/case/", upcoming="yes") == []


def test_the_case_list_filters_on_an_article_charged(client, monitor):
    article = ArticleFactory(number="494")
    wanted = ChargeFactory(article=article).case
    ChargeFactory(article=ArticleFactory(number="495"))

    assert listed(client, monitor, "/admin/cases/case/", article=article.pk) == [wanted]


@pytest.mark.parametrize("answer, index", [("yes", 0), ("no", 1)])
def test_the_defendant_list_filters_on_detention_now(
    client, monitor, held_and_released, answer, index
):
    expected = held_and_released[index].defendant

    people = listed(client, monitor, "/admin/defendants/defendant/", in_detention=answer)

    assert people == [expected]


def test_the_defendant_page_shows_the_custody_timeline(client, monitor, held_and_released):
    _, released = held_and_released
    client.force_login(monitor)

    page = client.get(f"/admin/defendants/defendant/{released.defendant_id}/change/")

    html = page.content.decode()
    assert "released on bail" in html
    assert "70 days in detention as of today" in html
