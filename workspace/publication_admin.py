"""The changes waiting for publication (core/publication.py): Editors publish or reject each
one here; Monitors read the queue."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import PendingChange, PendingStatus
from core.publication import can_publish, pending_change_publish, pending_change_reject


def record_url(change):
    try:
        return reverse(
            f"admin:{change.content_type.app_label}_{change.content_type.model}_change",
            args=[change.object_id],
        )
    except NoReverseMatch:
        return None


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "proposed_values", "proposed_by", "created_at", "status"]
    list_filter = ["status", "content_type"]
    list_select_related = ["content_type", "proposed_by"]
    readonly_fields = [
        "record_link",
        "proposed_values",
        "reason",
        "proposed_by",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields
    actions = ["publish", "reject"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_change_permission(request, obj)

    @admin.display(description=gettext_lazy("record"))
    def record_link(self, change):
        url = record_url(change)
        if url is None:
            return str(change)
        return format_html('<a href="{}">{}</a>', url, change)

    @admin.display(description=gettext_lazy("proposed values"))
    def proposed_values(self, change):
        return format_html_join(
            ", ", "{} → {}", sorted((name, value) for name, value in change.changes.items())
        )

    def _decide(self, request, queryset, decide, done):
        count = 0
        for change in queryset.filter(status=PendingStatus.PENDING):
            try:
                decide(change=change, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(change)s was not published: %(errors)s")
                    % {"change": change, "errors": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Publish the selected changes"), permissions=["change"])
    def publish(self, request, queryset):
        self._decide(request, queryset, pending_change_publish, _("%(count)d change(s) published."))

    @admin.action(description=gettext_lazy("Reject the selected changes"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, pending_change_reject, _("%(count)d change(s) rejected."))
