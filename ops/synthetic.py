"""Synthetic data for benchmarks: many realistic-looking cases, loaded fast.

``manage.py generate_synthetic --cases N`` builds, for N cases, about 2N defendants, 4N charges,
10N hearings, and the case-defendant links, decisions (with the charges they rule on), custody
periods, citations, tags and affiliations that go with them, and fair-trial checklist answers for
each defendant at monitored hearings that were held. Names are made from Khmer syllables,
in Latin letters and in Khmer script; charges follow the real Criminal Code articles, 494 and 495
most often; every visibility level and every date precision occurs.

This is benchmark data, never production data:

- It has **no history**. Rows are written with PostgreSQL's COPY (or ``executemany`` on SQLite),
  which bypasses ``save()`` and therefore django-simple-history on purpose: writing a history
  row per record would double the load time and measure nothing the benchmarks need.
- Ids are allocated explicitly, from the current largest id of each table; the tables are locked
  while loading (PostgreSQL) and the sequences are reset afterwards.
- It is deterministic: the same ``--seed`` and ``--today`` on the same starting database give
  the same rows.

The generator (``SyntheticWorld``) yields rows per chunk of cases, so memory stays flat whatever
N; ``load`` writes them and reports rows per second.
"""

import datetime
import gc
import random
import threading
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from queue import Queue

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from cases.models import (
    Article,
    Case,
    CaseDefendant,
    CaseStatus,
    Charge,
    ChargeStatus,
    Citation,
    Court,
    CourtLevel,
    Law,
    OffenceClass,
    Province,
    Source,
    Tag,
    Visibility,
)
from core import caching
from core.dates import DatePrecision
from core.models import CHANGED_COLUMNS
from defendants.models import (
    Affiliation,
    Category,
    CustodyKind,
    CustodyPeriod,
    Defendant,
    Organisation,
    OrganisationKind,
    Sex,
)
from fairtrial.models import Answer, ChecklistItem, ChecklistVersion, Finding
from hearings.models import Decision, DecisionKind, Hearing, HearingKind, HearingStatus

# The day the synthetic world ends ("today" for its dates). Fixed, so that a seed always gives
# the same data; pass --today to move it. Open custody periods keep running after it.
DEFAULT_TODAY = datetime.date(2026, 6, 30)
FIRST_DAY = datetime.date(2014, 1, 1)
CHUNK_CASES = 1000
PHNOM_PENH_TZ = datetime.timezone(datetime.timedelta(hours=7))
SYNTHETIC_NOTE = "Synthetic benchmark data (manage.py generate_synthetic); not a real record."

PUBLIC, PARTNERS, MONITORS = Visibility.PUBLIC, Visibility.PARTNERS, Visibility.MONITORS

# --- Reference data ----------------------------------------------------------------------------

CRIMINAL_CODE = {
    "title_en": "Criminal Code of the Kingdom of Cambodia",
    "short_name": "Criminal Code",
    "year": 2009,
}

# The articles charged against activists, with how often each is charged here (494 and 495 by
# far the most). Titles, offence classes and penalties as in ops/seed/report_2024.yaml: only
# what a public source states, the rest left unknown. Created only when missing.
ARTICLES = [
    # number, weight, title, offence class, penalty (min, max months)
    ("494", 30, "Incitement to commit a felony or to disturb social security", None, None),
    ("495", 24, "Incitement to commit a felony or to disturb social security", "misdemeanour",
     (6, 24)),
    ("496", 8, "Incitement to discriminate", "misdemeanour", (12, 36)),
    ("305", 7, "Public defamation", "petty", None),
    ("307", 5, "Public insult", "petty", None),
    ("437 bis", 5, "Insulting the King (lèse-majesté)", None, None),
    ("439", 4, "Treason and espionage", None, None),
    ("443", 4, "Conspiracy with a foreign power", None, None),
    ("502", 4, "Insult", None, None),
    ("88", 3, "Repeat misdemeanour", None, None),
]  # fmt: skip
# A charge whose source names the offence but not the article.
UNKNOWN_ARTICLE_WEIGHT = 4
LABELS = {
    "494": ["incitement to commit a felony", "incitement to disturb social security"],
    "495": ["incitement to disturb social security", "incitement"],
    "496": ["incitement to discriminate"],
    "305": ["public defamation"],
    "307": ["public insult"],
    "437 bis": ["insulting the King"],
    "439": ["treason"],
    "443": ["conspiracy with a foreign power", "plotting"],
    "502": ["insulting a public official"],
    "88": ["repeat offence"],
    None: ["plotting against the state", "obstruction of officials", "illegal assembly"],
}
CITED_AS = {"437 bis": ["437 bis", "437 (bis)", "437bis"]}

TAGS = [
    ("elections", "Elections"),
    ("expression", "Freedom of expression"),
    ("land", "Land"),
    ("labour", "Labour and trade unions"),
    ("environment", "Environment"),
    ("lese-majeste", "Lèse-majesté"),
]

# Invented organisations: synthetic people are never tied to a real group.
ORGANISATIONS = [
    ("Tonle Sap Fishers' Network (synthetic)", "បណ្ដាញអ្នកនេសាទទន្លេសាប", "TSFN", "association"),
    ("Mekong Youth Forum (synthetic)", "វេទិកាយុវជនមេគង្គ", "MYF", "association"),
    ("Independent Garment Workers' Union (synthetic)", "សហជីពកម្មករកាត់ដេរឯករាជ្យ", "IGWU", "union"),
    ("Cardamom Forest Defenders (synthetic)", "អ្នកការពារព្រៃក្រវាញ", "CFD", "association"),
    ("People's Voice Party (synthetic)", "គណបក្សសំឡេងប្រជាជន", "PVP", "party"),
    ("Rural Teachers' Association (synthetic)", "សមាគមគ្រូបង្រៀនជនបទ", "RTA", "union"),
    ("Angkor Daily Radio (synthetic)", "វិទ្យុអង្គរប្រចាំថ្ងៃ", "ADR", "media"),
    ("Land Communities Alliance (synthetic)", "សម្ព័ន្ធសហគមន៍ដីធ្លី", "LCA", "association"),
]  # fmt: skip
ROLES = [("member", "សមាជិក"), ("leader", "ប្រធាន"), ("spokesperson", "អ្នកនាំពាក្យ"),
         ("activist", "សកម្មជន"), ("journalist", "អ្នកសារព័ត៌មាន")]  # fmt: skip
