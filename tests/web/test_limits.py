"""Rate limits hold across worker processes: a limit of N lets exactly N through, whichever
of the real server's gunicorn workers (`laurel serve --workers 2`) answers.

The counters live in the ``shared`` cache: the database (``laurel.web.cache``, its table
made by ``laurel migrate``) without Redis, Redis with it. First the race: counted in each
worker's own memory, as they were, more than N get through.

Each burst comes from a loopback address of its own (127.0.0.x all reach the server) whose
rate-limit window has time enough left: django-ratelimit's windows end at a moment that
depends on the address, so no burst is split by a window's end.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_ratelimit.core import _get_window

from laurel.web.cache import CountingDatabaseCache

REPO = Path(__file__).resolve().parents[2]
LIMITED = "/accounts/invite/code/"  # accounts.views.public.invitation_code: 20/m per address
LIMIT, PERIOD = 20, 60
UNLIMITED = "/nothing-here/"  # a 404 page: for seeing both workers answer
BURST_SECONDS = 30  # a burst's address has at least this long left in its window
BOOT_SECONDS = 60
ACCESS_LINE = re.compile(r"^<(\d+)> (\d{3}) (\S+)$")  # the access log format set below
USED_ADDRESSES = set()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_address() -> str:
    """A loopback address no burst used yet, whose current window ends late enough."""
    for last in range(2, 255):
        address = f"127.0.0.{last}"
        if address in USED_ADDRESSES:
            continue
        if _get_window(address, PERIOD) - time.time() > BURST_SECONDS:
            USED_ADDRESSES.add(address)
            return address
    raise AssertionError("no loopback address left for a burst")


def status_of(port: int, path: str, address: str = "127.0.0.1") -> int:
    answer = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(address, 0))
    try:
        answer.request("GET", path)
        response = answer.getresponse()
        response.read()
        return response.status
    finally:
        answer.close()


def workers_that_answered(log: Path, path: str) -> dict[str, int]:
    """Worker process id → how many requests for ``path`` it answered (the access log)."""
    answered = Counter()
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = ACCESS_LINE.match(line)
        if match and match[3] == path:
            answered[match[1]] += 1
    return answered


def both_workers_answer(server: subprocess.Popen, port: int, log: Path) -> None:
    """Wait until the server listens and each of its two workers has answered a request."""
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        try:
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda _: status_of(port, UNLIMITED), range(4)))
        except OSError:  # not listening yet
            time.sleep(0.1)
            continue
        if len(workers_that_answered(log, UNLIMITED)) == 2:
            return
    raise AssertionError(f"two workers did not answer within {BOOT_SECONDS}s")


PORT_TRIES = 3  # a free port may be taken by another process before the server binds it


@contextmanager
def serving(env: dict, log: Path):
    """`laurel serve --workers 2` on a free loopback port; stopped (its whole process group)
    on the way out. Yields the port. A port someone else took between choosing and binding
    it is chosen again (at most ``PORT_TRIES`` times); any other failure to start fails."""
    # the access log says which worker (process id) answered each request
    env = {**env, "GUNICORN_CMD_ARGS": "--access-logformat '%(p)s %(s)s %(U)s'"}
    for attempt in range(1, PORT_TRIES + 1):
        port = free_port()
        server = _server_start(env, log, port)
        try:
            both_workers_answer(server, port, log)
            break
        except AssertionError:
            _server_stop(server)
            taken = "Connection in use" in log.read_text(encoding="utf-8", errors="replace")
            if not taken or attempt == PORT_TRIES:
                raise
    try:
        yield port
    finally:
        _server_stop(server)


def _server_start(env: dict, log: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "laurel", "serve", "--bind", f"127.0.0.1:{port}"]
    with log.open("w") as output:
        return subprocess.Popen(
            [*command, "--workers", "2"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _server_stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)


def burst(env: dict, log: Path) -> tuple[Counter, int]:
    """3N requests from eight threads at the limited page, one address; returns how many got
    each status and how many workers answered them."""
    with serving(env, log) as port:
        address = fresh_address()
        window_ends = _get_window(address, PERIOD)
        with ThreadPoolExecutor(8) as pool:
            statuses = Counter(
                pool.map(lambda _: status_of(port, LIMITED, address), range(3 * LIMIT))
            )
        assert time.time() < window_ends, "the burst outlasted its window: the count is void"
        deadline = time.monotonic() + 10  # the last access lines are written after answering
        while sum(workers_that_answered(log, LIMITED).values()) < 3 * LIMIT:
            assert time.monotonic() < deadline, "the access log lacks some requests"
            time.sleep(0.05)
    return statuses, len(workers_that_answered(log, LIMITED))


def without_our_settings() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("LAUREL_", "DJANGO_"))}


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory) -> dict:
    """A SQLite file migrated by `laurel migrate` (which makes the cache table): no Redis."""
    var = tmp_path_factory.mktemp("limits")
    env = {
        **without_our_settings(),
        "DJANGO_SETTINGS_MODULE": "laurel.settings_test",
        "LAUREL_VAR_DIR": str(var),
    }
    migrated = subprocess.run(
        [sys.executable, "-m", "laurel", "migrate", "-v0"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_two_workers_counting_in_their_own_memory_let_more_than_the_limit_through(
    sqlite_env, tmp_path
):
    env = {**sqlite_env, "DJANGO_SETTINGS_MODULE": "tests.web.settings_per_process_limits"}
    statuses, workers = burst(env, tmp_path / "server.log")
    assert workers == 2
    assert statuses[200] > LIMIT, statuses


def test_two_workers_sharing_the_database_cache_let_exactly_the_limit_through(sqlite_env, tmp_path):
    statuses, workers = burst(sqlite_env, tmp_path / "server.log")
    assert workers == 2
    assert statuses == Counter({200: LIMIT, 429: 2 * LIMIT})


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_workers_with_the_configured_cache_let_exactly_the_limit_through(tmp_path):
    """In the services run: PostgreSQL, and Redis for the limits when LAUREL_REDIS_URL is set."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laurel.settings_test",
        "LAUREL_DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
    }
    statuses, workers = burst(env, tmp_path / "server.log")
    assert workers == 2
    assert statuses == Counter({200: LIMIT, 429: 2 * LIMIT})


