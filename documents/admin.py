"""Documents in the monitors' workspace: upload on a source's page or here, see the hash,
the version and how the text extraction went, and extract again."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import TrackedAdmin, VersionedForm, VersionedInlineMixin
from documents.models import Document
from documents.services import document_extract_again

# What identifies the file: never edited, a new file is a new version.
FILE_FIELDS = [
    "download_link",
    "original_name",
    "media_type",
    "file_size",
    "sha256",
    "revision",
    "uploaded_by",
    "uploaded_at",
    "extraction_status",
    "extraction_error",
    "extracted_at",
]


class DocumentForm(VersionedForm):
    upload = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_(
            "PDF, image, DOCX, XLSX, ODT or UTF-8 text; its type is read from its content."
        ),
    )

    class Meta:
        model = Document
        fields = ["source", "replaces", "visibility", "needs_review", "review_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A document's file and source are fixed: a new file is a new version.
            for name in ("upload", "source", "replaces"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        upload = cleaned.get("upload")
        if not upload:
            if self.has_changed() or not self.empty_permitted:
                self.add_error("upload", _("Choose the file to upload."))
            return cleaned
        try:
            prepared = Document.from_upload(upload, replaces=cleaned.get("replaces"))
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                self.add_error("upload", message)
            return cleaned
        for name in ("original_name", "media_type", "size", "sha256", "revision"):
            setattr(self.instance, name, getattr(prepared, name))
        self.instance._upload = prepared._upload
        self.instance._upload_name = prepared._upload_name
        return cleaned


class DocumentFormSet(forms.BaseInlineFormSet):
    def save_new(self, form, commit=True):
        document = super().save_new(form, commit=False)
        document.uploaded_by = self.request_user
        if commit:
            document.save()
            document_extract_again(document=document)
        return document


class DocumentInline(VersionedInlineMixin, admin.TabularInline):
    """The files of a source, on the source's page: upload one (or a new version of one)."""

    model = Document
    form = DocumentForm
    formset = DocumentFormSet
    fk_name = "source"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "upload",
        "replaces",
        "original_name",
        "media_type",
        "file_size",
        "short_sha256",
        "revision",
        "extraction_status",
        "visibility",
        "loaded_version",
    ]
    readonly_fields = [
        "original_name",
        "media_type",
        "file_size",
        "short_sha256",
        "revision",
        "extraction_status",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset

    @admin.display(description=_("size"))
    def file_size(self, document):
        return filesizeformat(document.size) if document.size else ""

    @admin.display(description=_("SHA-256"))
    def short_sha256(self, document):
        return document.sha256[:12] if document.sha256 else ""


@admin.register(Document)
class DocumentAdmin(TrackedAdmin):
    form = DocumentForm
    list_display = [
        "original_name",
        "source",
        "media_type",
        "file_size",
        "short_sha256",
        "revision",
        "extraction_status",
        "visibility",
    ]
    list_filter = ["extraction_status", "visibility", "media_type"]
    list_select_related = ["source"]
    search_fields = ["original_name", "sha256", "source__title", "source__symbol"]
    autocomplete_fields = ["source"]
    actions = ["extract_again"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["source", "upload", "replaces", "visibility"]
        return ["source", "replaces", *FILE_FIELDS, "visibility", "needs_review", "review_note"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + FILE_FIELDS if obj is not None else readonly

    def has_import_permission(self, request):
        return False  # a file cannot come from a spreadsheet row

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            document_extract_again(document=obj)

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, document):
        return filesizeformat(document.size)

    @admin.display(description=_("file"))
    def download_link(self, document):
        # The API's download: at the monitor's own level (the public site's serves public
        # documents only).
        return format_html(
            '<a href="{}">{}</a>',
            reverse("api:document-download", args=[document.pk]),
            _("Download"),
        )

    @admin.display(description=_("SHA-256"))
    def short_sha256(self, document):
        return document.sha256[:12]

    @admin.action(description=_("Extract text again"), permissions=["change"])
    def extract_again(self, request, queryset):
        count = 0
        for document in queryset:
            document_extract_again(document=document)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Text extraction queued for %(count)d document.",
                "Text extraction queued for %(count)d documents.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
