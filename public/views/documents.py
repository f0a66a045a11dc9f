"""The documents behind the sources, on the public site: a public document's file, and a
source's text with its numbered paragraphs, where "para. 39" links to. Read at the public
level, whoever is logged in (monitors download other documents through the API)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from cases.models import Source
from core.visibility import Visibility
from documents.downloads import file_response
from documents.models import Document
from documents.paragraphs import blocks

PUBLIC = Visibility.PUBLIC


def document_download(request, pk):
    document = get_object_or_404(
        Document.objects.visible_to(PUBLIC).select_related("source"), pk=pk
    )
    return file_response(document)


def source_text(request, pk):
    source = get_object_or_404(Source.objects.visible_to(PUBLIC), pk=pk)
    document = source.text_document(PUBLIC)
    if document is None:
        raise Http404
    context = {
        "source": source,
        "document": document,
        # The version as the public sees it: hidden earlier versions are not counted.
        "revision": document.versions_before(PUBLIC) + 1,
        "blocks": blocks(document.text),
    }
    return render(request, "documents/source_text.html", context)
