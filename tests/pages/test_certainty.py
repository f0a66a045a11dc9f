"""A value the sources imply but do not state, or do not yet back, says so on the page in
words (#14): "(inferred)" or "(unconfirmed)" beside it, with what that means."""

import pytest

from core.models import Certainty
from tests.factories import (
    CaseFactory,
    CustodyPeriodFactory,
    HearingFactory,
    ReportedFigureFactory,
)

from .helpers import page

pytestmark = pytest.mark.django_db


def certainty_notes(response):
    return [span.text() for span in page(response).find_all("span", class_="certainty")]


def test_an_inferred_case_status_says_inferred_on_the_case_page(client):
    case = CaseFactory(certainty=Certainty.INFERRED)

    notes = certainty_notes(client.get(f"/cases/{case.pk}/"))

    assert len(notes) == 1
    assert notes[0].startswith("(inferred")
    assert "no source states it" in notes[0]  # the explanation is text, not colour or hover


def test_a_reported_case_status_carries_no_note(client):
    case = CaseFactory()

    assert certainty_notes(client.get(f"/cases/{case.pk}/")) == []


def test_the_case_list_marks_an_inferred_status(client):
    CaseFactory(certainty=Certainty.INFERRED)

    notes = certainty_notes(client.get("/cases/"))

    assert [note.split(":")[0] for note in notes] == ["(inferred"]


def test_an_unconfirmed_hearing_says_so_in_the_timeline(client):
    hearing = HearingFactory(certainty=Certainty.UNCONFIRMED)

    notes = certainty_notes(client.get(f"/cases/{hearing.case_id}/"))

    assert [note.split(":")[0] for note in notes] == ["(unconfirmed"]


def test_an_inferred_custody_period_says_so_on_the_persons_page(client):
    period = CustodyPeriodFactory(certainty=Certainty.INFERRED)

    notes = certainty_notes(client.get(f"/people/{period.defendant_id}/"))

    assert "(inferred" in notes[0]


def test_an_inferred_figure_says_so_on_the_home_page(client):
    ReportedFigureFactory(certainty=Certainty.INFERRED)

    notes = certainty_notes(client.get("/"))

    assert len(notes) == 1 and notes[0].startswith("(inferred")
