"""Every list (and the two nested details) reads a fixed number of queries, whatever the number
of rows: each test runs with 2 and with 8 records and pins the same count. A new nested field
without its prefetch makes the 8-row run fail."""

import pytest

from cases.models import Article, Court, Law, Source
from defendants.models import Organisation
from partners.models import ApiToken
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ChargeFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
    LawFactory,
    OrganisationFactory,
    SourceFactory,
    in_use,
)

from .helpers import client_with_token, ids, legacy_staff_token

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [2, 8])
# Reference lists are compared with their table's count: migrations may add records of their own.


def a_full_case():
    """A case with every kind of nested fact, so that each prefetch has rows to read."""
    charge = ChargeFactory()
    case, person = charge.case, charge.defendant
    HearingFactory(case=case)
    DecisionFactory(case=case, defendant=person).charges.add(charge)
    CustodyPeriodFactory(case=case, defendant=person)
    CitationFactory(subject=case)
    AffiliationFactory(defendant=person)
    return charge


def full_cases(rows):
    return [a_full_case() for _ in range(rows)]


def listed(client, endpoint):
    """How many records the list endpoint returns on one page of up to 200."""
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
    return len(ids(response))


@ROWS
def test_the_case_list_reads_five_queries(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of cases, joined to court and province
    # 2. their tags
    # 3. their visible defendant links, joined to the people
    # 4. their visible charges, joined to article and law
    # 5. their visible hearings
    with django_assert_num_queries(5):
        assert listed(anonymous_api, "cases") == rows


@ROWS
def test_a_partner_token_adds_one_query(partner_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the token, joined to its partner and user
    # 2.–6. the case list's five queries
    with django_assert_num_queries(6):
        assert listed(partner_api, "cases") == rows


@ROWS
def test_a_monitor_token_adds_the_token_and_permission_queries(
    monitor, django_assert_num_queries, rows
):
    # Staff no longer get tokens (issue 20); one issued before still reads at this cost.
    monitor_api = client_with_token(legacy_staff_token(monitor)[1])
    full_cases(rows)
    # 1. the token, joined to its partner and user
    # 2. the monitor's groups: what they may read (staff status alone no longer counts,
    #    issue 20), asked once per request and cached on the user
    # 3.–7. the case list's five queries
    # 8. the monitor's own permissions   } may they change visibility? (asked once per
    # 9. their groups' permissions       } request and cached on the user)
    with django_assert_num_queries(9):
        assert listed(monitor_api, "cases") == rows


@ROWS
def test_the_defendant_list_reads_three_queries(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of people, joined to their province
    # 2. their visible affiliations, joined to the organisations
    # 3. their visible case links (the case ids)
    with django_assert_num_queries(3):
        assert listed(anonymous_api, "defendants") == rows


@ROWS
def test_the_case_defendant_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of links (whether their case and person are visible is a subquery of the
    #    same statement)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "case-defendants") == rows


@ROWS
def test_the_affiliation_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of affiliations (whether their person is visible is a subquery of the same
    #    statement)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "affiliations") == rows


@ROWS
def test_the_charge_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of charges, joined to article and law
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "charges") == rows


@ROWS
def test_the_hearing_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of hearings
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "hearings") == rows


@ROWS
def test_the_decision_list_reads_two_queries(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of decisions
    # 2. the visible charges they rule on
    with django_assert_num_queries(2):
        assert listed(anonymous_api, "decisions") == rows


@ROWS
def test_the_custody_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of custody periods
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "custody-periods") == rows


@ROWS
def test_the_citation_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    full_cases(rows)
    # 1. the page of citations, joined to source and content type (whether the cited record
    #    is visible is a subquery of the same statement)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "citations") == rows


@ROWS
def test_the_source_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    SourceFactory.create_batch(rows)
    expected = Source.objects.count()
    # 1. the page of sources
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "sources") == expected


@ROWS
def test_the_article_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    for article in ArticleFactory.create_batch(rows):
        in_use(article)
    ArticleFactory()  # used by nothing: not served
    expected = Article.objects.count() - 1
    # 1. the page of articles, joined to their law, each used by a visible charge (a subquery)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "articles") == expected


@ROWS
def test_the_court_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    for court in CourtFactory.create_batch(rows):
        in_use(court)
    CourtFactory()  # used by nothing: not served
    expected = Court.objects.count() - 1
    # 1. the page of courts, joined to their province, each used by a visible case, hearing or
    #    decision (subqueries)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "courts") == expected


@ROWS
def test_the_organisation_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    for organisation in OrganisationFactory.create_batch(rows):
        in_use(organisation)
    OrganisationFactory()  # used by nothing: not served
    expected = Organisation.objects.count() - 1
    # 1. the page of organisations, each named by a visible affiliation (a subquery)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "organisations") == expected


@ROWS
def test_the_law_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    for number in range(rows):
        in_use(LawFactory(title_en=f"Law {number}"))
    LawFactory(title_en="Unused law")  # used by nothing: not served
    expected = Law.objects.count() - 1
    # 1. the page of laws, each with an article cited by a visible charge (subqueries)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "laws") == expected


@ROWS
def test_a_case_detail_reads_nine_queries(anonymous_api, django_assert_num_queries, rows):
    """Rows here are facts of the one case: more hearings, charges, … cost no more queries."""
    charge = a_full_case()
    for _ in range(rows - 1):
        more = ChargeFactory(case=charge.case)
        HearingFactory(case=charge.case)
        DecisionFactory(case=charge.case, defendant=more.defendant).charges.add(more)
        CustodyPeriodFactory(case=charge.case, defendant=more.defendant)
        CitationFactory(subject=charge.case)
    # 1. the case, joined to court and province
    # 2. its tags
    # 3. its visible defendant links, joined to the people
    # 4. its visible charges, joined to article and law
    # 5. its visible hearings
    # 6. its visible decisions
    # 7. the visible charges those decisions rule on
    # 8. its visible custody periods
    # 9. its visible citations, joined to their source
    with django_assert_num_queries(9):
        body = anonymous_api.get(f"/api/v1/cases/{charge.case_id}/").json()
    assert len(body["hearings"]) == rows


@ROWS
def test_a_defendant_detail_reads_seven_queries(anonymous_api, django_assert_num_queries, rows):
    charge = a_full_case()
    person = charge.defendant
    for _ in range(rows - 1):
        more = ChargeFactory(defendant=person)
        DecisionFactory(case=more.case, defendant=person).charges.add(more)
        CustodyPeriodFactory(case=more.case, defendant=person)
        AffiliationFactory(defendant=person)
    # 1. the person, joined to their province
    # 2. their visible affiliations, joined to the organisations
    # 3. their visible case links
    # 4. their visible charges, joined to article and law
    # 5. their visible custody periods (also the detention tally)
    # 6. their visible decisions
    # 7. the visible charges those decisions rule on
    with django_assert_num_queries(7):
        body = anonymous_api.get(f"/api/v1/defendants/{person.pk}/").json()
    assert len(body["charges"]) == rows


def test_a_token_with_a_wrong_secret_costs_one_query(partner_org, django_assert_num_queries):
    token, _ = ApiToken.issue(name="x", partner=partner_org)
    # 1. the usable token with this prefix (the secret is compared in Python)
    with django_assert_num_queries(1):
        response = client_with_token(f"{token.prefix}.wrong").get("/api/v1/cases/")
    assert response.status_code == 401
