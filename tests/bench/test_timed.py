"""bench/run.py ``timed``: how many calls a budget keeps."""

import argparse

from bench.run import Bench, timed


def count_calls(**kwargs):
    calls = []
    spent = timed(calls.append, warmup=2, **kwargs)
    return len(calls), len(spent)


def test_without_a_budget_every_iteration_is_timed_after_the_warmup():
    assert count_calls(iterations=30) == (32, 30)


def test_a_spent_budget_still_times_the_least_number_of_calls():
    assert count_calls(iterations=30, budget=1e-9, least=5) == (7, 5)


def warmup_for(cases, budget):
    return Bench(argparse.Namespace(cases=cases, budget=budget, iterations=200, slow_iterations=5))


def test_a_budgeted_run_warms_each_page_three_times():
    assert warmup_for(20_000, budget=30.0).warmup == 3


def test_at_ten_times_the_size_one_request_warms_each_page():
    # One cold statistics page takes a minute or more there: more warm-ups warm nothing more.
    assert warmup_for(200_000, budget=60.0).warmup == 1


def test_what_runs_before_each_call_runs_untimed_before_every_call():
    order = []
    spent = timed(
        lambda i: order.append(("call", i)),
        iterations=2,
        warmup=1,
        before=lambda i: order.append(("before", i)),
    )

    assert order == [
        ("before", 0),
        ("call", 0),
        ("before", 0),
        ("call", 0),
        ("before", 1),
        ("call", 1),
    ]
    assert len(spent) == 2
