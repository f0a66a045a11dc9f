"""Who may do what in the monitors' workspace (the Django admin).

Monitors log what happens in court (hearings, decisions, custody, citations) but cannot delete
anything or decide who may see a record; Editors can; Partners never reach the admin.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases.models import Case, Citation
from core import roles
from core.visibility import Visibility
from defendants.models import CustodyKind, CustodyPeriod
from hearings.models import Decision, DecisionKind, Hearing, HearingKind
from tests.factories import (
    LOG_OBSERVATION,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
    SourceFactory,
)

from .helpers import admin_form_data, inline_forms, inline_prefix

pytestmark = pytest.mark.django_db


def filled_in(client, url, **values):
    """GET an admin add or change page; return what it would post back, with ``values``."""
    response = client.get(url)
    assert response.status_code == 200
    return {**admin_form_data(response), **values}


def action_names(response):
    """The actions offered on an admin list page (no form at all when there are none)."""
    form = response.context["action_form"]
    return [] if form is None else [name for name, _ in form.fields["action"].choices]


@pytest.mark.parametrize("role", [roles.MONITOR, roles.EDITOR])
def test_the_role_groups_hold_exactly_the_permissions_roles_py_defines(role):
    group = Group.objects.get(name=role)

    in_database = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert in_database == set(roles.permission_codenames(role))


def test_the_partner_group_exists_without_permissions():
    assert not Group.objects.get(name=roles.PARTNER).permissions.exists()


# --- Monitors write what happens in court --------------------------------------------------


def test_a_monitor_can_add_a_hearing(client, monitor):
    case = CaseFactory()
    client.force_login(monitor)
    data = filled_in(
        client,
        "/admin/hearings/hearing/add/",
        **LOG_OBSERVATION,
        case=case.pk,
        court=case.court_id,
        date=timezone.localdate().isoformat(),
        kind=HearingKind.TRIAL,
    )

    response = client.post("/admin/hearings/hearing/add/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Hearing.objects.filter(case=case).count() == 1


def test_a_monitor_can_change_a_hearing(client, monitor):
    hearing = HearingFactory(outcome="")
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    client.force_login(monitor)
    # The factory's date is years ago: the monitor confirms it is right.
    data = filled_in(client, url, outcome="Adjourned", confirm_unusual_date="on")

    response = client.post(url, data)

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.outcome == "Adjourned"


def test_a_monitor_can_add_a_decision(client, monitor):
    charge = ChargeFactory(date_filed=datetime.date(2024, 1, 10))
    client.force_login(monitor)
    data = filled_in(
        client,
        "/admin/hearings/decision/add/",
        **LOG_OBSERVATION,
        case=charge.case_id,
        defendant=charge.defendant_id,
        court=charge.case.court_id,
        court_level=charge.case.court.level,
        kind=DecisionKind.CONVICTION,
        date="2024-05-01",
        charges=[charge.pk],
        prison_months="24",
    )

    response = client.post("/admin/hearings/decision/add/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    decision = Decision.objects.get(case=charge.case)
    assert list(decision.charges.all()) == [charge]


def test_a_monitor_can_change_a_decision(client, monitor):
    charge = ChargeFactory()
    # Monitors-only: a Monitor's change to a public decision waits for an Editor
    # (tests/publication).
    decision = DecisionFactory(
        case=charge.case,
        defendant=charge.defendant,
        prison_months=12,
        visibility=Visibility.MONITORS,
    )
    url = f"/admin/hearings/decision/{decision.pk}/change/"
    client.force_login(monitor)

    response = client.post(url, filled_in(client, url, prison_months="18"))

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.prison_months == 18


def test_a_monitor_can_add_a_custody_period(client, monitor):
    link = CaseDefendantFactory()
    client.force_login(monitor)
    data = filled_in(
        client,
        "/admin/defendants/custodyperiod/add/",
        **LOG_OBSERVATION,
        case=link.case_id,
        defendant=link.defendant_id,
        kind=CustodyKind.PRETRIAL_DETENTION,
        start="2024-02-01",
    )

    response = client.post("/admin/defendants/custodyperiod/add/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert CustodyPeriod.objects.filter(defendant=link.defendant).count() == 1


def test_a_monitor_can_change_a_custody_period(client, monitor):
    charge = ChargeFactory()
    period = CustodyPeriodFactory(
        case=charge.case, defendant=charge.defendant, visibility=Visibility.MONITORS
    )
    url = f"/admin/defendants/custodyperiod/{period.pk}/change/"
    client.force_login(monitor)

    response = client.post(url, filled_in(client, url, end="2024-06-30"))

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.end == datetime.date(2024, 6, 30)


def test_a_monitor_can_add_a_citation(client, monitor):
    case = CaseFactory()
    source = SourceFactory()
    client.force_login(monitor)
    data = filled_in(
        client,
        "/admin/cases/citation/add/",
        source=source.pk,
        paragraph="41",
        content_type=ContentType.objects.get_for_model(Case).pk,
        object_id=case.pk,
    )

    response = client.post("/admin/cases/citation/add/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Citation.objects.get(object_id=case.pk).paragraph == "41"


def test_a_monitor_can_change_a_citation(client, monitor):
    citation = CitationFactory(paragraph="34")
    url = f"/admin/cases/citation/{citation.pk}/change/"
    client.force_login(monitor)

    response = client.post(url, filled_in(client, url, paragraph="35"))

    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.paragraph == "35"


def test_a_monitor_can_add_a_citation_to_a_hearing_through_its_inline(client, monitor):
    hearing = HearingFactory()
    source = SourceFactory()
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    client.force_login(monitor)
    response = client.get(url)
    prefix = inline_prefix(response, Citation)
    data = {
        **admin_form_data(response),
        "confirm_unusual_date": "on",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-source": source.pk,
        f"{prefix}-0-paragraph": "12",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert [c.paragraph for c in hearing.citations.all()] == ["12"]


def test_a_monitor_cannot_change_a_case(client, monitor):
    case = CaseFactory(title="Before")
    url = f"/admin/cases/case/{case.pk}/change/"
    client.force_login(monitor)
    data = filled_in(client, url, title="After")

    response = client.post(url, data)

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.title == "Before"


# --- Monitors cannot delete ----------------------------------------------------------------


@pytest.mark.parametrize(
    "factory, url",
    [
        (HearingFactory, "/admin/hearings/hearing/{pk}/delete/"),
        (CaseFactory, "/admin/cases/case/{pk}/delete/"),
        (CitationFactory, "/admin/cases/citation/{pk}/delete/"),
    ],
)
def test_a_monitor_gets_403_from_a_delete_page(client, monitor, factory, url):
    record = factory()
    client.force_login(monitor)

    get = client.get(url.format(pk=record.pk))
    post = client.post(url.format(pk=record.pk), {"post": "yes"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert type(record).objects.filter(pk=record.pk).exists()


def test_a_monitor_has_no_delete_action_on_a_list(client, monitor):
    HearingFactory()
    client.force_login(monitor)

    response = client.get("/admin/hearings/hearing/")

    actions = action_names(response)
    assert "delete_selected" not in actions


def test_a_monitor_cannot_delete_through_the_delete_action(client, monitor):
    hearing = HearingFactory()
    client.force_login(monitor)

    client.post(
        "/admin/hearings/hearing/",
        {"action": "delete_selected", "_selected_action": [hearing.pk], "post": "yes"},
    )

    assert Hearing.objects.filter(pk=hearing.pk).exists()


def test_a_monitor_cannot_delete_a_citation_through_an_inline(client, monitor):
    hearing = HearingFactory()
    CitationFactory(subject=hearing)
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    client.force_login(monitor)
    response = client.get(url)
    prefix = inline_prefix(response, Citation)
    data = {**admin_form_data(response), "confirm_unusual_date": "on", f"{prefix}-0-DELETE": "on"}

    client.post(url, data)

    assert hearing.citations.count() == 1


# --- Visibility is for Editors ---------------------------------------------------------------


def test_visibility_is_read_only_for_a_monitor_on_a_filled_in(client, monitor):
    hearing = HearingFactory()
    client.force_login(monitor)

    response = client.get(f"/admin/hearings/hearing/{hearing.pk}/change/")

    assert "visibility" not in response.context["adminform"].form.fields
    assert "visibility" in response.context["adminform"].readonly_fields


def test_visibility_is_read_only_for_a_monitor_on_an_inline(client, monitor):
    hearing = HearingFactory()
    CitationFactory(subject=hearing)
    client.force_login(monitor)

    response = client.get(f"/admin/hearings/hearing/{hearing.pk}/change/")

    (citation_form,) = inline_forms(response, Citation)
    assert "visibility" not in citation_form.fields


def test_a_monitor_posting_a_visibility_does_not_change_it(client, monitor):
    hearing = HearingFactory(visibility=Visibility.MONITORS)
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    client.force_login(monitor)
    data = filled_in(
        client, url, visibility=Visibility.PUBLIC, outcome="Held", confirm_unusual_date="on"
    )

    response = client.post(url, data)

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert (hearing.outcome, hearing.visibility) == ("Held", Visibility.MONITORS)


def test_a_monitor_posting_a_visibility_in_an_inline_does_not_change_it(client, monitor):
    hearing = HearingFactory()
    citation = CitationFactory(subject=hearing, visibility=Visibility.MONITORS, paragraph="1")
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    client.force_login(monitor)
    response = client.get(url)
    prefix = inline_prefix(response, Citation)
    data = {
        **admin_form_data(response),
        "confirm_unusual_date": "on",
        f"{prefix}-0-paragraph": "2",
        f"{prefix}-0-visibility": Visibility.PUBLIC,
    }

    response = client.post(url, data)

    assert response.status_code == 302
    citation.refresh_from_db()
    assert (citation.paragraph, citation.visibility) == ("2", Visibility.MONITORS)


def test_a_monitor_adding_a_record_cannot_choose_its_visibility(client, monitor):
    case = CaseFactory()
    client.force_login(monitor)
    data = filled_in(
        client,
        "/admin/hearings/hearing/add/",
        **LOG_OBSERVATION,
        case=case.pk,
        court=case.court_id,
        date=timezone.localdate().isoformat(),
        kind=HearingKind.TRIAL,
        visibility=Visibility.PUBLIC,
    )

    client.post("/admin/hearings/hearing/add/", data)

    assert Hearing.objects.get(case=case).visibility == Visibility.MONITORS


def test_an_editor_can_change_visibility(client, editor):
    case = CaseFactory(visibility=Visibility.MONITORS)
    url = f"/admin/cases/case/{case.pk}/change/"
    client.force_login(editor)

    response = client.post(url, filled_in(client, url, visibility=Visibility.PUBLIC))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.visibility == Visibility.PUBLIC


def test_an_editor_can_change_visibility_in_an_inline(client, editor):
    charge = ChargeFactory(visibility=Visibility.MONITORS)
    url = f"/admin/cases/case/{charge.case_id}/change/"
    client.force_login(editor)
    response = client.get(url)
    prefix = inline_prefix(response, type(charge))
    data = {**admin_form_data(response), f"{prefix}-0-visibility": Visibility.PARTNERS}

    response = client.post(url, data)

    assert response.status_code == 302
    charge.refresh_from_db()
    assert charge.visibility == Visibility.PARTNERS


# --- Editors delete -------------------------------------------------------


def test_an_editor_can_delete_a_case(client, editor):
    case = CaseFactory()
    client.force_login(editor)

    response = client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()


def test_an_editor_has_the_delete_action(client, editor):
    CaseFactory()
    client.force_login(editor)

    response = client.get("/admin/cases/case/")

    actions = action_names(response)
    assert "delete_selected" in actions


# Import and export (Editors yes, Monitors 403): tests/admin/test_import_export.py


# --- Partners stay out -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/cases/case/",
        "/admin/cases/case/{pk}/change/",
        "/admin/cases/case/{pk}/log-hearing/",
    ],
)
def test_a_partner_is_sent_to_the_admin_login(client, partner, url):
    case = CaseFactory()
    client.force_login(partner)

    response = client.get(url.format(pk=case.pk))

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_partner_cannot_log_in_to_the_admin(client, partner):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": partner.username, "password": "correct horse battery"},
    )

    assert response.status_code == 200  # the login form again, with an error
    assert "_auth_user_id" not in client.session
