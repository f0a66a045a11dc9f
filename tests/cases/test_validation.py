import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.models import CourtLevel
from core.dates import DatePrecision
from hearings.models import DecisionKind
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_a_custody_period_that_ends_before_it_starts_is_rejected():
    period = CustodyPeriodFactory.build(
        defendant=DefendantFactory(),
        case=CaseFactory(),
        start=datetime.date(2024, 3, 10),
        end=datetime.date(2024, 3, 1),
    )

    assert errors_of(period)["end"] == [
        "This custody period ends (1 March 2024) before it starts (10 March 2024)."
    ]


def test_a_custody_period_ending_within_its_start_month_is_accepted():
    charge = ChargeFactory()
    period = CustodyPeriodFactory.build(
        defendant=charge.defendant,
        case=charge.case,
        start=datetime.date(2024, 3, 1),
        start_precision=DatePrecision.MONTH,
        end=datetime.date(2024, 3, 10),
    )

    period.full_clean()


def test_custody_needs_the_person_to_be_a_defendant_in_the_case():
    period = CustodyPeriodFactory.build(defendant=DefendantFactory(), case=CaseFactory())

    assert "not a defendant in this case" in errors_of(period)["defendant"][0]


def test_negative_months_are_rejected():
    decision = DecisionFactory.build(
        case=CaseFactory(), defendant=DefendantFactory(), court=None, prison_months=-3
    )

    assert errors_of(decision)["prison_months"] == [
        "Ensure this value is greater than or equal to 0."
    ]


def test_more_suspended_months_than_the_sentence_are_rejected():
    decision = DecisionFactory.build(
        case=CaseFactory(),
        defendant=DefendantFactory(),
        court=None,
        prison_months=12,
        suspended_months=18,
    )

    assert errors_of(decision)["suspended_months"] == [
        "More months are suspended than the prison term."
    ]


def test_a_decision_dated_before_the_charge_it_decides_is_rejected():
    charge = ChargeFactory(date_filed=datetime.date(2024, 4, 10), label="incitement")
    decision = DecisionFactory(
        case=charge.case, defendant=charge.defendant, date=datetime.date(2024, 3, 1)
    )
    decision.charges.add(charge)

    assert errors_of(decision)["date"] == [
        "This decision (1 March 2024) is dated before the charge “incitement” was filed "
        "(10 April 2024)."
    ]


def test_a_decision_in_the_month_a_charge_was_filed_is_accepted():
    charge = ChargeFactory(
        date_filed=datetime.date(2024, 4, 1), date_filed_precision=DatePrecision.MONTH
    )
    decision = DecisionFactory(
        case=charge.case, defendant=charge.defendant, date=datetime.date(2024, 4, 2)
    )
    decision.charges.add(charge)

    decision.full_clean()


def test_a_decision_on_someone_elses_charge_is_rejected():
    charge = ChargeFactory()
    decision = DecisionFactory(case=charge.case, defendant=DefendantFactory())

    with pytest.raises(ValidationError, match="against someone else"):
        decision.validate_charges([charge])


def test_an_appeal_decision_at_a_first_instance_court_is_rejected():
    decision = DecisionFactory.build(
        case=CaseFactory(),
        defendant=DefendantFactory(),
        court=CourtFactory(level=CourtLevel.FIRST_INSTANCE),
        court_level=CourtLevel.FIRST_INSTANCE,
        kind=DecisionKind.UPHELD,
    )

    assert "is an appeal decision" in errors_of(decision)["kind"][0]


def test_a_court_level_that_contradicts_the_court_is_rejected():
    decision = DecisionFactory.build(
        case=CaseFactory(),
        defendant=DefendantFactory(),
        court=CourtFactory(name_en="Court of Appeal", level=CourtLevel.APPEAL),
        court_level=CourtLevel.FIRST_INSTANCE,
    )

    assert errors_of(decision)["court_level"] == [
        "Court of Appeal is a court of appeal, not a court of first instance."
    ]


def test_a_charge_against_someone_not_in_the_case_is_rejected():
    charge = ChargeFactory.build(
        case=CaseFactory(), defendant=DefendantFactory(), article=ArticleFactory()
    )

    assert "not a defendant in this case" in errors_of(charge)["defendant"][0]


def test_an_unnamed_defendant_needs_a_description():
    person = DefendantFactory.build(name="", description="")

    assert "needs a description" in errors_of(person)["description"][0]


def test_an_unnamed_defendant_is_shown_by_description():
    person = DefendantFactory(name="", description="deputy head of a provincial branch")

    assert str(person) == "deputy head of a provincial branch"


def test_article_numbers_are_normalised():
    assert ArticleFactory(number="437 (bis)").number == "437 bis"


def test_a_month_precision_date_is_stored_as_the_first_of_the_month():
    charge = ChargeFactory(
        date_filed=datetime.date(2023, 4, 17), date_filed_precision=DatePrecision.MONTH
    )
    charge.refresh_from_db()

    assert charge.date_filed == datetime.date(2023, 4, 1)
    assert str(charge.filed) == "April 2023"
