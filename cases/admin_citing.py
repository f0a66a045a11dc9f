"""The admin's part of "a source for every logged fact" (#14): a new fact, on its own page or
as a new row of an inline, is saved only with a citation.

Each page of a record that is, or that has inlines of, facts shows a "Source for new records"
box (``CitationForm`` with the ``cite`` prefix). A fact's add page requires it; a page whose
cited inlines gain new rows requires it too (the inline says so). Every new record is then
cited to it, all in the admin's one transaction.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from cases.citing import CitationRequest, cite, resolved
from cases.forms import CitationForm
from cases.models import Source
from core.admin import TrackedResource

CITE_PREFIX = "cite"


class CitedResource(TrackedResource):
    """An import of facts: each new row names its source in two more columns,
    ``citation_source`` (the source's id) and ``citation_paragraph``. A new row without them
    is refused like any invalid row; the new record is cited to them."""

    SOURCE_COLUMN = "citation_source"
    PARAGRAPH_COLUMN = "citation_paragraph"

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None:
            try:
                instance._citation_request = self.citation_of(row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def citation_of(self, row):
        value = str(row.get(self.SOURCE_COLUMN) or "").strip()
        source = Source.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if source is None:
            raise ValidationError(
                {
                    self.SOURCE_COLUMN: _(
                        "A new record needs the id of its source in the column "
                        "%(source)s and the paragraph in %(paragraph)s."
                    )
                    % {"source": self.SOURCE_COLUMN, "paragraph": self.PARAGRAPH_COLUMN}
                }
            )
        request = CitationRequest(
            source=source, paragraph=str(row.get(self.PARAGRAPH_COLUMN) or "").strip()
        )
        try:
            request.check()
        except ValidationError as error:
            raise ValidationError({self.PARAGRAPH_COLUMN: error.messages}) from None
        return request

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        request = getattr(instance, "_citation_request", None)
        if request is not None:
            cite([instance], request)
            instance._citation_request = None


class CitedInlineFormSetMixin:
    """Refuses new rows unless the page's "Source for new records" box names a source."""

    def new_rows(self):
        return [
            form
            for form in self.extra_forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self):
        super().clean()
        if not self.new_rows():
            return
        if not CitationForm(self.data, prefix=CITE_PREFIX, user=None).is_valid():
            raise ValidationError(
                _(
                    'New %(what)s need a source: fill in "Source for new records" below '
                    "(a source and paragraph, or your own observation)."
                )
                % {"what": self.model._meta.verbose_name_plural}
            )


class CitedInlineMixin:
    """For an inline of facts: new rows must be cited (``CitedInlineFormSetMixin``)."""

    cites_new_rows = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not issubclass(formset, CitedInlineFormSetMixin):
            formset = type(formset.__name__, (CitedInlineFormSetMixin, formset), {})
        return formset


class CitingAdminMixin:
    """For the admin of a fact (``cites_new_records``) or of a record with cited inlines."""

    change_form_template = "admin/cited_change_form.html"
    # True for facts: a new record needs a citation on its own add page (and in an import).
    cites_new_records = True

    def get_resource_classes(self, request):
        base = self.tracked_resource
        if self.cites_new_records and not issubclass(base, CitedResource):
            base = CitedResource
        return [resources.modelresource_factory(self.model, resource_class=base)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        needs_source = self.cites_new_records and obj is None

        class CitingForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.citation_form = CitationForm(
                    self.data if self.is_bound else None, prefix=CITE_PREFIX, user=request.user
                )
                self.citation_checked = False

            def clean(self):
                cleaned = super().clean()
                if needs_source:
                    self.citation_checked = True
                    if not self.citation_form.is_valid():
                        self.add_error(
                            None,
                            _(
                                'A new record needs a source: fill in "Source for new '
                                'records" (a source and paragraph, or your own observation).'
                            ),
                        )
                return cleaned

        CitingForm.__name__ = form.__name__
        return CitingForm

    def _citation(self, form):
        """The page's citation, resolved once (one observation is one source)."""
        if not hasattr(form, "resolved_citation"):
            form.citation_form.is_valid()
            form.resolved_citation = resolved(form.citation_form.citation)
        return form.resolved_citation

    def save_related(self, request, form, formsets, change):
        # After save_model, however a subclass saves the record (custody: a service).
        super().save_related(request, form, formsets, change)
        if not change and self.cites_new_records:
            cite([form.instance], self._citation(form))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if isinstance(formset, CitedInlineFormSetMixin) and formset.new_objects:
            cite(formset.new_objects, self._citation(form))
