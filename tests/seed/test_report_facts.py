"""What the seed holds from the whole 2024 Secretary-General report, paragraph by paragraph:
the source's period, what is worked out rather than stated (``certainty``), what the report
leaves inconsistent (flagged, not fixed), the case of paragraph 46 and every figure on
monitoring and detention with its period.

Every expected value is written by hand from the report, not read from the seed file.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from cases.models import Case, Charge, Citation, ReportedFigure, Source
from defendants.models import DETENTION_KINDS, CustodyPeriod, Defendant
from hearings.models import Decision

pytestmark = pytest.mark.django_db

END_OF_PERIOD = datetime.date(2024, 5, 31)
START_OF_PERIOD = datetime.date(2023, 6, 1)


def person(name):
    return Defendant.objects.get(name=name)


def only_case(name, **filters):
    return person(name).cases.filter(**filters).get()


def when(record, field="date"):
    return getattr(record, field), getattr(record, f"{field}_precision")


def figure(paragraph, value):
    return ReportedFigure.objects.get(paragraph=paragraph, value=value)


def cited_paragraphs(record):
    """The paragraphs of the report the record cites."""
    citations = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        source__short_title="2024 UN Secretary-General report on Cambodia",
    )
    return sorted(citations.values_list("paragraph", flat=True), key=int)


# --- The source ---------------------------------------------------------------------------------


def test_the_report_covers_1_june_2023_to_31_may_2024():
    source = Source.objects.get(short_title="2024 UN Secretary-General report on Cambodia")

    assert (source.covers_from, source.covers_until) == (START_OF_PERIOD, END_OF_PERIOD)


def test_the_report_is_published_on_26_august_2024():
    source = Source.objects.get(short_title="2024 UN Secretary-General report on Cambodia")

    assert when(source) == (datetime.date(2024, 8, 26), "day")


# --- Paragraph 34 -------------------------------------------------------------------------------


def test_para_34_detention_of_the_three_unnamed_activists_starts_in_an_inferred_july_2023():
    case = only_case("Eng Sroy")
    periods = case.custody_periods.filter(
        kind="pretrial_detention", defendant__description__startswith="Candlelight Party activist"
    )

    assert periods.count() == 3
    for period in periods:
        assert when(period, "start") == (datetime.date(2023, 7, 1), "month")
        assert when(period, "end") == (datetime.date(2023, 10, 1), "month")
        assert period.certainty == "inferred"
        assert period.needs_review


def test_para_34_the_deputy_heads_arrest_on_20_august_is_reported_not_inferred():
    case = only_case("Eng Sroy")
    period = case.custody_periods.get(
        kind="pretrial_detention", defendant__description__icontains="deputy head"
    )

    assert period.certainty == "reported"


def test_para_34_awaiting_trial_is_an_inferred_status():
    case = only_case("Eng Sroy")

    assert (case.status, case.certainty) == ("pretrial", "inferred")


# --- Paragraph 35 -------------------------------------------------------------------------------


def test_para_35_chao_veasna_has_an_arrest_event_and_no_detention_period():
    periods = person("Chao Veasna").custody_periods.all()

    assert [(p.kind, p.start, p.end) for p in periods] == [
        ("arrest", datetime.date(2023, 7, 23), None)
    ]
    assert not periods.filter(kind__in=DETENTION_KINDS).exists()


def test_para_35_decided_at_first_instance_is_an_inferred_status():
    case = only_case("Chao Veasna")

    assert (case.status, case.certainty) == ("decided", "inferred")


# --- Paragraph 36 -------------------------------------------------------------------------------


def test_para_36_kem_sokhas_27_years_are_a_conviction_of_324_months():
    conviction = Decision.objects.get(defendant__name="Kem Sokha", kind="conviction")

    assert conviction.prison_months == 324
    assert conviction.suspended_months is None


def test_para_36_kem_sokhas_conviction_date_is_an_inferred_year_flagged_for_review():
    conviction = Decision.objects.get(defendant__name="Kem Sokha", kind="conviction")

    assert when(conviction) == (datetime.date(2023, 1, 1), "year")
    assert conviction.certainty == "inferred"
    assert conviction.needs_review
    assert "estimate" in conviction.review_note


def test_para_36_kem_sokhas_conviction_is_by_the_phnom_penh_court_on_both_charges():
    conviction = Decision.objects.get(defendant__name="Kem Sokha", kind="conviction")

    assert conviction.court.name_en == "Phnom Penh Court of First Instance"
    assert conviction.court_level == "first_instance"
    assert sorted(c.article.number for c in conviction.charges.all()) == ["439", "443"]
    assert cited_paragraphs(conviction) == ["36"]


def test_para_36_kem_sokhas_conviction_has_no_fine_or_ban_because_the_report_gives_none():
    conviction = Decision.objects.get(defendant__name="Kem Sokha", kind="conviction")

    assert not conviction.fined
    assert conviction.fine_riel is None
    assert conviction.political_rights_ban_years is None


def test_para_36_on_appeal_is_an_inferred_status():
    case = only_case("Kem Sokha")

    assert (case.status, case.certainty) == ("appeal", "inferred")


def test_para_36_the_28_hearings_figure_keeps_the_reports_political_actors():
    hearings = figure("36", 28)

    assert hearings.label == (
        "hearings OHCHR monitored in the criminal trials of human rights defenders, "
        "journalists and political actors"
    )
    assert cited_paragraphs(hearings) == ["1", "36"]


# --- Paragraph 37 -------------------------------------------------------------------------------


def test_para_37_thach_sethas_article_496_charge_is_labelled_to_discriminate_as_reported():
    charge = Charge.objects.get(defendant__name="Thach Setha", article__number="496")

    assert charge.label == "to discriminate"


def test_para_37_the_to_discriminate_label_is_flagged_for_review():
    charge = Charge.objects.get(defendant__name="Thach Setha", article__number="496")

    assert charge.needs_review
    assert "incitement to discriminate" in charge.review_note


def test_para_37_the_court_of_appeals_two_rulings_are_inferred_in_their_months():
    upheld = Decision.objects.filter(defendant__name="Thach Setha", kind="upheld")

    assert upheld.count() == 2
    assert set(upheld.values_list("certainty", flat=True)) == {"inferred"}


def test_para_37_the_joint_sentence_on_the_october_conviction_is_inferred():
    conviction = Decision.objects.get(
        defendant__name="Thach Setha", kind="conviction", date=datetime.date(2023, 10, 18)
    )

    assert (conviction.prison_months, conviction.certainty) == (54, "inferred")


def test_para_37_the_september_conviction_itself_is_reported():
    conviction = Decision.objects.get(
        defendant__name="Thach Setha", kind="conviction", date=datetime.date(2023, 9, 21)
    )

    assert (conviction.prison_months, conviction.certainty) == (None, "reported")


def test_para_37_pretrial_detention_from_the_january_2023_arrest_is_inferred():
    period = person("Thach Setha").custody_periods.get()

    assert (period.kind, period.end, period.certainty) == ("pretrial_detention", None, "inferred")


# --- Paragraph 38 -------------------------------------------------------------------------------


def test_para_38_the_2021_charge_keeps_the_reports_words():
    charge = Charge.objects.get(defendant__name="Chhorn Phalla", status="overturned")

    assert charge.label == "having allegedly cleared forest land"
    assert charge.article is None


def test_para_38_the_overturned_2021_case_is_dismissed_as_an_inferred_status():
    case = Charge.objects.get(defendant__name="Chhorn Phalla", status="overturned").case

    assert (case.status, case.certainty, case.needs_review) == ("dismissed", "inferred", True)


def test_para_38_the_2024_case_is_decided_as_an_inferred_status():
    case = Decision.objects.get(
        defendant__name="Chhorn Phalla", date=datetime.date(2024, 2, 7)
    ).case

    assert (case.status, case.certainty) == ("decided", "inferred")


def test_para_38_the_start_of_two_years_imprisonment_is_inferred():
    period = person("Chhorn Phalla").custody_periods.get()

    assert (period.kind, period.certainty) == ("imprisonment", "inferred")


# --- Paragraph 39 -------------------------------------------------------------------------------


def test_para_39_kang_sarans_detention_stays_open_and_flagged_as_reported():
    period = person("Kang Saran").custody_periods.get()

    assert (period.kind, period.end) == ("pretrial_detention", None)
    assert period.needs_review


# --- Paragraph 40 -------------------------------------------------------------------------------


def test_para_40_under_investigation_is_an_inferred_status():
    case = only_case("Ny Nak")

    assert (case.status, case.certainty) == ("investigation", "inferred")


def test_para_40_ny_nak_is_detained_not_merely_arrested():
    period = person("Ny Nak").custody_periods.get()

    assert (period.kind, period.certainty) == ("pretrial_detention", "reported")


# --- Paragraph 41 -------------------------------------------------------------------------------


def test_para_41_koeut_saray_has_an_arrest_event_and_no_detention_period():
    periods = person("Koeut Saray").custody_periods.all()

    assert [(p.kind, p.start, p.end) for p in periods] == [
        ("arrest", datetime.date(2024, 4, 5), None)
    ]


def test_para_41_koeut_sarays_under_investigation_is_an_inferred_status():
    case = only_case("Koeut Saray")

    assert (case.status, case.certainty) == ("investigation", "inferred")


def test_para_41_the_villagers_under_investigation_is_an_inferred_status():
    case = Case.objects.get(defendant_count_is_minimum=True)

    assert (case.status, case.certainty) == ("investigation", "inferred")


def test_para_41_the_villagers_charge_label_is_the_reports():
    labels = set(
        Charge.objects.filter(case__defendant_count_is_minimum=True).values_list("label", flat=True)
    )

    assert labels == {"clearing and enclosing forestland to claim it for ownership"}


# --- Paragraph 42 -------------------------------------------------------------------------------


def test_para_42_the_nagaworld_case_is_flagged_for_its_missing_sentences():
    case = only_case("Chhim Sithar")

    assert case.needs_review
    assert "sentence" in case.review_note


def test_para_42_no_sentence_is_recorded_because_the_report_gives_none():
    decisions = only_case("Chhim Sithar").decisions.all()

    assert decisions.count() == 27
    assert not decisions.exclude(prison_months=None).exists()
    assert not decisions.filter(fined=True).exists()


def test_para_42_no_custody_is_recorded_because_the_report_dates_none():
    case = only_case("Chhim Sithar")

    assert not case.custody_periods.exists()
    assert "release" in case.review_note


# --- Paragraph 46 -------------------------------------------------------------------------------


def para_46_case():
    return Case.objects.get(title__contains="146/2019")


def test_para_46_the_cedaw_communication_146_2019_is_a_case_of_one_unnamed_woman():
    case = para_46_case()
    defender = case.defendants.get()

    assert cited_paragraphs(case) == ["46"]
    assert defender.name == ""
    assert defender.sex == "female"
    assert defender.category == "human_rights_defender"
    assert cited_paragraphs(defender) == ["46"]


def test_para_46_has_no_charge_date_or_court_because_the_report_gives_none():
    case = para_46_case()

    assert not case.charges.exists()
    assert not case.decisions.exists()
    assert not case.custody_periods.exists()
    assert case.court is None


def test_para_46_status_is_inferred_and_flagged():
    case = para_46_case()

    assert (case.status, case.certainty, case.needs_review) == ("investigation", "inferred", True)


def test_para_46_is_tagged_land():
    assert list(para_46_case().tags.values_list("slug", flat=True)) == ["land"]


# --- Across the report --------------------------------------------------------------------------


def test_at_the_end_of_the_period_four_people_are_held_none_of_them_only_arrested():
    held = (
        CustodyPeriod.objects.running_on(END_OF_PERIOD)
        .filter(kind__in=DETENTION_KINDS)
        .values_list("defendant__name", flat=True)
    )

    assert sorted(held) == ["Eng Sroy", "Kang Saran", "Ny Nak", "Thach Setha"]


def test_every_sentence_in_the_report_is_a_structured_conviction():
    # Paras 35, 36, 37 (one joint term), 38 (twice) and 39; para 42 gives no sentence.
    sentenced = Decision.objects.filter(kind="conviction").exclude(prison_months=None)

    assert sorted(sentenced.values_list("defendant__name", "prison_months")) == [
        ("Chao Veasna", 36),
        ("Chhorn Phalla", 12),
        ("Chhorn Phalla", 72),
        ("Kang Saran", 36),
        ("Kem Sokha", 324),
        ("Thach Setha", 54),
    ]


# --- Figures ------------------------------------------------------------------------------------

# (paragraph, value, 'at least', period start, period end, certainty, flagged)
FIGURES = [
    ("32", 13, False, START_OF_PERIOD, datetime.date(2024, 2, 25), "inferred", False),
    ("32", 22, False, START_OF_PERIOD, datetime.date(2024, 2, 25), "inferred", False),
    ("36", 28, False, START_OF_PERIOD, END_OF_PERIOD, "reported", False),
    ("42", 95, True, START_OF_PERIOD, END_OF_PERIOD, "reported", False),
    ("42", 72, False, START_OF_PERIOD, END_OF_PERIOD, "reported", False),
    ("65", 4314, False, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), "reported", False),
    ("65", 105, False, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), "reported", False),
    ("67", 46575, False, datetime.date(2024, 5, 1), END_OF_PERIOD, "reported", True),
    ("67", 2788, False, datetime.date(2024, 5, 1), END_OF_PERIOD, "reported", True),
    ("67", 43148, False, datetime.date(2024, 5, 1), END_OF_PERIOD, "reported", True),
    ("67", 17, True, datetime.date(2023, 3, 1), END_OF_PERIOD, "reported", False),
    ("67", 29, False, datetime.date(2024, 5, 1), END_OF_PERIOD, "inferred", False),
    ("70", 18, False, START_OF_PERIOD, END_OF_PERIOD, "reported", False),
    ("70", 9, False, START_OF_PERIOD, END_OF_PERIOD, "reported", False),
    ("71", 1000, True, START_OF_PERIOD, END_OF_PERIOD, "inferred", True),
]


@pytest.mark.parametrize(
    ("paragraph", "value", "is_minimum", "start", "end", "certainty", "flagged"),
    FIGURES,
    ids=[f"para-{f[0]}-{f[1]}" for f in FIGURES],
)
def test_each_figure_has_its_value_period_and_paragraph(
    paragraph, value, is_minimum, start, end, certainty, flagged
):
    reported = figure(paragraph, value)

    assert reported.is_minimum is is_minimum
    assert (reported.period_start, reported.period_end) == (start, end)
    assert reported.certainty == certainty
    assert reported.needs_review is flagged
    assert paragraph in cited_paragraphs(reported)


def test_the_seed_holds_no_figure_beyond_those_pinned_here():
    assert ReportedFigure.objects.count() == len(FIGURES)


def test_para_32_the_missions_period_says_how_it_was_worked_out():
    missions = figure("32", 13)

    assert "lead-up" in missions.label
    assert "reporting period" in missions.review_note


def test_para_65_arrest_figures_are_the_national_committees():
    immigration = figure("65", 4314)
    other = figure("65", 105)

    assert immigration.label.startswith("persons arrested for immigration offences")
    assert other.label.startswith("persons arrested for other criminal offences")
    assert "National Committee on Countering Trafficking" in immigration.label


def test_para_67_women_and_men_do_not_add_up_to_the_total_and_are_flagged_not_fixed():
    total, women, men = figure("67", 46575), figure("67", 2788), figure("67", 43148)

    assert women.value + men.value == 45936 != total.value
    for part in (total, women, men):
        assert "45,936" in part.review_note


def test_para_67_growth_is_more_than_17_per_cent_since_march_2023():
    growth = figure("67", 17)

    assert growth.label.startswith("per cent increase in the prison population")
    assert "more than 17 per cent" in growth.review_note


def test_para_70_visits_and_prisons_are_two_figures_of_the_reporting_period():
    assert figure("70", 18).label == "visits OHCHR conducted to prisons"
    assert figure("70", 9).label == "prisons OHCHR visited"


def test_para_71_over_1000_inmates_is_a_flagged_minimum():
    inmates = figure("71", 1000)

    assert "over 1,000" in inmates.review_note
    assert cited_paragraphs(inmates) == ["1", "70", "71"]
