"""docker-compose.yml describes the production shape, and every setting is documented."""

import re
import shutil
import subprocess

import pytest
import yaml

from .helpers import ROOT, settings_variables

COMPOSE_FILE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def command_of(service):
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def volume_names(service):
    """Names of the named volumes a service mounts (``name:/path``)."""
    return {entry.split(":", 1)[0] for entry in service.get("volumes", []) if ":" in entry}


def test_it_defines_the_services_of_the_production_shape(services):
    assert set(services) == {"db", "redis", "minio", "minio-bucket", "web", "worker", "beat"}


@pytest.mark.parametrize("name", ["web", "worker"])
def test_the_app_keeps_documents_in_minios_bucket(services, name):
    environment = services[name]["environment"]

    assert environment["DOCUMENTS_STORAGE"] == "s3"
    assert environment["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert services[name]["depends_on"]["minio-bucket"]["condition"] == (
        "service_completed_successfully"
    )


def test_the_documents_bucket_lives_in_a_named_volume(compose, services):
    assert "documents" in compose["volumes"]
    assert "documents" in volume_names(services["minio"])


def test_minio_is_not_published_outside_the_network(services):
    assert "ports" not in services["minio"]


def test_the_database_is_postgresql(services):
    assert services["db"]["image"].startswith("postgres:")


def test_the_database_is_created_in_utf8(services):
    initdb_args = services["db"]["environment"]["POSTGRES_INITDB_ARGS"]

    assert "--encoding=UTF8" in initdb_args
    assert "UTF-8" in initdb_args  # the locale too, so Khmer sorts and compares correctly


def test_redis_is_a_service(services):
    assert services["redis"]["image"].startswith("redis:")


def test_web_migrates_collects_static_files_then_serves_with_gunicorn(services):
    command = command_of(services["web"])

    migrate = command.index("manage.py migrate")
    collectstatic = command.index("manage.py collectstatic")
    gunicorn = command.index("gunicorn cambodia_tracker.wsgi")
    assert migrate < collectstatic < gunicorn


def test_worker_runs_a_celery_worker(services):
    assert re.search(r"\bcelery -A cambodia_tracker worker\b", command_of(services["worker"]))


def test_beat_runs_the_celery_scheduler(services):
    assert re.search(r"\bcelery -A cambodia_tracker beat\b", command_of(services["beat"]))


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_the_app_services_reach_postgresql_and_redis_inside_the_network(services, name):
    environment = services[name]["environment"]

    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_the_app_services_wait_for_a_healthy_database_and_broker(services, name):
    depends_on = services[name]["depends_on"]

    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize(
    ("name", "volume"), [("db", "pgdata"), ("redis", "redisdata"), ("web", "media")]
)
def test_data_lives_in_named_volumes(compose, services, name, volume):
    assert volume in compose["volumes"]
    assert volume in volume_names(services[name])


@pytest.mark.parametrize("name", ["db", "redis", "web"])
def test_the_service_has_a_healthcheck(services, name):
    check = services[name]["healthcheck"]["test"]

    assert check and check[0] in {"CMD", "CMD-SHELL"}


def test_the_web_healthcheck_asks_healthz(services):
    assert any("/healthz" in part for part in services["web"]["healthcheck"]["test"])


def test_every_environment_variable_the_settings_read_is_documented():
    documented = (ROOT / ".env.example").read_text() + configuration_table()

    missing = {name for name in settings_variables() if not re.search(rf"\b{name}\b", documented)}

    assert not missing, f"not in .env.example nor README.md's configuration table: {missing}"


def configuration_table():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def docker_compose_available():
    if shutil.which("docker") is None:
        return False
    result = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, timeout=60, check=False
    )
    return result.returncode == 0


def test_docker_compose_accepts_the_file(tmp_path):
    if not docker_compose_available():
        pytest.skip("needs docker with the compose plugin (`docker compose version` failed)")
    shutil.copy(COMPOSE_FILE, tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")

    result = subprocess.run(
        ["docker", "compose", "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr


def test_the_app_keeps_its_database_connections_and_a_shared_cache(services):
    environment = services["web"]["environment"]

    assert environment["CONN_MAX_AGE"].endswith("60}")  # ${CONN_MAX_AGE:-60}
    assert environment["CACHE_URL"].startswith("redis://")


def test_the_app_port_is_published_on_the_loopback_interface_only(services):
    """Only the reverse proxy on the host reaches the app: a caller who reached it directly
    could write X-Forwarded-For and choose the address the lockout and throttles count."""
    for entry in services["web"].get("ports", []):
        assert str(entry).startswith("127.0.0.1:"), entry


def test_gunicorn_trusts_forwarded_headers_only_from_the_proxy(services):
    assert "forwarded-allow-ips='*'" not in command_of(services["web"])
    assert "forwarded-allow-ips=*" not in command_of(services["web"])


def test_every_image_names_a_release_so_a_redeploy_pulls_the_same_one(services):
    for name, service in services.items():
        if "image" not in service:
            continue  # built from this repository
        repository, _, tag = service["image"].rpartition(":")
        assert repository and "/" not in tag and tag != "latest", f"{name}: {service['image']}"
