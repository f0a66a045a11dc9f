"""Fair-trial monitoring on the public case page and in the printable trial-monitoring report
(#16, items 4 and 5): the published assessment and the public findings show, at the public level
only, whoever reads; nothing above public shows, not even a heading."""

import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from core.visibility import Visibility
from fairtrial.models import Finding, Grade, Stage
from hearings.models import HearingKind
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    CaseDefendantFactory,
    ChecklistItemFactory,
    CitationFactory,
    DefendantFactory,
    HearingFactory,
    SourceFactory,
)

from .helpers import body, page

pytestmark = pytest.mark.django_db

PAGES = {
    "case page": "/cases/{pk}/",
    "report": "/cases/{pk}/report/",
}
EVERY_PAGE = pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())


def url_of(url, case, language=""):
    return language + url.format(pk=case.pk)


@pytest.fixture
def hearing():
    return HearingFactory(
        case__title="Case of Sok Chan",
        date=datetime.date(2024, 3, 7),
        kind=HearingKind.TRIAL,
        monitored=True,
    )


@pytest.fixture
def person(hearing):
    return CaseDefendantFactory(case=hearing.case, defendant__name="Sok Chan").defendant


@pytest.fixture
def lawyer():
    return ChecklistItemFactory(
        stage=Stage.BEFORE_TRIAL,
        text_en="Had a lawyer from the moment of arrest",
        standard="ICCPR art. 14(3)(b)",
    )


@pytest.fixture
def interpreter():
    return ChecklistItemFactory(
        stage=Stage.HEARING,
        text_en="Had an interpreter in court",
        standard="ICCPR art. 14(3)(f)",
    )


def fair_trial_section(response):
    return page(response).find("section", class_="fair-trial")


# What shows.


@EVERY_PAGE
def test_it_shows_the_published_assessment(reader, hearing, lawyer, url):
    assessment = AssessmentFactory(
        case=hearing.case,
        grade=Grade.D,
        summary="Held for a year without seeing a judge.",
        assessed_on=datetime.date(2024, 6, 1),
    )
    assessment.weighed_items.add(lawyer)

    section = fair_trial_section(reader.get(url_of(url, hearing.case)))

    shown = section.find("div", class_="assessment")
    assert shown.find("strong", class_="grade").text() == str(Grade.D.label)
    assert "1 June 2024" in shown.text()
    assert shown.find("p", class_="assessment-summary").text() == (
        "Held for a year without seeing a judge."
    )
    assert [li.text() for li in shown.find("ul", class_="weighed-rights").find_all("li")] == [
        "Had a lawyer from the moment of arrest ICCPR art. 14(3)(b)"
    ]


@EVERY_PAGE
def test_it_shows_public_findings_per_right_grouped_by_stage(
    reader, hearing, person, lawyer, interpreter, url
):
    AnswerFactory(hearing=hearing, defendant=person, item=interpreter, finding=Finding.RESPECTED)
    AnswerFactory(
        hearing=hearing,
        defendant=person,
        item=lawyer,
        finding=Finding.VIOLATED,
        note="First met his lawyer at the trial.",
    )

    shown = fair_trial_section(reader.get(url_of(url, hearing.case))).find(
        "div", class_="hearing-findings"
    )

    assert shown.find("h3").text().startswith("Trial hearing, 7 March 2024")
    assert [h4.text() for h4 in shown.find_all("h4")] == ["Before trial", "At the hearing"]
    rights = [
        li.find("p", class_="right").text()
        for li in shown.find_all("li")
        if li.find_all("p", class_="right")
    ]
    assert rights == [
        "Had a lawyer from the moment of arrest ICCPR art. 14(3)(b)",
        "Had an interpreter in court ICCPR art. 14(3)(f)",
    ]
    findings = [strong.text() for strong in shown.find_all("strong", class_="finding")]
    assert findings == ["Violated", "Respected"]
    assert shown.find("p", class_="finding-note").text() == "First met his lawyer at the trial."


