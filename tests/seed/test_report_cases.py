"""The cases of paragraphs 34-42 of the 2024 Secretary-General report, as the seed loads them
(paragraph 46 and the figures: test_report_facts.py).

Every expectation here is written by hand from the report, not read from the seed file.
"""

import datetime

import pytest

from cases.models import Case, Court, ReportedFigure, Source
from defendants.models import Defendant
from hearings.models import Decision

pytestmark = pytest.mark.django_db

END_OF_PERIOD = datetime.date(2024, 5, 31)


def person(name):
    return Defendant.objects.get(name=name)


def only_case(name, **filters):
    return person(name).cases.filter(**filters).get()


def articles(charges):
    return sorted(c.article.number for c in charges if c.article_id)


def when(record, field="date"):
    """(date, precision) of a record's partial date."""
    return getattr(record, field), getattr(record, f"{field}_precision")


# --- Paragraph 34 -------------------------------------------------------------------------------


def test_para_34_counts_five_co_defendants_four_of_them_unnamed():
    case = only_case("Eng Sroy")

    assert case.defendants.count() == 5
    unnamed = case.defendants.filter(name="")
    assert unnamed.count() == 4
    assert all(d.description for d in unnamed)


def test_para_34_eng_sroy_heads_the_candlelight_party_in_tbong_khmum():
    eng_sroy = person("Eng Sroy")
    affiliation = eng_sroy.affiliations.get()

    assert affiliation.organisation.name_en == "Candlelight Party"
    assert "Tbong Khmum" in affiliation.role
    assert not affiliation.is_former
    assert eng_sroy.sex == "male"


def test_para_34_deputy_head_is_unnamed_and_arrested_on_20_august_2023():
    case = only_case("Eng Sroy")
    deputy = case.defendants.get(description__icontains="deputy head")

    assert deputy.name == ""
    period = deputy.custody_periods.get(kind="pretrial_detention")
    assert when(period, "start") == (datetime.date(2023, 8, 20), "day")


def test_para_34_the_four_arrested_before_the_elections_are_charged_under_494_and_495():
    case = only_case("Eng Sroy")
    charged = case.defendants.filter(charges__case=case).distinct()

    assert charged.count() == 4
    assert "Eng Sroy" in {d.name for d in charged}
    for charge in case.charges.all():
        assert charge.article.number in ("494", "495")
        assert charge.article_as_cited in ("494", "495")
        assert charge.label == "incitement to commit a felony or to disturb social security"
        assert charge.status == "pending"


def test_para_34_the_deputy_head_has_no_charges_because_the_report_gives_none():
    case = only_case("Eng Sroy")
    deputy = case.defendants.get(description__icontains="deputy head")

    assert not deputy.charges.exists()


def test_para_34_arrest_in_the_week_before_the_elections_is_july_2023_worked_out():
    # The week before 23 July 2023 (para 5) lies wholly in July: the month is known, the day
    # is not, and the month is worked out rather than stated.
    period = person("Eng Sroy").custody_periods.get()

    assert when(period, "start") == (datetime.date(2023, 7, 1), "month")
    assert period.certainty == "inferred"
    assert period.needs_review
    assert "election" in period.note


def test_para_34_the_other_four_co_defendants_are_bailed_in_october_2023_not_eng_sroy():
    case = only_case("Eng Sroy")
    bail = Decision.objects.filter(case=case, kind="bail_granted")

    assert bail.count() == 4
    assert not bail.filter(defendant__name="Eng Sroy").exists()
    for decision in bail:
        assert when(decision) == (datetime.date(2023, 10, 1), "month")
        assert decision.court is None
        assert decision.court_level == "first_instance"
    released = case.custody_periods.filter(kind="bail").values_list("defendant", flat=True)
    assert set(released) == set(bail.values_list("defendant", flat=True))


def test_para_34_eng_sroy_remains_in_detention():
    period = person("Eng Sroy").custody_periods.get()

    assert period.kind == "pretrial_detention"
    assert period.end is None


