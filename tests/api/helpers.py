"""Small helpers for reading API responses."""

from rest_framework.test import APIClient


def client_with_token(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def ids(response):
    """The ids on one page of a list response, in order."""
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]
