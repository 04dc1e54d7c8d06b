"""Writes of a contest's outcome: prizes proposed and changed by hand (an entry's, and a
unit's own: 优秀组织奖), results published as a snapshot (a correction is a new version),
certificates issued, the issuing bodies' seals uploaded and removed. Each is atomic and
audited. An entry's prize goes to its entrant — a member, a team or a unit.
"""

import datetime
import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from laurel.accounts.models import Role, RoleGrant
from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.awards import certificates, policy, selectors
from laurel.awards.caching import exhibition_changed
from laurel.awards.certificates import issuer_name_clean
from laurel.awards.models import (
    Award,
    AwardChange,
    Certificate,
    Publication,
    Seal,
    UnitAward,
    seal_storage,
)
from laurel.awards.tasks import certificates_bundle
from laurel.contests.entrants import entrant_entries, entrant_of, entrant_related
from laurel.contests.models import Contest, Entry, EntryFile, PrizeTier
from laurel.core import prizes as core_prizes
from laurel.core import snapshots
from laurel.core.seal_images import SealRefused, seal_png
from laurel.media import services as media_services
from laurel.notifications.services import notification_send
from laurel.orgs import policy as orgs_policy
from laurel.orgs.models import Unit

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
    tiers = selectors.entry_tiers(contest)  # a units' tier (优秀组织奖) is no entry's
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


def _prize_by_hand(held, tier, reason: str, acting_user, new):
    """The prize ``held`` (an ``Award`` or ``UnitAward``, or None) set by hand to ``tier``
    with its reason — made by ``new()`` when none is held — or taken away (``tier`` None).
    Returns the prize now held, or None."""
    if tier is None:
        if held is not None:
            held.delete()
        return None
    held = held or new()
    held.tier, held.by_hand, held.reason, held.set_by = tier, True, reason.strip(), acting_user
    held.full_clean()
    held.save()
    return held


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
    if tier is not None and tier.for_units:
        raise AwardsRefused(_("%(tier)s is given to units, not to entries.") % {"tier": tier.name})
    entry = Entry.objects.select_related(*entrant_related()).get(pk=entry.pk)
    ranked = round.results.filter(entry=entry, rank__isnull=False).exists()
    if tier is not None and (not ranked or entry.state not in selectors.PRIZE_STATES):
        raise AwardsRefused(_("Only an entry ranked in the final round can take a prize."))
    _results_state(contest, acting_user)
    award = Award.objects.filter(entry=entry).select_related("tier").first()
    before = award.tier.name if award else ""
    if tier is not None and contest.prizes_per_author is not None and award is None:
        entrant = entrant_of(entry)
        held = Award.objects.filter(
            entrant_entries(entrant.kind, entrant.pk, "entry__"), contest=contest
        ).count()
        if held >= contest.prizes_per_author:
            raise AwardsRefused(
                _("%(name)s already holds %(count)d prizes, the most one entrant may hold.")
                % {"name": entrant.name, "count": held}
            )
    award = _prize_by_hand(
        award, tier, reason, acting_user, lambda: Award(contest=contest, entry=entry)
    )
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


# --- the units' own prizes (优秀组织奖) -----------------------------------------------------


def _unit_tiers_or_refuse(contest: Contest) -> list[PrizeTier]:
    tiers = selectors.unit_tiers(contest)
    if not tiers:
        raise AwardsRefused(
            _("The contest has no prize for units; add one (“for units”) in its settings.")
        )
    return tiers


