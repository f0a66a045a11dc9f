"""Repeated failed logins lock out one username from one address (django-axes), on the URL
that really authenticates."""

import pytest

from core import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery"  # UserFactory's


def log_in(client, username, password, address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="127.0.0.1"):
    for _ in range(times):
        log_in(client, username, "wrong password", address)


def logged_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_the_failure_limit_is_five(settings):
    assert settings.AXES_FAILURE_LIMIT == 5


def test_a_right_password_after_the_limit_is_refused_with_the_lockout_page(client, monitor):
    fail(client, monitor.username, 5)

    response = log_in(client, monitor.username, PASSWORD)

    assert response.status_code == 429
    assert "admin/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_what_happened(client, monitor):
    fail(client, monitor.username, 5)

    response = log_in(client, monitor.username, PASSWORD)

    assert b"locked" in response.content.lower()


def test_fewer_failures_than_the_limit_do_not_lock(client, monitor):
    fail(client, monitor.username, 4)

    assert logged_in(log_in(client, monitor.username, PASSWORD))


def test_another_username_from_the_same_address_is_unaffected(client, monitor):
    colleague = UserFactory(role=roles.MONITOR)
    fail(client, monitor.username, 5)

    assert logged_in(log_in(client, colleague.username, PASSWORD))


def test_the_same_username_from_another_address_is_unaffected(client, monitor):
    fail(client, monitor.username, 5, address="10.0.0.1")

    assert logged_in(log_in(client, monitor.username, PASSWORD, address="10.0.0.2"))


def test_a_successful_login_before_the_limit_resets_the_count(client, monitor):
    fail(client, monitor.username, 4)
    assert logged_in(log_in(client, monitor.username, PASSWORD))
    client.logout()

    fail(client, monitor.username, 4)

    assert logged_in(log_in(client, monitor.username, PASSWORD))


# Behind the reverse proxy (NUM_PROXIES=1): the client is the address the proxy appended ------

PROXY = "10.0.0.2"


def via_proxy(client, username, password, forwarded_for):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_locking_one_client_does_not_lock_another(client, monitor, settings):
    settings.NUM_PROXIES = 1
    for _ in range(5):
        via_proxy(client, monitor.username, "wrong password", "198.51.100.7")

    assert via_proxy(client, monitor.username, PASSWORD, "198.51.100.7").status_code == 429
    assert logged_in(via_proxy(client, monitor.username, PASSWORD, "203.0.113.9"))


def test_behind_the_proxy_a_made_up_forwarded_for_does_not_escape_the_lockout(
    client, monitor, settings
):
    settings.NUM_PROXIES = 1
    for n in range(5):
        via_proxy(client, monitor.username, "wrong password", f"192.0.2.{n}, 198.51.100.7")

    response = via_proxy(client, monitor.username, PASSWORD, "192.0.2.99, 198.51.100.7")

    assert response.status_code == 429