SOURCE_COUNT = 120
PARAGRAPHS = [str(number) for number in range(1, 121)]

# --- Names: Khmer syllables in Latin letters and in Khmer script ------------------------------

FAMILY_NAMES = [
    ("Sok", "សុខ"), ("Chan", "ចាន់"), ("Keo", "កែវ"), ("Meas", "មាស"), ("Heng", "ហេង"),
    ("Chea", "ជា"), ("Ly", "លី"), ("Pich", "ពេជ្រ"), ("Vann", "វ៉ាន់"), ("Mao", "ម៉ៅ"),
    ("Seng", "សេង"), ("Long", "ឡុង"), ("Ouk", "អ៊ុក"), ("Prak", "ប្រាក់"), ("Yim", "យឹម"),
    ("Tep", "ទេព"), ("Kim", "គីម"), ("Sam", "សំ"), ("Chhay", "ឆាយ"), ("Sorn", "សន"),
    ("Nhem", "ញ៉ែម"), ("Thach", "ថាច់"), ("Hem", "ហែម"), ("Khiev", "ខៀវ"), ("Nuon", "នួន"),
    ("Phan", "ផាន"), ("Touch", "ទូច"), ("Chhim", "ឈឹម"), ("Men", "ម៉ែន"), ("Som", "សុំ"),
]  # fmt: skip
GIVEN_FIRST = [
    ("So", "សុ"), ("Da", "ដា"), ("Vi", "វិ"), ("Bo", "បូ"), ("Pi", "ពិ"), ("Mo", "មុ"),
    ("Chan", "ចាន់"), ("Sok", "សុខ"), ("Sam", "សំ"), ("Ra", "រ៉ា"), ("Ka", "កា"),
    ("Phal", "ផល"), ("Srey", "ស្រី"), ("Bun", "ប៊ុន"), ("Vuth", "វុធ"), ("Ny", "នី"),
    ("Ro", "រ៉ូ"), ("Sov", "សូវ"),
]  # fmt: skip
GIVEN_SECOND = [
    ("phea", "ភា"), ("kha", "ខា"), ("ra", "រ៉ា"), ("ny", "នី"), ("rith", "រិទ្ធ"),
    ("seth", "សិទ្ធ"), ("thy", "ធី"), ("na", "ណា"), ("vy", "វី"), ("mony", "មុន្នី"),
    ("dy", "ឌី"), ("pheap", "ភាព"), ("vanna", "វណ្ណា"), ("rum", "រំ"), ("", ""), ("", ""),
]  # fmt: skip

# --- Distributions -----------------------------------------------------------------------------

CASE_VISIBILITY = [(PUBLIC, 85), (PARTNERS, 10), (MONITORS, 5)]
FACT_VISIBILITY = [(PUBLIC, 90), (PARTNERS, 7), (MONITORS, 3)]
PRECISION = [
    (DatePrecision.DAY, 85),
    (DatePrecision.MONTH, 8),
    (DatePrecision.YEAR, 4),
    (DatePrecision.APPROXIMATE, 3),
]
# Fair-trial answers: at each monitored hearing held, this many rights of the checklist (in a
# row, from a random one) for each defendant, found with these weights.
ANSWERED_ITEMS = 4
FINDINGS = [
    (Finding.RESPECTED, 50),
    (Finding.VIOLATED, 20),
    (Finding.PARTLY, 10),
    (Finding.NOT_OBSERVED, 12),
    (Finding.NOT_APPLICABLE, 8),
]
HEARING_PRECISION = [
    (DatePrecision.DAY, 94),
    (DatePrecision.MONTH, 4),
    (DatePrecision.YEAR, 1),
    (DatePrecision.APPROXIMATE, 1),
]
# status, weight, (fewest, most) hearings: about ten hearings a case on average.
STATUSES = [
    (CaseStatus.INVESTIGATION, 14, (3, 7)),
    (CaseStatus.PRETRIAL, 16, (5, 9)),
    (CaseStatus.TRIAL, 12, (8, 14)),
    (CaseStatus.DECIDED, 18, (9, 15)),
    (CaseStatus.APPEAL, 14, (11, 17)),
    (CaseStatus.SUPREME, 4, (13, 19)),
    (CaseStatus.FINAL, 16, (10, 16)),
    (CaseStatus.DISMISSED, 6, (2, 6)),
]
ACTIVE = {CaseStatus.INVESTIGATION, CaseStatus.PRETRIAL, CaseStatus.TRIAL}
JUDGED = {CaseStatus.DECIDED, CaseStatus.APPEAL, CaseStatus.SUPREME, CaseStatus.FINAL}
APPEALED = {CaseStatus.APPEAL, CaseStatus.SUPREME}
# People per case (about 2.2 links; some people are in two cases) and charges per person.
PEOPLE_PER_CASE = [(1, 40), (2, 30), (3, 15), (4, 8), (5, 3), (6, 2), (8, 2)]
REUSE_PERSON = 0.08
CHARGES_PER_PERSON = [(1, 45), (2, 35), (3, 15), (4, 5)]
CATEGORIES = [
    (Category.POLITICAL_ACTIVIST, 30),
    (Category.HUMAN_RIGHTS_DEFENDER, 15),
    (Category.LAND_ACTIVIST, 14),
    (Category.UNION_LEADER, 10),
    (Category.ENVIRONMENTAL_ACTIVIST, 8),
    (Category.JOURNALIST, 8),
    (Category.COMMENTATOR, 6),
    (Category.STUDENT_LEADER, 4),
    (Category.OPPOSITION_LEADER, 3),
    (Category.OTHER, 2),
]
SEXES = [(Sex.MALE, 64), (Sex.FEMALE, 31), (Sex.UNKNOWN, 5)]
# Phnom Penh's court hears most cases; the rest spread over the provinces.
CAPITAL_SHARE = 0.35
# Dates, times and timestamps are written as text, which both databases parse: formatting a
# Python date or datetime object per row would cost more than making the row.
TIMES = ["08:00:00", "08:30:00", "09:00:00", "14:00:00"]
SENTENCES = [6, 12, 18, 24, 36, 60, 84, 120, 240]
OUTCOMES = [
    "Hearing held; the court adjourned to deliberate.",
    "Witnesses heard; the defence asked for release on bail.",
    "The defendants were questioned by the investigating judge.",
    "Verdict announced.",
    "The prosecution presented its evidence.",
]
OBSERVATIONS = [
    "Defence lawyers were given little time to consult the case file.",
    "Family members and observers were kept out of the courtroom.",
    "The hearing started three hours late and was held behind closed doors.",
]
MONITOR_NOTES = ["Follow up with the family.", "Lawyer to send the judgment."]

