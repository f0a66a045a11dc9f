"""Response headers: every public page forbids other hosts and framing; what is not public is
kept out of search engines."""

import pytest

from tests.factories import ArticleFactory, ChargeFactory, HearingFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/cases/",
    "/cases/{case}/",
    "/people/{person}/",
    "/articles/{article}/",
    "/statistics/",
    "/statistics/outcomes.csv",
    "/hearings/",
    "/hearings.ics",
    "/cases/{case}/hearings.ics",
    "/courts/{court}/hearings.ics",
    "/feeds/cases.atom",
    "/sitemap.xml",
    "/robots.txt",
    "/km/",
    "/km/cases/{case}/",
]


@pytest.fixture
def ids():
    charge = ChargeFactory()
    HearingFactory(case=charge.case)
    return {
        "case": charge.case.pk,
        "person": charge.defendant.pk,
        "article": charge.article.pk,
        "court": charge.case.court.pk,
    }


def csp(response):
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_allow_only_their_own_host(client, ids, url):
    response = client.get(url.format(**ids))

    assert response.status_code == 200
    assert "default-src 'self'" in csp(response)
    assert "script-src 'self'" in csp(response)
    assert "style-src 'self'" in csp(response)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_cannot_be_framed(client, ids, url):
    response = client.get(url.format(**ids))

    assert "frame-ancestors 'none'" in csp(response)
    assert response["X-Frame-Options"] == "DENY"


# Django's sitemap view keeps sitemap.xml itself out of the index, as it should.
@pytest.mark.parametrize("url", [url for url in PUBLIC_URLS if url != "/sitemap.xml"])
def test_public_pages_may_be_indexed(client, ids, url):
    response = client.get(url.format(**ids))

    assert response.status_code == 200
    assert "X-Robots-Tag" not in response


def test_a_missing_page_carries_the_policy_too(client):
    response = client.get("/cases/999999/")

    assert response.status_code == 404
    assert "default-src 'self'" in csp(response)


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/login/", "/api/v1/", "/api/v1/cases/", "/api/v1/docs/"]
)
def test_non_public_urls_are_not_indexed(client, url):
    response = client.get(url)

    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_monitor_in_the_admin_is_not_indexed_either(client, monitor):
    client.force_login(monitor)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_article_page_for_any_visitor_has_the_strict_policy(client, monitor):
    client.force_login(monitor)
    article = ArticleFactory()

    response = client.get(f"/articles/{article.pk}/")

    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
