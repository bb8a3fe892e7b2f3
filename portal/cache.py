"""Cache backends for the embedded default (no REDIS_URL): rate limits in the database, where
every worker process counts them together, and the page and data caches in each process's memory.

- `SharedDatabaseCache` is Django's database cache with an `incr` that is atomic across processes
  and keeps the entry's expiry (Django's own reads, then writes with the default timeout).
- `RoutedCache` is the default cache made of two others: keys under the configured prefixes go to
  their alias (allauth's login throttle, which always uses the default cache, to the shared
  rate-limit store), every other key to the per-process one.

The database table is created by `createcachetable`, which `portal` runs after every `migrate`
(see `portal.apps`).
"""

from datetime import UTC, datetime

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache, whose `incr` counts right when several processes count at once."""

    def __init__(self, table, params):
        super().__init__(table, params)
        self.table = table

    def _locked_expiry(self, connection, key):
        """The entry's expiry time, its row locked until the transaction ends (None: no entry)."""
        quote = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('expires')} FROM {quote(self.table)} "  # noqa: S608 (our table)
                f"WHERE {quote('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        expires = row[0]
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return expires

    def incr(self, key, delta=1, version=None):
        """Add `delta` in one transaction holding the row (PostgreSQL: FOR UPDATE; SQLite: the
        write lock its IMMEDIATE transactions take), keeping the time the entry expires."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            expires = self._locked_expiry(connection, self.make_and_validate_key(key, version))
            value = self.get(key, version=version) if expires is not None else None
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            remaining = (expires - datetime.now(UTC)).total_seconds()
            value += delta
            self.set(key, value, max(1, int(remaining) + 1), version=version)
        return value


class RoutedCache(BaseCache):
    """A cache that hands each key to another alias: OPTIONS["ROUTES"] maps key prefixes to
    aliases, OPTIONS["DEFAULT"] names the alias for every other key."""

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.default_alias = options["DEFAULT"]
        # The longest prefix wins.
        self.routes = sorted(options.get("ROUTES", {}).items(), key=lambda item: -len(item[0]))

    def backend_for(self, key):
        for prefix, alias in self.routes:
            if str(key).startswith(prefix):
                return caches[alias]
        return caches[self.default_alias]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.backend_for(key).add(key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self.backend_for(key).get(key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.backend_for(key).set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.backend_for(key).touch(key, timeout, version)

    def delete(self, key, version=None):
        return self.backend_for(key).delete(key, version)

    def has_key(self, key, version=None):
        return self.backend_for(key).has_key(key, version)

    def incr(self, key, delta=1, version=None):
        return self.backend_for(key).incr(key, delta, version)

    def clear(self):
        for alias in {self.default_alias, *(alias for _prefix, alias in self.routes)}:
            caches[alias].clear()
