"""Load cases from a reviewable YAML seed file (``manage.py seed_report``).

The file is meant to be read and checked by people who do not program: one block per case,
every fact with the paragraph of the source it comes from. ``ops/seed/report_2024.yaml``
documents the format in its header.

Running a seed is safe to repeat. Every record it writes is remembered in a ``SeedRecord``
with the values written. On the next run a record is

* left alone when nothing changed ("unchanged": no save, no new ``updated_at``);
* updated to the file's values when it still holds what the seed last wrote ("updated"); a
  field the file gains later counts as the seed's, unless a person already filled it in;
* skipped, and reported, when a person changed it since: their edit wins ("skipped").

Everything runs in one transaction, and every model's ``full_clean()`` runs before its
``save()``: a malformed file changes nothing, and the error names the file, the block and the
field. Records are written one by one with ``save()`` so that history is kept for each.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction

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
    ReportedFigure,
    SeedRecord,
    Source,
    Tag,
    normalise_article_number,
)
from core.dates import DatePrecision, PartialDate
from core.models import Certainty
from core.visibility import Visibility
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
from documents.models import Document
from documents.tasks import extract_text
from hearings.models import Decision, DecisionKind, Hearing, HearingKind, HearingStatus

DEFAULT_FILE = Path(__file__).resolve().parent / "seed" / "report_2024.yaml"

# The fields each kind of block may have, separated by spaces; any other field is refused as
# a likely typo. Blocks that state facts also take `para`, `needs_review` and `review_note`.
FACT = "para needs_review review_note certainty"
FIELDS = {
    "top level": "seed source other_sources status_as_of tags laws courts organisations people "
    "cases figures",
    "other source": "key title short_title symbol publisher date url note",
    "source": "key title short_title symbol publisher date covers_from covers_until url note "
    "paragraph_count text",
    "tag": "key slug name_en",
    "law": "key title_en title_km short_name year articles",
    "article": "key number title_en title_km offence_class penalty_min_months "
    "penalty_max_months fine_min_riel fine_max_riel para penalty_source",
    "penalty source": "source note",
    "court": "key name_en level province named_in",
    "organisation": "key name_en acronym kind note named_in",
    "person": f"key name description count sex category province affiliations {FACT}",
    "affiliation": f"key organisation role is_former {FACT}",
    "case": "key title status status_as_of court case_number tags defendant_count_is_minimum "
    f"summary parties charges custody hearings decisions {FACT}",
    "party": f"person note {FACT}",
    "charge": f"key defendants label law articles date_filed status {FACT}",
    "custody": f"key defendants kind start end note {FACT}",
    "hearing": f"key kind court date status outcome {FACT}",
    "decision": "key defendants kind court court_level date charges prison_months "
    "suspended_months fined fine_riel compensation_ordered compensation_riel compensation_to "
    f"political_rights_ban_years in_absentia summary {FACT}",
    "figure": f"key label value is_minimum period_start period_end {FACT}",
}

# The seeded sources are public documents, so is everything taken from them.
VISIBILITY = Visibility.PUBLIC


class SeedError(Exception):
    """The seed file cannot be loaded; the message says where and why."""


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)
    # Records an earlier run wrote that the file no longer describes; left as they are.
    not_in_file: list = field(default_factory=list)

    def summary(self, label):
        return (
            f"{label}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped."
        )


def display_path(path):
    """The path as people know it: relative to the repository when it is inside it."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def seed_from_file(path=DEFAULT_FILE):
    """Load ``path`` into the database in one transaction and return what happened."""
    label = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise SeedError(f"{label}: cannot read the file ({error.strerror}).") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SeedError(f"{label}: not valid YAML: {error}") from None
    with transaction.atomic():
        return _Seeder(data, label, Path(path).resolve().parent).run()


# --- Reading the file ---------------------------------------------------------------------------


