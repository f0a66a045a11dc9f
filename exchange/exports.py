"""What each bulk export contains. Which types are exported is the registry's ``exported`` flag
(core/registry.py); this module says how, per type name. JSON exports reuse the API's
serializers (the same nesting and the same visibility filtering), or for cases below monitor
level the API's writer of the same output from plain rows; CSV exports are flat rows read
with ``values()``. Both are keyed by the type's API path, the export's name in URLs."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases.api import listing
from cases.api.serializers import (
    CaseDetailSerializer,
    ChargeSerializer,
    CitationSerializer,
    SourceSerializer,
)
from cases.models import Case, Charge, Citation, Source
from cases.selectors import cases_with_tree, decisions_with_charges, with_visible_subjects
from core import registry
from core.dates import iso_at_precision, precision_of
from core.models import updated_column
from core.visibility import Visibility, level_for
from defendants.api.custody import CustodyPeriodSerializer
from defendants.api.serializers import DefendantDetailSerializer
from defendants.models import CustodyPeriod, Defendant
from defendants.selectors import defendants_with_tree
from hearings.api.serializers import (
    DecisionSerializer,
    HearingSerializer,
)
from hearings.models import Decision, Hearing


def _gated(queryset, viewer):
    return queryset


class Gated:
    """Which records an export holds for a caller: the visibility gate, and for a type whose
    visibility needs more (a citation is no more visible than the record it cites) its
    ``gate``."""

    def visible(self, viewer):
        return self.gate(self.model.objects.visible_to(viewer), viewer)


@dataclass(frozen=True)
class PlainRows:
    """How a type's records are written from plain rows for callers below monitor level, the
    serializer's output without its model instances (cases/api/listing.py): ``read(ids)``
    returns a chunk's rows, ``write(rows, level)`` the records."""

    read: Callable
    write: Callable


@dataclass
class JsonExport(Gated):
    model: type
    serializer: Callable
    prefetch: Callable  # (user) -> queryset of the model with its prefetches
    gate: Callable = _gated  # (queryset, viewer) -> queryset
    plain: PlainRows | None = None  # below monitor level, instead of the serializer

    def build(self, request, ids):
        if self.from_rows(request):
            return self.plain.read(ids)
        return self.prefetch(request.user).filter(pk__in=ids).order_by("pk")

    def serialize(self, request, records):
        if self.from_rows(request):
            return self.plain.write(records, level_for(request.user))
        context = {"request": request, "as_of": timezone.localdate()}
        return self.serializer(records, many=True, context=context).data

    def from_rows(self, request):
        """Monitors, who receive more fields, always get the serializer's answer."""
        return self.plain is not None and level_for(request.user) < Visibility.MONITORS


@dataclass
class CsvExport(Gated):
    model: type
    columns: list
    fields: dict  # column -> ORM path
    gate: Callable = _gated  # (queryset, viewer) -> queryset
    written: dict = field(default_factory=dict)  # column -> how a value is written

    def rows(self, request, ids):
        # ``updated_at`` as the API gives it to the same caller (core.models.ContainerModel).
        fields = {"updated_at": updated_column(self.model, request.user), **self.fields}
        paths = [fields.get(c, c) for c in self.columns]
        queryset = self.model.objects.filter(pk__in=ids).order_by("pk").values_list(*paths)
        dates = [c.removesuffix("_precision") for c in self.columns if c.endswith("_precision")]
        for values in queryset:
            row = dict(zip(self.columns, values, strict=True))
            for date in dates:  # written as the JSON writes it: 2023-10 with "month"
                precision = f"{date}_precision"
                row[date], row[precision] = (
                    iso_at_precision(row[date], row[precision]),
                    precision_of(row[date], row[precision]),
                )
            for column, write in self.written.items():
                row[column] = write(row[column])
            yield row


