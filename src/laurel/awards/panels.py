"""What awards shows on the home pages (``web.home``): for anyone, the exhibitions open now
and the results published; for an entrant, their certificates and the published results of
the contests they entered. And what it adds to contests' pages: an entry's prize and judging
(``contests.entry_sections``), the prizes a contest's figures by unit count
(``contests.selectors.prize_source``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.accounts.policy import access_for
from laurel.awards import policy, selectors
from laurel.awards.models import Certificate
from laurel.contests import entry_sections
from laurel.contests import policy as contests_policy
from laurel.contests import selectors as contests_selectors
from laurel.contests.models import Contest, Entry
from laurel.web import home
from laurel.web.access import Access

PUBLISHED_SHOWN = 6


def _published(request) -> list[Contest]:
    """The latest published contests (read once per request by both public panels)."""
    if not hasattr(request, "_home_published"):
        request._home_published = list(
            contests_policy.contests_visible(access_for(request.user))
            .filter(state=Contest.State.PUBLISHED)
            .order_by("-closes_at", "-pk")[: PUBLISHED_SHOWN * 2]
        )
    return request._home_published


def exhibitions_panel(request) -> dict | None:
    today = timezone.localdate()
    open_now = [
        contest
        for contest in _published(request)
        if selectors.exhibition_phase(contest, today) == selectors.Phase.OPEN
    ]
    return {"contests": open_now[:PUBLISHED_SHOWN]} if open_now else None


def results_panel(request) -> dict | None:
    published = _published(request)[:PUBLISHED_SHOWN]
    return {"contests": published} if published else None


def my_awards_panel(request) -> dict | None:
    """The user's own certificates (not revoked) and the published results of the contests
    they entered."""
    if not request.user.is_authenticated:
        return None
    own_entries = contests_policy.entries_of(request.user.access)
    certificates = list(
        Certificate.objects.filter(entry__in=own_entries.values("pk"), revoked_at__isnull=True)
        .select_related("contest")
        .order_by("-issued_on", "-pk")
    )
    results = list(
        Contest.objects.filter(
            state=Contest.State.PUBLISHED,
            pk__in=own_entries.values("contest_id"),
        ).order_by("-closes_at", "-pk")[:PUBLISHED_SHOWN]
    )
    if not certificates and not results:
        return None
    return {"certificates": certificates, "results": results}


def entry_prize_section(access: Access, entry: Entry) -> dict | None:
    """The console entry page's prize: decided now for the organisers, as published for
    anyone else."""
    prize = selectors.entry_prize(entry, live=policy.may_decide_awards(access))
    return {"prize": prize} if prize else None


def entry_judging_section(access: Access, entry: Entry) -> dict | None:
    """The console entry page's judging, for the organisers alone: every judge's scores and
    the rounds' results."""
    judged = selectors.entry_reviews(entry) if policy.may_export_scores(access) else []
    if not judged:
        return None
    return {"judged": judged, "may_organise": contests_policy.may_organise(access)}


def register() -> None:
    # what awards adds to contests' pages
    entry_sections.entry_section_register(
        "prize",
        place=entry_sections.FACTS,
        order=10,
        template="awards/_entry_prize.html",
        context=entry_prize_section,
    )
    entry_sections.entry_section_register(
        "judging",
        place=entry_sections.BELOW,
        order=10,
        template="awards/_entry_judging.html",
        context=entry_judging_section,
    )
    contests_selectors.prize_source_register(selectors.statistics_prize_source)
    home.console_link_register(
        "awards:console_seals", _("Seals"), order=55, rule=policy.may_manage_seals
    )
    home.panel_register(
        "my_awards", order=70, template="awards/_panel_my_awards.html", context=my_awards_panel
    )
    home.panel_register(
        "exhibitions",
        order=80,
        template="awards/_panel_exhibitions.html",
        context=exhibitions_panel,
    )
    home.panel_register(
        "results", order=90, template="awards/_panel_results.html", context=results_panel
    )
