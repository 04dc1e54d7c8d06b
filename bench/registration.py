"""Benchmark: 1,500 people register for a carnival's booths at once through ``laurel serve``
on PostgreSQL, beside a bare Django view served the same way in the same run.

    export LAUREL_DATABASE_URL=postgres://postgres@127.0.0.1:54377/laurel
    .venv/bin/python bench/registration.py                 # laurel serve as shipped: 2 workers
    .venv/bin/python bench/registration.py --workers 4     # more gunicorn workers
    .venv/bin/python bench/registration.py --threads 4     # gthread workers, 4 threads each
    .venv/bin/python bench/registration.py --persistent    # database connections kept

Before any timing, a throwaway database (Django's test database, ``test_<name>``) gets the
carnival at the bulletin's shape: 18 booths of two slots each (09:00–11:00, 14:00–16:00;
``BOOTHS``: 1,170 places in all), a waiting list, and 1,500 roster members in 20 grassroots
units, each with a session verified as ``verification.services.code_confirm`` leaves it (no
password log-ins). Members, units and sessions are made in bulk; the event, its booths and
slots through the services.

Then ``laurel serve`` (gunicorn, ``--workers``; sync workers as shipped, or gthread with
``--threads`` through ``GUNICORN_CMD_ARGS``) serves the product's settings with only
ROOT_URLCONF changed to a urlconf that adds ``/bench/bare/`` (a view returning
``HttpResponse("ok")``) in front of ``laurel.urls`` — and, with ``--persistent``, each
worker keeping its database connection (``CONN_MAX_AGE``; the settings open one per
request). The cache is the settings' one: the database's for rate-limit counts without
``LAUREL_REDIS_URL``, Redis with it. ``--clients`` threads, each on its own
keep-alive connection (reopened when the server closes it), send:

1. the bare view, ``--people`` GETs;
2. the registrations: each person one POST to ``events:register`` — a slot chosen at random
   (the booths further down ``BOOTHS`` the more wanted), a fresh idempotency key, the CSRF
   token as cookie and header, the person's session cookie — in a shuffled order;
3. the bare view again.

Each request's time is taken from sending it to reading the whole answer. Printed: requests/s,
p50 and p99 of each run, the ratios, and the goals (all 1,500 registrations answered within
60 s, p99 under 2 s). Then the counts are checked: every registration answered 303 (the
carnival keeps a waiting list, so nobody is refused), one registration each, no slot past
its places, and in every slot the first to come registered up to its places, the rest
waiting.
"""

import argparse
import datetime
import http.client
import os
import queue
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
WORK = Path(tempfile.mkdtemp(prefix="laurel-bench-registration-"))
sys.path[:0] = [str(WORK), str(SRC)]