def test_para_34_the_case_still_awaits_a_first_instance_decision_on_31_may_2024():
    case = only_case("Eng Sroy")

    assert case.status == "pretrial"
    assert case.status_as_of == END_OF_PERIOD
    assert case.court is None
    assert not case.decisions.filter(kind="conviction").exists()


# --- Paragraph 35 -------------------------------------------------------------------------------


def test_para_35_chao_veasna_is_arrested_and_charged_on_election_day():
    chao_veasna = person("Chao Veasna")
    case = only_case("Chao Veasna")

    arrest = chao_veasna.custody_periods.get()
    assert when(arrest, "start") == (datetime.date(2023, 7, 23), "day")
    assert articles(case.charges.all()) == ["494", "495"]
    for charge in case.charges.all():
        assert when(charge, "date_filed") == (datetime.date(2023, 7, 23), "day")


def test_para_35_chao_veasna_heads_the_candlelight_party_in_poipet():
    affiliation = person("Chao Veasna").affiliations.get()

    assert affiliation.organisation.name_en == "Candlelight Party"
    assert "Poipet" in affiliation.role


def test_para_35_conviction_on_7_february_2024_with_prison_ban_and_compensation():
    decision = Decision.objects.get(defendant__name="Chao Veasna", kind="conviction")

    assert when(decision) == (datetime.date(2024, 2, 7), "day")
    assert decision.prison_months == 36
    assert decision.political_rights_ban_years == 5
    assert decision.compensation_ordered
    assert decision.compensation_to == "National Election Committee"
    assert decision.compensation_riel is None
    assert decision.court is None
    assert decision.court_level == "first_instance"
    assert decision.charges.count() == 2


def test_para_35_nobody_on_the_list_of_40_becomes_a_defendant():
    assert only_case("Chao Veasna").defendants.count() == 1


# --- Paragraph 36 -------------------------------------------------------------------------------


def test_para_36_kem_sokha_is_the_former_president_of_the_cnrp():
    affiliation = person("Kem Sokha").affiliations.get()

    assert affiliation.organisation.name_en == "Cambodia National Rescue Party"
    assert affiliation.role == "President"
    assert affiliation.is_former


def test_para_36_kem_sokha_is_convicted_of_treason_and_conspiracy_under_439_and_443():
    charges = {c.article.number: c for c in only_case("Kem Sokha").charges.all()}

    assert charges["439"].label == "treason and espionage"
    assert charges["443"].label == "conspiracy with foreign power"
    assert {c.status for c in charges.values()} == {"convicted"}


def test_para_36_house_arrest_since_march_2023():
    period = person("Kem Sokha").custody_periods.get()

    assert period.kind == "house_arrest"
    assert when(period, "start") == (datetime.date(2023, 3, 1), "month")
    assert period.end is None


def test_para_36_court_of_appeal_begins_hearing_the_appeal_in_january_2024():
    case = only_case("Kem Sokha")
    hearing = case.hearings.get()

    assert hearing.kind == "appeal"
    assert when(hearing) == (datetime.date(2024, 1, 1), "month")
    assert hearing.court.name_en == "Court of Appeal"
    assert case.status == "appeal"


def test_para_36_undated_conviction_is_a_decision_with_an_estimated_flagged_date():
    conviction = only_case("Kem Sokha").decisions.get()

    assert conviction.kind == "conviction"
    assert conviction.prison_months == 27 * 12
    assert when(conviction) == (datetime.date(2023, 1, 1), "year")
    assert (conviction.certainty, conviction.needs_review) == ("inferred", True)


def test_para_36_ohchr_monitored_28_hearings_in_the_period():
    figure = ReportedFigure.objects.get(value=28)

    assert figure.paragraph == "36"
    assert "hearings" in figure.label
    assert not figure.is_minimum
    assert (figure.period_start, figure.period_end) == (datetime.date(2023, 6, 1), END_OF_PERIOD)


# --- Paragraph 37 -------------------------------------------------------------------------------


def test_para_37_thach_setha_has_two_cases_both_at_the_supreme_court():
    cases = person("Thach Setha").cases.all()

    assert cases.count() == 2
    assert {c.status for c in cases} == {"supreme"}
    assert {c.court.name_en for c in cases} == {"Supreme Court"}


