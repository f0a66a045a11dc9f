"""Documents through the API: the list at the caller's level, uploads by monitors with the
same checks as every path, publishing by Editors only, and the download behind the gate."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.visibility import Visibility
from documents.models import Document
from tests.factories import DocumentFactory, SourceFactory

from .helpers import EXE, PNG, pdf_with_text

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [2, 8])


def post_file(client, source, content, name="verdict.pdf", **data):
    return client.post(
        "/api/v1/documents/",
        {"source": source.pk, "file": SimpleUploadedFile(name, content), **data},
        format="multipart",
    )


def listed(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_shows_an_anonymous_caller_public_documents_only(anonymous_api):
    public = DocumentFactory()
    DocumentFactory(visibility=Visibility.MONITORS)
    DocumentFactory(source=SourceFactory(visibility=Visibility.PARTNERS))

    assert listed(anonymous_api.get("/api/v1/documents/")) == [public.pk]


def test_the_list_shows_a_partner_partner_documents(partner_api):
    shared = DocumentFactory(visibility=Visibility.PARTNERS)
    DocumentFactory(visibility=Visibility.MONITORS)

    assert listed(partner_api.get("/api/v1/documents/")) == [shared.pk]


def test_the_list_gives_the_sha256(anonymous_api):
    document = DocumentFactory(content=b"Judgment\n")

    row = anonymous_api.get("/api/v1/documents/").json()["results"][0]

    assert row["sha256"] == hashlib.sha256(b"Judgment\n").hexdigest() == document.sha256


@ROWS
def test_the_document_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    for _ in range(rows):
        DocumentFactory()
    # 1. the page of visible documents (joined to their sources for the gate)
    with django_assert_num_queries(1):
        response = anonymous_api.get("/api/v1/documents/", {"page_size": 200})

    assert len(listed(response)) == rows


def test_a_monitor_uploads_a_document(monitor_api):
    source = SourceFactory()

    response = post_file(monitor_api, source, pdf_with_text("Verdict"))

    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["id"])
    assert (document.source, document.media_type) == (source, "application/pdf")


def test_an_uploaded_document_is_monitors_only(monitor_api):
    response = post_file(monitor_api, SourceFactory(), pdf_with_text("Verdict"))

    assert Document.objects.get(pk=response.json()["id"]).visibility == Visibility.MONITORS


def test_the_upload_records_the_uploader(monitor_api, monitor):
    response = post_file(monitor_api, SourceFactory(), PNG, name="photo.png")

    assert Document.objects.get(pk=response.json()["id"]).uploaded_by == monitor


def test_a_refused_type_answers_400_on_the_file_field(monitor_api):
    response = post_file(monitor_api, SourceFactory(), EXE, name="verdict.pdf")

    assert response.status_code == 400
    assert "file" in response.json()


def test_an_upload_over_the_limit_answers_400(monitor_api, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 10

    response = post_file(monitor_api, SourceFactory(), b"x" * 11, name="notes.txt")

    assert response.status_code == 400
    assert "file" in response.json()


def test_an_upload_without_a_file_answers_400(monitor_api):
    response = monitor_api.post(
        "/api/v1/documents/", {"source": SourceFactory().pk}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_an_editor_cannot_upload_above_the_sources_level(editor_api):
    source = SourceFactory(visibility=Visibility.MONITORS)

    response = post_file(editor_api, source, PNG, name="p.png", visibility=Visibility.PUBLIC)

    assert response.status_code == 400
    assert "visibility" in response.json()


def test_an_editor_cannot_publish_a_document_of_a_hidden_source(editor_api):
    document = DocumentFactory(
        source=SourceFactory(visibility=Visibility.PARTNERS), visibility=Visibility.MONITORS
    )

    response = editor_api.patch(
        f"/api/v1/documents/{document.pk}/",
        {"visibility": Visibility.PUBLIC, "version": document.version},
        format="json",
    )

    assert response.status_code == 400
    assert "visibility" in response.json()


def test_an_editor_publishes_a_document(editor_api):
    document = DocumentFactory(visibility=Visibility.MONITORS)

    response = editor_api.patch(
        f"/api/v1/documents/{document.pk}/",
        {"visibility": Visibility.PUBLIC, "version": document.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    document.refresh_from_db()
    assert document.visibility == Visibility.PUBLIC


def test_a_monitor_cannot_publish_a_document(monitor_api):
    document = DocumentFactory(visibility=Visibility.MONITORS)

    monitor_api.patch(
        f"/api/v1/documents/{document.pk}/",
        {"visibility": Visibility.PUBLIC, "version": document.version},
        format="json",
    )

    document.refresh_from_db()
    assert document.visibility == Visibility.MONITORS


def test_anonymous_callers_cannot_upload(anonymous_api):
    response = post_file(anonymous_api, SourceFactory(), PNG, name="p.png")

    assert response.status_code in (401, 403)
    assert not Document.objects.exists()


def test_a_documents_file_cannot_be_changed(editor_api):
    document = DocumentFactory(content=b"Original\n")

    editor_api.patch(
        f"/api/v1/documents/{document.pk}/",
        {"file": SimpleUploadedFile("x.txt", b"Changed\n"), "version": document.version},
        format="multipart",
    )

    document.refresh_from_db()
    with document.file.open("rb") as handle:
        assert handle.read() == b"Original\n"


def new_version_of_a_private_first(source=None):
    first = DocumentFactory(visibility=Visibility.MONITORS)
    second = DocumentFactory(
        source=first.source, replaces=first, revision=2, visibility=Visibility.PUBLIC
    )
    return first, second


def test_a_public_version_names_no_hidden_earlier_version(anonymous_api):
    _, second = new_version_of_a_private_first()

    data = anonymous_api.get(f"/api/v1/documents/{second.pk}/").json()

    assert (data["replaces"], data["revision"]) == (None, 1)


def test_a_monitor_sees_the_earlier_version_and_its_count(monitor_api):
    first, second = new_version_of_a_private_first()

    data = monitor_api.get(f"/api/v1/documents/{second.pk}/").json()

    assert (data["replaces"], data["revision"]) == (first.pk, 2)
