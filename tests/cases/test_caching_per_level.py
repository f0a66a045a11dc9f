"""A change ends the cached reads that can show it, and no others (core/caching.py): each
visibility level has its own change counter, moved only by the changes it sees, and a cached
answer about one case is keyed on that case's own "changed" time for the caller's level.

Tests marked ``read_cache`` run with cached reads on, on an empty cache (tests/conftest.py).
Counters move in ``transaction.on_commit``, which the tests' rolled-back transactions only run
inside ``django_capture_on_commit_callbacks(execute=True)``."""

import warnings
from collections import Counter

import pytest
from django.db import transaction

from cases.models import Tag
from core import caching
from core.visibility import Visibility
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    DocumentFactory,
    HearingFactory,
    ReportedFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC, PARTNERS, MONITORS = Visibility.PUBLIC, Visibility.PARTNERS, Visibility.MONITORS


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed: its counters move."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


@pytest.fixture
def counted():
    """The hits and misses of cached reads from here on: {(name, "hit"/"miss"): n}."""
    caching.reset_stats()
    return lambda: Counter(caching.stats())


def counters():
    return {level: caching.counter(level) for level in (PUBLIC, PARTNERS, MONITORS)}


def edited(record, **values):
    def change():
        for name, value in values.items():
            setattr(record, name, value)
        record.save()

    return change


def a_public_case_with_a_charge():
    return ChargeFactory(article=ArticleFactory(number="494")).case


# --- Which counters a change moves --------------------------------------------------------------


def test_a_public_edit_moves_every_levels_counter(commit):
    case = CaseFactory()
    before = counters()

    commit(edited(case, title="Appeal of the union leaders"))

    assert counters() == {level: n + 1 for level, n in before.items()}


def test_a_monitors_only_edit_moves_only_the_monitors_counter(commit):
    case = CaseFactory()
    before = counters()

    commit(edited(case, review_note="Check the court's name with the clerk"))

    assert counters() == {
        PUBLIC: before[PUBLIC],
        PARTNERS: before[PARTNERS],
        MONITORS: before[MONITORS] + 1,
    }


def test_a_confidential_hearing_in_a_public_case_moves_only_the_monitors_counter(commit):
    case = CaseFactory()
    before = counters()

    commit(lambda: HearingFactory(case=case, visibility=MONITORS))

    assert counters() == {
        PUBLIC: before[PUBLIC],
        PARTNERS: before[PARTNERS],
        MONITORS: before[MONITORS] + 1,
    }


def test_an_edit_to_a_partners_case_leaves_the_public_counter(commit):
    case = CaseFactory(visibility=PARTNERS)
    before = counters()

    commit(edited(case, title="Partners' case, renamed"))

    assert counters() == {
        PUBLIC: before[PUBLIC],
        PARTNERS: before[PARTNERS] + 1,
        MONITORS: before[MONITORS] + 1,
    }


def test_making_a_public_case_confidential_moves_the_public_counter(commit):
    case = CaseFactory()
    before = caching.counter(PUBLIC)

    commit(edited(case, visibility=MONITORS))

    assert caching.counter(PUBLIC) == before + 1


def test_a_tag_added_to_a_public_case_moves_every_levels_counter(commit):
    case = CaseFactory()
    tag = Tag.objects.create(slug="land-rights", name_en="Land rights")
    before = counters()

    commit(lambda: case.tags.add(tag))

    assert counters() == {level: n + 1 for level, n in before.items()}


def test_assigning_a_monitor_to_a_case_moves_only_the_monitors_counter(commit, monitor):
    case = CaseFactory()
    before = (counters(), caching.bulk_counter())

    commit(lambda: case.assigned_monitors.add(monitor))

    assert (counters(), caching.bulk_counter()) == (
        {
            PUBLIC: before[0][PUBLIC],
            PARTNERS: before[0][PARTNERS],
            MONITORS: before[0][MONITORS] + 1,
        },
        before[1],
    )


def test_a_rolled_back_change_moves_no_counter(commit):
    case = CaseFactory()
    before = (counters(), caching.bulk_counter())

    def failing():
        with pytest.raises(RuntimeError), transaction.atomic():
            edited(case, title="Never saved")()
            raise RuntimeError("the request fails after the save")

    commit(failing)

    assert (counters(), caching.bulk_counter()) == before


def test_a_change_the_feed_does_not_log_moves_every_counter_and_the_bulk_one(commit):
    article = ArticleFactory()  # reference data: not synced, its level is not known here
    before = (counters(), caching.bulk_counter())

    commit(edited(article, title_en="Renamed"))

    assert (counters(), caching.bulk_counter()) == (
        {level: n + 1 for level, n in before[0].items()},
        before[1] + 1,
    )


