"""The API's case list for partners and anonymous readers, built from plain rows.

The case list is what partner NGOs sync, fifty cases a page with their defendants, charges
and hearings: about a thousand nested records. Through DRF serializers each of them becomes a
model instance and then a walk over its fields, which costs about nine times what PostgreSQL
needs to build the same JSON itself (see ``make bench``). Here each nested list is one query of
plain tuples, visibility-checked by ``visible_under`` (the rule of ``visible_to``), and the
dictionaries are written directly.

The output is ``CaseListSerializer``'s, field for field and in the same order; monitors, who
receive more fields, still go through the serializer. ``tests/api/test_case_listing.py`` holds
the two to the same answer, so a field added to one and not the other fails a test.

A case's detail (``CaseDetailSerializer``: the list's fields, then its decisions, custody
periods and citations) is written the same way, by ``case_details``: it is what the detail
endpoint answers and, case after case, what the bulk JSON export of cases streams (through
the serializer, a partner's export of 2,000 synthetic cases took four times as long). The
same test file holds it to ``CaseDetailSerializer``'s answer.
"""

from datetime import UTC, datetime

from django.db.models import TextField
from django.db.models.functions import Cast

from cases.models import Case, CaseDefendant, Charge, Citation
from core.dates import iso_at_precision, precision_of
from core.models import CHANGED_COLUMNS, updated_column
from defendants.models import CustodyPeriod
from hearings.api.serializers import with_visible_hearing
from hearings.models import Decision, Hearing

# The case's own columns, as ``values()`` names them (the timestamps stay datetimes: the
# cursor paginator reads its position from them). ``updated_at`` is the column of the
# caller's level (core.models.ContainerModel), which ordering by ``updated_at`` follows too.
CASE_COLUMNS = (
    "id",
    "title",
    "title_km",
    "case_number",
    "status",
    "status_as_of",
    "certainty",
    "court_id",
    "court__name_en",
    "court__name_km",
    "court__level",
    "court__province__name_en",
    "summary",
    "summary_km",
    "defendant_count_is_minimum",
    "created_at",
    *CHANGED_COLUMNS.values(),
)


def timestamps():
    """A function writing timestamps as the API's UtcDateTimeField does: ISO 8601 in UTC
    with ``Z`` (core.dates.utc_iso, inlined: it runs for each of a page's thousand timestamps).

    It takes a datetime, or the database's text for one (see ``as_text``): PostgreSQL's ISO
    text in UTC, or SQLite's naive UTC text."""
    zone = UTC

    def write(value):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def as_text(column):
    """A timestamp column read as text: the database driver's timestamp parsing is the
    slowest step of reading a row, and ``timestamps()`` parses text faster. (Formatting it in
    PostgreSQL with to_char, measured, is slower still.)"""
    return Cast(column, TextField())


def grouped(rows):
    """{first value: [rows]} for rows whose first value is the case's id, keeping their order."""
    groups = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    return groups


