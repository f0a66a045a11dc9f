"""People's accounts in the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from workspace import publication_admin  # noqa: F401  (registers the publication queue)
from workspace.accounts import account_deactivate

admin.site.unregister(User)


@admin.register(User)
class TrackerUserAdmin(UserAdmin):
    """Unticking "active" (or the deactivate action) ends the person's sessions and revokes
    their API tokens there and then."""

    actions = ["deactivate"]

    # Only a superuser makes superusers or grants permissions one by one: no role can raise
    # itself (or anyone) above the roles the groups define.
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    # A superuser's account (password, groups, status) is changed by superusers only.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            account_deactivate(user=obj)

    @admin.action(
        description=_("Deactivate: end sessions and revoke API tokens"), permissions=["change"]
    )
    def deactivate(self, request, queryset):
        for user in queryset:
            account_deactivate(user=user)
        self.message_user(request, _("%(n)d account(s) deactivated.") % {"n": queryset.count()})
