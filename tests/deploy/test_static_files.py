"""Static files in production: collected once with content hashes and pre-compressed copies,
then served by whitenoise with far-future caching."""

import gzip
import json

import pytest
from django.test import Client

from .helpers import manage, production_environment

SOURCE = "css/site.css"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    result = manage(
        "collectstatic", "--no-input", environment=production_environment(STATIC_ROOT=str(root))
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def hashed_name(static_root):
    """What the manifest maps css/site.css to."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return manifest["paths"][SOURCE]


def test_production_uses_whitenoise_compressed_manifest_storage():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        environment=production_environment(),
    )

    assert result.stdout.strip().splitlines()[-1] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_collectstatic_succeeds_with_production_settings(static_root):
    # The fixture fails with collectstatic's error; this names the behaviour.
    assert (static_root / "staticfiles.json").is_file()


def test_collectstatic_gives_the_stylesheet_a_content_hashed_name(static_root, hashed_name):
    assert hashed_name != SOURCE
    assert hashed_name.startswith("css/site.") and hashed_name.endswith(".css")
    assert (static_root / hashed_name).is_file()


def test_collectstatic_writes_a_gzip_copy_of_the_hashed_stylesheet(static_root, hashed_name):
    compressed = static_root / f"{hashed_name}.gz"

    assert gzip.decompress(compressed.read_bytes()) == (static_root / hashed_name).read_bytes()


@pytest.fixture
def production_static(settings, static_root):
    settings.STATIC_ROOT = static_root
    settings.WHITENOISE_USE_FINDERS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return Client()  # a new client: whitenoise reads STATIC_ROOT when it starts


def test_whitenoise_serves_the_gzip_copy_to_browsers_that_accept_it(production_static, hashed_name):
    response = production_static.get(f"/static/{hashed_name}", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_whitenoise_lets_browsers_cache_hashed_files_for_ever(production_static, hashed_name):
    response = production_static.get(f"/static/{hashed_name}")

    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
