"""Benchmark: the organiser's results page of a contest with 3,000 ranked entries.

    .venv/bin/python bench/results_page.py                      # SQLite (a fresh file in /tmp)
    LAUREL_DATABASE_URL=postgres://... .venv/bin/python bench/results_page.py   # PostgreSQL

Before any timing, a throwaway database (Django's test database, migrated: ``test_<name>`` on
PostgreSQL, a file in a temporary folder on SQLite) gets a contest whose closed scoring round
ranked 3,000 entries (3,000 authors in 40 units, four categories, scores with 90% intervals),
30 calibrated judges, the bulletin's 200 prizes (一等奖 5, 二等奖 15, 三等奖 30, 优秀奖 150)
published once and then two of them changed by hand — rows made with bulk_create (set-up,
not product code), the publication and the changes through the services.

Timed is the whole request through ``django.test.Client`` as the organiser, middleware and
session included, after one warm-up: ours ``--repeat`` times, the baseline
``--baseline-repeat`` times (it is slow). Ours is ``awards:console_results`` (the ranking
table with interval bars, the severity chart, near ties, prize counts, publish problems, the
publication and change histories). The baseline is the same ranking table rendered naively,
as a first version would be written: the results without select_related (the entry, its
author, unit and category each loaded row by row), the prize looked up per row,
``{% url %}`` and ``floatformat`` per row in the template — several queries per row. It is
served by a view defined here, behind the same access rule. The mean and the best of each
are printed with the queries one request made, the ratio, and whether ours meets the target
(≤ 1 s).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]  # laurel, and tests/ for the data builder
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings_test")
os.environ["LAUREL_DEBUG"] = "false"  # measured as served: no debug machinery

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, include, path, reverse  # noqa: E402
from tests.awards.ranked_contest import JUDGES, ranked_contest  # noqa: E402

from laurel.accounts.models import Role, RoleGrant, User  # noqa: E402
from laurel.awards import policy, selectors  # noqa: E402
from laurel.awards.models import Award  # noqa: E402
from laurel.contests.models import Contest  # noqa: E402
from laurel.contests.policy import contests_visible  # noqa: E402
from laurel.judging.models import Result  # noqa: E402
from laurel.orgs.services import unit_create  # noqa: E402
from laurel.web.access import allowed_if  # noqa: E402

ENTRIES, UNITS = 3000, 40
TARGET = 1.0
SLUG = "bench-results"

NAIVE_TEMPLATE = """{% extends "web/console_base.html" %}{% load i18n %}
{% block content %}<h1>{{ contest.title }}</h1>
<table id="results-table"><thead><tr><th>{% translate "Rank" %}</th>
<th>{% translate "Entry" %}</th><th>{% translate "Title" %}</th><th>{% translate "Author" %}</th>
<th>{% translate "Unit" %}</th><th>{% translate "Category" %}</th><th>{% translate "Score" %}</th>
<th></th><th>{% translate "Reviews" %}</th><th>{% translate "Prize" %}</th></tr></thead><tbody>
{% for result, award in rows %}<tr id="result-{{ result.entry.code }}">
<td>{{ result.rank }}</td>
<td><a href="{% url 'awards:console_result_entry' contest.slug result.entry.number %}">
{{ result.entry.code }}</a></td>
<td>{{ result.entry.title }}</td>
<td>{{ result.entry.author.name }}</td>
<td>{{ result.entry.unit.name }}</td>
<td>{{ result.entry.category.name }}</td>
<td>{{ result.score|floatformat:2 }}<br>
{{ result.low|floatformat:2 }} – {{ result.high|floatformat:2 }}</td>
<td><span class="interval">
<span class="interval-dot" style="left: {% widthratio result.score 10 100 %}%"></span></span></td>
<td>{{ result.reviews }}</td>
<td>{% if award %}{{ award.tier.name }}
{% if award.by_hand %} {% translate "by hand" %}{% endif %}{% endif %}</td></tr>
{% endfor %}</tbody></table>{% endblock %}"""


@allowed_if(policy.may_decide_awards)
def naive_results(request, slug: str):
    """The baseline: the ranking table as a first version would render it."""
    contest = get_object_or_404(contests_visible(request.user.access), slug=slug)
    round_ = selectors.final_round(contest)
    results = Result.objects.filter(round=round_, rank__isnull=False).order_by("rank")
    rows = [(result, Award.objects.filter(entry=result.entry).first()) for result in results]
    template = engines["django"].from_string(NAIVE_TEMPLATE)
    return HttpResponse(template.render({"contest": contest, "rows": rows}, request))


def urls_with_the_baseline() -> None:
    """Serve the baseline beside the product's URLs (this process only)."""
    module = types.ModuleType("bench_results_urls")
    module.urlpatterns = [
        path("bench/naive-results/<slug:slug>/", naive_results, name="bench_naive_results"),
        path("", include("laurel.urls")),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def build() -> tuple[Contest, User]:
    """The contest (``tests/awards/ranked_contest.py``, as the query-count test builds it)."""
    federation = unit_create(acting_user=None, name="市总工会", code="b", kind="federation")
    units = [
        unit_create(
            acting_user=None,
            name=f"基层工会{n}",
            code=f"b/{n}",
            kind="grassroots",
            parent=federation,
        )
        for n in range(UNITS)
    ]
    organiser = User.objects.create(
        username="bench-organiser", display_name="组织者", password=make_password(None)
    )
    RoleGrant.objects.create(user=organiser, role=Role.FEDERATION_ADMIN)
    contest = ranked_contest(organiser=organiser, units=units, size=ENTRIES, slug=SLUG)
    return contest, organiser


def timed(client: Client, url: str, repeat: int) -> tuple[list[float], int, int]:
    """(seconds per request, queries of one request, bytes) after one warm-up request."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    counted = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # no cap, unlike Django's query log (9,000)
        response = client.get(url)
    queries = len(counted)
    rows = response.content.count(b'<tr id="result-')
    assert rows == ENTRIES, f"{url}: {rows} rows"
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return times, queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10, help="requests of ours timed")
    parser.add_argument(
        "--baseline-repeat", type=int, default=3, help="requests of the baseline timed (slow)"
    )
    options = parser.parse_args()

    database = settings.DATABASES["default"]
    folder = None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tempfile.TemporaryDirectory(prefix="laurel-bench-results-")
        database.setdefault("TEST", {})["NAME"] = str(Path(folder.name) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        vendor = connection.display_name
        if connection.vendor == "sqlite":
            vendor += " " + connection.Database.sqlite_version
        elif connection.vendor == "postgresql":
            vendor += f" {connection.pg_version // 10000}"
        started = time.perf_counter()
        contest, organiser = build()
        print(
            f"database: {vendor}; set-up {time.perf_counter() - started:.1f} s: "
            f"{ENTRIES:,} ranked entries, {JUDGES} judges, "
            f"{Award.objects.filter(contest=contest).count()} prizes, published once"
        )
        urls_with_the_baseline()
        client = Client()
        client.force_login(organiser)
        pages = {
            "**ours** (awards:console_results)": reverse("awards:console_results", args=[SLUG]),
            "baseline (naive table: queries per row)": reverse("bench_naive_results", args=[SLUG]),
        }
        repeats = [options.repeat, options.baseline_repeat]
        measured = {
            label: timed(client, url, repeat)
            for (label, url), repeat in zip(pages.items(), repeats, strict=True)
        }
        print()
        print("| page | mean s | best s | queries | KB |")
        print("|---|---:|---:|---:|---:|")
        for label, (times, queries, size) in measured.items():
            print(
                f"| {label} | {statistics.mean(times):.3f} | {min(times):.3f} "
                f"| {queries:,} | {size / 1024:.0f} |"
            )
        (ours, ours_queries, _), (naive, naive_queries, _) = measured.values()
        print()
        print(
            f"baseline / ours (mean): {statistics.mean(naive) / statistics.mean(ours):.1f}×; "
            f"queries {naive_queries:,} vs {ours_queries}"
        )
        met = statistics.mean(ours) <= TARGET
        print(f"target ≤ {TARGET:.0f} s for 3,000 entries: {'met' if met else 'NOT met'}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if folder is not None:
            folder.cleanup()


if __name__ == "__main__":
    main()
