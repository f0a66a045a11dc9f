"""Filters on /api/v1/cases/ (and the id filters of the other lists). A filter looks only at
the related records the caller may see: it must never reveal a public case through a hidden
charge, person, custody period, hearing or decision."""

import datetime

import pytest

from cases.models import CourtLevel, Tag
from core.visibility import Visibility
from defendants.models import Category, CustodyKind
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    LawFactory,
    ProvinceFactory,
)

from .helpers import ids

pytestmark = pytest.mark.django_db

D = datetime.date
HIDDEN = Visibility.MONITORS


def cases(client, **params):
    return ids(client.get("/api/v1/cases/", params))


# Each filter finds the case it names and no other ---------------------------------------------


@pytest.mark.parametrize("spelling", ["437 bis", "437bis", "437 (bis)", "437 BIS"])
def test_article_filter_accepts_every_spelling_of_a_suffixed_article(anonymous_api, spelling):
    wanted = ChargeFactory(article__number="437 bis").case
    ChargeFactory(article__number="437")

    assert cases(anonymous_api, article=spelling) == [wanted.pk]


def test_article_filter_matches_the_whole_number(anonymous_api):
    wanted = ChargeFactory(article__number="494").case
    ChargeFactory(article__number="495")

    assert cases(anonymous_api, article="494") == [wanted.pk]


def test_law_filter_finds_cases_charged_under_that_law(anonymous_api):
    press_law = LawFactory(title_en="Press Law", short_name="Press Law")
    wanted = ChargeFactory(article=ArticleFactory(law=press_law)).case
    ChargeFactory()  # under the Criminal Code

    assert cases(anonymous_api, law=press_law.pk) == [wanted.pk]


def test_court_filter_finds_cases_in_that_court(anonymous_api):
    wanted = CaseFactory()
    CaseFactory()

    assert cases(anonymous_api, court=wanted.court_id) == [wanted.pk]


def test_court_level_filter_finds_cases_at_that_level(anonymous_api):
    wanted = CaseFactory(court=CourtFactory(level=CourtLevel.APPEAL))
    CaseFactory()

    assert cases(anonymous_api, court_level="appeal") == [wanted.pk]


@pytest.fixture
def case_in_siem_reap():
    province = ProvinceFactory(name_en="Siem Reap")
    CaseFactory()  # in Phnom Penh
    return CaseFactory(court=CourtFactory(province=province))


def test_province_filter_accepts_an_id(anonymous_api, case_in_siem_reap):
    province_id = case_in_siem_reap.court.province_id

    assert cases(anonymous_api, province=province_id) == [case_in_siem_reap.pk]


def test_province_filter_accepts_a_name_in_any_case(anonymous_api, case_in_siem_reap):
    assert cases(anonymous_api, province="siem reap") == [case_in_siem_reap.pk]


def test_status_filter_accepts_several_statuses(anonymous_api):
    on_trial = CaseFactory(status="trial")
    on_appeal = CaseFactory(status="appeal")
    CaseFactory(status="pretrial")

    assert cases(anonymous_api, status="trial") == [on_trial.pk]
    assert cases(anonymous_api, status=["trial", "appeal"]) == [on_trial.pk, on_appeal.pk]


def test_an_unknown_status_is_a_400(anonymous_api):
    response = anonymous_api.get("/api/v1/cases/", {"status": "lost"})

    assert response.status_code == 400
    assert "status" in response.json()


def test_category_filter_finds_cases_with_a_person_of_that_category(anonymous_api):
    wanted = CaseDefendantFactory(defendant__category=Category.JOURNALIST).case
    CaseDefendantFactory(defendant__category=Category.UNION_LEADER)

    assert cases(anonymous_api, category="journalist") == [wanted.pk]


def test_organisation_filter_finds_cases_of_its_members(anonymous_api):
    member = AffiliationFactory()
    wanted = CaseDefendantFactory(defendant=member.defendant).case
    CaseDefendantFactory()

    assert cases(anonymous_api, organisation=member.organisation_id) == [wanted.pk]


def test_tag_filter_finds_cases_with_that_tag(anonymous_api):
    wanted = CaseFactory()
    wanted.tags.add(Tag.objects.create(slug="land", name_en="Land"))
    CaseFactory().tags.add(Tag.objects.create(slug="union", name_en="Union"))

    assert cases(anonymous_api, tag="land") == [wanted.pk]


@pytest.fixture
def held_and_released():
    held = CustodyPeriodFactory(start=D(2024, 1, 1)).case
    released = CustodyPeriodFactory(start=D(2024, 1, 1), end=D(2024, 2, 1)).case
    on_bail = CustodyPeriodFactory(start=D(2024, 1, 1), kind=CustodyKind.BAIL).case
    return held, released, on_bail