def test_it_names_each_defendant_where_several_have_findings(client, hearing, person, lawyer):
    other = CaseDefendantFactory(case=hearing.case, defendant__name="Kem Sokha").defendant
    AnswerFactory(hearing=hearing, defendant=person, item=lawyer, finding=Finding.VIOLATED)
    AnswerFactory(hearing=hearing, defendant=other, item=lawyer, finding=Finding.RESPECTED)

    findings = page(client.get(f"/cases/{hearing.case.pk}/")).find("ul", class_="right-findings")

    assert [li.text() for li in findings.find_all("li")] == [
        "Sok Chan: Violated",
        "Kem Sokha: Respected",
    ]


def test_it_names_the_defendant_where_the_case_has_several_but_one_has_findings(
    client, hearing, person, lawyer
):
    CaseDefendantFactory(case=hearing.case, defendant__name="Kem Sokha")
    AnswerFactory(hearing=hearing, defendant=person, item=lawyer, finding=Finding.VIOLATED)

    findings = page(client.get(f"/cases/{hearing.case.pk}/")).find("ul", class_="right-findings")

    assert [li.text() for li in findings.find_all("li")] == ["Sok Chan: Violated"]


def test_it_names_no_defendant_where_the_case_has_one(client, hearing, person, lawyer):
    AnswerFactory(hearing=hearing, defendant=person, item=lawyer, finding=Finding.VIOLATED)

    findings = page(client.get(f"/cases/{hearing.case.pk}/")).find("ul", class_="right-findings")

    assert [li.text() for li in findings.find_all("li")] == ["Violated"]


@EVERY_PAGE
def test_it_shows_a_public_hearings_observations_beside_its_findings(
    reader, hearing, person, lawyer, url
):
    hearing.fair_trial_observations = "No interpreter was present."
    hearing.save()
    AnswerFactory(hearing=hearing, defendant=person, item=lawyer)

    shown = fair_trial_section(reader.get(url_of(url, hearing.case)))

    assert shown.find("div", class_="observations").find("p").text() == (
        "No interpreter was present."
    )
    assert shown.find_all("strong", class_="finding")


def test_it_shows_observations_of_a_hearing_with_no_findings(client, hearing):
    hearing.fair_trial_observations = "No interpreter was present."
    hearing.save()

    response = client.get(f"/cases/{hearing.case.pk}/")

    assert "No interpreter was present." in fair_trial_section(response).text()


# What never shows.


@EVERY_PAGE
@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_a_finding_above_public_never_shows(reader, hearing, person, lawyer, level, url):
    AnswerFactory(
        hearing=hearing,
        defendant=person,
        item=lawyer,
        finding=Finding.VIOLATED,
        note="ZQ hidden finding note",
        visibility=level,
    )

    text = body(reader.get(url_of(url, hearing.case)))

    assert "ZQ hidden finding note" not in text
    assert "Had a lawyer from the moment of arrest" not in text
    assert "Violated" not in text


@EVERY_PAGE
@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_a_note_above_public_on_a_public_finding_never_shows(
    reader, hearing, person, lawyer, level, url
):
    AnswerFactory(
        hearing=hearing,
        defendant=person,
        item=lawyer,
        finding=Finding.VIOLATED,
        note="ZQ witness named in the corridor",
        note_visibility=level,
    )

    response = reader.get(url_of(url, hearing.case))

    assert "ZQ witness named in the corridor" not in body(response)
    assert not page(response).find_all("p", class_="finding-note")
    assert fair_trial_section(response).find("strong", class_="finding").text() == "Violated"


@EVERY_PAGE
@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_an_assessment_above_public_never_shows(reader, hearing, lawyer, level, url):
    assessment = AssessmentFactory(
        case=hearing.case, grade=Grade.F, summary="ZQ unpublished summary", visibility=level
    )
    assessment.weighed_items.add(lawyer)

    response = reader.get(url_of(url, hearing.case))

    assert "ZQ unpublished summary" not in body(response)
    assert str(Grade.F.label) not in body(response)
    assert "Had a lawyer from the moment of arrest" not in body(response)
    assert not page(response).find_all("section", class_="fair-trial")


