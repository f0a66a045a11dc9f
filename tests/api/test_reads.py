"""Read endpoints: every record type has a list and a detail; a case and a person nest their
facts, and only the facts the caller may see."""

import datetime
import json

import factory
import pytest
import time_machine

from cases.models import Source, Tag
from core.visibility import Visibility
from defendants.models import CustodyKind
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
    OrganisationFactory,
    SourceFactory,
    in_use,
)

from .helpers import ids

pytestmark = pytest.mark.django_db


def new_law():
    """LawFactory gets or creates one law by title; this makes a new one each time."""
    return LawFactory(title_en=factory.Sequence(lambda n: f"Law {n}"))


D = datetime.date


@pytest.fixture
def charge():
    """A public charge under article 494 of the Criminal Code, with its case and person."""
    return ChargeFactory(article__number="494", article__title_en="Incitement")


@pytest.fixture
def case_with_facts(charge):
    case, person = charge.case, charge.defendant
    HearingFactory(case=case, date=D(2024, 3, 5), outcome="adjourned")
    DecisionFactory(case=case, defendant=person, date=D(2024, 5, 1), prison_months=24)
    CustodyPeriodFactory(case=case, defendant=person, start=D(2024, 1, 10))
    CitationFactory(subject=case, source=SourceFactory(title="OHCHR report"), paragraph="34")
    return case


@pytest.mark.parametrize(
    ("endpoint", "make"),
    [
        ("cases", CaseFactory),
        ("defendants", DefendantFactory),
        ("charges", ChargeFactory),
        ("hearings", HearingFactory),
        ("decisions", DecisionFactory),
        ("custody-periods", CustodyPeriodFactory),
        ("citations", CitationFactory),
        ("sources", SourceFactory),
        ("articles", ArticleFactory),
        ("laws", new_law),
        ("courts", CourtFactory),
        ("organisations", OrganisationFactory),
    ],
)
def test_each_record_type_has_a_list_and_a_detail(anonymous_api, endpoint, make):
    record = make()
    if endpoint in ("articles", "laws", "courts", "organisations"):
        in_use(record)  # reference data is served while something visible uses it

    listed = anonymous_api.get(f"/api/v1/{endpoint}/")
    detail = anonymous_api.get(f"/api/v1/{endpoint}/{record.pk}/")

    assert record.pk in ids(listed)
    assert detail.status_code == 200
    assert detail.json()["id"] == record.pk


def test_a_case_detail_nests_its_defendants(anonymous_api, case_with_facts, charge):
    body = anonymous_api.get(f"/api/v1/cases/{case_with_facts.pk}/").json()

    assert [(d["id"], d["name"]) for d in body["defendants"]] == [
        (charge.defendant.pk, charge.defendant.name)
    ]


def test_a_case_detail_nests_its_charges_with_article_number_law_and_title(
    anonymous_api, case_with_facts
):
    body = anonymous_api.get(f"/api/v1/cases/{case_with_facts.pk}/").json()

    [charge] = body["charges"]
    assert charge["article"]["number"] == "494"
    assert charge["article"]["law"] == "Criminal Code"
    assert charge["article"]["title_en"] == "Incitement"


def test_a_case_detail_nests_its_hearings_decisions_and_custody_periods(
    anonymous_api, case_with_facts
):
    body = anonymous_api.get(f"/api/v1/cases/{case_with_facts.pk}/").json()

    assert [h["outcome"] for h in body["hearings"]] == ["adjourned"]
    assert [d["prison_months"] for d in body["decisions"]] == [24]
    assert [c["start"] for c in body["custody_periods"]] == ["2024-01-10"]


def test_a_case_detail_nests_its_citations_with_source_and_paragraph(
    anonymous_api, case_with_facts
):
    body = anonymous_api.get(f"/api/v1/cases/{case_with_facts.pk}/").json()

    [citation] = body["citations"]
    source = Source.objects.get(title="OHCHR report")
    assert (citation["source"], citation["source_title"]) == (source.pk, "OHCHR report")
    assert citation["paragraph"] == "34"


