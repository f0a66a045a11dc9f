"""Who may see each record, as the change feed records it (exchange.changes.levels): read
through each type's list endpoint, from SQL compiled once per process."""

import pytest
from django.db import connection

from cases.models import Case
from core import registry
from core.visibility import Visibility
from exchange.changes import GONE, _levels_sql, gate, levels
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    DefendantFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC, PARTNERS, MONITORS = Visibility.PUBLIC, Visibility.PARTNERS, Visibility.MONITORS


def seen_through_the_gates(record_type, pk):
    for level in (PUBLIC, PARTNERS, MONITORS):
        if gate(record_type, level).filter(pk=pk).exists():
            return int(level)
    return GONE


def test_the_compiled_sql_holds_no_value_read_when_it_was_built():
    before = {
        record_type: _levels_sql(record_type, connection.alias, connection.vendor)
        for record_type in registry.synced()
    }
    case = CaseFactory(visibility=MONITORS)
    CitationFactory(subject=case)
    ChargeFactory(case=case, visibility=PARTNERS)

    for record_type in registry.synced():
        fresh = _levels_sql.__wrapped__(record_type, connection.alias, connection.vendor)
        assert fresh == before[record_type], record_type.model_class._meta.label


@pytest.mark.parametrize("case_level", [PUBLIC, PARTNERS, MONITORS])
def test_a_records_level_is_the_lowest_whose_list_shows_it(case_level):
    case = CaseFactory(visibility=case_level)
    records = [
        case,
        ChargeFactory(case=case),
        CaseDefendantFactory(case=case, defendant=DefendantFactory(visibility=PUBLIC)),
        CitationFactory(subject=case),
    ]
    for record in records:
        record_type, pk, label = registry.for_model(type(record)), record.pk, type(record)
        assert levels(record_type, [pk]) == {pk: seen_through_the_gates(record_type, pk)}, label
        assert levels(record_type, [pk])[pk] == case_level, label


def test_a_missing_record_is_seen_by_nobody():
    record_type = registry.for_model(Case)
    public = CaseFactory(visibility=PUBLIC)

    assert levels(record_type, [public.pk, 999_999]) == {public.pk: PUBLIC, 999_999: GONE}


def test_no_record_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert levels(registry.for_model(Case), []) == {}
