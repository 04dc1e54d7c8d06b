"""Screening: the flags an accepted entry earns, the organiser's decision on each and the
entrant's answer to a question."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.contests import policy
from laurel.contests.models import Entry, EntryFile, Flag
from laurel.contests.services._common import _entrant_notify
from laurel.media.models import MediaAsset


def entry_screen(entry: Entry) -> list[Flag]:
    """Raise the flags an accepted entry earns; drop undecided ones it no longer earns.
    Runs in the caller's transaction (submitting, editing, declaring, settling)."""
    contest = entry.contest
    content = contest.content_kind
    files = list(entry.files.select_related("asset"))
    found: dict[str, dict] = {}

    duplicates = EntryFile.objects.filter(
        asset__in=MediaAsset.duplicates.through.objects.filter(
            from_mediaasset__in=[f.asset_id for f in files],
            # the copy uploaded later is the one flagged
            to_mediaasset__created_at__lt=F("from_mediaasset__created_at"),
        ).values("to_mediaasset"),
        entry__state__in=Entry.LIVE_STATES,
    ).exclude(entry=entry)
    here, past = set(), set()
    for number, contest_id, slug in duplicates.values_list(
        "entry__number", "entry__contest_id", "entry__contest__slug"
    ):
        (here if contest_id == contest.pk else past).add((slug, number))
    if here:
        found[Flag.Kind.DUPLICATE] = {"entries": sorted(n for _s, n in here)}
    if past:
        found[Flag.Kind.DUPLICATE_PAST] = {"entries": sorted(f"{s}#{n}" for s, n in past)}

    found.update(content.screen(entry, files))

    missing = entry.missing_declarations()
    if missing:
        found[Flag.Kind.DECLARATIONS_MISSING] = {"missing": missing}
    found = {kind: detail for kind, detail in found.items() if kind in content.flag_kinds}

    undecided = [Flag.State.OPEN, Flag.State.ASKED]  # a question it no longer earns is moot
    entry.flags.filter(state__in=undecided).exclude(kind__in=list(found)).delete()
    flags = []
    for kind, detail in found.items():
        flag, created = Flag.objects.get_or_create(
            entry=entry, kind=kind, defaults={"detail": detail}
        )
        if not created and flag.state in undecided and flag.detail != detail:
            flag.detail = detail
            flag.save(update_fields=["detail"])
        flags.append(flag)
    return flags


@transaction.atomic
def flag_resolve(*, acting_user, flag: Flag, decision: str, reason: str) -> Flag:
    """The organiser's decision on a flag — keep, disqualify, or ask the entrant — with a
    reason the entrant is told."""
    if not policy.may_organise(access_for(acting_user)):
        raise ValidationError(_("Only organisers resolve flags."))
    if decision not in (Flag.State.KEPT, Flag.State.DISQUALIFIED, Flag.State.ASKED):
        raise ValidationError(_("Keep, disqualify or ask the entrant."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why; the entrant is told.")})
    flag = (
        Flag.objects.select_for_update(of=("self",))  # PostgreSQL: no lock on outer joins
        .select_related("entry__author__user", "entry__team__leader__user")
        .get(pk=flag.pk)
    )
    entry = flag.entry
    if flag.state == Flag.State.DISQUALIFIED:
        raise ValidationError(_("The entry was disqualified; that decision is final."))
    flag.state, flag.reason = decision, reason.strip()
    flag.resolved_by, flag.resolved_at = acting_user, timezone.now()
    flag.save()
    if decision == Flag.State.DISQUALIFIED and entry.is_live:
        entry.state = Entry.State.DISQUALIFIED
        entry.refusal_reason = flag.reason
        entry.save(update_fields=["state", "refusal_reason", "updated_at"])
    audit_log(
        actor=acting_user,
        action=f"contests.flag.{decision}",
        obj=entry,
        unit=entry.unit,
        data={"flag": flag.kind, "reason": flag.reason},
    )
    titles = {
        Flag.State.KEPT: _("Entry %(code)s “%(title)s” passed screening"),
        Flag.State.DISQUALIFIED: _("Entry %(code)s “%(title)s” was disqualified"),
        Flag.State.ASKED: _("A question about entry %(code)s “%(title)s”"),
    }
    _entrant_notify(
        entry,
        titles[decision] % {"code": entry.code, "title": entry.title},
        f"{flag.get_kind_display()}: {flag.reason}",
        submitter_too=True,
    )
    return flag


@transaction.atomic
def flag_answer(*, acting_user, flag: Flag, answer: str) -> Flag:
    """The entrant answers the organiser's question (a member, a team's leader, a unit's
    admin); the flag is the organiser's again."""
    flag = (
        Flag.objects.select_for_update(of=("self", "entry"))  # PostgreSQL: no outer joins
        .select_related("entry__author", "entry__team__leader", "entry__unit")
        .get(pk=flag.pk)
    )
    if not policy.is_entrant_of(access_for(acting_user), flag.entry):
        raise ValidationError(_("Only the entrant answers."))
    if flag.state != Flag.State.ASKED:
        raise ValidationError(_("There is no question to answer."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write an answer.")})
    flag.answer, flag.state = answer.strip(), Flag.State.OPEN
    flag.save(update_fields=["answer", "state"])
    audit_log(
        actor=acting_user,
        action="contests.flag.answered",
        obj=flag.entry,
        unit=flag.entry.unit,
        data={"flag": flag.kind},
    )
    return flag