def _type_name(content_type_id):
    """A cited record's type by its one name, its API path (as the API's ``subject_type``)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    record_type = registry.for_model(model) if model else None
    return record_type.partner_name if record_type else ""


def _cases(user):
    return cases_with_tree(user, detail=True)


def _defendants(user):
    return defendants_with_tree(user, detail=True)


def _plain(model):
    return lambda user: model.objects.all()


def _json_exports():

    return {
        "case": JsonExport(
            Case,
            CaseDetailSerializer,
            _cases,
            plain=PlainRows(listing.case_rows, listing.case_details),
        ),
        "defendant": JsonExport(Defendant, DefendantDetailSerializer, _defendants),
        "charge": JsonExport(
            Charge, ChargeSerializer, lambda user: Charge.objects.select_related("article__law")
        ),
        "hearing": JsonExport(Hearing, HearingSerializer, _plain(Hearing)),
        "decision": JsonExport(
            Decision,
            DecisionSerializer,
            decisions_with_charges,
        ),
        "custody-period": JsonExport(CustodyPeriod, CustodyPeriodSerializer, _plain(CustodyPeriod)),
        "citation": JsonExport(
            Citation,
            CitationSerializer,
            lambda user: Citation.objects.select_related("source", "content_type"),
            with_visible_subjects,
        ),
        "source": JsonExport(Source, SourceSerializer, _plain(Source)),
    }


_CSV_EXPORTS = {
    "case": CsvExport(
        Case,
        [
            "id",
            "title",
            "title_km",
            "case_number",
            "status",
            "status_as_of",
            "court",
            "court_level",
            "province",
            "certainty",
            "updated_at",
        ],
        {
            "court": "court__name_en",
            "court_level": "court__level",
            "province": "court__province__name_en",
        },
    ),
    "defendant": CsvExport(
        Defendant,
        [
            "id",
            "name",
            "name_km",
            "description",
            "sex",
            "category",
            "province",
            "certainty",
            "updated_at",
        ],
        {"province": "province__name_en"},
    ),
    "charge": CsvExport(
        Charge,
        [
            "id",
            "case_id",
            "case_title",
            "defendant_id",
            "defendant_name",
            "defendant_name_km",
            "law",
            "article",
            "article_as_cited",
            "label",
            "date_filed",
            "date_filed_precision",
            "status",
            "certainty",
            "updated_at",
        ],
        {
            "case_title": "case__title",
            "defendant_name": "defendant__name",
            "defendant_name_km": "defendant__name_km",
            "law": "article__law__short_name",
            "article": "article__number",
        },
    ),
    "hearing": CsvExport(
        Hearing,
        [
            "id",
            "case_id",
            "court",
            "date",
            "date_precision",
            "time",
            "kind",
            "status",
            "monitored",
            "outcome",
            "certainty",
            "updated_at",
        ],
        {"court": "court__name_en"},
    ),
    "decision": CsvExport(
        Decision,
        [
            "id",
            "case_id",
            "defendant_id",
            "court",
            "court_level",
            "kind",
            "date",
            "date_precision",
            "prison_months",
            "suspended_months",
            "fined",
            "fine_riel",
            "compensation_ordered",
            "compensation_riel",
            "compensation_to",
            "political_rights_ban_years",
            "in_absentia",
            "certainty",
            "updated_at",
        ],
        {"court": "court__name_en"},
    ),
    "custody-period": CsvExport(
        CustodyPeriod,
        [
            "id",
            "defendant_id",
            "case_id",
            "kind",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "certainty",
            "last_confirmed",
            "updated_at",
        ],
        {},
    ),
    "citation": CsvExport(
        Citation,
        [
            "id",
            "source_id",
            "source_title",
            "paragraph",
            "note",
            "subject_type",
            "subject_id",
            "updated_at",
        ],
        {
            "source_title": "source__title",
            "subject_type": "content_type_id",
            "subject_id": "object_id",
        },
        gate=with_visible_subjects,
        written={"subject_type": _type_name},
    ),
    "source": CsvExport(
        Source,
        [
            "id",
            "title",
            "short_title",
            "symbol",
            "publisher",
            "date",
            "date_precision",
            "covers_from",
            "covers_until",
            "url",
            "kind",
            "paragraph_count",
            "updated_at",
        ],
        {},
    ),
}


def _by_path(exports):
    """``exports`` (by type name) for each exported type, by its API path. A type flagged
    exported without both a JSON and a CSV export fails here, when the module is loaded."""
    return {t.path: exports[t.name] for t in registry.exported()}


JSON_EXPORTS = _by_path(_json_exports())
CSV_EXPORTS = _by_path(_CSV_EXPORTS)
