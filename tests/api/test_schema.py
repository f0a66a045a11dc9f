"""The OpenAPI schema is valid and complete, and the docs page loads nothing from other hosts."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from jsonschema import Draft202012Validator
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


def operations_of(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_reads_are_open_to_anonymous_callers_and_writes_need_a_token(schema):
    for path, method, operation in operations_of(schema):
        open_to_anyone = {} in operation["security"]
        if method == "get" and not path.startswith("/api/v1/export-jobs/"):
            assert open_to_anyone, (method, path)
        else:  # writes, and the export jobs a caller asked for
            assert not open_to_anyone, (method, path)


def test_every_conditional_read_documents_its_etag_and_if_none_match(schema):
    for path, method, operation in operations_of(schema):
        if method != "get" or path.endswith("/download/"):
            continue
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        responses = operation["responses"]
        assert "If-None-Match" in headers, path
        assert responses["200"]["headers"]["ETag"]["required"] is True, path
        assert "ETag" in responses["304"]["headers"], path


def test_a_download_documents_no_304(schema):
    # The file streams: it gets no ETag, so If-None-Match never answers 304.
    operation = schema["paths"]["/api/v1/export-jobs/{id}/download/"]["get"]

    assert "304" not in operation["responses"]
    assert all(p["name"] != "If-None-Match" for p in operation["parameters"])


def test_every_operation_documents_retry_after_on_429(schema):
    for path, method, operation in operations_of(schema):
        assert "Retry-After" in operation["responses"]["429"]["headers"], (method, path)


def test_updates_document_if_match_and_its_answers(schema):
    for path, method, operation in operations_of(schema):
        if method not in ("put", "patch"):
            continue
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert "If-Match" in headers, (method, path)
        # 202: held for an editor; 409 stale version; 412 stale If-Match; 428 If-Match: *.
        assert {"202", "409", "412", "428"} <= operation["responses"].keys(), (method, path)


def test_a_create_documents_that_it_may_be_held_for_an_editor(schema):
    responses = schema["paths"]["/api/v1/hearings/"]["post"]["responses"]

    assert {"201", "202"} <= responses.keys()


def test_only_an_operation_that_names_a_record_documents_404(schema):
    for path, method, operation in operations_of(schema):
        assert ("404" in operation["responses"]) == ("{" in path), (method, path)


def test_page_size_documents_its_bounds(schema):
    from core.api.pagination import StableCursorPagination

    for path, _method, operation in operations_of(schema):
        size = next((p for p in operation.get("parameters", []) if p["name"] == "page_size"), None)
        if size is None or path == "/api/v1/changes/":
            continue
        assert size["schema"]["minimum"] == 1, path
        assert f"at most {StableCursorPagination.max_page_size}" in size["description"], path


def test_the_change_feed_documents_its_page_size_maximum(schema):
    from exchange.changes import MAX_PAGE_SIZE

    parameters = schema["paths"]["/api/v1/changes/"]["get"]["parameters"]
    size = next(p for p in parameters if p["name"] == "page_size")

    assert size["schema"]["maximum"] == MAX_PAGE_SIZE


def python_block(markdown, after=None):
    if after is not None:
        markdown = markdown.split(after, 1)[1]
    return markdown.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_api_description_gives_the_readmes_sync_recipe(schema):
    # The README's recipe is run against the API by tests/api/test_changes.py.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()

    assert python_block(schema["info"]["description"]) == python_block(
        readme, after="### The change feed"
    )
    assert "/api/v1/changes/" in schema["info"]["description"]


def test_a_text_parameter_documents_that_it_cannot_be_empty(schema):
    # An empty query parameter answers 400 (core/api/base.py, KnownParametersMixin).
    for path, method, operation in operations_of(schema):
        for parameter in operation.get("parameters", []):
            values = parameter["schema"]
            if parameter["in"] != "query" or values.get("type") not in ("string", "array"):
                continue
            if values["type"] == "array":
                assert values.get("minItems", 0) >= 1, (method, path, parameter["name"])
                values = values["items"]
            assert "enum" in values or values.get("minLength", 0) >= 1, (
                method,
                path,
                parameter["name"],
            )


EXAMPLED = [
    "/api/v1/cases/",
    "/api/v1/cases/{id}/",
    "/api/v1/changes/",
    "/api/v1/tombstones/",
    "/api/v1/export/{type}.{extension}",
]


@pytest.mark.parametrize("path", EXAMPLED)
def test_the_main_reads_give_examples_that_match_their_schema(schema, path):
    from tests.api.test_schema_nullability import FORMATS, as_json_schema

    body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    validator = Draft202012Validator(
        as_json_schema({**body["schema"], "components": schema["components"]}),
        format_checker=FORMATS,
    )

    assert body["examples"]
    for example in body["examples"].values():
        assert list(validator.iter_errors(example["value"])) == []
