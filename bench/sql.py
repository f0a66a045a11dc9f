"""Hand-written PostgreSQL for each benchmarked read: the same records, nesting and visibility
filter as the application, built as JSON inside PostgreSQL (json_build_object / json_agg).

They are the yardstick: what the data costs to read and serialise without the ORM, DRF or
templates. Each query takes ``%(level)s`` (the viewer's visibility level: 0 for anonymous
readers) and returns one text value. Field names, order of nested lists, date formats (dates at
their precision, timestamps in UTC with Z) follow the API's serializers, so that
``bench/run.py`` can check the two give the same content.
"""

from django.conf import settings

DETENTION_KINDS = "('police_custody', 'pretrial_detention', 'imprisonment')"
# core/currency.py: an open period counts to its last confirmation, and is "running" on a day
# only while that confirmation is within the window.
WINDOW = int(settings.CURRENCY_WINDOW_DAYS)


def counted_to(day):
    """Where an open period's days stop on ``day`` (core.currency.counted_to)."""
    return f"LEAST(GREATEST(cp.start, COALESCE(cp.last_confirmed, cp.start)), {day})"


def running(day):
    """cp running on ``day`` (CustodyPeriodQuerySet.running_on)."""
    return (
        f'cp.start <= {day} AND (cp."end" > {day} OR (cp."end" IS NULL '
        f"AND cp.last_confirmed >= {day} - {WINDOW}))"
    )


def ts(column):
    """A timestamp as the API writes it: ISO 8601 in UTC with Z (core.dates.utc_iso)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"(CASE WHEN mod(date_part('microseconds', {column})::int, 1000000) = 0 "
        f"""THEN to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') """
        f"""ELSE to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US') END || 'Z')"""
    )


def pdate(column, precision):
    """A date at its precision, as PartialDateField writes it: 2024-03-07, 2024-03 or 2024."""
    return (
        f"(CASE {precision} WHEN 'day' THEN to_char({column}, 'YYYY-MM-DD') "
        f"WHEN 'year' THEN to_char({column}, 'YYYY') ELSE to_char({column}, 'YYYY-MM') END)"
    )


def end_latest(column, precision):
    """The last day a partial date can be (PartialDate.latest)."""
    return (
        f"(CASE {precision} WHEN 'day' THEN {column} "
        f"WHEN 'year' THEN make_date(date_part('year', {column})::int, 12, 31) "
        f"ELSE (date_trunc('month', {column}) + interval '1 month - 1 day')::date END)"
    )


def stamps(alias):
    return f"'created_at', {ts(alias + '.created_at')}, 'updated_at', {ts(alias + '.updated_at')}"


def container_stamps(alias):
    """A case's, person's or decision's times: ``updated_at`` is when it or what it nests
    changed as the viewer's level sees it (core.models.ContainerModel)."""
    changed = (
        f"(CASE %(level)s WHEN 0 THEN {alias}.changed_public "
        f"WHEN 1 THEN {alias}.changed_partners ELSE {alias}.changed_monitors END)"
    )
    return f"'created_at', {ts(alias + '.created_at')}, 'updated_at', {ts(changed)}"


# --- Nested lists, correlated on a case (alias c) or a defendant (alias p) --------------------

ARTICLE = """CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object(
    'id', a.id, 'number', a.number, 'law', l.short_name, 'title_en', a.title_en,
    'title_km', a.title_km, 'offence_class', a.offence_class) END"""


def linked(alias):
    """The condition that the person's place in the case (``visibility_link``) is visible."""
    return (
        f"EXISTS (SELECT 1 FROM cases_casedefendant {alias}_lk "
        f"WHERE {alias}_lk.case_id = {alias}.case_id "
        f"AND {alias}_lk.defendant_id = {alias}.defendant_id "
        f"AND {alias}_lk.visibility <= %(level)s)"
    )


def charges(where):
    return f"""COALESCE((SELECT json_agg(json_build_object(
        'id', ch.id, 'case', ch.case_id, 'defendant', ch.defendant_id, 'article', {ARTICLE},
        'article_as_cited', ch.article_as_cited, 'label', ch.label,
        'date_filed', {pdate("ch.date_filed", "ch.date_filed_precision")},
        'date_filed_precision', CASE WHEN ch.date_filed IS NULL THEN NULL
            ELSE ch.date_filed_precision END, 'status', ch.status, 'certainty', ch.certainty,
        {stamps("ch")})
        ORDER BY ch.case_id, ch.defendant_id, a.number_sort, ch.id)
      FROM cases_charge ch
      JOIN cases_case cc ON cc.id = ch.case_id
      JOIN defendants_defendant cd ON cd.id = ch.defendant_id
      LEFT JOIN cases_article a ON a.id = ch.article_id
      LEFT JOIN cases_law l ON l.id = a.law_id
      WHERE {where} AND ch.visibility <= %(level)s AND cc.visibility <= %(level)s
        AND cd.visibility <= %(level)s AND {linked("ch")}), '[]'::json)"""