def case_list(rows, viewer):
    """The case list's results for the case ``rows`` (dicts of ``CASE_COLUMNS``) as
    ``viewer``, below monitor level, sees them: five queries whatever the page size."""
    ids = [row["id"] for row in rows]
    timestamp = timestamps()
    changed = updated_column(Case, viewer)
    tags = grouped(
        Case.tags.through.objects.filter(case_id__in=ids)
        .order_by("tag__slug")
        .values_list("case_id", "tag__slug")
    )
    parties = grouped(
        CaseDefendant.objects.visible_under(viewer, "case", ids)
        .order_by("id")
        .values_list(
            "case_id",
            "defendant_id",
            "defendant__name",
            "defendant__name_km",
            "defendant__description",
            "defendant__category",
            "defendant__sex",
        )
    )
    charges = grouped(
        Charge.objects.visible_under(viewer, "case", ids)
        .annotate(created=as_text("created_at"), updated=as_text("updated_at"))
        .values_list(
            "case_id",
            "id",
            "defendant_id",
            "article_id",
            "article__number",
            "article__law__short_name",
            "article__title_en",
            "article__title_km",
            "article__offence_class",
            "article_as_cited",
            "label",
            "date_filed",
            "date_filed_precision",
            "status",
            "certainty",
            "created",
            "updated",
        )
    )
    hearings = grouped(
        Hearing.objects.visible_under(viewer, "case", ids)
        .annotate(created=as_text("created_at"), updated=as_text("updated_at"))
        .values_list(
            "case_id",
            "id",
            "court_id",
            "date",
            "date_precision",
            "time",
            "kind",
            "status",
            "monitored",
            "outcome",
            "fair_trial_observations",
            "certainty",
            "created",
            "updated",
        )
    )
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "title_km": row["title_km"],
            "case_number": row["case_number"],
            "status": row["status"],
            "status_as_of": row["status_as_of"] and row["status_as_of"].isoformat(),
            "certainty": row["certainty"],
            "court": court(row),
            "summary": row["summary"],
            "summary_km": row["summary_km"],
            "tags": [slug for _, slug in tags.get(row["id"], ())],
            "defendant_count_is_minimum": row["defendant_count_is_minimum"],
            "defendants": [party(values) for values in parties.get(row["id"], ())],
            "charges": [charge(values, timestamp) for values in charges.get(row["id"], ())],
            "hearings": [hearing(values, timestamp) for values in hearings.get(row["id"], ())],
            "created_at": timestamp(row["created_at"]),
            "updated_at": timestamp(row[changed]),
        }
        for row in rows
    ]


def court(row):
    if row["court_id"] is None:
        return None
    return {
        "id": row["court_id"],
        "name_en": row["court__name_en"],
        "name_km": row["court__name_km"],
        "level": row["court__level"],
        "province": row["court__province__name_en"],
    }


def party(values):
    _, pk, name, name_km, description, category, sex = values
    return {
        "id": pk,
        "name": name,
        "name_km": name_km,
        "description": description,
        "category": category,
        "sex": sex,
    }


def charge(values, timestamp):
    (
        case_id,
        pk,
        defendant_id,
        article_id,
        number,
        law,
        title_en,
        title_km,
        offence_class,
        article_as_cited,
        label,
        date_filed,
        precision,
        status,
        certainty,
        created,
        updated,
    ) = values
    return {
        "id": pk,
        "case": case_id,
        "defendant": defendant_id,
        "article": None
        if article_id is None
        else {
            "id": article_id,
            "number": number,
            "law": law,
            "title_en": title_en,
            "title_km": title_km,
            "offence_class": offence_class,
        },
        "article_as_cited": article_as_cited,
        "label": label,
        "date_filed": iso_at_precision(date_filed, precision),
        "date_filed_precision": precision_of(date_filed, precision),
        "status": status,
        "certainty": certainty,
        "created_at": timestamp(created),
        "updated_at": timestamp(updated),
    }


def hearing(values, timestamp):
    (
        case_id,
        pk,
        court_id,
        date,
        precision,
        time,
        kind,
        status,
        monitored,
        outcome,
        observations,
        certainty,
        created,
        updated,
    ) = values
    return {
        "id": pk,
        "case": case_id,
        "court": court_id,
        "date": iso_at_precision(date, precision),
        "date_precision": precision,
        "time": time and time.isoformat(),
        "kind": kind,
        "status": status,
        "monitored": monitored,
        "outcome": outcome,
        "fair_trial_observations": observations,
        "certainty": certainty,
        "created_at": timestamp(created),
        "updated_at": timestamp(updated),
    }


def case_rows(ids):
    """The rows ``case_list`` and ``case_details`` write, for the cases ``ids`` in id order
    (the caller has already chosen which cases the viewer may see)."""
    return Case.objects.filter(pk__in=ids).order_by("pk").values(*CASE_COLUMNS)


