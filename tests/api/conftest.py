"""The API's caller fixtures (``anonymous_api``, ``partner_api``, ``monitor_api`` …) are in
tests/conftest.py, shared with the tests of cached reads."""
