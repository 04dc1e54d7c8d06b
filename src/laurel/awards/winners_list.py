"""获奖名单 (the winners list) as PDF: a published version's prize-winners, tier by tier, for
the notice board and the 公示 of results. Drawn by WeasyPrint from
``awards/winners_list.html`` as the certificates are (A4 portrait, the system's Noto CJK
fonts embedded as subsets, nothing fetched), with page numbers in the footer.

It reads only the published snapshot (``Publication.snapshot``): a prize changed since and
not yet published is not on it. Each winner is named as the snapshot names the entrant (a
member, a team or a unit); the units' own prizes (优秀组织奖) follow the works' tiers.
Its text is Chinese whatever the reader's language: it is a printed document.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML, URLFetcher

from laurel.awards.certificates import chinese_date
from laurel.awards.models import Publication

ENTRANT_HEADINGS = {"members": "作者", "teams": "参赛队", "units": "参赛单位"}  # its column


@dataclass
class Tier:
    """One prize tier of the list: its name and its winners (snapshot rows, rank order)."""

    name: str
    winners: list[dict] = field(default_factory=list)


def winners_by_tier(rows: list[dict], tier_order: list[str]) -> list[Tier]:
    """The rows holding a prize, grouped by tier: tiers in ``tier_order`` (the contest's),
    a tier the snapshot names that the contest no longer has after them in the order the
    ranking first meets it; winners in the snapshot's (rank) order."""
    tiers: dict[str, Tier] = {name: Tier(name) for name in tier_order}
    for row in rows:
        if row["prize"]:
            tiers.setdefault(row["prize"], Tier(row["prize"])).winners.append(row)
    return [tier for tier in tiers.values() if tier.winners]


def winners_list_pdf(publication: Publication, snapshot: dict, tier_order: list[str]) -> bytes:
    """The winners list of ``publication`` (its ``snapshot`` passed in: the caller has read
    it), tiers in ``tier_order``."""
    contest = publication.contest
    context = {
        "title": snapshot["title"],
        "organiser": contest.certificate_issuer or contest.organiser,
        "version": publication.version,
        "reason": publication.reason,
        "published_on": chinese_date(timezone.localdate(publication.published_at)),
        "digest": publication.digest,
        "tiers": winners_by_tier(snapshot["rows"], tier_order),
        "unit_prizes": snapshot.get("unit_prizes", []),
        "entrant_heading": ENTRANT_HEADINGS.get(contest.entrants, "作者"),
    }
    html = render_to_string("awards/winners_list.html", context)
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