def test_para_37_thach_setha_is_vice_president_of_the_candlelight_party():
    affiliation = person("Thach Setha").affiliations.get()

    assert affiliation.organisation.name_en == "Candlelight Party"
    assert affiliation.role == "Vice-President"


def test_para_37_first_conviction_is_under_the_negotiable_instruments_law_on_21_september():
    case = only_case("Thach Setha", charges__article__number="231")
    charge = case.charges.get()
    conviction = case.decisions.get(kind="conviction")

    assert charge.article.law.title_en == "Law on Negotiable Instruments and Payment Transactions"
    assert when(conviction) == (datetime.date(2023, 9, 21), "day")
    assert conviction.court.name_en == "Phnom Penh Court of First Instance"


def test_para_37_incitement_charges_are_filed_in_april_2023_and_convicted_on_18_october():
    case = only_case("Thach Setha", charges__article__number="496")
    conviction = case.decisions.get(kind="conviction")

    assert articles(case.charges.all()) == ["494", "495", "496"]
    for charge in case.charges.all():
        assert when(charge, "date_filed") == (datetime.date(2023, 4, 1), "month")
    assert when(conviction) == (datetime.date(2023, 10, 18), "day")
    assert conviction.court.name_en == "Phnom Penh Court of First Instance"
    assert conviction.charges.count() == 3


def test_para_37_the_joint_sentence_of_four_and_a_half_years_is_recorded_once_and_flagged():
    convictions = Decision.objects.filter(defendant__name="Thach Setha", kind="conviction")

    assert sorted(d.prison_months or 0 for d in convictions) == [0, 54]
    assert all(d.needs_review and "both" in d.review_note for d in convictions)


def test_para_37_appeal_decisions_keep_month_precision_and_flag_the_unknown_pairing():
    upheld = Decision.objects.filter(defendant__name="Thach Setha", kind="upheld")

    assert sorted(when(d) for d in upheld) == [
        (datetime.date(2024, 1, 1), "month"),
        (datetime.date(2024, 2, 1), "month"),
    ]
    for decision in upheld:
        assert decision.court.name_en == "Court of Appeal"
        assert decision.needs_review
        assert "which month" in decision.review_note


def test_para_37_arrest_in_january_2023_has_month_precision():
    period = person("Thach Setha").custody_periods.get()

    assert when(period, "start") == (datetime.date(2023, 1, 1), "month")


# --- Paragraph 38 -------------------------------------------------------------------------------


def test_para_38_chhorn_phalla_is_convicted_in_absentia_fined_and_given_one_year():
    decision = Decision.objects.get(defendant__name="Chhorn Phalla", date=datetime.date(2024, 2, 7))

    assert decision.kind == "conviction"
    assert decision.in_absentia
    assert decision.fined
    assert decision.fine_riel is None
    assert decision.prison_months == 12
    assert decision.court is None


def test_para_38_charges_keep_the_reports_labels_and_articles():
    case = Decision.objects.get(
        defendant__name="Chhorn Phalla", date=datetime.date(2024, 2, 7)
    ).case
    labels = {c.article.number: c.label for c in case.charges.all()}

    assert labels == {
        "305": "public defamation",
        "495": "incitement to discriminate",
        "502": "insult",
    }


def test_para_38_the_2021_conviction_overturned_in_october_2023_is_a_separate_case():
    overturned = Decision.objects.get(defendant__name="Chhorn Phalla", kind="overturned")
    case = overturned.case
    conviction = case.decisions.get(kind="conviction")

    assert person("Chhorn Phalla").cases.count() == 2
    assert when(overturned) == (datetime.date(2023, 10, 1), "month")
    assert overturned.court.name_en == "Court of Appeal"
    assert when(conviction) == (datetime.date(2021, 1, 1), "year")
    assert conviction.prison_months == 72
    assert case.charges.get().status == "overturned"


def test_para_38_two_years_served_are_derived_and_flagged_as_approximate():
    period = person("Chhorn Phalla").custody_periods.get()

    assert period.kind == "imprisonment"
    assert when(period, "start") == (datetime.date(2021, 10, 1), "approximate")
    assert when(period, "end") == (datetime.date(2023, 10, 1), "month")
    assert period.needs_review


