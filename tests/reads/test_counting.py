"""Reads of public pages are counted in the cache, whatever the language and whether or not
the answer came from a cache, and a periodic job folds them into ``ReadCount``."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.views.decorators.cache import cache_page

from cambodia_tracker.celery import app
from core.visibility import Visibility
from reads.counting import FOLD_LOCK, counts_reads, fold, key
from reads.models import ReadCount
from reads.tasks import fold_read_counts
from tests.factories import CaseFactory, ChargeFactory, DefendantFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def counter(label, pk):
    return cache.get(key(label, pk)) or 0


def test_a_case_page_view_counts_one_read(client):
    case = CaseFactory()

    response = client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})

    assert response.status_code == 200
    assert counter("cases.case", case.pk) == 1


def test_a_khmer_page_view_counts_for_the_same_record(client):
    case = CaseFactory()

    client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})
    client.get(f"/km/cases/{case.pk}/", headers={"user-agent": BROWSER})

    assert counter("cases.case", case.pk) == 2


def test_a_person_page_view_counts_one_read(client):
    person = DefendantFactory()

    client.get(f"/people/{person.pk}/", headers={"user-agent": BROWSER})

    assert counter("defendants.defendant", person.pk) == 1


def test_an_article_page_view_counts_one_read(client):
    article = ChargeFactory().article

    response = client.get(f"/articles/{article.pk}/", headers={"user-agent": BROWSER})

    assert response.status_code == 200
    assert counter("cases.article", article.pk) == 1


def test_a_page_answered_from_the_browsers_cache_still_counts(client):
    case = CaseFactory()
    first = client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})

    again = client.get(
        f"/cases/{case.pk}/", headers={"user-agent": BROWSER, "if-none-match": first["ETag"]}
    )

    assert again.status_code == 304
    assert counter("cases.case", case.pk) == 2


def test_a_page_kept_whole_in_the_cache_still_counts(rf):
    """A page served by ``cache_page`` skips the view's code, not the counting around it."""
    case = CaseFactory()
    built = []

    @counts_reads("cases.case")
    @cache_page(60)
    def page(request, pk):
        built.append(pk)
        return HttpResponse("a case page")

    for _ in range(3):
        page(rf.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER}), pk=case.pk)

    assert built == [case.pk]
    assert counter("cases.case", case.pk) == 3


def test_a_crawler_is_not_counted(client):
    case = CaseFactory()

    response = client.get(f"/cases/{case.pk}/", headers={"user-agent": GOOGLEBOT})

    assert response.status_code == 200
    assert counter("cases.case", case.pk) == 0


def test_a_request_without_a_user_agent_is_not_counted(client):
    case = CaseFactory()

    client.get(f"/cases/{case.pk}/")

    assert counter("cases.case", case.pk) == 0


def test_a_page_the_public_cannot_see_counts_nothing(client):
    case = CaseFactory(visibility=Visibility.MONITORS)

    response = client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})

    assert response.status_code == 404
    assert counter("cases.case", case.pk) == 0


def test_a_cache_that_is_down_does_not_break_the_page(client):
    case = CaseFactory()

    with (
        mock.patch("reads.counting.cache.incr", side_effect=ConnectionError("cache down")),
        mock.patch("reads.counting.cache.add", side_effect=ConnectionError("cache down")),
    ):
        response = client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})

    assert response.status_code == 200


def test_the_job_folds_the_counts_into_the_table(client):
    case = CaseFactory()
    for _ in range(2):
        client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})

    fold_read_counts.delay()

    assert ReadCount.objects.get(model="cases.case", record_id=case.pk).reads == 2
    assert counter("cases.case", case.pk) == 0


def test_the_next_fold_adds_to_the_reads_already_folded(client):
    person = DefendantFactory()
    client.get(f"/people/{person.pk}/", headers={"user-agent": BROWSER})
    fold()
    for _ in range(3):
        client.get(f"/people/{person.pk}/", headers={"user-agent": BROWSER})

    fold()

    assert ReadCount.objects.get(model="defendants.defendant", record_id=person.pk).reads == 4


def test_a_fold_with_the_cache_down_loses_nothing_and_fails_nothing(client):
    case = CaseFactory()
    client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})

    with mock.patch("reads.counting.cache.get_many", side_effect=ConnectionError("cache down")):
        assert fold() == 0

    assert fold() == 1
    assert ReadCount.objects.get(model="cases.case", record_id=case.pk).reads == 1


def test_a_fold_started_while_another_runs_adds_nothing(client):
    case = CaseFactory()
    client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})
    cache.add(FOLD_LOCK, 1)  # another worker's fold, still running

    assert fold() == 0
    assert counter("cases.case", case.pk) == 1  # left for the next run
    assert not ReadCount.objects.exists()


def test_a_fold_lets_the_next_one_run(client):
    case = CaseFactory()
    client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})
    fold()
    client.get(f"/cases/{case.pk}/", headers={"user-agent": BROWSER})

    assert fold() == 1
    assert ReadCount.objects.get(model="cases.case", record_id=case.pk).reads == 2


def test_the_job_is_on_the_beat_schedule_under_a_name_the_worker_knows(settings):
    app.loader.import_default_modules()  # what a worker does at start: autodiscover_tasks()
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "fold_read" in e["task"]]

    assert entry["task"] in app.tasks
