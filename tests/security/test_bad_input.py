"""Hostile or careless input through forms, the API and imports: a clear 400 or form error,
nothing stored, and everything escaped where it is displayed."""

import json

import pytest
from django.test import Client

from cases.models import Case
from core.visibility import Visibility
from hearings.models import Hearing
from tests.factories import API_OBSERVATION, CaseFactory, DefendantFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE cases_case; --",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "ឈ្មោះ Khmer និង Latin mixed <b>bold</b>",
]


@pytest.fixture
def monitor_api(monitor):
    client = Client()
    client.force_login(monitor)
    return client


def post_hearing(client, **fields):
    data = {
        "case": CaseFactory().pk,
        "date": "2024-03-07",
        "kind": "trial",
        "citations": API_OBSERVATION,
        **fields,
    }
    return client.post("/api/v1/hearings/", data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("date", ["2024-02-30", "2024-13", "07/03/2024", "yesterday", "", "99999"])
def test_a_malformed_or_impossible_date_is_a_400_and_stores_nothing(monitor_api, date):
    before = Hearing.objects.count()

    response = post_hearing(monitor_api, date=date)

    assert response.status_code == 400
    assert "date" in response.json()
    assert Hearing.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("case", "not-a-number"), ("monitored", "perhaps"), ("time", 12), ("kind", "duel")],
)
def test_a_wrong_type_is_a_400_naming_the_field(monitor_api, field, value):
    response = post_hearing(monitor_api, **{field: value})

    assert response.status_code == 400
    assert field in response.json()