CASE_DEFENDANTS = """COALESCE((SELECT json_agg(json_build_object(
        'id', d.id, 'name', d.name, 'name_km', d.name_km, 'description', d.description,
        'category', d.category, 'sex', d.sex) ORDER BY cd.id)
      FROM cases_casedefendant cd JOIN defendants_defendant d ON d.id = cd.defendant_id
      WHERE cd.case_id = c.id AND cd.visibility <= %(level)s AND d.visibility <= %(level)s),
      '[]'::json)"""

HEARINGS = f"""COALESCE((SELECT json_agg(json_build_object(
        'id', h.id, 'case', h.case_id, 'court', h.court_id,
        'date', {pdate("h.date", "h.date_precision")}, 'date_precision', h.date_precision,
        'time', h.time, 'kind', h.kind, 'status', h.status, 'monitored', h.monitored,
        'outcome', h.outcome, 'fair_trial_observations', h.fair_trial_observations,
        'certainty', h.certainty,
        {stamps("h")}) ORDER BY h.date, h.time, h.id)
      FROM hearings_hearing h WHERE h.case_id = c.id AND h.visibility <= %(level)s), '[]'::json)"""

TAGS = """COALESCE((SELECT json_agg(t.slug ORDER BY t.slug) FROM cases_case_tags ct
      JOIN cases_tag t ON t.id = ct.tag_id WHERE ct.case_id = c.id), '[]'::json)"""


def decisions(where):
    return f"""COALESCE((SELECT json_agg(json_build_object(
        'id', de.id, 'case', de.case_id, 'defendant', de.defendant_id,
        'hearing', (SELECT hh.id FROM hearings_hearing hh JOIN cases_case hc ON hc.id = hh.case_id
                    WHERE hh.id = de.hearing_id AND hh.visibility <= %(level)s
                      AND hc.visibility <= %(level)s),
        'court', de.court_id, 'court_level', de.court_level, 'kind', de.kind,
        'date', {pdate("de.date", "de.date_precision")}, 'date_precision', de.date_precision,
        'charges', COALESCE((SELECT json_agg(ch.id ORDER BY ch.case_id, ch.defendant_id,
                                             a.number_sort, ch.id)
            FROM hearings_decision_charges dc JOIN cases_charge ch ON ch.id = dc.charge_id
            JOIN cases_case cc ON cc.id = ch.case_id
            JOIN defendants_defendant cd ON cd.id = ch.defendant_id
            LEFT JOIN cases_article a ON a.id = ch.article_id
            WHERE dc.decision_id = de.id AND ch.visibility <= %(level)s
              AND cc.visibility <= %(level)s AND cd.visibility <= %(level)s
              AND {linked("ch")}), '[]'::json),
        'prison_months', de.prison_months, 'suspended_months', de.suspended_months,
        'fined', de.fined, 'fine_riel', de.fine_riel,
        'compensation_ordered', de.compensation_ordered,
        'compensation_riel', de.compensation_riel, 'compensation_to', de.compensation_to,
        'political_rights_ban_years', de.political_rights_ban_years,
        'in_absentia', de.in_absentia, 'summary', de.summary, 'certainty', de.certainty,
        {container_stamps("de")})
        ORDER BY de.date, de.id)
      FROM hearings_decision de JOIN cases_case dcase ON dcase.id = de.case_id
      JOIN defendants_defendant dd ON dd.id = de.defendant_id
      WHERE {where} AND de.visibility <= %(level)s AND dcase.visibility <= %(level)s
        AND dd.visibility <= %(level)s AND {linked("de")}), '[]'::json)"""


def custody(where):
    return f"""COALESCE((SELECT json_agg(json_build_object(
        'id', cp.id, 'defendant', cp.defendant_id, 'case', cp.case_id, 'kind', cp.kind,
        'start', {pdate("cp.start", "cp.start_precision")}, 'start_precision', cp.start_precision,
        'end', {pdate('cp."end"', "cp.end_precision")}, 'end_precision',
        CASE WHEN cp."end" IS NULL THEN NULL ELSE cp.end_precision END,
        'note', cp.note, 'certainty', cp.certainty, 'last_confirmed', cp.last_confirmed,
        {stamps("cp")})
        ORDER BY cp.defendant_id, cp.start, cp.id)
      FROM defendants_custodyperiod cp JOIN cases_case pc ON pc.id = cp.case_id
      JOIN defendants_defendant pd ON pd.id = cp.defendant_id
      WHERE {where} AND cp.visibility <= %(level)s AND pc.visibility <= %(level)s
        AND pd.visibility <= %(level)s AND {linked("cp")}), '[]'::json)"""


