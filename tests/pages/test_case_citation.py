"""Citations a reader can follow (issue 17, item 5): every source named with its title, symbol,
publisher, date and paragraph, linked to the document; and "Cite this case": a permalink, the
date of the last change the public can see, a ready citation as plain text, BibTeX and
CSL-JSON."""

import datetime
import json

import pytest
from django.template import Context, Template

from core.dates import DatePrecision
from core.visibility import Visibility
from tests.factories import (
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    DocumentFactory,
    HearingFactory,
    ReportedFigureFactory,
    SourceFactory,
)

from .helpers import body, page

pytestmark = pytest.mark.django_db

REPORT_URL = "https://undocs.org/A/HRC/00/1"


@pytest.fixture
def report():
    return SourceFactory(
        title="Role and achievements of OHCHR in Cambodia: report of the Secretary-General",
        short_title="2024 UN report",
        symbol="A/HRC/00/1",
        publisher="Human Rights Council",
        date=datetime.date(2024, 8, 1),
        date_precision=DatePrecision.MONTH,
        url=REPORT_URL,
    )


@pytest.fixture
def case():
    return CaseFactory(title="Case of Sok Chan", summary="Arrested at a protest.")


def summary_sources(client, case, path="/cases/{pk}/"):
    tree = page(client.get(path.format(pk=case.pk)))
    return tree.find("section", **{"aria-labelledby": "summary-title"}).find(
        "span", class_="sources"
    )


def cite_section(client, case, prefix=""):
    return page(client.get(f"{prefix}/cases/{case.pk}/")).find("section", class_="cite-case")


# --- A source as every page shows it ------------------------------------------------------


def test_a_citation_names_the_sources_title_symbol_publisher_date_and_paragraph(
    client, case, report
):
    CitationFactory(source=report, subject=case, paragraph="39")

    assert summary_sources(client, case).text() == (
        "Source: 2024 UN report (A/HRC/00/1, Human Rights Council, August 2024), para. 39"
    )


def test_a_source_without_a_short_title_is_named_by_its_title(client, case):
    source = SourceFactory(title="Court summons", date=datetime.date(2024, 3, 7))
    CitationFactory(source=source, subject=case, paragraph="")

    assert summary_sources(client, case).text() == "Source: Court summons (7 March 2024)"


def test_the_title_and_the_paragraph_link_to_the_document(client, case, report):
    CitationFactory(source=report, subject=case, paragraph="39")

    links = summary_sources(client, case).find_all("a")

    assert [(a.text(), a.attrs["href"]) for a in links] == [
        ("2024 UN report", REPORT_URL),
        ("para. 39", REPORT_URL),
    ]


def test_a_paragraph_opens_in_the_sources_text_once_a_text_document_is_public(client, case, report):
    DocumentFactory(source=report, visibility=Visibility.PUBLIC, extract=True)
    CitationFactory(source=report, subject=case, paragraph="2")

    links = summary_sources(client, case).find_all("a")

    text_page = f"/sources/{report.pk}/text/"
    assert [a.attrs["href"] for a in links] == [text_page, f"{text_page}#para-2"]


def test_a_text_document_only_monitors_see_leaves_the_links_on_the_documents_address(
    client, case, report
):
    DocumentFactory(source=report, visibility=Visibility.MONITORS, extract=True)
    CitationFactory(source=report, subject=case, paragraph="2")

    links = summary_sources(client, case).find_all("a")

    assert [a.attrs["href"] for a in links] == [REPORT_URL, REPORT_URL]


def test_a_source_without_an_address_links_nowhere(client, case):
    CitationFactory(source=SourceFactory(short_title="Monitor's note"), subject=case)

    sources = summary_sources(client, case)

    assert sources.find_all("a") == []
    assert sources.text() == "Source: Monitor's note (26 August 2024), para. 34"


def test_a_paragraph_links_through_the_one_tag_that_decides_where():
    source = SourceFactory(url=REPORT_URL)
    template = Template("{% load tracker %}{% paragraph_url source '39' %}")

    assert template.render(Context({"source": source})) == REPORT_URL


def test_the_same_citation_twice_on_a_fact_shows_once(client, case, report):
    CitationFactory(source=report, subject=case, paragraph="39")
    CitationFactory(source=report, subject=case, paragraph="39", note="the date")

    assert summary_sources(client, case).text() == (
        "Source: 2024 UN report (A/HRC/00/1, Human Rights Council, August 2024), para. 39"
    )


