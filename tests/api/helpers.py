"""Small helpers for reading API responses."""

from rest_framework.test import APIClient


def staff_api(user):
    """A staff member's API client: their logged-in session (staff get no API tokens)."""
    client = APIClient()
    client.force_login(user)
    return client


def legacy_staff_token(user, name="old token"):
    """A token issued to a staff account before only partner accounts could hold one (issue
    20): databases may still hold some, until they expire or are revoked."""
    from partners.models import ApiToken

    token = ApiToken(name=name, user=user)
    secret = token.set_new_secret()
    token.save()
    return token, secret


def client_with_token(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def ids(response):
    """The ids on one page of a list response, in order."""
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]
