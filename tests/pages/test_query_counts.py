"""Every public page, feed and download reads a fixed number of queries, whatever the number of
records: each test runs with 1 and with 6 of everything the page shows and pins the same count.
A template that follows a relation without a prefetch makes the 6-row run fail."""

import datetime

import pytest

from fairtrial.models import ChecklistItem
from public.facets import refresh
from tests.factories import (
    AffiliationFactory,
    AnswerFactory,
    AssessmentFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
    ReportedFigureFactory,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 6])


def full_case(case=None, person=None):
    """A case with one of every fact, each cited, so that each prefetch has rows to read."""
    new_case = case is None
    extra = {"case": case} if case else {}
    if person:
        extra["defendant"] = person
    charge = ChargeFactory(**extra)
    case, person = charge.case, charge.defendant
    link = case.parties.get(defendant=person)
    hearing = HearingFactory(case=case, date=TODAY + datetime.timedelta(days=3), monitored=True)
    decision = DecisionFactory(case=case, defendant=person, date=TODAY)
    decision.charges.add(charge)
    custody = CustodyPeriodFactory(case=case, defendant=person)
    AnswerFactory(hearing=hearing, defendant=person, item=ChecklistItem.objects.first())
    AffiliationFactory(defendant=person)
    for subject in (case, person, link, charge, hearing, decision, custody, charge.article):
        CitationFactory(subject=subject)
    if new_case:
        case.tags.create(slug=f"tag-{case.pk}", name_en=f"Tag {case.pk}")
        AssessmentFactory(case=case).weighed_items.add(ChecklistItem.objects.first())
    return charge


@ROWS
def test_the_home_page_reads_nine_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
        ReportedFigureFactory()
    # 1. cases by status
    # 2. people in detention today
    # 3. monitored hearings
    # 4. decisions in the last 12 months
    # 5. reported figures, joined to their sources
    # 6. recently updated cases, joined to their courts
    # 7. upcoming hearings, joined to case and court
    with django_assert_num_queries(9):
        assert client.get("/").status_code == 200


@ROWS
def test_the_case_list_reads_ten_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
    # The kept facet values read once (their own cost: tests/public/test_facet_values.py).
    refresh()
    # 1. the number of cases found (paginator)
    # 2-6. the facets: the cases changed since their values were kept (none); the kept totals
    #      (status, court, article, category, year); the articles' labels; the courts' names
    #      and provinces; in detention
    # 7. the page of cases, joined to court and province
    # 8. their visible defendant links, joined to the people
    # 9. their visible charges, joined to the articles
    with django_assert_num_queries(10):
        assert client.get("/cases/").status_code == 200


@ROWS
def test_a_filtered_case_list_reads_ten_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
        ChargeFactory(article__number="494")
    refresh()
    # The same ten, the kept values of the cases found counted instead of the totals: every
    # filter is a subquery of the same queries.
    with django_assert_num_queries(10):
        response = client.get("/cases/", {"article": "494", "year": "2024", "search": "Case"})
        assert response.status_code == 200


@ROWS
def test_a_case_page_reads_seventeen_queries(client, django_assert_num_queries, rows):
    case = full_case().case
    for _ in range(rows - 1):
        full_case(case=case)
    # 1. the case, joined to court and province
    # 2. its citations, joined to sources
    # 3. its tags
    # 4. its visible defendant links, joined to the people
    # 5. their citations
    # 6. its visible charges, joined to article and law
    # 7. their citations
    # 8. its visible hearings, joined to the courts
    # 9. their citations
    # 10. its visible decisions, joined to the courts
    # 11. their citations
    # 12. its visible custody periods
    # 13. their citations
    # 14. its published fairness assessment
    # 15. the rights that weighed most in it
    # 16. the public fair-trial findings at its visible hearings, joined to the checklist
    # 17. the footer's latest public source (every page)
    with django_assert_num_queries(17):
        assert client.get(f"/cases/{case.pk}/").status_code == 200


@ROWS
def test_a_case_report_reads_the_case_pages_seventeen_queries(
    client, django_assert_num_queries, rows
):
    case = full_case().case
    for _ in range(rows - 1):
        full_case(case=case)
    # The same as the case page: the report shows the same records, and lists the sources
    # from the citations the page reads.
    with django_assert_num_queries(17):
        assert client.get(f"/cases/{case.pk}/report/").status_code == 200


@ROWS
def test_a_person_page_reads_ten_queries(client, django_assert_num_queries, rows):
    person = full_case().defendant
    for _ in range(rows - 1):
        full_case(person=person)
    # 1. the person, joined to the province
    # 2. their citations, joined to sources
    # 3. their visible affiliations, joined to organisations
    # 4. their visible case links, joined to case and court
    # 5. their visible charges, joined to article, law and case
    # 6. their visible custody periods, joined to the cases
    # 7. their citations
    # 8. their visible decisions, joined to case and court
    # 9. their citations
    with django_assert_num_queries(10):
        assert client.get(f"/people/{person.pk}/").status_code == 200


