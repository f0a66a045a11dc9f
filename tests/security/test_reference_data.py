"""Issue #20, finding 2: reference records (organisations, articles, courts, laws) have no level
of their own; they are served only while something the caller may see uses them, and show no
times. An organisation created only for a confidential affiliation was public, with its
creation time."""

import pytest
from rest_framework.test import APIClient

from cases.models import Court
from core.visibility import Visibility
from partners.models import ApiToken, Partner
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CourtFactory,
    HearingFactory,
    LawFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

MONITORS, PARTNERS, PUBLIC = Visibility.MONITORS, Visibility.PARTNERS, Visibility.PUBLIC


@pytest.fixture
def partner_api():
    token = ApiToken(name="t", partner=Partner.objects.create(name="NGO"))
    secret = token.set_new_secret()
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def monitor_api(monitor):
    client = APIClient()
    client.force_login(monitor)
    return client


def seen(client, path, record):
    listed = [row["id"] for row in client.get(f"/api/v1/{path}/").json()["results"]]
    detail = client.get(f"/api/v1/{path}/{record.pk}/")
    assert (record.pk in listed) == (detail.status_code == 200)
    assert detail.status_code in (200, 404)
    return detail.status_code == 200


def plant(kind, level):
    """A reference record of ``kind`` used only by a record at ``level``."""
    if kind == "organisations":
        return AffiliationFactory(visibility=level).organisation
    if kind == "articles":
        return ChargeFactory(visibility=level).article
    if kind == "laws":
        law = LawFactory(title_en=f"Law for {level}")
        ChargeFactory(article=ArticleFactory(law=law), visibility=level)
        return law
    return CaseFactory(visibility=level).court


KINDS = ["organisations", "articles", "laws", "courts"]


@pytest.mark.parametrize("kind", KINDS)
def test_reference_data_used_only_by_a_confidential_record_is_hidden(
    client, partner_api, monitor_api, kind
):
    record = plant(kind, MONITORS)

    assert not seen(client, kind, record)
    assert not seen(partner_api, kind, record)
    assert seen(monitor_api, kind, record)


@pytest.mark.parametrize("kind", KINDS)
def test_reference_data_used_by_a_partner_record_shows_to_partners_only(client, partner_api, kind):
    record = plant(kind, PARTNERS)

    assert not seen(client, kind, record)
    assert seen(partner_api, kind, record)


@pytest.mark.parametrize("kind", KINDS)
def test_reference_data_used_by_a_public_record_is_public(client, kind):
    assert seen(client, kind, plant(kind, PUBLIC))


def test_an_organisation_of_a_public_affiliation_of_a_hidden_person_is_hidden(client):
    affiliation = AffiliationFactory(defendant__visibility=MONITORS)

    assert not seen(client, "organisations", affiliation.organisation)


def test_unused_reference_data_is_hidden_from_the_public(client, monitor_api):
    for kind, record in [
        ("organisations", OrganisationFactory()),
        ("articles", ArticleFactory()),
        ("courts", CourtFactory()),
    ]:
        assert not seen(client, kind, record)
        assert seen(monitor_api, kind, record)


def test_a_court_used_only_by_a_public_hearing_of_a_hidden_case_is_hidden(client):
    hearing = HearingFactory(case__visibility=MONITORS)
    court = Court.objects.create(name_en="Hearing-only court", level="first_instance")
    hearing.court = court
    hearing.save()

    assert not seen(client, "courts", court)


@pytest.mark.parametrize("kind", KINDS)
def test_reference_data_shows_no_times(client, kind):
    first = plant(kind, PUBLIC)
    plant(kind, PUBLIC).save()  # the second one edited last
    first.save()  # then the first: ordering by time would put it last

    detail = client.get(f"/api/v1/{kind}/{first.pk}/").json()
    filtered = client.get(f"/api/v1/{kind}/", {"updated_since": "2000-01-01T00:00:00Z"})
    ordered = client.get(f"/api/v1/{kind}/", {"ordering": "-updated_at"})

    assert not {"created_at", "updated_at"} & set(detail)
    assert filtered.status_code == 400  # an unknown parameter, not a time oracle
    assert ordered.status_code == 400  # not an ordering reference data offers


def test_the_calendar_of_a_court_only_a_hidden_case_uses_is_a_404(client):
    court = CaseFactory(visibility=MONITORS).court

    assert client.get(f"/courts/{court.pk}/hearings.ics").status_code == 404