@EVERY_PAGE
def test_a_public_finding_at_a_hidden_hearing_never_shows(reader, hearing, person, lawyer, url):
    hidden = HearingFactory(
        case=hearing.case,
        visibility=Visibility.MONITORS,
        fair_trial_observations="ZQ hidden observations",
    )
    AnswerFactory(hearing=hidden, defendant=person, item=lawyer, note="ZQ hidden hearing note")

    text = body(reader.get(url_of(url, hearing.case)))

    assert "ZQ hidden hearing note" not in text
    assert "ZQ hidden observations" not in text


@EVERY_PAGE
def test_a_public_finding_about_a_hidden_defendant_never_shows(reader, hearing, lawyer, url):
    hidden = DefendantFactory(name="ZQ hidden person", visibility=Visibility.MONITORS)
    CaseDefendantFactory(case=hearing.case, defendant=hidden)
    AnswerFactory(hearing=hearing, defendant=hidden, item=lawyer, note="ZQ about a hidden person")

    text = body(reader.get(url_of(url, hearing.case)))

    assert "ZQ about a hidden person" not in text
    assert "Had a lawyer from the moment of arrest" not in text


@EVERY_PAGE
def test_there_is_no_fair_trial_heading_when_nothing_is_public(reader, hearing, url):
    response = reader.get(url_of(url, hearing.case))

    assert not page(response).find_all("section", class_="fair-trial")
    assert "Fair-trial monitoring" not in body(response)


# The report.


def test_the_case_page_links_to_its_report(client, hearing):
    tree = page(client.get(f"/cases/{hearing.case.pk}/"))

    assert tree.find("p", class_="report-link").find("a").attrs["href"] == (
        f"/cases/{hearing.case.pk}/report/"
    )


def test_the_report_lists_the_hearings_observed(client, hearing):
    HearingFactory(case=hearing.case, date=datetime.date(2024, 4, 1), monitored=False)

    tree = page(client.get(f"/cases/{hearing.case.pk}/report/"))

    table = tree.find("section", **{"aria-labelledby": "hearings-title"}).find("tbody")
    assert [row.find("td").text() for row in table.find_all("tr")] == ["7 March 2024"]


def test_the_report_lists_each_public_source_once_with_its_paragraphs(client, hearing, person):
    source = SourceFactory(title="Open report on the trial")
    CitationFactory(source=source, subject=hearing.case, paragraph="12")
    CitationFactory(source=source, subject=hearing, paragraph="14")
    hidden = SourceFactory(title="ZQ hidden source", visibility=Visibility.MONITORS)
    CitationFactory(source=hidden, subject=hearing.case, paragraph="3")

    tree = page(client.get(f"/cases/{hearing.case.pk}/report/"))

    items = tree.find("ol", class_="source-list").find_all("li")
    assert len(items) == 1
    assert items[0].text().startswith("Open report on the trial")
    assert "paras. 12, 14" in items[0].text()
    assert "ZQ hidden source" not in body(client.get(f"/cases/{hearing.case.pk}/report/"))


def test_the_report_has_a_print_stylesheet(client, hearing):
    stylesheet = Path(finders.find("css/site.css")).read_text(encoding="utf-8")

    assert "@media print" in stylesheet
    assert "css/site.css" in body(client.get(f"/cases/{hearing.case.pk}/report/"))


# Khmer.


@EVERY_PAGE
def test_the_khmer_page_shows_the_findings_in_khmer(client, hearing, person, lawyer, url):
    AssessmentFactory(case=hearing.case, grade=Grade.C)
    khmer = ChecklistItemFactory(stage=Stage.HEARING, text_en="Interpreter", text_km="អ្នកបកប្រែ")
    AnswerFactory(hearing=hearing, defendant=person, item=khmer, finding=Finding.VIOLATED)
    AnswerFactory(hearing=hearing, defendant=person, item=lawyer, finding=Finding.RESPECTED)

    response = client.get(url_of(url, hearing.case, "/km"))

    assert response.status_code == 200
    tree = page(response)
    assert tree.find("html").attrs["lang"] == "km"
    section = fair_trial_section(response)
    assert "អ្នកបកប្រែ" in section.text()
    # A right with no checked Khmer text is shown in English, and says so.
    english = section.find("span", lang="en")
    assert english.text() == "Had a lawyer from the moment of arrest"
    assert "Fair-trial monitoring" not in section.find("h2").text()