def case_details(rows, viewer):
    """The case details for the case ``rows`` (dicts of ``CASE_COLUMNS``) as ``viewer``,
    below monitor level, sees them: ``case_list``'s records, each followed by its decisions
    (with the charges they rule on), custody periods and citations; four queries more."""
    ids = [row["id"] for row in rows]
    timestamp = timestamps()
    decisions = grouped(
        with_visible_hearing(Decision.objects.visible_under(viewer, "case", ids), viewer)
        .annotate(created=as_text("created_at"), updated=as_text(updated_column(Decision, viewer)))
        .values_list(
            "case_id",
            "id",
            "defendant_id",
            "visible_hearing_id",  # a decision names its hearing only if the viewer sees it
            "court_id",
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
            "summary",
            "certainty",
            "created",
            "updated",
        )
    )
    # The charges a decision rules on that the viewer may see, in the charges' own order,
    # as the serializer lists them.
    ruled_on = grouped(
        Charge.objects.visible_to(viewer)
        .filter(decisions__case_id__in=ids)
        .values_list("decisions", "id")
    )
    periods = grouped(
        CustodyPeriod.objects.visible_under(viewer, "case", ids)
        .annotate(created=as_text("created_at"), updated=as_text("updated_at"))
        .values_list(
            "case_id",
            "id",
            "defendant_id",
            "kind",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "note",
            "certainty",
            "last_confirmed",
            "created",
            "updated",
        )
    )
    # The case's own citations (a GenericRelation: not the citations of what it nests).
    # ``id`` last only breaks ties the model's ordering leaves to the database.
    citations = grouped(
        Citation.objects.visible_to(viewer)
        .filter(content_type__app_label="cases", content_type__model="case", object_id__in=ids)
        .order_by(*Citation._meta.ordering, "id")
        .values_list("object_id", "source_id", "source__title", "paragraph", "note")
    )
    return [
        {
            **listed,
            "decisions": [
                decision(values, ruled_on, timestamp) for values in decisions.get(listed["id"], ())
            ],
            "custody_periods": [
                custody_period(values, timestamp) for values in periods.get(listed["id"], ())
            ],
            "citations": [
                {"source": source, "source_title": title, "paragraph": paragraph, "note": note}
                for _, source, title, paragraph, note in citations.get(listed["id"], ())
            ],
        }
        for listed in case_list(rows, viewer)
    ]


def decision(values, ruled_on, timestamp):
    (
        case_id,
        pk,
        defendant_id,
        hearing_id,
        court_id,
        court_level,
        kind,
        date,
        precision,
        prison_months,
        suspended_months,
        fined,
        fine_riel,
        compensation_ordered,
        compensation_riel,
        compensation_to,
        ban_years,
        in_absentia,
        summary,
        certainty,
        created,
        updated,
    ) = values
    return {
        "id": pk,
        "case": case_id,
        "defendant": defendant_id,
        "hearing": hearing_id,
        "court": court_id,
        "court_level": court_level,
        "kind": kind,
        "date": iso_at_precision(date, precision),
        "date_precision": precision_of(date, precision),
        "charges": [charge_id for _, charge_id in ruled_on.get(pk, ())],
        "prison_months": prison_months,
        "suspended_months": suspended_months,
        "fined": fined,
        "fine_riel": fine_riel,
        "compensation_ordered": compensation_ordered,
        "compensation_riel": compensation_riel,
        "compensation_to": compensation_to,
        "political_rights_ban_years": ban_years,
        "in_absentia": in_absentia,
        "summary": summary,
        "certainty": certainty,
        "created_at": timestamp(created),
        "updated_at": timestamp(updated),
    }


def custody_period(values, timestamp):
    (
        case_id,
        pk,
        defendant_id,
        kind,
        start,
        start_precision,
        end,
        end_precision,
        note,
        certainty,
        last_confirmed,
        created,
        updated,
    ) = values
    return {
        "id": pk,
        "defendant": defendant_id,
        "case": case_id,
        "kind": kind,
        "start": iso_at_precision(start, start_precision),
        "start_precision": precision_of(start, start_precision),
        "end": iso_at_precision(end, end_precision),
        "end_precision": precision_of(end, end_precision),
        "note": note,
        "certainty": certainty,
        "last_confirmed": last_confirmed and last_confirmed.isoformat(),
        "created_at": timestamp(created),
        "updated_at": timestamp(updated),
    }