# The columns each table is written with, in the order ``SyntheticWorld`` makes its rows.
COMMON = ("id", "created_at", "updated_at", "version", "visibility", "needs_review", "review_note")
# A case's, person's or decision's time as each level sees it (core.models.ContainerModel):
# its rows are written at once with everything it nests, so each is its ``updated_at``.
CHANGED = tuple(CHANGED_COLUMNS.values())
COLUMNS = {
    Case: COMMON + ("title", "title_km", "court_id", "case_number", "status", "status_as_of",
                    "summary", "summary_km", "defendant_count_is_minimum") + CHANGED,
    Defendant: COMMON + ("name", "name_km", "description", "sex", "category", "province_id")
    + CHANGED,
    CaseDefendant: COMMON + ("case_id", "defendant_id", "note"),
    Affiliation: COMMON + ("defendant_id", "organisation_id", "role", "role_km", "is_former"),
    Charge: COMMON + ("case_id", "defendant_id", "article_id", "article_as_cited", "label",
                      "date_filed", "date_filed_precision", "status"),
    Hearing: COMMON + ("case_id", "court_id", "date", "date_precision", "time", "kind", "status",
                       "monitored", "outcome", "fair_trial_observations", "monitor_notes"),
    Decision: COMMON + ("case_id", "defendant_id", "hearing_id", "court_id", "court_level", "kind",
                        "date", "date_precision", "prison_months", "suspended_months", "fined",
                        "fine_riel", "compensation_ordered", "compensation_riel",
                        "compensation_to", "political_rights_ban_years", "in_absentia",
                        "summary") + CHANGED,
    CustodyPeriod: COMMON + ("defendant_id", "case_id", "kind", "start", "start_precision", "end",
                             "end_precision", "note", "last_confirmed"),
    Citation: COMMON + ("source_id", "paragraph", "content_type_id", "object_id", "note"),
    Answer: COMMON + ("case_id", "hearing_id", "defendant_id", "item_id", "finding", "note",
                      "note_visibility"),
    Case.tags.through: ("id", "case_id", "tag_id"),
    Decision.charges.through: ("id", "decision_id", "charge_id"),
}  # fmt: skip
MODELS = list(COLUMNS)


def chooser(rng, weighted):
    """A function returning one value of ``weighted`` [(value, weight)] at random."""
    values = [value for value, _ in weighted]
    cumulative = list(accumulate(weight for _, weight in weighted))
    total = cumulative[-1]
    # A table of 1,000 slots, each value in proportion to its weight: one index per draw.
    table = [values[bisect_right(cumulative, (slot + 0.5) * total / 1000)] for slot in range(1000)]
    rnd = rng.random
    return lambda: table[int(rnd() * 1000)]


def normalise(day, precision):
    """The first day of the period ``day`` names at ``precision`` (what ``save()`` stores)."""
    if precision == DatePrecision.DAY:
        return day
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day.replace(day=1)


# --- Reference records (created through the ORM, with history, when missing) -----------------


@dataclass
class References:
    """Ids of the records the synthetic cases point to."""

    articles: list  # [(id, number, offence_class)], in ARTICLES order
    provinces: list  # [(id, name_en, name_km)]
    capital: int  # Phnom Penh's index in provinces
    first_instance: dict  # province id -> court id
    appeal_court: int
    supreme_court: int
    tags: list
    organisations: list
    sources: list  # [(id, visibility)]
    content_types: dict = field(default_factory=dict)  # model -> content type id
    checklist_items: list = field(default_factory=list)  # ids, in the newest checklist's order