CASE_CITATIONS = """COALESCE((SELECT json_agg(json_build_object(
        'source', ci.source_id, 'source_title', s.title, 'paragraph', ci.paragraph,
        'note', ci.note) ORDER BY ci.source_id, ci.paragraph, ci.id)
      FROM cases_citation ci JOIN cases_source s ON s.id = ci.source_id
      WHERE ci.content_type_id = %(case_type)s AND ci.object_id = c.id
        AND ci.visibility <= %(level)s AND s.visibility <= %(level)s), '[]'::json)"""

COURT = """CASE WHEN co.id IS NULL THEN NULL ELSE json_build_object(
    'id', co.id, 'name_en', co.name_en, 'name_km', co.name_km, 'level', co.level,
    'province', pr.name_en) END"""


def case_object(detail=False):
    extra = ""
    if detail:
        extra = f""",
        'decisions', {decisions("de.case_id = c.id")},
        'custody_periods', {custody("cp.case_id = c.id")},
        'citations', {CASE_CITATIONS}"""
    return f"""json_build_object(
        'id', c.id, 'title', c.title, 'title_km', c.title_km, 'case_number', c.case_number,
        'status', c.status, 'status_as_of', c.status_as_of, 'certainty', c.certainty,
        'court', {COURT},
        'summary', c.summary, 'summary_km', c.summary_km, 'tags', {TAGS},
        'defendant_count_is_minimum', c.defendant_count_is_minimum,
        'defendants', {CASE_DEFENDANTS},
        'charges', {charges("ch.case_id = c.id")},
        'hearings', {HEARINGS},
        {container_stamps("c")}{extra})"""


CASE_FROM = """FROM cases_case c LEFT JOIN cases_court co ON co.id = c.court_id
    LEFT JOIN cases_province pr ON pr.id = co.province_id"""

# GET /api/v1/cases/?page_size=50: the first page, in id order.
API_CASE_LIST = f"""SELECT COALESCE(json_agg(x.obj ORDER BY x.id), '[]'::json)::text FROM (
    SELECT c.id, {case_object()} AS obj {CASE_FROM}
    WHERE c.visibility <= %(level)s ORDER BY c.id LIMIT %(limit)s) x"""

# GET /api/v1/cases/?article=494&status=…&province=…
API_CASE_LIST_FILTERED = f"""SELECT COALESCE(json_agg(x.obj ORDER BY x.id), '[]'::json)::text
    FROM (SELECT c.id, {case_object()} AS obj {CASE_FROM}
    WHERE c.visibility <= %(level)s AND c.status = %(status)s
      AND upper(pr.name_en::text) = upper(%(province)s)
      AND c.id IN (SELECT ch.case_id FROM cases_charge ch
          JOIN cases_article a ON a.id = ch.article_id
          JOIN cases_case cc ON cc.id = ch.case_id
          JOIN defendants_defendant cd ON cd.id = ch.defendant_id
          WHERE a.number = %(article)s AND ch.visibility <= %(level)s
            AND cc.visibility <= %(level)s AND cd.visibility <= %(level)s
            AND {linked("ch")})
    ORDER BY c.id LIMIT %(limit)s) x"""

# GET /api/v1/cases/<id>/
API_CASE_DETAIL = f"""SELECT {case_object(detail=True)}::text {CASE_FROM}
    WHERE c.id = %(pk)s AND c.visibility <= %(level)s"""

# GET /api/v1/export/cases.json: every visible case as in its detail, one row each (streamed
# from a server-side cursor).
EXPORT_CASES = f"""SELECT {case_object(detail=True)}::text {CASE_FROM}
    WHERE c.visibility <= %(level)s ORDER BY c.id"""

# GET /api/v1/defendants/<id>/?as_of=…, with the days in detention computed here too.
DETENTION_TALLY = f"""(WITH iv AS (
        SELECT cp.start AS s,
               CASE WHEN cp."end" IS NULL THEN {counted_to("%(as_of)s::date")}
                    ELSE LEAST({end_latest('cp."end"', "cp.end_precision")}, %(as_of)s::date)
               END AS e,
               cp."end" IS NULL AS open,
               cp."end" > %(as_of)s::date OR (cp."end" IS NULL
                 AND cp.last_confirmed >= %(as_of)s::date - {WINDOW}) AS held,
               cp.start_precision = 'day'
                 AND (cp."end" IS NULL OR cp.end_precision = 'day') AS exact
        FROM defendants_custodyperiod cp JOIN cases_case pc ON pc.id = cp.case_id
        WHERE cp.defendant_id = p.id AND cp.kind IN {DETENTION_KINDS}
          AND cp.start <= %(as_of)s::date AND cp.visibility <= %(level)s
          AND pc.visibility <= %(level)s AND {linked("cp")}),
      marked AS (SELECT s, e, CASE WHEN prev IS NULL OR s > prev THEN 1 ELSE 0 END AS starts
                 FROM (SELECT s, e, MAX(e) OVER (ORDER BY s, e ROWS BETWEEN UNBOUNDED
                       PRECEDING AND 1 PRECEDING) AS prev FROM iv) m),
      islands AS (SELECT s, e, SUM(starts) OVER (ORDER BY s, e ROWS UNBOUNDED PRECEDING)
                  AS island FROM marked)
    SELECT json_build_object(
        'as_of', %(as_of)s::date,
        'days', COALESCE((SELECT SUM(last - first) FROM (SELECT MIN(s) AS first,
                 MAX(e) AS last FROM islands GROUP BY island) i), 0),
        'exact', COALESCE((SELECT bool_and(exact) FROM iv), true),
        'in_detention', COALESCE((SELECT bool_or(held) FROM iv), false),
        'counted_to', (SELECT MAX(e) FROM iv WHERE open),
        'as_last_reported', COALESCE((SELECT MAX(e) < %(as_of)s::date FROM iv WHERE open),
                                     false)))"""

