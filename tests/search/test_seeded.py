"""Searching the cases of the 2024 UN Secretary-General report on Cambodia as the seed loads
them: a common misspelling of a romanised name, and a Khmer-script name once one is recorded
(the seed adds none the report does not give)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from defendants.models import Defendant

from .conftest import found

KANG_SARAN_KM = "កាំង សារ៉ាន់"


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for this file, in a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_report", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def seeded(seeded_once, db):
    pass


def person(name):
    return Defendant.objects.get(name=name)


def test_a_misspelt_name_finds_the_person(anonymous_api):
    assert ("defendants", person("Kem Sokha").pk) in found(anonymous_api, "Kim Sokha")


def test_the_name_finds_the_person_first_then_the_case_titled_with_it(anonymous_api):
    kem_sokha = person("Kem Sokha")
    case = kem_sokha.cases.get()

    results = found(anonymous_api, "Kem Sokha")

    assert results[0] == ("defendants", kem_sokha.pk)
    assert ("cases", case.pk) in results


def test_no_khmer_name_is_found_before_one_is_recorded(anonymous_api):
    assert found(anonymous_api, KANG_SARAN_KM) == []


def test_a_recorded_khmer_name_is_found_by_the_name_and_by_one_word(anonymous_api, client):
    kang_saran = person("Kang Saran")
    kang_saran.name_km = KANG_SARAN_KM
    kang_saran.save()

    assert found(anonymous_api, KANG_SARAN_KM) == [("defendants", kang_saran.pk)]
    assert found(anonymous_api, "សារ៉ាន់") == [("defendants", kang_saran.pk)]
    page = client.get("/km/search/", {"q": "សារ៉ាន់"}).content.decode()
    assert f'href="/km/people/{kang_saran.pk}/"' in page


def test_an_article_of_the_criminal_code_is_found_by_its_number_and_law(anonymous_api):
    results = found(anonymous_api, "Criminal Code 494", type="articles")

    assert len(results) == 1


def test_a_court_of_the_report_is_found(anonymous_api):
    assert found(anonymous_api, "Phnom Penh", type="courts")