def ensure_references():
    """Create the laws, articles, courts, tags, organisations and sources the synthetic cases
    need, where missing, and return their ids."""
    law, _ = Law.objects.get_or_create(
        title_en=CRIMINAL_CODE["title_en"],
        defaults={"short_name": CRIMINAL_CODE["short_name"], "year": CRIMINAL_CODE["year"]},
    )
    articles = []
    for number, _weight, title, offence_class, penalty in ARTICLES:
        defaults = {"title_en": title, "offence_class": offence_class or OffenceClass.UNKNOWN}
        if penalty:
            defaults["penalty_min_months"], defaults["penalty_max_months"] = penalty
        article, _ = Article.objects.get_or_create(law=law, number=number, defaults=defaults)
        articles.append((article.pk, number, article.offence_class))

    provinces = list(Province.objects.order_by("name_en").values_list("pk", "name_en", "name_km"))
    if not provinces:
        raise ValueError("No provinces: run the migrations first (cases/migrations/0003).")
    names = [name for _, name, _ in provinces]
    capital = names.index("Phnom Penh") if "Phnom Penh" in names else 0
    first_instance = {}
    for pk, name_en, name_km in provinces:
        court, _ = Court.objects.get_or_create(
            name_en=f"{name_en} Court of First Instance",
            defaults={
                "name_km": f"សាលាដំបូង{name_km}",
                "level": CourtLevel.FIRST_INSTANCE,
                "province_id": pk,
            },
        )
        first_instance[pk] = court.pk
    appeal, _ = Court.objects.get_or_create(
        name_en="Court of Appeal", defaults={"name_km": "សាលាឧទ្ធរណ៍", "level": CourtLevel.APPEAL}
    )
    supreme, _ = Court.objects.get_or_create(
        name_en="Supreme Court", defaults={"name_km": "តុលាការកំពូល", "level": CourtLevel.SUPREME}
    )
    tags = [
        Tag.objects.get_or_create(slug=slug, defaults={"name_en": name})[0].pk
        for slug, name in TAGS
    ]
    organisations = [
        Organisation.objects.get_or_create(
            name_en=name,
            defaults={
                "name_km": name_km,
                "acronym": acronym,
                "kind": OrganisationKind(kind),
                "note": SYNTHETIC_NOTE,
            },
        )[0].pk
        for name, name_km, acronym, kind in ORGANISATIONS
    ]
    titles = {f"Synthetic trial-monitoring report no. {n}": n for n in range(1, SOURCE_COUNT + 1)}
    existing = {
        title: (pk, visibility)
        for title, pk, visibility in Source.objects.filter(title__in=titles).values_list(
            "title", "pk", "visibility"
        )
    }
    sources = []
    for title, number in titles.items():
        if title not in existing:
            # Mostly public reports; some partner briefings and monitors' own notes.
            tenth = number % 10
            source = Source.objects.create(
                title=title,
                short_title=f"Synthetic report {number}",
                publisher="Synthetic benchmark data",
                date=FIRST_DAY + datetime.timedelta(days=30 * number),
                note=SYNTHETIC_NOTE,
                visibility=PUBLIC if tenth < 8 else PARTNERS if tenth == 8 else MONITORS,
            )
            existing[title] = (source.pk, source.visibility)
        sources.append(existing[title])
    content_types = {
        model: ContentType.objects.get_for_model(model).pk
        for model in (Case, CaseDefendant, Charge, Hearing, Decision, CustodyPeriod)
    }
    return References(
        articles=articles,
        provinces=provinces,
        capital=capital,
        first_instance=first_instance,
        appeal_court=appeal.pk,
        supreme_court=supreme.pk,
        tags=tags,
        organisations=organisations,
        sources=sources,
        content_types=content_types,
        # The checklist is loaded by a migration: answers are given under its newest version.
        checklist_items=list(
            ChecklistItem.objects.filter(checklist=ChecklistVersion.current())
            .order_by("position", "id")
            .values_list("id", flat=True)
        ),
    )


# --- The generator -----------------------------------------------------------------------------