API_DEFENDANT_DETAIL = f"""SELECT json_build_object(
    'id', p.id, 'name', p.name, 'name_km', p.name_km, 'aliases', p.aliases,
    'description', p.description,
    'is_named', p.name <> '', 'sex', p.sex, 'category', p.category, 'certainty', p.certainty,
    'province', CASE WHEN pr.id IS NULL THEN NULL ELSE json_build_object(
        'id', pr.id, 'name_en', pr.name_en, 'name_km', pr.name_km) END,
    'affiliations', COALESCE((SELECT json_agg(json_build_object(
        'organisation', json_build_object('id', o.id, 'name_en', o.name_en,
            'name_km', o.name_km, 'acronym', o.acronym, 'kind', o.kind),
        'role', af.role, 'role_km', af.role_km, 'is_former', af.is_former)
        ORDER BY af.defendant_id, af.is_former, af.id)
      FROM defendants_affiliation af JOIN defendants_organisation o ON o.id = af.organisation_id
      WHERE af.defendant_id = p.id AND af.visibility <= %(level)s), '[]'::json),
    'cases', COALESCE((SELECT json_agg(cd.case_id ORDER BY cd.case_id)
      FROM cases_casedefendant cd JOIN cases_case cc ON cc.id = cd.case_id
      WHERE cd.defendant_id = p.id AND cd.visibility <= %(level)s
        AND cc.visibility <= %(level)s), '[]'::json),
    {container_stamps("p")},
    'charges', {charges("ch.defendant_id = p.id")},
    'custody_periods', {custody("cp.defendant_id = p.id")},
    'decisions', {decisions("de.defendant_id = p.id")},
    'detention', {DETENTION_TALLY})::text
  FROM defendants_defendant p LEFT JOIN cases_province pr ON pr.id = p.province_id
  WHERE p.id = %(pk)s AND p.visibility <= %(level)s"""

# --- Public pages --------------------------------------------------------------------------

VISIBLE_CASES = "SELECT id FROM cases_case WHERE visibility <= %(level)s"


# Facts whose visibility also follows the person they are about (``visibility_via``).
ABOUT_A_PERSON = {
    "cases_charge",
    "fairtrial_answer",
    "cases_casedefendant",
    "hearings_decision",
    "defendants_custodyperiod",
}

# Facts about a person in a case: visible only while the person's place in it is
# (``visibility_link``); the link is unique per case and person, so joining it adds no rows.
LINKED = {
    "cases_charge",
    "fairtrial_answer",
    "hearings_decision",
    "defendants_custodyperiod",
}


def visible_facts(table, alias):
    """``table`` joined to its case (and person), both visible at the level."""
    person = (
        f"JOIN defendants_defendant {alias}d ON {alias}d.id = {alias}.defendant_id "
        f"AND {alias}d.visibility <= %(level)s"
        if table in ABOUT_A_PERSON
        else ""
    )
    link = (
        f"JOIN cases_casedefendant {alias}l ON {alias}l.case_id = {alias}.case_id "
        f"AND {alias}l.defendant_id = {alias}.defendant_id AND {alias}l.visibility <= %(level)s"
        if table in LINKED
        else ""
    )
    return (
        f"{table} {alias} JOIN cases_case {alias}c ON {alias}c.id = {alias}.case_id "
        f"AND {alias}c.visibility <= %(level)s {person} {link}"
    )


