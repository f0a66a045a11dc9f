from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for this folder, inside a transaction rolled back when its last test ends.

    Each test still runs in its own savepoint (pytest-django's ``db``), so what one test
    changes is undone before the next; seeding once instead of per test (or per module: some
    fifteen seconds of CPU each) keeps the folder fast.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_report", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def seeded(seeded_once, db):
    """Every test in this folder starts from a database seeded from the report; the fixture's
    value is what the command printed."""
    return seeded_once