# --- the database cache's increment, step by step --------------------------------------


@pytest.fixture
def cache_table(db) -> str:
    """A database cache table of these tests' own (whichever cache the settings chose)."""
    call_command("createcachetable", "test_counted_cache", verbosity=0)
    return "test_counted_cache"


@pytest.mark.parametrize(("backend", "counted"), [(DatabaseCache, 2), (CountingDatabaseCache, 3)])
def test_an_increment_between_the_read_and_the_write_of_another_is_not_lost(
    cache_table, backend, counted
):
    """Another worker increments just after this one read the count: Django's database
    cache then writes 1 + 1 over the other's 2 (the race); ours counts both."""
    cache, other_worker = backend(cache_table, {}), backend(cache_table, {})
    cache.add("hits", 1, 3600)
    interrupted = False

    def other_worker_increments_after_the_first_read(execute, sql, params, many, context):
        nonlocal interrupted
        result = execute(sql, params, many, context)
        if not interrupted and sql.startswith("SELECT") and "value" in sql:
            interrupted = True
            other_worker.incr("hits")
        return result

    with connection.execute_wrapper(other_worker_increments_after_the_first_read):
        cache.incr("hits")
    assert interrupted
    assert cache.get("hits") == counted


@pytest.mark.parametrize(
    ("backend", "after_ten_minutes"), [(DatabaseCache, None), (CountingDatabaseCache, 3)]
)
def test_an_increment_keeps_the_expiry_the_count_was_added_with(
    cache_table, backend, after_ten_minutes
):
    """An hour's count lasts the hour: Django's incr sets it again with the default timeout
    (five minutes), so a limit per hour would start again every five quiet minutes."""
    cache = backend(cache_table, {})
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        cache.add("hits", 1, 3600)
        cache.incr("hits")
        cache.incr("hits")
        traveller.shift(timedelta(minutes=10))
        assert cache.get("hits") == after_ten_minutes
        traveller.shift(timedelta(hours=1))
        assert cache.get("hits") is None


def test_incrementing_a_missing_or_expired_count_is_a_value_error(cache_table):
    """As for every Django cache: django-ratelimit then refuses the request (fails closed)."""
    cache = CountingDatabaseCache(cache_table, {})
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-added")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        cache.add("hits", 1, 60)
        traveller.shift(timedelta(seconds=61))
        with pytest.raises(ValueError, match="not found"):
            cache.incr("hits")
