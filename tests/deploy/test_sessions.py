"""A workspace session ends after 30 idle minutes; every request pushes the end forward."""

import datetime

import pytest
from django.contrib.sessions.models import Session

pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def expiry(client):
    return Session.objects.get(pk=client.session.session_key).expire_date


@pytest.fixture
def logged_in(client, monitor, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(monitor)
    return client


def test_sessions_last_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_every_request_renews_the_session(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_request_pushes_the_expiry_forward(logged_in, time_machine):
    assert expiry(logged_in) == START + datetime.timedelta(minutes=30)
    time_machine.move_to(START + datetime.timedelta(minutes=20), tick=False)

    logged_in.get("/admin/")

    assert expiry(logged_in) == START + datetime.timedelta(minutes=50)


def test_a_session_in_use_outlives_thirty_minutes(logged_in, time_machine):
    for minutes in (20, 40):
        time_machine.move_to(START + datetime.timedelta(minutes=minutes), tick=False)
        response = logged_in.get("/admin/")

    assert response.status_code == 200


def test_thirty_idle_minutes_log_the_person_out(logged_in, time_machine):
    time_machine.move_to(START + datetime.timedelta(minutes=31), tick=False)

    response = logged_in.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
