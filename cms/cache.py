"""Django's Redis cache backend, with one redis client per connection pool instead of one per call.

Django's RedisCacheClient.get_client builds a new redis.Redis for every cache call, and building one
fills a table of some 170 response callbacks: a third of the CPU of a public page's 304 went there
(bench/bench_public.py). A redis.Redis holds no connection of its own (each command borrows one from
the pool) and is safe to share between threads, so one per pool serves every call; after a fork the
pool itself notices the new process and opens fresh connections.
"""
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
