"""The Atom feed of case updates, sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories import ArticleFactory, CaseFactory, DefendantFactory, in_use

from .helpers import body

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom_entries(client):
    feed = ET.fromstring(client.get("/feeds/cases.atom").content)
    return feed.findall(f"{ATOM}entry")


def sitemap_locations(client):
    urlset = ET.fromstring(client.get("/sitemap.xml").content)
    return {url.find(f"{SITEMAP}loc").text for url in urlset.findall(f"{SITEMAP}url")}


def test_the_atom_feed_is_atom(client):
    CaseFactory()

    response = client.get("/feeds/cases.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "Cambodia Trial Tracker: case updates"


def test_each_atom_entry_is_a_case_with_its_title_summary_and_link(client):
    case = CaseFactory(title="Case of Sok Chan", summary="Arrested at a protest.")

    (entry,) = atom_entries(client)

    assert entry.find(f"{ATOM}title").text == "Case of Sok Chan"
    assert entry.find(f"{ATOM}summary").text == "Arrested at a protest."
    assert entry.find(f"{ATOM}link").attrib["href"] == f"http://testserver/cases/{case.pk}/"


def test_the_atom_feed_puts_the_latest_update_first(client, time_machine):
    first = CaseFactory(title="Updated first")
    time_machine.shift(60)
    CaseFactory(title="Updated second")
    time_machine.shift(60)
    first.summary = "The hearing was adjourned."
    first.save()

    titles = [entry.find(f"{ATOM}title").text for entry in atom_entries(client)]

    assert titles == ["Updated first", "Updated second"]


def test_the_page_head_announces_the_atom_feed(client):
    text = body(client.get("/"))

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Case updates" '
        'href="/feeds/cases.atom">' in text
    )


def test_the_sitemap_lists_pages_cases_people_and_articles_in_both_languages(client):
    case = CaseFactory()
    person = DefendantFactory()
    article = in_use(ArticleFactory())

    locations = sitemap_locations(client)

    for path in [
        "/",
        "/cases/",
        "/statistics/",
        "/hearings/",
        f"/cases/{case.pk}/",
        f"/people/{person.pk}/",
        f"/articles/{article.pk}/",
    ]:
        assert f"http://testserver{path}" in locations
        assert f"http://testserver/km{path}" in locations


def test_robots_txt_disallows_the_admin_and_the_api(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain"
    lines = body(response).splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /api/" in lines


def test_robots_txt_does_not_disallow_the_public_pages(client):
    lines = body(client.get("/robots.txt")).splitlines()

    disallowed = {line for line in lines if line.startswith("Disallow")}
    # Only the workspace, the API and the language switch (a POST endpoint) stay out.
    assert disallowed == {"Disallow: /admin/", "Disallow: /api/", "Disallow: /i18n/"}


def test_robots_txt_names_the_sitemap_by_its_full_url(client):
    lines = body(client.get("/robots.txt")).splitlines()

    assert "Sitemap: http://testserver/sitemap.xml" in lines
