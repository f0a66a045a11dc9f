"""How `manage.py seed_report` behaves: re-runs, people's edits, malformed files."""

import textwrap
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from cases.models import Case, Tag
from hearings.models import Decision, Hearing

pytestmark = pytest.mark.django_db

# Every table the seed writes to, or could.
SEEDED_MODELS = [
    "cases.Source",
    "cases.Citation",
    "cases.Tag",
    "cases.Law",
    "cases.Article",
    "cases.Court",
    "cases.Case",
    "cases.CaseDefendant",
    "cases.Charge",
    "cases.ReportedFigure",
    "cases.SeedRecord",
    "defendants.Organisation",
    "defendants.Defendant",
    "defendants.Affiliation",
    "defendants.CustodyPeriod",
    "hearings.Hearing",
    "hearings.Decision",
]


def database_rows():
    """Every row of every seeded table, all columns (updated_at included), plus M2M links."""
    rows = {}
    for label in SEEDED_MODELS:
        model = apps.get_model(label)
        rows[label] = list(model.objects.order_by("pk").values())
    rows["case tags"] = list(Case.tags.through.objects.order_by("pk").values())
    rows["decision charges"] = list(Decision.charges.through.objects.order_by("pk").values())
    return rows


def seed(*args):
    out = StringIO()
    call_command("seed_report", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="seed.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


MINIMAL = """\
    seed: test-seed
    source:
      key: a-report
      title: A test report
      date: "2024-08-26"
    tags:
      - {key: t, slug: test-tag, name_en: Test tag}
    people:
      - key: someone
        name: Some One
        category: other
        para: 1
"""


def with_case(decision_lines):
    return (
        MINIMAL
        + """\
    cases:
      - key: a-case
        title: A case
        status: decided
        para: 1
        parties:
          - {person: someone, para: 1}
        decisions:
          - key: first
            defendants: [someone]
"""
        + textwrap.indent(textwrap.dedent(decision_lines), " " * 12)
    )


# --- Re-running ---------------------------------------------------------------------------------


def test_running_it_twice_changes_no_row_and_no_updated_at():
    before = database_rows()

    seed()

    assert database_rows() == before


def test_a_second_run_reports_everything_unchanged(seeded):
    output = seed()

    assert " 0 created, 0 updated, " in output
    assert "0 skipped" in output
    assert "unchanged" in output


def test_the_first_run_prints_a_summary_of_counts(seeded):
    assert "ops/seed/report_2024.yaml:" in seeded
    for word in ("created", "updated", "unchanged", "skipped"):
        assert word in seeded


def test_a_monitors_edit_survives_a_reseed_and_is_reported():
    case = Decision.objects.get(defendant__name="Chao Veasna").case
    case.summary = "Monitor's corrected summary."
    case.save()

    output = seed()

    case.refresh_from_db()
    assert case.summary == "Monitor's corrected summary."
    assert "Skipped" in output
    assert "para-35-chao-veasna" in output
    assert "summary" in output


def test_an_edited_decision_keeps_the_edit_and_the_rest_is_unchanged():
    decision = Decision.objects.get(defendant__name="Chao Veasna")
    decision.prison_months = 30
    decision.save()
    before = database_rows()

    output = seed()

    decision.refresh_from_db()
    assert decision.prison_months == 30
    assert database_rows() == before
    assert "1 skipped" in output


def test_a_deleted_seeded_record_is_not_recreated_and_is_reported():
    Hearing.objects.get().delete()

    output = seed()

    assert not Hearing.objects.exists()
    assert "deleted since it was seeded" in output


def test_a_deleted_case_takes_its_records_along_and_nothing_is_recreated():
    Decision.objects.get(defendant__name="Chao Veasna").case.delete()

    output = seed()

    assert not Case.objects.filter(title__startswith="Chao Veasna").exists()
    assert not Decision.objects.filter(defendant__name="Chao Veasna").exists()
    assert "deleted since it was seeded" in output
    assert "no longer in the file" not in output


def test_records_dropped_from_the_file_are_left_alone_and_listed(tmp_path):
    path = write(tmp_path, MINIMAL)
    seed("--file", str(path))
    path.write_text(
        path.read_text().replace("tags:\n  - {key: t, slug: test-tag, name_en: Test tag}\n", "")
    )

    output = seed("--file", str(path))

    assert Tag.objects.filter(slug="test-tag").exists()
    assert "no longer in the file" in output
    assert "test-seed:tag:t" in output


def test_an_unedited_record_follows_a_change_in_the_file(tmp_path):
    path = write(tmp_path, MINIMAL)
    seed("--file", str(path))
    path.write_text(path.read_text().replace("Test tag", "Renamed tag"))

    output = seed("--file", str(path))

    assert Tag.objects.get(slug="test-tag").name_en == "Renamed tag"
    assert "1 updated" in output


def test_a_file_change_does_not_overwrite_a_persons_edit(tmp_path):
    path = write(tmp_path, MINIMAL)
    seed("--file", str(path))
    tag = Tag.objects.get(slug="test-tag")
    tag.name_en = "Edited by a monitor"
    tag.save()
    path.write_text(path.read_text().replace("Test tag", "Renamed tag"))

    output = seed("--file", str(path))

    assert Tag.objects.get(slug="test-tag").name_en == "Edited by a monitor"
    assert "Skipped test-seed:tag:t" in output


# --- Malformed files ----------------------------------------------------------------------------


def test_an_impossible_date_names_the_file_the_case_the_decision_and_the_field(tmp_path):
    path = write(
        tmp_path,
        with_case(
            """\
            kind: conviction
            court_level: first_instance
            date: "2024-02-30"
            para: 1
            """
        ),
    )

    with pytest.raises(CommandError) as error:
        seed("--file", str(path))

    message = str(error.value)
    assert message.startswith(f"{path}: case 'a-case', decision 1, field 'date': ")
    assert "2024-02-30" in message
    assert "is not a real date" in message


def test_a_malformed_file_changes_nothing_in_the_database(tmp_path):
    # The source, tag, person and case are valid and come first; the decision is broken.
    path = write(
        tmp_path,
        with_case(
            """\
            kind: conviction
            court_level: first_instance
            date: "2024-02-30"
            para: 1
            """
        ),
    )
    before = database_rows()

    with pytest.raises(CommandError):
        seed("--file", str(path))

    assert database_rows() == before
    assert not Tag.objects.filter(slug="test-tag").exists()


def test_model_validation_messages_come_through(tmp_path):
    path = write(
        tmp_path,
        with_case(
            """\
            kind: upheld
            court_level: first_instance
            date: "2024-02-07"
            para: 1
            """
        ),
    )

    with pytest.raises(CommandError) as error:
        seed("--file", str(path))

    message = str(error.value)
    assert "case 'a-case', decision 1, field 'kind'" in message
    assert "court of first instance cannot take it" in message


def test_an_unknown_field_is_rejected_by_name(tmp_path):
    path = write(
        tmp_path,
        with_case(
            """\
            kind: conviction
            court_level: first_instance
            date: "2024-02-07"
            prison_years: 3
            para: 1
            """
        ),
    )

    with pytest.raises(CommandError, match=r"decision 1, field 'prison_years': unknown field"):
        seed("--file", str(path))


def test_a_fact_without_its_paragraph_is_rejected(tmp_path):
    path = write(
        tmp_path,
        with_case(
            """\
            kind: conviction
            court_level: first_instance
            date: "2024-02-07"
            """
        ),
    )

    with pytest.raises(CommandError, match=r"decision 1, field 'para'"):
        seed("--file", str(path))


def test_a_reference_to_an_unlisted_court_is_rejected(tmp_path):
    path = write(
        tmp_path,
        with_case(
            """\
            kind: conviction
            court: Kandal Court of First Instance
            court_level: first_instance
            date: "2024-02-07"
            para: 1
            """
        ),
    )

    with pytest.raises(CommandError, match=r"field 'court': 'Kandal Court of First Instance'"):
        seed("--file", str(path))


def test_a_source_period_known_only_to_the_month_is_rejected(tmp_path):
    # The last day a source covers is the day its facts were last confirmed: a month is not
    # enough to count detention to.
    path = write(tmp_path, MINIMAL.replace('date: "2024-08-26"', 'covers_until: "2024-05"'))

    with pytest.raises(CommandError, match=r"source, field 'covers_until': give the day"):
        seed("--file", str(path))


def test_a_file_that_is_not_yaml_is_rejected_with_its_name(tmp_path):
    path = write(tmp_path, "seed: [unclosed\n")

    with pytest.raises(CommandError, match=rf"^{path}: not valid YAML"):
        seed("--file", str(path))


def test_a_missing_file_is_rejected_with_its_name(tmp_path):
    path = tmp_path / "absent.yaml"

    with pytest.raises(CommandError, match=rf"^{path}: cannot read the file"):
        seed("--file", str(path))


# --- Fields the data file gains later ------------------------------------------------------


def forget_field(model_label, field):
    """Make the seed records of ``model_label`` look as if written before ``field`` existed."""
    from cases.models import SeedRecord

    model = apps.get_model(model_label)
    records = SeedRecord.objects.filter(content_type__model=model._meta.model_name)
    for record in records:
        record.written.pop(field, None)
        record.save()
    return records


def test_a_field_new_to_the_data_file_is_filled_in_on_the_next_run():
    from cases.models import Source

    forget_field("cases.Source", "short_title")
    source = Source.objects.get(title__startswith="Role and achievements")
    source.short_title = ""
    source.save()

    output = seed()

    source.refresh_from_db()
    assert source.short_title == "2024 UN Secretary-General report on Cambodia"
    assert "Skipped" not in output


def test_a_new_field_a_person_already_filled_in_is_kept():
    from cases.models import Source

    forget_field("cases.Source", "short_title")
    source = Source.objects.get(title__startswith="Role and achievements")
    source.short_title = "UN SG report 2024"
    source.save()

    output = seed()

    source.refresh_from_db()
    assert source.short_title == "UN SG report 2024"
    assert "edited since it was seeded (short_title)" in output
