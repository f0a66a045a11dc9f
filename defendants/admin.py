from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin_citing import CitedInlineMixin, CitedResource, CitingAdminMixin
from cases.inlines import CaseDefendantInline, CitationInline
from core.admin import (
    TrackedAdmin,
    VersionedInlineMixin,
    YesNoFilter,
    waiting_message,
)
from defendants.models import (
    Affiliation,
    CustodyPeriod,
    Defendant,
    DetentionAlert,
    DetentionRule,
    Organisation,
)
from defendants.services import custody_period_start


@admin.register(Organisation)
class OrganisationAdmin(TrackedAdmin):
    list_display = ["name_en", "name_km", "acronym", "kind"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_km", "acronym"]


class AffiliationInline(CitedInlineMixin, VersionedInlineMixin, admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "role_km", "is_former", "visibility", "loaded_version"]


class CustodyPeriodFormSet(BaseInlineFormSet):
    """New periods added on a case or person page end the person's open ones, as everywhere."""

    def save_new(self, form, commit=True):
        period = super().save_new(form, commit=False)
        if commit:
            custody_period_start(period=period)
        return period


class CustodyPeriodResource(CitedResource):
    """An imported new period ends the person's open ones, as everywhere."""

    def do_instance_save(self, instance, is_create):
        if is_create:
            custody_period_start(period=instance)
        else:
            super().do_instance_save(instance, is_create)


class CustodyPeriodInline(CitedInlineMixin, VersionedInlineMixin, admin.TabularInline):
    model = CustodyPeriod
    formset = CustodyPeriodFormSet
    extra = 0
    autocomplete_fields = ["case", "defendant"]
    fields = [
        "defendant",
        "case",
        "kind",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "note",
        "visibility",
        "loaded_version",
    ]


class DefendantCaseInline(CaseDefendantInline):
    autocomplete_fields = ["case"]
    fields = ["case", "note", "visibility", "loaded_version"]
    verbose_name = _("case")
    verbose_name_plural = _("cases")


class InDetentionNowFilter(YesNoFilter):
    title = _("in detention now")
    parameter_name = "in_detention"

    def condition(self):
        running = CustodyPeriod.objects.running_on(timezone.localdate()).detention()
        return Q(Exists(running.filter(defendant=OuterRef("pk"))))


@admin.register(Defendant)
class DefendantAdmin(CitingAdminMixin, TrackedAdmin):
    # A person is not a fact to cite; the custody periods added on their page are.
    cites_new_records = False
    list_display = ["__str__", "name_km", "category", "province", "visibility", "needs_review"]
    list_filter = [
        "category",
        InDetentionNowFilter,
        "province",
        "sex",
        "needs_review",
        "visibility",
    ]
    list_select_related = ["province"]
    search_fields = ["name", "name_km", "aliases", "description", "case_links__case__case_number"]
    autocomplete_fields = ["province"]
    readonly_fields = ["custody_timeline"]
    fields = [
        "name",
        "name_km",
        "aliases",
        "description",
        "sex",
        "category",
        "province",
        "custody_timeline",
        "visibility",
        "needs_review",
        "review_note",
        "loaded_version",
    ]

    def get_inlines(self, request, obj):
        return [DefendantCaseInline, AffiliationInline, CustodyPeriodInline, CitationInline]

    @admin.display(description=_("custody timeline"))
    def custody_timeline(self, obj):
        if obj.pk is None:
            return "—"
        periods = list(obj.custody_periods.select_related("case"))
        tally = obj.detention(periods=periods)
        rows = format_html_join(
            "",
            "<li>{} — {} ({})</li>",
            (
                (
                    p.get_kind_display(),
                    _("%(start)s to %(end)s")
                    % {
                        "start": p.start_partial,
                        "end": p.end_partial or _("now"),
                    },
                    p.case,
                )
                for p in periods
            ),
        )
        days = _("%(days)s days in detention as of today%(approx)s") % {
            "days": tally.days,
            "approx": ""
            if tally.exact
            else _(" (approximate: some dates are known only to the month)"),
        }
        return format_html("<ul>{}</ul><p>{}</p>", rows, days)


@admin.register(Affiliation)
class AffiliationAdmin(CitingAdminMixin, TrackedAdmin):
    list_display = ["defendant", "organisation", "role", "is_former", "visibility"]
    list_select_related = ["defendant", "organisation"]
    autocomplete_fields = ["defendant", "organisation"]
    search_fields = ["defendant__name", "organisation__name_en", "role"]


@admin.register(CustodyPeriod)
class CustodyPeriodAdmin(CitingAdminMixin, TrackedAdmin):
    list_display = ["defendant", "case", "kind", "start", "end", "visibility"]
    list_filter = ["kind", "visibility"]
    list_select_related = ["defendant", "case"]
    autocomplete_fields = ["defendant", "case"]
    search_fields = ["defendant__name", "defendant__name_km", "case__title"]
    inlines = [CitationInline]
    tracked_resource = CustodyPeriodResource

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            custody_period_start(period=obj, proposed_by=request.user)
            if obj.pending_changes:
                self.message_user(
                    request, waiting_message(len(obj.pending_changes)), messages.WARNING
                )


@admin.register(DetentionRule)
class DetentionRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "offence_class",
        "for_minors",
        "base_months",
        "extension_months",
        "max_extensions",
        "max_total_months",
        "is_active",
    ]
    list_filter = ["offence_class", "is_active"]
    autocomplete_fields = ["source"]


@admin.register(DetentionAlert)
class DetentionAlertAdmin(SimpleHistoryAdmin):
    list_display = [
        "defendant",
        "case",
        "kind",
        "limit_date",
        "days_held",
        "notified_at",
        "resolved_at",
    ]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["defendant", "case"]
    search_fields = ["defendant__name", "case__title"]
    readonly_fields = [
        "defendant",
        "case",
        "rule",
        "kind",
        "threshold_days",
        "limit_date",
        "days_held",
        "notified_at",
    ]

    def has_add_permission(self, request):
        return False  # alerts are raised by the nightly clock
