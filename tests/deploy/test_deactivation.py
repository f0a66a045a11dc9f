"""Deactivating a person in the admin ends their sessions and revokes their API tokens there
and then."""

import pytest
from django import forms
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from core import roles
from tests.admin.helpers import admin_form_data
from tests.api.helpers import legacy_staff_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=roles.ADMIN))
    return client


@pytest.fixture
def person(editor):
    """The editor being deactivated, logged in elsewhere and holding an API token."""
    browser = Client()
    browser.force_login(editor)
    assert browser.get("/admin/").status_code == 200
    token, secret = legacy_staff_token(editor, name="phone")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/cases/").status_code == 200
    editor.browser, editor.api, editor.token = browser, api, token
    return editor


def user_form_data(page):
    """admin_form_data, with the user's two date-and-time fields split as the admin's widget
    posts them."""
    data = admin_form_data(page)
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        if isinstance(field, forms.SplitDateTimeField):
            del data[name]
            date, time = field.widget.decompress(form[name].value())
            data[f"{name}_0"] = date.isoformat() if date else ""
            data[f"{name}_1"] = time.isoformat() if time else ""
    return data


def untick_active(admin_client, user):
    url = f"/admin/auth/user/{user.pk}/change/"
    data = user_form_data(admin_client.get(url))
    data.pop("is_active")  # an unticked checkbox is absent from the POST
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def run_deactivate_action(admin_client, user):
    response = admin_client.post(
        "/admin/auth/user/", {"action": "deactivate", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    return response


DEACTIVATIONS = [untick_active, run_deactivate_action]
IDS = ["unticking active", "the deactivate action"]


def sessions_of(user):
    sessions = Session.objects.all()
    return [s for s in sessions if s.get_decoded().get("_auth_user_id") == str(user.pk)]


@pytest.mark.parametrize("deactivate", DEACTIVATIONS, ids=IDS)
def test_it_deactivates_the_account(admin_client, person, deactivate):
    deactivate(admin_client, person)

    person.refresh_from_db()
    assert not person.is_active


@pytest.mark.parametrize("deactivate", DEACTIVATIONS, ids=IDS)
def test_it_deletes_their_sessions(admin_client, person, deactivate):
    deactivate(admin_client, person)

    assert sessions_of(person) == []


@pytest.mark.parametrize("deactivate", DEACTIVATIONS, ids=IDS)
def test_their_logged_in_browser_is_logged_out(admin_client, person, deactivate):
    deactivate(admin_client, person)

    response = person.browser.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("deactivate", DEACTIVATIONS, ids=IDS)
def test_it_revokes_their_api_tokens(admin_client, person, deactivate):
    deactivate(admin_client, person)

    person.token.refresh_from_db()
    assert person.token.revoked_at is not None


@pytest.mark.parametrize("deactivate", DEACTIVATIONS, ids=IDS)
def test_a_revoked_token_is_refused_by_the_api(admin_client, person, deactivate):
    deactivate(admin_client, person)

    assert person.api.get("/api/v1/cases/").status_code == 401


def test_the_admin_keeps_their_own_session(admin_client, person):
    untick_active(admin_client, person)

    assert admin_client.get("/admin/").status_code == 200


def test_other_peoples_sessions_and_tokens_survive(admin_client, person, monitor):
    browser = Client()
    browser.force_login(monitor)
    token, _ = legacy_staff_token(monitor, name="laptop")

    run_deactivate_action(admin_client, person)

    token.refresh_from_db()
    assert token.revoked_at is None
    assert browser.get("/admin/").status_code == 200
