"""Version numbers of shared data, so that caches anywhere are keyed by what they were built from.

A cached value (per-process memory or the shared cache) carries the version of the data it was built
from in its key. Changing that data calls `bump(name)` inside the same transaction, so the change
and the new number commit together (or roll back together) and every process, with or without Redis,
stops using what the change replaced at its next request.

Reading is one small query for all names together, remembered for the rest of the request
(`VersionsMiddleware` opens and closes that memory; `remembered()` does it for other work, such as
each run of a worker duty). Anywhere else (a command, the shell) every read asks the database.

A bump never gives a number below the clock (in microseconds), so a restored or re-created database
never brings back a number that cached values were built from later."""

import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest

TABLE = "portal_dataversion"

_local = threading.local()


def _read_all():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, version FROM {TABLE}")  # noqa: S608 (constant table name)
        return dict(cursor.fetchall())


def current(name):
    """The current version number of `name` (0 until it is first bumped)."""
    memo = getattr(_local, "memo", None)
    if memo is None:
        return _read_all().get(name, 0)
    if not memo:
        memo.update(_read_all())
        memo.setdefault("", 0)  # a read happened, even if the table is empty
    return memo.get(name, 0)


def bump(name):
    """Give `name` a new version number, in the current transaction."""
    from .models import DataVersion

    clock = time.time_ns() // 1000
    with transaction.atomic():
        DataVersion.objects.bulk_create(
            [DataVersion(name=name, version=clock)], ignore_conflicts=True
        )
        # Never below the clock: a database restored from a backup does not hand out again the
        # numbers used since the backup (values cached under them show newer data).
        DataVersion.objects.filter(name=name).update(version=Greatest(F("version") + 1, clock))
    memo = getattr(_local, "memo", None)
    if memo is not None:
        memo.clear()


_MISSING = object()


def cached(key, build, *names, timeout=60 * 60):
    """`build()`'s value, kept in the cache under `key` and the current versions of `names`:
    built again once any of them changes. (None is a value too, and kept.)"""
    from django.core.cache import cache

    full_key = ":".join([key, *(f"{name}={current(name)}" for name in names)])
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(full_key, value, timeout)
    return value


@contextmanager
def remembered():
    """Within this block, version numbers are read once (a request; a batch of work)."""
    outer = getattr(_local, "memo", None)
    _local.memo = {}
    try:
        yield
    finally:
        _local.memo = outer


class VersionsMiddleware:
    """Remember the version numbers read during one request (one query per request at most)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with remembered():
            return self.get_response(request)
