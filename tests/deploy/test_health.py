"""Health checks for the load balancer, and a database outage answered as 503, never as a
500 page that names the internals."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.models.sql.compiler import SQLCompiler
from django.db.utils import load_backend
from django.test import Client

from cambodia_tracker import health
from tests.factories import CaseFactory

# What an outage must not reveal: the engine, the driver, the host and the error's own words.
INTERNAL_NAMES = ["postgres", "psycopg", "sqlite", "operationalerror", "traceback", "db.internal"]
OUTAGE_MESSAGE = (
    'connection to server at "db.internal" (10.0.0.5), port 5432 failed: '
    "could not connect to server: Connection refused"
)


@pytest.fixture
def no_broker(settings):
    """Tasks run eagerly, as in local development: there is no broker to check."""
    settings.CELERY_BROKER_URL = ""


@pytest.fixture
def broken_connection(monkeypatch):
    """The health check's database connection, pointed at a server that does not answer."""
    params = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        params["NAME"] = "/nonexistent-directory/tracker.sqlite3"
    else:
        params.update(HOST="127.0.0.1", PORT=1)
    broken = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias="broken")
    monkeypatch.setattr(health, "connection", broken)
    with pytest.raises(OperationalError) as failure:
        broken.ensure_connection()
    yield str(failure.value)
    broken.close()


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it would with the database server gone."""

    def refuse(*args, **kwargs):
        raise OperationalError(OUTAGE_MESSAGE)

    monkeypatch.setattr(SQLCompiler, "execute_sql", refuse)


@pytest.fixture
def browser():
    """A client that gets the answer a visitor would, not the exception."""
    cache.clear()
    yield Client(raise_request_exception=False)
    cache.clear()


def reveals_internals(response, *extra):
    body = response.content.decode().lower()
    return [name for name in [*INTERNAL_NAMES, *extra] if name and name.lower() in body]


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_while_the_database_is_down(browser, database_down, broken_connection):
    assert browser.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_answers_200_when_the_database_works(client, no_broker):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_unreachable(client, no_broker, broken_connection):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.django_db
def test_readyz_says_when_to_retry_when_the_database_is_unreachable(
    client, no_broker, broken_connection
):
    assert client.get("/readyz")["Retry-After"] == "30"


@pytest.mark.django_db
def test_readyz_names_no_internals_when_the_database_is_unreachable(
    client, no_broker, broken_connection
):
    response = client.get("/readyz")

    hosts = [connection.settings_dict["HOST"], connection.settings_dict["NAME"]]
    assert reveals_internals(response, broken_connection, *map(str, hosts)) == []


@pytest.mark.django_db
def test_readyz_answers_503_with_retry_after_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda: False)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["checks"] == {"database": "ok", "broker": "down"}


@pytest.mark.django_db
def test_readyz_names_no_internals_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda: False)

    response = client.get("/readyz")

    assert reveals_internals(response, "redis") == []


@pytest.mark.django_db
def test_a_database_error_on_the_home_page_answers_503(browser, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(OUTAGE_MESSAGE)

    monkeypatch.setattr("public.views.cases.headline_figures", refuse)

    response = browser.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/plain")
    assert "briefly unavailable" in response.content.decode()
    assert reveals_internals(response) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/cases/", "/api/v1/cases/", "/api/v1/hearings/"])
def test_a_database_outage_answers_503_with_a_plain_message(browser, database_down, url):
    response = browser.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.content.decode()
    assert reveals_internals(response) == []


@pytest.mark.django_db
def test_other_errors_are_a_plain_500_without_internals(browser, monkeypatch):
    CaseFactory()

    def crash(*args, **kwargs):
        raise ValueError("secret internal detail")

    monkeypatch.setattr("public.views.cases.headline_figures", crash)

    response = browser.get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert reveals_internals(response, "secret internal detail") == []


def test_database_connections_are_health_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
