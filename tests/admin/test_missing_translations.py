"""The monitors' "missing translations" queue: public records with an English text and no
Khmer one, by record type, the most-read first."""

import re

import pytest

from core.visibility import Visibility
from reads.models import ReadCount
from reads.tasks import fold_read_counts
from tests.factories import CaseFactory, DefendantFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/translations/"


@pytest.fixture
def queue(client, editor):
    """Fetch the queue as an editor (call it once the records exist)."""

    def fetch(query=""):
        client.force_login(editor)
        response = client.get(URL + query)
        assert response.status_code == 200
        return response

    return fetch


def group(response, name):
    """The group of record type ``name`` on the page, or None."""
    return next((g for g in response.context["groups"] if g.record_type.name == name), None)


def listed(response, name):
    found = group(response, name)
    return [item.record for item in found.items] if found else []


def read(record, times):
    ReadCount.objects.create(model=record._meta.label_lower, record_id=record.pk, reads=times)


def test_it_lists_a_public_case_with_no_khmer_title(queue):
    case = CaseFactory(title="Trial of the union leaders")

    response = queue()

    assert listed(response, "case") == [case]
    assert f"/admin/cases/case/{case.pk}/change/" in response.content.decode()


def test_it_leaves_out_a_case_whose_khmer_title_is_filled(queue):
    CaseFactory(title="Trial of the union leaders", title_km="សំណុំរឿងមេដឹកនាំសហជីព")

    assert listed(queue(), "case") == []


def test_it_says_which_khmer_fields_are_missing(queue):
    CaseFactory(title="A case", title_km="សំណុំរឿង", summary="What happened.")

    (item,) = group(queue(), "case").items

    assert [str(name) for name in item.fields] == ["summary (Khmer)"]


@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_it_never_lists_or_counts_a_record_the_public_cannot_see(queue, level):
    public = CaseFactory()
    CaseFactory(title="Confidential", visibility=level)
    DefendantFactory(name="Confidential person", visibility=level)

    response = queue()

    assert listed(response, "case") == [public]
    assert group(response, "case").count == 1
    assert group(response, "defendant") is None


def test_it_leaves_out_a_court_only_a_confidential_case_names(queue):
    shown = CaseFactory().court
    CaseFactory(visibility=Visibility.MONITORS, court__name_en="Secret court")

    assert listed(queue(), "court") == [shown]


def test_the_most_read_come_first_then_the_never_read(queue):
    unread, little, most = CaseFactory(), CaseFactory(), CaseFactory()
    read(little, 3)
    read(most, 40)

    assert listed(queue(), "case") == [most, little, unread]


def test_records_never_read_come_most_recently_changed_first(queue):
    older = CaseFactory()
    newer = CaseFactory()

    assert listed(queue(), "case") == [newer, older]


def test_reads_counted_on_the_public_pages_order_the_queue_once_folded(client, queue):
    quiet, popular = CaseFactory(), CaseFactory()
    for _ in range(3):
        client.get(f"/cases/{popular.pk}/", headers={"user-agent": "Mozilla/5.0 Firefox/133.0"})
    client.get(f"/km/cases/{quiet.pk}/", headers={"user-agent": "Mozilla/5.0 Firefox/133.0"})

    fold_read_counts.delay()

    assert listed(queue(), "case") == [popular, quiet]


def test_the_type_holding_the_most_read_record_comes_first(queue):
    case, person = CaseFactory(), DefendantFactory()
    read(case, 2)
    read(person, 9)

    names = [g.record_type.name for g in queue().context["groups"]]

    assert names.index("defendant") < names.index("case")


def test_with_nothing_read_the_types_with_pages_of_their_own_come_first(queue):
    CaseFactory()  # the migrations' checklist items have no Khmer text either

    names = [g.record_type.name for g in queue().context["groups"]]

    assert names.index("case") < names.index("court") < names.index("checklist-item")


def test_it_shows_how_often_a_record_was_read(queue):
    read(CaseFactory(), 7)
    CaseFactory()

    html = queue().content.decode()

    assert "7 reads" in html
    assert "not read yet" in html


def test_each_group_shows_its_missing_count(queue):
    CaseFactory.create_batch(3)

    html = queue().content.decode()

    assert re.search(r"Cases\s*<span class=\"meta\">3 missing</span>", html)


def test_a_long_group_is_folded_with_a_link_to_all_of_it(queue):
    CaseFactory.create_batch(12)

    response = queue()

    assert len(group(response, "case").items) == 10
    assert '<a href="?type=case">2 more</a>' in response.content.decode()


def test_one_type_is_listed_a_page_at_a_time(queue, monkeypatch):
    monkeypatch.setattr("workspace.translations.PAGE_SIZE", 5)
    CaseFactory.create_batch(7)

    first, second = queue("?type=case"), queue("?type=case&page=2")

    assert len(group(first, "case").items) == 5
    assert len(group(second, "case").items) == 2
    assert "Page 2 of 2" in second.content.decode()


def test_an_unknown_type_is_not_found(client, editor):
    client.force_login(editor)

    assert client.get(URL + "?type=nonsense").status_code == 404


def test_a_bad_page_number_shows_the_first_page(queue):
    CaseFactory()

    assert len(group(queue("?type=case&page=abc"), "case").items) == 1


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_monitor_sees_the_queue(client, monitor):
    CaseFactory(title="Untranslated case")
    client.force_login(monitor)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Untranslated case" in response.content.decode()


def test_a_staff_member_without_any_role_is_refused(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(URL).status_code == 403


def test_a_user_outside_the_staff_is_sent_to_the_login(client):
    client.force_login(UserFactory())

    assert client.get(URL).status_code == 302


def test_the_dashboard_links_to_the_queue_for_editors(client, editor):
    client.force_login(editor)

    assert URL in client.get("/admin/").content.decode()


def test_the_dashboard_links_monitors_to_the_queue(client, monitor):
    client.force_login(monitor)

    assert URL in client.get("/admin/").content.decode()


@pytest.mark.parametrize("rows", [2, 8])
def test_the_queue_runs_a_fixed_number_of_queries(client, editor, django_assert_num_queries, rows):
    for n in range(rows):
        read(CaseFactory(), n)
        person = DefendantFactory()
        read(person, n)
    client.force_login(editor)

    # 1. the session  2. the user  3. the user's authenticators (two-factor check)
    # 4. the user's own permissions  5. the permissions of the user's groups
    # 6-8. savepoint, session expiry pushed forward (idle timeout), release
    # 9-19. for each of the 11 types with Khmer fields (case, reported figure, law, article,
    #       court, province, tag, defendant, affiliation, organisation, checklist item): a
    #       COUNT of its public records with an English text and no Khmer one
    # 20-23. for the 4 types with some missing (the cases, their courts, the people, the
    #       checklist's items as migrated): their first records, each with its read count (a
    #       subquery) and the names it shows (joins)
    with django_assert_num_queries(23):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(group(response, "case").items) == rows
