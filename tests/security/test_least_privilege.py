"""Issue 20, finding 5: roles are least privilege. Only Admins issue API tokens, and only for
partner accounts; staff status alone grants nothing; everyone who reads monitors-only data needs
a second factor in production; no role raises itself; a Monitor cannot publish a record by
moving it; emails go to staff only; exports are read at the requester's current level."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from cases.models import ExportJob, OffenceClass
from core import roles
from core.visibility import Visibility, level_for
from defendants.models import CustodyKind
from defendants.tasks import check_detention_limits
from hearings.models import Hearing
from hearings.tasks import send_daily_digests, send_hearing_reminders
from partners.models import ApiToken, Partner
from tests.admin.helpers import admin_form_data
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    HearingFactory,
    UserFactory,
)
from workspace import two_factor

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's


def admin_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- API tokens ---------------------------------------------------------------------------------


def test_an_editor_cannot_issue_api_tokens(editor):
    assert not editor.has_perm("partners.add_apitoken")
    assert ("partners", "add_apitoken") not in roles.permission_codenames(roles.EDITOR)
    response = admin_client(editor).get("/admin/partners/apitoken/add/")
    assert response.status_code == 403


def test_an_admin_issues_api_tokens():
    admin = UserFactory(role=roles.ADMIN)
    assert admin.has_perm("partners.add_apitoken")
    assert ("partners", "add_apitoken") in roles.permission_codenames(roles.ADMIN)


@pytest.mark.parametrize("role", [roles.MONITOR, roles.EDITOR, roles.ADMIN, None])
def test_a_token_cannot_be_issued_for_a_staff_account(role):
    user = UserFactory(role=role, is_superuser=role is None)
    token = ApiToken(name="x", user=user)
    with pytest.raises(ValidationError):
        token.clean()


def test_a_token_can_be_issued_for_a_partner_account(partner):
    ApiToken(name="x", user=partner).clean()
    ApiToken(name="x", partner=Partner.objects.create(name="NGO")).clean()


def test_the_admin_refuses_a_token_for_a_superuser():
    admin = UserFactory(role=roles.ADMIN)
    target = UserFactory(is_superuser=True, is_staff=True)
    response = admin_client(admin).post(
        "/admin/partners/apitoken/add/",
        {
            "name": "take over",
            "user": target.pk,
            "expires_at_0": "2099-01-01",
            "expires_at_1": "0:00",
        },
    )
    assert not ApiToken.objects.filter(user=target).exists()
    assert response.status_code == 200  # the form again, with the error


# --- Staff status alone -------------------------------------------------------------------------


def test_staff_status_without_a_role_reads_at_the_public_level():
    user = UserFactory(is_staff=True)
    assert level_for(user) == Visibility.PUBLIC


def test_staff_status_without_a_role_reads_no_hidden_record_through_the_api():
    CaseFactory(title="ZQHIDDENX", visibility=Visibility.MONITORS)
    user = UserFactory(is_staff=True)
    client = APIClient()
    client.force_login(user)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 200
    assert "ZQHIDDENX" not in response.content.decode()


# --- Second factor ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.MONITOR, roles.EDITOR, roles.ADMIN])
def test_everyone_who_reads_monitors_only_data_needs_a_second_factor(settings, role):
    settings.TWO_FACTOR_ENFORCED = True
    assert two_factor.needs_second_factor(UserFactory(role=role))


def test_a_partner_user_needs_no_second_factor(settings, partner):
    settings.TWO_FACTOR_ENFORCED = True
    assert not two_factor.needs_second_factor(partner)


# --- No role raises itself ----------------------------------------------------------------------


def test_an_admin_cannot_make_itself_superuser():
    admin = UserFactory(role=roles.ADMIN)
    client = admin_client(admin)
    url = f"/admin/auth/user/{admin.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    data = {
        "username": admin.username,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name=roles.ADMIN).pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2025-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    client.post(url, data)
    admin.refresh_from_db()
    assert not admin.is_superuser


def test_an_admin_cannot_change_a_superusers_account():
    admin = UserFactory(role=roles.ADMIN)
    root = UserFactory(is_superuser=True, is_staff=True)
    response = admin_client(admin).get(f"/admin/auth/user/{root.pk}/password/")
    assert response.status_code in (403, 404, 302)


# --- Moving a record ----------------------------------------------------------------------------


def test_a_monitor_cannot_publish_a_hidden_hearing_by_moving_it_to_a_public_case(monitor):
    hidden_case = CaseFactory(visibility=Visibility.MONITORS)
    public_case = CaseFactory(visibility=Visibility.PUBLIC)
    hearing = HearingFactory(case=hidden_case, visibility=Visibility.PUBLIC)
    client = APIClient()
    client.force_login(monitor)

    response = client.patch(
        f"/api/v1/hearings/{hearing.pk}/",
        {"case": public_case.pk, "version": hearing.version},
        format="json",
    )

    hearing.refresh_from_db()
    assert hearing.case_id == hidden_case.pk, response.content
    assert not Hearing.objects.visible_to(Visibility.PUBLIC).filter(pk=hearing.pk).exists()


def test_the_admin_shows_a_monitor_the_case_of_a_hearing_read_only(monitor):
    hearing = HearingFactory(case=CaseFactory(visibility=Visibility.MONITORS))
    page = admin_client(monitor).get(f"/admin/hearings/hearing/{hearing.pk}/change/")
    assert page.status_code == 200
    assert re.search(r'<select name="case"[^>]* disabled', page.content.decode())


def test_a_monitor_cannot_move_a_hearing_in_the_admin(monitor):
    hidden_case = CaseFactory(visibility=Visibility.MONITORS)
    public_case = CaseFactory(visibility=Visibility.PUBLIC)
    hearing = HearingFactory(case=hidden_case, visibility=Visibility.PUBLIC)
    client = admin_client(monitor)
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    data = {**admin_form_data(client.get(url)), "case": public_case.pk, "outcome": "moved"}
    data["confirm_unusual_date"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302  # saved: the rest of the form is accepted
    hearing.refresh_from_db()
    assert hearing.outcome == "moved"
    assert hearing.case_id == hidden_case.pk


# --- Emails -------------------------------------------------------------------------------------


def test_reminders_and_digests_go_only_to_staff(partner, monitor):
    partner.email, monitor.email = "partner@example.org", "monitor@example.org"
    partner.save()
    monitor.save()
    today = datetime.date(2025, 3, 1)
    case = CaseFactory()
    case.assigned_monitors.add(partner, monitor)
    HearingFactory(case=case, date=today + datetime.timedelta(days=1), status="scheduled")

    send_hearing_reminders(today=today.isoformat())
    send_daily_digests(today=today.isoformat())

    recipients = {address for message in mail.outbox for address in message.to}
    assert "partner@example.org" not in recipients
    assert "monitor@example.org" in recipients


def test_detention_alerts_go_only_to_staff(partner, monitor):
    partner.email, monitor.email = "partner@example.org", "monitor@example.org"
    partner.save()
    monitor.save()
    charge = ChargeFactory(article=ArticleFactory(offence_class=OffenceClass.MISDEMEANOUR))
    CustodyPeriodFactory(
        defendant=charge.defendant,
        case=charge.case,
        kind=CustodyKind.PRETRIAL_DETENTION,
        start=datetime.date(2024, 1, 10),
    )
    charge.case.assigned_monitors.add(partner, monitor)

    check_detention_limits("2024-05-01")  # nine days before the four-month limit

    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"monitor@example.org"}


# --- Exports ------------------------------------------------------------------------------------


def test_a_demoted_user_cannot_download_an_export_made_at_a_higher_level(monitor):
    from django.core.files.base import ContentFile

    job = ExportJob.objects.create(
        export_type="cases",
        export_format="json",
        level=Visibility.MONITORS,
        requested_by=monitor,
        status="done",
    )
    job.file.save("x.json", ContentFile(b"[]"))
    client = APIClient()
    client.force_login(monitor)
    assert client.get(f"/api/v1/export-jobs/{job.pk}/download/").status_code == 200

    monitor.groups.clear()
    monitor = type(monitor).objects.get(pk=monitor.pk)
    client.force_login(monitor)
    assert client.get(f"/api/v1/export-jobs/{job.pk}/download/").status_code == 404


def test_export_file_names_are_not_predictable(partner_api, django_capture_on_commit_callbacks):
    CaseFactory()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            partner_api.post(
                "/api/v1/export-jobs/",
                {"export_type": "cases", "export_format": "json"},
                format="json",
            )
    for job in ExportJob.objects.all():
        name = job.file.name.rsplit("/", 1)[-1]
        random_part = name.rsplit(".", 1)[0].rsplit("-", 1)[-1]
        assert len(random_part) >= 20, name