@transaction.atomic
def unit_awards_propose(*, acting_user, contest: Contest) -> int:
    """Replace every unit prize with the proposal from the results, by this rule
    (``core.prizes.unit_tiers_propose`` over ``selectors.unit_standings``): the district-level
    units (the federation's children) are ranked by the prizes their subtree's entries hold
    now — more of the highest prize first, then more of the next, and so on; ties by more
    accepted entries, then by name; a unit with no accepted entry takes none. Each units'
    tier in order goes to the next ``count`` units of that ranking. Returns how many were
    given."""
    _organiser_check(acting_user)
    contest = _contest_lock(contest)
    _final_round_or_refuse(contest)
    tiers = _unit_tiers_or_refuse(contest)
    _results_state(contest, acting_user)
    proposal = core_prizes.unit_tiers_propose(
        selectors.unit_standings(contest),
        [tier.name for tier in selectors.entry_tiers(contest)],
        [core_prizes.Tier(t.name, t.count) for t in tiers],
    )
    tier_by_name = {t.name: t for t in tiers}
    UnitAward.objects.filter(contest=contest).delete()
    UnitAward.objects.bulk_create(
        UnitAward(contest=contest, unit_id=int(unit), tier=tier_by_name[name], set_by=acting_user)
        for unit, name in proposal.items()
    )
    audit_log(
        actor=acting_user,
        action="awards.unit_awards.proposed",
        obj=contest,
        data={"prizes": len(proposal)},
    )
    return len(proposal)


@transaction.atomic
def unit_award_set(
    *, acting_user, contest: Contest, unit: Unit, tier: PrizeTier | None, reason: str
) -> UnitAward | None:
    """Give ``unit`` a units' prize of ``contest`` by hand, or take its prize away (``tier``
    None). Any unit the organiser may see; the reason is recorded and shown."""
    _organiser_check(acting_user)
    contest = _contest_lock(contest)
    _final_round_or_refuse(contest)
    if not reason.strip():
        raise AwardsRefused({"reason": _("Say why the prize changes; it is recorded.")})
    if not orgs_policy.units_visible(access_for(acting_user)).filter(pk=unit.pk).exists():
        raise AwardsRefused(_("That unit is not one you may give a prize to."))
    if tier is not None and (tier.contest_id != contest.pk or not tier.for_units):
        raise AwardsRefused(_("That prize is not one this contest gives to units."))
    _results_state(contest, acting_user)
    award = UnitAward.objects.filter(contest=contest, unit=unit).select_related("tier").first()
    before = award.tier.name if award else ""
    award = _prize_by_hand(
        award, tier, reason, acting_user, lambda: UnitAward(contest=contest, unit=unit)
    )
    audit_log(
        actor=acting_user,
        action="awards.unit_award.changed",
        obj=contest,
        data={
            "unit": unit.name,
            "from": before,
            "to": tier.name if tier else "",
            "reason": reason.strip(),
        },
    )
    return award


