"""The monitors' workspace in Khmer for a monitor who chooses it (#18, item 1): the admin has
no /km/ prefix, so its header's switch keeps the choice in the language cookie."""

import pytest

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"


def choose(client, language, next_url=DASHBOARD):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, follow=True)


@pytest.fixture
def signed_in(client, monitor):
    client.force_login(monitor)
    return client


def test_the_admin_is_english_by_default(signed_in):
    page = signed_in.get(DASHBOARD).content.decode()

    assert '<html lang="en"' in page
    assert "Log a hearing" in page


def test_the_header_offers_both_languages(signed_in):
    page = signed_in.get(DASHBOARD).content.decode()

    assert 'class="language-switch"' in page
    assert 'name="language" value="km"' in page


def test_after_choosing_khmer_the_dashboard_is_in_khmer(signed_in):
    response = choose(signed_in, "km")

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert '<html lang="km"' in page
    assert "កត់ត្រាសវនាការ" in page  # Log a hearing
    assert "ចាកចេញ" in page  # Django's own "Log out"
    assert "Log a hearing" not in page


def test_after_choosing_khmer_a_change_form_is_in_khmer(signed_in):
    case = CaseFactory()
    choose(signed_in, "km")

    page = signed_in.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert "សេចក្ដីសង្ខេប (អង់គ្លេស)" in page  # summary (English)
    assert "summary (english)" not in page.lower()


def test_choosing_english_brings_english_back(signed_in):
    choose(signed_in, "km")

    page = choose(signed_in, "en").content.decode()

    assert '<html lang="en"' in page
    assert "Log a hearing" in page


def test_the_khmer_admin_leaves_public_english_pages_in_english(signed_in):
    choose(signed_in, "km")

    page = signed_in.get("/cases/").content.decode()

    assert '<html lang="en"' in page
