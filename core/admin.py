"""What every admin page in the monitors' workspace shares.

- History: each record's "History" page lists every change with who, when and a field diff
  (django-simple-history). History is read-only: the "revert" form is switched off.
- No lost updates: each form carries the version it was loaded at; a stale save is refused
  with a message naming what the other person changed (cases/concurrency.py).
- Visibility can be changed only by those with the ``cases.change_visibility`` permission
  (Editors and Admins); Monitors see it read-only.
- Import and export (CSV, XLSX) only with ``cases.import_export_records``; exported cells that
  a spreadsheet would run as a formula are neutralised.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import EditConflict, changes_since
from core.publication import hold_edit
from core.visibility import Visibility, visibility_fields

VISIBILITY_PERMISSION = "cases.change_visibility"
IMPORT_EXPORT_PERMISSION = "cases.import_export_records"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def visibility_choice_field(label, **kwargs):
    """The "who may see it" choice of a form for people allowed to set visibility: monitors
    only unless they choose otherwise."""
    return forms.TypedChoiceField(
        label=label,
        choices=Visibility.choices,
        coerce=int,
        initial=Visibility.MONITORS,
        **kwargs,
    )


def neutralise_formula(value):
    """A text cell a spreadsheet would evaluate is prefixed with an apostrophe.

    Text that already starts with apostrophes before such a character gets one more, so that
    ``restore_formula`` gives back exactly what was exported.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_formula(value):
    """The text ``neutralise_formula`` was given: an exported file can be imported again."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and neutralise_formula(value[1:]) != value[1:]
    ):
        return value[1:]
    return value


class TrackedResource(resources.ModelResource):
    """Import and export of one model, with the same protections as the forms."""

    # Empty spreadsheet cells are read as None; a TextField, like a CharField, stores "".
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": widgets.CharWidget}

    class Meta:
        # Each row is validated like a form (``full_clean``): an import cannot save what the
        # admin and the API refuse.
        clean_model_instances = True

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = restore_formula(value)
        super().before_import_row(row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # A row exported at version N may only overwrite the record if it is still at N.
        version = row.get("version")
        if instance.pk and version not in (None, ""):
            instance._expected_version = int(version)
        super().before_save_instance(instance, row, **kwargs)


class VersionedForm(forms.ModelForm):
    """Carries the version a record was loaded at and refuses a save based on an old one."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Fields an existing record keeps as they are (set by ``locking_parents``).
    locked_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            for name in self.locked_fields:
                if name in self.fields:
                    self.fields[name].disabled = True  # what is posted for it is ignored

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        # A form the person did not touch cannot overwrite anything: no check, no save.
        if self.instance.pk and loaded is None and self.has_changed():
            # Without the version it was loaded at, a save could overwrite unseen changes.
            raise ValidationError(
                _(
                    "This form was sent without the version of the record it was loaded at. "
                    "Reload the page and make your change again."
                )
            )
        if self.instance.pk and loaded is not None and self.has_changed():
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != loaded:
                raise ValidationError(EditConflict(self.instance, loaded, current).message())
            # Checked again under a row lock when saving, in case of a race.
            self.instance._expected_version = loaded
        return cleaned


def locking_parents(request, form, model):
    """``form``, keeping an existing record's parents (its case, its person …) as they are for
    someone who may not change visibility: moving a hidden hearing to a public case would
    publish it. New records start monitors-only, so choosing their parent publishes nothing."""
    if request.user.has_perm(VISIBILITY_PERMISSION) or not hasattr(model, "visibility_via"):
        return form
    locked = tuple(name for name in visibility_fields(model) if name != "visibility")
    return type(form.__name__, (form,), {"locked_fields": locked})


def waiting_message(count):
    return ngettext(
        "%(count)d change to a record others can see waits for an Editor to publish it; "
        "until then readers see the record as it was.",
        "%(count)d changes to records others can see wait for an Editor to publish them; "
        "until then readers see the records as they were.",
        count,
    ) % {"count": count}


class VersionedInlineMixin:
    form = VersionedForm

    def get_readonly_fields(self, request, obj=None):
        return readonly_visibility(request, super().get_readonly_fields(request, obj), self.model)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = locking_parents(request, formset.form, self.model)
        return formset


def readonly_visibility(request, readonly, model):
    readonly = list(readonly)
    has_field = any(f.name == "visibility" for f in model._meta.fields)
    if has_field and not request.user.has_perm(VISIBILITY_PERMISSION):
        readonly.append("visibility")
    return readonly


class TrackedAdmin(ImportExportMixin, SimpleHistoryAdmin):
    form = VersionedForm
    # What imports and exports this admin's model; a subclass of TrackedResource.
    tracked_resource = TrackedResource
    formats = [CSV, XLSX]
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        # Saving a page where only an inline changed must not bump the record's version:
        # that would refuse a colleague's unrelated edit of the record itself.
        if change and not form.has_changed():
            return
        held = change and hold_edit(obj, user=request.user, reason=_("Edited in the admin."))
        if held:
            self.message_user(request, waiting_message(1), messages.WARNING)
            if set(form.changed_data) <= set(held.changes):
                return  # nothing else changed: readers must not even see a new version
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # An inline row edited by a Monitor is held like the record's own page (above).
        held = 0
        reason = _("Edited in the admin.")
        for row in formset.forms:
            instance = row.instance
            if instance.pk is None or not row.has_changed() or row in formset.deleted_forms:
                continue
            change_held = hold_edit(instance, user=request.user, reason=reason)
            if change_held:
                held += 1
                if set(row.changed_data) <= set(change_held.changes):
                    row.has_changed = lambda: False  # leave the row unsaved
        super().save_formset(request, form, formset, change)
        if held:
            self.message_user(request, waiting_message(held), messages.WARNING)

    show_full_result_count = False  # no COUNT(*) over a large table on every list page

    def get_readonly_fields(self, request, obj=None):
        return readonly_visibility(request, super().get_readonly_fields(request, obj), self.model)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return locking_parents(request, form, self.model)

    def get_resource_classes(self, request):
        return [resources.modelresource_factory(self.model, resource_class=self.tracked_resource)]

    def has_import_permission(self, request):
        return request.user.has_perm(IMPORT_EXPORT_PERMISSION)

    def has_export_permission(self, request):
        return request.user.has_perm(IMPORT_EXPORT_PERMISSION)

    def add_success_message(self, result, request):
        # An error in any row rolls the whole import back (for example a row someone changed
        # between the preview and the confirmation): say so instead of "Import finished".
        errors = [e.error for e in result.base_errors]
        errors += [e.error for _row, row_errors in result.row_errors() for e in row_errors]
        if not errors:
            return super().add_success_message(result, request)
        for error in errors:
            self.message_user(request, _("Nothing was imported: %s") % error, messages.ERROR)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Past versions can be read, never saved back: history is not editable.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Two saves raced past the form check; the row lock caught the second one.
            self.message_user(request, conflict.message(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


__all__ = [
    "TrackedAdmin",
    "VersionedForm",
    "VersionedInlineMixin",
    "changes_since",
    "neutralise_formula",
]


class YesNoFilter(admin.SimpleListFilter):
    """A filter with "yes" and "no", answered by ``condition()`` (a Q over the listed records)."""

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset
