"""Security headers on every kind of response: a public page, the API, the admin login and a
page that does not exist; no caching of what only a logged-in person may see."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api.helpers import legacy_staff_token
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

URLS = {
    "public page": "/",
    "API": "/api/v1/cases/",
    "admin login": "/admin/login/",
    "missing page": "/no-such-page/",
}
# Every source a policy may name: this site, nothing, inline styles (admin), data: images.
ALLOWED_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:"}


@pytest.fixture(autouse=True)
def full_throttle_budget():
    cache.clear()
    yield
    cache.clear()


def directives(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture(params=list(URLS), ids=list(URLS))
def response(request, client):
    return client.get(URLS[request.param])


def test_responses_have_the_expected_status(client):
    statuses = {kind: client.get(url).status_code for kind, url in URLS.items()}

    assert statuses == {"public page": 200, "API": 200, "admin login": 200, "missing page": 404}


def test_the_policy_allows_only_this_site(response):
    policy = directives(response)

    assert policy["default-src"] == ["'self'"]


def test_the_policy_forbids_framing(response):
    assert directives(response)["frame-ancestors"] == ["'none'"]


def test_the_policy_names_no_other_host(response):
    sources = {source for values in directives(response).values() for source in values}

    assert sources <= ALLOWED_SOURCES


def test_browsers_must_not_guess_content_types(response):
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_referrer_stays_on_this_site(response):
    assert response["Referrer-Policy"] == "same-origin"


def test_no_site_may_frame_the_response(response):
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", list(URLS.values()), ids=list(URLS))
def test_https_responses_carry_hsts_in_production(client, settings, url):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get(url, secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_admin_login_is_never_stored(client):
    assert no_store(client.get("/admin/login/"))


def test_admin_pages_are_never_stored(client, monitor):
    client.force_login(monitor)

    response = client.get("/admin/cases/case/")

    assert response.status_code == 200
    assert no_store(response)


def test_api_answers_to_a_token_are_never_stored(monitor):
    _, secret = legacy_staff_token(monitor, name="phone")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    response = api.get("/api/v1/cases/")

    assert response.status_code == 200
    assert no_store(response)


def test_api_answers_to_a_session_are_never_stored(client, monitor):
    client.force_login(monitor)

    response = client.get("/api/v1/cases/")

    assert response.status_code == 200
    assert no_store(response)


def test_anonymous_public_pages_may_be_cached(client):
    case = CaseFactory()

    responses = [client.get("/"), client.get(f"/cases/{case.pk}/")]

    assert [r.status_code for r in responses] == [200, 200]
    assert not any(no_store(r) for r in responses)
