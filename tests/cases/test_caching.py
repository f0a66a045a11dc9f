"""Cached reads are never stale (core/caching.py): an answer is kept under the change
counter, which every committed change to a record the pages or the API show moves on.

Tests marked ``read_cache`` run with cached reads on, on an empty cache (tests/conftest.py).
Writes move the counter in ``transaction.on_commit``, which the tests' rolled-back
transactions only run inside ``django_capture_on_commit_callbacks(execute=True)``."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from cases.models import Case, ExportJob, Tag
from core import caching
from core.visibility import Visibility
from defendants.models import DetentionAlert, DetentionAlertKind, DetentionRule
from public.facets import refresh
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def listed(client):
    """{id: title} of the cases on the first page of the API's case list."""
    response = client.get(CASES)
    assert response.status_code == 200, response.content
    return {case["id"]: case["title"] for case in response.json()["results"]}


def listed_case(client, pk):
    response = client.get(CASES)
    assert response.status_code == 200, response.content
    return next(case for case in response.json()["results"] if case["id"] == pk)


def status_facet(client):
    """{status: number of cases} beside the public case list's status filter."""
    facets = client.get("/cases/").context["facets"]
    values = next(values for name, _title, values in facets if name == "status")
    return {value: n for value, _label, n in values}


def csv_rows(response):
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def cases_per_article(client):
    return csv_rows(client.get("/statistics/cases-per-article.csv"))


# --- Every committed change shows on the next request -------------------------------------------


@pytest.mark.read_cache
def test_the_statistics_show_a_charge_added_after_they_were_cached(
    client, django_capture_on_commit_callbacks
):
    ChargeFactory(article=ArticleFactory(number="494"))
    assert cases_per_article(client) == [["Article", "Cases"], ["Criminal Code art. 494", "1"]]

    with django_capture_on_commit_callbacks(execute=True):
        ChargeFactory(article=ArticleFactory(number="495"))

    assert cases_per_article(client) == [
        ["Article", "Cases"],
        ["Criminal Code art. 494", "1"],
        ["Criminal Code art. 495", "1"],
    ]


@pytest.mark.read_cache
def test_the_statistics_page_shows_a_charge_added_after_it_was_cached(
    client, django_capture_on_commit_callbacks
):
    ChargeFactory(article=ArticleFactory(number="494"))
    first = client.get("/statistics/")
    assert first.status_code == 200
    assert "Criminal Code art. 494" in first.content.decode()
    assert "art. 495" not in first.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        ChargeFactory(article=ArticleFactory(number="495"))

    assert "Criminal Code art. 495" in client.get("/statistics/").content.decode()


@pytest.mark.read_cache
def test_the_home_page_figures_count_a_case_added_after_they_were_cached(
    client, django_capture_on_commit_callbacks
):
    CaseFactory()
    before = client.get("/").context["figures"]["cases_total"]

    with django_capture_on_commit_callbacks(execute=True):
        CaseFactory()

    assert client.get("/").context["figures"]["cases_total"] == before + 1


@pytest.mark.read_cache
def test_the_case_list_facets_count_a_case_added_after_they_were_cached(
    client, django_capture_on_commit_callbacks
):
    CaseFactory(status="pretrial")
    assert status_facet(client) == {"pretrial": 1}

    with django_capture_on_commit_callbacks(execute=True):
        CaseFactory(status="trial")

    assert status_facet(client) == {"pretrial": 1, "trial": 1}


@pytest.mark.read_cache
def test_the_api_case_list_shows_a_title_edited_after_it_was_cached(
    anonymous_api, django_capture_on_commit_callbacks
):
    case = CaseFactory(title="Trial of the union leaders")
    assert listed(anonymous_api) == {case.pk: "Trial of the union leaders"}

    with django_capture_on_commit_callbacks(execute=True):
        case.title = "Appeal of the union leaders"
        case.save()

    assert listed(anonymous_api) == {case.pk: "Appeal of the union leaders"}


@pytest.mark.read_cache
def test_the_api_case_list_drops_a_hearing_deleted_after_it_was_cached(
    anonymous_api, django_capture_on_commit_callbacks
):
    hearing = HearingFactory()
    assert [h["id"] for h in listed_case(anonymous_api, hearing.case_id)["hearings"]] == [
        hearing.pk
    ]

    with django_capture_on_commit_callbacks(execute=True):
        hearing.delete()

    assert listed_case(anonymous_api, hearing.case_id)["hearings"] == []


@pytest.mark.read_cache
def test_the_api_case_list_shows_a_tag_added_after_it_was_cached(
    anonymous_api, django_capture_on_commit_callbacks
):
    case = CaseFactory()
    tag = Tag.objects.create(slug="land-rights", name_en="Land rights")
    assert listed_case(anonymous_api, case.pk)["tags"] == []

    with django_capture_on_commit_callbacks(execute=True):
        case.tags.add(tag)  # only the many-to-many relation changes, not the case's row

    assert listed_case(anonymous_api, case.pk)["tags"] == ["land-rights"]


# --- A cached answer is kept for one visibility level -------------------------------------------


