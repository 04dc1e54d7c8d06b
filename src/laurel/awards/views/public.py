"""Pages for anyone: a contest's published results, its exhibition, the certificate check.

The results page reads only the published snapshot (``Publication.snapshot``), never the live
entries or scores: what was published is what is shown, with its digest and every version.
Unpublished results do not exist for the public (404, not even the ranking). It leads with
the winners, tier by tier (each tier's colour by its place), the units' own prizes (优秀组织奖)
when the snapshot has any, then the full ranking, searched
and paged over the snapshot's rows; scores show two decimals, rounded half up; the intervals,
the digest and how to check it are folded below for those who want them.

The exhibition shows the latest snapshot's prize-winners, display renditions only, and is
built to be fast (200 works at hundreds of requests a second):

- an anonymous visitor (no session, no message waiting, no query string) gets the whole
  page from the cache with two reads (the contest's cache generation, then the page) and no
  database query: the page holds nothing of theirs, not even a CSRF token;
  that page is kept ``FACTS_SECONDS`` under the URL, the generation, the language and
  today's date (the phase changes with the date at once);
- behind it, the contest's facts (its latest version, dates, title) are cached for
  ``FACTS_SECONDS`` too, and the gallery's HTML and the list of works for long, under the
  contest, the publication's version, the phase, the language and the contest's shown
  facts. A publication or a change to the contest drops its generation after commit
  (``awards.caching``): the next visitor gets the new pages at once;
- a signed-in user gets the cached gallery inside a header rendered for them;
- building the gallery costs three queries: the snapshot, the order of prize tiers and
  categories, and every winner's photos (entry number → assets) in one.

Anonymous pages are ``Cache-Control: public`` (signed-in users' ``private``) and vary by
Cookie (language, log-in); they set no cookie at all (a shared cache would hand it to every
visitor): the header's language switch needs no CSRF token, and
``web.middleware.PublicResponseCookieGuardMiddleware`` makes a public page that sets one private.
"""

import datetime
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Value
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from laurel.accounts.policy import access_for
from laurel.awards import selectors
from laurel.awards import winners_list as winners_list_module
from laurel.awards.caching import exhibition_generation
from laurel.awards.certificates import verification_found_elsewhere
from laurel.awards.models import Certificate, Publication
from laurel.contests import prize_tiers
from laurel.contests.models import Category, Contest, EntryFile, PrizeTier
from laurel.contests.policy import contests_visible
from laurel.core import snapshots
from laurel.core.photos import RENDITIONS
from laurel.media.models import MediaAsset
from laurel.web.charts import IntervalAxis, IntervalBar
from laurel.web.params import id_param

PAGE_TEMPLATES = (
    "web/base.html",
    "awards/public_exhibition.html",
    "awards/public_exhibition_gallery.html",
    "awards/public_exhibition_grid.html",
    "awards/public_exhibition_work.html",
)
FACTS_SECONDS = 10  # how long a contest's facts (version, dates) are trusted from the cache
PAGE_SECONDS = 24 * 60 * 60  # a gallery's HTML, the works (their keys change when they must)
BROWSER_SECONDS = 300  # Cache-Control max-age of the exhibition pages
SPLIT_ABOVE = 12  # a prize tier with more works than this is shown category by category
RESULTS_PER_PAGE = 50
ANY_PRIZE, NO_PRIZE = "*", "-"  # the results filter's two choices besides a tier's name


