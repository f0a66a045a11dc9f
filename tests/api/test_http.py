"""Conditional GET, and cache headers that keep one caller's answer from reaching another."""

import pytest
from django.utils.cache import cc_delim_re

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def cache_control(response):
    return {value.strip().lower() for value in cc_delim_re.split(response.get("Cache-Control", ""))}


@pytest.fixture
def case():
    return CaseFactory()


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/cases/{pk}/"])
def test_a_get_carries_an_etag(anonymous_api, case, url):
    response = anonymous_api.get(url.format(pk=case.pk))

    assert response.status_code == 200
    assert response["ETag"]


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/cases/{pk}/"])
def test_the_same_etag_in_if_none_match_is_a_304(anonymous_api, case, url):
    url = url.format(pk=case.pk)
    etag = anonymous_api.get(url)["ETag"]

    response = anonymous_api.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("caller", ["partner", "monitor"])
def test_a_token_caller_gets_a_304_for_an_unchanged_answer(api_as, caller, case):
    client = api_as(caller)
    url = f"/api/v1/cases/{case.pk}/"
    etag = client.get(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert "no-store" in cache_control(response)


def test_an_edit_changes_the_etag(anonymous_api, case):
    url = f"/api/v1/cases/{case.pk}/"
    etag = anonymous_api.get(url)["ETag"]
    case.title = "Renamed"
    case.save()

    response = anonymous_api.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["title"] == "Renamed"


@pytest.mark.parametrize("caller", ["partner", "monitor"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases/",
        "/api/v1/cases/{pk}/",
        "/api/v1/cases/999999/",
        "/api/v1/laws/",
        "/api/v1/tombstones/?since=2025-01-01T00:00:00Z",
    ],
)
def test_answers_to_a_token_are_never_stored_by_a_cache(api_as, caller, case, url):
    response = api_as(caller).get(url.format(pk=case.pk))

    assert {"no-store", "private"} <= cache_control(response)
    assert "authorization" in vary(response)


def test_answers_to_a_logged_in_user_are_never_stored_by_a_cache(anonymous_api, monitor, case):
    anonymous_api.force_login(monitor)

    response = anonymous_api.get("/api/v1/cases/")

    assert "no-store" in cache_control(response)
    assert {"authorization", "cookie"} <= vary(response)


def test_a_public_answer_varies_by_authorization(anonymous_api, case):
    """A shared cache keeps a public copy, but never hands it to a caller with a token."""
    response = anonymous_api.get("/api/v1/cases/")

    assert "authorization" in vary(response)
    assert "no-store" not in cache_control(response)


READ_ONLY_PATHS = ["/api/v1/tombstones/", "/api/v1/export/cases.json"]
WRITE_METHODS = ["post", "put", "patch", "delete"]


@pytest.mark.parametrize("path", READ_ONLY_PATHS)
@pytest.mark.parametrize("method", WRITE_METHODS)
@pytest.mark.parametrize("caller", ["anonymous", "partner", "monitor"])
def test_a_write_to_a_read_only_endpoint_is_a_json_405(api_as, caller, method, path):
    response = getattr(api_as(caller), method)(path)

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here/", "/api/v1/cases/not-a-number/", "/api/v1/cases/999999/", "/api/"],
)
def test_an_unknown_api_path_is_a_json_404(anonymous_api, path):
    response = anonymous_api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases/?updated_sinse=2024-01-01T00:00:00Z",
        "/api/v1/tombstones/?updated_snce=2024-01-01T00:00:00Z",
    ],
)
def test_an_unknown_parameter_is_a_400_naming_the_accepted_ones(anonymous_api, url):
    response = anonymous_api.get(url)

    assert response.status_code == 400
    body = response.json()
    assert list(body) != ["accepted_parameters"]
    assert body["accepted_parameters"]


def test_the_accepted_parameters_are_the_endpoints_own(anonymous_api):
    accepted = anonymous_api.get("/api/v1/cases/?nope=1").json()["accepted_parameters"]

    assert {"updated_since", "ordering", "cursor", "page_size"} <= set(accepted)


def test_an_empty_updated_since_is_a_400_not_everything(anonymous_api, case):
    response = anonymous_api.get("/api/v1/cases/?updated_since=")

    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_a_detail_takes_its_own_parameters(anonymous_api, case):
    assert anonymous_api.get(f"/api/v1/cases/{case.pk}/?format=json").status_code == 200
    assert anonymous_api.get(f"/api/v1/cases/{case.pk}/?cursor=abc").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases/?updated_since=2024-01-01T00:00:00",
        "/api/v1/tombstones/?since=2024-01-01T00:00:00",
    ],
)
def test_a_time_without_its_offset_is_a_400(anonymous_api, url):
    response = anonymous_api.get(url)

    assert response.status_code == 400
    assert "offset" in str(response.json())


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_an_unsupported_method_is_a_405_whatever_its_query(monitor_api, method):
    # The method is refused before its query is read: a GET's filters mean nothing to a PUT.
    response = getattr(monitor_api, method)("/api/v1/cases/?cursor=x&page_size=2&article=")

    assert response.status_code == 405
    assert "GET" in response["Allow"]
