"""The admin case list's search box."""

import pytest

from tests.factories import CaseDefendantFactory, CaseFactory, DefendantFactory

pytestmark = pytest.mark.django_db


def search_cases(client, user, text):
    client.force_login(user)
    response = client.get("/admin/cases/case/", {"q": text})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_it_finds_a_case_by_a_defendants_name_in_khmer_script(client, monitor):
    wanted = CaseDefendantFactory(defendant=DefendantFactory(name_km="សុខ ដារា")).case
    CaseDefendantFactory(defendant=DefendantFactory(name_km="ចាន់ សុភា"))

    assert search_cases(client, monitor, "ដារា") == [wanted]


def test_it_finds_a_case_by_its_case_number(client, monitor):
    wanted = CaseFactory(case_number="1234/2024")
    CaseFactory(case_number="5678/2023")

    assert search_cases(client, monitor, "1234/2024") == [wanted]


def test_a_case_with_several_matching_defendants_is_listed_once(client, monitor):
    case = CaseFactory()
    for name in ["សុខ ដារា", "សុខ ចាន់"]:
        CaseDefendantFactory(case=case, defendant=DefendantFactory(name_km=name))

    assert search_cases(client, monitor, "សុខ") == [case]
