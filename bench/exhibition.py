"""Benchmark: the public exhibition page of 200 prize-winning works against a bare Django view.

    .venv/bin/python bench/exhibition.py                      # SQLite (a fresh file in /tmp)
    LAUREL_DATABASE_URL=postgres://... .venv/bin/python bench/exhibition.py   # PostgreSQL

Before any timing, a throwaway database (Django's test database: ``test_<name>`` on
PostgreSQL, a file in a temporary folder on SQLite) gets a published contest with 200
prize-winning entries (一等奖 5, 二等奖 15, 三等奖 30, 优秀奖 150 over four categories; every
tenth a series of three photos), their members, media assets with tiny thumbnail and display
renditions written to a temporary MEDIA_ROOT, and version 1 of the results published as a
snapshot with its digest (``core.snapshots``) — all with bulk_create: set-up, not product
code.

Then both pages are served the same way: gunicorn (``--workers``, gthread, keep-alive) on a
loopback port, the product's settings and middleware with only ROOT_URLCONF changed to a
urlconf that adds ``/bench/bare/`` (a view returning ``HttpResponse("ok")``) in front of
``laurel.urls``. A load client of ``--clients`` threads, each on one keep-alive connection,
requests one URL for ``--seconds``; the two URLs alternate for ``--rounds`` rounds and each
one's median rate is taken. Printed: both rates, the ratio, and the targets (≥ 300 requests/s
and ≥ a quarter of the bare view's rate). The same comparison runs once in-process through
``django.test.Client`` (no server, no network: Django's own cost).

The cache is the settings' one: local memory per worker without LAUREL_REDIS_URL, Redis with
it. Anonymous requests, like a visitor's first: no cookies are sent.
"""

