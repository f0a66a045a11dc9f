"""What the one search looks in: a provider per record type, in the order results of equal rank
are listed.

Each provider says which records of its type a reader may find, through the one visibility
gate (``Model.objects.visible_to(level)``), and which of their fields are searched and shown in
snippets. Only fields that everyone who may see the record may read are listed: never a
monitors-only field (core/visibility.py, ``MONITOR_ONLY_FIELDS``: review notes, a hearing's
monitor notes) nor a field with a level of its own, so a word from them finds nothing and
shows in no snippet.

A new type is one more ``Provider`` in ``PROVIDERS``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import BigIntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import in_reader_language


@dataclass(frozen=True)
class Provider:
    record_type: str  # its API list's path: the one name partners see for the type
    label: str  # one record, for result lists ("Case")
    plural: str  # the type filter's choice ("Cases")
    model: str  # "cases.Case"
    fields: tuple  # searched and shown in snippets; a related field as "law__short_name"
    names: tuple  # the fields that name the record: a record named exactly as searched first
    title: Callable  # record -> the title shown
    page_url: Callable  # record -> its public page
    in_year: Callable | None = None  # (queryset, year, level) -> the records of that year
    related: tuple = ()  # select_related for title and url
    # Romanised names, also found when spelt otherwise ("Kim Sokha" for "Kem Sokha"). Only a
    # person's: a title or a court's name alike in most of its words is another record.
    alike: tuple = ()
    api_name: str = field(default="")  # the API detail's URL name, "case-detail"
    # (queryset, level) -> the queryset with what ``title`` and ``page_url`` read beyond the
    # record's own fields (a document's case), read in the same query.
    annotate: Callable | None = None

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def visible(self, level):
        """The records of this type ``level`` may see: the one visibility gate."""
        records = self.model_class.objects.visible_to(level).select_related(*self.related)
        return self.annotate(records, level) if self.annotate else records

    def api_url(self, record):
        return reverse(f"api:{self.api_name}", args=[record.pk])


def visible_ids(label, level, column, **conditions):
    """Ids (``column``) of the ``label`` records ``level`` may see that meet ``conditions``."""
    model = apps.get_model(label)
    return model.objects.visible_to(level).filter(**conditions).values(column)


def case_in_year(queryset, year, level):
    """A case of a year: a charge filed, a hearing or a decision in it that ``level`` may see
    (the case list's year filter, cases/filters.py)."""
    return queryset.filter(
        Q(pk__in=visible_ids("cases.Charge", level, "case_id", date_filed__year=year))
        | Q(pk__in=visible_ids("hearings.Hearing", level, "case_id", date__year=year))
        | Q(pk__in=visible_ids("hearings.Decision", level, "case_id", date__year=year))
    )


def person_in_year(queryset, year, level):
    """A person of a year: a charge filed, a custody period begun or a decision in it."""
    return queryset.filter(
        Q(pk__in=visible_ids("cases.Charge", level, "defendant_id", date_filed__year=year))
        | Q(pk__in=visible_ids("defendants.CustodyPeriod", level, "defendant_id", start__year=year))
        | Q(pk__in=visible_ids("hearings.Decision", level, "defendant_id", date__year=year))
    )


# The records that cite a source, each with the column naming its case: a document found by a
# word in its text is shown as part of the case whose facts it proves.
CITING = (
    ("cases", "case", "pk"),
    ("hearings", "decision", "case_id"),
    ("hearings", "hearing", "case_id"),
    ("cases", "charge", "case_id"),
    ("defendants", "custodyperiod", "case_id"),
    ("cases", "casedefendant", "case_id"),
)


def with_citing_case(documents, level):
    """``documents`` with ``case_id`` and ``case_title``: the first case (by id) that ``level``
    may see whose own record, or one of whose records, cites the document's source in a
    citation ``level`` may see; None where no such case. Subqueries of the one query."""
    cases = []
    for app_label, model_name, column in CITING:
        cites = visible_ids(
            "cases.Citation",
            level,
            "object_id",
            content_type__app_label=app_label,
            content_type__model=model_name,
        ).filter(source_id=OuterRef(OuterRef("source_id")))
        records = apps.get_model(app_label, model_name).objects.visible_to(level)
        cases.append(Subquery(records.filter(pk__in=cites).order_by(column).values(column)[:1]))
    titles = apps.get_model("cases.Case").objects.filter(pk=OuterRef("case_id"))
    return documents.annotate(case_id=Coalesce(*cases, output_field=BigIntegerField())).annotate(
        case_title=Subquery(titles.values("title")[:1]),
        case_title_km=Subquery(titles.values("title_km")[:1]),
    )


def document_title(document):
    name = f"{document.source} — {document.original_name}"
    if document.case_id is None:
        return name
    return f"{in_reader_language(document.case_title, document.case_title_km)} · {name}"


def document_page(document):
    """The case the document belongs to, or the file itself when no case cites its source."""
    if document.case_id:
        return reverse("case-detail", args=[document.case_id])
    return reverse("document-download", args=[document.pk])


def hearing_title(hearing):
    case = in_reader_language(hearing.case.title, hearing.case.title_km)
    return f"{capfirst(hearing.get_kind_display())} — {hearing.when} — {case}"


def cases_at(filter_name):
    return lambda record: f"{reverse('case-list')}?{filter_name}={record.pk}"


PROVIDERS = [
    Provider(
        record_type="cases",
        label=_("Case"),
        plural=_("Cases"),
        model="cases.Case",
        fields=("title", "title_km", "case_number", "summary", "summary_km"),
        names=("title", "title_km"),
        title=lambda case: in_reader_language(case.title, case.title_km),
        page_url=lambda case: reverse("case-detail", args=[case.pk]),
        in_year=case_in_year,
        api_name="case-detail",
    ),
    Provider(
        record_type="defendants",
        label=_("Person"),
        plural=_("People"),
        model="defendants.Defendant",
        fields=("name", "name_km", "aliases", "description"),
        names=("name", "name_km"),
        alike=("name",),
        title=lambda person: " · ".join(filter(None, [str(person), person.name_km])),
        page_url=lambda person: reverse("defendant-detail", args=[person.pk]),
        in_year=person_in_year,
        api_name="defendant-detail",
    ),
    Provider(
        record_type="articles",
        label=_("Article"),
        plural=_("Articles"),
        model="cases.Article",
        fields=("number", "title_en", "title_km", "law__short_name", "law__title_en"),
        names=("title_en", "title_km"),
        title=lambda article: f"{article} — {article.title}",
        page_url=lambda article: reverse("article-detail", args=[article.pk]),
        related=("law",),
        api_name="article-detail",
    ),
    Provider(
        record_type="courts",
        label=_("Court"),
        plural=_("Courts"),
        model="cases.Court",
        fields=("name_en", "name_km"),
        names=("name_en", "name_km"),
        title=str,
        page_url=cases_at("court"),
        api_name="court-detail",
    ),
    Provider(
        record_type="organisations",
        label=_("Organisation"),
        plural=_("Organisations"),
        model="defendants.Organisation",
        fields=("name_en", "name_km", "acronym"),
        names=("name_en", "name_km", "acronym"),
        title=lambda org: f"{org} ({org.acronym})" if org.acronym else str(org),
        page_url=cases_at("organisation"),
        api_name="organisation-detail",
    ),
    Provider(
        record_type="hearings",
        label=_("Hearing"),
        plural=_("Hearings"),
        model="hearings.Hearing",
        # What the public record of a hearing says; never ``monitor_notes``.
        fields=("outcome", "fair_trial_observations"),
        names=(),
        title=hearing_title,
        page_url=lambda hearing: reverse("case-detail", args=[hearing.case_id]),
        in_year=lambda queryset, year, level: queryset.filter(date__year=year),
        related=("case",),
        api_name="hearing-detail",
    ),
    Provider(
        record_type="documents",
        label=_("Document"),
        plural=_("Documents"),
        model="documents.Document",
        # Its extracted text (documents/), and what names the file and its source.
        fields=("text", "original_name", "source__title", "source__symbol"),
        names=(),
        title=document_title,
        page_url=document_page,
        in_year=lambda queryset, year, level: queryset.filter(source__date__year=year),
        related=("source",),
        annotate=with_citing_case,
        api_name="document-detail",
    ),
]

BY_TYPE = {provider.record_type: provider for provider in PROVIDERS}


def type_choices():
    return [(provider.record_type, provider.plural) for provider in PROVIDERS]
