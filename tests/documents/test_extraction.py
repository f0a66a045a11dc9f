"""Text extraction in the background: queued when the upload commits, its outcome in the
document's status (a scan is "no text layer", a damaged file "failed" with the error)."""

import pytest
from django.core.files.base import ContentFile

from documents.models import Document, ExtractionStatus
from documents.services import document_upload
from documents.tasks import extract_text
from tests.factories import DocumentFactory, SourceFactory

from .helpers import PNG, docx_with, pdf_with_text, pdf_without_text

pytestmark = pytest.mark.django_db


def extracted(content, name):
    document = DocumentFactory(content=content, name=name)
    extract_text(document.pk)
    return Document.objects.get(pk=document.pk)


def test_an_upload_queues_the_extraction_when_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_upload(
            source=SourceFactory(),
            upload=ContentFile(pdf_with_text("Verdict of the Phnom Penh court"), name="v.pdf"),
        )

    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.DONE
    assert "Phnom Penh court" in document.text


def test_nothing_is_extracted_before_the_upload_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        document = document_upload(
            source=SourceFactory(), upload=ContentFile(b"Notes\n", name="n.txt")
        )

    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.PENDING


def test_a_pdfs_text_layer_is_extracted():
    document = extracted(pdf_with_text("39. On 4 July 2023, Kang Saran was detained"), "r.pdf")

    assert document.extraction_status == ExtractionStatus.DONE
    assert "Kang Saran was detained" in document.text


def test_a_pdf_without_a_text_layer_is_marked_so_not_failed():
    document = extracted(pdf_without_text(), "scan.pdf")

    assert document.extraction_status == ExtractionStatus.NO_TEXT_LAYER
    assert document.extraction_error == ""


def test_plain_text_is_kept_as_it_is():
    document = extracted("កាំង សារ៉ាន់ was detained.\n".encode(), "notes.txt")

    assert document.text == "កាំង សារ៉ាន់ was detained.\n"


def test_a_docx_documents_paragraphs_are_extracted():
    document = extracted(docx_with("The court adjourned.", "Bail was refused."), "n.docx")

    assert document.text == "The court adjourned.\n\nBail was refused."


def test_an_image_has_no_text_to_extract():
    document = extracted(PNG, "photo.png")

    assert document.extraction_status == ExtractionStatus.NOT_TEXT


def test_a_damaged_pdf_fails_with_the_error_recorded():
    document = extracted(b"%PDF-1.4\nthis is not a PDF at all", "broken.pdf")

    assert document.extraction_status == ExtractionStatus.FAILED
    assert document.extraction_error


def test_extracting_again_replaces_a_failure():
    document = extracted(pdf_with_text("Verdict"), "v.pdf")
    Document.objects.filter(pk=document.pk).update(extraction_status=ExtractionStatus.FAILED)

    extract_text(document.pk)

    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.DONE


def test_extraction_adds_no_version_to_the_record():
    document = DocumentFactory()

    extract_text(document.pk)

    assert Document.objects.get(pk=document.pk).version == document.version