def publish_problems(contest: Contest) -> list[str]:
    """Why the current prizes cannot be published as they stand (empty: they can)."""
    awards = list(
        Award.objects.filter(contest=contest).select_related(*entrant_related("entry__"), "tier")
    )
    unit_awards = selectors.unit_awards(contest)
    problems = []
    given = Counter(award.tier_id for award in [*awards, *unit_awards])
    for tier in contest.prize_tiers.all():
        if given[tier.pk] > tier.count:
            problems.append(
                _("%(tier)s is given %(given)d times, but has %(count)d places.")
                % {"tier": tier.name, "given": given[tier.pk], "count": tier.count}
            )
    if contest.prizes_per_author is not None:
        # by the entrant's key: two members called 王伟 are two entrants, a team is one
        entrants = {str(a.entry_id): entrant_of(a.entry) for a in awards}
        keys = {entry: entrant.key for entry, entrant in entrants.items()}
        names = {entrant.key: entrant.name for entrant in entrants.values()}
        over = core_prizes.prizes_over_cap(dict.fromkeys(keys, ""), keys, contest.prizes_per_author)
        for key in sorted(over, key=lambda key: (names[key], key)):
            problems.append(
                _("%(name)s holds more than %(count)d prizes.")
                % {"name": names[key], "count": contest.prizes_per_author}
            )
    for award in awards:  # a tier made a units' one since it was given
        if award.tier.for_units:
            problems.append(
                _("Entry %(code)s holds %(tier)s, a prize for units; take it away.")
                % {"code": award.entry.code, "tier": award.tier.name}
            )
    for unit_award in unit_awards:
        if not unit_award.tier.for_units:
            problems.append(
                _("%(unit)s holds %(tier)s, a prize for entries; take it away.")
                % {"unit": unit_award.unit.name, "tier": unit_award.tier.name}
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
    undecided = selectors.flags_undecided(contest)
    if undecided:  # one may yet disqualify a winner: decide them first
        problems.append(
            ngettext(
                "%(count)d screening flag is still undecided; decide it in screening first.",
                "%(count)d screening flags are still undecided; decide them in screening first.",
                undecided,
            )
            % {"count": undecided}
        )
    return problems


def _publish_check(contest: Contest, reason: str):
    """The final round and the latest publication, or the refusal ``results_publish`` gives."""
    round = _final_round_or_refuse(contest)
    if contest.state not in OUTCOME_STATES:
        raise AwardsRefused(_("Results are published once the contest has been judged."))
    previous = selectors.latest_publication(contest)
    if previous is not None and not reason.strip():
        raise AwardsRefused({"reason": _("Say what this correction changes; it is published.")})
    given = (
        Award.objects.filter(contest=contest).exists()
        or UnitAward.objects.filter(contest=contest).exists()
    )
    if not given:
        raise AwardsRefused(_("No prizes are given yet: propose them from the ranking first."))
    problems = publish_problems(contest)
    if problems:
        raise AwardsRefused(problems)
    return round, previous


@dataclass
class PublishPreview:
    """What publishing now would do: the version, the prizes, and whom it tells — the
    entrants newly certified (through a login: a member's own, a team leader's, a unit
    entrant's unit admins), the unit admins of their units, and the units given a prize of
    their own."""

    version: int
    prizes: int
    certified: int  # certificates issued now (new winners, or a changed prize)
    entrants: list = field(default_factory=list)  # (user told, their entry)
    admins: list = field(default_factory=list)  # (unit admin's grant, winners of theirs)
    unit_prizes: list = field(default_factory=list)  # the units' prizes certified now

    @property
    def entrants_told(self) -> int:
        return len({user.pk for user, _entry in self.entrants})

    @property
    def units_told(self) -> int:
        return len({grant.unit_id for grant, _count in self.admins})

    @property
    def admins_told(self) -> int:
        return len({grant.user_id for grant, _count in self.admins})


def results_publish_preview(contest: Contest, reason: str = "") -> PublishPreview:
    """What ``results_publish`` would do now, found as it finds it; refused as it would be."""
    _round, previous = _publish_check(contest, reason)
    winners = _prizes_held(contest)
    _valid, due = _certificates_due(contest, winners)
    entries = [award.entry for award in due if isinstance(award, Award)]
    entrants, admins = _told_of(entries)
    return PublishPreview(
        version=(previous.version + 1) if previous else 1,
        prizes=len(winners),
        certified=len(due),
        entrants=entrants,
        admins=admins,
        unit_prizes=[award for award in due if isinstance(award, UnitAward)],
    )


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
    round, previous = _publish_check(contest, reason)
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
        unit_prizes=selectors.live_unit_prizes(contest),
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
    _winners_mark(contest)
    winners = _prizes_held(contest)
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
    a prize away or an entry left the results). Files of other kinds (documents, video)
    are not published: they stay private."""
    winners = {int(row["entry"]) for row in snapshot["rows"] if row["prize"]}
    photos = EntryFile.objects.filter(
        entry__contest=contest, kind=EntryFile.Kind.PHOTO
    ).values_list("asset_id", "entry__number")
    shown = {asset_id for asset_id, number in photos if number in winners}
    media_services.assets_publish(
        acting_user=acting_user,
        published=shown,
        withdrawn={asset_id for asset_id, _number in photos} - shown,
        at=at,
    )


def _winners_mark(contest: Contest) -> None:
    """Entries with a prize become ``awarded``; those that lost one go back to ``qualified``."""
    awarded = list(Award.objects.filter(contest=contest).values_list("entry_id", flat=True))
    Entry.objects.filter(pk__in=awarded).update(state=Entry.State.AWARDED)
    Entry.objects.filter(contest=contest, state=Entry.State.AWARDED).exclude(pk__in=awarded).update(
        state=Entry.State.QUALIFIED
    )


# a prize's holder, as certificates are kept for it: ("entry", pk) or ("unit", pk)
Holder = tuple[str, int]


def _holder_of(certificate: Certificate) -> Holder:
    if certificate.entry_id is not None:
        return ("entry", certificate.entry_id)
    return ("unit", certificate.awarded_unit_id)


def _prizes_held(contest: Contest) -> dict[Holder, Award | UnitAward]:
    """Every prize given now by its holder: the entries' (by entry number), then the
    units' own (tier by tier, units by name) — the order new certificates are numbered in."""
    entries = (
        Award.objects.filter(contest=contest)
        .select_related("tier", "entry__author__user", "entry__team__leader__user", "entry__unit")
        .order_by("entry__number")
    )
    held: dict[Holder, Award | UnitAward] = {("entry", a.entry_id): a for a in entries}
    held.update((("unit", a.unit_id), a) for a in selectors.unit_awards(contest))
    return held


