""" "Log a hearing": one admin page that records a hearing, the decisions it produced and the
custody changes it caused, all or nothing."""

import datetime

import pytest
from django.utils import timezone

from cases.models import SourceKind
from core.dates import DatePrecision
from core.visibility import Visibility
from defendants.models import CustodyKind, CustodyPeriod
from hearings.models import Decision, DecisionKind, Hearing, HearingKind, HearingStatus
from tests.factories import LOG_OBSERVATION, ChargeFactory, CustodyPeriodFactory, SourceFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HEARING_DAY = TODAY - datetime.timedelta(days=3)


@pytest.fixture
def detained(db):
    """A defendant charged in a case and in pretrial detention since two months ago."""
    charge = ChargeFactory(date_filed=TODAY - datetime.timedelta(days=90))
    period = CustodyPeriodFactory(
        case=charge.case,
        defendant=charge.defendant,
        kind=CustodyKind.PRETRIAL_DETENTION,
        start=TODAY - datetime.timedelta(days=60),
        # Monitors-only: a Monitor's write ends it at once (a public one waits for an Editor,
        # tests/publication).
        visibility=Visibility.MONITORS,
    )
    return charge, period


def url_of(case):
    return f"/admin/cases/case/{case.pk}/log-hearing/"


def hearing_data(case, **values):
    data = {
        "date": HEARING_DAY.isoformat(),
        "date_precision": DatePrecision.DAY,
        "court": case.court_id,
        "kind": HearingKind.BAIL,
        "status": HearingStatus.HELD,
        "monitored": "on",
        "outcome": "Bail granted to the accused.",
        **LOG_OBSERVATION,
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def bail_granted(charge, **values):
    prefix = f"d{charge.defendant_id}-"
    data = {
        "decision_kind": DecisionKind.BAIL_GRANTED,
        "charges": [charge.pk],
        "custody": CustodyKind.BAIL,
    }
    data.update(values)
    return {prefix + key: value for key, value in data.items() if value is not None}


def row_counts():
    return (Hearing.objects.count(), Decision.objects.count(), CustodyPeriod.objects.count())


def test_the_case_page_links_to_log_a_hearing(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)

    page = client.get(f"/admin/cases/case/{charge.case_id}/change/").content.decode()

    assert f'href="{url_of(charge.case)}"' in page


def test_a_monitor_sees_the_form_with_one_part_per_defendant(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)

    response = client.get(url_of(charge.case))

    assert response.status_code == 200
    assert [f.defendant for f in response.context["outcome_forms"]] == [charge.defendant]
    assert f'name="d{charge.defendant_id}-decision_kind"' in response.content.decode()


def test_logging_a_hearing_saves_the_hearing(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case), {**hearing_data(charge.case), **bail_granted(charge)}
    )

    assert response.status_code == 302
    assert response.url == f"/admin/cases/case/{charge.case_id}/change/"
    hearing = Hearing.objects.get(case=charge.case)
    assert (hearing.date, hearing.kind, hearing.court, hearing.monitored) == (
        HEARING_DAY,
        HearingKind.BAIL,
        charge.case.court,
        True,
    )


def test_logging_a_hearing_saves_the_decision_on_the_hearing_with_its_charges(
    client, monitor, detained
):
    charge, _ = detained
    client.force_login(monitor)

    client.post(url_of(charge.case), {**hearing_data(charge.case), **bail_granted(charge)})

    decision = Decision.objects.get(defendant=charge.defendant)
    assert decision.hearing == Hearing.objects.get(case=charge.case)
    assert (decision.kind, decision.date) == (DecisionKind.BAIL_GRANTED, HEARING_DAY)
    assert list(decision.charges.all()) == [charge]


def test_bail_ends_the_pretrial_detention_on_the_hearing_date(client, monitor, detained):
    charge, period = detained
    client.force_login(monitor)

    client.post(url_of(charge.case), {**hearing_data(charge.case), **bail_granted(charge)})

    period.refresh_from_db()
    assert period.end == HEARING_DAY
    bail = CustodyPeriod.objects.get(defendant=charge.defendant, kind=CustodyKind.BAIL)
    assert (bail.start, bail.end) == (HEARING_DAY, None)


def test_after_bail_the_person_is_no_longer_in_detention(client, monitor, detained):
    charge, _ = detained
    assert charge.defendant.detention(as_of=TODAY).in_detention
    client.force_login(monitor)

    client.post(url_of(charge.case), {**hearing_data(charge.case), **bail_granted(charge)})

    tally = charge.defendant.detention(as_of=TODAY)
    assert not tally.in_detention
    assert tally.days == 57  # from 60 days ago to the hearing 3 days ago


def test_a_custody_change_that_would_end_a_period_before_it_starts_saves_nothing(
    client, monitor, detained
):
    charge, _ = detained
    before = row_counts()
    client.force_login(monitor)
    # A hearing before the detention began cannot end it.
    early = (TODAY - datetime.timedelta(days=80)).isoformat()

    response = client.post(
        url_of(charge.case), {**hearing_data(charge.case, date=early), **bail_granted(charge)}
    )

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("This custody period ends (")
    assert error in response.content.decode()
    assert row_counts() == before


def test_decision_details_without_a_decision_are_refused(client, monitor, detained):
    charge, _ = detained
    before = row_counts()
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case),
        {
            **hearing_data(charge.case),
            **bail_granted(charge, decision_kind="", custody="", prison_months="12"),
        },
    )

    assert response.status_code == 200
    (outcome,) = response.context["outcome_forms"]
    assert outcome.non_field_errors() == ["Choose the decision these details belong to."]
    assert row_counts() == before


