"""The cache rate limits count in when there is no Redis: shared by every worker process.

The default cache without Redis is each process's own memory, so with two gunicorn workers
a limit of N let up to 2N through. The ``shared`` cache (``RATELIMIT_USE_CACHE``) is then
``CountingDatabaseCache``: Django's database cache with an exact ``incr``. Django's own reads
the value and writes it back — two workers both read 3 and both write 4 — and resets the
expiry to the default timeout on the way. Here an increment is a compare-and-set
(``UPDATE … SET value = <new> WHERE value = <what was read>``), tried again when another
worker got in between, and the expiry stays as ``add`` set it. django-ratelimit counts with
``add`` (the first hit of a window) then ``incr``; ``add`` is one transaction that either
inserts the key or finds it, so with this ``incr`` the count is exact.

The table is made by ``createcachetable``: after every ``migrate`` (``cache_tables_create``,
connected in ``web.apps``) and by Django itself when it creates a test database.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.utils.timezone import now

# Each round is two short statements; only a worker that changed the value in between makes
# another round necessary, so running out means the database is not doing what it says.
INCREMENT_ROUNDS = 1000


class CountingDatabaseCache(DatabaseCache):
    """Django's database cache whose ``incr``/``decr`` are exact under concurrent workers."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        table, cache_key, value, expires = map(
            quote, (self._table, "cache_key", "value", "expires")
        )
        read = f"SELECT {value} FROM {table} WHERE {cache_key} = %s AND {expires} > %s"  # noqa: S608 - names quoted, values bound
        swap = f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s AND {value} = %s"  # noqa: S608 - names quoted, values bound
        # "now" as DatabaseCache.has_key writes it, to compare with the stored expiry
        current = connection.ops.adapt_datetimefield_value(
            now().replace(microsecond=0, tzinfo=None)
        )
        with connection.cursor() as cursor:
            for _round in range(INCREMENT_ROUNDS):
                cursor.execute(read, [key, current])
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")  # as every Django cache says
                stored = connection.ops.process_clob(row[0])
                counted = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 - our own table
                encoded = base64.b64encode(pickle.dumps(counted, self.pickle_protocol))
                cursor.execute(swap, [encoded.decode("latin1"), key, stored])
                if cursor.rowcount == 1:
                    return counted
        raise DatabaseError(f"Cache key {key!r} kept changing under {INCREMENT_ROUNDS} increments")


def cache_tables_create(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After ``migrate``: the database caches' tables exist (``createcachetable`` skips those
    that do), so a fresh clone's ``laurel migrate`` leaves rate limits working."""
    call_command("createcachetable", database=using, verbosity=0)
