"""A source's text page: the newest public document with text, its numbered paragraphs
anchored (``#para-39``), and ``Source.paragraph_url`` for citations to link to."""

import pytest

from core.visibility import Visibility
from tests.factories import DocumentFactory, SourceFactory

pytestmark = pytest.mark.django_db

REPORT = (
    b"I. Introduction\n\n"
    b"1. The present report covers 2023.\n"
    b"2. OHCHR monitored trials.\n"
    b"2023. A line that starts with a year.\n\n"
    b"3. On 4 July 2023, Kang Saran was detained\n"
    b"under articles 494 and 495.\n"
)


def text_document(**values):
    return DocumentFactory(content=REPORT, name="report.txt", extract=True, **values)


def test_numbered_paragraphs_have_anchors(client):
    document = text_document()

    page = client.get(f"/sources/{document.source.pk}/text/").content.decode()

    assert 'id="para-1"' in page and 'id="para-3"' in page


def test_a_paragraph_keeps_its_continuation_lines(client):
    document = text_document()

    page = client.get(f"/sources/{document.source.pk}/text/").content.decode()
    paragraph = page.split('id="para-3"')[1].split("</p>")[0]

    assert "Kang Saran was detained" in paragraph and "articles 494 and 495" in paragraph


def test_a_line_starting_with_a_year_is_not_a_paragraph(client):
    document = text_document()

    page = client.get(f"/sources/{document.source.pk}/text/").content.decode()

    assert 'id="para-2023"' not in page


def test_the_page_is_there_in_khmer(client):
    document = text_document()

    response = client.get(f"/km/sources/{document.source.pk}/text/")

    assert response.status_code == 200
    assert 'id="para-3"' in response.content.decode()


def test_the_page_links_the_public_download_and_shows_the_hash(client):
    document = text_document()

    page = client.get(f"/sources/{document.source.pk}/text/").content.decode()

    assert f"/documents/{document.pk}/download/" in page
    assert document.sha256 in page


def test_the_newest_version_is_shown(client):
    first = text_document()
    DocumentFactory(
        source=first.source, replaces=first, content=b"1. Corrected text.\n", extract=True
    )

    page = client.get(f"/sources/{first.source.pk}/text/").content.decode()

    assert "Corrected text" in page


def test_a_source_without_a_public_text_document_answers_404(client):
    document = text_document(visibility=Visibility.MONITORS)

    assert client.get(f"/sources/{document.source.pk}/text/").status_code == 404


def test_a_hidden_source_answers_404_not_a_redirect(client, monitor):
    document = text_document(source=SourceFactory(visibility=Visibility.MONITORS))
    client.force_login(monitor)

    assert client.get(f"/sources/{document.source.pk}/text/").status_code == 404


def test_a_source_with_only_a_scan_answers_404(client):
    from .helpers import pdf_without_text

    document = DocumentFactory(content=pdf_without_text(), name="scan.pdf", extract=True)

    assert client.get(f"/sources/{document.source.pk}/text/").status_code == 404


def test_the_text_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    url = f"/sources/{text_document().source_id}/text/"
    # 1. the public source; 2. its newest public document with text (the text included);
    # 3. the latest day a public source covers (the line every page shows, base.html)
    with django_assert_num_queries(3):
        client.get(url)


def test_paragraph_url_links_a_paragraph_of_a_public_text():
    document = text_document()

    assert document.source.paragraph_url("39") == f"/sources/{document.source.pk}/text/#para-39"


def test_paragraph_url_takes_the_first_of_a_range():
    document = text_document()

    assert document.source.paragraph_url("40-41").endswith("#para-40")


def test_paragraph_url_is_empty_without_a_public_text():
    document = text_document(visibility=Visibility.MONITORS)

    assert document.source.paragraph_url("39") == ""


def test_paragraph_url_without_a_paragraph_is_the_text_page_itself():
    document = text_document()

    assert document.source.paragraph_url("") == f"/sources/{document.source.pk}/text/"