# The product's settings with one change (ROOT_URLCONF), for this process and the server's.
BENCH_SETTINGS = """\
import os
os.environ.setdefault("LAUREL_DEBUG", "false")
os.environ.setdefault("LAUREL_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("LAUREL_HTTPS", "false")
os.environ.setdefault("LAUREL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
from laurel.settings import *  # noqa: F403
from laurel.settings import DATABASES, STORAGES

ROOT_URLCONF = "bench_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = os.path.join(os.path.dirname(__file__), "static")  # empty: nothing collected
if os.environ.get("BENCH_DATABASE_NAME"):  # the server uses the benchmark's test database
    DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]
if os.environ.get("BENCH_PERSISTENT"):  # --persistent: each worker keeps its connection
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
"""
BENCH_URLS = """\
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("laurel.urls"))]
handler403 = "laurel.web.views.public.permission_denied"
handler404 = "laurel.web.views.public.not_found"
"""
(WORK / "bench_settings.py").write_text(BENCH_SETTINGS)
(WORK / "bench_urls.py").write_text(BENCH_URLS)
(WORK / "static").mkdir()
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
os.environ.setdefault("LAUREL_MEDIA_ROOT", str(WORK / "media"))
os.environ.setdefault("LAUREL_PRIVATE_MEDIA_ROOT", str(WORK / "private"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from laurel.accounts.keyed_hashes import identity_hash  # noqa: E402
from laurel.accounts.models import User  # noqa: E402
from laurel.events import selectors, services  # noqa: E402
from laurel.events.models import Event, Registration, Slot  # noqa: E402
from laurel.members.models import Member  # noqa: E402
from laurel.orgs.models import Unit  # noqa: E402
from laurel.verification.selectors import VERIFIED  # noqa: E402

SLUG = "bench-carnival"
# the carnival's booths and the places of each of their two slots
BOOTHS = {
    "布袋DIY": 30,
    "花艺馆": 25,
    "剪纸馆": 30,
    "书法馆": 40,
    "投壶馆": 50,
    "陶艺坊": 20,
    "茶艺馆": 30,
    "扎染坊": 25,
    "皮影戏": 60,
    "糖画摊": 40,
    "面塑馆": 25,
    "竹编坊": 20,
    "篆刻馆": 15,
    "风筝坊": 40,
    "编中国结": 30,
    "拓印坊": 25,
    "蜡染馆": 20,
    "非遗展": 60,
}
SLOT_HOURS = [(9, 11), (14, 16)]
BARE_URL = "/bench/bare/"
# 32 characters, as Django's secret is; a test value, no secret
CSRF_TOKEN = "BenchmarkCsrfToken00000000000000"  # noqa: S105
GOAL_SECONDS, GOAL_P99 = 60.0, 2.0


def build(people: int) -> tuple[Event, list[Member]]:
    """The open carnival and its people, each with a verified session."""
    now = timezone.now()
    organiser = User.objects.create(username="bench-organiser", display_name="组织者")
    federation = Unit.objects.create(name="云阳县总工会", code="by", kind="federation", path="")
    Unit.objects.filter(pk=federation.pk).update(path=f"{federation.pk}/")
    federation.refresh_from_db()
    units = Unit.objects.bulk_create(
        Unit(name=f"基层工会{n}", code=f"by/{n}", kind="grassroots", parent=federation, depth=1)
        for n in range(20)
    )
    for unit in units:
        unit.path = f"{federation.pk}/{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"])
    members = Member.objects.bulk_create(
        Member(
            name=f"职工{n:04d}",
            gender="MF"[n % 2],
            id_card=f"X{n:017d}",
            mobile=f"1370000{n:04d}",
            unit=units[n % len(units)],
        )
        for n in range(people)
    )
    day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    day += datetime.timedelta(days=10)

    def at(hour: int) -> datetime.datetime:
        return day + datetime.timedelta(hours=hour)

    event = services.event_create(
        acting_user=organiser,
        slug=SLUG,
        kind=Event.Kind.CARNIVAL,
        title="文体艺嘉年华（基准）",
        venue="云阳县体育场",
        starts_at=at(9),
        ends_at=at(17),
        unit=federation,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=at(8),
        waiting_list=True,
    )
    for name, places in BOOTHS.items():
        booth = services.booth_save(acting_user=organiser, event=event, name=name)
        for start, end in SLOT_HOURS:
            services.slot_save(
                acting_user=organiser,
                booth=booth,
                starts_at=at(start),
                ends_at=at(end),
                capacity=places,
            )
    event = services.event_state_set(acting_user=organiser, event=event, state=Event.State.OPEN)
    return event, members


