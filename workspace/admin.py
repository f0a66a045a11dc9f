"""People's accounts in the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from workspace.accounts import account_deactivate

admin.site.unregister(User)


@admin.register(User)
class TrackerUserAdmin(UserAdmin):
    """Unticking "active" (or the deactivate action) ends the person's sessions and revokes
    their API tokens there and then."""

    actions = ["deactivate"]

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