def _certificate_number(contest: Contest, sequence: int) -> str:
    """Year of the contest, its id, and the certificate's sequence: 2024 0007 0012."""
    year = timezone.localtime(contest.closes_at).year
    return f"{year}{contest.pk:04d}{sequence:04d}"


def _certificates_due(
    contest: Contest, winners: dict[Holder, Award | UnitAward]
) -> tuple[dict[Holder, Certificate], list[Award | UnitAward]]:
    """The contest's valid certificates by holder, and the prizes that need a new one (none
    valid for their prize), in ``winners``' order."""
    valid = {
        _holder_of(c): c
        for c in Certificate.objects.filter(contest=contest, revoked_at__isnull=True)
    }
    due = [
        award
        for holder, award in winners.items()
        if holder not in valid or valid[holder].prize != award.tier.name
    ]
    return valid, due


def _certificate_of(award: Award | UnitAward) -> Certificate:
    """A new certificate's recipient and work: an entry's entrant (a member, a team, a unit)
    and the entry's title, or a unit for its own prize (no work)."""
    if isinstance(award, UnitAward):
        return Certificate(
            awarded_unit=award.unit,
            recipient_kind=Certificate.RecipientKind.UNIT,
            recipient=award.unit.name,
            unit=award.unit.name,
            title="",
        )
    entrant = entrant_of(award.entry)
    return Certificate(
        entry=award.entry,
        recipient_kind=entrant.kind,
        recipient=entrant.name,
        unit=award.entry.unit.name,
        title=award.entry.title,
    )


def _certificates_issue(
    contest: Contest, publication: Publication, winners: dict[Holder, Award | UnitAward]
) -> list[Certificate]:
    """A certificate for every prize without a valid one for the same prize; certificates
    whose prize changed or went are revoked. Returns the certificates issued now."""
    valid, due = _certificates_due(contest, winners)
    now = timezone.now()
    for holder, certificate in valid.items():
        award = winners.get(holder)
        if award is None or award.tier.name != certificate.prize:
            certificate.revoked_at = now
            certificate.save(update_fields=["revoked_at"])
    sequence = Certificate.objects.filter(contest=contest).count()
    issued = []
    for award in due:
        sequence += 1
        certificate = _certificate_of(award)
        certificate.number = _certificate_number(contest, sequence)
        certificate.contest, certificate.publication = contest, publication
        certificate.prize = award.tier.name
        certificate.issued_on = timezone.localdate(publication.published_at)
        issued.append(certificate)
    return Certificate.objects.bulk_create(issued)