import argparse
import datetime
import http.client
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
WORK = Path(tempfile.mkdtemp(prefix="laurel-bench-exhibition-"))
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
# the templates' {% static %} without a collectstatic manifest (no CSS is requested here)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = os.path.join(os.path.dirname(__file__), "static")  # empty: nothing collected
if os.environ.get("BENCH_DATABASE_NAME"):  # the server uses the benchmark's test database
    DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]
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
BENCH_WSGI = """\
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
"""
(WORK / "bench_settings.py").write_text(BENCH_SETTINGS)
(WORK / "bench_urls.py").write_text(BENCH_URLS)
(WORK / "bench_wsgi.py").write_text(BENCH_WSGI)
(WORK / "static").mkdir()
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
os.environ.setdefault("LAUREL_MEDIA_ROOT", str(WORK / "media"))
os.environ.setdefault("LAUREL_PRIVATE_MEDIA_ROOT", str(WORK / "private"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import storages  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from laurel.accounts.models import User  # noqa: E402
from laurel.awards.models import Award, Publication  # noqa: E402
from laurel.contests.models import Category, Contest, Entry, EntryPhoto, PrizeTier  # noqa: E402
from laurel.core import snapshots  # noqa: E402
from laurel.media.models import MediaAsset  # noqa: E402
from laurel.media.services import rendition_path  # noqa: E402
from laurel.members.models import Member  # noqa: E402
from laurel.orgs.models import Unit  # noqa: E402

SLUG = "bench-exhibition"
TIERS = [("一等奖", 5), ("二等奖", 15), ("三等奖", 30), ("优秀奖", 150)]
CATEGORIES = ["自然风光", "人文风情", "生活场景", "都市建设"]
WORKS = sum(count for _, count in TIERS)
BARE_URL, EXHIBITION_URL = "/bench/bare/", f"/contests/{SLUG}/exhibition/"
TARGET_RATE, TARGET_SHARE = 300.0, 0.25


def tiny_jpeg(seed: int, size: tuple[int, int]) -> bytes:
    colour = (seed * 37 % 256, seed * 91 % 256, seed * 53 % 256)
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=70)
    return out.getvalue()


def build() -> Contest:
    """The published contest, in bulk: 200 winners, their photos and the snapshot."""
    now = timezone.now()
    today = timezone.localdate()
    organiser = User.objects.create(username="bench-organiser", display_name="组织者")
    federation = Unit.objects.create(name="市总工会", code="bx", kind="federation", path="")
    Unit.objects.filter(pk=federation.pk).update(path=f"{federation.pk}/")
    units = Unit.objects.bulk_create(
        Unit(name=f"基层工会{n}", code=f"bx/{n}", kind="grassroots", parent=federation, depth=1)
        for n in range(20)
    )
    for unit in units:
        unit.path = f"{federation.pk}/{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"])
    members = Member.objects.bulk_create(
        Member(name=f"摄影者{n}", gender="F", id_card=f"X{n:017d}", unit=units[n % len(units)])
        for n in range(WORKS)
    )
    contest = Contest.objects.create(
        slug=SLUG,
        title="职工摄影展（基准）",
        organiser="市总工会",
        state=Contest.State.PUBLISHED,
        opens_at=now - datetime.timedelta(days=90),
        closes_at=now - datetime.timedelta(days=60),
        exhibition_opens_on=today - datetime.timedelta(days=3),
        exhibition_closes_on=today + datetime.timedelta(days=17),
        exhibition_venue="市劳动人民文化宫",
    )
    categories = Category.objects.bulk_create(
        Category(contest=contest, name=name, position=i) for i, name in enumerate(CATEGORIES)
    )
    tiers = PrizeTier.objects.bulk_create(
        PrizeTier(contest=contest, name=name, count=count, position=i)
        for i, (name, count) in enumerate(TIERS)
    )
    entries = Entry.objects.bulk_create(
        Entry(
            contest=contest,
            number=n + 1,
            category=categories[n % len(categories)],
            kind=Entry.Kind.SERIES if n % 10 == 9 else Entry.Kind.SINGLE,
            author=members[n],
            unit=members[n].unit,
            title=f"劳动者之歌·{n + 1}",
            state=Entry.State.AWARDED,
        )
        for n in range(WORKS)
    )
    photo_counts = [3 if e.kind == Entry.Kind.SERIES else 1 for e in entries]
    assets = MediaAsset.objects.bulk_create(
        MediaAsset(
            original_name=f"photo-{k}.jpg",
            size=1,
            sha256=f"{k:064x}",
            original_path=f"originals/bench/{k:064x}",
            status=MediaAsset.Status.READY,
            exif={"format": "jpeg", "width": 4000, "height": 3000},
        )
        for k in range(sum(photo_counts))
    )
    public = storages["default"]
    for k, asset in enumerate(assets):
        asset.renditions = {
            name: public.save(rendition_path(asset, name), ContentFile(tiny_jpeg(k, size)))
            for name, size in (("thumbnail", (40, 30)), ("display", (160, 120)))
        }
    MediaAsset.objects.bulk_update(assets, ["renditions"])
    photos, k = [], 0
    for entry, count in zip(entries, photo_counts, strict=True):
        for position in range(count):
            photos.append(EntryPhoto(entry=entry, asset=assets[k], position=position))
            k += 1
    EntryPhoto.objects.bulk_create(photos)
    prize_of = [name for name, count in TIERS for _ in range(count)]
    Award.objects.bulk_create(
        Award(contest=contest, entry=entry, tier=tiers[[t.name for t in tiers].index(name)])
        for entry, name in zip(entries, prize_of, strict=True)
    )
    rows = [
        snapshots.snapshot_row(
            rank=n + 1,
            entry=entry.code,
            title=entry.title,
            author=members[n].name,
            unit=members[n].unit.name,
            category=entry.category.name,
            score=9.5 - n * 0.01,
            low=9.2 - n * 0.01,
            high=9.8 - n * 0.01,
            prize=prize_of[n],
        )
        for n, entry in enumerate(entries)
    ]
    published_at = now.replace(microsecond=0)
    snapshot = snapshots.snapshot_build(
        contest=contest.slug,
        title=contest.title,
        version=1,
        published_at=published_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        rows=rows,
    )
    Publication.objects.create(
        contest=contest,
        version=1,
        snapshot=snapshot,
        digest=snapshots.snapshot_digest(snapshot),
        published_at=published_at,
        published_by=organiser,
    )
    return contest


# --- the load client -----------------------------------------------------------------------


