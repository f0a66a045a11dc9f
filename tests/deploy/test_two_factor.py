"""Two-factor login (TOTP): who must use it, setting it up, and logging in with it."""

import datetime
import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles
from core.visibility import Visibility
from tests.factories import CaseFactory, UserFactory

from .helpers import clean_environment, run_python

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
SETUP = "/admin/two-factor/"
PASSWORD = "correct horse battery"  # UserFactory's


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def code(device, drift=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def wrong_code(device):
    """A code the device refuses: none of those its tolerance (one step either way) accepts."""
    accepted = {code(device, drift) for drift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def log_in(client, user, **extra):
    """POST the login form as a browser would (with its hidden ``next``), and follow where it
    leads."""
    data = {"username": user.username, "password": PASSWORD, "next": "/admin/", **extra}
    return client.post(LOGIN, data, follow=True)


def final_path(response):
    return response.request["PATH_INFO"]


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("role", [roles.EDITOR, roles.ADMIN])
def test_editors_and_admins_without_a_device_are_sent_to_set_one_up(client, enforced, role):
    user = UserFactory(role=role)

    response = log_in(client, user)

    assert final_path(response) == SETUP
    assert response.status_code == 200


def test_superusers_without_a_device_are_sent_to_set_one_up(client, enforced):
    user = UserFactory(is_superuser=True, is_staff=True)

    response = log_in(client, user)

    assert final_path(response) == SETUP


@pytest.mark.parametrize("url", ["/admin/", "/admin/cases/case/", "/admin/auth/user/"])
def test_without_a_device_no_admin_page_opens(client, enforced, editor, url):
    log_in(client, editor)

    response = client.get(url, follow=True)

    assert final_path(response) == SETUP


def test_without_a_device_the_session_does_not_open_the_api_as_that_user(client, enforced, editor):
    confidential = CaseFactory(visibility=Visibility.MONITORS)
    log_in(client, editor)

    response = client.get("/api/v1/cases/")

    assert response.status_code == 200
    assert confidential.pk not in [case["id"] for case in response.json()["results"]]


def test_the_setup_page_asks_for_a_password_first(client, enforced):
    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_setup_page_creates_an_unconfirmed_device(client, enforced, editor):
    log_in(client, editor)

    response = client.get(SETUP)

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=editor, confirmed=False).count() == 1


def test_a_valid_code_confirms_the_device_and_opens_the_workspace(client, enforced, editor):
    log_in(client, editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(SETUP, {"token": code(device)})

    assert response.status_code == 200  # the recovery codes, shown once
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def setup_key(response):
    return re.search(r"<code>([A-Z2-7 ]+)</code>", response.content.decode()).group(1)


def test_each_session_sets_up_its_own_key(enforced, editor):
    """Issue #20, finding 7: an unconfirmed key was reused by every session of the user."""
    first, second = Client(), Client()
    log_in(first, editor)
    log_in(second, editor)

    first_key = setup_key(first.get(SETUP))
    second_key = setup_key(second.get(SETUP))

    assert first_key != second_key
    assert setup_key(second.get(SETUP)) == second_key  # the same session keeps its key
    assert TOTPDevice.objects.filter(user=editor, confirmed=False).count() == 1


def test_a_key_seen_in_another_session_cannot_be_confirmed(enforced, editor):
    first, second = Client(), Client()
    log_in(first, editor)
    first.get(SETUP)
    seen = TOTPDevice.objects.get(user=editor)
    log_in(second, editor)
    second.get(SETUP)

    first.post(SETUP, {"token": code(seen)})

    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def recovery_codes(response):
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


def test_confirming_shows_ten_recovery_codes_once(client, enforced, editor):
    log_in(client, editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)

    codes = recovery_codes(client.post(SETUP, {"token": code(device)}))

    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    assert "recovery-codes" not in client.get(SETUP, follow=True).content.decode()


def test_a_recovery_code_logs_in_once(enforced, editor):
    setup_client = Client()
    log_in(setup_client, editor)
    setup_client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)
    recovery = recovery_codes(setup_client.post(SETUP, {"token": code(device)}))[0]

    first, second = Client(), Client()
    log_in(first, editor, otp_token=recovery)
    log_in(second, editor, otp_token=recovery)

    assert is_logged_in(first)
    assert first.get("/admin/").status_code == 200
    assert not is_logged_in(second)


def test_a_wrong_code_is_refused_with_a_message(client, enforced, editor):
    log_in(client, editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(SETUP, {"token": wrong_code(device)})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert final_path(client.get("/admin/", follow=True)) == SETUP


def test_after_setting_up_the_next_login_needs_password_and_code(
    client, enforced, editor, time_machine
):
    start = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    log_in(client, editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)
    client.post(SETUP, {"token": code(device)})
    client.logout()
    # A later step: a code is accepted once, so the one used to confirm cannot log in again.
    time_machine.move_to(start + datetime.timedelta(minutes=1), tick=False)

    password_alone = log_in(client, editor)
    assert not is_logged_in(client)
    with_code = log_in(client, editor, otp_token=code(device))

    assert "Enter the 6-digit code" in password_alone.content.decode()
    assert final_path(with_code) == "/admin/"
    assert with_code.status_code == 200


def test_a_code_cannot_be_used_twice(client, enforced, editor, device, time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
    used = code(device)
    log_in(client, editor, otp_token=used)
    client.logout()

    response = log_in(client, editor, otp_token=used)

    assert not is_logged_in(client)
    assert "That code is not right" in response.content.decode()


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="authenticator", confirmed=True)


def test_with_a_device_the_password_alone_is_refused(client, enforced, editor, device):
    response = log_in(client, editor)

    assert response.status_code == 200
    assert "Enter the 6-digit code" in response.content.decode()
    assert not is_logged_in(client)


def test_with_a_device_and_a_valid_code_the_session_opens_the_api(client, enforced, editor, device):
    confidential = CaseFactory(visibility=Visibility.MONITORS)
    log_in(client, editor, otp_token=code(device))

    response = client.get("/api/v1/cases/")

    assert confidential.pk in [case["id"] for case in response.json()["results"]]


def test_with_a_device_a_wrong_code_is_refused(client, enforced, editor, device):
    response = log_in(client, editor, otp_token=wrong_code(device))

    assert "That code is not right" in response.content.decode()
    assert not is_logged_in(client)


def test_with_a_device_the_password_and_a_valid_code_open_the_workspace(
    client, enforced, editor, device
):
    response = log_in(client, editor, otp_token=code(device))

    assert final_path(response) == "/admin/"
    assert response.status_code == 200


def test_a_device_is_asked_for_even_when_two_factor_is_not_enforced(client, editor, device):
    # Whoever has set up an authenticator always uses it, so a stolen password is not enough.
    response = log_in(client, editor)

    assert not is_logged_in(client)
    assert "Enter the 6-digit code" in response.content.decode()


def test_a_monitor_needs_a_device(client, enforced, monitor):
    """Monitors read every monitors-only record: their account needs a second factor as much
    as an Editor's (issue 20; monitors used to need none unless a setting said so)."""
    response = log_in(client, monitor)

    assert final_path(response) == SETUP


@pytest.mark.parametrize("role", [roles.MONITOR, roles.EDITOR, roles.ADMIN])
def test_when_not_enforced_nobody_is_forced(client, settings, role):
    assert settings.TWO_FACTOR_ENFORCED is False  # the tests' default, like local development
    user = UserFactory(role=role)

    response = log_in(client, user)

    assert final_path(response) == "/admin/"
    assert response.status_code == 200


def enforced_by_default(**environment):
    result = run_python(
        "-c",
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.TWO_FACTOR_ENFORCED)",
        environment=clean_environment(**environment),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_enforces_two_factor_by_default():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}

    assert enforced_by_default(**production) == "True"


def test_local_development_does_not_enforce_two_factor_by_default():
    assert enforced_by_default(DEBUG="true") == "False"
