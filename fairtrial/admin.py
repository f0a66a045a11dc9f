from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import VISIBILITY_PERMISSION, TrackedAdmin, VersionedForm, VersionedInlineMixin
from fairtrial.models import Answer, Assessment, ChecklistItem, ChecklistVersion, Finding


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["stage", "position", "code", "text_en", "text_km", "standard", "ccp_article"]

    # The items of a version answers were given under are read-only (ChecklistItem.save).
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.in_use())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.in_use())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.in_use())


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(TrackedAdmin):
    list_display = ["number", "title", "introduced_on"]
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(TrackedAdmin):
    list_display = ["code", "checklist", "stage", "standard"]
    list_filter = ["checklist", "stage"]
    list_select_related = ["checklist"]
    search_fields = ["code", "text_en", "text_km", "standard"]

    def has_change_permission(self, request, obj=None):
        in_use = obj is not None and obj.pk and obj.checklist.in_use()
        return super().has_change_permission(request, obj) and not in_use

    def has_delete_permission(self, request, obj=None):
        in_use = obj is not None and obj.pk and obj.checklist.in_use()
        return super().has_delete_permission(request, obj) and not in_use


class AnswerForm(VersionedForm):
    class Meta:
        model = Answer
        fields = "__all__"
        # Quick tap answers on a phone: one radio per finding.
        widgets = {"finding": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "finding" in self.fields:
            self.fields["finding"].choices = Finding.choices  # no empty "---------" radio


def readonly_note_visibility(request, readonly):
    if not request.user.has_perm(VISIBILITY_PERMISSION):
        return [*readonly, "note_visibility"]
    return readonly


class AnswerInline(VersionedInlineMixin, admin.TabularInline):
    """The checklist on a hearing's page: one row per defendant and item, in the checklist's
    order (stage by stage)."""

    model = Answer
    form = AnswerForm
    extra = 0
    autocomplete_fields = ["defendant"]
    fields = [
        "stage",
        "item",
        "defendant",
        "finding",
        "note",
        "note_visibility",
        "visibility",
        "loaded_version",
    ]
    readonly_fields = ["stage"]
    classes = ["collapse", "fair-trial-checklist"]
    # Usable on a phone in a courtroom: big tap answers, each row stacked and labelled.
    template = "admin/fairtrial/answer/tabular.html"

    class Media:
        css = {"all": ["css/checklist.css"]}

    verbose_name = _("fair-trial finding")
    verbose_name_plural = _("fair-trial checklist")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("item", "defendant")
            .order_by("item__position", "defendant_id", "id")
        )

    def get_readonly_fields(self, request, obj=None):
        return readonly_note_visibility(request, super().get_readonly_fields(request, obj))

    @admin.display(description=_("stage"))
    def stage(self, answer):
        return answer.item.get_stage_display() if answer.item_id else ""


@admin.register(Answer)
class AnswerAdmin(TrackedAdmin):
    form = AnswerForm
    list_display = ["hearing", "defendant", "item", "finding", "visibility"]
    list_filter = ["finding", "item__stage", "visibility", "note_visibility"]
    list_select_related = ["hearing", "defendant", "item"]
    search_fields = ["defendant__name", "note", "item__code"]
    autocomplete_fields = ["hearing", "defendant"]

    def get_readonly_fields(self, request, obj=None):
        return readonly_note_visibility(request, super().get_readonly_fields(request, obj))


@admin.register(Assessment)
class AssessmentAdmin(TrackedAdmin):
    list_display = ["case", "grade", "assessed_on", "visibility"]
    list_filter = ["grade", "visibility"]
    list_select_related = ["case"]
    search_fields = ["case__title", "summary"]
    autocomplete_fields = ["case"]
    filter_horizontal = ["weighed_items"]