def test_a_body_that_is_not_json_is_a_400(monitor_api):
    response = monitor_api.post(
        "/api/v1/hearings/", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400


def test_a_huge_payload_is_refused_and_stores_nothing(monitor_api):
    before = Hearing.objects.count()

    response = post_hearing(monitor_api, outcome="x" * 3_000_000)

    assert response.status_code in (400, 413)
    assert Hearing.objects.count() == before


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_written_and_escaped_on_the_public_page(client, text):
    case = CaseFactory(title=text, summary=text, visibility=Visibility.PUBLIC)

    page = client.get(f"/cases/{case.pk}/").content.decode()

    assert Case.objects.get(pk=case.pk).title == text  # kept exactly, nothing "cleaned"
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_text_is_harmless(client, text):
    CaseFactory(title="Ordinary case")

    response = client.get("/cases/", {"search": text})
    api = client.get("/api/v1/cases/", {"search": text})

    assert response.status_code == 200 and api.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert Case.objects.filter(title="Ordinary case").exists()  # no SQL ran from the text


def test_mixed_script_names_are_found_and_shown(client):
    DefendantFactory(name="Sok Dara", name_km="សុខ ដារ៉ា")
    link_case = CaseFactory(title="Mixed script case")
    link_case.parties.create(
        defendant=DefendantFactory(name="Chan Thy", name_km="ចាន់ ធី"), visibility=Visibility.PUBLIC
    )

    response = client.get("/cases/", {"search": "ចាន់"})

    assert "Mixed script case" in response.content.decode()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_the_api_comes_back_as_data(client, text):
    case = CaseFactory(title=text)

    data = client.get(f"/api/v1/cases/{case.pk}/").json()

    assert data["title"] == text


def test_an_admin_form_with_an_impossible_date_is_a_form_error(client, monitor):
    case = CaseFactory()
    client.force_login(monitor)

    response = client.post(
        "/admin/hearings/hearing/add/",
        {
            "case": case.pk,
            "date": "2024-02-30",
            "date_precision": "day",
            "kind": "trial",
            "status": "held",
        },
    )

    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not Hearing.objects.exists()


# --- Inputs that cost too much or crashed (issue #20, finding 8) ------------------------------

NINES = "9" * 30


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/courts/", "/cases/"])
def test_a_province_id_too_large_for_the_database_matches_nothing(client, url):
    CaseFactory(visibility=Visibility.PUBLIC)

    response = client.get(url, {"province": NINES})

    assert response.status_code == 200


@pytest.mark.parametrize("digits", ["²", "١٢"])
def test_a_province_in_other_digits_is_not_a_crash(client, digits):
    assert client.get("/api/v1/cases/", {"province": digits}).status_code == 200


@pytest.mark.parametrize("position", ["abc", NINES, "-" + NINES, "1.5"])
def test_a_crafted_cursor_is_a_400(client, position):
    import base64
    from urllib.parse import urlencode

    cursor = base64.b64encode(urlencode({"p": position}).encode()).decode()

    response = client.get("/api/v1/cases/", {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_json_nested_thousands_deep_is_a_400(monitor_api):
    body = "[" * 5000 + "]" * 5000

    response = monitor_api.post("/api/v1/hearings/", data=body, content_type="application/json")

    assert response.status_code == 400


def test_json_nested_deeper_than_any_record_is_a_400(monitor_api):
    body = json.dumps({"case": 1, "x": json.loads("[" * 100 + "]" * 100)})

    response = monitor_api.post("/api/v1/hearings/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "deep" in response.json()["detail"]


def test_a_text_longer_than_the_limit_is_a_400_through_the_api(monitor_api):
    before = Hearing.objects.count()

    response = post_hearing(monitor_api, outcome="x" * 2_000_000)

    assert response.status_code == 400
    assert "outcome" in response.json()
    assert Hearing.objects.count() == before


def test_a_text_at_the_limit_is_accepted(monitor_api, settings):
    response = post_hearing(monitor_api, outcome="x" * 20_000)

    assert response.status_code == 201, response.content[:300]


def test_a_text_longer_than_the_limit_is_a_form_error_in_the_admin(client, editor):
    case = CaseFactory()
    client.force_login(editor)
    form = client.get(f"/admin/cases/case/{case.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"summary": "x" * 20_001, "loaded_version": case.version})

    response = client.post(f"/admin/cases/case/{case.pk}/change/", data)

    assert response.status_code == 200
    assert "summary" in response.context["adminform"].form.errors
    case.refresh_from_db()
    assert len(case.summary) < 20_001


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/defendants/"])
def test_a_search_of_too_many_words_is_a_400_in_the_api(client, url):
    response = client.get(url, {"search": " ".join(["word"] * 11)})

    assert response.status_code == 400
    assert "search" in response.json()


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/defendants/"])
def test_a_search_of_too_many_characters_is_a_400_in_the_api(client, url):
    response = client.get(url, {"search": "x" * 201})

    assert response.status_code == 400


def test_a_search_of_1200_words_is_a_clear_message_on_the_public_page(client):
    response = client.get("/cases/", {"search": " ".join(["word"] * 1200)})

    assert response.status_code == 200
    assert "at most 10 words" in response.content.decode()


@pytest.fixture
def two_searches_an_hour(monkeypatch):
    from partners.api.auth import CallerRateThrottle

    rates = {**CallerRateThrottle.THROTTLE_RATES, "search_anon": "2/hour"}
    monkeypatch.setattr(CallerRateThrottle, "THROTTLE_RATES", rates)


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/defendants/", "/cases/"])
def test_searches_have_a_budget_of_their_own(client, two_searches_an_hour, url):
    for word in ("land", "union"):
        assert client.get(url, {"search": word}).status_code == 200

    assert client.get(url, {"search": "forest"}).status_code == 429
    assert client.get(url).status_code == 200  # browsing without searching still works
    assert client.get(url, {"search": " "}).status_code == 200  # an empty search is no search


def test_random_extra_parameters_share_the_public_facet_cache(client, settings):
    from django.core.cache import cache

    settings.READ_CACHE_SECONDS = 600
    cache.clear()
    CaseFactory(visibility=Visibility.PUBLIC)
    client.get("/cases/", {"status": "trial"})
    keys = len(cache._cache) if hasattr(cache, "_cache") else None

    for n in range(5):
        client.get("/cases/", {"status": "trial", f"junk{n}": "x", "utm_source": str(n)})

    assert keys is not None
    assert len(cache._cache) == keys


def test_the_dashboard_survives_a_deleted_person_linked_to_a_case(client, editor, monitor):
    from cases.models import CaseDefendant

    case = CaseFactory()
    person = DefendantFactory()
    CaseDefendant.objects.create(case=case, defendant=person)
    person.delete()  # by the editor: history keeps the link, its person is gone
    client.force_login(monitor)

    assert client.get("/admin/").status_code == 200
