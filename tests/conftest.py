import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _db_for_every_test(db):
    """Every test here touches the database (groups and types come from migrations)."""


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public pages are kept in the cache per ETag, beside the publish stamp: each test starts
    without either (test databases reuse ids, which real ones never do)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers spend ~0.3 s per password on purpose; tests need no such protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images go to a temporary MEDIA_ROOT, so tests leave no files behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL row locks (set DATABASE_URL to a PostgreSQL server)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
