import django_filters

from core.filters import TrackedFilterSet, id_filter
from documents.models import Document, ExtractionStatus


class DocumentFilter(TrackedFilterSet):
    source = id_filter("source")
    extraction_status = django_filters.ChoiceFilter(choices=ExtractionStatus.choices)
    sha256 = django_filters.CharFilter(max_length=64)

    class Meta:
        model = Document
        fields = ["updated_since"]
