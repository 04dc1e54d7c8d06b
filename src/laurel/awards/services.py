"""Writes of a contest's outcome: prizes proposed and changed by hand, results published as a
snapshot (a correction is a new version), certificates issued, the issuing bodies' seals
uploaded and removed. Each is atomic and audited.
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
from laurel.awards.models import Award, AwardChange, Certificate, Publication, Seal, seal_storage
from laurel.awards.tasks import certificates_bundle
from laurel.contests.models import Contest, Entry, EntryPhoto, PrizeTier
from laurel.core import prizes as core_prizes
from laurel.core import snapshots
from laurel.core.seal_images import SealRefused, seal_png
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
    if not Award.objects.filter(contest=contest).exists():
        raise AwardsRefused(_("No prizes are given yet: propose them from the ranking first."))
    problems = publish_problems(contest)
    if problems:
        raise AwardsRefused(problems)
    return round, previous


@dataclass
class PublishPreview:
    """What publishing now would do: the version, the prizes, and whom it tells — the
    entrants newly certified (with a login) and the unit admins of their units."""

    version: int
    prizes: int
    certified: int  # certificates issued now (new winners, or a changed prize)
    entrants: list = field(default_factory=list)  # the entries whose entrant is told
    admins: list = field(default_factory=list)  # (unit admin's grant, winners of theirs)

    @property
    def entrants_told(self) -> int:
        return len({entry.author.user_id for entry in self.entrants})

    @property
    def units_told(self) -> int:
        return len({grant.unit_id for grant, _count in self.admins})

    @property
    def admins_told(self) -> int:
        return len({grant.user_id for grant, _count in self.admins})


def results_publish_preview(contest: Contest, reason: str = "") -> PublishPreview:
    """What ``results_publish`` would do now, found as it finds it; refused as it would be."""
    _round, previous = _publish_check(contest, reason)
    winners = {
        award.entry_id: award
        for award in Award.objects.filter(contest=contest).select_related(
            "tier", "entry__author__user", "entry__unit"
        )
    }
    _valid, due = _certificates_due(contest, winners)
    entrants, admins = _told_of([award.entry for award in due])
    return PublishPreview(
        version=(previous.version + 1) if previous else 1,
        prizes=len(winners),
        certified=len(due),
        entrants=entrants,
        admins=admins,
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


def _certificates_due(
    contest: Contest, winners: dict[int, Award]
) -> tuple[dict[int, Certificate], list[Award]]:
    """The contest's valid certificates by entry, and the winners that need a new one (none
    valid for their prize), by entry number."""
    valid = {
        c.entry_id: c for c in Certificate.objects.filter(contest=contest, revoked_at__isnull=True)
    }
    due = [
        award
        for entry_id, award in sorted(winners.items(), key=lambda kv: kv[1].entry.number)
        if entry_id not in valid or valid[entry_id].prize != award.tier.name
    ]
    return valid, due


def _certificates_issue(
    contest: Contest, publication: Publication, winners: dict[int, Award]
) -> list[Certificate]:
    """A certificate for every winner without a valid one for the same prize; certificates
    whose prize changed or went are revoked. Returns the certificates issued now."""
    valid, due = _certificates_due(contest, winners)
    now = timezone.now()
    for entry_id, certificate in valid.items():
        award = winners.get(entry_id)
        if award is None or award.tier.name != certificate.prize:
            certificate.revoked_at = now
            certificate.save(update_fields=["revoked_at"])
    sequence = Certificate.objects.filter(contest=contest).count()
    issued = []
    for award in due:
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
    entrants, admins = _told_of(entries)
    for entry in entrants:
        certificate = by_entry[entry.pk]
        notification_send(
            recipient=entry.author.user,
            title=_("“%(title)s” won %(prize)s in %(contest)s")
            % {"title": entry.title, "prize": certificate.prize, "contest": contest.title},
            body=_("Certificate number %(number)s.") % {"number": certificate.number},
            link=reverse("contests:my_entry", args=[entry.pk]),
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


def _told_of(entries) -> tuple[list[Entry], list[tuple[RoleGrant, int]]]:
    """Whom publishing tells about ``entries`` (the winners certified now): the entries whose
    entrant has a login, and each unit admin with how many of them are from their subtree."""
    entries = list(entries)
    entrants = [entry for entry in entries if entry.author.user_id]
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