def test_in_detention_finds_cases_with_someone_held_on_as_of(anonymous_api, held_and_released):
    held, released, _ = held_and_released

    assert cases(anonymous_api, in_detention="true", as_of="2024-03-01") == [held.pk]
    assert cases(anonymous_api, in_detention="true", as_of="2024-01-15") == [held.pk, released.pk]


def test_in_detention_false_finds_the_other_cases(anonymous_api, held_and_released):
    held, released, on_bail = held_and_released

    assert cases(anonymous_api, in_detention="false", as_of="2024-03-01") == [
        released.pk,
        on_bail.pk,
    ]


def test_hearing_after_and_before_bound_a_hearing_date(anonymous_api):
    march = HearingFactory(date=D(2024, 3, 1)).case
    june = HearingFactory(date=D(2024, 6, 1)).case

    assert cases(anonymous_api, hearing_after="2024-05-01") == [june.pk]
    assert cases(anonymous_api, hearing_before="2024-05-01") == [march.pk]
    assert cases(anonymous_api, hearing_after="2024-02-01", hearing_before="2024-04-01") == [
        march.pk
    ]


def test_decision_after_and_before_bound_a_decision_date(anonymous_api):
    march = DecisionFactory(date=D(2024, 3, 1)).case
    june = DecisionFactory(date=D(2024, 6, 1)).case

    assert cases(anonymous_api, decision_after="2024-05-01") == [june.pk]
    assert cases(anonymous_api, decision_before="2024-05-01") == [march.pk]


def test_year_finds_a_charge_a_hearing_or_a_decision_in_that_year(anonymous_api):
    charged = ChargeFactory(date_filed=D(2021, 5, 1)).case
    heard = HearingFactory(date=D(2021, 7, 1)).case
    decided = DecisionFactory(date=D(2021, 9, 1)).case
    ChargeFactory(date_filed=D(2022, 5, 1))

    assert cases(anonymous_api, year=2021) == [charged.pk, heard.pk, decided.pk]


def test_search_finds_a_person_by_latin_name(anonymous_api):
    wanted = CaseDefendantFactory(defendant__name="Kem Sokha").case
    CaseDefendantFactory(defendant__name="Sam Rainsy")

    assert cases(anonymous_api, search="sokha") == [wanted.pk]


def test_search_finds_a_person_by_khmer_name(anonymous_api):
    wanted = CaseDefendantFactory(defendant__name_km="កឹម សុខា").case
    CaseDefendantFactory(defendant__name_km="សម រង្ស៊ី")

    assert cases(anonymous_api, search="សុខា") == [wanted.pk]


def test_search_finds_words_of_the_summary(anonymous_api):
    wanted = CaseFactory(summary="Arrested after a Facebook post about the border.")
    CaseFactory(summary="Land dispute.")

    assert cases(anonymous_api, search="facebook border") == [wanted.pk]


def test_search_needs_every_word(anonymous_api):
    CaseFactory(summary="Arrested after a Facebook post.")

    assert cases(anonymous_api, search="facebook border") == []


def test_ordering_by_title(anonymous_api):
    b, a, c = CaseFactory(title="B"), CaseFactory(title="A"), CaseFactory(title="C")

    assert cases(anonymous_api, ordering="title") == [a.pk, b.pk, c.pk]
    assert cases(anonymous_api, ordering="-title") == [c.pk, b.pk, a.pk]


@pytest.mark.parametrize("ordering", ["bogus", "-summary", "title,-id", "title "])
def test_an_ordering_the_list_does_not_offer_is_a_400(anonymous_api, ordering):
    response = anonymous_api.get("/api/v1/cases/", {"ordering": ordering})

    assert response.status_code == 400
    assert "-updated_at" in response.json()["ordering"][0]


def test_cases_are_listed_in_id_order_by_default(anonymous_api):
    first, second = CaseFactory(title="Z"), CaseFactory(title="A")

    assert cases(anonymous_api) == [first.pk, second.pk]


# A filter never reveals a public case through a record the caller may not see ----------------


@pytest.fixture
def public_case_with_hidden_charge():
    """A public case whose only charge under article 494 is for monitors only."""
    return ChargeFactory(article__number="494", visibility=HIDDEN).case


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_article_filter_ignores_a_hidden_charge(api_as, caller, public_case_with_hidden_charge):
    assert cases(api_as(caller), article="494") == []


def test_article_filter_sees_a_hidden_charge_for_monitors(
    monitor_api, public_case_with_hidden_charge
):
    assert cases(monitor_api, article="494") == [public_case_with_hidden_charge.pk]