def test_two_paragraphs_of_one_source_name_the_source_once(client, case, report):
    CitationFactory(source=report, subject=case, paragraph="39")
    CitationFactory(source=report, subject=case, paragraph="41")

    sources = summary_sources(client, case)

    assert sources.text() == (
        "Source: 2024 UN report (A/HRC/00/1, Human Rights Council, August 2024), para. 39, para. 41"
    )
    assert len(sources.find_all("cite")) == 1


def test_a_timeline_event_cites_its_source_in_full(client, report):
    charge = ChargeFactory(date_filed=datetime.date(2023, 7, 23))
    CitationFactory(source=report, subject=charge, paragraph="40")

    tree = page(client.get(f"/cases/{charge.case.pk}/"))

    event = tree.find("ol", class_="timeline").find("li", class_="event-charge")
    assert event.find("span", class_="sources").text() == (
        "Source: 2024 UN report (A/HRC/00/1, Human Rights Council, August 2024), para. 40"
    )


def test_a_reported_figure_on_the_home_page_cites_its_source_in_full(client, report):
    ReportedFigureFactory(source=report, paragraph="41", value=96, label="hearings monitored")

    tree = page(client.get("/"))

    assert tree.find("ul", class_="reported").find("span", class_="sources").text() == (
        "Source: 2024 UN report (A/HRC/00/1, Human Rights Council, August 2024), para. 41"
    )


def test_the_report_links_each_paragraph_it_lists(client, case, report):
    CitationFactory(source=report, subject=case, paragraph="39")

    tree = page(client.get(f"/cases/{case.pk}/report/"))

    (item,) = tree.find("ol", class_="source-list").find_all("li")
    assert [(a.text(), a.attrs["href"]) for a in item.find_all("a")] == [
        ("39", REPORT_URL),
        (REPORT_URL, REPORT_URL),
    ]
    assert "A/HRC/00/1, Human Rights Council, August 2024 — para. 39" in item.text()


# --- When the case last changed -----------------------------------------------------------


def test_every_case_page_says_when_it_was_last_updated(client, case):
    tree = page(client.get(f"/cases/{case.pk}/"))

    assert tree.find("p", class_="last-updated").text() == "Last updated 15 June 2024"


def test_the_report_says_when_the_case_was_last_updated(client, case):
    tree = page(client.get(f"/cases/{case.pk}/report/"))

    rows = tree.find("dl", class_="facts").find_all("div")
    facts = {div.find("dt").text(): div.find("dd").text() for div in rows}
    assert facts["Last updated"] == "15 June 2024"


def test_a_public_change_inside_the_case_moves_its_last_update(client, case, time_machine):
    time_machine.shift(datetime.timedelta(days=10))
    HearingFactory(case=case, visibility=Visibility.PUBLIC)

    tree = page(client.get(f"/cases/{case.pk}/"))

    assert tree.find("p", class_="last-updated").text() == "Last updated 25 June 2024"


@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_a_change_the_public_cannot_see_does_not_move_the_last_update(
    client, case, time_machine, level
):
    time_machine.shift(datetime.timedelta(days=10))
    HearingFactory(case=case, outcome="Secret", visibility=level)
    case.review_note = "Check the date against the court's summons"
    case.save()

    tree = page(client.get(f"/cases/{case.pk}/"))

    assert tree.find("p", class_="last-updated").text() == "Last updated 15 June 2024"
    assert cite_section(client, case).find("time").text() == "15 June 2024"
    assert "Last updated 15 June 2024" in body(client.get(f"/cases/{case.pk}/cite.bib"))


# --- Cite this case -----------------------------------------------------------------------


def test_cite_this_case_gives_the_permalink(client, case):
    link = cite_section(client, case).find("a", class_="permalink")

    assert link.attrs["href"] == f"http://testserver/cases/{case.pk}/"


def test_the_permalink_is_the_same_on_the_khmer_page(client, case):
    link = cite_section(client, case, prefix="/km").find("a", class_="permalink")

    assert link.attrs["href"] == f"http://testserver/cases/{case.pk}/"


