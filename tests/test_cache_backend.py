"""cms.cache.RedisCache: Django's Redis cache with one client per connection pool."""
import os
import threading

import pytest

from cms.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache-backend"})
    try:
        cache.get("probe")
    except Exception as exc:  # noqa: BLE001 - no Redis here: nothing to test against
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    yield cache
    cache.delete_many(["page", "generation", "counter"])


def test_the_redis_cache_reads_back_what_it_wrote_through_one_reused_client(redis_cache):
    redis_cache.set("page", {"etag": '"abc"', "body": "<p>x</p>"}, 60)
    redis_cache.set("generation", 7, 60)

    assert redis_cache.get_many(["page", "generation", "missing"]) == {
        "page": {"etag": '"abc"', "body": "<p>x</p>"}, "generation": 7}
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)


def test_the_shared_redis_client_serves_threads_at_once(redis_cache):
    redis_cache.set("counter", 0, 60)
    failures = []

    def bump():
        try:
            for _ in range(50):
                redis_cache.incr("counter")
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert redis_cache.get("counter") == 200
