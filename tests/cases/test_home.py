import pytest

from core.visibility import Visibility
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_home_lists_public_cases(client):
    CaseFactory(title="Public case")

    response = client.get("/")

    assert response.status_code == 200
    assert "Public case" in response.content.decode()


def test_home_hides_cases_above_public(client):
    CaseFactory(title="Partner case", visibility=Visibility.PARTNERS)
    CaseFactory(title="Confidential case", visibility=Visibility.MONITORS)

    body = client.get("/").content.decode()

    assert "Partner case" not in body
    assert "Confidential case" not in body