def _winners_notify(contest: Contest, publication: Publication, issued: list[Certificate]) -> None:
    """Each winner is told their prize through a login (a member's own, a team leader's, the
    unit admins of a unit entrant or of a unit given its own prize); each unit admin is told
    how many of the winning entries are from their subtree."""
    results_link = reverse("awards:public_results", args=[contest.slug])
    entries = Entry.objects.filter(
        pk__in=[c.entry_id for c in issued if c.entry_id is not None]
    ).select_related("author__user", "team__leader__user", "unit")
    by_entry = {c.entry_id: c for c in issued if c.entry_id is not None}
    entrants, admins = _told_of(entries)
    for user, entry in entrants:
        certificate = by_entry[entry.pk]
        own = entry.entrant_kind == Entry.EntrantKind.MEMBER  # their own entry's page
        notification_send(
            recipient=user,
            title=_("“%(title)s” won %(prize)s in %(contest)s")
            % {"title": entry.title, "prize": certificate.prize, "contest": contest.title},
            body=_("Certificate number %(number)s.") % {"number": certificate.number},
            link=reverse("contests:my_entry", args=[entry.pk]) if own else results_link,
        )
    unit_certificates = [c for c in issued if c.awarded_unit_id is not None]
    for grant, certificate in _unit_admins_of(unit_certificates, lambda c: c.awarded_unit_id):
        notification_send(
            recipient=grant.user,
            title=_("%(unit)s won %(prize)s in %(contest)s")
            % {"unit": certificate.recipient, "prize": certificate.prize, "contest": contest.title},
            body=_("Certificate number %(number)s.") % {"number": certificate.number},
            link=results_link,
        )
    for grant, count in admins:
        notification_send(
            recipient=grant.user,
            title=_("%(count)d works of %(unit)s won prizes in %(contest)s")
            % {"count": count, "unit": grant.unit.name, "contest": contest.title},
            body=_("Version %(version)d of the results, digest %(digest)s.")
            % {"version": publication.version, "digest": publication.digest[:16]},
            link=results_link,
        )


def _unit_admins_of(things: list, unit_id_of) -> list[tuple[RoleGrant, object]]:
    """The unit admins of exactly each thing's unit (not of the units above it), with it."""
    grants = RoleGrant.objects.filter(
        role=Role.UNIT_ADMIN, unit_id__in={unit_id_of(thing) for thing in things}
    ).select_related("user")
    by_unit: dict[int, list[RoleGrant]] = {}
    for grant in grants.order_by("pk"):
        by_unit.setdefault(grant.unit_id, []).append(grant)
    return [(grant, thing) for thing in things for grant in by_unit.get(unit_id_of(thing), [])]


def _entrant_users(entries: list[Entry]) -> list[tuple]:
    """(user, entry) for each login that speaks for a winning entry's entrant: a member's own,
    a team's leader's, a unit entrant's unit admins (select ``author__user`` and
    ``team__leader__user`` with the entries)."""
    told = []
    for entry in entries:
        if entry.entrant_kind == Entry.EntrantKind.MEMBER and entry.author.user_id:
            told.append((entry.author.user, entry))
        elif entry.entrant_kind == Entry.EntrantKind.TEAM and entry.team.leader.user_id:
            told.append((entry.team.leader.user, entry))
    units = [e for e in entries if e.entrant_kind == Entry.EntrantKind.UNIT]
    told += [(grant.user, entry) for grant, entry in _unit_admins_of(units, lambda e: e.unit_id)]
    return told


def _told_of(entries) -> tuple[list[tuple], list[tuple[RoleGrant, int]]]:
    """Whom publishing tells about ``entries`` (the winners certified now): the logins that
    speak for their entrants (``_entrant_users``), and each unit admin with how many of them
    are from their subtree."""
    entries = list(entries)
    entrants = _entrant_users(entries)
    grants = RoleGrant.objects.filter(role=Role.UNIT_ADMIN, unit__isnull=False).select_related(
        "unit", "user"
    )
    paths = [entry.unit.path for entry in entries]
    admins = []
    for grant in grants:
        count = sum(1 for path in paths if path.startswith(grant.unit.path))
        if count:
            admins.append((grant, count))
    return entrants, admins


# --- seals -------------------------------------------------------------------------------

# why an upload is no seal, for the codes where the photo checker's sentence speaks of photos
SEAL_REFUSALS = {
    "not_an_image": gettext_lazy(
        "This file is not an image: upload the seal as a PNG with a transparent background."
    ),
    "unknown_format": gettext_lazy(
        "This file is not an image: upload the seal as a PNG with a transparent background."
    ),
    "format_not_accepted": gettext_lazy(
        "A seal is uploaded as a PNG with a transparent background; this image is another format."
    ),
    "format_mismatch": gettext_lazy(
        "The file's name does not match what it holds: upload the seal as a PNG with a "
        "transparent background."
    ),
    "too_small": gettext_lazy(
        "The seal image is too small to print sharply: give at least 200 pixels across."
    ),
    "opaque": gettext_lazy(
        "The seal has no transparent background, so it would hide the issuer's name it is "
        "stamped over: save it as a PNG with a transparent background."
    ),
}


