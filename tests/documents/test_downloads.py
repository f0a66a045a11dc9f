"""Downloads go through the visibility gate on every route: the public site's and the API's
(with and without a format suffix). A document the caller may not see answers 404, like a
missing one; the file comes as an attachment of its detected type, never sniffed."""

import pytest
from django.test import Client

from core.visibility import Visibility
from tests.factories import DocumentFactory, SourceFactory

from .helpers import PNG

pytestmark = pytest.mark.django_db

ROUTES = [
    "/documents/{pk}/download/",
    "/km/documents/{pk}/download/",
    "/api/v1/documents/{pk}/download/",
    "/api/v1/documents/{pk}/download.json",
]


def get(client, route, document):
    return client.get(route.format(pk=document.pk))


@pytest.mark.parametrize("route", ROUTES)
def test_a_public_document_downloads_for_anyone(route, anonymous_api):
    document = DocumentFactory(content=b"The report.\n")

    response = get(anonymous_api, route, document)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"The report.\n"


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_monitors_only_document_answers_404(route, caller, api_as):
    document = DocumentFactory(visibility=Visibility.MONITORS)

    assert get(api_as(caller), route, document).status_code == 404


@pytest.mark.parametrize("route", ROUTES)
def test_a_public_document_of_a_monitors_only_source_answers_404(route, anonymous_api):
    document = DocumentFactory()
    document.source.visibility = Visibility.MONITORS
    document.source.save()

    assert get(anonymous_api, route, document).status_code == 404


@pytest.mark.parametrize("route", ROUTES)
def test_a_hidden_document_answers_like_a_missing_one(route, anonymous_api):
    document = DocumentFactory(visibility=Visibility.MONITORS)

    hidden = anonymous_api.get(route.format(pk=document.pk))
    missing = anonymous_api.get(route.format(pk=987654))

    assert (hidden.status_code, hidden.content) == (missing.status_code, missing.content)


def test_a_partner_downloads_a_partner_document_through_the_api(partner_api):
    document = DocumentFactory(
        source=SourceFactory(visibility=Visibility.PARTNERS), visibility=Visibility.PARTNERS
    )

    assert get(partner_api, "/api/v1/documents/{pk}/download/", document).status_code == 200


def test_the_public_site_serves_a_partner_document_to_no_one(partner):
    """Public pages read at the public level, whoever is logged in."""
    document = DocumentFactory(visibility=Visibility.PARTNERS)
    client = Client()
    client.force_login(partner)

    assert get(client, "/documents/{pk}/download/", document).status_code == 404


def test_a_monitor_downloads_a_monitors_only_document_through_the_api(monitor_api):
    document = DocumentFactory(visibility=Visibility.MONITORS, content=b"Notes\n")

    response = get(monitor_api, "/api/v1/documents/{pk}/download/", document)

    assert b"".join(response.streaming_content) == b"Notes\n"


@pytest.mark.parametrize("route", ROUTES)
def test_the_download_is_an_attachment_with_the_original_name(route, anonymous_api):
    document = DocumentFactory(content=PNG, name="photo.pdf")

    response = get(anonymous_api, route, document)

    assert response["Content-Disposition"] == 'attachment; filename="photo.pdf"'


@pytest.mark.parametrize("route", ROUTES)
def test_the_download_has_the_detected_type_and_forbids_sniffing(route, anonymous_api):
    document = DocumentFactory(content=PNG, name="photo.pdf")

    response = get(anonymous_api, route, document)

    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_non_public_download_is_not_stored_by_caches(monitor_api):
    document = DocumentFactory(visibility=Visibility.MONITORS)

    response = get(monitor_api, "/api/v1/documents/{pk}/download/", document)

    assert "no-store" in response["Cache-Control"]


def test_the_download_names_the_files_sha256(anonymous_api):
    document = DocumentFactory()

    response = get(anonymous_api, "/documents/{pk}/download/", document)

    assert response["X-Document-SHA256"] == document.sha256


def test_choosing_fields_on_a_download_answers_400_not_500(anonymous_api):
    document = DocumentFactory()

    response = anonymous_api.get(f"/api/v1/documents/{document.pk}/download/", {"fields": "id"})

    assert response.status_code == 400


def test_a_document_whose_file_is_gone_answers_404_not_500(anonymous_api):
    document = DocumentFactory(visibility=Visibility.PUBLIC)
    document.file.storage.delete(document.file.name)

    response = anonymous_api.get(f"/documents/{document.pk}/download/")

    assert response.status_code == 404
