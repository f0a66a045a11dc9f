from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
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

    # The download is a file: no fields to choose, and streamed, so no ETag and never a 304.
    @property
    def field_selection_params(self):
        return () if getattr(self, "action", None) == "download" else ("fields", "omit")

    @property
    def conditional_get(self):
        return getattr(self, "action", None) != "download"

    @extend_schema(
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, as an attachment of its detected media type.",
            )
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def download(self, request, pk=None, format=None) -> FileResponse:
        return file_response(self.get_object())