def test_a_case_list_nests_defendants_charges_and_hearings(anonymous_api, case_with_facts):
    [listed] = anonymous_api.get("/api/v1/cases/").json()["results"]

    assert len(listed["defendants"]) == len(listed["charges"]) == len(listed["hearings"]) == 1


def test_a_case_lists_its_tags_by_slug(anonymous_api):
    case = CaseFactory()
    case.tags.add(Tag.objects.create(slug="land-rights", name_en="Land rights"))

    body = anonymous_api.get(f"/api/v1/cases/{case.pk}/").json()

    assert body["tags"] == ["land-rights"]


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_public_case_nests_none_of_its_confidential_facts(api_as, caller):
    case = CaseFactory()
    hidden = {"visibility": Visibility.MONITORS}
    charge = ChargeFactory(case=case, **hidden)
    HearingFactory(case=case, **hidden)
    DecisionFactory(case=case, defendant=charge.defendant, **hidden)
    CustodyPeriodFactory(case=case, defendant=charge.defendant, **hidden)
    CitationFactory(subject=case, **hidden)

    body = api_as(caller).get(f"/api/v1/cases/{case.pk}/").json()

    nested = ["defendants", "charges", "hearings", "decisions", "custody_periods", "citations"]
    assert {key: body[key] for key in nested} == {key: [] for key in nested}


def test_a_public_case_does_not_nest_a_confidential_person(anonymous_api):
    link = CaseDefendantFactory(defendant__visibility=Visibility.MONITORS)

    body = anonymous_api.get(f"/api/v1/cases/{link.case.pk}/").json()

    assert body["defendants"] == []


def test_a_partner_sees_partner_level_facts_of_a_case(partner_api):
    case = CaseFactory()
    HearingFactory(case=case, visibility=Visibility.PARTNERS)

    body = partner_api.get(f"/api/v1/cases/{case.pk}/").json()

    assert len(body["hearings"]) == 1


def test_a_defendant_detail_nests_charges_custody_periods_and_decisions(
    anonymous_api, case_with_facts, charge
):
    body = anonymous_api.get(f"/api/v1/defendants/{charge.defendant.pk}/").json()

    assert [c["id"] for c in body["charges"]] == [charge.pk]
    assert [c["kind"] for c in body["custody_periods"]] == [CustodyKind.PRETRIAL_DETENTION]
    assert [d["kind"] for d in body["decisions"]] == ["conviction"]
    assert body["cases"] == [case_with_facts.pk]


def test_a_defendant_does_not_list_a_confidential_case(anonymous_api):
    link = CaseDefendantFactory(case__visibility=Visibility.MONITORS)

    body = anonymous_api.get(f"/api/v1/defendants/{link.defendant_id}/").json()

    assert body["cases"] == []


def test_a_defendant_detail_nests_their_affiliations(anonymous_api):
    affiliation = AffiliationFactory(organisation__name_en="CNRP", role="deputy leader")

    body = anonymous_api.get(f"/api/v1/defendants/{affiliation.defendant.pk}/").json()

    assert [(a["organisation"]["name_en"], a["role"]) for a in body["affiliations"]] == [
        ("CNRP", "deputy leader")
    ]


def test_a_defendant_detail_counts_days_in_detention_at_as_of(anonymous_api):
    period = CustodyPeriodFactory(start=D(2024, 1, 10))

    body = anonymous_api.get(
        f"/api/v1/defendants/{period.defendant.pk}/", {"as_of": "2024-02-01"}
    ).json()

    assert body["detention"] == {
        "as_of": "2024-02-01",
        "days": 22,
        "exact": True,
        "in_detention": True,
        "counted_to": "2024-02-01",
        "as_last_reported": False,
    }


def test_detention_is_inexact_when_a_date_is_known_only_to_the_month(anonymous_api):
    period = CustodyPeriodFactory(start=D(2024, 1, 1), start_precision="month")

    body = anonymous_api.get(
        f"/api/v1/defendants/{period.defendant.pk}/", {"as_of": "2024-02-01"}
    ).json()

    assert body["detention"]["exact"] is False


