import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _db_for_every_test(db):
    """Every test here touches the database (groups and types come from migrations)."""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers spend ~0.3 s per password on purpose; tests need no such protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL row locks (set DATABASE_URL to a PostgreSQL server)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