# GET /cases/: the first page of 25 (by title), its count and every facet.
PUBLIC_CASE_LIST = f"""WITH vis AS ({VISIBLE_CASES}),
page AS (SELECT c.id, c.title, c.title_km, c.status, co.name_en AS court,
                pr.name_en AS province {CASE_FROM}
         WHERE c.visibility <= %(level)s ORDER BY c.title, c.id LIMIT 25)
SELECT json_build_object(
  'count', (SELECT COUNT(*) FROM vis),
  'cases', (SELECT json_agg(json_build_object(
      'id', page.id, 'title', page.title, 'title_km', page.title_km, 'status', page.status,
      'court', page.court, 'province', page.province,
      'people', COALESCE((SELECT json_agg(json_build_object('id', d.id, 'name', d.name,
            'name_km', d.name_km, 'description', d.description) ORDER BY cd.id)
          FROM {visible_facts("cases_casedefendant", "cd")}
          JOIN defendants_defendant d ON d.id = cd.defendant_id
          WHERE cd.case_id = page.id AND cd.visibility <= %(level)s), '[]'::json),
      'articles', COALESCE((SELECT json_agg(DISTINCT a.number)
          FROM {visible_facts("cases_charge", "ch")} JOIN cases_article a ON a.id = ch.article_id
          WHERE ch.case_id = page.id AND ch.visibility <= %(level)s), '[]'::json))
      ORDER BY page.title, page.id) FROM page),
  'facets', json_build_object(
    'status', (SELECT json_agg(json_build_array(status, n) ORDER BY n DESC, status) FROM
        (SELECT status, COUNT(*) AS n FROM cases_case WHERE visibility <= %(level)s
         GROUP BY status) s),
    'article', (SELECT json_agg(json_build_array(number, n) ORDER BY n DESC, number_sort) FROM
        (SELECT a.number, a.title_en, a.number_sort, COUNT(DISTINCT ch.case_id) AS n
         FROM {visible_facts("cases_charge", "ch")} JOIN cases_article a ON a.id = ch.article_id
         WHERE ch.visibility <= %(level)s
         GROUP BY a.number, a.title_en, a.number_sort) s),
    'court', (SELECT json_agg(json_build_array(court_id, name_en, n) ORDER BY n DESC, name_en)
        FROM (SELECT c.court_id, co.name_en, COUNT(*) AS n FROM cases_case c
              JOIN cases_court co ON co.id = c.court_id WHERE c.visibility <= %(level)s
              GROUP BY c.court_id, co.name_en) s),
    'province', (SELECT json_agg(json_build_array(name_en, n) ORDER BY n DESC, name_en)
        FROM (SELECT pr.name_en, COUNT(*) AS n FROM cases_case c
              JOIN cases_court co ON co.id = c.court_id
              JOIN cases_province pr ON pr.id = co.province_id
              WHERE c.visibility <= %(level)s GROUP BY pr.name_en) s),
    'category', (SELECT json_agg(json_build_array(category, n) ORDER BY n DESC, category)
        FROM (SELECT d.category, COUNT(DISTINCT cd.case_id) AS n
              FROM {visible_facts("cases_casedefendant", "cd")}
              JOIN defendants_defendant d ON d.id = cd.defendant_id
              WHERE cd.visibility <= %(level)s GROUP BY d.category) s),
    'year', (SELECT json_agg(json_build_array(year::text, n) ORDER BY year DESC)
        FROM (SELECT year, COUNT(*) AS n FROM (
                SELECT ch.case_id, date_part('year', ch.date_filed)::int AS year
                FROM {visible_facts("cases_charge", "ch")}
                WHERE ch.visibility <= %(level)s AND ch.date_filed IS NOT NULL
                UNION SELECT h.case_id, date_part('year', h.date)::int
                FROM {visible_facts("hearings_hearing", "h")} WHERE h.visibility <= %(level)s
                UNION SELECT de.case_id, date_part('year', de.date)::int
                FROM {visible_facts("hearings_decision", "de")}
                WHERE de.visibility <= %(level)s) y GROUP BY year) s),
    'in_detention', (SELECT COUNT(DISTINCT cp.case_id)
        FROM {visible_facts("defendants_custodyperiod", "cp")}
        WHERE cp.visibility <= %(level)s AND cp.kind IN {DETENTION_KINDS}
          AND {running("%(today)s::date")})))::text"""


def cited(content_type, alias):
    return f"""COALESCE((SELECT json_agg(json_build_object('source', s.id, 'title', s.title,
            'short_title', s.short_title, 'symbol', s.symbol, 'paragraph', ci.paragraph)
            ORDER BY ci.source_id, ci.paragraph, ci.id)
        FROM cases_citation ci JOIN cases_source s ON s.id = ci.source_id
        WHERE ci.content_type_id = %({content_type})s AND ci.object_id = {alias}.id
          AND ci.visibility <= %(level)s AND s.visibility <= %(level)s), '[]'::json)"""