def test_para_38_chhorn_phalla_is_recorded_as_a_man_as_the_report_refers_to_him():
    assert person("Chhorn Phalla").sex == "male"


# --- Paragraph 39 -------------------------------------------------------------------------------


def test_para_39_kang_saran_is_detained_on_4_july_2023():
    period = person("Kang Saran").custody_periods.get()

    assert when(period, "start") == (datetime.date(2023, 7, 4), "day")


def test_para_39_lese_majeste_charge_keeps_article_437_bis_as_cited():
    charge = only_case("Kang Saran").charges.get(article__number="437 bis")

    assert charge.article_as_cited == "437 (bis)"
    assert "lèse-majesté" in charge.label
    assert charge.date_filed is None


def test_para_39_kang_saran_is_charged_under_307_494_495_and_437_bis():
    charges = only_case("Kang Saran").charges.all()

    assert articles(charges) == ["307", "437 bis", "494", "495"]
    assert charges.get(article__number="307").label == "public insult"


def test_para_39_convicted_in_banteay_meanchey_and_upheld_in_battambang():
    conviction = Decision.objects.get(defendant__name="Kang Saran", kind="conviction")
    upheld = Decision.objects.get(defendant__name="Kang Saran", kind="upheld")

    assert when(conviction) == (datetime.date(2023, 11, 22), "day")
    assert conviction.court.name_en == "Banteay Meanchey Court of First Instance"
    assert conviction.court.province.name_en == "Banteay Meanchey"
    assert conviction.prison_months == 36
    assert when(upheld) == (datetime.date(2024, 2, 15), "day")
    assert upheld.court.name_en == "Battambang Court of Appeal"
    assert upheld.court.province.name_en == "Battambang"


def test_para_39_the_monk_is_not_a_defendant():
    assert only_case("Kang Saran").defendants.count() == 1
    assert not Defendant.objects.filter(description__icontains="monk").exists()


# --- Paragraph 40 -------------------------------------------------------------------------------


def test_para_40_ny_nak_is_detained_and_charged_on_5_january_2024():
    ny_nak = person("Ny Nak")
    charges = only_case("Ny Nak").charges.all()

    assert ny_nak.category == "commentator"
    assert when(ny_nak.custody_periods.get(), "start") == (datetime.date(2024, 1, 5), "day")
    assert articles(charges) == ["302", "494", "495", "496", "88"]
    assert {c.date_filed for c in charges} == {datetime.date(2024, 1, 5)}


def test_para_40_bail_is_denied_in_march_2024():
    decision = Decision.objects.get(defendant__name="Ny Nak")

    assert decision.kind == "bail_denied"
    assert when(decision) == (datetime.date(2024, 3, 1), "month")


def test_para_40_heng_sour_is_not_a_defendant():
    assert not Defendant.objects.filter(name__icontains="Heng Sour").exists()
    assert only_case("Ny Nak").defendants.count() == 1


# --- Paragraph 41 -------------------------------------------------------------------------------


def test_para_41_koeut_saray_president_of_ksila_is_arrested_on_5_april_2024():
    koeut_saray = person("Koeut Saray")
    affiliation = koeut_saray.affiliations.get()

    assert affiliation.organisation.name_en == "Khmer Student Intellectual League Association"
    assert affiliation.role == "President"
    assert when(koeut_saray.custody_periods.get(), "start") == (datetime.date(2024, 4, 5), "day")
    assert articles(only_case("Koeut Saray").charges.all()) == ["494", "495", "88"]


def test_para_41_at_least_28_villagers_are_charged_in_a_separate_case():
    case = Case.objects.get(defendant_count_is_minimum=True)

    assert case.defendants.count() == 28
    assert not case.defendants.exclude(name="").exists()
    assert set(case.defendants.values_list("province__name_en", flat=True)) == {"Preah Vihear"}
    assert "Koeut Saray" not in {d.name for d in case.defendants.all()}


