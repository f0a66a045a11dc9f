import pytest
from django.contrib.auth.models import AnonymousUser

from cases import roles

from .factories import UserFactory


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def partner(db):
    return UserFactory(role=roles.PARTNER)


@pytest.fixture
def monitor(db):
    return UserFactory(role=roles.MONITOR)


@pytest.fixture
def editor(db):
    return UserFactory(role=roles.EDITOR)


def pytest_collection_modifyitems(config, items):
    """Skip, with the reason, tests whose service is not there; never pass them silently."""
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI always does)"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