@ROWS
def test_an_article_page_reads_six_queries(client, django_assert_num_queries, rows):
    article = full_case().article
    for _ in range(rows - 1):
        full_case()
        ChargeFactory(article=article)
    # 1. the article, joined to its law
    # 2. its citations, joined to sources
    # 3. the outcomes of decisions on its visible charges
    # 4. the number of visible cases charged under it (the list is paginated, issue #18)
    # 5. a page of those cases, joined to the courts
    with django_assert_num_queries(6):
        assert client.get(f"/articles/{article.pk}/").status_code == 200


@ROWS
def test_the_statistics_page_reads_fourteen_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
    refresh()  # the case list's kept facet values, read once
    # 1-3. cases per article: the cases changed since their values were kept (none), the
    #      kept totals, the articles' labels
    # 4. decisions by outcome
    # 5. people by days in detention (counted in the database: defendants/detention.py)
    # 6. hearings per month
    # 7. decisions per month
    # 8. fair-trial findings per right (fairtrial/indicators.py)
    # 9. the wording of those rights
    # 10. fair-trial findings per court and right
    # 11. … per article charged (visible charges) and right
    # 12. … per year and right
    # 13. the wording of those rights
    with django_assert_num_queries(14):
        assert client.get("/statistics/").status_code == 200


@ROWS
@pytest.mark.parametrize(
    "slug",
    [
        "cases-per-article",
        "outcomes",
        "detention-durations",
        "events-per-month",
        "fair-trial-violations",
        "fair-trial-by-court",
        "fair-trial-by-article",
        "fair-trial-by-year",
    ],
)
def test_a_statistics_csv_reads_the_statistics_pages_thirteen_queries(
    client, django_assert_num_queries, rows, slug
):
    for _ in range(rows):
        full_case()
    refresh()  # the case list's kept facet values, read once
    # The charts and tables are computed, and cached, together (see the statistics page).
    with django_assert_num_queries(13):
        assert client.get(f"/statistics/{slug}.csv").status_code == 200


@ROWS
@pytest.mark.read_cache
def test_the_statistics_page_reads_two_queries_once_its_charts_are_cached(
    client, django_assert_num_queries, rows
):
    for _ in range(rows):
        full_case()
    client.get("/statistics/")
    # 1. the change counter: the charts come from the cache
    with django_assert_num_queries(2):
        assert client.get("/statistics/").status_code == 200


@ROWS
def test_the_upcoming_hearings_page_reads_two_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
    # 1. upcoming visible hearings, joined to case and court
    with django_assert_num_queries(2):
        assert client.get("/hearings/").status_code == 200


@ROWS
def test_the_calendar_reads_one_query(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
    # 1. upcoming visible hearings, joined to case and court
    with django_assert_num_queries(1):
        assert client.get("/hearings.ics").status_code == 200


@ROWS
def test_a_case_calendar_reads_two_queries(client, django_assert_num_queries, rows):
    case = full_case().case
    for _ in range(rows - 1):
        full_case(case=case)
    # 1. the visible case
    # 2. its upcoming visible hearings, joined to case and court
    with django_assert_num_queries(2):
        assert client.get(f"/cases/{case.pk}/hearings.ics").status_code == 200


@ROWS
def test_a_court_calendar_reads_two_queries(client, django_assert_num_queries, rows):
    court = full_case().case.court
    for _ in range(rows - 1):
        full_case(case=ChargeFactory(case__court=court).case)
    # 1. the court
    # 2. its upcoming visible hearings, joined to case and court
    with django_assert_num_queries(2):
        assert client.get(f"/courts/{court.pk}/hearings.ics").status_code == 200


@ROWS
def test_the_atom_feed_reads_one_query(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
    # 1. the 50 most recently updated visible cases
    with django_assert_num_queries(1):
        assert client.get("/feeds/cases.atom").status_code == 200


@ROWS
def test_the_sitemap_reads_three_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        full_case()
    # 1. visible cases  2. visible people  3. articles
    with django_assert_num_queries(3):
        assert client.get("/sitemap.xml").status_code == 200


@ROWS
def test_the_methodology_page_reads_two_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        CitationFactory()

    with django_assert_num_queries(2):
        assert client.get("/methodology/").status_code == 200


@ROWS
def test_a_case_feed_reads_four_queries(client, django_assert_num_queries, rows):
    case = full_case().case
    for _ in range(rows - 1):
        full_case(case=case)
    # 1. the visible case  2. the people whose place in it is visible
    # 3. its visible hearings, with their courts  4. its visible decisions, with their courts
    with django_assert_num_queries(4):
        assert client.get(f"/cases/{case.pk}/feed.atom").status_code == 200


@ROWS
def test_a_persons_calendar_reads_two_queries(client, django_assert_num_queries, rows):
    person = full_case().defendant
    for _ in range(rows - 1):
        full_case(person=person)
    # 1. the visible person
    # 2. upcoming visible hearings of the cases they are visibly in, joined to case and court
    with django_assert_num_queries(2):
        assert client.get(f"/people/{person.pk}/hearings.ics").status_code == 200
