"""Documents in the workspace: monitors upload on a source's page or the document page,
documents start monitors-only, Editors publish (never above the source), and the list shows
type, size, hash and how the text extraction went, with "Extract text again"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.visibility import Visibility
from documents.models import Document, ExtractionStatus
from tests.admin.helpers import admin_form_data, form_errors, inline_prefix
from tests.factories import DocumentFactory, SourceFactory

from .helpers import EXE, pdf_with_text

pytestmark = pytest.mark.django_db

ADD = "/admin/documents/document/add/"


def add(client, source, content, name="verdict.pdf", **data):
    return client.post(
        ADD, {"source": source.pk, "upload": SimpleUploadedFile(name, content), **data}
    )


def test_a_monitor_uploads_a_document(client, monitor, django_capture_on_commit_callbacks):
    client.force_login(monitor)
    source = SourceFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, source, pdf_with_text("The verdict"))

    assert response.status_code == 302, form_errors(response)
    document = Document.objects.get()
    assert (document.source, document.uploaded_by) == (source, monitor)
    assert document.extraction_status == ExtractionStatus.DONE


def test_a_monitors_upload_is_monitors_only(client, monitor):
    client.force_login(monitor)

    add(client, SourceFactory(), pdf_with_text("The verdict"), visibility=Visibility.PUBLIC)

    assert Document.objects.get().visibility == Visibility.MONITORS


def test_a_refused_type_is_a_form_error(client, monitor):
    client.force_login(monitor)

    response = add(client, SourceFactory(), EXE)

    assert response.status_code == 200
    assert any("cannot be attached" in message for message in form_errors(response))
    assert not Document.objects.exists()


def test_an_upload_over_the_limit_is_a_form_error(client, monitor, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 10
    client.force_login(monitor)

    response = add(client, SourceFactory(), b"x" * 11, name="notes.txt")

    assert response.status_code == 200
    assert not Document.objects.exists()


def test_an_editor_cannot_make_a_document_more_visible_than_its_source(client, editor):
    client.force_login(editor)
    source = SourceFactory(visibility=Visibility.PARTNERS)

    response = add(client, source, b"Notes\n", name="n.txt", visibility=Visibility.PUBLIC)

    assert response.status_code == 200
    assert any("more visible than its source" in m for m in form_errors(response))


def test_an_editor_publishes_a_document_on_its_page(client, editor):
    client.force_login(editor)
    document = DocumentFactory(visibility=Visibility.MONITORS)
    page = f"/admin/documents/document/{document.pk}/change/"
    data = {**admin_form_data(client.get(page)), "visibility": Visibility.PUBLIC}

    response = client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    document.refresh_from_db()
    assert document.visibility == Visibility.PUBLIC


def test_publishing_above_the_source_is_refused_on_the_documents_page(client, editor):
    client.force_login(editor)
    document = DocumentFactory(
        source=SourceFactory(visibility=Visibility.MONITORS), visibility=Visibility.MONITORS
    )
    page = f"/admin/documents/document/{document.pk}/change/"
    data = {**admin_form_data(client.get(page)), "visibility": Visibility.PUBLIC}

    response = client.post(page, data)

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.visibility == Visibility.MONITORS


def test_a_monitor_uploads_on_the_sources_page(client, monitor):
    client.force_login(monitor)
    source = SourceFactory()
    page = f"/admin/cases/source/{source.pk}/change/"
    response = client.get(page)
    prefix = inline_prefix(response, Document)
    data = admin_form_data(response)
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-upload"] = SimpleUploadedFile("judgment.pdf", pdf_with_text("Judgment"))

    response = client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    document = source.documents.get()
    assert (document.media_type, document.uploaded_by) == ("application/pdf", monitor)


def test_the_list_shows_the_short_hash_and_the_status(client, monitor):
    client.force_login(monitor)
    document = DocumentFactory(extract=True)

    page = client.get("/admin/documents/document/").content.decode()

    assert document.sha256[:12] in page
    assert "done" in page


def test_the_list_filters_on_the_extraction_status(client, monitor):
    client.force_login(monitor)
    failed = DocumentFactory(content=b"%PDF-1.4 broken", name="b.pdf", extract=True)
    DocumentFactory(name="fine-one.txt", extract=True)

    page = client.get("/admin/documents/document/", {"extraction_status__exact": "failed"})

    assert list(page.context["cl"].result_list) == [failed]


@pytest.mark.parametrize("rows", [2, 6])
def test_the_list_reads_eleven_queries(client, monitor, django_assert_num_queries, rows):
    client.force_login(monitor)
    for _ in range(rows):
        DocumentFactory()
    client.get("/admin/documents/document/")  # the first request after a login
    # 1. the session, 2. the user, 3. whether they have a second factor, 4-5. their own and
    # their groups' permissions, 6. the count of all documents, 7. the page of documents
    # joined to their sources, 8. the types for the "type" filter, 9-11. the session saved
    # (savepoint, update, release)
    with django_assert_num_queries(11):
        response = client.get("/admin/documents/document/")

    assert len(response.context["cl"].result_list) == rows


def test_extract_text_again_runs_the_extraction(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    document = DocumentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/documents/document/",
            {"action": "extract_again", "_selected_action": [document.pk]},
        )

    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.DONE


def test_the_documents_page_shows_the_full_sha256(client, monitor):
    client.force_login(monitor)
    document = DocumentFactory()

    page = client.get(f"/admin/documents/document/{document.pk}/change/").content.decode()

    assert document.sha256 in page


def test_the_documents_page_links_the_download_at_the_monitors_level(client, monitor):
    client.force_login(monitor)
    document = DocumentFactory(visibility=Visibility.MONITORS, content=b"Notes\n")

    page = client.get(f"/admin/documents/document/{document.pk}/change/").content.decode()
    response = client.get(f"/api/v1/documents/{document.pk}/download/")

    assert f"/api/v1/documents/{document.pk}/download/" in page
    assert b"".join(response.streaming_content) == b"Notes\n"
