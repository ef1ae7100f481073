"""Django's Redis cache with one redis-py client per connection pool.

Django builds a new `redis.Redis` for every cache call, and building one costs about as much
Python as the call itself (its table of ~170 response callbacks): sign-in by API token reads
the cache on every request (departments/token_cache.py). A client is safe to share between
threads; its pool hands each call a connection and notices a fork.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool
