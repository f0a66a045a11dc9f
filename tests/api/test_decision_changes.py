"""A decision moves for exactly the callers who see what changed in it (#15, item 2): the
hearing it names deleted, a charge it rules on linked, unlinked or hidden. The public must not
learn of a change to a record only partners see, yet a partner syncing with ``updated_since``
must get the decision again (core.models.ContainerModel)."""

import datetime

import pytest
import time_machine

from core.visibility import Visibility
from tests.factories import ChargeFactory, DecisionFactory, HearingFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BEFORE = datetime.datetime(2025, 1, 1, 9, tzinfo=UTC)  # the records are made
SINCE = datetime.datetime(2025, 1, 2, 9, tzinfo=UTC)  # the caller's previous sync
AFTER = datetime.datetime(2025, 1, 3, 9, tzinfo=UTC)  # the change
BEFORE_TEXT, AFTER_TEXT = "2025-01-01T09:00:00Z", "2025-01-03T09:00:00Z"


def at(moment):
    return time_machine.travel(moment, tick=False)


def changed_since(client):
    response = client.get("/api/v1/decisions/", {"updated_since": SINCE.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def snapshot(client, ruling):
    """What a caller reads of the decision: its list and detail, bodies and ETags."""
    listing = client.get("/api/v1/decisions/")
    detail = client.get(f"/api/v1/decisions/{ruling.pk}/")
    assert detail.status_code == 200, detail.content
    return listing.content, listing["ETag"], detail.content, detail["ETag"]


def with_partners_hearing():
    """A public decision naming a hearing only partners see."""
    with at(BEFORE):
        ruling = DecisionFactory()
        ruling.hearing = HearingFactory(case=ruling.case, visibility=Visibility.PARTNERS)
        ruling.save()
    return ruling


def with_partners_charge(ruled_on=False):
    """A public decision and a charge only partners see, in its case against its person."""
    with at(BEFORE):
        ruling = DecisionFactory()
        charge = ChargeFactory(
            case=ruling.case, defendant=ruling.defendant, visibility=Visibility.PARTNERS
        )
        if ruled_on:
            ruling.charges.add(charge)
    return ruling, charge


# The hearing it names is deleted ---------------------------------------------------------------


@pytest.mark.parametrize("caller", ["partner", "monitor"])
def test_deleting_a_hidden_hearing_sends_the_decision_to_who_saw_it(api_as, caller):
    ruling = with_partners_hearing()
    client = api_as(caller)

    with at(AFTER):
        ruling.hearing.delete()

    [sent] = changed_since(client)
    assert (sent["id"], sent["hearing"], sent["updated_at"]) == (ruling.pk, None, AFTER_TEXT)


def test_deleting_a_hidden_hearing_leaves_the_public_decision_byte_identical(anonymous_api):
    ruling = with_partners_hearing()
    before = snapshot(anonymous_api, ruling)

    with at(AFTER):
        ruling.hearing.delete()

    assert snapshot(anonymous_api, ruling) == before
    assert changed_since(anonymous_api) == []


def test_deleting_a_public_hearing_moves_the_decision_for_the_public(anonymous_api):
    with at(BEFORE):
        ruling = DecisionFactory()
        ruling.hearing = HearingFactory(case=ruling.case)
        ruling.save()

    with at(AFTER):
        ruling.hearing.delete()

    [sent] = changed_since(anonymous_api)
    assert (sent["id"], sent["hearing"], sent["updated_at"]) == (ruling.pk, None, AFTER_TEXT)


# A charge it rules on is linked, unlinked or hidden ---------------------------------------------


def test_linking_a_hidden_charge_sends_the_decision_to_partners(partner_api):
    ruling, charge = with_partners_charge()

    with at(AFTER):
        ruling.charges.add(charge)

    [sent] = changed_since(partner_api)
    assert (sent["id"], sent["charges"], sent["updated_at"]) == (ruling.pk, [charge.pk], AFTER_TEXT)


def test_unlinking_a_hidden_charge_sends_the_decision_to_partners(partner_api):
    ruling, charge = with_partners_charge(ruled_on=True)

    with at(AFTER):
        ruling.charges.remove(charge)

    [sent] = changed_since(partner_api)
    assert (sent["id"], sent["charges"], sent["updated_at"]) == (ruling.pk, [], AFTER_TEXT)


@pytest.mark.parametrize("ruled_on", [False, True], ids=["linking", "unlinking"])
def test_a_hidden_charge_leaves_the_public_decision_byte_identical(anonymous_api, ruled_on):
    ruling, charge = with_partners_charge(ruled_on)
    before = snapshot(anonymous_api, ruling)

    with at(AFTER):
        (ruling.charges.remove if ruled_on else ruling.charges.add)(charge)

    assert snapshot(anonymous_api, ruling) == before
    assert changed_since(anonymous_api) == []


def test_hiding_a_charge_it_rules_on_moves_the_decision_for_the_public(anonymous_api):
    with at(BEFORE):
        ruling = DecisionFactory()
        charge = ChargeFactory(case=ruling.case, defendant=ruling.defendant)
        ruling.charges.add(charge)

    with at(AFTER):
        charge.visibility = Visibility.MONITORS
        charge.save()

    [sent] = changed_since(anonymous_api)
    assert (sent["id"], sent["charges"], sent["updated_at"]) == (ruling.pk, [], AFTER_TEXT)


def test_the_decisions_own_edit_moves_it_for_every_caller(api_as):
    ruling = with_partners_hearing()

    with at(AFTER):
        ruling.summary = "Two years."
        ruling.save()

    for caller in ("anonymous", "partner", "monitor"):
        [sent] = changed_since(api_as(caller))
        assert (sent["id"], sent["updated_at"]) == (ruling.pk, AFTER_TEXT)
