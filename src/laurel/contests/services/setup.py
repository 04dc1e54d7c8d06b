"""Setting a contest up and moving it through its states; every write atomic and audited."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.audit.services import audit_log
from laurel.contests.entrants import entrant_key_expression
from laurel.contests.models import PHOTO_RULE_FIELDS, Contest, Entry
from laurel.contests.services._common import (
    _contest_check,
    _contest_parts_set,
    _rules_split,
)
from laurel.contests.signals import contest_changed

# the order of a contest's life; each step is one transition, audited
TRANSITIONS = {
    Contest.State.DRAFT: (Contest.State.OPEN,),
    Contest.State.OPEN: (Contest.State.CLOSED,),
    Contest.State.CLOSED: (Contest.State.OPEN, Contest.State.JUDGING),
    Contest.State.JUDGING: (Contest.State.RESULTS,),
    Contest.State.RESULTS: (),  # published only by awards.services.results_publish (a snapshot)
    Contest.State.PUBLISHED: (),
}
CONTEST_FIELDS = (
    "title",
    "description",
    "organiser",
    "co_organisers",
    "opens_at",
    "closes_at",
    "max_entries_per_member",
    *PHOTO_RULE_FIELDS,  # kept in the contest's PhotoRules
    "content",
    "entrants",
    "members_submit",
    "units_submit",
    "exhibition_opens_on",
    "exhibition_closes_on",
    "exhibition_venue",
    "prizes_per_author",
    "certificate_issuer",
)


# what is chosen while a contest is a draft and stays as it is once it has opened
DRAFT_ONLY = {
    "entrants": gettext_lazy(
        "Who enters (members, teams or units) is chosen while the contest is a draft; once "
        "it has opened it stays as it is."
    ),
    "content": gettext_lazy(
        "What entries carry (photos, documents, video or no files) is chosen while the "
        "contest is a draft; once it has opened it stays as it is."
    ),
}


@transaction.atomic
def contest_create(
    *,
    acting_user,
    slug: str,
    categories: Sequence[str],
    prize_tiers: Sequence[tuple] = (),  # (name, count) or (name, count, for_units)
    quotas: Sequence[tuple[object, int]] = (),
    **fields,
) -> Contest:
    rules = _rules_split(fields)
    contest = Contest(slug=slug, created_by=acting_user, **fields)
    contest.photo_rules = rules
    contest.full_clean()
    _contest_check(contest)
    contest.save()
    rules.save()
    _contest_parts_set(contest, categories, prize_tiers, quotas)
    audit_log(
        actor=acting_user,
        action="contests.contest.created",
        obj=contest,
        data={"slug": slug, "title": contest.title, "categories": list(categories)},
    )
    return contest


@transaction.atomic
def contest_update(
    *,
    acting_user,
    contest: Contest,
    categories: Sequence[str] | None = None,
    prize_tiers: Sequence[tuple] | None = None,
    quotas: Sequence[tuple[object, int]] | None = None,
    **fields,
) -> Contest:
    """Change a contest's settings. Rules that entries were judged by stay as they were
    once judging starts."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.state in (Contest.State.JUDGING, Contest.State.RESULTS, Contest.State.PUBLISHED):
        locked = set(fields) - {
            "description",
            "exhibition_opens_on",
            "exhibition_closes_on",
            "exhibition_venue",
            "title",
            "prizes_per_author",
            "certificate_issuer",
        }
        if locked or categories is not None or quotas is not None:
            raise ValidationError(
                _(
                    "Once judging has started only the description, the "
                    "title and the exhibition can change."
                )
            )
    if contest.state != Contest.State.DRAFT:
        for name, message in DRAFT_ONLY.items():
            if fields.get(name, getattr(contest, name)) != getattr(contest, name):
                raise ValidationError({name: message})
    rules = contest.photo_rules
    changed = {}
    for name, value in fields.items():
        if name not in CONTEST_FIELDS:
            raise TypeError(f"contest_update() got an unexpected field {name!r}")
        target = rules if name in PHOTO_RULE_FIELDS else contest
        if getattr(target, name) != value:
            changed[name] = [getattr(target, name), value]
            setattr(target, name, value)
    contest.full_clean()
    rules.full_clean()
    _contest_check(contest)
    contest.save()
    rules.save()
    _contest_parts_set(contest, categories, prize_tiers, quotas)
    audit_log(
        actor=acting_user,
        action="contests.contest.updated",
        obj=contest,
        data={
            "changed": changed,
            "categories": list(categories) if categories is not None else None,
            "prize_tiers": [list(t) for t in prize_tiers] if prize_tiers is not None else None,
            "quotas": [[u.code, n] for u, n in quotas] if quotas is not None else None,
        },
    )
    # its dates, venue or title may show elsewhere (awards: the exhibition's cached pages)
    contest_changed.send(sender=Contest, contest=contest)
    return contest


def _transition_check(contest: Contest, to: str) -> None:
    if to not in Contest.State.values:
        raise ValidationError(_("There is no such state."))
    if to not in TRANSITIONS[contest.state]:
        raise ValidationError(
            _("A contest that is “%(state)s” cannot become “%(to)s”.")
            % {"state": contest.get_state_display(), "to": Contest.State(to).label}
        )
    if to == Contest.State.OPEN and not contest.categories.exists():
        raise ValidationError(_("Add categories before opening the contest."))


@dataclass(frozen=True)
class ClosePreview:
    """Who closing a contest's entries stops: its live entries, their entrants and units,
    and how many entries are still being checked (they are judged once accepted)."""

    entries: int
    entrants: int
    units: int
    processing: int


def contest_close_preview(contest: Contest) -> ClosePreview:
    """What closing ``contest`` to entries now stops; refused as ``contest_transition``
    would refuse it."""
    _transition_check(contest, Contest.State.CLOSED)
    live = Entry.objects.filter(contest=contest, state__in=Entry.LIVE_STATES)
    counts = live.aggregate(
        entries=Count("pk"),
        entrants=Count(entrant_key_expression(), distinct=True),
        units=Count("unit", distinct=True),
        processing=Count("pk", filter=Q(state__in=(Entry.State.RECEIVED, Entry.State.PROCESSING))),
    )
    return ClosePreview(**counts)


@transaction.atomic
def contest_transition(*, acting_user, contest: Contest, to: str) -> Contest:
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    _transition_check(contest, to)
    before, contest.state = contest.state, to
    contest.save(update_fields=["state"])
    audit_log(
        actor=acting_user,
        action="contests.contest.state_changed",
        obj=contest,
        data={"from": before, "to": to},
    )
    return contest
