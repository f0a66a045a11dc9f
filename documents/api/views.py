from django.http import FileResponse
from rest_framework.decorators import action

from core.api.base import WritableVisibleViewSet
from documents.api.serializers import DocumentSerializer
from documents.downloads import file_response
from documents.filters import DocumentFilter
from documents.models import Document


class DocumentViewSet(WritableVisibleViewSet):
    """Files attached to sources, at the caller's level (a document is never more visible
    than its source). ``sha256`` proves a copy unaltered. ``/download/`` gives the file;
    monitors upload (multipart), Editors publish."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["id", "uploaded_at", "updated_at"]

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def download(self, request, pk=None, format=None) -> FileResponse:
        return file_response(self.get_object())