class SyntheticWorld:
    """Makes the rows of ``cases`` synthetic cases, chunk by chunk, as tuples in ``COLUMNS``
    order. Ids continue from ``first_ids[model]`` (the next free id of each table)."""

    def __init__(self, refs, seed, first_ids, today=DEFAULT_TODAY, timestamp=None):
        self.refs = refs
        # How a timestamp is written: ISO 8601 with its offset unless the database wants
        # another text (SQLite: naive UTC).
        self.timestamp = timestamp or datetime.datetime.isoformat
        self.rng = rng = random.Random(seed)
        self.today = today
        self.next_id = dict(first_ids)
        self.people = []  # ids of the defendants made so far (some are charged again)
        self.people_index = {}  # defendant id -> (name, name_km)
        self.first_ordinal = FIRST_DAY.toordinal()
        self.today_ordinal = today.toordinal()

        self.case_visibility = chooser(rng, CASE_VISIBILITY)
        self.fact_visibility = chooser(rng, FACT_VISIBILITY)
        self.precision = chooser(rng, PRECISION)
        self.hearing_precision = chooser(rng, HEARING_PRECISION)
        self.status = chooser(rng, [((s, span), w) for s, w, span in STATUSES])
        self.people_count = chooser(rng, PEOPLE_PER_CASE)
        self.charge_count = chooser(rng, CHARGES_PER_PERSON)
        self.category = chooser(rng, CATEGORIES)
        self.sex = chooser(rng, SEXES)
        weights = [weight for _number, weight, *_rest in ARTICLES]
        weighted_articles = list(zip(refs.articles, weights, strict=True))
        self.article = chooser(rng, [*weighted_articles, (None, UNKNOWN_ARTICLE_WEIGHT)])
        # Sources are cited unevenly: a few reports carry most of the facts.
        self.source = chooser(rng, [(s, 1 + 40 // (i + 1)) for i, s in enumerate(refs.sources)])
        self.dates = {}  # (ordinal, precision) -> ISO text of the normalised date
        # Answers draw from a generator of their own: the other rows stay those of the seed.
        self.answer_rng = answer_rng = random.Random(f"{seed}-answers")
        self.answer_visibility = chooser(answer_rng, FACT_VISIBILITY)
        self.finding = chooser(answer_rng, FINDINGS)

    # Small helpers ---------------------------------------------------------------------------

    def take_id(self, model, count=1):
        first = self.next_id[model]
        self.next_id[model] = first + count
        return first

    def day(self, ordinal, precision=DatePrecision.DAY):
        """The date ``ordinal`` at ``precision``, as ISO text (cached: days repeat often)."""
        key = (ordinal, precision)
        value = self.dates.get(key)
        if value is None:
            value = self.dates[key] = normalise(
                datetime.date.fromordinal(ordinal), precision
            ).isoformat()
        return value

    def partial_day(self, ordinal, pick=None):
        precision = (pick or self.precision)()
        return self.day(ordinal, precision), precision

    def pick(self, values):
        """One of ``values`` at random (``Random.choice`` costs three times as much)."""
        return values[int(self.rng.random() * len(values))]

    def person_name(self):
        pick = self.pick
        family, family_km = pick(FAMILY_NAMES)
        first, first_km = pick(GIVEN_FIRST)
        second, second_km = pick(GIVEN_SECOND)
        return f"{family} {first}{second}", f"{family_km} {first_km}{second_km}"

    # The chunks ------------------------------------------------------------------------------

    def batches(self, cases, chunk=CHUNK_CASES):
        """Yield {model: [row, ...]} for each chunk of up to ``chunk`` cases."""
        done = 0
        while done < cases:
            size = min(chunk, cases - done)
            rows = {model: [] for model in MODELS}
            for _ in range(size):
                self.case(rows)
            done += size
            yield rows

    def case(self, rows):
        rng, rnd, refs = self.rng, self.rng.random, self.refs
        case_id = self.take_id(Case)
        (status, (fewest, most)) = self.status()
        visibility = self.case_visibility()
        # More cases in recent years; cases still open began within the last three years.
        if status in ACTIVE:
            start = self.today_ordinal - 60 - int(rnd() * 1000)
        else:
            start = self.first_ordinal + int(
                (rnd() ** 0.6) * (self.today_ordinal - 400 - self.first_ordinal)
            )
        end = self.today_ordinal - int(rnd() * 60)
        span = max(end - start, 30)
        created = datetime.datetime.combine(
            datetime.date.fromordinal(start + 2), datetime.time(9, 0), tzinfo=PHNOM_PENH_TZ
        ) + datetime.timedelta(minutes=int(rnd() * 600))
        updated = created + datetime.timedelta(days=int(rnd() * span), minutes=int(rnd() * 600))
        # Every row of the case shares its timestamps (and version 1).
        stamp = (self.timestamp(created), self.timestamp(updated), 1)
        changed = (stamp[1],) * len(CHANGED)

        if rnd() < CAPITAL_SHARE:
            province = refs.provinces[refs.capital]
        else:
            province = self.pick(refs.provinces)
        first_court = refs.first_instance[province[0]]
        if rnd() < 0.05:
            court = None  # no source names the court
        elif status in APPEALED:
            court = refs.supreme_court if status == CaseStatus.SUPREME else refs.appeal_court
        else:
            court = first_court

        # People, their charges and what happened to them.
        count = self.people_count()
        people = []
        for _ in range(count):
            if self.people and rnd() < REUSE_PERSON:
                person = self.pick(self.people)
                if person in people:
                    continue
            else:
                person = self.take_id(Defendant)
                name, name_km = self.person_name() if rnd() < 0.96 else ("", "")
                description = (
                    ""
                    if name
                    else f"One of several community members from {province[1]} charged together"
                )
                rows[Defendant].append(
                    (person, *stamp, self.fact_visibility(), False, "", name, name_km,
                     description, self.sex(), self.category(),
                     province[0] if rnd() < 0.7 else self.pick(refs.provinces)[0],
                     *changed)
                )  # fmt: skip
                self.people.append(person)
                self.people_index[person] = (name, name_km)
                if rnd() < 0.35:
                    role, role_km = self.pick(ROLES)
                    rows[Affiliation].append(
                        (self.take_id(Affiliation), *stamp, self.fact_visibility(), False, "",
                         person, self.pick(refs.organisations), role, role_km, rnd() < 0.2)
                    )  # fmt: skip
            people.append(person)

        lead_name, lead_km = self.people_index[people[0]]
        others = len(people) - 1
        if lead_name:
            title = f"Prosecution of {lead_name}" + (
                f" and {others} others" if others > 1 else " and another" if others else ""
            )
            title_km = f"សំណុំរឿង{lead_km}"
        else:
            title = f"Prosecution of {len(people)} community members in {province[1]}"
            title_km = f"សំណុំរឿងសហគមន៍{province[2]}"

        citations = rows[Citation]
        content_types = refs.content_types

        def cite(model, object_id):
            source_id, _visibility = self.source()
            citations.append(
                (self.take_id(Citation), *stamp, self.fact_visibility(), False, "",
                 source_id, PARAGRAPHS[int(rnd() * 120)], content_types[model], object_id, "")
            )  # fmt: skip

        # Hearings: dated through the life of the case; open cases have some still to come.
        hearing_count = fewest + int(rnd() * (most - fewest + 1))
        future = (
            (1 + int(rnd() * 2)) if status not in JUDGED and status != CaseStatus.DISMISSED else 0
        )
        future = min(future, hearing_count - 1)
        past_days = sorted(start + 7 + int(rnd() * span) for _ in range(hearing_count - future))
        past_days = [min(d, self.today_ordinal - 1) for d in past_days]
        future_days = sorted(self.today_ordinal + 1 + int(rnd() * 120) for _ in range(future))
        appeal_from = (
            len(past_days) // 2 if status in APPEALED or status == CaseStatus.FINAL else None
        )
        verdict_index = (appeal_from or len(past_days)) - 1 if status in JUDGED else None
        hearings = rows[Hearing]
        days = past_days + future_days
        first_hearing = self.take_id(Hearing, len(days))
        hearing_ids = range(first_hearing, first_hearing + len(days))
        # The busiest loop (ten hearings a case): names looked up once.
        fact_visibility, hearing_precision, day = (
            self.fact_visibility,
            self.hearing_precision,
            self.day,
        )
        today = self.today_ordinal
        for index, ordinal in enumerate(days):
            hearing_id = first_hearing + index
            if index == verdict_index:
                kind, hearing_court = HearingKind.VERDICT, first_court
            elif appeal_from is not None and index >= appeal_from:
                if status == CaseStatus.SUPREME and index == len(past_days) - 1:
                    kind, hearing_court = HearingKind.SUPREME, refs.supreme_court
                else:
                    kind, hearing_court = HearingKind.APPEAL, refs.appeal_court
            elif status == CaseStatus.INVESTIGATION or index < 2:
                kind = HearingKind.INVESTIGATION if rnd() < 0.7 else HearingKind.BAIL
                hearing_court = first_court
            else:
                kind = HearingKind.TRIAL if rnd() < 0.9 else HearingKind.OTHER
                hearing_court = first_court
            roll = rnd()
            if ordinal > today:
                hearing_status = HearingStatus.SCHEDULED
            elif roll < 0.8:
                hearing_status = HearingStatus.HELD
            elif roll < 0.95:
                hearing_status = HearingStatus.POSTPONED
            else:
                hearing_status = HearingStatus.CANCELLED
            held = hearing_status == HearingStatus.HELD
            precision = hearing_precision()
            roll, notes = rnd(), rnd()
            visibility = fact_visibility()
            monitored = rnd() < 0.35
            hearings.append(
                (hearing_id, *stamp, visibility, False, "", case_id,
                 hearing_court if roll < 0.95 else None, day(ordinal, precision), precision,
                 TIMES[int(roll * 4)] if roll < 0.7 else None, kind, hearing_status,
                 monitored, OUTCOMES[int(notes * 5)] if held else "",
                 OBSERVATIONS[int(notes * 3)] if held and notes < 0.15 else "",
                 MONITOR_NOTES[int(notes * 2)] if notes > 0.9 else "")
            )  # fmt: skip
            if monitored and held:
                self.answers(rows, stamp, case_id, hearing_id, people)
            if rnd() < 0.25:
                cite(Hearing, hearing_id)
        verdict_day = past_days[verdict_index] if verdict_index is not None else None
        verdict_hearing = hearing_ids[verdict_index] if verdict_index is not None else None
        appeal_day = past_days[-1] if appeal_from is not None else None
        appeal_hearing = hearing_ids[len(past_days) - 1] if appeal_from is not None else None

        # Per person: the link, charges, custody, decisions.
        main_article = None
        for person in people:
            link_id = self.take_id(CaseDefendant)
            rows[CaseDefendant].append(
                (link_id, *stamp, self.fact_visibility(), False, "", case_id, person, "")
            )
            if rnd() < 0.1:
                cite(CaseDefendant, link_id)
            if status in JUDGED:
                outcome = "convicted" if rnd() < 0.85 else "acquitted"
            elif status == CaseStatus.DISMISSED:
                outcome = "dropped"
            else:
                outcome = "pending"
            charge_ids = []
            seen_articles = set()
            for _ in range(self.charge_count()):
                article = self.article()
                key = article[0] if article else None
                if key in seen_articles:
                    continue
                seen_articles.add(key)
                number = article[1] if article else None
                main_article = main_article or number
                charge_id = self.take_id(Charge)
                charge_ids.append(charge_id)
                if rnd() < 0.05:
                    filed, filed_precision = None, DatePrecision.DAY
                else:
                    filed, filed_precision = self.partial_day(start + int(rnd() * 20))
                charge_status = {
                    "convicted": ChargeStatus.CONVICTED,
                    "acquitted": ChargeStatus.ACQUITTED,
                    "dropped": ChargeStatus.DROPPED,
                    "pending": ChargeStatus.PENDING,
                }[outcome]
                if outcome == "convicted" and rnd() < 0.05:
                    charge_status = ChargeStatus.DROPPED
                cited_as = self.pick(CITED_AS.get(number, (number,))) if number is not None else ""
                rows[Charge].append(
                    (charge_id, *stamp, self.fact_visibility(), False, "", case_id, person,
                     article[0] if article else None, cited_as, self.pick(LABELS[number]),
                     filed, filed_precision, charge_status)
                )  # fmt: skip
                if rnd() < 0.4:
                    cite(Charge, charge_id)
            self.custody_and_decisions(
                rows, cite, stamp, case_id, person, charge_ids, status, outcome, start,
                first_court, verdict_day, verdict_hearing, appeal_day, appeal_hearing,
            )  # fmt: skip

        rows[Case].append(
            (case_id, *stamp, visibility, False, "", title, title_km, court,
             f"{100 + int(rnd() * 9900)}/{self.day(start)[:4]}", status,
             self.day(self.today_ordinal - int(rnd() * 60)) if rnd() < 0.9 else None,
             f"{len(people)} people charged in {province[1]}"
             + (f" under article {main_article} of the Criminal Code" if main_article else "")
             + f". {SYNTHETIC_NOTE}",
             f"ករណីសាកល្បងនៅ{province[2]}។",
             rnd() < 0.05, *changed)
        )  # fmt: skip
        for tag in rng.sample(refs.tags, int(rnd() * 3)):
            rows[Case.tags.through].append((self.take_id(Case.tags.through), case_id, tag))
        for _ in range(1 + int(rnd() * 2)):
            cite(Case, case_id)

    def answers(self, rows, stamp, case_id, hearing_id, people):
        """What a monitor found at a hearing: a few rights for each defendant, the notes (empty)
        at the monitors' level."""
        items = self.refs.checklist_items
        if not items:
            return
        first = int(self.answer_rng.random() * len(items))
        answered = [items[(first + k) % len(items)] for k in range(min(ANSWERED_ITEMS, len(items)))]
        answers = rows[Answer]
        for person in people:
            for item in answered:
                answers.append(
                    (self.take_id(Answer), *stamp, self.answer_visibility(), False, "", case_id,
                     hearing_id, person, item, self.finding(), "", MONITORS)
                )  # fmt: skip

    def custody_and_decisions(
        self, rows, cite, stamp, case_id, person, charge_ids, status, outcome, start,
        first_court, verdict_day, verdict_hearing, appeal_day, appeal_hearing,
    ):  # fmt: skip
        rnd = self.rng.random
        periods = rows[CustodyPeriod]
        decisions = rows[Decision]
        decision_charges = rows[Decision.charges.through]

        def period(kind, begin, finish, note=""):
            period_id = self.take_id(CustodyPeriod)
            begin_day, begin_precision = self.partial_day(begin)
            confirmed = None
            if finish is None:
                finish_day, finish_precision = None, DatePrecision.DAY
                # An open period, as if a source confirmed it up to 0-90 days ago: some are
                # current, some "as last reported" (core/currency.py).
                confirmed = datetime.date.fromordinal(self.today_ordinal - int(rnd() * 90))
            else:
                finish_day, finish_precision = self.partial_day(finish)
            periods.append(
                (period_id, *stamp, self.fact_visibility(), False, "", person, case_id, kind,
                 begin_day, begin_precision, finish_day, finish_precision, note, confirmed)
            )  # fmt: skip
            if rnd() < 0.3:
                cite(CustodyPeriod, period_id)

        def decide(kind, ordinal, court, level, hearing, prison=None, charges=()):
            """Add a decision; ``prison`` (months) makes it a sentence."""
            decision_id = self.take_id(Decision)
            date, precision = self.partial_day(ordinal)
            suspended = fine = compensation = ban = None
            fined = compensated = False
            if prison is not None:
                if rnd() < 0.2:
                    suspended = prison // 2
                fined = rnd() < 0.4
                if fined and rnd() < 0.8:
                    fine = self.pick((1_000_000, 2_000_000, 4_000_000))
                compensated = rnd() < 0.1
                compensation = 10_000_000 if compensated else None
                ban = 5 if rnd() < 0.1 else None
            decisions.append(
                (decision_id, *stamp, self.fact_visibility(), False, "", case_id, person,
                 hearing, court, level, kind, date, precision, prison, suspended, fined, fine,
                 compensated, compensation, "the complainant" if compensated else "", ban,
                 prison is not None and rnd() < 0.1, "", *(stamp[1],) * len(CHANGED))
            )  # fmt: skip
            for charge_id in charges:
                decision_charges.append(
                    (self.take_id(Decision.charges.through), decision_id, charge_id)
                )
            if rnd() < 0.6:
                cite(Decision, decision_id)

        today = self.today_ordinal
        arrested = rnd() < 0.7
        if not arrested:
            if status == CaseStatus.DISMISSED and rnd() < 0.5:
                decide(DecisionKind.DISMISSED, min(start + 120, today - 1), first_court,
                       CourtLevel.FIRST_INSTANCE, None)  # fmt: skip
            elif verdict_day is not None:
                self.judgment(decide, outcome, charge_ids, first_court, verdict_day,
                              verdict_hearing, appeal_day, appeal_hearing)  # fmt: skip
            return
        arrest = start - int(rnd() * 5)
        period(CustodyKind.POLICE_CUSTODY, arrest, arrest + 2)
        if rnd() < 0.4:
            return
        detained = arrest + 2
        if status in ACTIVE:
            if rnd() < 0.7:
                period(CustodyKind.PRETRIAL_DETENTION, detained, None)
                for extension in range(int(rnd() * 3)):
                    decide(DecisionKind.DETENTION_EXTENDED,
                           min(detained + 120 * (extension + 1), today - 1),
                           first_court, CourtLevel.FIRST_INSTANCE, None)  # fmt: skip
            else:
                bail = min(detained + 30 + int(rnd() * 200), today - 1)
                period(CustodyKind.PRETRIAL_DETENTION, detained, bail)
                period(CustodyKind.BAIL, bail, None)
                decide(DecisionKind.BAIL_GRANTED, bail, first_court,
                       CourtLevel.FIRST_INSTANCE, None)  # fmt: skip
            return
        if verdict_day is None:  # dismissed
            release = min(detained + 30 + int(rnd() * 300), today - 1)
            period(CustodyKind.PRETRIAL_DETENTION, detained, release)
            period(CustodyKind.RELEASED, release, None)
            decide(DecisionKind.DISMISSED, release, first_court, CourtLevel.FIRST_INSTANCE, None)
            return
        verdict = max(verdict_day, detained + 1)
        period(CustodyKind.PRETRIAL_DETENTION, detained, verdict)
        sentence = self.judgment(decide, outcome, charge_ids, first_court, verdict_day,
                                 verdict_hearing, appeal_day, appeal_hearing)  # fmt: skip
        if sentence:
            served = verdict + sentence * 30
            period(CustodyKind.IMPRISONMENT, verdict, served if served < today else None)
        else:
            period(CustodyKind.RELEASED, verdict, None)

    def judgment(
        self, decide, outcome, charge_ids, first_court, verdict_day, verdict_hearing,
        appeal_day, appeal_hearing,
    ):  # fmt: skip
        """The first-instance decision and any appeal; returns the prison months, if any."""
        rnd, refs = self.rng.random, self.refs
        level = CourtLevel.FIRST_INSTANCE
        if outcome == "acquitted":
            decide(DecisionKind.ACQUITTAL, verdict_day, first_court, level, verdict_hearing,
                   charges=charge_ids)  # fmt: skip
            return 0
        prison = self.pick(SENTENCES)
        decide(DecisionKind.CONVICTION, verdict_day, first_court, level, verdict_hearing,
               prison=prison, charges=charge_ids)  # fmt: skip
        if appeal_day is not None and rnd() < 0.7:
            roll = rnd()
            if roll < 0.8:
                kind = DecisionKind.UPHELD
            elif roll < 0.9:
                kind, prison = DecisionKind.OVERTURNED, None
            else:
                kind, prison = DecisionKind.SENTENCE_CHANGED, max(prison // 2, 6)
            decide(kind, appeal_day, refs.appeal_court, CourtLevel.APPEAL, appeal_hearing,
                   prison=prison, charges=charge_ids)  # fmt: skip
        return prison or 0


# --- Loading -----------------------------------------------------------------------------------


class SyntheticDataError(Exception):
    """The models and this module disagree (a NOT NULL column it does not fill)."""


@dataclass
class TableLoad:
    table: str
    rows: int = 0
    seconds: float = 0.0  # writing only (COPY or executemany), not generating

    @property
    def rate(self):
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class LoadReport:
    cases: int
    seed: int
    today: datetime.date
    vendor: str
    tables: list
    generate_seconds: float = 0.0  # waiting for the generator (it runs while COPY writes)
    write_seconds: float = 0.0
    constraint_seconds: float = 0.0
    total_seconds: float = 0.0  # generating, writing and checking; not the ANALYZE after
    analyze_seconds: float = 0.0

    @property
    def rows(self):
        return sum(table.rows for table in self.tables)

    @property
    def rate(self):
        return self.rows / self.total_seconds if self.total_seconds else 0.0

    def counts(self):
        return {table.table: table.rows for table in self.tables}

    def lines(self):
        """The report as a table: rows and rows per second per table, and in total."""
        yield (
            f"Added {self.cases:,} synthetic cases (seed {self.seed}, as of {self.today}) on "
            f"{self.vendor} in {self.total_seconds:.1f} s."
        )
        yield f"{'table':<28} {'rows':>10} {'write s':>9} {'rows/s':>10}"
        for table in self.tables:
            yield f"{table.table:<28} {table.rows:>10,} {table.seconds:>9.2f} {table.rate:>10,.0f}"
        yield f"{'total':<28} {self.rows:>10,} {self.total_seconds:>9.2f} {self.rate:>10,.0f}"
        yield (
            f"(waiting for the generator {self.generate_seconds:.2f} s, writing "
            f"{self.write_seconds:.2f} s, indexes and foreign-key checks "
            f"{self.constraint_seconds:.2f} s; then ANALYZE {self.analyze_seconds:.2f} s)"
        )


def table_plan(model):
    """(column names, constant values appended to each row) for writing ``model``.

    A column added to the model after this module was written is filled with the model's
    default; a NOT NULL column without a default stops the load with a clear message.
    """
    columns = COLUMNS[model]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [c for c in columns if c not in fields]
    if unknown:
        raise SyntheticDataError(
            f"{model._meta.label} has no column {', '.join(unknown)}: update COLUMNS in "
            "cases/synthetic.py."
        )
    extra, tail = [], []
    for name, model_field in fields.items():
        if name in columns or model_field.null or model_field.has_db_default():
            continue
        if not model_field.has_default():
            raise SyntheticDataError(
                f"{model._meta.label}.{name} is NOT NULL and has no default: teach "
                "cases/synthetic.py to fill it."
            )
        extra.append(name)
        tail.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    return (*columns, *extra), tuple(tail)


def _quoted(names):
    return ", ".join(connection.ops.quote_name(name) for name in names)


class _CopyWriter:
    """PostgreSQL: one ``COPY … FROM STDIN`` per table and chunk (psycopg 3).

    The loaded tables' foreign keys and plain indexes are dropped for the load and made again
    at the end, in the same transaction (PostgreSQL's DDL is transactional: a failed load
    leaves them as they were). Adding a constraint checks every row in one join, where keeping
    it would queue one deferred trigger per row and reference; building an index sorts once,
    where keeping it would insert into each B-tree row by row. Together several times faster.
    """

    def __init__(self, plans):
        self.plans = plans
        connection.ensure_connection()
        self.cursor = connection.connection.cursor()
        tables = [connection.ops.quote_name(model._meta.db_table) for model in plans]
        # Pending deferred checks would forbid ALTER TABLE: run them first.
        self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [tables],
        )
        self.foreign_keys = self.cursor.fetchall()
        for table, name, _definition in self.foreign_keys:
            self.cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quoted([name])}")
        # Plain indexes (not those behind a primary key or unique constraint) are built again
        # at the end: one sort per index instead of one B-tree insertion per row.
        self.cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        self.indexes = self.cursor.fetchall()
        for name, _definition in self.indexes:
            self.cursor.execute(f"DROP INDEX {name}")

    def write(self, model, rows):
        columns, tail = self.plans[model]
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({_quoted(columns)}) FROM STDIN"
        with self.cursor.copy(sql) as copy:
            write_row = copy.write_row
            if tail:
                for row in rows:
                    write_row(row + tail)
            else:
                for row in rows:
                    write_row(row)

    def check_constraints(self):
        """Build the indexes again, and add the foreign keys back, which checks every row."""
        self.cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in self.indexes:
            self.cursor.execute(definition)
        for table, name, definition in self.foreign_keys:
            self.cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {_quoted([name])} {definition}"
            )


class _ExecutemanyWriter:
    """Other databases (SQLite): ``executemany`` inside the one transaction."""

    def __init__(self, plans):
        self.plans = plans

    def write(self, model, rows):
        columns, tail = self.plans[model]
        table = connection.ops.quote_name(model._meta.db_table)
        marks = ", ".join(["%s"] * len(columns))
        if tail:
            rows = [row + tail for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({marks})", rows)

    def check_constraints(self):
        """SQLite checks deferred foreign keys only at commit: check them now, timed."""
        connection.check_constraints(table_names=[m._meta.db_table for m in self.plans])


def _first_ids():
    """The next free id of every table, with the tables locked against other writers."""
    tables = [model._meta.db_table for model in MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {_quoted(tables)} IN SHARE ROW EXCLUSIVE MODE")
        first = {}
        for model in MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            first[model] = cursor.fetchone()[0]
    return first


def _reset_sequences():
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _produce(batches, queue):
    """Run the generator in a thread: it makes the next chunk while PostgreSQL stores the last
    one (the COPY waits on the socket without the GIL)."""
    try:
        for rows in batches:
            queue.put(rows)
        queue.put(None)
    except BaseException as error:  # handed to the loading thread, which raises it
        queue.put(error)


def load(cases, *, seed=1, today=DEFAULT_TODAY, chunk=CHUNK_CASES):
    """Generate and write ``cases`` synthetic cases with everything that hangs on them, in one
    transaction. Returns a ``LoadReport`` (rows and rows per second per table)."""
    if cases <= 0:
        raise ValueError("The number of cases must be at least 1.")
    # The rows are tuples of plain values, never cycles: the cyclic garbage collector would only
    # rescan them again and again (a third of the generating time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(cases, seed, today, chunk)
    finally:
        if collecting:
            gc.enable()


def _load(cases, seed, today, chunk):
    started = time.perf_counter()
    plans = {model: table_plan(model) for model in MODELS}
    report = LoadReport(
        cases=cases,
        seed=seed,
        today=today,
        vendor=connection.vendor,
        tables=[TableLoad(model._meta.db_table) for model in MODELS],
    )
    loads = dict(zip(MODELS, report.tables, strict=True))
    with transaction.atomic():
        refs = ensure_references()
        timestamp = (
            datetime.datetime.isoformat
            if connection.vendor == "postgresql"
            else connection.ops.adapt_datetimefield_value
        )
        world = SyntheticWorld(refs, seed, _first_ids(), today, timestamp)
        writer = (
            _CopyWriter(plans) if connection.vendor == "postgresql" else _ExecutemanyWriter(plans)
        )
        chunks = Queue(maxsize=2)
        producer = threading.Thread(
            target=_produce, args=(world.batches(cases, chunk), chunks), daemon=True
        )
        producer.start()
        while True:
            began = time.perf_counter()
            rows = chunks.get()
            report.generate_seconds += time.perf_counter() - began
            if isinstance(rows, BaseException):
                raise rows
            if rows is None:
                break
            for model in MODELS:
                began = time.perf_counter()
                writer.write(model, rows[model])
                spent = time.perf_counter() - began
                loads[model].rows += len(rows[model])
                loads[model].seconds += spent
                report.write_seconds += spent
        producer.join()
        began = time.perf_counter()
        writer.check_constraints()
        report.constraint_seconds = time.perf_counter() - began
        _reset_sequences()
        # Written without signals: tell cached reads the data changed (core/caching.py).
        caching.bump_on_commit()
    report.total_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # Fresh statistics, so that the planner does not take the new tables for empty ones.
        with connection.cursor() as cursor:
            for model in MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        report.analyze_seconds = time.perf_counter() - started - report.total_seconds
    return report