@pytest.mark.read_cache
@pytest.mark.parametrize("first", ["partner", "anonymous"])
def test_a_cached_api_page_is_not_shared_across_visibility_levels(
    anonymous_api, partner_api, first
):
    public = CaseFactory(title="Public case")
    partners_only = CaseFactory(title="Partners' case", visibility=Visibility.PARTNERS)
    clients = {"partner": partner_api, "anonymous": anonymous_api}
    second = "anonymous" if first == "partner" else "partner"

    answers = {first: listed(clients[first]), second: listed(clients[second])}

    assert answers == {
        "partner": {public.pk: "Public case", partners_only.pk: "Partners' case"},
        "anonymous": {public.pk: "Public case"},
    }


# --- Without a change, a repeat request is served from the cache ---------------------------------


@pytest.mark.read_cache
def test_a_repeat_api_case_list_reads_only_the_counter(anonymous_api, django_assert_num_queries):
    HearingFactory(case=ChargeFactory().case)
    first = listed(anonymous_api)
    # 1. the change counter: the page comes from the cache. (An anonymous caller costs no
    #    query to authenticate, and the throttle keeps its budget in the cache.)
    with django_assert_num_queries(1):
        assert listed(anonymous_api) == first


@pytest.mark.read_cache
def test_a_repeat_case_list_page_skips_the_five_facet_queries(client, django_assert_num_queries):
    HearingFactory(case=ChargeFactory().case)
    refresh()  # the kept facet values read once (tests/public/test_facet_values.py)
    # 1. the change counter
    # 2. the number of cases found (paginator)
    # 3-7. the facets: changed cases, kept totals, article labels, courts, in detention
    # 8. the page of cases, joined to court and province
    # 9. their visible defendant links, joined to the people
    # 10. their visible charges, joined to the articles
    with django_assert_num_queries(11):
        first = client.get("/cases/").content
    # The same without the five facet queries: the facets come from the cache.
    with django_assert_num_queries(6):
        assert client.get("/cases/").content == first


def test_with_no_cache_lifetime_a_repeat_api_case_list_is_computed_again(
    anonymous_api, django_assert_num_queries, settings
):
    settings.READ_CACHE_SECONDS = 0
    HearingFactory(case=ChargeFactory().case)
    # The case list's five queries (tests/api/test_query_counts.py), both times; no counter.
    with django_assert_num_queries(5):
        first = listed(anonymous_api)
    with django_assert_num_queries(5):
        assert listed(anonymous_api) == first


# --- What moves the counter ---------------------------------------------------------------------


def test_a_rolled_back_change_does_not_move_the_counter(django_capture_on_commit_callbacks):
    case = CaseFactory()
    before = caching.counter()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        case.title = "Never saved"
        case.save()
        raise RuntimeError("the request fails after the save")

    assert caching.counter() == before


def test_a_committed_change_moves_the_counter(django_capture_on_commit_callbacks):
    case = CaseFactory()
    before = caching.counter()

    with django_capture_on_commit_callbacks(execute=True):
        case.title = "Edited"
        case.save()

    assert caching.counter() > before


def test_saving_a_case_moves_the_counter_once_not_again_for_its_history_record(
    django_capture_on_commit_callbacks,
):
    case = CaseFactory()
    history_before = case.history.count()
    before = caching.counter()

    with django_capture_on_commit_callbacks(execute=True):
        case.title = "Edited"
        case.save()

    assert case.history.count() == history_before + 1  # simple_history did write its copy
    assert caching.counter() == before + 1


def test_history_records_are_not_watched_but_their_records_are():
    assert (caching.is_watched(Case), caching.is_watched(Case.history.model)) == (True, False)


def a_detention_alert():
    period = CustodyPeriodFactory()
    return DetentionAlert(
        defendant=period.defendant,
        case=period.case,
        rule=DetentionRule.objects.filter(is_active=True).first(),
        kind=DetentionAlertKind.APPROACHING,
        threshold_days=14,
        limit_date=datetime.date(2024, 5, 10),
        days_held=112,
    )


def an_export_job():
    return ExportJob(export_type="cases", export_format="csv", level=Visibility.PUBLIC)


@pytest.mark.parametrize("record", [a_detention_alert, an_export_job])
def test_saving_a_record_no_page_shows_does_not_move_the_counter(
    django_capture_on_commit_callbacks, record
):
    unsaved = record()
    before = caching.counter()

    with django_capture_on_commit_callbacks(execute=True):
        unsaved.save()

    assert caching.counter() == before


def test_migrating_moves_the_counter():
    before = caching.counter()

    call_command("migrate", verbosity=0)

    assert caching.counter() == before + 1


# --- A cache that is down is skipped ------------------------------------------------------------


@pytest.fixture
def cache_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "set", refuse)


@pytest.mark.read_cache
def test_the_statistics_answer_when_the_cache_is_down(client, cache_down):
    ChargeFactory(article=ArticleFactory(number="494"))

    assert cases_per_article(client) == [["Article", "Cases"], ["Criminal Code art. 494", "1"]]
    assert "Criminal Code art. 494" in client.get("/statistics/").content.decode()


@pytest.mark.read_cache
def test_the_api_case_list_answers_when_the_cache_is_down(anonymous_api, cache_down):
    case = CaseFactory(title="Public case")

    assert listed(anonymous_api) == {case.pk: "Public case"}


@pytest.mark.read_cache
def test_generating_synthetic_data_moves_the_counter(django_capture_on_commit_callbacks):
    def generate():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("generate_synthetic", "--cases", "2", "--force", stdout=io.StringIO())

    generate()  # the first run also saves the reference records it needs (signals)
    before = caching.counter()

    generate()

    # The records are written without signals (executemany or COPY): the loader's own bump.
    assert caching.counter() == before + 1
