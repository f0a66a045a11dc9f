"""gzip for the API's JSON and CSV, never for HTML pages."""

import gzip
import json

import pytest

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    return CaseFactory.create_batch(3)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_json_list_is_gzipped_for_a_client_that_accepts_it(anonymous_api, cases):
    plain = anonymous_api.get("/api/v1/cases/")

    response = anonymous_api.get("/api/v1/cases/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content)) == plain.json()


def test_a_gzipped_answer_varies_on_accept_encoding(anonymous_api, cases):
    response = anonymous_api.get("/api/v1/cases/", HTTP_ACCEPT_ENCODING="gzip")

    assert "accept-encoding" in response["Vary"].lower()


def test_a_client_that_does_not_accept_gzip_gets_plain_json(anonymous_api, cases):
    response = anonymous_api.get("/api/v1/cases/")

    assert not response.has_header("Content-Encoding")


def test_a_csv_export_is_gzipped(anonymous_api, cases):
    plain = body(anonymous_api.get("/api/v1/export/cases.csv"))

    response = anonymous_api.get("/api/v1/export/cases.csv", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(response)) == plain


def test_an_html_page_is_never_gzipped(client, cases):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
