from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from rest_framework import serializers

from cases.models import Source
from core.api.base import TrackedSerializer, VisibleRelatedField, viewer_of
from core.background import queue_after_commit
from core.visibility import Visibility
from documents.models import Document
from documents.tasks import extract_text


def _field_errors(error):
    return serializers.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


class DocumentSerializer(TrackedSerializer):
    """A file attached to a source. Upload with multipart ``file`` and ``source`` (and
    ``replaces`` for a new version); afterwards only its level changes (Editors)."""

    source = VisibleRelatedField(queryset=Source.objects.all())
    replaces = VisibleRelatedField(queryset=Document.objects.all(), required=False, allow_null=True)
    file = serializers.FileField(write_only=True, help_text="The file (PDF, image, DOCX …).")
    download = serializers.SerializerMethodField(help_text="Where to download the file.")
    text_available = serializers.SerializerMethodField(
        help_text="Whether the document's text was extracted (and can be searched)."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "source",
            "original_name",
            "media_type",
            "size",
            "sha256",
            "uploaded_at",
            "revision",
            "replaces",
            "extraction_status",
            "text_available",
            "download",
            "file",
            "created_at",
            "updated_at",
            "visibility",
            "version",
        ]
        read_only_fields = ["extraction_status"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            # A document's file and place are fixed: a new file is a new version.
            for name in ("source", "replaces", "file"):
                if name in fields:
                    fields[name].read_only = True
                    fields[name].required = False
        return fields

    def to_representation(self, document):
        """Versions as the caller sees them: an earlier version the caller may not see is not
        named, nor counted in ``revision`` (a public correction of a private first version says
        nothing about it). Walks the chain only for a document that replaces another."""
        data = super().to_representation(document)
        if document.replaces_id:
            earlier = document.versions_before(viewer_of(self.context))
            if earlier == 0:
                data["replaces"] = None
            data["revision"] = earlier + 1
        return data

    def get_download(self, document) -> str:
        request = self.context.get("request")
        path = reverse("api:document-download", args=[document.pk])
        return request.build_absolute_uri(path) if request is not None else path

    def get_text_available(self, document) -> bool:
        return bool(document.extraction_status == "done" and document.text)

    def validate(self, attrs):
        if self.instance is not None:
            return super().validate(attrs)
        attrs.pop("version", None)
        upload = attrs.pop("file")
        try:
            document = Document.from_upload(
                upload,
                source=attrs["source"],
                replaces=attrs.get("replaces"),
                uploaded_by=viewer_of(self.context),
                visibility=attrs.get("visibility", Visibility.MONITORS),
            )
            document.full_clean(exclude=["file"], validate_unique=False)
        except DjangoValidationError as error:
            raise _field_errors(error) from None
        attrs["document"] = document
        return attrs

    def create(self, validated_data):
        document = validated_data["document"]
        with transaction.atomic():
            document.save()
            queue_after_commit(extract_text, document.pk)
        return document
