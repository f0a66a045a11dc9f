"""The one search: every provider's records a reader may see that match the words asked for,
ranked in one order.

A record matches when every word occurs in its text (as a substring, case-insensitive: Khmer
writes no spaces between words, so a Khmer word is found inside a longer run), or when one of
its romanised names is like the whole query (a misspelt romanisation: "Kim Sokha" finds "Kem
Sokha"; search/providers.py says which names).

- **PostgreSQL**: full-text search with the ``simple`` configuration (no stemming: names and
  Khmer are not English) matches and ranks (``SearchRank``); substrings catch Khmer; trigram
  similarity (``pg_trgm``, search/migrations/0001_pg_trgm.py) finds names spelt otherwise.
- **SQLite** (development and the quick test runs): the same rules in Python over each type's
  visible records, with ``difflib`` standing in for trigrams. Both give the same results on the
  test data (tests/search run on both).

The order: a record one of whose names is exactly the query first, then by rank, then by type
(``PROVIDERS``' order) and id. One query per type searched.
"""

import difflib
import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Greatest

from search.providers import PROVIDERS
from search.snippets import snippet

MAX_PER_TYPE = 200  # the best this many of each type; a search naming more is too vague
TRIGRAM_THRESHOLD = 0.45  # pg_trgm similarity of a name to the query ("Kim Sokha": 0.54)
LIKENESS_THRESHOLD = 0.8  # difflib's ratio, its stand-in on SQLite ("Kim Sokha": 0.89)


@dataclass
class Result:
    provider: object
    record: object
    snippet: str
    rank: float
    exact: bool

    @property
    def record_type(self):
        return self.provider.record_type

    @property
    def label(self):
        return self.provider.label

    @property
    def pk(self):
        return self.record.pk

    @property
    def title(self):
        return self.provider.title(self.record)

    @property
    def page_url(self):
        return self.provider.page_url(self.record)

    @property
    def api_url(self):
        return self.provider.api_url(self.record)


def normalised(text):
    return " ".join(text.split()).casefold()


def value_of(record, path):
    """A field's value, following ``__`` through related records; "" for none."""
    for part in path.split("__"):
        record = getattr(record, part, None)
        if record is None:
            return ""
    return str(record)


def search(query, level, record_type=None, year=None):
    """The results for ``query`` that a reader at ``level`` may see, best first; only records
    of ``record_type`` (a provider's name) and of ``year`` when given."""
    words = query.split()
    postgres = connection.vendor == "postgresql"
    results = []
    for position, provider in enumerate(PROVIDERS):
        if record_type and provider.record_type != record_type:
            continue
        records = provider.visible(level)
        if year is not None:
            if provider.in_year is None:
                continue  # reference data has no year
            records = provider.in_year(records, year, level)
        found = matches_postgres if postgres else matches_python
        for record, rank in found(provider, records, query, words):
            # A snippet from the text beyond the title where a word occurs there.
            shown = sorted(provider.fields, key=lambda name: name in provider.names)
            texts = [value_of(record, name) for name in shown]
            exact = any(
                normalised(value_of(record, name)) == normalised(query) for name in provider.names
            )
            results.append((position, Result(provider, record, snippet(texts, words), rank, exact)))
    results.sort(key=lambda item: (not item[1].exact, -item[1].rank, item[0], item[1].pk))
    return [result for _, result in results]


def matches_postgres(provider, records, query, words):
    vector = SearchVector(*provider.fields, config="simple")
    wanted = SearchQuery(query, config="simple")
    every_word = reduce(
        operator.and_,
        (
            reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in provider.fields))
            for word in words
        ),
    )
    condition = Q(document=wanted) | every_word
    rank = SearchRank(vector, wanted)
    if provider.alike:
        likeness = [TrigramSimilarity(name, query) for name in provider.alike]
        similarity = likeness[0] if len(likeness) == 1 else Greatest(*likeness)
        records = records.annotate(similarity=similarity)
        condition |= Q(similarity__gte=TRIGRAM_THRESHOLD)
    records = (
        records.annotate(document=vector, text_rank=rank)
        .filter(condition)
        .order_by("-text_rank", "pk")[:MAX_PER_TYPE]
    )
    for record in records:
        yield record, record.text_rank + getattr(record, "similarity", 0.0)


def matches_python(provider, records, query, words):
    """SQLite: the same rules in Python. ``re`` with IGNORECASE folds case the way the
    database's ``UPPER`` does for the scripts the tracker holds."""
    patterns = [re.compile(re.escape(word), re.IGNORECASE) for word in words]
    wanted = normalised(query)
    found = []
    for record in records.order_by("pk"):
        texts = [value_of(record, name) for name in provider.fields]
        names = [value_of(record, name) for name in provider.names]
        alike = [value_of(record, name) for name in provider.alike]
        every_word = all(any(p.search(text) for text in texts) for p in patterns)
        likeness = max(
            (difflib.SequenceMatcher(None, normalised(n), wanted).ratio() for n in alike if n),
            default=0.0,
        )
        if not every_word and likeness < LIKENESS_THRESHOLD:
            continue
        # Like SearchRank: the share of the words found, those in names counting double.
        in_names = sum(any(p.search(n) for n in names) for p in patterns)
        in_text = sum(any(p.search(t) for t in texts) for p in patterns)
        rank = 0.1 * (in_names + in_text) / (2 * len(patterns))
        similarity = likeness if likeness >= LIKENESS_THRESHOLD else 0.0
        found.append((record, rank + similarity))
    found.sort(key=lambda item: -item[1])
    return found[:MAX_PER_TYPE]