def sessions_verified(members: list[Member]) -> list[str]:
    """A session for each member, verified as ``code_confirm`` leaves it; their keys."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    until = (timezone.now() + datetime.timedelta(minutes=settings.VERIFIED_MINUTES)).isoformat()
    keys = []
    for member in members:
        session = store()
        session[VERIFIED] = {
            "kind": "member",
            "member": member.pk,
            "mobile_hash": identity_hash("mobile", member.mobile),
            "until": until,
        }
        session.save()
        keys.append(session.session_key)
    return keys


# --- the load client -------------------------------------------------------------------------


class Request:
    """One request to send: GET, or POST of ``fields`` with the person's cookies."""

    def __init__(self, path: str, *, session_key: str = "", fields: dict | None = None):
        self.path, self.fields = path, fields
        self.headers = {}
        if fields is not None:
            cookies = f"csrftoken={CSRF_TOKEN}; {settings.SESSION_COOKIE_NAME}={session_key}"
            self.headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "X-CSRFToken": CSRF_TOKEN,
            }


def load(port: int, requests: list[Request], clients: int) -> tuple[float, list[tuple]]:
    """Send every request from ``clients`` threads, each on its own keep-alive connection;
    the seconds the whole run took and each request's (seconds, status, location), in the
    requests' order. Any request that fails or times out stops the benchmark."""
    waiting: queue.Queue = queue.Queue()
    for index, request in enumerate(requests):
        waiting.put((index, request))
    answers: list[tuple] = [()] * len(requests)
    failures: list[str] = []
    start = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        try:
            while not failures:
                try:
                    index, request = waiting.get_nowait()
                except queue.Empty:
                    return
                began = time.perf_counter()
                if request.fields is None:
                    conn.request("GET", request.path)
                else:
                    body = urlencode(request.fields)
                    conn.request("POST", request.path, body=body, headers=request.headers)
                response = conn.getresponse()
                response.read()
                answers[index] = (
                    time.perf_counter() - began,
                    response.status,
                    response.getheader("Location", ""),
                )
        except (OSError, http.client.HTTPException) as error:
            failures.append(repr(error))
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"load failed: {failures[0]}")
    return elapsed, answers