def test_article_filter_ignores_a_charge_against_a_hidden_person(anonymous_api):
    ChargeFactory(article__number="494", defendant__visibility=HIDDEN)

    assert cases(anonymous_api, article="494") == []


def test_law_filter_ignores_a_hidden_charge(anonymous_api, public_case_with_hidden_charge):
    law = public_case_with_hidden_charge.charges.get().article.law_id

    assert cases(anonymous_api, law=law) == []


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_search_ignores_a_hidden_persons_name(api_as, caller):
    CaseDefendantFactory(defendant__name="Secret Witness", defendant__visibility=HIDDEN)

    assert cases(api_as(caller), search="witness") == []


def test_search_ignores_a_hidden_link_to_a_public_person(anonymous_api):
    CaseDefendantFactory(defendant__name="Kem Sokha", visibility=HIDDEN)

    assert cases(anonymous_api, search="sokha") == []


def test_search_finds_a_hidden_persons_name_for_monitors(monitor_api):
    case = CaseDefendantFactory(defendant__name="Secret Witness", defendant__visibility=HIDDEN)

    assert cases(monitor_api, search="witness") == [case.case_id]


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_in_detention_ignores_a_hidden_custody_period(api_as, caller):
    case = CustodyPeriodFactory(start=D(2024, 1, 1), visibility=HIDDEN).case

    client = api_as(caller)
    assert cases(client, in_detention="true", as_of="2024-03-01") == []
    assert cases(client, in_detention="false", as_of="2024-03-01") == [case.pk]


def test_in_detention_ignores_the_custody_of_a_hidden_person(anonymous_api):
    CustodyPeriodFactory(start=D(2024, 1, 1), defendant__visibility=HIDDEN)

    assert cases(anonymous_api, in_detention="true", as_of="2024-03-01") == []


def test_category_filter_ignores_a_hidden_person(anonymous_api):
    CaseDefendantFactory(defendant__category=Category.JOURNALIST, defendant__visibility=HIDDEN)

    assert cases(anonymous_api, category="journalist") == []


def test_organisation_filter_ignores_a_hidden_membership(anonymous_api):
    member = AffiliationFactory(visibility=HIDDEN)
    CaseDefendantFactory(defendant=member.defendant)

    assert cases(anonymous_api, organisation=member.organisation_id) == []


def test_hearing_filters_ignore_a_hidden_hearing(anonymous_api):
    HearingFactory(date=D(2024, 6, 1), visibility=HIDDEN)

    assert cases(anonymous_api, hearing_after="2024-01-01") == []
    assert cases(anonymous_api, year=2024) == []


def test_decision_filters_ignore_a_hidden_decision(anonymous_api):
    DecisionFactory(date=D(2024, 6, 1), visibility=HIDDEN)

    assert cases(anonymous_api, decision_before="2025-01-01") == []
    assert cases(anonymous_api, year=2024) == []


def test_year_filter_ignores_a_hidden_charge(anonymous_api, public_case_with_hidden_charge):
    assert cases(anonymous_api, year=2024) == []


def test_a_partner_level_charge_is_found_by_a_partner_but_not_anonymously(
    anonymous_api, partner_api
):
    case = ChargeFactory(article__number="494", visibility=Visibility.PARTNERS).case

    assert cases(partner_api, article="494") == [case.pk]
    assert cases(anonymous_api, article="494") == []


# Id filters answer the same for a hidden record and a missing one -----------------------------


@pytest.fixture
def hidden_case():
    """A confidential case with public-marked facts: a person, charge, hearing, decision,
    custody period and citation."""
    charge = ChargeFactory(case__visibility=HIDDEN)
    case = charge.case
    HearingFactory(case=case)
    DecisionFactory(case=case, defendant=charge.defendant)
    CustodyPeriodFactory(case=case, defendant=charge.defendant)
    CitationFactory(subject=case)
    return case


@pytest.mark.parametrize(
    "endpoint", ["hearings", "decisions", "custody-periods", "charges", "defendants"]
)
@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_filtering_by_a_hidden_case_answers_like_a_missing_one(
    api_as, caller, hidden_case, endpoint
):
    client = api_as(caller)
    missing = hidden_case.pk + 1000

    hidden_answer = client.get(f"/api/v1/{endpoint}/", {"case": hidden_case.pk})
    missing_answer = client.get(f"/api/v1/{endpoint}/", {"case": missing})

    assert hidden_answer.status_code == missing_answer.status_code == 200
    assert hidden_answer.content == missing_answer.content


