"""Fair-trial indicators: per right, the share of observed hearings where it was violated, with
the number of hearings behind each figure (#16, item 4).

Computed through the visibility gate at the level asked for; the statistics page asks for the
public level, so a finding still held to monitors or partners changes no published figure.
A right is followed across checklist versions by its item's ``code``.

``indicators_by_dimension`` breaks the same figures down by the hearing's court, by each article
charged in its case and by its year.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from cases.models import Article, Charge, Law, in_reader_language
from core.sql import compiled, fetch
from fairtrial.models import Answer, ChecklistItem, Finding

# What a monitor could not see, or what did not arise, says nothing about the right.
OBSERVED = (Finding.RESPECTED, Finding.VIOLATED, Finding.PARTLY)
# A right partly respected was not respected.
BREACHED = (Finding.VIOLATED, Finding.PARTLY)


def percent(part, whole):
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class RightIndicator:
    code: str
    label: str
    hearings: int  # hearings where the right was observed
    violated: int  # of which it was violated or partly respected, for at least one defendant

    @property
    def violated_percent(self):
        return percent(self.violated, self.hearings)

    @property
    def respected(self):
        """Hearings where the right was observed and respected for every defendant."""
        return self.hearings - self.violated

    @property
    def respected_percent(self):
        return percent(self.respected, self.hearings)


def observed_answers(viewer):
    return Answer.objects.visible_to(viewer).filter(finding__in=OBSERVED)


def hearing_counts(answers):
    """``answers`` grouped as already asked, each group with its hearings (observed) and those
    where the right was breached for at least one defendant."""
    return answers.annotate(
        hearings=Count("hearing_id", distinct=True),
        violated=Count("hearing_id", distinct=True, filter=Q(finding__in=BREACHED)),
    ).order_by()


def rights_in_order(codes):
    """``{code: label}`` for ``codes``, in the order of the newest checklist, with the newest
    wording of each right. One query."""
    if not codes:
        return {}
    newest = {}
    items = (
        ChecklistItem.objects.filter(code__in=codes)
        .order_by("-checklist__number", "position")
        .values_list("code", "text_en", "checklist__number", "position")
    )
    for code, text, number, position in items:
        newest.setdefault(code, (-number, position, text))
    return {code: newest[code][2] for code in sorted(newest, key=lambda code: newest[code][:2])}


def right_indicators(viewer):
    """One ``RightIndicator`` per right observed at a hearing ``viewer`` may see, in the order
    of the newest checklist. Two queries."""
    counts = hearing_counts(observed_answers(viewer).values("item__code"))
    by_code = {row["item__code"]: row for row in counts}
    return [
        RightIndicator(code, label, by_code[code]["hearings"], by_code[code]["violated"])
        for code, label in rights_in_order(by_code).items()
    ]


@dataclass(frozen=True)
class Breakdown:
    """The indicators of each right for each value of one dimension (a court, an article, a
    year): ``rows`` is ``[(label, {code: RightIndicator})]``, a right missing where it was
    never observed; ``rights`` is ``{code: label}``, the columns, in checklist order."""

    dimension: str
    rights: dict
    rows: list

    @property
    def table(self):
        """``(label, [RightIndicator or None per right])`` per row, in the columns' order."""
        return [(label, [cells.get(code) for code in self.rights]) for label, cells in self.rows]


NO_COURT = _("court not recorded")


def by_court(answers):
    """Per court: the hearing's own, or its case's where the hearing names none."""
    rows = hearing_counts(
        answers.annotate(
            court=Coalesce("hearing__court_id", "case__court_id"),
            court_en=Coalesce("hearing__court__name_en", "case__court__name_en"),
            court_km=Coalesce("hearing__court__name_km", "case__court__name_km"),
        ).values("court", "court_en", "court_km", "item__code")
    )
    keyed = []
    for row in rows:
        if row["court"] is None:
            keyed.append(((1, "", None), str(NO_COURT), row))
        else:
            label = in_reader_language(row["court_en"], row["court_km"])
            keyed.append(((0, label, row["court"]), label, row))
    return keyed


