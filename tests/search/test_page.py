"""/search/ and /km/search/: the form, results with their type and snippet, filters, pages,
what an empty or failed search says, and the search box on every page."""

import pytest

from core.visibility import Visibility
from tests.factories import CaseFactory, DefendantFactory

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def main(html):
    return html.split('<main id="main"', 1)[1]


def test_every_page_has_a_labelled_search_box_in_its_header(client):
    html = client.get("/").content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]

    assert 'role="search"' in header
    assert 'action="/search/"' in header
    assert '<label for="site-search-q"' in header and 'id="site-search-q" name="q"' in header


def test_a_result_shows_its_type_linked_title_and_snippet(client):
    person = DefendantFactory(name="Kang Saran")

    html = main(page(client, q="Saran"))

    assert "Person" in html
    assert f'<a href="/people/{person.pk}/">Kang Saran</a>' in html
    assert '<p class="snippet">Kang <mark>Saran</mark></p>' in html


def test_a_snippet_escapes_the_records_text(client):
    CaseFactory(title="Vorak", summary='Vorak said <script>alert("x")</script>')

    html = main(page(client, q="Vorak", type="cases"))

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_khmer_page_links_to_khmer_pages(client):
    person = DefendantFactory(name="Kang Saran", name_km="កាំង សារ៉ាន់")

    response = client.get("/km/search/", {"q": "សារ៉ាន់"})

    assert response.status_code == 200
    assert f'href="/km/people/{person.pk}/"' in response.content.decode()


def test_before_any_search_the_page_says_what_to_search_for(client):
    html = main(page(client))

    assert "Nothing searched for yet" in html
    assert 'role="search"' in html and '<label for="search-q">' in html


def test_a_search_finding_nothing_says_so(client):
    html = main(page(client, q="Zorblat"))

    assert "0 results" in html
    assert "Nothing we publish matches “Zorblat”." in html


def test_a_bad_year_is_a_message_not_an_error(client):
    html = main(page(client, q="Vorak", year="20x4"))

    assert 'role="alert"' in html
    assert "Enter a whole number." in html


def test_a_query_too_long_is_a_message(client):
    html = main(page(client, q="a" * 201))

    assert "Ensure this value has at most 200 characters" in html


def test_the_type_filter_keeps_one_type(client):
    case = CaseFactory(title="Vorak case")
    person = DefendantFactory(name="Vorak")

    html = main(page(client, q="Vorak", type="defendants"))

    assert f"/people/{person.pk}/" in html
    assert f"/cases/{case.pk}/" not in html
    assert '<option value="defendants" selected>' in html


def test_results_come_in_pages_of_twenty(client):
    people = [DefendantFactory(name=f"Vorak {n:02}") for n in range(21)]

    first = main(page(client, q="Vorak"))
    second = main(page(client, q="Vorak", page=2))

    assert "21 results" in first and "Page 1 of 2" in first
    assert 'href="?q=Vorak&amp;page=2" rel="next"' in first
    assert f"/people/{people[20].pk}/" in second and f"/people/{people[20].pk}/" not in first


def test_the_page_reads_public_records_only_for_a_monitor_too(client, monitor):
    DefendantFactory(name="Vorak Hidden", visibility=Visibility.MONITORS)
    client.force_login(monitor)

    assert "Vorak Hidden" not in main(page(client, q="Vorak"))


def test_the_page_reads_one_query_per_type(client, django_assert_num_queries):
    DefendantFactory(name="Vorak")
    CaseFactory(title="Vorak case")

    # The footer's latest public source day (1), then one query per type: cases, people,
    # articles, courts, organisations, hearings, documents (7). The same on SQLite and
    # PostgreSQL.
    with django_assert_num_queries(8):
        page(client, q="Vorak")