@pytest.mark.parametrize("endpoint", ["charges", "decisions", "custody-periods"])
def test_filtering_by_a_hidden_person_answers_like_a_missing_one(anonymous_api, endpoint):
    charge = ChargeFactory(defendant__visibility=HIDDEN)
    DecisionFactory(case=charge.case, defendant=charge.defendant)
    CustodyPeriodFactory(case=charge.case, defendant=charge.defendant)
    person = charge.defendant.pk

    hidden_answer = anonymous_api.get(f"/api/v1/{endpoint}/", {"defendant": person})
    missing_answer = anonymous_api.get(f"/api/v1/{endpoint}/", {"defendant": person + 1000})

    assert (hidden_answer.status_code, hidden_answer.content) == (
        missing_answer.status_code,
        missing_answer.content,
    )


def test_filtering_citations_by_a_hidden_source_answers_like_a_missing_one(anonymous_api):
    citation = CitationFactory(source__visibility=HIDDEN)
    source = citation.source_id

    hidden_answer = anonymous_api.get("/api/v1/citations/", {"source": source})
    missing_answer = anonymous_api.get("/api/v1/citations/", {"source": source + 1000})

    assert hidden_answer.content == missing_answer.content


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_filtering_citations_by_a_hidden_subject_answers_like_a_missing_one(
    api_as, caller, hidden_case
):
    client = api_as(caller)

    hidden_answer = client.get(
        "/api/v1/citations/", {"subject_type": "cases", "subject_id": hidden_case.pk}
    )
    missing_answer = client.get(
        "/api/v1/citations/", {"subject_type": "cases", "subject_id": hidden_case.pk + 1000}
    )

    assert hidden_answer.content == missing_answer.content


def test_a_citation_of_a_hidden_case_is_not_listed(anonymous_api, hidden_case):
    assert ids(anonymous_api.get("/api/v1/citations/")) == []


def test_a_citation_of_a_hidden_hearing_is_not_listed(anonymous_api):
    CitationFactory(subject=HearingFactory(visibility=HIDDEN))

    assert ids(anonymous_api.get("/api/v1/citations/")) == []


def test_a_citation_of_a_public_fact_is_listed(anonymous_api):
    citation = CitationFactory(subject=DefendantFactory())

    assert ids(anonymous_api.get("/api/v1/citations/")) == [citation.pk]


# The people list's filters look only at visible records too -------------------------------------


def people(client, **params):
    return ids(client.get("/api/v1/defendants/", params))


def test_people_by_article_ignore_a_hidden_charge(anonymous_api):
    ChargeFactory(article__number="494", visibility=HIDDEN)
    charged = ChargeFactory(article__number="495").defendant

    assert people(anonymous_api, article="494") == []
    assert people(anonymous_api, article="495") == [charged.pk]


def test_people_by_case_ignore_a_hidden_link(anonymous_api):
    link = CaseDefendantFactory(visibility=HIDDEN)

    assert people(anonymous_api, case=link.case_id) == []


def test_people_by_organisation_ignore_a_hidden_membership(anonymous_api):
    member = AffiliationFactory(visibility=HIDDEN)

    assert people(anonymous_api, organisation=member.organisation_id) == []


def test_people_in_detention_ignore_a_hidden_custody_period(anonymous_api):
    held = CustodyPeriodFactory(start=D(2024, 1, 1)).defendant
    CustodyPeriodFactory(start=D(2024, 1, 1), visibility=HIDDEN)

    assert people(anonymous_api, in_detention="true", as_of="2024-03-01") == [held.pk]


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/defendants/"])
@pytest.mark.parametrize("value", ["maybe", "yes", "null", "2"])
def test_in_detention_that_is_not_true_or_false_answers_400(anonymous_api, path, value):
    # It used to be ignored, answering every record as if no filter had been asked for.
    response = anonymous_api.get(path, {"in_detention": value})

    assert response.status_code == 400
    assert "in_detention" in response.json()


@pytest.mark.parametrize("value", ["true", "false", "True", "False", "1", "0"])
def test_in_detention_takes_the_spellings_it_always_took(anonymous_api, value):
    assert anonymous_api.get("/api/v1/cases/", {"in_detention": value}).status_code == 200


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/v1/affiliations/", "is_former"),
        ("/api/v1/hearings/", "monitored"),
        ("/api/v1/decisions/", "in_absentia"),
    ],
)
def test_a_yes_or_no_filter_refuses_anything_else(anonymous_api, path, name):
    response = anonymous_api.get(path, {name: "null"})

    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize("path, name", [("/api/v1/articles/", "law"), ("/api/v1/cases/", "court")])
def test_a_related_id_that_names_nothing_matches_nothing(anonymous_api, path, name):
    # Like every id filter: no lookup, so a missing record and a hidden one answer alike.
    response = anonymous_api.get(path, {name: 987654})

    assert response.status_code == 200
    assert response.json()["results"] == []
