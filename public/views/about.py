"""Pages about the tracker itself."""

from django.shortcuts import render

from cases.models import Source, SourceKind
from core.visibility import Visibility


def methodology(request):
    """How the tracker sources, dates and publishes facts, and why figures change."""
    sources = (
        Source.objects.visible_to(Visibility.PUBLIC)
        .filter(kind=SourceKind.DOCUMENT)
        .order_by("-date")
    )
    return render(request, "public/methodology.html", {"sources": sources})