class _Block:
    """One mapping of the file, with where it is, for error messages."""

    def __init__(self, seeder, data, where, kind):
        """``kind``: which entry of ``FIELDS`` lists the fields this block may have."""
        self.seeder = seeder
        self.where = where
        if not isinstance(data, dict):
            seeder.fail(where, None, "expected a block of 'field: value' lines")
        unknown = sorted(set(data) - set(FIELDS[kind].split()))
        if unknown:
            seeder.fail(where, unknown[0], "unknown field (check the spelling)")
        self.data = data

    def fail(self, name, message):
        self.seeder.fail(self.where, name, message)

    def text(self, name, required=False, default=""):
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(name, f"expected text, got {value!r}")
        # Folded YAML text ends with a newline; what we store does not.
        return " ".join(str(value).split()) if "\n" in str(value) else str(value).strip()

    def integer(self, name, default=None):
        value = self.data.get(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(name, f"expected a whole number, got {value!r}")
        return value

    def flag(self, name, default=False):
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"expected true or false, got {value!r}")
        return value

    def choice(self, name, choices, default=None):
        value = self.data.get(name, default)
        if value is None:
            self.fail(name, "is required")
        if value not in choices.values:
            self.fail(name, f"{value!r} is not one of: {', '.join(choices.values)}")
        return value

    def date(self, name, required=False):
        """A PartialDate from "2024", "2024-03", "2024-03-07" or "~2024-03"; None if absent."""
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "is required")
            return None
        if isinstance(value, datetime.datetime) or not isinstance(value, str | int | datetime.date):
            self.fail(name, f'expected a date such as "2024-02-07", got {value!r}')
        try:
            return PartialDate.parse(value)
        except ValidationError as error:
            self.fail(name, " ".join(error.messages))

    def items(self, name):
        value = self.data.get(name) or []
        if not isinstance(value, list):
            self.fail(name, "expected a list")
        return value

    def keys(self, name):
        values = self.items(name)
        for value in values:
            if not isinstance(value, str):
                self.fail(name, f"expected a list of keys, got {value!r}")
        return values

    def paragraphs(self, name="para", required=True):
        """[(paragraph, note)] from `para: 34`, `para: [34, 5]` or `{para: 5, note: ...}`."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "every fact needs the paragraph it comes from")
            return []
        entries = value if isinstance(value, list) else [value]
        result = []
        for entry in entries:
            note = ""
            if isinstance(entry, dict):
                note = str(entry.get("note", "")).strip()
                entry = entry.get("para")
            if isinstance(entry, bool) or not isinstance(entry, int | str) or entry == "":
                self.fail(name, f"expected a paragraph number, got {entry!r}")
            result.append((str(entry), note))
        return result

    def fact(self):
        """The fields every fact shares: who may see it, and whether it needs a second look."""
        return {
            "visibility": VISIBILITY,
            "needs_review": self.flag("needs_review"),
            "review_note": self.text("review_note"),
            # reported unless the file says the value is inferred or unconfirmed.
            "certainty": self.choice("certainty", Certainty, Certainty.REPORTED),
        }


def _where(kind, index, data):
    """How an error names a block: by its key when it has one, else by its position."""
    key = data.get("key") if isinstance(data, dict) else None
    return f"{kind} '{key}'" if isinstance(key, str) and key else f"{kind} {index}"


# --- Writing records ----------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _as_written(values):
    """``values`` as a JSON column gives them back (dates and decimals become text)."""
    return json.loads(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False))


EMPTY = (None, "", [], False)


def _edited_fields(current, written, wanted):
    """The fields a person changed since the seed wrote ``written``."""
    edited = []
    for name, value in current.items():
        if name in written:
            if value != written[name]:
                edited.append(name)
        elif value not in EMPTY and value != wanted.get(name):
            # A field the seed did not manage before, already filled in by a person.
            edited.append(name)
    return sorted(edited)


def _snapshot(obj, names, m2m_names):
    """The current values of the fields the seed manages, in the form ``_wanted`` gives."""
    values = {}
    for name in names:
        values[name] = _plain(getattr(obj, obj._meta.get_field(name).attname))
    for name in m2m_names:
        values[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    return _as_written(values)


def _wanted(values, m2m):
    result = {name: _plain(value) for name, value in values.items()}
    for name, objects in m2m.items():
        result[name] = sorted(obj.pk for obj in objects)
    return _as_written(result)


class _Seeder:
    def __init__(self, data, label, folder=None):
        self.label = label
        self.folder = folder or DEFAULT_FILE.parent  # where the file's `text` is found
        self.outcome = Outcome()
        self.seen = set()
        self.root = _Block(self, data, "top level", "top level")
        self.namespace = self.root.text("seed", required=True)
        self.tags, self.courts, self.organisations = {}, {}, {}
        self.laws, self.articles, self.people = {}, {}, {}
        self.other_sources = {}

    def fail(self, where, name, message):
        field_part = f", field '{name}'" if name else ""
        raise SeedError(f"{self.label}: {where}{field_part}: {message}")

    # The one place records are written.
    def put(self, key, model, values, where, *, m2m=None, adopt=None, check=None):
        """Create or update the record seeded under ``key``; None if it was deleted since.

        ``adopt``: lookup of an existing record with the same natural key (a court, a tag)
        that this seed takes over instead of creating a duplicate. ``check``: extra validation
        run with ``full_clean``.
        """
        key = f"{self.namespace}:{key}"
        if key in self.seen:
            self.fail(where, "key", f"the key is used twice ({key!r})")
        self.seen.add(key)
        m2m = m2m or {}
        wanted = _wanted(values, m2m)
        record = SeedRecord.objects.filter(key=key).first()
        if record is None:
            obj = model.objects.filter(**adopt).first() if adopt else None
            if obj is None:
                obj = model(**values)
                self._save(obj, m2m, where, check)
                self.outcome.created += 1
            elif _snapshot(obj, values, m2m) == wanted:
                self.outcome.unchanged += 1
            else:
                self._skip(key, obj, "a record with this name already exists with other values")
            # Remember what the file says, not what is there: a differing record stays skipped.
            SeedRecord.objects.create(key=key, subject=obj, written=wanted)
            return obj
        obj = model._base_manager.filter(pk=record.object_id).first()
        if obj is None or record.content_type.model_class() is not model:
            self._skip(key, None, "deleted since it was seeded; not recreated")
            return None
        current = _snapshot(obj, values, m2m)
        if current == wanted:
            if record.written != wanted:
                record.written = wanted
                record.save()
            self.outcome.unchanged += 1
            return obj
        edited = _edited_fields(current, record.written, wanted)
        if edited:
            self._skip(key, obj, f"edited since it was seeded ({', '.join(edited)}); kept")
            return obj
        for name, value in values.items():
            setattr(obj, name, value)
        self._save(obj, m2m, where, check)
        record.written = wanted
        record.save()
        self.outcome.updated += 1
        return obj

    def _save(self, obj, m2m, where, check):
        try:
            obj.full_clean()
            if check:
                check(obj)
        except ValidationError as error:
            messages = getattr(error, "message_dict", {NON_FIELD_ERRORS: error.messages})
            name, problems = next(iter(messages.items()))
            self.fail(where, None if name == NON_FIELD_ERRORS else name, " ".join(problems))
        # Shown in each record's history in the admin, beside "changed by: None".
        obj._change_reason = f"seed_report ({self.label})"
        obj.save()
        for name, objects in m2m.items():
            getattr(obj, name).set(objects)

    def _skip(self, key, obj, reason):
        what = f"{obj._meta.verbose_name} “{obj}”" if obj is not None else "record"
        self.outcome.skipped.append(f"{key} ({what}): {reason}")

    def cite(self, key, obj, paragraphs, where, source=None):
        if obj is None:
            return
        content_type = ContentType.objects.get_for_model(obj)
        for paragraph, note in paragraphs:
            values = {
                "source": source or self.source,
                "paragraph": paragraph,
                "content_type": content_type,
                "object_id": obj.pk,
                "note": note,
                "visibility": VISIBILITY,
            }
            self.put(f"{key}#para-{paragraph}", Citation, values, f"{where}, para {paragraph}")

    # --- Sections -----------------------------------------------------------------------------

    def run(self):
        self.load_source()
        for index, data in enumerate(self.root.items("other_sources"), 1):
            self.load_other_source(data, _where("other source", index, data))
        self.status_as_of = self.root.date("status_as_of")
        for index, data in enumerate(self.root.items("tags"), 1):
            self.load_tag(data, _where("tag", index, data))
        for index, data in enumerate(self.root.items("laws"), 1):
            self.load_law(data, _where("law", index, data))
        for index, data in enumerate(self.root.items("courts"), 1):
            self.load_court(data, _where("court", index, data))
        for index, data in enumerate(self.root.items("organisations"), 1):
            self.load_organisation(data, _where("organisation", index, data))
        for index, data in enumerate(self.root.items("people"), 1):
            self.load_person(data, _where("person", index, data))
        for index, data in enumerate(self.root.items("cases"), 1):
            self.load_case(data, _where("case", index, data))
        for index, data in enumerate(self.root.items("figures"), 1):
            self.load_figure(data, _where("figure", index, data))
        prefix = f"{self.namespace}:"
        self.outcome.not_in_file = [
            key
            for key in SeedRecord.objects.filter(key__startswith=prefix).values_list(
                "key", flat=True
            )
            if key not in self.seen
        ]
        return self.outcome

    def load_other_source(self, data, where):
        """A further source some facts cite (e.g. for an article's penalty)."""
        block = _Block(self, data, where, "other source")
        when = block.date("date")
        values = {
            "title": block.text("title", required=True),
            "short_title": block.text("short_title"),
            "symbol": block.text("symbol"),
            "publisher": block.text("publisher"),
            "date": when.date if when else None,
            "date_precision": when.precision if when else "day",
            "url": block.text("url"),
            "note": block.text("note"),
            "visibility": VISIBILITY,
        }
        key = block.text("key", required=True)
        self.other_sources[key] = self.put(f"source:{key}", Source, values, where)

    def load_source(self):
        block = _Block(self, self.root.data.get("source"), "source", "source")
        when = block.date("date")
        # The period the report covers: its last day is the date its facts were last confirmed.
        covers = {}
        for name in ("covers_from", "covers_until"):
            day = block.date(name)
            if day is not None and day.precision != DatePrecision.DAY:
                block.fail(name, 'give the day the period starts or ends, e.g. "2024-05-31"')
            covers[name] = day.date if day else None
        values = {
            "title": block.text("title", required=True),
            "short_title": block.text("short_title"),
            "symbol": block.text("symbol"),
            "publisher": block.text("publisher"),
            "date": when.date if when else None,
            "date_precision": when.precision if when else "day",
            "url": block.text("url"),
            "note": block.text("note"),
            "paragraph_count": block.integer("paragraph_count"),
            **covers,
            "visibility": VISIBILITY,
        }
        self.source = self.put(
            f"source:{block.text('key', required=True)}", Source, values, "source"
        )
        if self.source is None:
            self.fail("source", None, "the source was deleted from the database; restore it first")
        text = block.text("text")
        if text:
            self.attach_text(block, self.folder / text)

    def attach_text(self, block, path):
        """The source's text as a public document, its text extracted. A file already attached
        (the same SHA-256) is left as it is; a changed file becomes a new version."""
        try:
            content = path.read_bytes()
        except OSError as error:
            block.fail("text", f"cannot read {display_path(path)} ({error.strerror})")
        digest = hashlib.sha256(content).hexdigest()
        documents = Document.objects.filter(source=self.source)
        if documents.filter(sha256=digest).exists():
            return
        newest = documents.filter(replaced_by__isnull=True).newest_first().first()
        try:
            document = Document.from_upload(
                ContentFile(content, name=path.name),
                source=self.source,
                visibility=VISIBILITY,
                replaces=newest,
            )
            document.full_clean(exclude=["file"])
        except ValidationError as error:
            block.fail("text", "; ".join(error.messages))
        document.save()
        extract_text(document.pk)  # now, not after the commit: the seed's text is read at once

    def load_tag(self, data, where):
        block = _Block(self, data, where, "tag")
        slug = block.text("slug", required=True)
        values = {"slug": slug, "name_en": block.text("name_en", required=True)}
        tag = self.put(
            f"tag:{block.text('key', required=True)}",
            Tag,
            values,
            where,
            adopt={"slug": slug},
        )
        self.tags[slug] = tag

    def load_law(self, data, where):
        block = _Block(self, data, where, "law")
        key = block.text("key", required=True)
        title = block.text("title_en", required=True)
        values = {
            "title_en": title,
            "title_km": block.text("title_km"),
            "short_name": block.text("short_name"),
            "year": block.integer("year"),
        }
        law = self.put(f"law:{key}", Law, values, where, adopt={"title_en": title})
        self.laws[key] = law
        for index, article_data in enumerate(block.items("articles"), 1):
            self.load_article(
                law, key, article_data, f"{where}, {_where('article', index, article_data)}"
            )

    def load_article(self, law, law_key, data, where):
        block = _Block(self, data, where, "article")
        number = normalise_article_number(block.text("number", required=True))
        values = {
            "law": law,
            "number": number,
            "title_en": block.text("title_en", required=True),
            "title_km": block.text("title_km"),
            "offence_class": block.choice("offence_class", OffenceClass, OffenceClass.UNKNOWN),
            "penalty_min_months": block.integer("penalty_min_months"),
            "penalty_max_months": block.integer("penalty_max_months"),
            "fine_min_riel": block.integer("fine_min_riel"),
            "fine_max_riel": block.integer("fine_max_riel"),
        }
        key = f"article:{law_key}/{block.text('key', required=True)}"
        article = self.put(key, Article, values, where, adopt={"law": law, "number": number})
        self.articles[(law_key, number)] = article
        self.cite(key, article, block.paragraphs(), where)
        penalty = block.data.get("penalty_source")
        if penalty is not None:
            cited = _Block(self, penalty, f"{where}, penalty_source", "penalty source")
            source_key = cited.text("source", required=True)
            if source_key not in self.other_sources:
                cited.fail("source", f"no source {source_key!r} under other_sources")
            self.cite(
                f"{key}/penalty",
                article,
                [("", cited.text("note"))],
                where,
                source=self.other_sources[source_key],
            )

    def load_court(self, data, where):
        block = _Block(self, data, where, "court")
        name = block.text("name_en", required=True)
        values = {
            "name_en": name,
            "level": block.choice("level", CourtLevel),
            "province": self.province(block, "province"),
        }
        court = self.put(
            f"court:{block.text('key', required=True)}",
            Court,
            values,
            where,
            adopt={"name_en": name},
        )
        self.courts[name] = court

    def load_organisation(self, data, where):
        block = _Block(self, data, where, "organisation")
        name = block.text("name_en", required=True)
        values = {
            "name_en": name,
            "acronym": block.text("acronym"),
            "kind": block.choice("kind", OrganisationKind),
            "note": block.text("note"),
        }
        key = f"organisation:{block.text('key', required=True)}"
        self.organisations[name] = self.put(
            key, Organisation, values, where, adopt={"name_en": name}
        )

    def province(self, block, name):
        province_name = block.text(name)
        if not province_name:
            return None
        province = Province.objects.filter(name_en=province_name).first()
        if province is None:
            block.fail(name, f"no province is called {province_name!r}")
        return province

    def reference(self, block, name, table, what):
        value = block.text(name)
        if not value:
            return None
        if value not in table:
            block.fail(name, f"{value!r} is not listed under {what} in this file")
        return table[value]

    def load_person(self, data, where):
        block = _Block(self, data, where, "person")
        key = block.text("key", required=True)
        count = block.integer("count", default=1)
        if count < 1:
            block.fail("count", "must be 1 or more")
        if count > 1 and block.text("name"):
            block.fail("count", "only unnamed people are counted; a named person is one record")
        paragraphs = block.paragraphs()
        base = {
            "name": block.text("name"),
            "sex": block.choice("sex", Sex, Sex.UNKNOWN),
            "category": block.choice("category", Category),
            "province": self.province(block, "province"),
            **block.fact(),
        }
        description = block.text("description")
        people = []
        for number in range(1, count + 1):
            person_key = key if count == 1 else f"{key}-{number}"
            values = dict(base)
            values["description"] = (
                description if count == 1 else f"{description} (person {number} of {count})"
            )
            person = self.put(f"person:{person_key}", Defendant, values, where)
            self.cite(f"person:{person_key}", person, paragraphs, where)
            people.append((person_key, person))
            for index, affiliation in enumerate(block.items("affiliations"), 1):
                self.load_affiliation(
                    person_key, person, affiliation, f"{where}, affiliation {index}"
                )
        self.people[key] = people

    def load_affiliation(self, person_key, person, data, where):
        block = _Block(self, data, where, "affiliation")
        organisation = self.reference(block, "organisation", self.organisations, "organisations")
        if organisation is None:
            block.fail("organisation", "is required")
        values = {
            "defendant": person,
            "organisation": organisation,
            "role": block.text("role"),
            "is_former": block.flag("is_former"),
            **block.fact(),
        }
        key = f"affiliation:{person_key}/{block.text('key', required=True)}"
        paragraphs = block.paragraphs()
        if person is None:
            return
        self.cite(key, self.put(key, Affiliation, values, where), paragraphs, where)

    def defendants(self, block, name="defendants"):
        """[(person key, Defendant or None)] for the people a block names, groups expanded."""
        result = []
        for key in block.keys(name):
            if key not in self.people:
                block.fail(name, f"{key!r} is not listed under people in this file")
            result.extend(self.people[key])
        if not result:
            block.fail(name, "name at least one person")
        return result

    def load_case(self, data, where):
        block = _Block(self, data, where, "case")
        case_key = block.text("key", required=True)
        status_as_of = block.date("status_as_of") or self.status_as_of
        tags = []
        for slug in block.keys("tags"):
            if slug not in self.tags:
                block.fail("tags", f"{slug!r} is not listed under tags in this file")
            if self.tags[slug] is not None:
                tags.append(self.tags[slug])
        values = {
            "title": block.text("title", required=True),
            "status": block.choice("status", CaseStatus),
            "status_as_of": status_as_of.date if status_as_of else None,
            "court": self.reference(block, "court", self.courts, "courts"),
            "case_number": block.text("case_number"),
            "defendant_count_is_minimum": block.flag("defendant_count_is_minimum"),
            "summary": block.text("summary"),
            **block.fact(),
        }
        key = f"case:{case_key}"
        paragraphs = block.paragraphs()
        case = self.put(key, Case, values, where, m2m={"tags": tags})
        if case is None:
            # Deleted by a person: what hung on it is not recreated either, and is not reported
            # as missing from the file.
            self.seen.update(
                SeedRecord.objects.filter(
                    key__regex=rf"^{re.escape(self.namespace)}:[a-z]+:{re.escape(case_key)}[/#]"
                ).values_list("key", flat=True)
            )
            return
        self.cite(key, case, paragraphs, where)
        for number, data in enumerate(block.items("parties"), 1):
            self.load_party(case_key, case, data, f"{where}, party {number}")
        charges = {}
        for number, data in enumerate(block.items("charges"), 1):
            self.load_charges(case_key, case, data, f"{where}, charge {number}", charges)
        for number, data in enumerate(block.items("custody"), 1):
            self.load_custody(case_key, case, data, f"{where}, custody {number}")
        for number, data in enumerate(block.items("hearings"), 1):
            self.load_hearing(case_key, case, data, f"{where}, hearing {number}")
        for number, data in enumerate(block.items("decisions"), 1):
            self.load_decisions(case_key, case, data, f"{where}, decision {number}", charges)

    def load_party(self, case_key, case, data, where):
        block = _Block(self, data, where, "party")
        person_key = block.text("person", required=True)
        if person_key not in self.people:
            block.fail("person", f"{person_key!r} is not listed under people in this file")
        paragraphs = block.paragraphs()
        # A counted group ("three activists") is one block in the file, one link per person.
        for expanded_key, person in self.people[person_key]:
            if person is None:
                continue
            values = {
                "case": case,
                "defendant": person,
                "note": block.text("note"),
                **block.fact(),
            }
            key = f"party:{case_key}/{expanded_key}"
            self.cite(key, self.put(key, CaseDefendant, values, where), paragraphs, where)

    def load_charges(self, case_key, case, data, where, charges):
        block = _Block(self, data, where, "charge")
        charge_key = block.text("key", required=True)
        cited = [str(article) for article in block.items("articles")]
        law_key = block.text("law")
        if cited and law_key not in self.laws:
            block.fail("law", f"{law_key!r} is not listed under laws in this file")
        filed = block.date("date_filed")
        paragraphs = block.paragraphs()
        common = {
            "case": case,
            "label": block.text("label", required=True),
            "date_filed": filed.date if filed else None,
            "date_filed_precision": filed.precision if filed else "day",
            "status": block.choice("status", ChargeStatus, ChargeStatus.PENDING),
            **block.fact(),
        }
        found = charges.setdefault(charge_key, {})
        for as_cited in cited or [""]:
            article = None
            number = normalise_article_number(as_cited) if as_cited else "none"
            if as_cited:
                if (law_key, number) not in self.articles:
                    block.fail("articles", f"article {as_cited!r} of law {law_key!r} is not listed")
                article = self.articles[(law_key, number)]
            for person_key, person in self.defendants(block):
                if person is None:
                    continue
                values = {
                    **common,
                    "defendant": person,
                    "article": article,
                    "article_as_cited": as_cited,
                }
                key = f"charge:{case_key}/{charge_key}/{number}/{person_key}"
                charge = self.put(key, Charge, values, where)
                self.cite(key, charge, paragraphs, where)
                if charge is not None:
                    found.setdefault(person_key, []).append(charge)

    def load_custody(self, case_key, case, data, where):
        block = _Block(self, data, where, "custody")
        start, end = block.date("start", required=True), block.date("end")
        paragraphs = block.paragraphs()
        common = {
            "case": case,
            "kind": block.choice("kind", CustodyKind),
            "start": start.date,
            "start_precision": start.precision,
            "end": end.date if end else None,
            "end_precision": end.precision if end else "day",
            "note": block.text("note"),
            **block.fact(),
        }
        custody_key = block.text("key", required=True)
        for person_key, person in self.defendants(block):
            if person is None:
                continue
            key = f"custody:{case_key}/{custody_key}/{person_key}"
            period = self.put(key, CustodyPeriod, {**common, "defendant": person}, where)
            self.cite(key, period, paragraphs, where)

    def load_hearing(self, case_key, case, data, where):
        block = _Block(self, data, where, "hearing")
        when = block.date("date", required=True)
        values = {
            "case": case,
            "court": self.reference(block, "court", self.courts, "courts"),
            "date": when.date,
            "date_precision": when.precision,
            "kind": block.choice("kind", HearingKind),
            "status": block.choice("status", HearingStatus, HearingStatus.HELD),
            "outcome": block.text("outcome"),
            **block.fact(),
        }
        key = f"hearing:{case_key}/{block.text('key', required=True)}"
        paragraphs = block.paragraphs()
        self.cite(key, self.put(key, Hearing, values, where), paragraphs, where)

    def load_decisions(self, case_key, case, data, where, charges):
        block = _Block(self, data, where, "decision")
        when = block.date("date", required=True)
        charge_keys = block.keys("charges")
        for charge_key in charge_keys:
            if charge_key not in charges:
                block.fail("charges", f"{charge_key!r} is not a charge of this case")
        paragraphs = block.paragraphs()
        common = {
            "case": case,
            "court": self.reference(block, "court", self.courts, "courts"),
            "court_level": block.choice("court_level", CourtLevel),
            "kind": block.choice("kind", DecisionKind),
            "date": when.date,
            "date_precision": when.precision,
            "prison_months": block.integer("prison_months"),
            "suspended_months": block.integer("suspended_months"),
            "fined": block.flag("fined"),
            "fine_riel": block.integer("fine_riel"),
            "compensation_ordered": block.flag("compensation_ordered"),
            "compensation_riel": block.integer("compensation_riel"),
            "compensation_to": block.text("compensation_to"),
            "political_rights_ban_years": block.integer("political_rights_ban_years"),
            "in_absentia": block.flag("in_absentia"),
            "summary": block.text("summary"),
            **block.fact(),
        }
        decision_key = block.text("key", required=True)
        for person_key, person in self.defendants(block):
            if person is None:
                continue
            ruled_on = [
                charge
                for charge_key in charge_keys
                for charge in charges[charge_key].get(person_key, [])
            ]
            key = f"decision:{case_key}/{decision_key}/{person_key}"
            decision = self.put(
                key,
                Decision,
                {**common, "defendant": person},
                where,
                m2m={"charges": ruled_on},
                check=lambda obj, ruled_on=ruled_on: obj.validate_charges(ruled_on),
            )
            self.cite(key, decision, paragraphs, where)

    def load_figure(self, data, where):
        block = _Block(self, data, where, "figure")
        paragraphs = block.paragraphs()
        start, end = block.date("period_start"), block.date("period_end")
        value = block.integer("value")
        if value is None:
            block.fail("value", "is required")
        values = {
            "source": self.source,
            "paragraph": paragraphs[0][0],
            "label": block.text("label", required=True),
            "value": value,
            "is_minimum": block.flag("is_minimum"),
            "period_start": start.date if start else None,
            "period_end": end.date if end else None,
            **block.fact(),
        }
        key = f"figure:{block.text('key', required=True)}"
        self.cite(key, self.put(key, ReportedFigure, values, where), paragraphs, where)
