"""Cursor pages in id order: 50 by default, up to 200 on request, and stable while records are
added between one page and the next."""

import pytest

from core.visibility import Visibility
from tests.factories import CaseFactory, OrganisationFactory

from .helpers import ids

pytestmark = pytest.mark.django_db


# Pages of organisations read by a monitor: unused organisations are not served to the public
# (core/visibility.py, ReferenceQuerySet), and paging is the same for every caller.


def test_a_page_holds_50_records_by_default(monitor_api):
    OrganisationFactory.create_batch(51)

    response = monitor_api.get("/api/v1/organisations/")

    assert len(ids(response)) == 50
    assert response.json()["next"] is not None


def test_page_size_chooses_a_smaller_page(monitor_api):
    OrganisationFactory.create_batch(3)

    assert len(ids(monitor_api.get("/api/v1/organisations/", {"page_size": 2}))) == 2


def test_page_size_is_capped_at_200(monitor_api):
    OrganisationFactory.create_batch(201)

    assert len(ids(monitor_api.get("/api/v1/organisations/", {"page_size": 500}))) == 200


def test_the_last_page_has_no_next_link(anonymous_api):
    CaseFactory.create_batch(2)

    assert anonymous_api.get("/api/v1/cases/", {"page_size": 2}).json()["next"] is None


def test_records_come_in_id_order_across_pages(anonymous_api):
    made = [case.pk for case in CaseFactory.create_batch(5)]

    seen, url = [], "/api/v1/cases/?page_size=2"
    while url:
        page = anonymous_api.get(url)
        seen += ids(page)
        url = page.json()["next"]

    assert seen == made


def test_records_added_between_pages_neither_repeat_nor_skip_a_record(anonymous_api):
    before = [case.pk for case in CaseFactory.create_batch(5)]
    first = anonymous_api.get("/api/v1/cases/", {"page_size": 2})

    added = [case.pk for case in CaseFactory.create_batch(3)]
    seen, url = ids(first), first.json()["next"]
    while url:
        page = anonymous_api.get(url)
        seen += ids(page)
        url = page.json()["next"]

    assert seen == before + added


def test_a_page_of_records_the_caller_may_not_see_is_not_counted(anonymous_api):
    """The cursor walks the caller's visible records, so a page is never short."""
    public = CaseFactory()
    CaseFactory.create_batch(3, visibility=Visibility.MONITORS)
    last = CaseFactory()

    assert ids(anonymous_api.get("/api/v1/cases/", {"page_size": 2})) == [public.pk, last.pk]


@pytest.mark.parametrize("size", ["0", "-1", "ten", "2.5"])
def test_a_page_size_that_is_not_a_positive_number_answers_400(anonymous_api, size):
    response = anonymous_api.get("/api/v1/cases/", {"page_size": size})

    assert response.status_code == 400
    assert "page_size" in response.json()
