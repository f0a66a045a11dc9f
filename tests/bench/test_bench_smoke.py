"""generate_synthetic, the benchmark data generator (bench/run.py loads its data)."""

import dataclasses
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, F, OuterRef

from cases.models import Case, CaseDefendant, Charge, Citation, Visibility
from defendants.models import CustodyPeriod, Defendant
from fairtrial.models import Answer
from hearings.models import Decision, Hearing
from ops.synthetic import ARTICLES, MODELS, References, SyntheticWorld

pytestmark = pytest.mark.django_db

KHMER = range(0x1780, 0x1800)


def generate(cases, *args):
    out = StringIO()
    call_command("generate_synthetic", "--cases", str(cases), "--force", *args, stdout=out)
    return out.getvalue()


def per_case(model, cases):
    return model.objects.count() / cases


@pytest.mark.postgres
def test_fifty_cases_come_with_people_charges_and_hearings_in_the_expected_ratios():
    output = generate(50)

    assert Case.objects.count() == 50
    # About 2 people, 4 charges and 10 hearings a case, give or take half.
    assert 1 <= per_case(Defendant, 50) <= 3
    assert 2 <= per_case(Charge, 50) <= 6
    assert 5 <= per_case(Hearing, 50) <= 15
    assert CaseDefendant.objects.count() >= Defendant.objects.count()
    for model in (Decision, CustodyPeriod, Citation):
        assert model.objects.exists(), model
    assert "rows/s" in output


@pytest.mark.postgres
def test_every_visibility_level_and_khmer_names_are_present():
    generate(50)

    levels = set(Visibility.values)
    assert set(Hearing.objects.values_list("visibility", flat=True)) == levels
    assert set(Citation.objects.values_list("visibility", flat=True)) == levels
    names = Defendant.objects.exclude(name_km="").values_list("name_km", flat=True)
    assert any(any(ord(letter) in KHMER for letter in name) for name in names)
    assert Defendant.objects.filter(name="").exists()  # some people are counted, not named


@pytest.mark.postgres
def test_it_writes_no_history_and_later_records_get_fresh_ids():
    generate(20)

    assert not Case.history.exists()
    case = Case.objects.create(title="Entered by a monitor", status="pretrial")
    assert case.pk > Case.objects.exclude(pk=case.pk).latest("pk").pk


def test_it_loads_on_any_database():
    generate(3)

    assert Case.objects.count() == 3
    assert Hearing.objects.filter(case__in=Case.objects.all()).exists()


@pytest.mark.parametrize("cases", [0, -5])
def test_it_refuses_a_number_of_cases_below_one(cases):
    with pytest.raises(CommandError, match="--cases must be a positive number of cases"):
        generate(cases)
    assert not Case.objects.exists()


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off.*--force"):
        call_command("generate_synthetic", "--cases", "1", stdout=StringIO())
    assert not Case.objects.exists()


def fake_references():
    return References(
        articles=[(pk, number, "unknown") for pk, (number, *_rest) in enumerate(ARTICLES, 1)],
        provinces=[(1, "Phnom Penh", "ភ្នំពេញ"), (2, "Kampot", "កំពត")],
        capital=0,
        first_instance={1: 10, 2: 11},
        appeal_court=12,
        supreme_court=13,
        tags=[1, 2, 3],
        organisations=[1, 2],
        sources=[(1, 0), (2, 1), (3, 2)],
        content_types={model: pk for pk, model in enumerate(MODELS, 1)},
    )


def rows(seed):
    world = SyntheticWorld(fake_references(), seed, dict.fromkeys(MODELS, 1))
    return list(world.batches(30, chunk=7))


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    assert rows(seed=7) == rows(seed=7)
    assert rows(seed=7) != rows(seed=8)


def test_monitored_hearings_held_come_with_fair_trial_answers_about_their_defendants():
    generate(20)

    answers = Answer.objects.all()
    assert answers.exists()
    assert not answers.exclude(hearing__monitored=True, hearing__status="held").exists()
    assert not answers.exclude(case_id=F("hearing__case_id")).exists()
    linked = CaseDefendant.objects.filter(
        case_id=OuterRef("case_id"), defendant_id=OuterRef("defendant_id")
    )
    assert not answers.exclude(Exists(linked)).exists()
    assert not answers.filter(note_visibility__lt=F("visibility")).exists()


def test_the_answers_leave_the_other_rows_as_the_seed_made_them():
    references = fake_references()
    without = SyntheticWorld(
        dataclasses.replace(references, checklist_items=[]), 7, dict.fromkeys(MODELS, 1)
    )
    with_answers = SyntheticWorld(
        dataclasses.replace(references, checklist_items=[1, 2, 3, 4, 5]),
        7,
        dict.fromkeys(MODELS, 1),
    )

    [plain] = list(without.batches(10))
    [answered] = list(with_answers.batches(10))

    assert answered[Answer] and not plain[Answer]
    assert {m: r for m, r in answered.items() if m is not Answer} == {
        m: r for m, r in plain.items() if m is not Answer
    }
