"""The OpenAPI schema is valid and complete, and the docs page loads nothing from other hosts."""

import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "cases",
    "defendants",
    "charges",
    "hearings",
    "decisions",
    "custody-periods",
    "citations",
    "sources",
    "articles",
    "laws",
    "courts",
    "organisations",
]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The schema as JSON, generated once for the module."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_renders(anonymous_api):
    response = anonymous_api.get("/api/v1/schema/")

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert "/api/v1/cases/" in yaml.safe_load(target.read_text())["paths"]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_every_endpoint_is_documented(schema, endpoint):
    assert f"/api/v1/{endpoint}/" in schema["paths"]
    assert f"/api/v1/{endpoint}/{{id}}/" in schema["paths"]


def test_sync_and_export_are_documented(schema):
    assert "/api/v1/tombstones/" in schema["paths"]
    assert "/api/v1/export/{type}.{extension}" in schema["paths"]


def test_the_token_scheme_is_documented(schema):
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]

    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")


def test_a_detail_documents_its_404_and_throttle(schema):
    responses = schema["paths"]["/api/v1/cases/{id}/"]["get"]["responses"]

    assert {"200", "304", "401", "404", "429"} <= responses.keys()


def test_an_update_documents_its_conflicts(schema):
    responses = schema["paths"]["/api/v1/hearings/{id}/"]["patch"]["responses"]

    assert {"400", "403", "404", "409", "412"} <= responses.keys()


def test_the_case_filters_are_documented(schema):
    documented = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}

    assert {
        "article",
        "law",
        "court",
        "court_level",
        "province",
        "status",
        "category",
        "organisation",
        "in_detention",
        "as_of",
        "hearing_after",
        "hearing_before",
        "decision_after",
        "decision_before",
        "year",
        "tag",
        "search",
        "ordering",
        "updated_since",
        "cursor",
        "page_size",
    } <= documented


def external_assets(html):
    """Every src= or href= of the page that points at another host."""
    return [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if "//" in url]


def test_the_docs_page_loads_its_scripts_from_our_own_static_files(anonymous_api):
    response = anonymous_api.get("/api/v1/docs/")
    html = response.content.decode()

    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert response.status_code == 200
    assert any("swagger-ui-bundle" in src and src.startswith("/static/") for src in scripts)
    # Any other script (the page's own settings) comes from this site too.
    assert all(src.startswith("/") and not src.startswith("//") for src in scripts)
    assert external_assets(html) == []


def test_the_docs_pages_scripts_are_served(anonymous_api):
    html = anonymous_api.get("/api/v1/docs/").content.decode()

    for src in re.findall(r'<script src="([^"]+)"', html):
        assert anonymous_api.get(src).status_code == 200, src


def test_the_case_list_documents_its_orderings_as_an_enum(schema):
    parameters = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    ordering = next(p for p in parameters if p["name"] == "ordering")

    assert set(ordering["schema"]["enum"]) == {
        "id",
        "-id",
        "title",
        "-title",
        "updated_at",
        "-updated_at",
        "created_at",
        "-created_at",
    }