# GET /cases/<id>/: the case and everything its page shows, each with its public citations.
PUBLIC_CASE_PAGE = f"""SELECT json_build_object(
  'id', c.id, 'title', c.title, 'title_km', c.title_km, 'status', c.status,
  'status_as_of', c.status_as_of, 'case_number', c.case_number, 'summary', c.summary,
  'summary_km', c.summary_km, 'defendant_count_is_minimum', c.defendant_count_is_minimum,
  'court', co.name_en, 'province', pr.name_en,
  'tags', COALESCE((SELECT json_agg(t.name_en ORDER BY t.slug) FROM cases_case_tags ct
      JOIN cases_tag t ON t.id = ct.tag_id WHERE ct.case_id = c.id), '[]'::json),
  'citations', {cited("case_type", "c")},
  'parties', COALESCE((SELECT json_agg(json_build_object('id', cd.id, 'defendant', d.id,
        'name', d.name, 'name_km', d.name_km, 'description', d.description,
        'category', d.category, 'citations', {cited("link_type", "cd")}) ORDER BY cd.id)
      FROM {visible_facts("cases_casedefendant", "cd")}
      JOIN defendants_defendant d ON d.id = cd.defendant_id
      WHERE cd.case_id = c.id AND cd.visibility <= %(level)s), '[]'::json),
  'charges', COALESCE((SELECT json_agg(json_build_object('id', ch.id,
        'defendant', ch.defendant_id, 'label', ch.label, 'article', a.number,
        'article_title', a.title_en, 'law', l.short_name, 'cited_as', ch.article_as_cited,
        'status', ch.status, 'filed', {pdate("ch.date_filed", "ch.date_filed_precision")},
        'citations', {cited("charge_type", "ch")})
        ORDER BY ch.case_id, ch.defendant_id, a.number_sort, ch.id)
      FROM {visible_facts("cases_charge", "ch")}
      LEFT JOIN cases_article a ON a.id = ch.article_id LEFT JOIN cases_law l ON l.id = a.law_id
      WHERE ch.case_id = c.id AND ch.visibility <= %(level)s), '[]'::json),
  'hearings', COALESCE((SELECT json_agg(json_build_object('id', h.id,
        'date', {pdate("h.date", "h.date_precision")}, 'kind', h.kind, 'status', h.status,
        'court', hco.name_en, 'monitored', h.monitored, 'outcome', h.outcome,
        'citations', {cited("hearing_type", "h")}) ORDER BY h.date, h.time, h.id)
      FROM {visible_facts("hearings_hearing", "h")}
      LEFT JOIN cases_court hco ON hco.id = h.court_id
      WHERE h.case_id = c.id AND h.visibility <= %(level)s), '[]'::json),
  'decisions', COALESCE((SELECT json_agg(json_build_object('id', de.id,
        'defendant', de.defendant_id, 'date', {pdate("de.date", "de.date_precision")},
        'kind', de.kind, 'court', dco.name_en, 'court_level', de.court_level,
        'prison_months', de.prison_months, 'suspended_months', de.suspended_months,
        'fined', de.fined, 'fine_riel', de.fine_riel,
        'compensation_ordered', de.compensation_ordered, 'compensation_to', de.compensation_to,
        'political_rights_ban_years', de.political_rights_ban_years,
        'in_absentia', de.in_absentia, 'summary', de.summary,
        'citations', {cited("decision_type", "de")}) ORDER BY de.date, de.id)
      FROM {visible_facts("hearings_decision", "de")}
      LEFT JOIN cases_court dco ON dco.id = de.court_id
      WHERE de.case_id = c.id AND de.visibility <= %(level)s), '[]'::json),
  'custody_periods', COALESCE((SELECT json_agg(json_build_object('id', cp.id,
        'defendant', cp.defendant_id, 'kind', cp.kind,
        'start', {pdate("cp.start", "cp.start_precision")}, 'note', cp.note,
        'citations', {cited("custody_type", "cp")}) ORDER BY cp.defendant_id, cp.start, cp.id)
      FROM {visible_facts("defendants_custodyperiod", "cp")}
      WHERE cp.case_id = c.id AND cp.visibility <= %(level)s), '[]'::json))::text
  {CASE_FROM} WHERE c.id = %(pk)s AND c.visibility <= %(level)s"""

# Fair-trial answers observed at a hearing the level may see (fairtrial/indicators.py): the
# answer, its case, person, the person's place in the case and the hearing, all visible.
OBSERVED_ANSWERS = f"""{visible_facts("fairtrial_answer", "fa")}
      JOIN hearings_hearing fah ON fah.id = fa.hearing_id AND fah.visibility <= %(level)s
      JOIN fairtrial_checklistitem fai ON fai.id = fa.item_id
      WHERE fa.visibility <= %(level)s AND fa.finding IN ('respected', 'violated', 'partly')"""


