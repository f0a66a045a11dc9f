"""Issue #20, finding 7: a new API token's secret is shown once, on the page after saving, and
never travels in the messages cookie (signed, not encrypted: readable by whoever sees it)."""

import re

import pytest
from django.test import Client

from core import roles
from partners.models import ApiToken, Partner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/partners/apitoken/add/"


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(role=roles.ADMIN))
    return client


def issue(client):
    partner = Partner.objects.create(name="NGO")
    data = {"name": "sync", "partner": partner.pk, "expires_at_0": "2099-01-01"}
    return client.post(ADD, {**data, "expires_at_1": "0:00"})


def shown_secret(response):
    match = re.search(r'new-token-secret">[^<]*<code>([^<]+)</code>', response.content.decode())
    return match and match.group(1)


def test_the_secret_is_not_in_any_cookie(admin_client):
    response = issue(admin_client)

    token = ApiToken.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/partners/apitoken/{token.pk}/change/"
    secret = shown_secret(admin_client.get(response["Location"]))
    assert secret
    cookies = " ".join(morsel.value for morsel in response.cookies.values())
    assert secret not in cookies
    assert token.prefix not in cookies


def test_the_secret_is_shown_once_and_is_the_token(admin_client):
    response = issue(admin_client)
    page = admin_client.get(response["Location"])
    secret = shown_secret(page)

    assert page.status_code == 200
    assert shown_secret(admin_client.get(response["Location"])) is None
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/cases/").status_code == 200
    assert ApiToken.objects.get().prefix in secret
