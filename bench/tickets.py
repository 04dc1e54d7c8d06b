"""Benchmark: verifying a signed ticket in the core beside looking a ticket up in the database.

    .venv/bin/python bench/tickets.py                      # SQLite (a fresh file in /tmp)
    LAUREL_DATABASE_URL=postgres://... .venv/bin/python bench/tickets.py   # PostgreSQL

Before any timing: an event key pair (``laurel.core.tickets.keypair_new``), 10,000 tickets
signed with it (``payload_sign``: ``L1.<event>.<ticket>.<signature>``) and their typed codes
(``code_derive``); a throwaway database (Django's test database, made without migrations:
``test_<name>`` on PostgreSQL, a file in a temporary folder on SQLite) gets a table of the
10,000 tickets made here, not the product's models — ``bench_ticket``: an id, an event id and
``code_digest``, the SHA-256 hex of the typed code, a unique (so indexed) text column —
created by the schema editor from a model defined in this file and filled with bulk_create.

Timed, each over the same ``--lookups`` tickets drawn at random, ``--repeat`` times (the best
and the median of the repeats are printed, in microseconds per operation):

- ours: ``payload_verify`` of a scanned payload with the event's public key — the shape, the
  base64url decoding and the Ed25519 signature check, no database;
- ``payload_parse`` (the shape alone) and ``code_normalise`` with its SHA-256 (a typed code
  made ready for the lookup), for scale;
- the Ed25519 verification alone (``cryptography``, the key loaded from its raw bytes each
  call, as ``payload_verify`` does): what ours costs beyond it is reading the payload;
- the baseline: ``SELECT id, event_id FROM bench_ticket WHERE code_digest = %s`` through the
  Django connection's cursor (one cursor, kept), and the same through the ORM
  (``BenchTicket.objects.values_list(...).get(code_digest=...)``).

Then the ratio of each lookup to ours. Every answer is checked (the claim's ticket id, the
row's id), outside the timing.
"""

import argparse
import base64
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings_test")
os.environ["LAUREL_DEBUG"] = "false"  # measured as served: no debug machinery

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from laurel.core.tickets import (  # noqa: E402
    code_derive,
    code_normalise,
    keypair_new,
    payload_parse,
    payload_sign,
    payload_verify,
)

TICKETS = 10_000
EVENT_ID = 27
SELECT = "SELECT id, event_id FROM bench_ticket WHERE code_digest = %s"


class BenchTicket(models.Model):
    """A ticket row as a lookup needs it: made and dropped by this benchmark only."""

    event_id = models.BigIntegerField()
    code_digest = models.CharField(max_length=64, unique=True)

    class Meta:
        app_label = "events"
        db_table = "bench_ticket"
        managed = False  # no migration, no syncdb: the schema editor below makes it

    def __str__(self) -> str:
        return self.code_digest


