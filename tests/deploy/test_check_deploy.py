"""Production settings pass Django's deployment checks, and refuse to start without a key."""

from .helpers import clean_environment, manage, production_environment

DEPLOY_CHECK = ("check", "--deploy", "--fail-level", "WARNING")


def test_production_settings_pass_the_deployment_checks():
    result = manage(*DEPLOY_CHECK, environment=production_environment())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checks_fail_when_a_production_default_is_weakened():
    # Proves the check above can fail: turning HSTS off is a deployment warning.
    environment = production_environment(SECURE_HSTS_SECONDS="0")

    result = manage(*DEPLOY_CHECK, environment=environment)

    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = clean_environment(DEBUG="false", ALLOWED_HOSTS="tracker.example.org")

    result = manage(*DEPLOY_CHECK, environment=environment)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_secret_key_file_is_read_like_a_docker_secret(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(production_environment()["SECRET_KEY"] + "\n")
    environment = production_environment(SECRET_KEY_FILE=str(secret))
    del environment["SECRET_KEY"]

    result = manage(*DEPLOY_CHECK, environment=environment)

    assert result.returncode == 0, result.stderr
