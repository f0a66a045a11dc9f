"""The case list's kept facet values (public/facets.py) agree with a full recount through the
visibility gate, at every level, on random records and after random edits on every kind of
record they come from; a refresh reads again only the cases that changed, in a number of
queries that does not grow with them."""

import datetime
import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models.functions import ExtractYear

from cases.models import Case, CaseDefendant, Charge
from core.visibility import Visibility
from defendants.models import Category
from hearings.models import Decision, Hearing
from public import facets
from public.facets import case_facets, refresh
from public.models import FacetStamp, FacetTotal, FacetValue
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
LEVELS = list(Visibility)


def recount(cases, level):
    """The reference: each facet counted from the records themselves, through the gate."""
    ids = cases.values("pk")
    articles = Counter(
        number
        for _case, number in Charge.objects.visible_to(level)
        .filter(case__in=ids, article__isnull=False)
        .values_list("case_id", "article__number")
        .order_by()
        .distinct()
    )
    categories = Counter(
        category
        for _case, category in CaseDefendant.objects.visible_to(level)
        .filter(case__in=ids)
        .values_list("case_id", "defendant__category")
        .order_by()
        .distinct()
    )
    years = set()
    for model, field in ((Charge, "date_filed"), (Hearing, "date"), (Decision, "date")):
        years |= set(
            model.objects.visible_to(level)
            .filter(case__in=ids, **{f"{field}__isnull": False})
            .annotate(year=ExtractYear(field))
            .values_list("case_id", "year")
        )
    # Per case (a filtered queryset may be ``distinct()``: its values would be too).
    courts = Counter(
        court for _pk, court in cases.filter(court__isnull=False).values_list("pk", "court_id")
    )
    provinces = Counter(
        name
        for _pk, name in cases.filter(court__province__isnull=False).values_list(
            "pk", "court__province__name_en"
        )
    )
    statuses = Counter(status for _pk, status in cases.values_list("pk", "status"))
    return {
        "status": dict(statuses),
        "court": dict(courts),
        "province": dict(provinces),
        "article": dict(articles),
        "category": dict(categories),
        "year": dict(Counter(str(int(year)) for _case, year in years)),
    }


def counted(cases, level, filtered=True):
    shown = case_facets(cases, level, filtered=filtered)
    return {name: {value: n for value, _label, n in shown[name]} for name in recount(cases, level)}


def assert_agrees(level, cases=None):
    """Within ``cases`` (a filtered list), or for every case ``level`` sees, from the kept
    rows and from the kept totals."""
    if cases is not None:
        assert counted(cases, level) == recount(cases, level)
        return
    cases = Case.objects.visible_to(level)
    expected = recount(cases, level)
    assert counted(cases, level, filtered=True) == expected
    assert counted(cases, level, filtered=False) == expected


def pick(rng, values):
    return rng.choice(list(values))


def random_records(seed, cases=5):
    rng = random.Random(seed)
    articles = [ArticleFactory() for _ in range(4)]
    people = [
        DefendantFactory(visibility=pick(rng, Visibility), category=pick(rng, Category.values))
        for _ in range(6)
    ]
    made = [CaseFactory(visibility=pick(rng, Visibility)) for _ in range(cases)]
    for case in made:
        for _ in range(rng.randrange(0, 4)):
            ChargeFactory(
                case=case,
                defendant=rng.choice(people),
                article=rng.choice(articles + [None]),
                date_filed=rng.choice([None, D(2022, 3, 1), D(2023, 7, 9), D(2024, 1, 10)]),
                visibility=pick(rng, Visibility),
            )
        for _ in range(rng.randrange(0, 3)):
            HearingFactory(
                case=case,
                date=D(rng.choice([2021, 2023, 2024]), 5, 2),
                visibility=pick(rng, Visibility),
            )
        for _ in range(rng.randrange(0, 2)):
            DecisionFactory(
                case=case,
                defendant=rng.choice(people),
                date=D(rng.choice([2023, 2025]), 2, 1),
                visibility=pick(rng, Visibility),
            )
    return rng, made, articles, people