def _seals_check(acting_user) -> None:
    if not policy.may_manage_seals(access_for(acting_user)):
        raise AwardsRefused(_("Only organisers manage the seals printed on certificates."))


@transaction.atomic
def seal_upload(*, acting_user, issuer: str, data: bytes, filename: str = "") -> Seal:
    """Give ``issuer`` a seal, or replace its seal: the upload checked by content and
    re-encoded (``core.seal_images``), kept in the private storage. Refused with a sentence
    on the ``image`` field when it is no usable PNG seal."""
    _seals_check(acting_user)
    issuer = issuer_name_clean(issuer)
    if not issuer:
        raise AwardsRefused({"issuer": _("Name the issuing body, as certificates print it.")})
    try:
        image = seal_png(data, filename, language=get_language() or "zh-hans")
    except SealRefused as refused:
        raise AwardsRefused(
            {"image": str(SEAL_REFUSALS.get(refused.code, refused.reason))}
        ) from None
    digest = hashlib.sha256(image.png).hexdigest()
    seal = Seal.objects.select_for_update().filter(issuer=issuer).first()
    previous = seal.image.name if seal else ""
    seal = seal or Seal(issuer=issuer)
    name = f"seals/{digest}.png"
    storage = seal_storage()
    if not storage.exists(name):
        name = storage.save(name, ContentFile(image.png))
    seal.image.name = name
    seal.sha256, seal.width, seal.height = digest, image.width, image.height
    seal.uploaded_by, seal.uploaded_at = acting_user, timezone.now()
    seal.full_clean()
    seal.save()
    audit_log(
        actor=acting_user,
        action="awards.seal.uploaded",
        obj=seal,
        data={"issuer": issuer, "sha256": digest, "replaced": bool(previous)},
    )
    if previous and previous != name:
        transaction.on_commit(lambda: _seal_file_drop(previous))
    return seal


@transaction.atomic
def seal_remove(*, acting_user, seal: Seal) -> None:
    """Certificates of ``seal``'s issuer are printed without a seal again."""
    _seals_check(acting_user)
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    name = seal.image.name
    audit_log(
        actor=acting_user,
        action="awards.seal.removed",
        obj=seal,
        data={"issuer": seal.issuer, "sha256": seal.sha256},
    )
    seal.delete()
    transaction.on_commit(lambda: _seal_file_drop(name))


def _seal_file_drop(name: str) -> None:
    """Delete a seal's file that no seal uses any more (two issuers may share one)."""
    if not Seal.objects.filter(image=name).exists():
        seal_storage().delete(name)


# --- documents: the certificates' bundle, and who took which export -----------------------


@transaction.atomic
def certificates_bundle_start(*, acting_user, contest: Contest) -> dict:
    """Queue drawing every valid certificate of ``contest`` into one PDF (after commit);
    a job already under way is left to finish. Returns the job's state."""
    status = certificates.bundle_status(contest)
    if certificates.bundle_busy(status):
        return status
    job = uuid.uuid4().hex
    status = {
        "job": job,
        "state": certificates.Bundle.QUEUED,
        "done": 0,
        "total": certificates.valid_certificates(contest).count(),
        "path": (status or {}).get("path", ""),  # the previous file stays until replaced
        "finished_at": None,
        "updated_at": timezone.now(),
    }
    certificates.bundle_status_keep(contest, status)
    audit_log(
        actor=acting_user,
        action="awards.certificates.bundled",
        obj=contest,
        data={"certificates": status["total"]},
    )
    transaction.on_commit(lambda: certificates_bundle.delay(contest.pk, job))
    return status


@transaction.atomic
def export_record(*, acting_user, contest: Contest, kind: str, full_numbers: bool = False) -> None:
    """An export leaves the system with people's names (and numbers): it is audited; one
    with whole personal numbers as its own action."""
    action = "awards.exported_unmasked" if full_numbers else "awards.exported"
    audit_log(actor=acting_user, action=action, obj=contest, data={"kind": kind})