def test_a_confidential_reported_figure_moves_only_the_monitors_counter(commit):
    # Outside the feed, but with a level of its own: the public learns nothing of it.
    source = SourceFactory(visibility=MONITORS)
    before = (counters(), caching.bulk_counter())

    commit(lambda: ReportedFigureFactory(source=source, visibility=MONITORS))

    assert (counters(), caching.bulk_counter()) == (
        {**before[0], MONITORS: before[0][MONITORS] + 1},
        before[1],
    )


def test_hiding_a_public_reported_figure_moves_the_public_counter(commit):
    figure = ReportedFigureFactory(visibility=PUBLIC)
    figure = type(figure).objects.get(pk=figure.pk)  # as read from the database
    before = counters()

    commit(edited(figure, visibility=MONITORS))

    assert counters()[PUBLIC] == before[PUBLIC] + 1


def test_a_confidential_documents_extracted_text_moves_only_the_monitors_counter(commit):
    from documents.tasks import extract_text

    document = DocumentFactory(content=b"Verdict text\n", visibility=MONITORS)
    before = counters()

    commit(lambda: extract_text(document.pk))

    after = counters()
    assert (after[PUBLIC], after[PARTNERS]) == (before[PUBLIC], before[PARTNERS])
    assert after[MONITORS] > before[MONITORS]


def test_a_restore_moves_every_counter_beyond_any_earlier_value(commit):
    commit(lambda: CaseFactory())
    highest = caching.counter()

    caching.bump_past(highest)

    assert [*counters().values(), caching.bulk_counter()] == [highest + 1] * 4


# --- Cached lists and figures -------------------------------------------------------------------


@pytest.mark.read_cache
def test_a_monitors_only_edit_leaves_the_public_statistics_and_case_list_warm(
    client, commit, counted
):
    case = a_public_case_with_a_charge()
    client.get("/statistics/")
    client.get("/cases/")

    commit(edited(case, review_note="Check the court's name with the clerk"))
    client.get("/statistics/")
    client.get("/cases/")

    assert (counted()[("statistics", "hit")], counted()[("facets", "hit")]) == (1, 1)


@pytest.mark.read_cache
def test_a_monitors_only_edit_ends_the_monitors_cached_answers(commit):
    case = CaseFactory()
    computed = []

    def answer():
        computed.append(1)
        return len(computed)

    caching.remembered("monitors-figures", answer, MONITORS)
    commit(edited(case, review_note="Check the court's name with the clerk"))

    assert caching.remembered("monitors-figures", answer, MONITORS) == 2


@pytest.mark.read_cache
def test_a_public_edit_ends_the_public_statistics(client, commit, counted):
    case = a_public_case_with_a_charge()
    client.get("/statistics/")

    commit(lambda: ChargeFactory(case=case, article=ArticleFactory(number="495")))
    page = client.get("/statistics/").content.decode()

    assert ("Criminal Code art. 495" in page, counted()[("statistics", "hit")]) == (True, 0)


@pytest.mark.read_cache
def test_an_edit_to_a_partners_case_leaves_the_anonymous_api_list_warm_and_ends_the_partners(
    anonymous_api, partner_api, commit, counted
):
    CaseFactory(title="Public case")
    hidden = CaseFactory(title="Partners' case", visibility=PARTNERS)
    anonymous_api.get("/api/v1/cases/")
    partner_api.get("/api/v1/cases/")

    commit(edited(hidden, title="Partners' case, renamed"))
    anonymous_api.get("/api/v1/cases/")
    titles = {case["title"] for case in partner_api.get("/api/v1/cases/").json()["results"]}

    assert (counted()[("api-cases", "hit")], titles) == (
        1,
        {"Public case", "Partners' case, renamed"},
    )


# --- Cached answers about one case --------------------------------------------------------------


def detail(api, case):
    response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.read_cache
def test_an_edit_to_one_case_leaves_another_cases_cached_detail_warm(
    anonymous_api, commit, counted
):
    edited_case, other = CaseFactory(), CaseFactory()
    detail(anonymous_api, edited_case)
    detail(anonymous_api, other)

    commit(edited(edited_case, title="Appeal of the union leaders"))
    detail(anonymous_api, other)

    assert counted()[("api-case", "hit")] == 1


@pytest.mark.read_cache
def test_a_cached_case_detail_shows_an_edit_to_that_case(anonymous_api, commit):
    case = CaseFactory(title="Trial of the union leaders")
    detail(anonymous_api, case)

    commit(edited(case, title="Appeal of the union leaders"))

    assert detail(anonymous_api, case)["title"] == "Appeal of the union leaders"


@pytest.mark.read_cache
def test_a_cached_case_detail_shows_a_hearing_added_to_that_case(anonymous_api, commit):
    case = CaseFactory()
    detail(anonymous_api, case)

    hearing = None

    def add():
        nonlocal hearing
        hearing = HearingFactory(case=case)

    commit(add)

    assert [h["id"] for h in detail(anonymous_api, case)["hearings"]] == [hearing.pk]


