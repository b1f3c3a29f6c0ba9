import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _db_for_every_test(db):
    """Every test here touches the database (groups and types come from migrations)."""


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL row locks (set DATABASE_URL to a PostgreSQL server)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