def per_right(key, source):
    """Per value of ``key`` and right, the hearings where it was observed and those where it
    was violated or partly respected (``[key, code, hearings, violated]``)."""
    return f"""(SELECT json_agg(json_build_array(k, code, hearings, violated)
        ORDER BY k, code) FROM (
      SELECT {key} AS k, code, COUNT(DISTINCT hearing_id) AS hearings,
             COUNT(DISTINCT hearing_id) FILTER (WHERE finding <> 'respected') AS violated
      FROM {source} GROUP BY 1, 2) s)"""


ANSWER_ROWS = f"""(SELECT fa.hearing_id, fa.case_id, fa.finding, fai.code,
        COALESCE(fah.court_id, fac.court_id) AS court,
        date_part('year', fah.date)::int AS year FROM {OBSERVED_ANSWERS}) a"""

# Per article charged in the hearing's case, through the charges the level may see: each
# hearing and right reduced to one row, counted per case, then summed over the cases charged
# under each article (a DISTINCT over answers joined to charges took minutes at 200,000 cases).
ARTICLE_COUNTS = f"""(SELECT json_agg(json_build_array(k, code, hearings, violated)
        ORDER BY k, code) FROM (
      SELECT ch.article_id AS k, pc.code, SUM(pc.hearings)::int AS hearings,
             SUM(pc.violated)::int AS violated
      FROM (SELECT case_id, code, COUNT(*) AS hearings, SUM(breached) AS violated
        FROM (SELECT a.case_id, a.hearing_id, a.code,
                MAX(CASE WHEN a.finding <> 'respected' THEN 1 ELSE 0 END) AS breached
              FROM {ANSWER_ROWS} GROUP BY 1, 2, 3) h
        GROUP BY 1, 2) pc
      JOIN (SELECT DISTINCT ch.case_id, ch.article_id
        FROM {visible_facts("cases_charge", "ch")}
        WHERE ch.visibility <= %(level)s AND ch.article_id IS NOT NULL) ch
      ON ch.case_id = pc.case_id
      GROUP BY 1, 2) s)"""

FAIR_TRIAL = f"""'fair-trial', json_build_object(
    'rights', {per_right("''", ANSWER_ROWS)},
    'court', {per_right("court", ANSWER_ROWS)},
    'year', {per_right("year", ANSWER_ROWS)},
    'article', {ARTICLE_COUNTS})"""

# GET /statistics/: the charts' and the fair-trial tables' rows.
STATISTICS = f"""SELECT json_build_object(
  {FAIR_TRIAL},
  'cases-per-article', (SELECT json_agg(json_build_array(
        COALESCE(NULLIF(short_name, ''), title_en) || ' art. ' || number, n)
        ORDER BY n DESC, number_sort) FROM (
      SELECT a.number, l.short_name, l.title_en, a.number_sort, COUNT(DISTINCT ch.case_id) AS n
      FROM {visible_facts("cases_charge", "ch")}
      JOIN cases_article a ON a.id = ch.article_id JOIN cases_law l ON l.id = a.law_id
      WHERE ch.visibility <= %(level)s
      GROUP BY a.number, l.short_name, l.title_en, a.number_sort
      ORDER BY n DESC, a.number_sort LIMIT 20) s),
  'outcomes', (SELECT json_object_agg(kind, n) FROM (SELECT de.kind, COUNT(*) AS n
      FROM {visible_facts("hearings_decision", "de")} WHERE de.visibility <= %(level)s
      GROUP BY de.kind) s),
  'detention-durations', (WITH periods AS (
        SELECT cp.defendant_id AS person, cp.start AS s,
               CASE WHEN cp."end" IS NULL THEN {counted_to("%(today)s::date")}
                    ELSE LEAST({end_latest('cp."end"', "cp.end_precision")}, %(today)s::date)
               END AS e
        FROM {visible_facts("defendants_custodyperiod", "cp")}
        WHERE cp.visibility <= %(level)s AND cp.kind IN {DETENTION_KINDS}),
      people AS (SELECT DISTINCT person FROM periods),
      iv AS (SELECT * FROM periods WHERE s <= %(today)s::date),
      marked AS (SELECT person, s, e,
                 CASE WHEN prev IS NULL OR s > prev THEN 1 ELSE 0 END AS starts
                 FROM (SELECT person, s, e, MAX(e) OVER (PARTITION BY person ORDER BY s, e
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM iv) m),
      islands AS (SELECT person, s, e, SUM(starts) OVER (PARTITION BY person ORDER BY s, e
                  ROWS UNBOUNDED PRECEDING) AS island FROM marked),
      held AS (SELECT person, SUM(last - first) AS days FROM (SELECT person, island,
               MIN(s) AS first, MAX(e) AS last FROM islands GROUP BY person, island) i
               GROUP BY person),
      buckets AS (SELECT CASE WHEN days < 30 THEN 0 WHEN days < 182 THEN 1 WHEN days < 365
                  THEN 2 WHEN days < 730 THEN 3 ELSE 4 END AS bucket
                  FROM (SELECT COALESCE(held.days, 0) AS days FROM people
                        LEFT JOIN held USING (person)) d)
      SELECT json_agg((SELECT COUNT(*) FROM buckets WHERE bucket = b) ORDER BY b)
      FROM generate_series(0, 4) b),
  'events-per-month', (WITH counted AS (SELECT month, SUM(n) AS n FROM (
          SELECT date_trunc('month', h.date) AS month, COUNT(*) AS n
          FROM {visible_facts("hearings_hearing", "h")}
          WHERE h.visibility <= %(level)s AND h.date_precision <> 'year' AND h.status = 'held'
            AND h.date <= %(today)s::date GROUP BY 1
          UNION ALL SELECT date_trunc('month', de.date), COUNT(*)
          FROM {visible_facts("hearings_decision", "de")}
          WHERE de.visibility <= %(level)s AND de.date_precision <> 'year'
            AND de.date <= %(today)s::date GROUP BY 1) m
        GROUP BY month)
      -- Every month from the first to the last, quiet ones as 0.
      SELECT json_agg(json_build_array(to_char(every.month, 'YYYY-MM'), COALESCE(counted.n, 0))
        ORDER BY every.month)
      FROM generate_series((SELECT MIN(month) FROM counted), (SELECT MAX(month) FROM counted),
                           interval '1 month') AS every(month)
      LEFT JOIN counted ON counted.month = every.month))::text"""