def random_edit(rng, made, articles, people):
    action = rng.choice(
        [
            "charge article",
            "charge level",
            "charge gone",
            "hearing date",
            "hearing level",
            "new decision",
            "person category",
            "person level",
            "link level",
            "case level",
            "case gone",
        ]
    )
    live = [case for case in made if Case.objects.filter(pk=case.pk).exists()]
    case = rng.choice(live)
    charges = list(Charge.objects.filter(case=case))
    hearings = list(Hearing.objects.filter(case=case))
    links = list(CaseDefendant.objects.filter(case=case))
    if action == "charge article" and charges:
        charge = rng.choice(charges)
        charge.article = rng.choice(articles)
        charge.save()
    elif action == "charge level" and charges:
        charge = rng.choice(charges)
        charge.visibility = pick(rng, Visibility)
        charge.save()
    elif action == "charge gone" and charges:
        rng.choice(charges).delete()
    elif action == "hearing date" and hearings:
        hearing = rng.choice(hearings)
        hearing.date = D(rng.choice([2019, 2020, 2024]), 8, 8)
        hearing.save()
    elif action == "hearing level" and hearings:
        hearing = rng.choice(hearings)
        hearing.visibility = pick(rng, Visibility)
        hearing.save()
    elif action == "new decision":
        DecisionFactory(case=case, defendant=rng.choice(people), date=D(2026, 1, 5))
    elif action == "person category":
        person = rng.choice(people)
        person.category = pick(rng, Category.values)
        person.save()
    elif action == "person level":
        person = rng.choice(people)
        person.visibility = pick(rng, Visibility)
        person.save()
    elif action == "link level" and links:
        link = rng.choice(links)
        link.visibility = pick(rng, Visibility)
        link.save()
    elif action == "case level":
        case.visibility = pick(rng, Visibility)
        case.save()
    elif action == "case gone" and len(live) > 1:
        case.delete()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("level", LEVELS)
def test_the_kept_values_count_what_a_recount_counts(seed, level):
    random_records(seed)

    assert_agrees(level)


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_they_still_agree_after_each_of_many_random_edits(seed):
    rng, made, articles, people = random_records(seed)
    for level in LEVELS:
        assert_agrees(level)

    for _ in range(25):
        random_edit(rng, made, articles, people)
        level = pick(rng, Visibility)
        assert_agrees(level)

    for level in LEVELS:
        assert_agrees(level)


@pytest.mark.parametrize("level", LEVELS)
def test_they_agree_within_filters(level):
    random_records(8, cases=8)
    cases = Case.objects.visible_to(level).filter(charges__article__isnull=False).distinct()

    assert_agrees(level, cases)


def test_a_change_reads_again_only_the_case_it_changed():
    _rng, made, _articles, _people = random_records(9)
    refresh()
    changed, other = made[0], made[1]
    kept_other = set(FacetValue.objects.filter(case=other).values_list("pk", flat=True))

    ChargeFactory(case=changed, date_filed=D(2020, 6, 1))
    refresh()

    # The other case's rows are the same rows: not deleted and written again.
    assert set(FacetValue.objects.filter(case=other).values_list("pk", flat=True)) == kept_other
    assert FacetValue.objects.filter(case=changed, facet="year", value="2020").exists()


def test_with_nothing_changed_a_refresh_is_one_query(django_assert_num_queries):
    random_records(10)
    refresh()

    with django_assert_num_queries(1):
        refresh()


# The stale cases, a savepoint, the lock (PostgreSQL only), the stale cases again; the rows'
# tally, the old rows deleted, five facets at three levels, the tally again; the totals read,
# written and those at 0 dropped; the stamps and the savepoint's release.
def refresh_queries():
    return 26 + (connection.vendor == "postgresql")


@pytest.mark.parametrize("changed", [1, 6])
def test_a_refresh_costs_the_same_queries_for_one_changed_case_or_six(
    changed, django_assert_num_queries
):
    _rng, made, _articles, _people = random_records(11, cases=6)
    refresh()
    for case in made[:changed]:
        HearingFactory(case=case)

    with django_assert_num_queries(refresh_queries()):
        refresh()


def test_more_changed_cases_than_a_batch_are_read_again_all_at_once(monkeypatch):
    monkeypatch.setattr(facets, "FULL", 2)
    random_records(12)

    for level in LEVELS:
        assert_agrees(level)
    assert FacetStamp.objects.count() == Case.objects.count()


def test_a_deleted_case_leaves_no_value_and_no_count_behind():
    _rng, made, _articles, _people = random_records(13)
    refresh()
    gone = made[0]
    totals = sum(FacetTotal.objects.values_list("cases", flat=True))
    rows = FacetValue.objects.filter(case_id=gone.pk).count()

    gone.delete()
    refresh()

    assert not FacetValue.objects.filter(case_id=gone.pk).exists()
    assert not FacetStamp.objects.filter(case_id=gone.pk).exists()
    assert sum(FacetTotal.objects.values_list("cases", flat=True)) == totals - rows


def test_filters_that_can_match_nothing_count_nothing():
    random_records(14)
    nothing = Case.objects.visible_to(Visibility.PUBLIC).filter(pk__in=[])

    assert counted(nothing, Visibility.PUBLIC) == dict.fromkeys(recount(nothing, 0), {})
