"""bench/run.py ``reusable``: a ``--reuse`` run keeps earlier results only for the same data."""

from argparse import Namespace

from bench.run import reusable

EARLIER = {"cases": 20000, "seed": 1, "quick": False, "results": {"api_case_list": {}}}


def test_a_run_on_the_same_data_keeps_the_earlier_results():
    assert reusable(EARLIER, Namespace(cases=20000, seed=1)) == EARLIER


def test_a_run_of_another_size_keeps_nothing():
    assert reusable(EARLIER, Namespace(cases=200000, seed=1)) == {}


def test_a_run_of_another_seed_keeps_nothing():
    assert reusable(EARLIER, Namespace(cases=20000, seed=2)) == {}


def test_a_quick_run_is_not_kept():
    assert reusable({**EARLIER, "quick": True}, Namespace(cases=20000, seed=1)) == {}
