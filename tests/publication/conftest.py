"""A published case with a person in public pretrial detention and a public conviction, and
what anonymous and partner readers get from every place that shows them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseStatus
from defendants.models import CustodyKind
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
)

DETAINED_SINCE = datetime.date(2024, 3, 1)
HEARING_DAY = datetime.date(2024, 5, 20)


class World:
    def __init__(self):
        self.case = CaseFactory(status=CaseStatus.PRETRIAL)
        self.defendant = DefendantFactory(name="Published Person")
        CaseDefendantFactory(case=self.case, defendant=self.defendant)
        self.detention = CustodyPeriodFactory(
            case=self.case,
            defendant=self.defendant,
            kind=CustodyKind.PRETRIAL_DETENTION,
            start=DETAINED_SINCE,
        )
        self.decision = DecisionFactory(
            case=self.case, defendant=self.defendant, prison_months=24, date=DETAINED_SINCE
        )

    def urls(self):
        """Every place a reader below the monitors' level sees this case, person and facts."""
        pages = [
            reverse("home"),
            reverse("case-list"),
            reverse("case-detail", args=[self.case.pk]),
            reverse("defendant-detail", args=[self.defendant.pk]),
            reverse("statistics"),
        ]
        api = [
            f"/api/v1/cases/{self.case.pk}/",
            "/api/v1/cases/",
            f"/api/v1/custody-periods/{self.detention.pk}/",
            "/api/v1/custody-periods/",
            f"/api/v1/decisions/{self.decision.pk}/",
            "/api/v1/decisions/",
            f"/api/v1/defendants/{self.defendant.pk}/",
            "/api/v1/export/custody-periods.json",
            "/api/v1/export/cases.csv",
        ]
        return pages + api


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def readers(partner, partner_token):
    """Anonymous readers, a partner signed in, and a partner organisation's API token."""
    signed_in = Client()
    signed_in.force_login(partner)
    token = Client(HTTP_AUTHORIZATION=f"Token {partner_token[1]}")
    return {"anonymous": Client(), "partner": signed_in, "partner token": token}


@pytest.fixture
def frozen(time_machine):
    """Responses carry the server's time: hold the clock still while comparing them."""
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def snapshot(world, readers, frozen):
    """What each reader gets from each place, as bytes (status and body)."""

    def take():
        seen = {}
        for name, client in readers.items():
            for url in world.urls():
                response = client.get(url)
                body = b"".join(response) if response.streaming else response.content
                seen[(name, url)] = (response.status_code, body)
        return seen

    return take
