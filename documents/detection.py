"""What a file is, read from its bytes, never from its name or the type the browser claims.

A ".pdf" holding a PNG is a PNG; anything not on the list (a program, an archive, HTML, an SVG
that could carry script) is refused.
"""

import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"

EXTENSIONS = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    GIF: ".gif",
    WEBP: ".webp",
    TIFF: ".tif",
    DOCX: ".docx",
    XLSX: ".xlsx",
    ODT: ".odt",
    TEXT: ".txt",
}
LABELS = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    GIF: "GIF",
    WEBP: "WebP",
    TIFF: "TIFF",
    DOCX: "DOCX",
    XLSX: "XLSX",
    ODT: "ODT",
    TEXT: _("plain text"),
}
# Types whose text the tracker can read (documents/extraction.py); images have none.
TEXT_TYPES = frozenset({PDF, DOCX, ODT, TEXT})

REFUSED = _(
    "This kind of file cannot be attached: upload a PDF, an image (PNG, JPEG, GIF, WebP, "
    "TIFF), a DOCX, XLSX or ODT document, or UTF-8 plain text."
)


# Control characters no text file holds (tab, line feed, form feed and carriage return are
# fine): their presence marks a binary file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Detected:
    media_type: str

    @property
    def extension(self):
        return EXTENSIONS[self.media_type]


def _zip_type(handle):
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_text(data):
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end in the middle of a character: only that is forgiven.
        if error.start < len(data) - 3:
            return False
        text = data[: error.start].decode("utf-8")
    return _CONTROL.search(text) is None


def detect(handle):
    """The ``Detected`` type of the open binary file ``handle``, or None if it is refused.
    Reads from the start and leaves the position at the start."""
    handle.seek(0)
    head = handle.read(8192)
    handle.seek(0)
    found = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith((b"GIF87a", b"GIF89a")):
        found = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found = WEBP
    elif head.startswith((b"II*\x00", b"MM\x00*")):
        found = TIFF
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(handle)
    elif head and _is_text(head.removeprefix(b"\xef\xbb\xbf")) and _whole_text_is_utf8(handle):
        found = TEXT
    handle.seek(0)
    return Detected(found) if found else None


def _whole_text_is_utf8(handle):
    handle.seek(0)
    try:
        data = handle.read()
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)
    return _is_text(data)
