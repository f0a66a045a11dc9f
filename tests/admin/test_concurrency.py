"""No lost updates: a save based on a version someone else has since replaced is refused, and
the refusal says what the other person changed."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from cases.models import Case, Charge
from core import roles
from core.admin import VersionedForm
from core.concurrency import EditConflict
from core.visibility import Visibility
from tests.factories import CaseFactory, ChargeFactory, HearingFactory, UserFactory

from .helpers import admin_form_data, form_errors, inline_prefix

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_editor(db):
    return UserFactory(role=roles.EDITOR, username="sokha")


@pytest.fixture
def other_monitor(db):
    return UserFactory(role=roles.MONITOR, username="dara")


def test_the_change_form_carries_the_version_it_was_loaded_at(client, editor):
    case = CaseFactory()
    case.save()  # now at version 2
    client.force_login(editor)

    response = client.get(f"/admin/cases/case/{case.pk}/change/")

    assert response.context["adminform"].form["loaded_version"].value() == 2
    assert 'name="loaded_version" value="2"' in response.content.decode()


def test_a_stale_case_save_is_refused_and_the_first_save_kept(editor, other_editor):
    case = CaseFactory(title="Old title")
    url = f"/admin/cases/case/{case.pk}/change/"
    first, second = logged_in(other_editor), logged_in(editor)
    first_data = admin_form_data(first.get(url))
    second_data = admin_form_data(second.get(url))
    assert first_data["loaded_version"] == second_data["loaded_version"] == 1

    assert first.post(url, {**first_data, "title": "First title"}).status_code == 302
    response = second.post(url, {**second_data, "title": "Second title"})

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.title == "First title"


def test_a_stale_case_save_names_who_changed_what(editor, other_editor):
    case = CaseFactory(title="Old title")
    url = f"/admin/cases/case/{case.pk}/change/"
    first, second = logged_in(other_editor), logged_in(editor)
    first_data = admin_form_data(first.get(url))
    second_data = admin_form_data(second.get(url))
    first.post(url, {**first_data, "title": "First title"})

    response = second.post(url, {**second_data, "summary": "Something else"})

    (error,) = response.context["adminform"].form.non_field_errors()
    assert "Someone else saved this record while you were editing it" in error
    assert "sokha changed title from “Old title” to “First title”" in error
    assert "Someone else saved this record" in response.content.decode()


def test_a_stale_hearing_save_by_a_monitor_is_refused(monitor, other_monitor):
    hearing = HearingFactory(outcome="Adjourned")
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    first, second = logged_in(other_monitor), logged_in(monitor)
    unusual = {"confirm_unusual_date": "on"}  # the factory's date is years ago
    first_data = {**admin_form_data(first.get(url)), **unusual}
    second_data = {**admin_form_data(second.get(url)), **unusual}
    first.post(url, {**first_data, "outcome": "Verdict read"})

    response = second.post(url, {**second_data, "outcome": "Postponed"})

    (error,) = response.context["adminform"].form.non_field_errors()
    assert "dara changed outcome from “Adjourned” to “Verdict read”" in error
    hearing.refresh_from_db()
    assert hearing.outcome == "Verdict read"


def test_a_stale_inline_save_is_refused_and_names_the_change(editor, other_editor):
    charge = ChargeFactory(label="incitement")
    url = f"/admin/cases/case/{charge.case_id}/change/"
    first, second = logged_in(other_editor), logged_in(editor)
    first_page, second_page = first.get(url), second.get(url)
    label = f"{inline_prefix(first_page, Charge)}-0-label"
    first.post(url, {**admin_form_data(first_page), label: "insult"})

    response = second.post(url, {**admin_form_data(second_page), label: "defamation"})

    assert response.status_code == 200
    assert any(
        "sokha changed charge as reported from “incitement” to “insult”" in error
        for error in form_errors(response)
    )
    charge.refresh_from_db()
    assert charge.label == "insult"


def test_editing_only_an_inline_does_not_bump_the_cases_version(editor):
    charge = ChargeFactory(label="incitement")
    url = f"/admin/cases/case/{charge.case_id}/change/"
    client = logged_in(editor)
    page = client.get(url)
    label = f"{inline_prefix(page, Charge)}-0-label"

    assert client.post(url, {**admin_form_data(page), label: "insult"}).status_code == 302

    charge.refresh_from_db()
    assert (charge.label, charge.version, charge.case.version) == ("insult", 2, 1)


def test_a_stale_direct_save_raises_edit_conflict():
    case = CaseFactory(title="Old title")
    stale = Case.objects.get(pk=case.pk)
    case.title = "First title"
    case.save()

    stale.title = "Second title"
    with pytest.raises(EditConflict) as conflict:
        stale.save(expected_version=1)

    assert (conflict.value.expected_version, conflict.value.current_version) == (1, 2)
    assert Case.objects.get(pk=case.pk).title == "First title"


def test_an_edit_conflict_lists_the_fields_changed_since(editor):
    case = CaseFactory(title="Old title", visibility=Visibility.MONITORS)
    case._history_user = editor
    case.title = "First title"
    case.save()

    message = EditConflict(case, 1, 2).message()

    assert f"{editor.username} changed title from “Old title” to “First title”" in message
    assert "visibility" not in message  # unchanged fields are not listed


def test_a_save_at_the_current_version_goes_through():
    case = CaseFactory(title="Old title")
    case.title = "New title"

    case.save(expected_version=1)

    case.refresh_from_db()
    assert (case.title, case.version) == ("New title", 2)


def test_a_save_racing_past_the_form_check_is_caught_by_the_row_lock(client, editor, monkeypatch):
    case = CaseFactory(title="Old title")
    url = f"/admin/cases/case/{case.pk}/change/"
    client.force_login(editor)
    data = admin_form_data(client.get(url))
    check = VersionedForm.clean

    def check_then_someone_saves(form):
        # The form's check passes; before this request saves, another one does.
        cleaned = check(form)
        if isinstance(form.instance, Case):
            Case.objects.get(pk=form.instance.pk).save()
        return cleaned

    monkeypatch.setattr(VersionedForm, "clean", check_then_someone_saves)

    response = client.post(url, {**data, "title": "Mine"})

    assert response.status_code == 302
    assert response.url == url
    assert any("Someone else saved" in str(m) for m in get_messages(response.wsgi_request))
    assert Case.objects.get(pk=case.pk).title == "Old title"


def test_a_change_form_without_its_loaded_version_is_refused(editor, other_editor):
    case = CaseFactory(title="Old title")
    url = f"/admin/cases/case/{case.pk}/change/"
    first, second = logged_in(other_editor), logged_in(editor)
    second_data = admin_form_data(second.get(url))
    first.post(url, {**admin_form_data(first.get(url)), "title": "First title"})
    del second_data["loaded_version"]

    response = second.post(url, {**second_data, "title": "Second title"})

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.non_field_errors()
    assert "version" in error
    case.refresh_from_db()
    assert case.title == "First title"