@pytest.mark.read_cache
def test_a_cached_case_detail_is_a_404_once_the_case_is_confidential(anonymous_api, commit):
    case = CaseFactory()
    detail(anonymous_api, case)

    commit(edited(case, visibility=MONITORS))

    assert anonymous_api.get(f"/api/v1/cases/{case.pk}/").status_code == 404


@pytest.mark.read_cache
def test_a_monitors_only_edit_leaves_that_cases_public_detail_warm(anonymous_api, commit, counted):
    case = CaseFactory()
    first = detail(anonymous_api, case)

    commit(edited(case, review_note="Check the court's name with the clerk"))

    assert (detail(anonymous_api, case), counted()[("api-case", "hit")]) == (first, 1)


@pytest.mark.read_cache
def test_a_cached_case_detail_is_not_shared_across_visibility_levels(anonymous_api, partner_api):
    case = CaseFactory()
    HearingFactory(case=case, visibility=PARTNERS)
    detail(anonymous_api, case)

    assert (
        len(detail(partner_api, case)["hearings"]),
        len(detail(anonymous_api, case)["hearings"]),
    ) == (1, 0)


@pytest.mark.read_cache
def test_data_written_past_the_feed_ends_every_cached_case_detail(anonymous_api, commit, counted):
    case = CaseFactory()
    detail(anonymous_api, case)

    commit(caching.bump_on_commit)  # what the bulk loaders and migrations do
    detail(anonymous_api, case)

    assert counted()[("api-case", "miss")] == 2


@pytest.mark.read_cache
def test_a_repeat_case_detail_reads_the_bulk_counter_and_the_cases_changed_time(
    anonymous_api, django_assert_num_queries
):
    case = CaseFactory()
    HearingFactory(case=case)
    first = detail(anonymous_api, case)
    # 1. the bulk counter
    # 2. the case's "changed" time for the public, through the visibility gate
    with django_assert_num_queries(2):
        assert detail(anonymous_api, case) == first


def test_an_unknown_case_is_a_404_with_cached_reads_on(anonymous_api, settings):
    settings.READ_CACHE_SECONDS = 600

    assert anonymous_api.get("/api/v1/cases/999999/").status_code == 404


@pytest.mark.read_cache
def test_a_cached_case_detail_keeps_every_field_for_a_request_without_field_selection(
    anonymous_api,
):
    case = CaseFactory(title="Trial of the union leaders")
    trimmed = anonymous_api.get(f"/api/v1/cases/{case.pk}/", {"fields": "id,title"}).json()

    assert (trimmed, "hearings" in detail(anonymous_api, case)) == (
        {"id": case.pk, "title": "Trial of the union leaders"},
        True,
    )


@pytest.mark.read_cache
def test_made_up_filter_values_share_one_cached_case_detail(anonymous_api, counted):
    # Filters decide only between the answer and a 404: ?search=a1, ?search=a2 … must not
    # each keep a copy of the case in the cache.
    case = CaseFactory(title="Trial of the union leaders")
    for word in ("trial", "union", "leaders"):
        response = anonymous_api.get(f"/api/v1/cases/{case.pk}/", {"search": word})
        assert response.status_code == 200, response.content

    assert counted()[("api-case", "miss")] == 1


@pytest.mark.read_cache
def test_a_filter_that_excludes_the_case_still_answers_404_from_the_cache(anonymous_api):
    case = CaseFactory(title="Trial of the union leaders")
    detail(anonymous_api, case)

    response = anonymous_api.get(f"/api/v1/cases/{case.pk}/", {"search": "nowhere"})

    assert response.status_code == 404


@pytest.mark.read_cache
@pytest.mark.parametrize("keep", ["remembered", "remembered_record"])
def test_a_cached_reads_key_suits_every_cache_server_whatever_its_parts(keep):
    # Memcached refuses keys over 250 characters or with spaces or control characters; Django
    # warns of them on every backend (CacheKeyWarning). Parts such as a request's parameters
    # or an absolute URL hold both.
    from datetime import UTC, datetime

    from django.core.cache import CacheKeyWarning

    parts = ("en", "[('status', ['trial under way'])]", "http://testserver/" + "x" * 300)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        if keep == "remembered":
            first = caching.remembered("facets", lambda: "answer", PUBLIC, *parts)
            again = caching.remembered("facets", lambda: "other", PUBLIC, *parts)
            other = caching.remembered("facets", lambda: "other", PUBLIC, *parts[:2])
        else:
            changed = lambda: datetime(2024, 5, 31, tzinfo=UTC)  # noqa: E731
            first = caching.remembered_record("case", lambda: "answer", PUBLIC, 1, changed, *parts)
            again = caching.remembered_record("case", lambda: "other", PUBLIC, 1, changed, *parts)
            other = caching.remembered_record("case", lambda: "other", PUBLIC, 2, changed, *parts)

    assert (first, again, other) == ("answer", "answer", "other")