# defendants.clock.pretrial_clock(as_of): every pretrial detention running on as_of, with the
# most serious pending charge (offence class, then the heavier minimum sentence), the rule, the
# extensions and the limit date. (All records: the clock is internal, for monitors.)
PRETRIAL_CLOCK = f"""WITH periods AS (
    SELECT cp.id, cp.defendant_id, cp.case_id, cp.start,
           CASE WHEN cp."end" IS NULL THEN {counted_to("%(as_of)s::date")}
                ELSE %(as_of)s::date END AS held_to
    FROM defendants_custodyperiod cp
    WHERE cp.kind = 'pretrial_detention' AND {running("%(as_of)s::date")}),
  serious AS (
    SELECT DISTINCT ON (ch.defendant_id, ch.case_id) ch.defendant_id, ch.case_id,
           ch.id AS charge_id, COALESCE(a.offence_class, 'unknown') AS offence_class,
           a.penalty_min_months
    FROM cases_charge ch LEFT JOIN cases_article a ON a.id = ch.article_id
    WHERE ch.status = 'pending' AND ch.defendant_id IN (SELECT defendant_id FROM periods)
    ORDER BY ch.defendant_id, ch.case_id,
             CASE COALESCE(a.offence_class, 'unknown') WHEN 'felony' THEN 3
                  WHEN 'misdemeanour' THEN 2 WHEN 'petty' THEN 1 ELSE 0 END DESC,
             COALESCE(a.penalty_min_months, 0) DESC, ch.id),
  entries AS (
    SELECT p.id, p.defendant_id, p.case_id, p.start, p.held_to, s.charge_id,
           COALESCE(s.offence_class, 'unknown') AS offence_class, r.id AS rule_id,
           (SELECT COUNT(*) FROM hearings_decision de WHERE de.defendant_id = p.defendant_id
              AND de.case_id = p.case_id AND de.kind = 'detention_extended'
              AND de.date >= p.start) AS extensions,
           r.base_months, r.extension_months, r.max_extensions, r.max_total_months,
           r.max_fraction_of_minimum_sentence AS fraction, s.penalty_min_months
    FROM periods p LEFT JOIN serious s USING (defendant_id, case_id)
    LEFT JOIN defendants_detentionrule r ON s.charge_id IS NOT NULL AND r.is_active
         AND NOT r.for_minors AND r.offence_class = s.offence_class),
  limits AS (
    SELECT e.*, CASE WHEN rule_id IS NULL THEN NULL ELSE LEAST(
             (base_months + LEAST(extensions, max_extensions) * extension_months)::numeric,
             COALESCE(max_total_months::numeric, 'Infinity'),
             CASE WHEN fraction IS NOT NULL AND penalty_min_months > 0
                  THEN fraction * penalty_min_months ELSE 'Infinity' END) END AS months
    FROM entries e)
SELECT COALESCE(json_agg(json_build_object(
    'period', id, 'defendant', defendant_id, 'case', case_id,
    'days_held', held_to - start, 'offence_class', offence_class,
    'charge', charge_id, 'rule', rule_id, 'extensions', extensions, 'limit_months', months,
    'limit_date', limit_date, 'days_left', limit_date - %(as_of)s::date)
    ORDER BY start, id), '[]'::json)::text
FROM (SELECT l.*, (start + make_interval(months => floor(months)::int))::date
                  + floor((months - floor(months)) * 30)::int AS limit_date FROM limits l) x"""
