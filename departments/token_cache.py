"""API tokens as sign-in reads them, kept for a few seconds in a cache shared by every process.

Reading the token with its person and organisation cost half of a small API request's Python
(a three-table query compiled per request). With `API_TOKEN_CACHE_SECONDS` set (the default
when REDIS_URL is: Redis is what every web process shares), a live token read from the
database is kept under its digest for that long, and sign-in reads it from there.

What keeps it as safe as a database read on every request:
- Revoked or expired is decided at each request, never cached as "fine": expiry is tested
  against the clock on the cached copy, and revoking writes a marker over the entry before
  and again after its transaction commits (`forget`), so the next request reads the database.
- The marker blocks filling: entries are added only where the key is empty (`cache.add`), so
  a request that read the token just before the revocation committed cannot put it back.
- A change to the person (deactivated, moved, roles) or to their organisation, and deleting a
  token, forget the person's tokens the same way (signals in departments/apps.py). Changes made
  with `QuerySet.update()` bypass those signals and show after at most the cache's seconds.
- When the cache fails, sign-in reads the database for `PAUSE_SECONDS` before trying it again;
  a revocation that cannot reach the cache is logged, and its entry lives at most its seconds.

Without REDIS_URL the cache is per process (development, tests), so it is off by default.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from departments.models import ApiToken

logger = logging.getLogger(__name__)

# What a revoked token's key holds for a while: "read the database".
FORGOTTEN = "forgotten"
PAUSE_SECONDS = 5
_paused_until = 0.0


def _key(digest: str) -> str:
    return f"apitoken:{digest}"


def _cache():
    return caches["tokens"]


def _seconds() -> int:
    return settings.API_TOKEN_CACHE_SECONDS


def enabled() -> bool:
    return _seconds() > 0


def _usable() -> bool:
    return enabled() and time.monotonic() >= _paused_until


def _failed(action: str, error: Exception) -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_SECONDS
    logger.warning("API token cache %s failed (%s); reading the database", action, error)


def token_from_database(digest: str) -> ApiToken | None:
    """The token with this digest, with its user and the user's organisation: one query."""
    return ApiToken.objects.select_related("user__organisation").filter(digest=digest).first()


def token_with_user(key: str) -> ApiToken | None:
    """The token whose key this is, with its user and organisation: from the cache when it
    holds it, else from the database (and then kept, if it still signs someone in)."""
    digest = ApiToken.digest_of(key)
    if not _usable():
        return token_from_database(digest)
    try:
        cached = _cache().get(_key(digest))
    except Exception as error:
        _failed("read", error)
        return token_from_database(digest)
    if isinstance(cached, ApiToken):
        return cached
    token = token_from_database(digest)
    if cached is None and token is not None and token.is_live and token.user.is_active:
        try:
            _cache().add(_key(digest), token, timeout=_seconds())
        except Exception as error:
            _failed("write", error)
    return token


def forget(digests) -> None:
    """These tokens must be read from the database again: now, and once the transaction that
    changes them has committed (a request may have read them just before it)."""
    digests = list(digests)
    if not digests or not enabled():
        return

    def mark():
        try:
            _cache().set_many({_key(d): FORGOTTEN for d in digests}, timeout=_seconds())
        except Exception as error:
            # Not paused: the next revocation tries again.
            logger.error("API token cache not told of %d revoked tokens: %s", len(digests), error)

    mark()
    transaction.on_commit(mark)


def forget_one(digest: str) -> None:
    """Drop the entry so the next request reads it fresh (its last use was written)."""
    if not _usable():
        return
    try:
        _cache().delete(_key(digest))
    except Exception as error:
        _failed("delete", error)