def test_para_41_villagers_charges_have_no_article_and_keep_the_reports_label():
    case = Case.objects.get(defendant_count_is_minimum=True)

    assert case.charges.count() == 28
    for charge in case.charges.all():
        assert charge.article is None
        assert charge.article_as_cited == ""
        assert "forestland" in charge.label


# --- Paragraph 42 -------------------------------------------------------------------------------


def test_para_42_nine_union_activists_including_chhim_sithar():
    case = only_case("Chhim Sithar")

    assert case.defendants.count() == 9
    assert case.defendants.filter(name="").count() == 8
    assert person("Chhim Sithar").sex == "female"


def test_para_42_chhim_sithar_presides_over_the_nagaworld_union():
    affiliation = person("Chhim Sithar").affiliations.get()

    assert (
        affiliation.organisation.name_en
        == "Labour Rights Supported Union of Khmer Employees of NagaWorld"
    )
    assert affiliation.organisation.kind == "union"
    assert affiliation.role == "President"


def test_para_42_convicted_may_2023_upheld_on_appeal_and_by_the_supreme_court():
    decisions = Decision.objects.filter(defendant__name="Chhim Sithar")

    conviction = decisions.get(kind="conviction")
    assert when(conviction) == (datetime.date(2023, 5, 1), "month")
    assert conviction.court is None
    assert conviction.court_level == "first_instance"
    appeal = decisions.get(court_level="appeal")
    assert (appeal.kind, when(appeal)) == ("upheld", (datetime.date(2023, 10, 16), "day"))
    supreme = decisions.get(court_level="supreme")
    assert (supreme.kind, when(supreme)) == ("upheld", (datetime.date(2024, 5, 3), "day"))
    assert supreme.court.name_en == "Supreme Court"


def test_para_42_every_one_of_the_nine_has_the_three_decisions():
    case = only_case("Chhim Sithar")

    for defendant in case.defendants.all():
        assert case.decisions.filter(defendant=defendant).count() == 3


def test_para_42_case_is_final_at_the_end_of_the_period():
    case = only_case("Chhim Sithar")

    assert case.status == "final"
    assert case.status_as_of == END_OF_PERIOD


def test_para_42_demonstrations_figures():
    total = ReportedFigure.objects.get(value=95)
    nagaworld = ReportedFigure.objects.get(value=72)

    assert total.is_minimum
    assert not nagaworld.is_minimum
    assert total.paragraph == nagaworld.paragraph == "42"


# --- Across the report --------------------------------------------------------------------------


def test_only_the_courts_the_report_names_are_created():
    assert set(Court.objects.values_list("name_en", flat=True)) == {
        "Phnom Penh Court of First Instance",
        "Banteay Meanchey Court of First Instance",
        "Court of Appeal",
        "Battambang Court of Appeal",
        "Supreme Court",
    }


def test_every_case_has_its_status_as_of_the_end_of_the_reporting_period():
    # Twelve cases in paras 34-42 (two each for Thach Setha and Chhorn Phalla, and the
    # villagers' case beside Koeut Saray's in para 41) and one in para 46.
    assert Case.objects.count() == 13
    assert set(Case.objects.values_list("status_as_of", flat=True)) == {END_OF_PERIOD}


def test_defendants_total_named_and_counted_people():
    # Nine named people; unnamed: 3 + 1 in para 34, 28 in para 41, 8 in para 42, 1 in para 46.
    assert Defendant.objects.exclude(name="").count() == 9
    assert Defendant.objects.filter(name="").count() == 41


def test_para_39_kang_sarans_on_appeal_status_is_marked_inferred(client):
    case = Case.objects.get(title__startswith="Kang Saran")
    assert (case.status, case.certainty) == ("appeal", "inferred")

    page = client.get(f"/cases/{case.pk}/").content.decode()
    api = client.get(f"/api/v1/cases/{case.pk}/").json()

    assert 'class="certainty certainty-inferred"' in page
    assert api["certainty"] == "inferred"


def test_the_report_has_its_75_paragraphs_counted():
    source = Source.objects.get(short_title="2024 UN Secretary-General report on Cambodia")
    assert source.paragraph_count == 75
