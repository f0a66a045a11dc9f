"""What an upload becomes: its type read from the content, its size checked, its SHA-256
recorded, a new version beside the old one, and a level never above its source's."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from core.visibility import Visibility
from documents.models import Document
from documents.services import document_upload
from tests.factories import DocumentFactory, SourceFactory

from .helpers import EXE, PNG, docx_with, pdf_with_text, zip_of_anything

pytestmark = pytest.mark.django_db


def upload(content, name, **values):
    values.setdefault("source", SourceFactory())
    return document_upload(upload=ContentFile(content, name=name), **values)


def test_a_pdf_named_file_holding_a_png_is_a_png():
    document = upload(PNG, "verdict.pdf")

    assert document.media_type == "image/png"


def test_the_stored_file_takes_the_detected_types_extension_not_the_uploaded_name():
    document = upload(PNG, "verdict.pdf")

    assert document.file.name.endswith(".png")
    assert "verdict" not in document.file.name


def test_the_uploaders_file_name_is_kept_in_the_record():
    document = upload(PNG, "verdict.pdf")

    assert document.original_name == "verdict.pdf"


def test_a_pdf_is_recognised_by_its_content():
    document = upload(pdf_with_text("Judgment"), "judgment")

    assert document.media_type == "application/pdf"


def test_a_docx_is_recognised_by_the_files_inside_it():
    document = upload(docx_with("Summons"), "summons.zip")

    assert document.media_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_a_program_is_refused_whatever_its_name():
    with pytest.raises(ValidationError) as error:
        upload(EXE, "report.pdf")

    assert "file" in error.value.message_dict


def test_a_zip_that_is_no_office_document_is_refused():
    with pytest.raises(ValidationError) as error:
        upload(zip_of_anything(), "report.docx")

    assert "file" in error.value.message_dict


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(ValidationError):
        upload("Ré sumé".encode("latin-1"), "notes.txt")


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        upload(b"", "empty.txt")


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 100

    with pytest.raises(ValidationError) as error:
        upload(b"x" * 101, "long.txt")

    assert "file" in error.value.message_dict


def test_a_file_at_the_size_limit_is_accepted(settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 100

    assert upload(b"x" * 100, "long.txt").size == 100


def test_the_sha256_of_the_content_is_recorded():
    content = pdf_with_text("Judgment of the Court of Appeal")

    document = upload(content, "judgment.pdf")

    assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_the_stored_file_is_the_uploaded_content():
    document = upload(b"Hearing notes\n", "notes.txt")

    with document.file.open("rb") as handle:
        assert handle.read() == b"Hearing notes\n"


def test_a_new_version_keeps_the_old_file_and_row():
    first = DocumentFactory(content=b"First version\n")

    second = upload(b"Second version\n", "report.txt", source=first.source, replaces=first)

    first.refresh_from_db()
    assert (first.revision, second.revision) == (1, 2)
    assert first.file.name != second.file.name
    with first.file.open("rb") as handle:
        assert handle.read() == b"First version\n"


def test_the_same_name_twice_gives_two_files():
    source = SourceFactory()

    one = upload(b"One\n", "notes.txt", source=source)
    two = upload(b"Two\n", "notes.txt", source=source)

    assert one.file.name != two.file.name


def test_a_version_cannot_be_replaced_twice():
    first = DocumentFactory()
    upload(b"Second\n", "r.txt", source=first.source, replaces=first)

    with pytest.raises(ValidationError):
        upload(b"Third\n", "r.txt", source=first.source, replaces=first)


def test_a_new_version_of_another_sources_document_is_refused():
    other = DocumentFactory()

    with pytest.raises(ValidationError) as error:
        upload(b"New\n", "r.txt", replaces=other)

    assert "replaces" in error.value.message_dict


def test_a_new_document_is_monitors_only_by_default():
    document = upload(b"Notes\n", "notes.txt")

    assert document.visibility == Visibility.MONITORS


def test_a_document_cannot_be_more_visible_than_its_source():
    source = SourceFactory(visibility=Visibility.PARTNERS)

    with pytest.raises(ValidationError) as error:
        upload(b"Notes\n", "notes.txt", source=source, visibility=Visibility.PUBLIC)

    assert "visibility" in error.value.message_dict


def test_raising_a_saved_documents_level_above_its_source_is_refused_on_save():
    document = DocumentFactory(
        source=SourceFactory(visibility=Visibility.MONITORS), visibility=Visibility.MONITORS
    )
    document.visibility = Visibility.PUBLIC

    with pytest.raises(ValidationError):
        document.save()


def test_a_document_as_visible_as_its_source_is_accepted():
    source = SourceFactory(visibility=Visibility.PARTNERS)

    document = upload(b"Notes\n", "notes.txt", source=source, visibility=Visibility.PARTNERS)

    assert Document.objects.get(pk=document.pk).visibility == Visibility.PARTNERS


def test_a_public_document_of_a_hidden_source_is_hidden(anonymous):
    document = DocumentFactory(source=SourceFactory(visibility=Visibility.PUBLIC))
    source = document.source
    source.visibility = Visibility.MONITORS
    source.save()

    assert not Document.objects.visible_to(anonymous).filter(pk=document.pk).exists()
