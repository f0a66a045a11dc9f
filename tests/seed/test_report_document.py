"""The report's text, carried in the repository, is attached to its source as a public text
document (#17, item 6): every "para. 39" on the site opens the paragraph."""

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cases.models import Source
from core.visibility import Visibility
from documents.models import Document, ExtractionStatus

pytestmark = pytest.mark.django_db

REPORT_TEXT = Path(__file__).resolve().parents[2] / "ops" / "seed" / "report_2024.txt"


def report_source():
    return Source.objects.get(short_title="2024 UN Secretary-General report on Cambodia")


def test_the_report_is_attached_to_its_source_as_a_public_text_document():
    document = report_source().documents.get()

    assert (document.media_type, document.visibility) == ("text/plain", Visibility.PUBLIC)


def test_the_attached_file_is_the_repositorys_copy_of_the_report():
    document = report_source().documents.get()

    assert document.sha256 == hashlib.sha256(REPORT_TEXT.read_bytes()).hexdigest()


def test_the_reports_text_is_extracted():
    document = report_source().documents.get()

    assert document.extraction_status == ExtractionStatus.DONE
    assert "Kang Saran was detained" in document.text


def test_seeding_again_attaches_no_second_copy():
    call_command("seed_report", stdout=StringIO())

    assert report_source().documents.count() == 1


def test_para_39_links_to_the_paragraph_of_the_reports_text():
    source = report_source()

    assert source.paragraph_url("39") == f"/sources/{source.pk}/text/#para-39"


def test_the_reports_text_page_anchors_paragraph_39_at_kang_sarans_detention(client):
    page = client.get(f"/sources/{report_source().pk}/text/").content.decode()
    paragraph = page.split('id="para-39"')[1].split("</p>")[0]

    assert "On 4 July 2023, Kang Saran was detained" in paragraph


def test_the_reports_text_page_anchors_each_of_its_75_paragraphs(client):
    page = client.get(f"/sources/{report_source().pk}/text/").content.decode()

    assert all(f'id="para-{n}"' in page for n in range(1, 76))
    assert 'id="para-76"' not in page


def test_only_the_report_gets_a_document():
    assert Document.objects.exclude(source=report_source()).count() == 0
