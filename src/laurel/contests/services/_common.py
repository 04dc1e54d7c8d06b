"""What several subjects of the contests' services share: the rules a contest's settings
must keep (set up or copied), the date a photo was taken, telling the entrant (a member,
a team's leader, a unit's admins)."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from laurel.accounts.models import Role, RoleGrant
from laurel.contests.content.photo import FORMATS
from laurel.contests.models import (
    PHOTO_RULE_FIELDS,
    Category,
    Contest,
    Entry,
    EntryFile,
    PhotoRules,
    PrizeTier,
    UnitQuota,
)
from laurel.notifications.services import notification_send


def _rules_split(fields: dict) -> PhotoRules:
    """The photo rules taken out of a contest's ``fields`` (unsaved, checked for their
    fields' own limits); every contest keeps a row, used while its content is photos."""
    fields.setdefault("formats", list(FORMATS))
    rules = PhotoRules(**{name: fields.pop(name) for name in PHOTO_RULE_FIELDS if name in fields})
    rules.full_clean(exclude=["contest"])
    return rules


def contest_settings(contest: Contest, names) -> dict:
    """``contest``'s values of the setting ``names``, its photo rules' among them."""
    rules = contest.photo_rules
    return {name: getattr(rules if name in PHOTO_RULE_FIELDS else contest, name) for name in names}


def _contest_check(contest: Contest) -> None:
    errors = {}
    if contest.opens_at and contest.closes_at and contest.closes_at <= contest.opens_at:
        errors["closes_at"] = _("Entries must close after they open.")
    errors.update(contest.content_kind.rules_errors(contest))
    if not (contest.members_submit or contest.units_submit):
        errors["members_submit"] = _("Someone must be able to submit.")
    elif contest.entrants == Contest.Entrants.UNITS and not contest.units_submit:
        errors["units_submit"] = _("A contest of units takes its entries from unit admins.")
    opens, closes = contest.exhibition_opens_on, contest.exhibition_closes_on
    if opens and closes and closes < opens:
        errors["exhibition_closes_on"] = _("The exhibition closes before it opens.")
    if errors:
        raise ValidationError(errors)


def _contest_parts_set(
    contest: Contest,
    categories: Sequence[str] | None,
    prize_tiers: Sequence[tuple] | None,
    quotas: Sequence[tuple[object, int]] | None,
) -> None:
    if categories is not None:
        names = [name.strip() for name in categories if name.strip()]
        if not names:
            raise ValidationError({"categories": _("A contest needs at least one category.")})
        if len(set(names)) != len(names):
            raise ValidationError({"categories": _("Each category name once, please.")})
        kept = []
        for position, name in enumerate(names):
            category, _created = Category.objects.update_or_create(
                contest=contest, name=name, defaults={"position": position}
            )
            kept.append(category.pk)
        dropped = contest.categories.exclude(pk__in=kept)
        if dropped.filter(entries__isnull=False).exists():
            raise ValidationError(
                {"categories": _("A category that has entries cannot be removed.")}
            )
        dropped.delete()
    if prize_tiers is not None:
        prize_tiers = [_tier_parts(*tier) for tier in prize_tiers]
        if any(len(name) > 50 or count < 1 for name, count, _units in prize_tiers):
            raise ValidationError(
                {
                    "prize_tiers": _(
                        "A prize's name has at most 50 characters and its count is at least 1."
                    )
                }
            )
        contest.prize_tiers.all().delete()
        PrizeTier.objects.bulk_create(
            PrizeTier(
                contest=contest, name=name, count=count, for_units=for_units, position=position
            )
            for position, (name, count, for_units) in enumerate(prize_tiers)
        )
    if quotas is not None:
        if len({unit.pk for unit, _limit in quotas}) != len(quotas):
            raise ValidationError({"quotas": _("Each unit's quota once, please.")})
        contest.quotas.all().delete()
        UnitQuota.objects.bulk_create(
            UnitQuota(contest=contest, unit=unit, limit=limit) for unit, limit in quotas
        )


def _tier_parts(name: str, count: int, for_units: bool = False) -> tuple[str, int, bool]:
    return name, count, bool(for_units)


def prize_tier_rows(tiers: Iterable[PrizeTier]) -> list[tuple]:
    """A contest's prize tiers as the services take them: ``(name, count)``, and
    ``(name, count, True)`` for a tier given to units (优秀组织奖), not to entries."""
    return [
        (tier.name, tier.count, True) if tier.for_units else (tier.name, tier.count)
        for tier in tiers
    ]


def _taken_on(photos: list[EntryFile]) -> datetime.date | None:
    dates = [p.asset.exif.get("taken_at") for p in photos if p.asset.exif.get("taken_at")]
    return datetime.date.fromisoformat(min(dates)[:10]) if dates else None


def _entrant_users(entry: Entry) -> list:
    """Who hears for the entrant: a member's login; a team's leader's login; a unit's
    admins (of exactly that unit)."""
    if entry.entrant_kind == Entry.EntrantKind.TEAM:
        leader = entry.team.leader
        return [leader.user] if leader.user_id else []
    if entry.entrant_kind == Entry.EntrantKind.UNIT:
        grants = RoleGrant.objects.filter(
            role=Role.UNIT_ADMIN, unit_id=entry.unit_id, user__is_active=True
        )
        return [grant.user for grant in grants.select_related("user").order_by("user_id")]
    return [entry.author.user] if entry.author.user_id else []


def _entrant_notify(entry: Entry, title: str, body: str, *, submitter_too: bool = False) -> None:
    recipients = _entrant_users(entry)
    if submitter_too and entry.submitted_by_id and entry.submitted_by not in recipients:
        recipients.append(entry.submitted_by)
    link = reverse("contests:my_entry", args=[entry.pk])
    for recipient in recipients:
        notification_send(recipient=recipient, title=title, body=body, link=link)
