"""What a search finds: every word, Khmer inside longer text, misspelt names, each type."""

import pytest

from core.visibility import Visibility
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CourtFactory,
    DefendantFactory,
    HearingFactory,
    OrganisationFactory,
)

from .conftest import found, results

pytestmark = pytest.mark.django_db

KANG_SARAN_KM = "កាំង សារ៉ាន់"


def test_a_misspelt_romanisation_finds_the_person(anonymous_api):
    person = DefendantFactory(name="Kem Sokha")

    assert found(anonymous_api, "Kim Sokha") == [("defendants", person.pk)]


def test_the_right_spelling_finds_the_person(anonymous_api):
    person = DefendantFactory(name="Kem Sokha")

    assert found(anonymous_api, "kem sokha") == [("defendants", person.pk)]


def test_a_name_unlike_the_query_is_not_found(anonymous_api):
    DefendantFactory(name="Kem Sokha")

    assert found(anonymous_api, "Sam Rainsy") == []


def test_a_khmer_name_is_found_by_the_whole_name(anonymous_api):
    person = DefendantFactory(name="Kang Saran", name_km=KANG_SARAN_KM)

    assert found(anonymous_api, KANG_SARAN_KM) == [("defendants", person.pk)]


def test_a_khmer_name_is_found_by_one_of_its_words(anonymous_api):
    person = DefendantFactory(name="Kang Saran", name_km=KANG_SARAN_KM)

    assert found(anonymous_api, "សារ៉ាន់") == [("defendants", person.pk)]


def test_a_khmer_word_is_found_inside_text_without_spaces(anonymous_api):
    case = CaseFactory(title="Land case", summary_km="សកម្មជនដីធ្លីត្រូវបានចាប់ខ្លួន")

    assert found(anonymous_api, "ដីធ្លី") == [("cases", case.pk)]


def test_a_person_is_found_by_another_name_the_sources_use(anonymous_api):
    person = DefendantFactory(name="Sok Dara", aliases="Sok Darah, Ta Dara")

    assert found(anonymous_api, "Ta Dara") == [("defendants", person.pk)]


def test_every_word_must_occur(anonymous_api):
    CaseFactory(title="Treason trial", summary="A land activist")
    CaseFactory(title="Appeal", summary="A union leader")
    both = CaseFactory(title="Treason appeal", summary="The union's president")

    assert found(anonymous_api, "treason union", type="cases") == [("cases", both.pk)]


def test_a_case_is_found_by_its_number(anonymous_api):
    case = CaseFactory(title="Land dispute", case_number="1234/2023")

    assert found(anonymous_api, "1234/2023") == [("cases", case.pk)]


def test_an_article_is_found_by_its_title(anonymous_api):
    charge = ChargeFactory(article=ArticleFactory(number="494", title_en="Incitement to commit"))

    assert ("articles", charge.article_id) in found(anonymous_api, "incitement commit")


def test_a_court_is_found_by_its_name(anonymous_api):
    court = CourtFactory(name_en="Kampong Cham Provincial Court")
    CaseFactory(court=court)

    assert found(anonymous_api, "Kampong Cham") == [("courts", court.pk)]


def test_an_organisation_is_found_by_its_acronym(anonymous_api):
    organisation = OrganisationFactory(name_en="Cambodia National Rescue Party", acronym="CNRP")
    AffiliationFactory(organisation=organisation)

    assert found(anonymous_api, "CNRP") == [("organisations", organisation.pk)]


def test_a_hearing_is_found_by_its_public_observations(anonymous_api):
    hearing = HearingFactory(fair_trial_observations="The lawyers were refused the file")

    assert found(anonymous_api, "refused the file") == [("hearings", hearing.pk)]


def test_a_hearings_monitor_notes_are_never_searched(monitor_api):
    HearingFactory(monitor_notes="Witness Zorblat met us outside")

    assert found(monitor_api, "Zorblat") == []


def test_a_review_note_is_never_searched(monitor_api):
    CaseFactory(review_note="Check Zorblat's statement", visibility=Visibility.MONITORS)

    assert found(monitor_api, "Zorblat") == []


def test_an_exact_name_comes_first(anonymous_api):
    case = CaseFactory(title="Kem Sokha treason case", summary="Kem Sokha, Kem Sokha, Kem Sokha")
    person = DefendantFactory(name="Kem Sokha")

    assert found(anonymous_api, "Kem Sokha") == [("defendants", person.pk), ("cases", case.pk)]


def test_a_result_names_its_type_title_api_url_snippet_and_rank(anonymous_api):
    person = DefendantFactory(name="Kang Saran", name_km=KANG_SARAN_KM)

    [result] = results(anonymous_api, "Saran")

    assert result == {
        "record_type": "defendants",
        "id": person.pk,
        "title": f"Kang Saran · {KANG_SARAN_KM}",
        "url": f"http://testserver/api/v1/defendants/{person.pk}/",
        "snippet": "Kang <mark>Saran</mark>",
        "rank": result["rank"],
    }
    assert result["rank"] > 0


@pytest.mark.postgres
def test_postgresql_has_the_trigram_extension():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