def code_digest(code: str) -> str:
    """How a typed code would be kept: the SHA-256 hex of its normalised form."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def per_operation(operation: Callable[[str], object], inputs: list[str], repeat: int):
    """(best, median) microseconds per call of ``operation`` over ``inputs``, ``repeat`` times."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for item in inputs:
            operation(item)
        times.append((time.perf_counter() - started) / len(inputs) * 1e6)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=5000, help="tickets per timed pass")
    parser.add_argument("--repeat", type=int, default=7, help="timed passes of each operation")
    options = parser.parse_args()

    private, public = keypair_new()
    started = time.perf_counter()
    payloads = [
        payload_sign(private, event_id=EVENT_ID, ticket_id=ticket)
        for ticket in range(1, 1 + TICKETS)
    ]
    codes = [code_derive(private, ticket) for ticket in range(1, 1 + TICKETS)]
    signing = time.perf_counter() - started

    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["MIGRATE"] = False  # none of the product's tables is used
    folder = None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tempfile.TemporaryDirectory(prefix="laurel-bench-tickets-")
        database["TEST"]["NAME"] = str(Path(folder.name) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        vendor = connection.display_name
        if connection.vendor == "sqlite":
            vendor += " " + connection.Database.sqlite_version
        elif connection.vendor == "postgresql":
            vendor += f" {connection.pg_version // 10000}"
        with connection.schema_editor() as editor:
            editor.create_model(BenchTicket)
        with transaction.atomic():
            BenchTicket.objects.bulk_create(
                [
                    BenchTicket(id=ticket, event_id=EVENT_ID, code_digest=code_digest(code))
                    for ticket, code in enumerate(codes, start=1)
                ],
                batch_size=1000,
            )
        print(
            f"database: {vendor}; {TICKETS:,} tickets signed and coded in {signing:.2f} s; "
            f"{options.lookups:,} lookups per pass, {options.repeat} passes"
        )

        chosen = random.Random(27).sample(range(TICKETS), options.lookups)
        scanned = [payloads[index] for index in chosen]
        typed = [codes[index].lower().replace("-", " ") for index in chosen]
        digests = [code_digest(codes[index]) for index in chosen]
        expected = [index + 1 for index in chosen]

        # Every answer checked once, outside the timing.
        assert [payload_verify(text, public).ticket_id for text in scanned] == expected
        assert [code_digest(code_normalise(text)) for text in typed] == digests
        with connection.cursor() as cursor:
            found = []
            for digest in digests:
                cursor.execute(SELECT, [digest])
                found.append(cursor.fetchone()[0])
        assert found == expected
        rows = BenchTicket.objects.values_list("id", "event_id")
        assert [rows.get(code_digest=digest)[0] for digest in digests] == expected

        def ed25519_verify(text: str) -> None:
            head, _, signature = text.rpartition(".")
            Ed25519PublicKey.from_public_bytes(public).verify(
                base64.urlsafe_b64decode(signature + "=="), head.encode()
            )

        cursor = connection.cursor()

        def select(digest: str) -> object:
            cursor.execute(SELECT, [digest])
            return cursor.fetchone()

        def orm_get(digest: str) -> object:
            return rows.get(code_digest=digest)

        cases = [
            (
                "**ours**: `payload_verify` (shape + Ed25519, no database)",
                payload_verify_with(public),
                scanned,
            ),
            ("`payload_parse` (shape alone)", payload_parse, scanned),
            ("`code_normalise` + SHA-256 of a typed code", typed_code_digest, typed),
            ("Ed25519 verification alone (`cryptography`)", ed25519_verify, scanned),
            ("baseline: `SELECT … WHERE code_digest = %s`, Django cursor", select, digests),
            ("baseline: ORM `.get(code_digest=…)`", orm_get, digests),
        ]
        measured = {
            label: per_operation(operation, inputs, options.repeat)
            for label, operation, inputs in cases
        }
        cursor.close()

        ours = measured[cases[0][0]][0]
        print()
        print("| operation | best µs | median µs | ÷ ours (best) |")
        print("|---|---:|---:|---:|")
        for label, (best, median) in measured.items():
            print(f"| {label} | {best:.1f} | {median:.1f} | {best / ours:.2f} |")
        select_best, orm_best = measured[cases[-2][0]][0], measured[cases[-1][0]][0]
        print()
        print(
            f"lookup / verification (best): cursor {select_best / ours:.2f}×, "
            f"ORM {orm_best / ours:.2f}×; verifications per second per core: {1e6 / ours:,.0f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if folder is not None:
            folder.cleanup()


def payload_verify_with(public: bytes) -> Callable[[str], object]:
    """``payload_verify`` with the event's public key, as a check-in would call it."""
    return lambda text: payload_verify(text, public)


def typed_code_digest(text: str) -> str:
    """A typed code made ready for the lookup: normalised, then hashed as stored."""
    return code_digest(code_normalise(text))


if __name__ == "__main__":
    main()
