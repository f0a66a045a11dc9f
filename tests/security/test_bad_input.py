"""Hostile or careless input through forms, the API and imports: a clear 400 or form error,
nothing stored, and everything escaped where it is displayed."""

import json

import pytest
from django.test import Client

from cases.models import Case
from core.visibility import Visibility
from hearings.models import Hearing
from tests.factories import CaseFactory, DefendantFactory

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
    data = {"case": CaseFactory().pk, "date": "2024-03-07", "kind": "trial", **fields}
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