def load(port: int, path: str, clients: int, seconds: float) -> tuple[float, int]:
    """Requests/s of ``clients`` threads, each on one keep-alive connection, for ``seconds``;
    and the size of a response body. Every response must be a 200."""
    counts = [0] * clients
    sizes = [0] * clients
    failures: list[str] = []
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        try:
            while not stop.is_set():
                conn.request("GET", path, headers={"Connection": "keep-alive"})
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    failures.append(f"{path}: {response.status}")
                    return
                counts[i] += 1
                sizes[i] = len(body)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"{path}: {error!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"load failed: {failures[0]}")
    return sum(counts) / elapsed, max(sizes)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(port: int, workers: int, threads: int, database_name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "BENCH_DATABASE_NAME": database_name,
        "PYTHONPATH": os.pathsep.join([str(WORK), str(SRC)]),
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "60",
            "--log-level",
            "warning",
            "bench_wsgi:application",
        ],
        cwd=WORK,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", BARE_URL)
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within a minute")


def warm(port: int, clients: int) -> None:
    """Every worker (and thread) has built and cached the page before timing."""
    for path in (BARE_URL, EXHIBITION_URL):
        load(port, path, clients * 2, 1.0)


def in_process(requests: int) -> dict[str, float]:
    client = Client()
    rates = {}
    for path in (BARE_URL, EXHIBITION_URL):
        assert client.get(path).status_code == 200
        started = time.perf_counter()
        for _ in range(requests):
            client.get(path)
        rates[path] = requests / (time.perf_counter() - started)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0, help="per URL and round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per URL")
    parser.add_argument("--clients", type=int, default=8, help="load threads (connections)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    options = parser.parse_args()

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(WORK / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    server = None
    try:
        vendor = connection.display_name
        if connection.vendor == "sqlite":
            vendor += " " + connection.Database.sqlite_version
        elif connection.vendor == "postgresql":
            vendor += f" {connection.pg_version // 10000}"
        started = time.perf_counter()
        build()
        cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(
            f"database: {vendor}; cache: {cache_backend}; "
            f"set-up {time.perf_counter() - started:.1f} s: {WORKS} prize-winning works "
            f"({MediaAsset.objects.count()} photos), "
            f"published; {os.cpu_count()} cores"
        )
        cache.clear()
        html = Client().get(EXHIBITION_URL).content.decode()
        shown = html.count('id="work-')
        assert shown == WORKS, f"the gallery shows {shown} works"

        port = free_port()
        name = connection.settings_dict["NAME"]
        server = server_start(port, options.workers, options.threads, name)
        print(
            f"gunicorn: {options.workers} workers × {options.threads} threads (gthread, "
            f"keep-alive) on 127.0.0.1:{port}; client: {options.clients} keep-alive "
            f"connections, {options.seconds:.0f} s per URL × {options.rounds} rounds"
        )
        warm(port, options.clients)
        rates: dict[str, list[float]] = {BARE_URL: [], EXHIBITION_URL: []}
        sizes = {}
        for _ in range(options.rounds):
            for path in rates:
                rate, size = load(port, path, options.clients, options.seconds)
                rates[path].append(rate)
                sizes[path] = size
        bare, page = statistics.median(rates[BARE_URL]), statistics.median(rates[EXHIBITION_URL])
        print()
        print("| view | requests/s (median) | rounds | body |")
        print("|---|---:|---|---:|")
        for label, path in (
            (f"**exhibition** ({WORKS} works)", EXHIBITION_URL),
            ('bare Django view (HttpResponse("ok"))', BARE_URL),
        ):
            print(
                f"| {label} | {statistics.median(rates[path]):,.0f} | "
                f"{', '.join(f'{r:,.0f}' for r in rates[path])} | {sizes[path]:,} B |"
            )
        print()
        print(f"exhibition / bare: {page / bare:.2f}")
        met_rate, met_share = page >= TARGET_RATE, page >= TARGET_SHARE * bare
        print(
            f"target ≥ {TARGET_RATE:.0f} requests/s: {'met' if met_rate else 'NOT met'}; "
            f"≥ {TARGET_SHARE:.2f} of the bare view's rate: {'met' if met_share else 'NOT met'}"
        )
        local = in_process(2000)
        print(
            f"in-process (django.test.Client, one thread, no server): exhibition "
            f"{local[EXHIBITION_URL]:,.0f}/s, bare {local[BARE_URL]:,.0f}/s, ratio "
            f"{local[EXHIBITION_URL] / local[BARE_URL]:.2f}"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
