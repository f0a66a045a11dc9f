from django.contrib import admin
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partners.models import ApiToken, DeliveryStatus, Partner, Webhook, WebhookDelivery


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["name", "prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj):
        return False


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "contact_email", "is_active"]
    search_fields = ["name"]
    inlines = [ApiTokenInline]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Admins issue tokens here. The secret is shown once, on the page that follows saving.

    It waits for that page in the server-side session, never in a message: messages travel
    in a signed cookie, which anyone who sees the browser's traffic or storage can read."""

    change_form_template = "admin/partners/apitoken/change_form.html"

    list_display = ["name", "prefix", "partner", "user", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["partner", "user"]
    autocomplete_fields = ["partner", "user"]
    readonly_fields = ["prefix", "created_at", "created_by", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "partner", "user", "expires_at"]
        return [
            "name",
            "partner",
            "user",
            "prefix",
            "created_at",
            "created_by",
            "expires_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["name", "partner", "user", "prefix", "created_at", "created_by", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        secret = obj.set_new_secret()
        obj.created_by = request.user
        obj.save()
        request.session[self.secret_key(obj.pk)] = secret

    @staticmethod
    def secret_key(pk):
        return f"new_api_token_secret_{pk}"

    def response_add(self, request, obj, post_url_continue=None):
        """Straight to the new token's page, which shows its secret once."""
        return HttpResponseRedirect(reverse("admin:partners_apitoken_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if request.method == "GET" and str(object_id).isdigit():
            extra_context["new_secret"] = request.session.pop(self.secret_key(object_id), None)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            count += 1
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": count})


class PartnerSetupAdmin:
    """Webhooks and their deliveries belong to a partner's set-up: whoever may change partner
    organisations (Editors, Admins) manages them; their own model permissions are granted to
    no role."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("partners.change_partner")

    def has_add_permission(self, request):
        return request.user.has_perm("partners.change_partner")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("partners.change_partner")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("partners.change_partner")


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    fields = [
        "created_at",
        "record_type",
        "record_id",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
    ]
    readonly_fields = fields
    can_delete = False
    ordering = ["-created_at"]
    max_num = 0

    def get_queryset(self, request):
        # Failures first: what an Editor needs to see.
        return super().get_queryset(request).order_by("status", "-created_at")


@admin.register(Webhook)
class WebhookAdmin(PartnerSetupAdmin, SimpleHistoryAdmin):
    list_display = ["partner", "url", "is_active", "cursor", "failed_deliveries"]
    list_filter = ["is_active"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    readonly_fields = ["cursor", "created_at"]
    fields = ["partner", "url", "is_active", "secret", "cursor", "created_at"]
    # A URL typed without its scheme is https, the only one allowed in production.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("failed deliveries"))
    def failed_deliveries(self, webhook):
        return webhook.deliveries.filter(status=DeliveryStatus.FAILED).count()


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PartnerSetupAdmin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "webhook",
        "record_type",
        "record_id",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
    ]
    list_filter = ["status", "event", "record_type"]
    list_select_related = ["webhook__partner"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry the selected deliveries now"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = 0
        for delivery in queryset.exclude(status=DeliveryStatus.DELIVERED):
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = timezone.now()
            delivery.save()
            count += 1
        self.message_user(request, _("%(count)d delivery(ies) will be retried.") % {"count": count})
