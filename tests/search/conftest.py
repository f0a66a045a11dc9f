"""Helpers for the search tests. Every test here runs on the engine DATABASE_URL names:
SQLite by default, PostgreSQL when it points at one (tests marked ``postgres`` only there)."""

import pytest


@pytest.fixture(autouse=True)
def no_search_budget(monkeypatch):
    """Many searches per test file; the budget itself is tested in test_api.py."""
    from partners.api.auth import CallerRateThrottle

    rates = dict(CallerRateThrottle.THROTTLE_RATES)
    for scope in ("anon", "partner", "staff"):
        rates[f"search_{scope}"] = "100000/hour"
    monkeypatch.setattr(CallerRateThrottle, "THROTTLE_RATES", rates)


def found(client, q, **params):
    """[(record_type, id), ...] the API answers for ``q``, best first."""
    response = client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [(r["record_type"], r["id"]) for r in response.json()["results"]]


def results(client, q, **params):
    response = client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]
