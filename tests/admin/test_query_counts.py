"""The admin list pages run a fixed number of queries, however many rows they show."""

import pytest

from defendants.models import CustodyPeriod
from tests.factories import ChargeFactory, CustodyPeriodFactory, HearingFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

DASHBOARD_QUERIES = 60


def make_cases(count):
    """``count`` cases, each at its own court, with a defendant from a province, a charge and
    a custody period: every row has related records a careless list would fetch one by one."""
    for n in range(count):
        charge = ChargeFactory(defendant__province=ProvinceFactory(name_en=f"Province {n}"))
        CustodyPeriodFactory(case=charge.case, defendant=charge.defendant)


@pytest.mark.parametrize("rows", [3, 10])
def test_the_case_list_runs_fourteen_queries(client, monitor, django_assert_num_queries, rows):
    make_cases(rows)
    client.force_login(monitor)

    # 1. the session  2. the user  3. the user's authenticators (two-factor check)
    # 4. the user's own permissions  5. the permissions of the user's groups
    # 6-8. savepoint, session expiry pushed forward (idle timeout), release
    # 9. the courts, for the "court" filter
    # 10. the articles that have charges, for the "article" filter
    # 11. the provinces with cases, for the "province" filter
    # 12. the tags, for the "tags" filter
    # 13. COUNT(*) of the filtered cases, for the paginator
    # 14. one page of cases, joined to their court (list_select_related)
    with django_assert_num_queries(14):
        response = client.get("/admin/cases/case/")

    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [3, 10])
def test_the_defendant_list_runs_eleven_queries(client, monitor, django_assert_num_queries, rows):
    make_cases(rows)
    client.force_login(monitor)

    # 1. the session  2. the user  3. the user's authenticators (two-factor check)
    # 4. the user's own permissions  5. the permissions of the user's groups
    # 6-8. savepoint, session expiry pushed forward (idle timeout), release
    # 9. the provinces, for the "province" filter
    # 10. COUNT(*) of the filtered defendants, for the paginator
    # 11. one page of defendants, joined to their province (list_select_related)
    with django_assert_num_queries(11):
        response = client.get("/admin/defendants/defendant/")

    assert len(response.context["cl"].result_list) == rows


def make_flagged_detentions(count):
    """``count`` people held before trial, each in a case with a flagged charge and hearing."""
    for _ in range(count):
        charge = ChargeFactory(needs_review=True, review_note="Check the article")
        HearingFactory(case=charge.case, needs_review=True)
        CustodyPeriodFactory(case=charge.case, defendant=charge.defendant)


@pytest.mark.parametrize("rows", [3, 10])
# Each sort reads other fields of the clock's entries (defendants/clock.py loads only the
# columns its readers use: a field it left out would cost a query per row).
@pytest.mark.parametrize("sort", ["person", "court", "-days_held"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, monitor, django_assert_num_queries, rows, sort
):
    make_flagged_detentions(rows)
    client.force_login(monitor)
    client.get("/admin/")  # content types are cached per process after the first read

    # Session, user, second factor and permissions; the clock (periods, charges, extension
    # decisions, rules) and its filters' courts and provinces; alerts, my cases, upcoming
    # hearings; flags: one query per record type; waiting changes; stale facts: one per
    # kind; my changes and others': one history query per type each, and one per relation
    # their names read. None of it grows with the number of rows.
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/admin/", {"sort": sort})

    assert len(response.context["dashboard"]["clock"]["page"]) == rows


def test_filtering_the_clock_by_province_reads_no_query_per_row(client, monitor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(monitor)
    counts = []
    for rows in (2, 6):
        make_flagged_detentions(rows)
        province = CustodyPeriod.objects.latest("pk").case.court.province
        client.get("/admin/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/", {"province": province.pk})
        assert response.context["dashboard"]["clock"]["count"] >= 1
        counts.append(len(queries))

    assert counts[0] == counts[1]
