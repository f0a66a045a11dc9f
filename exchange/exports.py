"""What each bulk export contains. JSON exports reuse the API's serializers (the same nesting
and the same visibility filtering); CSV exports are flat rows read with ``values()``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from cases.api.serializers import CaseDetailSerializer, ChargeSerializer
from cases.models import Case, Charge
from cases.selectors import cases_with_tree, decisions_with_charges
from defendants.api.custody import CustodyPeriodSerializer
from defendants.api.serializers import DefendantDetailSerializer
from defendants.models import CustodyPeriod, Defendant
from defendants.selectors import defendants_with_tree
from hearings.api.serializers import (
    DecisionSerializer,
    HearingSerializer,
)
from hearings.models import Decision, Hearing


@dataclass
class JsonExport:
    model: type
    serializer: Callable
    prefetch: Callable  # (user) -> queryset of the model with its prefetches

    def build(self, request, ids):
        return self.prefetch(request.user).filter(pk__in=ids).order_by("pk")

    def serialize(self, request, records):
        context = {"request": request, "as_of": timezone.localdate()}
        return self.serializer(records, many=True, context=context).data


@dataclass
class CsvExport:
    model: type
    columns: list
    fields: dict  # column -> ORM path

    def rows(self, request, ids):
        paths = [self.fields.get(c, c) for c in self.columns]
        queryset = self.model.objects.filter(pk__in=ids).order_by("pk").values_list(*paths)
        for values in queryset:
            yield dict(zip(self.columns, values, strict=True))


def _cases(user):
    return cases_with_tree(user, detail=True)


def _defendants(user):
    return defendants_with_tree(user, detail=True)


def _plain(model):
    return lambda user: model.objects.all()


def _json_exports():

    return {
        "cases": JsonExport(Case, CaseDetailSerializer, _cases),
        "defendants": JsonExport(Defendant, DefendantDetailSerializer, _defendants),
        "charges": JsonExport(
            Charge, ChargeSerializer, lambda user: Charge.objects.select_related("article__law")
        ),
        "hearings": JsonExport(Hearing, HearingSerializer, _plain(Hearing)),
        "decisions": JsonExport(
            Decision,
            DecisionSerializer,
            decisions_with_charges,
        ),
        "custody-periods": JsonExport(
            CustodyPeriod, CustodyPeriodSerializer, _plain(CustodyPeriod)
        ),
    }


JSON_EXPORTS = _json_exports()

CSV_EXPORTS = {
    "cases": CsvExport(
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
            "updated_at",
        ],
        {
            "court": "court__name_en",
            "court_level": "court__level",
            "province": "court__province__name_en",
        },
    ),
    "defendants": CsvExport(
        Defendant,
        ["id", "name", "name_km", "description", "sex", "category", "province", "updated_at"],
        {"province": "province__name_en"},
    ),
    "charges": CsvExport(
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
    "hearings": CsvExport(
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
            "updated_at",
        ],
        {"court": "court__name_en"},
    ),
    "decisions": CsvExport(
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
            "updated_at",
        ],
        {"court": "court__name_en"},
    ),
    "custody-periods": CsvExport(
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
            "updated_at",
        ],
        {},
    ),
}
