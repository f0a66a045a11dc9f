"""bench/sync_cost.py, the nightly sync's cost before and after the change feed, kept working on
a little synthetic data: the README's recipes run, and their copies are compared with a fresh
pull."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from bench import sync_cost
from core import registry
from partners.models import ApiToken, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(settings):
    settings.SYNC_OVERLAP_SECONDS = 1  # the overlap the bench waits out between nights
    call_command("generate_synthetic", "--cases", "12", "--force", stdout=io.StringIO())
    sync_cost.as_in_production()
    return ApiToken.issue(name="nightly sync", partner=Partner.objects.create(name="NGO"))[1]


def test_the_feed_keeps_a_copy_equal_to_a_fresh_pull_in_one_request_a_quiet_night(secret):
    quiet, busy = sync_cost.measure(Client(), secret, nights=(0, 5))["nights"]

    for night in (quiet, busy):
        assert night["copies_equal_a_fresh_pull"]["after"], night["differences"]["after"]
    assert quiet["after"]["plain"]["requests"] == quiet["after"]["gzip"]["requests"] == 1
    # The lists and tombstones cost a request per synced type, and one for the tombstones,
    # however quiet the night.
    assert quiet["before"]["plain"]["requests"] == len(registry.synced()) + 1
    assert busy["after"]["plain"]["bytes"] > quiet["after"]["plain"]["bytes"]
    assert busy["after"]["gzip"]["bytes"] < busy["after"]["plain"]["bytes"]


def test_lists_and_tombstones_keep_a_copy_equal_to_a_fresh_pull(secret):
    (night,) = sync_cost.measure(Client(), secret, nights=(5,))["nights"]

    assert night["copies_equal_a_fresh_pull"]["before"], night["differences"]["before"]