def test_a_hearing_without_a_court_is_refused(client, monitor, detained):
    charge, _ = detained
    before = row_counts()
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case), {**hearing_data(charge.case, court=""), **bail_granted(charge)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["court"] == ["This field is required."]
    assert row_counts() == before


def test_a_hearing_date_years_away_needs_confirming(client, monitor, detained):
    charge, _ = detained
    before = row_counts()
    client.force_login(monitor)
    far = TODAY.replace(year=TODAY.year + 3).isoformat()

    response = client.post(
        url_of(charge.case), {**hearing_data(charge.case, date=far, status="scheduled")}
    )

    assert response.status_code == 200
    assert "more than a year from now" in response.context["form"].errors["date"][0]
    assert row_counts() == before


def test_a_confirmed_unusual_date_is_saved(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)
    far = TODAY.replace(year=TODAY.year + 3)

    response = client.post(
        url_of(charge.case),
        hearing_data(charge.case, date=far.isoformat(), confirm_unusual_date="on"),
    )

    assert response.status_code == 302
    assert Hearing.objects.get(case=charge.case).date == far


def test_what_a_monitor_logs_is_visible_to_monitors_only(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)

    client.post(
        url_of(charge.case),
        {**hearing_data(charge.case, visibility="0"), **bail_granted(charge)},
    )

    hearing = Hearing.objects.get(case=charge.case)
    assert hearing.visibility == hearing._meta.get_field("visibility").default
    assert Decision.objects.get(hearing=hearing).visibility == hearing.visibility


def test_an_editor_chooses_who_may_see_what_they_log(client, editor, detained):
    charge, _ = detained
    client.force_login(editor)

    client.post(
        url_of(charge.case),
        {**hearing_data(charge.case, visibility="1"), **bail_granted(charge)},
    )

    assert Hearing.objects.get(case=charge.case).visibility == 1


def test_a_partner_cannot_log_a_hearing(client, partner, detained):
    charge, _ = detained
    client.force_login(partner)

    response = client.post(url_of(charge.case), hearing_data(charge.case))

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert not Hearing.objects.exists()


# A source for every logged fact (#14)


def without_source(data):
    return {key: value for key, value in data.items() if not key.startswith("cite-")}


def logged_records(case):
    return [
        *Hearing.objects.filter(case=case),
        *Decision.objects.filter(case=case),
        *CustodyPeriod.objects.filter(case=case, kind=CustodyKind.BAIL),
    ]


def test_a_hearing_without_a_source_cannot_be_saved(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)
    before = row_counts()

    response = client.post(
        url_of(charge.case), without_source({**hearing_data(charge.case), **bail_granted(charge)})
    )

    assert response.status_code == 200
    assert row_counts() == before
    assert response.context["citation_form"].errors["source"]


def test_a_document_without_a_paragraph_is_refused(client, monitor, detained):
    charge, _ = detained
    source = SourceFactory()
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case),
        {**without_source(hearing_data(charge.case)), "cite-source": source.pk},
    )

    assert response.status_code == 200
    assert response.context["citation_form"].errors["paragraph"]
    assert not Hearing.objects.exists()


def test_a_paragraph_the_source_does_not_have_is_refused(client, monitor, detained):
    charge, _ = detained
    source = SourceFactory(paragraph_count=75)
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case),
        {
            **without_source(hearing_data(charge.case)),
            "cite-source": source.pk,
            "cite-paragraph": "76",
        },
    )

    assert response.status_code == 200
    assert "there is no paragraph 76" in str(response.context["citation_form"].errors)
    assert not Hearing.objects.exists()


def test_every_record_logged_is_cited_to_the_paragraph_given(client, monitor, detained):
    charge, _ = detained
    source = SourceFactory(paragraph_count=75)
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case),
        {
            **without_source(hearing_data(charge.case)),
            **bail_granted(charge),
            "cite-source": source.pk,
            "cite-paragraph": "40",
        },
    )

    assert response.status_code == 302
    records = logged_records(charge.case)
    assert len(records) == 3  # the hearing, the bail decision, the bail period
    for record in records:
        assert [(c.source, c.paragraph) for c in record.citations.all()] == [(source, "40")]


def test_an_observation_becomes_a_monitors_only_source_naming_who_and_where(
    client, monitor, detained
):
    charge, _ = detained
    client.force_login(monitor)

    client.post(url_of(charge.case), {**hearing_data(charge.case), **bail_granted(charge)})

    records = logged_records(charge.case)
    sources = {c.source for record in records for c in record.citations.all()}
    assert len(sources) == 1
    observation = sources.pop()
    assert (observation.kind, observation.observer, observation.place) == (
        SourceKind.OBSERVATION,
        monitor,
        "Phnom Penh Municipal Court",
    )
    assert observation.visibility == Visibility.MONITORS
    assert all(record.citations.count() == 1 for record in records)


def test_an_observation_needs_a_place(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case), hearing_data(charge.case, **{"cite-observed_at": ""})
    )

    assert response.status_code == 200
    assert response.context["citation_form"].errors["observed_at"]
    assert not Hearing.objects.exists()


def test_a_logged_decision_prompts_to_update_the_case_status(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case), {**hearing_data(charge.case), **bail_granted(charge)}, follow=True
    )

    page = response.content.decode()
    assert "Update the case&#x27;s status" in page
    assert f'href="/admin/cases/case/{charge.case_id}/change/#id_status"' in page


def test_a_hearing_without_a_decision_does_not_prompt_for_the_status(client, monitor, detained):
    charge, _ = detained
    client.force_login(monitor)

    response = client.post(
        url_of(charge.case),
        {**hearing_data(charge.case), **bail_granted(charge, decision_kind="", charges=None)},
        follow=True,
    )

    assert response.redirect_chain
    assert "Update the case&#x27;s status" not in response.content.decode()
