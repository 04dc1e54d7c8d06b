"""Copying a contest: a previous contest's rules as a new draft, its dates moved on."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.contests import policy
from laurel.contests.models import Contest
from laurel.contests.services._common import (
    _contest_check,
    _contest_parts_set,
    _rules_split,
    contest_settings,
    prize_tier_rows,
)
from laurel.contests.services.setup import CONTEST_FIELDS

MOVED_DATES = ("taken_from", "taken_until", "exhibition_opens_on", "exhibition_closes_on")


def _a_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def contest_copy_dates(source: Contest, shift_days: int | None = None) -> dict:
    """``source``'s dates moved by a year (or by ``shift_days`` days): the entry window at the
    same local time of day, the taken-on window and the exhibition."""

    def move(day: datetime.date) -> datetime.date:
        if shift_days is None:
            return _a_year_later(day)
        return day + datetime.timedelta(days=shift_days)

    dates = {}
    for name in ("opens_at", "closes_at"):
        local = timezone.localtime(getattr(source, name))
        dates[name] = datetime.datetime.combine(move(local.date()), local.timetz())
    for name, day in contest_settings(source, MOVED_DATES).items():
        dates[name] = move(day) if day else None
    return dates


@transaction.atomic
def contest_copy(
    *,
    acting_user,
    source: Contest,
    slug: str,
    title: str,
    shift_days: int | None = None,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
) -> Contest:
    """A new draft contest with ``source``'s rules: every setting, its categories, prize
    tiers, unit quotas and certificate issuer (the declarations asked are every contest's).
    None of its entries, flags, rounds or results. Its dates move by a year, or by
    ``shift_days`` days; ``opens_at`` and ``closes_at``, given, are its entry window."""
    access = access_for(acting_user)
    visible = policy.contests_visible(access).filter(pk=source.pk).exists()
    if not (policy.may_organise(access) and visible):
        raise ValidationError(_("You may not copy this contest."))
    fields = contest_settings(source, CONTEST_FIELDS)
    fields.update(contest_copy_dates(source, shift_days), title=title)
    fields["formats"] = list(fields["formats"])
    if opens_at is not None:
        fields["opens_at"] = opens_at
    if closes_at is not None:
        fields["closes_at"] = closes_at
    rules = _rules_split(fields)
    contest = Contest(slug=slug, created_by=acting_user, **fields)
    contest.photo_rules = rules
    contest.full_clean()
    _contest_check(contest)
    contest.save()
    rules.save()
    _contest_parts_set(
        contest,
        list(source.categories.values_list("name", flat=True)),
        prize_tier_rows(source.prize_tiers.all()),
        [(quota.unit, quota.limit) for quota in source.quotas.select_related("unit")],
    )
    audit_log(
        actor=acting_user,
        action="contests.contest.copied",
        obj=contest,
        data={"from": source.slug, "slug": slug, "title": title},
    )
    return contest