def by_article(answers, viewer):
    """Per article charged in the hearing's case, counting only charges ``viewer`` may see: a
    charge still confidential says nothing about which articles a hearing was about.

    A hearing's answers are first reduced to one row per right (breached or not for anyone),
    and each case's articles listed once, before they meet: joined to every charge, a case's
    answers were repeated for each person charged under each article (657,000 rows at 20,000
    cases) before being counted."""
    articles = (
        Charge.objects.visible_to(viewer)
        .filter(article__isnull=False)
        .annotate(c_case=F("case_id"), c_article=F("article_id"))
        .values_list("c_case", "c_article")
        .distinct()
        .order_by()
    )
    observed = (
        answers.annotate(
            o_case=F("case_id"),
            o_hearing=F("hearing_id"),
            o_finding=F("finding"),
            o_code=F("item__code"),
        )
        .values_list("o_case", "o_hearing", "o_finding", "o_code")
        .order_by()
    )
    parts = compiled(articles, observed)
    if parts is None:  # ``answers`` can match nothing (say, ``pk__in=[]``)
        return []
    (articles_sql, articles_params), (observed_sql, observed_params) = parts
    breached = ", ".join(["%s"] * len(BREACHED))
    article, law = Article._meta.db_table, Law._meta.db_table
    # An answer's case is its hearing's, always (Answer.save), so the reduced rows are one per
    # hearing and right, and each case's articles are listed once: the hearings of a right
    # under an article are the sum, over the cases charged under it, of each case's hearings
    # of that right. Counted per case first, they meet the articles as one row per case and
    # right. COUNT(DISTINCT) over the joined hearings made PostgreSQL sort the whole join
    # (4 million rows at 200,000 cases, for minutes). The labels are joined to the counts.
    sql = f"""
        SELECT ar.id, ar.number, ar.number_sort, law.short_name, law.title_en,
            counted.o_code, counted.hearings, counted.violated
        FROM (
            SELECT charged.c_article, per_case.o_code,
                SUM(per_case.hearings) AS hearings, SUM(per_case.violated) AS violated
            FROM (
                SELECT o_case, o_code, COUNT(*) AS hearings, SUM(breached) AS violated
                FROM (
                    SELECT o_case, o_hearing, o_code,
                        MAX(CASE WHEN o_finding IN ({breached}) THEN 1 ELSE 0 END) AS breached
                    FROM ({observed_sql}) AS answers GROUP BY o_case, o_hearing, o_code
                ) AS o
                GROUP BY o_case, o_code
            ) AS per_case
            JOIN ({articles_sql}) AS charged ON charged.c_case = per_case.o_case
            GROUP BY charged.c_article, per_case.o_code
        ) AS counted
        JOIN {article} ar ON ar.id = counted.c_article
        JOIN {law} law ON law.id = ar.law_id
    """
    rows = fetch(
        answers, sql, (*(finding.value for finding in BREACHED), *observed_params, *articles_params)
    )
    return [
        (
            (title_en, number_sort, article_id),
            _("%(law)s art. %(number)s") % {"law": short_name or title_en, "number": number},
            {
                "article_id": article_id,
                "item__code": code,
                "hearings": hearings,
                "violated": violated,
            },
        )
        for article_id, number, number_sort, short_name, title_en, code, hearings, violated in [
            (*row[:6], int(row[6]), int(row[7])) for row in rows
        ]
    ]


def by_year(answers):
    rows = hearing_counts(
        answers.annotate(year=ExtractYear("hearing__date")).values("year", "item__code")
    )
    return [((row["year"],), str(row["year"]), row) for row in rows]


def breakdown(dimension, keyed_rows, rights):
    grouped = {}
    for key, label, row in keyed_rows:
        code = row["item__code"]
        cells = grouped.setdefault(key, (label, {}))[1]
        cells[code] = RightIndicator(code, rights[code], row["hearings"], row["violated"])
    return Breakdown(
        dimension,
        rights,
        [grouped[key] for key in sorted(grouped)],
    )


def indicators_by_dimension(viewer):
    """``{"court": Breakdown, "article": Breakdown, "year": Breakdown}`` for what ``viewer``
    may see. Four queries whatever the data: one per dimension, grouped in the database, and
    the rights' wording."""
    answers = observed_answers(viewer)
    keyed = {
        "court": by_court(answers),
        "article": by_article(answers, viewer),
        "year": by_year(answers),
    }
    codes = {row["item__code"] for rows in keyed.values() for _key, _label, row in rows}
    rights = rights_in_order(codes)
    return {dimension: breakdown(dimension, rows, rights) for dimension, rows in keyed.items()}