def _same_for_everyone(request) -> bool:
    """An anonymous visitor with no message waiting and no query string: the page is the
    same for all of them, so it can be served whole from the cache."""
    cookies = request.COOKIES
    return (
        not request.GET
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def _cached_page(request, key: str, template: str, context_of) -> HttpResponse:
    """The page: whole from the cache for anonymous visitors (under ``key``, for
    ``FACTS_SECONDS``), else rendered with the context ``context_of()`` gives (which raises
    Http404 when there is nothing to show). Anonymous pages may be kept by shared caches for
    ``BROWSER_SECONDS``; a signed-in user's page (their name in the header) only by their
    browser."""
    if _same_for_everyone(request):
        page = cache.get(key)
        if page is None:  # kept encoded: a hit neither decodes nor encodes 100 KB of text
            page = render_to_string(template, context_of(), request=request).encode()
            cache.set(key, page, FACTS_SECONDS)
        response = HttpResponse(page)
        patch_vary_headers(response, ["Cookie"])  # the language is the visitor's cookie
        public = True
    else:
        response = render(request, template, context_of())
        public = not request.user.is_authenticated
    visibility = {"public": True} if public else {"private": True}
    patch_cache_control(response, max_age=BROWSER_SECONDS, **visibility)
    return response


# --- the results ---------------------------------------------------------------------------


def _publications(request, slug: str) -> tuple[Contest, list[Publication]]:
    """The contest and its versions, newest first (without their snapshots); 404 unless
    published at least once."""
    contest = contests_visible(access_for(request.user)).filter(slug=slug).first()
    if contest is None:
        raise Http404
    versions = list(
        Publication.objects.filter(contest=contest).defer("snapshot").order_by("-version")
    )
    if not versions:
        raise Http404
    return contest, versions


def _version_asked(request, versions: list[Publication]) -> Publication:
    asked = id_param(request.GET, "version")
    if asked is None:
        return versions[0]
    chosen = next((p for p in versions if p.version == asked), None)
    if chosen is None:
        raise Http404
    return chosen


def _row_shown(row: dict, places: dict[str, int], bar: IntervalBar | None = None) -> dict:
    """A snapshot row as the page shows it: scores to two decimals (half up), its prize's
    colour class."""
    return {
        **row,
        "score_shown": snapshots.score_rounded(row["score"]),
        "low_shown": snapshots.score_rounded(row["low"]),
        "high_shown": snapshots.score_rounded(row["high"]),
        "tier_class": prize_tiers.tier_class(places.get(row["prize"])),
        "bar": bar,
    }


def _folded(text: str) -> str:
    """Text as the search compares it: full-width folded, case ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


def ranking_search(rows: list[dict], query: str) -> list[dict]:
    """The rows whose title, author or unit hold every word of ``query`` (all rows when
    it has none)."""
    words = _folded(query).split()
    if not words:
        return rows
    found = []
    for row in rows:
        text = _folded(f"{row['title']}\n{row['author']}\n{row['unit']}")
        if all(word in text for word in words):
            found.append(row)
    return found


@dataclass
class RankingListing:
    """The full ranking as one request asks for it: searched (``q``), filtered by prize and
    category, this page of ``RESULTS_PER_PAGE`` rows."""

    page: Page
    matching: int
    query: str
    prize: str
    category: str

    @property
    def filtered(self) -> bool:
        return bool(self.query or self.prize or self.category)


def ranking_listing(request, rows: list[dict]) -> RankingListing:
    """Search, filters and paging of the snapshot's rows (a list, not a queryset)."""
    query = request.GET.get("q", "").strip()[:100]
    prize = request.GET.get("prize", "")
    category = request.GET.get("category", "")
    chosen = [
        row
        for row in ranking_search(rows, query)
        if (
            not prize
            or (prize == ANY_PRIZE and row["prize"])
            or (prize == NO_PRIZE and not row["prize"])
            or row["prize"] == prize
        )
        and (not category or row["category"] == category)
    ]
    page = Paginator(chosen, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return RankingListing(
        page=page, matching=len(chosen), query=query, prize=prize, category=category
    )


def _winners(contest: Contest, rows: list[dict], places: dict[str, int]) -> list[dict]:
    """The snapshot's prize-winners as tiers in the tiers' order (a tier the contest no longer
    has after them), each winner in rank order with the thumbnail of its first published
    photo (one query)."""
    winners = [row for row in rows if row["prize"]]
    photos = (
        EntryFile.objects.filter(
            entry__contest=contest,
            entry__number__in=[int(row["entry"]) for row in winners],
            asset__status=MediaAsset.Status.READY,
            asset__published_at__isnull=False,  # published photos only: a public URL
        )
        .select_related("entry", "asset")
        .only("entry__number", "asset__status", "asset__renditions", "asset__published_at")
        .order_by("entry__number", "position", "pk")
    )
    first_photo: dict[int, MediaAsset] = {}
    for photo in photos:
        if "thumbnail" in (photo.asset.renditions or {}):
            first_photo.setdefault(photo.entry.number, photo.asset)
    tiers: dict[str, dict] = {}
    for row in winners:
        place = places.get(row["prize"])
        tier = tiers.setdefault(
            row["prize"],
            {"name": row["prize"], "place": place, "class": prize_tiers.tier_class(place)},
        )
        tier.setdefault("winners", []).append(
            {**_row_shown(row, places), "asset": first_photo.get(int(row["entry"]))}
        )
    return sorted(tiers.values(), key=lambda tier: tier["place"])


@require_safe
def results(request, slug: str):
    contest, versions = _publications(request, slug)
    shown = _version_asked(request, versions)
    snapshot = Publication.objects.values_list("snapshot", flat=True).get(pk=shown.pk)
    if request.GET.get("format") == "json":
        # the canonical form itself: its SHA-256 is the digest printed on the page
        response = HttpResponse(
            snapshots.snapshot_canonical(snapshot), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{contest.slug}-results-v{shown.version}.json"'
        )
        patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
        return response

    rows = snapshot["rows"]
    # tiers in the contest's order; a tier of the snapshot the contest no longer has, after
    places = prize_tiers.tier_places(contest.pk)
    categories = []
    for row in rows:
        if row["prize"]:
            places.setdefault(row["prize"], len(places) + 1)
        if row["category"] not in categories:
            categories.append(row["category"])
    prize_counts = Counter(row["prize"] for row in rows if row["prize"])
    listing = ranking_listing(request, rows)
    axis = IntervalAxis(row[k] for row in rows for k in ("low", "high", "score"))
    phase = selectors.exhibition_phase(contest)
    context = {
        "contest": contest,
        "publication": shown,
        "latest": versions[0],
        "versions": versions,
        "snapshot_title": snapshot["title"],
        "tiers": _winners(contest, rows, places),
        "pictured": contest.content_kind.pictured,
        "listing": listing,
        "page": listing.page,
        "rows": [
            _row_shown(row, places, axis.bar(row["score"], row["low"], row["high"]))
            for row in listing.page.object_list
        ],
        "total": len(rows),
        "winners": sum(prize_counts.values()),
        "prizes": [(name, prize_counts[name]) for name in places if prize_counts[name]],
        "categories": categories,
        "unit_prizes": [
            {**prize, "tier_class": prize_tiers.tier_class(places.get(prize["prize"]))}
            for prize in snapshot.get("unit_prizes", [])
        ],
        "any_prize": ANY_PRIZE,
        "no_prize": NO_PRIZE,
        "exhibition_shown": phase != selectors.Phase.UNPUBLISHED,
        # a winner's card leads to its exhibition page while the gallery shows this version
        "works_shown": shown.pk == versions[0].pk
        and phase in (selectors.Phase.OPEN, selectors.Phase.ARCHIVE),
    }
    return render(request, "awards/public_results.html", context)


WINNERS_LIST_SECONDS = 24 * 60 * 60  # a version's winners list (its key changes when it must)


@require_safe
def winners_list(request, slug: str):
    """获奖名单 of the latest version (or ``?version=N``) as a PDF to print: public once the
    results are published (it is public information then), 404 before. Drawn from the
    snapshot only, once per process and version (a PDF costs a second to draw)."""
    contest, versions = _publications(request, slug)
    shown = _version_asked(request, versions)
    tier_order = list(prize_tiers.tier_places(contest.pk))
    issuer = contest.certificate_issuer or contest.organiser
    made_of = "\n".join([_winners_list_code(), shown.digest, issuer, *tier_order])
    key = f"awards:winners-list:{shown.pk}:{hashlib.sha256(made_of.encode()).hexdigest()[:16]}"
    pdf = cache.get(key)
    if pdf is None:
        shown.contest = contest
        snapshot = Publication.objects.values_list("snapshot", flat=True).get(pk=shown.pk)
        pdf = winners_list_module.winners_list_pdf(shown, snapshot, tier_order)
        cache.set(key, pdf, WINNERS_LIST_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{contest.slug}-winners-v{shown.version}.pdf"'
    )
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    return response


@functools.cache
def _winners_list_code() -> str:
    """What draws the list (a shared cache outlives a deploy that changes it)."""
    digest = hashlib.sha256(Path(winners_list_module.__file__).read_bytes())
    digest.update(Path(get_template("awards/winners_list.html").origin.name).read_bytes())
    return digest.hexdigest()[:10]


# --- the exhibition ------------------------------------------------------------------------


# what the exhibition's pages show of a contest (and need for its phase)
CONTEST_FIELDS = (
    "pk",
    "slug",
    "title",
    "organiser",
    "state",
    "exhibition_opens_on",
    "exhibition_closes_on",
    "exhibition_venue",
    "content",  # pictures, or works shown by their facts alone (``ContentKind.pictured``)
)


@dataclass(frozen=True)
class Facts:
    """What the exhibition's pages need to know about a contest before any work: cached
    for ``FACTS_SECONDS`` under its slug, so a cached page needs no database query. Plain
    values (a model instance takes far longer to unpickle than the rest of a cached hit)."""

    fields: dict  # CONTEST_FIELDS → value
    publication: int  # the latest version's pk
    version: int
    published_at: datetime.datetime
    fingerprint: str  # of what the pages show of the contest: a change gives new pages

    @functools.cached_property
    def contest(self) -> Contest:
        return Contest(**self.fields)


def _facts(slug: str) -> Facts:
    """The contest's facts, from the cache or one query; 404 before any publication."""
    key = f"awards:exhibition:facts:{_code_version()}:{slug}:{exhibition_generation(slug)}"
    facts = cache.get(key)
    if facts is None:
        row = (
            Publication.objects.filter(contest__slug=slug)
            .exclude(contest__state=Contest.State.DRAFT)
            .order_by("-version")
            .values("pk", "version", "published_at", *(f"contest__{f}" for f in CONTEST_FIELDS))
            .first()
        )
        if row is None:
            raise Http404  # not cached: a visitor cannot fill the cache with made-up slugs
        fields = {name: row[f"contest__{name}"] for name in CONTEST_FIELDS}
        shown = "|".join(str(fields[name]) for name in CONTEST_FIELDS)
        facts = Facts(
            fields=fields,
            publication=row["pk"],
            version=row["version"],
            published_at=row["published_at"],
            fingerprint=hashlib.sha256(shown.encode()).hexdigest()[:12],
        )
        cache.set(key, facts, FACTS_SECONDS)
    return facts


def _fitted(size: tuple[int, int] | None, long_edge: int) -> tuple[int, int] | None:
    """A rendition's size: the photo (as seen, upright) shrunk to ``long_edge``, never
    enlarged — as ``core.photos`` makes it."""
    if not size or not all(isinstance(v, int) and v > 0 for v in size):
        return None
    width, height = size
    scale = long_edge / max(width, height)
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def _photo(asset_id: int, width, height) -> dict:
    """A published photo's public renditions (``media:rendition``: anyone may fetch them)."""
    display = _fitted((width, height), RENDITIONS["display"])
    thumbnail = _fitted(display, RENDITIONS["thumbnail"])
    return {
        "thumbnail": reverse("media:rendition", args=[asset_id, "thumbnail"]),
        "display": reverse("media:rendition", args=[asset_id, "display"]),
        "thumbnail_size": thumbnail,
        "display_size": display,
    }


def _orders(contest_pk: int) -> tuple[dict[str, int], dict[str, int]]:
    """The contest's prize tiers and categories in their order (name → place), in one query."""
    rows = (
        PrizeTier.objects.filter(contest_id=contest_pk)
        .order_by()
        .values_list(Value("tier"), "name", "position", "pk")
        .union(
            Category.objects.filter(contest_id=contest_pk)
            .order_by()
            .values_list(Value("category"), "name", "position", "pk"),
            all=True,
        )
    )
    tiers: dict[str, int] = {}
    categories: dict[str, int] = {}
    for kind, name, _position, _pk in sorted(rows, key=lambda r: (r[2], r[3])):
        places = tiers if kind == "tier" else categories
        places.setdefault(name, len(places))
    return tiers, categories


def _works(facts: Facts) -> list[dict]:
    """The prize-winners of the latest snapshot, by tier (the contest's order), category
    (likewise) and rank, each with its photos' public renditions (a series: every photo).
    Cached per version; building it takes three queries."""
    key = f"awards:exhibition:works:{_code_version()}:{facts.fields['pk']}:{facts.version}"
    works = cache.get(key)
    if works is not None:
        return works
    snapshot = Publication.objects.values_list("snapshot", flat=True).get(pk=facts.publication)
    winners = [row for row in snapshot["rows"] if row["prize"]]
    tiers, categories = _orders(facts.fields["pk"])
    photos: dict[int, list[dict]] = {}
    assets = (
        EntryFile.objects.filter(
            entry__contest_id=facts.fields["pk"],
            entry__number__in=[int(row["entry"]) for row in winners],
        )
        .order_by("entry__number", "position", "pk")
        .values_list(
            "entry__number",
            "asset_id",
            "asset__status",
            "asset__renditions",
            "asset__published_at",
            "asset__exif__width",
            "asset__exif__height",
        )
    )
    for number, asset_id, status, renditions, published_at, width, height in assets:
        shown = {"display", "thumbnail"} <= set(renditions or {}) and published_at is not None
        if status == MediaAsset.Status.READY and shown:
            photos.setdefault(number, []).append(_photo(asset_id, width, height))
    last = len(tiers) + len(categories)  # a name the contest no longer has goes last
    winners.sort(
        key=lambda row: (
            tiers.get(row["prize"], last),
            categories.get(row["category"], last),
            row["rank"],
        )
    )
    works = [
        {
            "code": row["entry"],
            "rank": row["rank"],
            "title": row["title"],
            "author": row["author"],
            "unit": row["unit"],
            "category": row["category"],
            "prize": row["prize"],
            "tier_class": prize_tiers.tier_class(
                tiers[row["prize"]] + 1 if row["prize"] in tiers else None
            ),
            "photos": photos.get(int(row["entry"]), []),
        }
        for row in winners
    ]
    cache.set(key, works, PAGE_SECONDS)
    return works


def _groups(works: list[dict]) -> list[dict]:
    """Works (already in order) as tiers, each with its categories; a tier of more than
    ``SPLIT_ABOVE`` works is shown category by category, a smaller one as one grid."""
    groups: list[dict] = []
    for work in works:
        if not groups or groups[-1]["prize"] != work["prize"]:
            groups.append(
                {
                    "prize": work["prize"],
                    "tier_class": work["tier_class"],
                    "works": [],
                    "categories": [],
                }
            )
        tier = groups[-1]
        tier["works"].append(work)
        if not tier["categories"] or tier["categories"][-1]["name"] != work["category"]:
            tier["categories"].append({"name": work["category"], "works": []})
        tier["categories"][-1]["works"].append(work)
    for tier in groups:
        tier["count"] = len(tier["works"])
        tier["split"] = tier["count"] > SPLIT_ABOVE and len(tier["categories"]) > 1
    return groups


def _phase_shown(facts: Facts) -> str:
    """The phase today; 404 while there is nothing to show."""
    phase = selectors.exhibition_phase(facts.contest)
    if phase == selectors.Phase.UNPUBLISHED:
        raise Http404
    return phase


@functools.cache
def _code_version() -> str:
    """What made the cached pages: a shared cache outlives processes, and after a deploy that
    changes this module or the pages' templates nothing the old code made may be served."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in PAGE_TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:10]


def _page_key(facts: Facts, phase: str, *parts: str) -> str:
    return ":".join(
        [
            "awards:exhibition",
            *parts,
            _code_version(),
            str(facts.fields["pk"]),
            str(facts.version),
            phase,
            get_language(),
            facts.fingerprint,
        ]
    )


def _gallery(facts: Facts, phase: str) -> str:
    """The gallery's HTML (the page's content), cached: nothing in it depends on the visitor."""
    key = _page_key(facts, phase, "gallery")
    body = cache.get(key)
    if body is None:
        works = [] if phase == selectors.Phase.COMING else _works(facts)
        body = render_to_string(
            "awards/public_exhibition_gallery.html",
            {
                "contest": facts.contest,
                "pictured": facts.contest.content_kind.pictured,
                "phase": phase,
                "version": facts.version,
                "published_at": facts.published_at,
                "groups": _groups(works),
                "total": len(works),
            },
        )
        cache.set(key, body, PAGE_SECONDS)
    return body


def _visitor_key(slug: str, *parts: str) -> str:
    """An anonymous visitor's whole page, found with two cache reads: by URL, the contest's
    cache generation (``awards.caching``), language and today's date (the phase changes with
    it); kept only ``FACTS_SECONDS``, as the facts."""
    return ":".join(
        [
            "awards:exhibition:visitor",
            _code_version(),
            slug,
            exhibition_generation(slug),
            *parts,
            get_language(),
            timezone.localdate().isoformat(),
        ]
    )


CODE_SHAPE = re.compile(r"[0-9]{1,10}")
SLUG_LONGEST = Contest._meta.get_field("slug").max_length


def _shape_checked(slug: str, code: str = "0") -> None:
    """Only a possible slug and entry code reach the cache as part of a key (no key of
    someone's making, too long or with spaces)."""
    if len(slug) > SLUG_LONGEST or not CODE_SHAPE.fullmatch(code):
        raise Http404


@require_safe
def exhibition(request, slug: str):
    _shape_checked(slug)

    def context() -> dict:
        facts = _facts(slug)
        phase = _phase_shown(facts)
        body = mark_safe(_gallery(facts, phase))  # noqa: S308 - our own template's output
        return {"contest": facts.contest, "body": body}

    return _cached_page(
        request, _visitor_key(slug, "gallery"), "awards/public_exhibition.html", context
    )


@require_safe
def exhibition_work(request, slug: str, code: str):
    _shape_checked(slug, code)

    def context() -> dict:
        facts = _facts(slug)
        phase = _phase_shown(facts)
        if phase == selectors.Phase.COMING:
            raise Http404
        works = _works(facts)
        index = next((i for i, work in enumerate(works) if work["code"] == code), None)
        if index is None:
            raise Http404
        return {
            "contest": facts.contest,
            "pictured": facts.contest.content_kind.pictured,
            "phase": phase,
            "work": works[index],
            "previous": works[index - 1] if index > 0 else None,
            "next": works[index + 1] if index + 1 < len(works) else None,
            "position": index + 1,
            "total": len(works),
        }

    return _cached_page(
        request, _visitor_key(slug, "work", code), "awards/public_exhibition_work.html", context
    )


# --- certificates --------------------------------------------------------------------------

NUMBER_SHAPE = re.compile(r"[0-9A-Za-z]{1,20}")


def _number_typed(text: str) -> str:
    """A number as people type it: spaces and dashes (as printed in groups) dropped."""
    return re.sub(r"[\s\-]", "", text)


@ratelimit(key="ip", rate="30/m")
@require_safe
def certificate_check(request):
    """The form to type a certificate's number; a number goes to its verification page."""
    typed = request.GET.get("number", "")
    number = _number_typed(typed)
    error = ""
    if NUMBER_SHAPE.fullmatch(number):
        return redirect("awards:certificate_verify", number=number)
    if typed:
        error = _("Type the number printed on the certificate (letters and digits).")
    return render(
        request, "awards/public_certificate_check.html", {"number": typed, "error": error}
    )


@ratelimit(key="ip", rate="30/m")
@require_safe
def certificate_verify(request, number: str):
    """Confirms a certificate: valid, or revoked by a correction; unknown numbers are 404.
    Only what the certificate itself prints is shown (never a personal number)."""
    certificate = Certificate.objects.select_related("contest").filter(number=number).first()
    if certificate is None and (elsewhere := verification_found_elsewhere(number)):
        return redirect(elsewhere)
    if certificate is None:
        return render(
            request, "awards/public_certificate_unknown.html", {"number": number}, status=404
        )
    replacement = None
    if certificate.revoked_at is not None:
        same_holder = (
            {"entry_id": certificate.entry_id}
            if certificate.entry_id is not None
            else {
                "contest_id": certificate.contest_id,
                "awarded_unit_id": certificate.awarded_unit_id,
            }
        )
        replacement = (
            Certificate.objects.filter(**same_holder, revoked_at__isnull=True)
            .exclude(pk=certificate.pk)
            .only("number", "prize")
            .first()
        )
    context = {
        "certificate": certificate,
        "contest": certificate.contest,
        "replacement": replacement,
        "issuer": certificate.contest.certificate_issuer or certificate.contest.organiser,
        "checked_at": timezone.now(),
    }
    return render(request, "awards/public_certificate_verify.html", context)
