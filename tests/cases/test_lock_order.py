"""Writes that touch the same case and person take their locks in one order (cases, then
people), so two of them wait for each other instead of deadlocking (PostgreSQL).

A charge's save locks its case, then its person (the records its visibility follows). A
person's save moves the cases showing the person (their nested arrays changed) — were it to
lock the person first and its cases after, the two saves could each hold what the other waits
for, and PostgreSQL would cancel one: a monitor's edit lost to an error page."""

import threading
import time

import pytest
from django.db import connection, transaction

from cases.models import Case
from defendants.models import Defendant
from tests.factories import CaseDefendantFactory

# Committing, and restoring the database as migrations left it (tests/conftest.py).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def waiting_for_a_lock(pid, timeout=30):
    """True once the backend ``pid`` waits for a row lock (polled, up to ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
        if row and row[0] == "Lock":
            return True
        time.sleep(0.05)
    return False


def test_a_person_saved_while_a_charge_of_theirs_is_written_waits_instead_of_deadlocking():
    link = CaseDefendantFactory()
    case_id, person_id = link.case_id, link.defendant_id
    started, errors, pid = threading.Event(), [], []

    def rename_the_person():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            started.set()
            person = Defendant.objects.get(pk=person_id)
            person.name = "A new name"
            person.save()
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
            started.set()
        finally:
            connection.close()

    other = threading.Thread(target=rename_the_person)
    with transaction.atomic():
        # What a charge's save does first: lock its case, then its person.
        Case.objects.select_for_update().filter(pk=case_id).exists()
        other.start()
        assert started.wait(30) and not errors, errors
        assert waiting_for_a_lock(pid[0]), "the person's save never waited for the case"
        Defendant.objects.select_for_update().filter(pk=person_id).exists()
    other.join(60)

    assert not other.is_alive() and errors == []
    assert Defendant.objects.get(pk=person_id).name == "A new name"
