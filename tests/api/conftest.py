"""Callers of the API: anonymous, a partner organisation's token, a monitor's and an editor's
token. The role fixtures themselves (``monitor``, ``editor``, ``partner``) are in
tests/conftest.py."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from partners.models import ApiToken, Partner

from .helpers import client_with_token


@pytest.fixture(autouse=True)
def full_throttle_budget():
    """Throttle counters live in the cache, which outlives a test: without this, a long run of
    anonymous requests from 127.0.0.1 would end in 429s."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def partner_org(db):
    return Partner.objects.create(name="Friendly NGO")


@pytest.fixture
def partner_token(partner_org):
    """(token, secret) for a partner organisation."""
    return ApiToken.issue(name="nightly sync", partner=partner_org)


@pytest.fixture
def partner_api(partner_token):
    return client_with_token(partner_token[1])


@pytest.fixture
def monitor_api(monitor):
    _, secret = ApiToken.issue(name="court notes", user=monitor)
    return client_with_token(secret)


@pytest.fixture
def editor_api(editor):
    _, secret = ApiToken.issue(name="corrections", user=editor)
    return client_with_token(secret)


@pytest.fixture
def api_as(request):
    """``api_as("anonymous")`` → the client of that kind of caller, for parametrized tests."""
    return lambda caller: request.getfixturevalue(f"{caller}_api")
