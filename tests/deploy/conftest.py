import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logins are most of what this folder does; the real hasher's cost is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
