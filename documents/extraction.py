"""Reading the text of a document: pypdf for PDFs, UTF-8 plain text as it is, the paragraphs
of DOCX and ODT files from their XML. Images and spreadsheets have no text to read; a PDF whose
pages are only pictures (a scan) has no text layer (OCR is out of scope)."""

import io
import re
import zipfile
from xml.etree import ElementTree

from documents import detection

WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class NoTextLayer(Exception):
    """A PDF with pages but no text on them."""


class NotText(Exception):
    """A type with no text to extract (images, spreadsheets)."""


def _pdf(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [(page.extract_text() or "").strip() for page in reader.pages]
    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        raise NoTextLayer
    return text


def _docx(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = []
    for paragraph in root.iter(f"{WORD}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{WORD}t")))
    return "\n\n".join(p for p in paragraphs if p.strip())


def _odt(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    paragraphs = []
    for paragraph in root.iter():
        if paragraph.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h"):
            paragraphs.append("".join(paragraph.itertext()))
    return "\n\n".join(p for p in paragraphs if p.strip())


def _text(data):
    return data.decode("utf-8").removeprefix("\ufeff")


READERS = {
    detection.PDF: _pdf,
    detection.DOCX: _docx,
    detection.ODT: _odt,
    detection.TEXT: _text,
}


def extract(media_type, data):
    """The text of a file of ``media_type`` with content ``data``. Raises NotText,
    NoTextLayer, or whatever a reader raises on a damaged file."""
    reader = READERS.get(media_type)
    if reader is None:
        raise NotText
    text = reader(data)
    # NUL cannot be stored in a PostgreSQL text column.
    text = re.sub(r"\x00", "", text)
    if media_type != detection.PDF and not text.strip():
        raise NoTextLayer
    return text
