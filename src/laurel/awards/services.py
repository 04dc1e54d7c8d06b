"""Writes of a contest's outcome: prizes proposed and changed by hand, results published as a
snapshot (a correction is a new version), certificates issued. Each is atomic and audited.
"""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.models import Role, RoleGrant
from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.awards import policy, selectors
from laurel.awards.caching import exhibition_changed
from laurel.awards.models import Award, AwardChange, Certificate, Publication
from laurel.contests.models import Contest, Entry, EntryPhoto, PrizeTier
from laurel.core import prizes as core_prizes
from laurel.core import snapshots
from laurel.media import services as media_services
from laurel.notifications.services import notification_send

# the states in which prizes may be proposed, changed and published
OUTCOME_STATES = (Contest.State.JUDGING, Contest.State.RESULTS, Contest.State.PUBLISHED)


class AwardsRefused(ValidationError):
    """A change the rules do not allow, with a sentence for the organiser."""


def _organiser_check(acting_user) -> None:
    if not policy.may_decide_awards(access_for(acting_user)):
        raise AwardsRefused(_("Only organisers decide prizes and publish results."))


def _contest_lock(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _final_round_or_refuse(contest: Contest):
    round = selectors.final_round(contest)
    if round is None:
        raise AwardsRefused(_("No scoring round of this contest has closed yet."))
    return round


def _results_state(contest: Contest, acting_user) -> None:
    """Prizes are decided with the contest in ``results`` (moved there from judging)."""
    if contest.state not in OUTCOME_STATES:
        raise AwardsRefused(_("Prizes are decided once the contest is being judged."))
    if contest.state == Contest.State.JUDGING:
        contest.state = Contest.State.RESULTS
        contest.save(update_fields=["state"])
        audit_log(
            actor=acting_user,
            action="contests.contest.state_changed",
            obj=contest,
            data={"from": Contest.State.JUDGING, "to": Contest.State.RESULTS},
        )


@transaction.atomic
def awards_propose(*, acting_user, contest: Contest) -> int:
    """Replace every prize with the proposal from the final ranking: tiers in order down the
    ranking, under the contest's per-entrant cap. Returns how many prizes were given."""
    _organiser_check(acting_user)
    contest = _contest_lock(contest)
    round = _final_round_or_refuse(contest)
    _results_state(contest, acting_user)
    tiers = list(contest.prize_tiers.order_by("position", "pk"))
    if not tiers:
        raise AwardsRefused(_("The contest has no prize tiers; add them in its settings."))
    ranked = selectors.core_ranked(selectors.ranked_rows(round))
    proposal = core_prizes.tiers_propose(
        ranked, [core_prizes.Tier(t.name, t.count) for t in tiers], contest.prizes_per_author
    )
    tier_by_name = {t.name: t for t in tiers}
    Award.objects.filter(contest=contest).delete()
    Award.objects.bulk_create(
        Award(contest=contest, entry_id=int(entry), tier=tier_by_name[name], set_by=acting_user)
        for entry, name in proposal.items()
    )
    audit_log(
        actor=acting_user,
        action="awards.proposed",
        obj=contest,
        data={"round": round.pk, "method": round.method, "prizes": len(proposal)},
    )
    return len(proposal)


@transaction.atomic
def award_set(*, acting_user, entry: Entry, tier: PrizeTier | None, reason: str) -> Award | None:
    """Give ``entry`` another prize (or none) by hand. The reason is recorded and shown; the
    per-entrant cap still holds."""
    _organiser_check(acting_user)
    contest = _contest_lock(entry.contest)
    round = _final_round_or_refuse(contest)
    if not reason.strip():
        raise AwardsRefused({"reason": _("Say why the prize changes; it is recorded.")})
    if tier is not None and tier.contest_id != contest.pk:
        raise AwardsRefused(_("That prize is not one of this contest's."))
    entry = Entry.objects.select_related("author").get(pk=entry.pk)
    ranked = round.results.filter(entry=entry, rank__isnull=False).exists()
    if tier is not None and (not ranked or entry.state not in selectors.PRIZE_STATES):
        raise AwardsRefused(_("Only an entry ranked in the final round can take a prize."))
    _results_state(contest, acting_user)
    award = Award.objects.filter(entry=entry).select_related("tier").first()
    before = award.tier.name if award else ""
    if tier is not None and contest.prizes_per_author is not None and award is None:
        held = Award.objects.filter(contest=contest, entry__author=entry.author).count()
        if held >= contest.prizes_per_author:
            raise AwardsRefused(
                _("%(name)s already holds %(count)d prizes, the most one entrant may hold.")
                % {"name": entry.author.name, "count": held}
            )
    if tier is None:
        if award is not None:
            award.delete()
        award = None
    else:
        award = award or Award(contest=contest, entry=entry)
        award.tier, award.by_hand, award.reason, award.set_by = (
            tier,
            True,
            reason.strip(),
            acting_user,
        )
        award.full_clean()
        award.save()
    after = tier.name if tier else ""
    AwardChange.objects.create(
        contest=contest,
        entry=entry,
        before=before,
        after=after,
        reason=reason.strip(),
        changed_by=acting_user,
    )
    audit_log(
        actor=acting_user,
        action="awards.award.changed",
        obj=entry,
        data={"from": before, "to": after, "reason": reason.strip()},
    )
    return award


def publish_problems(contest: Contest) -> list[str]:
    """Why the current prizes cannot be published as they stand (empty: they can)."""
    awards = list(Award.objects.filter(contest=contest).select_related("entry__author", "tier"))
    problems = []
    given = Counter(award.tier_id for award in awards)
    for tier in contest.prize_tiers.all():
        if given[tier.pk] > tier.count:
            problems.append(
                _("%(tier)s is given %(given)d times, but has %(count)d places.")
                % {"tier": tier.name, "given": given[tier.pk], "count": tier.count}
            )
    if contest.prizes_per_author is not None:
        authors = {str(a.entry_id): str(a.entry.author_id) for a in awards}  # two 王伟 are two
        names = {str(a.entry.author_id): a.entry.author.name for a in awards}
        over = core_prizes.prizes_over_cap(
            dict.fromkeys(authors, ""), authors, contest.prizes_per_author
        )
        for author in sorted(over, key=lambda pk: (names[pk], int(pk))):
            problems.append(
                _("%(name)s holds more than %(count)d prizes.")
                % {"name": names[author], "count": contest.prizes_per_author}
            )
    for award in awards:  # disqualified or withdrawn since: the snapshot would leave it out
        if award.entry.state not in selectors.PRIZE_STATES:
            problems.append(
                _(
                    "Entry %(code)s holds %(tier)s but is no longer in the contest; "
                    "take the prize away."
                )
                % {"code": award.entry.code, "tier": award.tier.name}
            )
    return problems


@transaction.atomic
def results_publish(
    *,
    acting_user,
    contest: Contest,
    reason: str = "",
    published_at: datetime.datetime | None = None,
) -> Publication:
    """Freeze the results into a new published version with its digest; make the winners'
    photos public; issue certificates; tell the winners and their units. A version after the
    first is a correction and needs a reason. ``published_at`` (default: now) dates it; the
    demo publishes 2024's results as of 30 April 2024."""
    _organiser_check(acting_user)
    contest = _contest_lock(contest)
    round = _final_round_or_refuse(contest)
    if contest.state not in OUTCOME_STATES:
        raise AwardsRefused(_("Results are published once the contest has been judged."))
    previous = selectors.latest_publication(contest)
    if previous is not None and not reason.strip():
        raise AwardsRefused({"reason": _("Say what this correction changes; it is published.")})
    if not Award.objects.filter(contest=contest).exists():
        raise AwardsRefused(_("No prizes are given yet: propose them from the ranking first."))
    problems = publish_problems(contest)
    if problems:
        raise AwardsRefused(problems)
    if contest.state == Contest.State.JUDGING:
        _results_state(contest, acting_user)
    now = (published_at or timezone.now()).replace(microsecond=0)
    version = (previous.version + 1) if previous else 1
    snapshot = snapshots.snapshot_build(
        contest=contest.slug,
        title=contest.title,
        version=version,
        published_at=now.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        rows=selectors.live_rows(contest, round),
    )
    publication = Publication.objects.create(
        contest=contest,
        version=version,
        snapshot=snapshot,
        digest=snapshots.snapshot_digest(snapshot),
        reason=reason.strip(),
        published_at=now,
        published_by=acting_user,
    )
    _photos_publish(acting_user, contest, snapshot, now)
    winners = _winners_mark(contest)
    issued = _certificates_issue(contest, publication, winners)
    if contest.state != Contest.State.PUBLISHED:
        contest.state = Contest.State.PUBLISHED
        contest.save(update_fields=["state"])
    _winners_notify(contest, publication, issued)
    exhibition_changed(contest.slug)
    audit_log(
        actor=acting_user,
        action="awards.results.published",
        obj=contest,
        data={
            "version": version,
            "digest": publication.digest,
            "rows": len(snapshot["rows"]),
            "prizes": len(winners),
            "reason": publication.reason,
        },
    )
    return publication


def _photos_publish(acting_user, contest: Contest, snapshot: dict, at: datetime.datetime) -> None:
    """The photos of the snapshot's prize-winners (what the exhibition shows) become public;
    those of every other entry of the contest are private (again, when a correction took
    a prize away or an entry left the results)."""
    winners = {int(row["entry"]) for row in snapshot["rows"] if row["prize"]}
    photos = EntryPhoto.objects.filter(entry__contest=contest).values_list(
        "asset_id", "entry__number"
    )
    shown = {asset_id for asset_id, number in photos if number in winners}
    media_services.assets_publish(
        acting_user=acting_user,
        published=shown,
        withdrawn={asset_id for asset_id, _number in photos} - shown,
        at=at,
    )


def _winners_mark(contest: Contest) -> dict[int, Award]:
    """Entries with a prize become ``awarded``; those that lost one go back to ``qualified``."""
    awards = {
        a.entry_id: a
        for a in Award.objects.filter(contest=contest).select_related(
            "tier", "entry__author", "entry__unit"
        )
    }
    Entry.objects.filter(pk__in=list(awards)).update(state=Entry.State.AWARDED)
    Entry.objects.filter(contest=contest, state=Entry.State.AWARDED).exclude(
        pk__in=list(awards)
    ).update(state=Entry.State.QUALIFIED)
    return awards


def _certificate_number(contest: Contest, sequence: int) -> str:
    """Year of the contest, its id, and the certificate's sequence: 2024 0007 0012."""
    year = timezone.localtime(contest.closes_at).year
    return f"{year}{contest.pk:04d}{sequence:04d}"


def _certificates_issue(
    contest: Contest, publication: Publication, winners: dict[int, Award]
) -> list[Certificate]:
    """A certificate for every winner without a valid one for the same prize; certificates
    whose prize changed or went are revoked. Returns the certificates issued now."""
    valid = {
        c.entry_id: c for c in Certificate.objects.filter(contest=contest, revoked_at__isnull=True)
    }
    now = timezone.now()
    for entry_id, certificate in valid.items():
        award = winners.get(entry_id)
        if award is None or award.tier.name != certificate.prize:
            certificate.revoked_at = now
            certificate.save(update_fields=["revoked_at"])
    sequence = Certificate.objects.filter(contest=contest).count()
    issued = []
    for entry_id, award in sorted(winners.items(), key=lambda kv: kv[1].entry.number):
        current = valid.get(entry_id)
        if current is not None and current.revoked_at is None:
            continue
        sequence += 1
        issued.append(
            Certificate(
                number=_certificate_number(contest, sequence),
                contest=contest,
                entry=award.entry,
                publication=publication,
                recipient=award.entry.author.name,
                unit=award.entry.unit.name,
                title=award.entry.title,
                prize=award.tier.name,
                issued_on=timezone.localdate(publication.published_at),
            )
        )
    return Certificate.objects.bulk_create(issued)


def _winners_notify(contest: Contest, publication: Publication, issued: list[Certificate]) -> None:
    """Each winner with a login is told their prize; each unit admin is told how many of the
    winners are from their subtree."""
    results_link = reverse("awards:public_results", args=[contest.slug])
    entries = Entry.objects.filter(pk__in=[c.entry_id for c in issued]).select_related(
        "author__user", "unit"
    )
    by_entry = {c.entry_id: c for c in issued}
    for entry in entries:
        if entry.author.user_id:
            certificate = by_entry[entry.pk]
            notification_send(
                recipient=entry.author.user,
                title=_("“%(title)s” won %(prize)s in %(contest)s")
                % {"title": entry.title, "prize": certificate.prize, "contest": contest.title},
                body=_("Certificate number %(number)s.") % {"number": certificate.number},
                link=reverse("contests:my_entry", args=[entry.pk]),
            )
    grants = RoleGrant.objects.filter(role=Role.UNIT_ADMIN, unit__isnull=False).select_related(
        "unit", "user"
    )
    paths = [entry.unit.path for entry in entries]
    for grant in grants:
        count = sum(1 for path in paths if path.startswith(grant.unit.path))
        if count:
            notification_send(
                recipient=grant.user,
                title=_("%(count)d works of %(unit)s won prizes in %(contest)s")
                % {"count": count, "unit": grant.unit.name, "contest": contest.title},
                body=_("Version %(version)d of the results, digest %(digest)s.")
                % {"version": publication.version, "digest": publication.digest[:16]},
                link=results_link,
            )