def percentile(seconds: list[float], share: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(options, database_name: str) -> subprocess.Popen:
    """``laurel serve`` on the benchmark's settings and database; its access log to a file."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "BENCH_DATABASE_NAME": database_name,
        "PYTHONPATH": os.pathsep.join([str(WORK), str(SRC)]),
    }
    if options.persistent:
        env["BENCH_PERSISTENT"] = "1"
    port, workers, threads = options.port, options.workers, options.threads
    env["GUNICORN_CMD_ARGS"] = "--log-level warning" + (
        f" --worker-class gthread --threads {threads} --keep-alive 60" if threads else ""
    )
    server = subprocess.Popen(  # our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "laurel",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=WORK,
        env=env,
        stdout=(WORK / "access.log").open("w"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("laurel serve did not start")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", BARE_URL)
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("laurel serve did not answer within a minute")


def counts_check(event: Event, asked: Counter, answers: list[tuple], people: int) -> str:
    """Every registration answered 303, one registration each, no slot past its places, and
    each slot's first comers registered up to its places, the rest waiting."""
    statuses = Counter(status for _seconds, status, _location in answers)
    if statuses != {303: people}:
        raise SystemExit(f"not every registration was answered 303: {dict(statuses)}")
    registrations = Registration.objects.filter(event=event)
    locations = {location for _seconds, _status, location in answers}
    made = {
        reverse("events:registration", args=[pk])
        for pk in registrations.values_list("pk", flat=True)
    }
    if registrations.count() != people or locations != made:
        raise SystemExit(f"{registrations.count()} registrations for {people} answers")
    for row in selectors.occupancy(event, by_slot=True):
        wanted = asked[row.slot.pk]
        expected = (min(row.capacity, wanted), max(0, wanted - row.capacity))
        if (row.registered, row.waiting) != expected:
            raise SystemExit(f"{row.slot}: {row.registered} registered, {row.waiting} waiting")
    held = registrations.filter(state=Registration.State.REGISTERED).count()
    return f"{held} registered, {people - held} waiting, no slot past its places"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_500)
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="laurel serve --workers")
    parser.add_argument("--threads", type=int, default=0, help="gthread threads (0: sync)")
    parser.add_argument(
        "--persistent", action="store_true", help="workers keep their database connections"
    )
    options = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit("set LAUREL_DATABASE_URL to a PostgreSQL database (see the docstring)")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    server = None
    try:
        started = time.perf_counter()
        event, members = build(options.people)
        keys = sessions_verified(members)
        places = sum(BOOTHS.values()) * len(SLOT_HOURS)
        cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(
            f"database: PostgreSQL {connection.pg_version // 10000}; cache: {cache_backend}; "
            f"set-up {time.perf_counter() - started:.1f} s: {options.people:,} people with "
            f"verified sessions, {len(BOOTHS)} booths × {len(SLOT_HOURS)} slots, {places:,} "
            f"places, a waiting list; {os.cpu_count()} cores"
        )
        chance = random.Random(26)
        slots = list(
            Slot.objects.filter(booth__event=event)
            .order_by("booth__order", "starts_at")
            .values_list("pk", flat=True)
        )
        weights = [1 + index // len(SLOT_HOURS) for index in range(len(slots))]
        asked: Counter = Counter()
        registering = []
        for key in keys:
            [slot] = chance.choices(slots, weights=weights)
            asked[slot] += 1
            fields = {"slot": slot, "idempotency_key": str(uuid.uuid4())}
            path = reverse("events:register", args=[SLUG])
            registering.append(Request(path, session_key=key, fields=fields))
        chance.shuffle(registering)

        options.port = port = free_port()
        server = server_start(options, connection.settings_dict["NAME"])
        kind = f"gthread × {options.threads} threads" if options.threads else "sync"
        kept = "kept" if options.persistent else "one per request"
        print(
            f"laurel serve: {options.workers} workers ({kind}; database connections {kept}) "
            f"on 127.0.0.1:{port}; {options.clients} clients, each on its own keep-alive "
            "connection"
        )
        load(port, [Request(BARE_URL)] * (options.clients * 4), options.clients)  # warm
        runs = {}
        runs["bare, before"] = load(port, [Request(BARE_URL)] * options.people, options.clients)
        runs["registration"] = load(port, registering, options.clients)
        runs["bare, after"] = load(port, [Request(BARE_URL)] * options.people, options.clients)
        checked = counts_check(event, asked, runs["registration"][1], options.people)

        print()
        print("| run | requests | seconds | requests/s | p50 s | p99 s |")
        print("|---|---:|---:|---:|---:|---:|")
        figures = {}
        for name, (elapsed, answers) in runs.items():
            seconds = [answer[0] for answer in answers]
            rate, p50, p99 = (
                len(answers) / elapsed,
                percentile(seconds, 0.5),
                percentile(seconds, 0.99),
            )
            figures[name] = (rate, p50, p99)
            label = f"**{name}**" if name == "registration" else name
            print(
                f"| {label} | {len(answers):,} | {elapsed:.1f} | {rate:,.0f} | {p50:.3f} "
                f"| {p99:.3f} |"
            )
        bare = [
            statistics.mean(pair)
            for pair in zip(figures["bare, before"], figures["bare, after"], strict=True)
        ]
        rate, p50, p99 = figures["registration"]
        print()
        print(
            f"registration / bare: requests/s {rate / bare[0]:.2f}, p50 {p50 / bare[1]:.1f}×, "
            f"p99 {p99 / bare[2]:.1f}×"
        )
        elapsed = runs["registration"][0]
        print(
            f"goal all {options.people:,} within {GOAL_SECONDS:.0f} s: "
            f"{'met' if elapsed <= GOAL_SECONDS else 'NOT met'} ({elapsed:.1f} s); "
            f"p99 under {GOAL_P99:.0f} s: {'met' if p99 < GOAL_P99 else 'NOT met'} ({p99:.2f} s)"
        )
        print(f"counts: {checked}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
