"""A word inside a document's text finds the document, shown as part of the case whose facts
its source proves, once the reader may see the document: the issue's end-to-end case, a
monitor's PDF verdict found by an anonymous search only after an Editor publishes it. Runs on
the engine DATABASE_URL names (SQLite by `make test`, PostgreSQL in CI)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.visibility import Visibility
from documents.models import Document, ExtractionStatus
from tests.admin.helpers import admin_form_data, form_errors
from tests.documents.helpers import pdf_with_text
from tests.factories import (
    CaseFactory,
    CitationFactory,
    DecisionFactory,
    DocumentFactory,
    SourceFactory,
)

from .conftest import found, results

pytestmark = pytest.mark.django_db

WORD = "Zanthoxylum"  # in the verdict's text only


@pytest.fixture
def verdict_source():
    """A public source (the verdict) cited by a public case's decision."""
    source = SourceFactory(title="Verdict of the Phnom Penh Court of First Instance")
    decision = DecisionFactory(case=CaseFactory(title="Case of the river defenders"))
    CitationFactory(source=source, subject=decision)
    return source


def upload(client, monitor, source, capture):
    client.force_login(monitor)
    with capture(execute=True):  # the extraction task runs when the upload commits
        response = client.post(
            "/admin/documents/document/add/",
            {
                "source": source.pk,
                "upload": SimpleUploadedFile("verdict.pdf", pdf_with_text(f"Found {WORD} here")),
            },
        )
    assert response.status_code == 302, form_errors(response)
    client.logout()
    return Document.objects.get()


def publish(client, editor, document):
    client.force_login(editor)
    page = f"/admin/documents/document/{document.pk}/change/"
    data = {**admin_form_data(client.get(page)), "visibility": Visibility.PUBLIC}
    response = client.post(page, data)
    assert response.status_code == 302, form_errors(response)
    client.logout()


def test_the_uploaded_pdfs_text_is_extracted_in_the_background(
    client, monitor, verdict_source, django_capture_on_commit_callbacks
):
    document = upload(client, monitor, verdict_source, django_capture_on_commit_callbacks)
    assert document.extraction_status == ExtractionStatus.DONE
    assert WORD in document.text


def test_before_an_editor_publishes_it_an_anonymous_search_finds_nothing(
    client, anonymous_api, monitor, verdict_source, django_capture_on_commit_callbacks
):
    upload(client, monitor, verdict_source, django_capture_on_commit_callbacks)
    assert found(anonymous_api, WORD) == []
    assert "Case of the river defenders" not in client.get("/search/", {"q": WORD}).text


def test_once_published_an_anonymous_search_finds_the_case_by_a_word_only_in_the_pdf(
    client, anonymous_api, monitor, editor, verdict_source, django_capture_on_commit_callbacks
):
    document = upload(client, monitor, verdict_source, django_capture_on_commit_callbacks)
    publish(client, editor, document)

    assert found(anonymous_api, WORD) == [("documents", document.pk)]
    page = client.get("/search/", {"q": WORD}).content.decode()
    case = verdict_source.citations.get().subject.case
    assert f'href="/cases/{case.pk}/"' in page
    assert "Case of the river defenders" in page
    assert f"<mark>{WORD}</mark>" in page


def test_a_monitor_searching_the_api_finds_the_unpublished_document(
    client, monitor_api, monitor, verdict_source, django_capture_on_commit_callbacks
):
    document = upload(client, monitor, verdict_source, django_capture_on_commit_callbacks)
    assert found(monitor_api, WORD) == [("documents", document.pk)]


def test_a_document_of_a_source_no_visible_case_cites_is_named_by_its_file(anonymous_api):
    document = DocumentFactory(
        content=f"{WORD}\n".encode(), visibility=Visibility.PUBLIC, extract=True
    )
    (result,) = results(anonymous_api, WORD)
    assert result["title"].endswith(document.original_name)


def test_a_document_of_a_source_no_visible_case_cites_opens_the_file(client):
    document = DocumentFactory(
        content=f"{WORD}\n".encode(), visibility=Visibility.PUBLIC, extract=True
    )
    page = client.get("/search/", {"q": WORD}).content.decode()
    assert f'href="/documents/{document.pk}/download/"' in page


def test_a_case_the_public_may_not_see_is_never_named_by_a_document_result(client):
    source = SourceFactory()
    hidden = CaseFactory(title="Hidden proceedings", visibility=Visibility.MONITORS)
    CitationFactory(source=source, subject=hidden)
    DocumentFactory(
        source=source, content=f"{WORD}\n".encode(), visibility=Visibility.PUBLIC, extract=True
    )
    page = client.get("/search/", {"q": WORD}).content.decode()
    assert WORD in page
    assert "Hidden proceedings" not in page
    assert f"/cases/{hidden.pk}/" not in page