def test_a_person_released_before_as_of_is_not_in_detention(anonymous_api):
    period = CustodyPeriodFactory(start=D(2024, 1, 10), end=D(2024, 1, 20))

    body = anonymous_api.get(
        f"/api/v1/defendants/{period.defendant.pk}/", {"as_of": "2024-02-01"}
    ).json()

    assert (body["detention"]["days"], body["detention"]["in_detention"]) == (10, False)


@time_machine.travel(datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_detention_is_counted_up_to_today_by_default(anonymous_api):
    period = CustodyPeriodFactory(start=D(2024, 2, 1))

    body = anonymous_api.get(f"/api/v1/defendants/{period.defendant.pk}/").json()

    assert (body["detention"]["as_of"], body["detention"]["days"]) == ("2024-03-01", 29)


def test_a_confidential_custody_period_does_not_count_towards_public_detention(anonymous_api):
    person = DefendantFactory()
    CustodyPeriodFactory(defendant=person, start=D(2024, 1, 10), visibility=Visibility.MONITORS)

    body = anonymous_api.get(f"/api/v1/defendants/{person.pk}/", {"as_of": "2024-02-01"}).json()

    assert body["custody_periods"] == []
    assert (body["detention"]["days"], body["detention"]["in_detention"]) == (0, False)


@pytest.mark.parametrize("as_of", ["yesterday", "2024-02-30", "01/02/2024"])
def test_a_malformed_as_of_is_a_400_naming_the_field(anonymous_api, as_of):
    person = DefendantFactory()

    response = anonymous_api.get(f"/api/v1/defendants/{person.pk}/", {"as_of": as_of})

    assert response.status_code == 400
    assert list(response.json()) == ["as_of"]


def test_an_article_detail_names_its_law(anonymous_api):
    article = in_use(ArticleFactory(number="437 bis", law=LawFactory(title_en="Criminal Code")))

    body = anonymous_api.get(f"/api/v1/articles/{article.pk}/").json()

    assert (body["number"], body["law"]["title_en"]) == ("437 bis", "Criminal Code")


def test_a_court_detail_names_its_level_and_province(anonymous_api):
    court = in_use(CourtFactory(level="appeal"))

    body = anonymous_api.get(f"/api/v1/courts/{court.pk}/").json()

    assert (body["level"], body["province"]["name_en"]) == ("appeal", "Phnom Penh")


def reads_of_a_decision(client, decision):
    """The decision as each endpoint that shows it gives it."""
    return [
        client.get(f"/api/v1/decisions/{decision.pk}/").json(),
        client.get("/api/v1/decisions/").json()["results"][0],
        client.get(f"/api/v1/cases/{decision.case_id}/").json()["decisions"][0],
        client.get(f"/api/v1/defendants/{decision.defendant_id}/").json()["decisions"][0],
        json.loads(b"".join(client.get("/api/v1/export/decisions.json").streaming_content))[0],
    ]


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_decision_does_not_name_a_hidden_hearing(api_as, caller):
    hearing = HearingFactory(visibility=Visibility.MONITORS)
    decision = DecisionFactory(case=hearing.case, hearing=hearing)

    reads = reads_of_a_decision(api_as(caller), decision)

    assert [read["hearing"] for read in reads] == [None] * len(reads)


def test_a_decision_names_its_visible_hearing(anonymous_api):
    hearing = HearingFactory()
    decision = DecisionFactory(case=hearing.case, hearing=hearing)

    reads = reads_of_a_decision(anonymous_api, decision)

    assert [read["hearing"] for read in reads] == [hearing.pk] * len(reads)


def test_a_monitor_sees_the_hidden_hearing_of_a_decision(monitor_api):
    hearing = HearingFactory(visibility=Visibility.MONITORS)
    decision = DecisionFactory(case=hearing.case, hearing=hearing)

    reads = reads_of_a_decision(monitor_api, decision)

    assert [read["hearing"] for read in reads] == [hearing.pk] * len(reads)