def test_cite_this_case_gives_a_ready_citation_in_plain_text(client, case):
    text = cite_section(client, case).find("p", class_="citation-text").text()

    assert text == (
        "“Case of Sok Chan”. Cambodia Trial Tracker. Last updated 15 June 2024. "
        f"http://testserver/cases/{case.pk}/ (accessed 15 June 2024)."
    )


def test_cite_this_case_links_both_downloads(client, case):
    links = cite_section(client, case).find("p", class_="citation-downloads").find_all("a")

    assert [(a.text(), a.attrs["href"]) for a in links] == [
        ("BibTeX", f"/cases/{case.pk}/cite.bib"),
        ("CSL-JSON", f"/cases/{case.pk}/cite.json"),
    ]


def test_the_bibtex_is_a_misc_entry_with_title_url_last_update_and_access_date(
    client, case, time_machine
):
    time_machine.shift(datetime.timedelta(days=2))

    response = client.get(f"/cases/{case.pk}/cite.bib")

    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="case-{case.pk}.bib"'
    assert body(response) == (
        f"@misc{{cambodia-trial-tracker-case-{case.pk},\n"
        "  title = {{Case of Sok Chan}},\n"
        "  author = {{Cambodia Trial Tracker}},\n"
        f"  howpublished = {{\\url{{http://testserver/cases/{case.pk}/}}}},\n"
        f"  url = {{http://testserver/cases/{case.pk}/}},\n"
        "  year = {2024},\n"
        "  note = {Last updated 15 June 2024},\n"
        "  urldate = {2024-06-17}\n"
        "}\n"
    )


def test_the_bibtex_escapes_what_bibtex_would_read_as_commands(client):
    case = CaseFactory(title="Sok & Chan: 100% {costs} $5 #2 under_score ~ ^ \\ end")

    text = body(client.get(f"/cases/{case.pk}/cite.bib"))

    assert (
        r"  title = {{Sok \& Chan: 100\% \{costs\} \$5 \#2 under\_score "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{} end}},"
    ) in text.splitlines()


def test_the_bibtex_keeps_a_title_on_one_line(client):
    case = CaseFactory(title="Case of\nSok   Chan")

    text = body(client.get(f"/cases/{case.pk}/cite.bib"))

    assert "  title = {{Case of Sok Chan}}," in text.splitlines()


def test_the_csl_json_is_one_webpage_item(client, case, time_machine):
    time_machine.shift(datetime.timedelta(days=2))

    response = client.get(f"/cases/{case.pk}/cite.json")

    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="case-{case.pk}.json"'
    assert json.loads(response.content) == [
        {
            "id": f"cambodia-trial-tracker-case-{case.pk}",
            "type": "webpage",
            "title": "Case of Sok Chan",
            "author": [{"literal": "Cambodia Trial Tracker"}],
            "container-title": "Cambodia Trial Tracker",
            "URL": f"http://testserver/cases/{case.pk}/",
            "issued": {"date-parts": [[2024, 6, 15]]},
            "accessed": {"date-parts": [[2024, 6, 17]]},
            "note": "Last updated 15 June 2024",
            "language": "en",
        }
    ]


def test_the_csl_json_writes_khmer_as_it_is(client):
    case = CaseFactory(title="សំណុំរឿង “Sok” & Chan")

    response = client.get(f"/cases/{case.pk}/cite.json")

    assert "សំណុំរឿង “Sok” & Chan" in body(response)
    assert json.loads(response.content)[0]["title"] == "សំណុំរឿង “Sok” & Chan"


@pytest.mark.parametrize("extension", ["bib", "json"])
@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_the_downloads_of_a_case_the_public_may_not_see_answer_404(reader, extension, level):
    case = CaseFactory(title="Secret case", visibility=level)

    response = reader.get(f"/cases/{case.pk}/cite.{extension}")

    assert response.status_code == 404
    assert "Secret" not in body(response)


@pytest.mark.parametrize("extension", ["bib", "json"])
def test_the_downloads_of_a_missing_case_answer_404(client, extension):
    assert client.get(f"/cases/987654/cite.{extension}").status_code == 404


@pytest.mark.parametrize("extension", ["bib", "json"])
def test_each_download_reads_one_query(client, case, extension, django_assert_num_queries):
    # 1. the case, if the public may see it
    with django_assert_num_queries(1):
        assert client.get(f"/cases/{case.pk}/cite.{extension}").status_code == 200
