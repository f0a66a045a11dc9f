"""bench/run.py ``timed``: how many calls a budget keeps."""

from bench.run import timed


def count_calls(**kwargs):
    calls = []
    spent = timed(calls.append, warmup=2, **kwargs)
    return len(calls), len(spent)


def test_without_a_budget_every_iteration_is_timed_after_the_warmup():
    assert count_calls(iterations=30) == (32, 30)


def test_a_spent_budget_still_times_the_least_number_of_calls():
    assert count_calls(iterations=30, budget=1e-9, least=5) == (7, 5)
