"""Writes on contests and entries: setting a contest up, moving it through its states,
submitting, editing and withdrawing entries, settling them once their photos are processed,
screening, and resolving what screening found. Every write is atomic and audited.

Places are counted under locks: a submission locks its contest row first (so entry numbers,
per-member limits and unit quotas are decided one submission at a time per contest), then
counts. Photos are stored before that lock is taken, so a slow upload never holds it.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.awards.caching import exhibition_changed
from laurel.contests import bulk, policy
from laurel.contests.models import (
    BulkSubmission,
    Category,
    Contest,
    Declaration,
    Entry,
    EntryPhoto,
    Flag,
    PrizeTier,
    UnitQuota,
)
from laurel.media import services as media_services
from laurel.media.models import MediaAsset
from laurel.members.models import Member
from laurel.notifications.services import notification_send

# the order of a contest's life; each step is one transition, audited
TRANSITIONS = {
    Contest.State.DRAFT: (Contest.State.OPEN,),
    Contest.State.OPEN: (Contest.State.CLOSED,),
    Contest.State.CLOSED: (Contest.State.OPEN, Contest.State.JUDGING),
    Contest.State.JUDGING: (Contest.State.RESULTS,),
    Contest.State.RESULTS: (),  # published only by awards.services.results_publish (a snapshot)
    Contest.State.PUBLISHED: (),
}
FORMATS = ("jpeg", "png", "webp", "heic")
CONTEST_FIELDS = (
    "title",
    "description",
    "organiser",
    "co_organisers",
    "opens_at",
    "closes_at",
    "max_entries_per_member",
    "allow_single",
    "allow_series",
    "series_min",
    "series_max",
    "min_long_edge",
    "taken_from",
    "taken_until",
    "formats",
    "members_submit",
    "units_submit",
    "exhibition_opens_on",
    "exhibition_closes_on",
    "exhibition_venue",
    "prizes_per_author",
    "certificate_issuer",
)


class SubmissionRefused(ValidationError):
    """An entry that may not be added or changed; the message says why, to the person."""


@dataclass(frozen=True)
class Upload:
    """A file as a submission receives it: its name and its bytes in chunks."""

    name: str
    chunks: Iterable[bytes]


# --- contests ---------------------------------------------------------------------------


def _contest_check(contest: Contest) -> None:
    errors = {}
    if contest.opens_at and contest.closes_at and contest.closes_at <= contest.opens_at:
        errors["closes_at"] = _("Entries must close after they open.")
    if not (contest.allow_single or contest.allow_series):
        errors["allow_single"] = _("Allow single photos, series, or both.")
    if contest.series_min < 2 or contest.series_max < contest.series_min:
        errors["series_max"] = _("A series has at least 2 photos, and its maximum ≥ its minimum.")
    if contest.taken_from and contest.taken_until and contest.taken_until < contest.taken_from:
        errors["taken_until"] = _("The date window ends before it starts.")
    if not contest.formats or set(contest.formats) - set(FORMATS):
        errors["formats"] = _("Choose formats among %(formats)s.") % {"formats": ", ".join(FORMATS)}
    if not (contest.members_submit or contest.units_submit):
        errors["members_submit"] = _("Someone must be able to submit.")
    opens, closes = contest.exhibition_opens_on, contest.exhibition_closes_on
    if opens and closes and closes < opens:
        errors["exhibition_closes_on"] = _("The exhibition closes before it opens.")
    if errors:
        raise ValidationError(errors)


def _contest_parts_set(
    contest: Contest,
    categories: Sequence[str] | None,
    prize_tiers: Sequence[tuple[str, int]] | None,
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
        if any(len(name) > 50 or count < 1 for name, count in prize_tiers):
            raise ValidationError(
                {
                    "prize_tiers": _(
                        "A prize's name has at most 50 characters and its count is at least 1."
                    )
                }
            )
        contest.prize_tiers.all().delete()
        PrizeTier.objects.bulk_create(
            PrizeTier(contest=contest, name=name, count=count, position=position)
            for position, (name, count) in enumerate(prize_tiers)
        )
    if quotas is not None:
        if len({unit.pk for unit, _limit in quotas}) != len(quotas):
            raise ValidationError({"quotas": _("Each unit's quota once, please.")})
        contest.quotas.all().delete()
        UnitQuota.objects.bulk_create(
            UnitQuota(contest=contest, unit=unit, limit=limit) for unit, limit in quotas
        )


@transaction.atomic
def contest_create(
    *,
    acting_user,
    slug: str,
    categories: Sequence[str],
    prize_tiers: Sequence[tuple[str, int]] = (),
    quotas: Sequence[tuple[object, int]] = (),
    **fields,
) -> Contest:
    fields.setdefault("formats", ["jpeg", "png", "webp", "heic"])
    contest = Contest(slug=slug, created_by=acting_user, **fields)
    contest.full_clean()
    _contest_check(contest)
    contest.save()
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
    prize_tiers: Sequence[tuple[str, int]] | None = None,
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
    changed = {}
    for name, value in fields.items():
        if name not in CONTEST_FIELDS:
            raise TypeError(f"contest_update() got an unexpected field {name!r}")
        if getattr(contest, name) != value:
            changed[name] = [getattr(contest, name), value]
            setattr(contest, name, value)
    contest.full_clean()
    _contest_check(contest)
    contest.save()
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
    exhibition_changed(contest.slug)  # its dates, venue or title may show in the exhibition
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
        entrants=Count("author", distinct=True),
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


# --- copying a contest --------------------------------------------------------------------

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
    for name in MOVED_DATES:
        day = getattr(source, name)
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
    fields = {name: getattr(source, name) for name in CONTEST_FIELDS}
    fields.update(contest_copy_dates(source, shift_days), title=title)
    fields["formats"] = list(source.formats)
    if opens_at is not None:
        fields["opens_at"] = opens_at
    if closes_at is not None:
        fields["closes_at"] = closes_at
    contest = Contest(slug=slug, content=source.content, created_by=acting_user, **fields)
    contest.full_clean()
    _contest_check(contest)
    contest.save()
    _contest_parts_set(
        contest,
        list(source.categories.values_list("name", flat=True)),
        [(tier.name, tier.count) for tier in source.prize_tiers.all()],
        [(quota.unit, quota.limit) for quota in source.quotas.select_related("unit")],
    )
    audit_log(
        actor=acting_user,
        action="contests.contest.copied",
        obj=contest,
        data={"from": source.slug, "slug": slug, "title": title},
    )
    return contest


# --- submitting ---------------------------------------------------------------------------


def _refuse(message: str) -> None:
    raise SubmissionRefused(message)


def _window_check(contest: Contest) -> None:
    if not contest.accepts_entries():
        if contest.state == Contest.State.OPEN and timezone.now() < contest.opens_at:
            _refuse(_("Entries open on %(date)s.") % {"date": _local(contest.opens_at)})
        _refuse(_("This contest is not taking entries now."))


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _kind_of(contest: Contest, photo_count: int) -> str:
    if photo_count == 1:
        if not contest.allow_single:
            _refuse(
                _("This contest takes series only (%(min)d–%(max)d photos).")
                % {"min": contest.series_min, "max": contest.series_max}
            )
        return Entry.Kind.SINGLE
    if not contest.allow_series:
        _refuse(_("This contest takes single photos only: one photo per entry."))
    if not contest.series_min <= photo_count <= contest.series_max:
        _refuse(
            _("A series has %(min)d to %(max)d photos; this one has %(count)d.")
            % {"min": contest.series_min, "max": contest.series_max, "count": photo_count}
        )
    return Entry.Kind.SERIES


def _places_check(contest: Contest, author: Member, *, replacing: Entry | None = None) -> None:
    """The per-member limit and every unit quota over the author; the caller holds the
    contest's lock, so nobody else is counting at the same time."""
    live = Entry.objects.filter(contest=contest, state__in=Entry.LIVE_STATES)
    if replacing is not None:
        live = live.exclude(pk=replacing.pk)
    if live.filter(author=author).count() >= contest.max_entries_per_member:
        _refuse(
            _("%(name)s already has %(count)d entries in this contest, the most allowed.")
            % {"name": author.name, "count": contest.max_entries_per_member}
        )
    ancestors = _path_prefixes(author.unit.path)
    for quota in contest.quotas.filter(unit__path__in=ancestors).select_related("unit"):
        used = live.filter(unit__path__startswith=quota.unit.path).count()
        if used >= quota.limit:
            _refuse(
                _("%(unit)s has used all %(limit)d of its places in this contest.")
                % {"unit": quota.unit.name, "limit": quota.limit}
            )


def _contest_lock(contest_id: int) -> Contest:
    """The contest's row, locked until the transaction ends: places are counted under it."""
    return Contest.objects.select_for_update().get(pk=contest_id)


def _path_prefixes(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _entry_fields_check(contest: Contest, category: Category, title: str) -> None:
    if category.contest_id != contest.pk:
        _refuse(_("That category is not one of this contest's."))
    if not title.strip():
        _refuse(_("Give the entry a title."))


def _declarations(codes: Iterable[str], by_user) -> dict:
    now = timezone.now().isoformat()
    return {
        code: {"at": now, "by": by_user.pk if by_user else None}
        for code in codes
        if code in Declaration.values
    }


def entry_submit(
    *,
    acting_user,
    contest: Contest,
    author: Member,
    category: Category,
    title: str,
    uploads: Sequence[Upload],
    description: str = "",
    place: str = "",
    taken_on: datetime.date | None = None,
    declarations: Iterable[str] = (),
    process: bool = True,
) -> Entry:
    """Add an entry with its photos. Raises ``SubmissionRefused`` saying why when the rules
    or a limit refuse it; the photos are then not kept as an entry.

    Processing is queued after the commit (``process=False``: the caller processes, as batch
    ingest does on every core).
    """
    access = access_for(acting_user)
    if not policy.may_submit_for(access, contest, author):
        _refuse(
            _("You may not submit entries for %(name)s in this contest.") % {"name": author.name}
        )
    _window_check(contest)
    kind = _kind_of(contest, len(uploads))
    _entry_fields_check(contest, category, title)
    _places_check(contest, author)  # an early answer, before storing anything
    assets = _uploads_store(acting_user, uploads)
    with transaction.atomic():
        locked = _contest_lock(contest.pk)
        _window_check(locked)
        _places_check(locked, author)
        number = (locked.entries.aggregate(last=Max("number"))["last"] or 0) + 1
        entry = Entry(
            contest=locked,
            number=number,
            category=category,
            kind=kind,
            author=author,
            unit=author.unit,
            submitted_by=acting_user,
            title=title.strip(),
            description=description.strip(),
            place=place.strip(),
            taken_on=taken_on,
            declarations=_declarations(declarations, acting_user),
        )
        entry.full_clean()
        entry.save()
        EntryPhoto.objects.bulk_create(
            EntryPhoto(entry=entry, asset=asset, position=position)
            for position, asset in enumerate(assets)
        )
        audit_log(
            actor=acting_user,
            action="contests.entry.submitted",
            obj=entry,
            unit=author.unit,
            data={
                "contest": contest.slug,
                "number": number,
                "title": entry.title,
                "author": author.pk,
                "photos": [asset.pk for asset in assets],
                "declarations": sorted(entry.declarations),
            },
        )
        if process:
            transaction.on_commit(lambda: entry_queue(entry.pk))
    return entry


def _uploads_store(acting_user, uploads: Sequence[Upload]) -> list[MediaAsset]:
    limit = media_services.photo_limits().max_bytes
    assets = []
    for upload in uploads:
        try:
            assets.append(
                media_services.asset_upload(
                    acting_user=acting_user,
                    chunks=upload.chunks,
                    original_name=upload.name,
                    max_bytes=limit,
                    queue=False,
                )
            )
        except media_services.UploadTooLarge as error:
            _refuse(f"{upload.name}: {error}")
    return assets


def _changeable(acting_user, entry: Entry, *, window: bool = True) -> Entry:
    """The entry locked for a change, or ``SubmissionRefused`` saying why not."""
    entry = (
        Entry.objects.select_for_update().select_related("contest", "author__unit").get(pk=entry.pk)
    )
    if not policy.may_change_entry(access_for(acting_user), entry):
        _refuse(_("You may not change this entry."))
    if window:
        _window_check(entry.contest)
    if entry.state in (Entry.State.WITHDRAWN, Entry.State.DISQUALIFIED):
        _refuse(_("This entry was %(state)s.") % {"state": entry.get_state_display()})
    return entry


def entry_update(
    *,
    acting_user,
    entry: Entry,
    title: str,
    category: Category,
    description: str = "",
    place: str = "",
    taken_on: datetime.date | None = None,
    uploads: Sequence[Upload] = (),
) -> Entry:
    """Edit an entry until the window closes. New photos replace all the old ones, and the
    entry is processed and screened again."""
    if not policy.may_change_entry(access_for(acting_user), entry):
        _refuse(_("You may not change this entry."))  # before storing anything
    if uploads:
        _kind_of(entry.contest, len(uploads))
    assets = _uploads_store(acting_user, uploads) if uploads else []
    with transaction.atomic():
        _contest_lock(entry.contest_id)
        entry = _changeable(acting_user, entry)
        _entry_fields_check(entry.contest, category, title)
        if entry.state == Entry.State.REFUSED and not assets:
            _refuse(_("A refused entry needs new photos."))
        if entry.state == Entry.State.REFUSED:  # it takes a place again
            _places_check(entry.contest, entry.author, replacing=entry)
        before = {"title": entry.title, "category": entry.category.name}
        entry.title, entry.category = title.strip(), category
        entry.description, entry.place = description.strip(), place.strip()
        entry.taken_on = taken_on
        if taken_on is None and not assets:  # as at submission: no date given, the photos'
            entry.taken_on = _taken_on(list(entry.photos.select_related("asset")))
        if assets:
            entry.kind = _kind_of(entry.contest, len(assets))
            entry.photos.all().delete()
            EntryPhoto.objects.bulk_create(
                EntryPhoto(entry=entry, asset=asset, position=position)
                for position, asset in enumerate(assets)
            )
            entry.state, entry.refusal_reason = Entry.State.RECEIVED, ""
            # decisions were on the old photos: the new ones are screened afresh
            entry.flags.exclude(state=Flag.State.DISQUALIFIED).delete()
        entry.full_clean()
        entry.save()
        audit_log(
            actor=acting_user,
            action="contests.entry.updated",
            obj=entry,
            unit=entry.unit,
            data={
                "before": before,
                "title": entry.title,
                "category": category.name,
                "photos": [asset.pk for asset in assets] or None,
            },
        )
        if assets:
            transaction.on_commit(lambda: entry_queue(entry.pk))
        elif entry.state == Entry.State.ACCEPTED:
            _screen(entry)
    return entry


@transaction.atomic
def entry_withdraw(*, acting_user, entry: Entry) -> Entry:
    entry = _changeable(acting_user, entry)
    before, entry.state = entry.state, Entry.State.WITHDRAWN
    entry.save(update_fields=["state", "updated_at"])
    audit_log(
        actor=acting_user,
        action="contests.entry.withdrawn",
        obj=entry,
        unit=entry.unit,
        data={"from": before},
    )
    return entry


@transaction.atomic
def entry_declare(*, acting_user, entry: Entry, declarations: Iterable[str]) -> Entry:
    """The entrant's own declarations (for an entry a unit admin submitted without them);
    also after entries close, since screening waits for them."""
    entry = _changeable(acting_user, entry, window=False)
    added = _declarations(declarations, acting_user)
    entry.declarations = {**entry.declarations, **added}
    entry.save(update_fields=["declarations", "updated_at"])
    audit_log(
        actor=acting_user,
        action="contests.entry.declared",
        obj=entry,
        unit=entry.unit,
        data={"declarations": sorted(added)},
    )
    if entry.state == Entry.State.ACCEPTED:
        _screen(entry)
    return entry


# --- processing and screening -------------------------------------------------------------


def entry_queue(entry_id: int) -> None:
    from laurel.contests.tasks import entry_process  # tasks import this module

    entry_process.delay(entry_id)


def entry_process(entry_id: int) -> str:
    """Process an entry's photos (each exactly once, by the media pipeline), then settle it."""
    asset_ids = list(
        EntryPhoto.objects.filter(entry_id=entry_id).values_list("asset_id", flat=True)
    )
    Entry.objects.filter(pk=entry_id, state=Entry.State.RECEIVED).update(
        state=Entry.State.PROCESSING
    )
    for asset_id in asset_ids:
        media_services.asset_process(asset_id)
    return entry_settle(entry_id)


@transaction.atomic
def entry_settle(entry_id: int) -> str:
    """Accept or refuse an entry whose photos are all processed, and screen it. Safe to call
    again: an entry already settled, or with photos still in the works, is left as it is."""
    entry = (
        Entry.objects.select_for_update(of=("self",))  # PostgreSQL: no lock on outer joins
        .select_related("contest", "author__user", "submitted_by")
        .get(pk=entry_id)
    )
    if entry.state not in (Entry.State.RECEIVED, Entry.State.PROCESSING):
        return entry.state
    photos = list(entry.photos.select_related("asset"))
    statuses = {photo.asset.status for photo in photos}
    if statuses - {MediaAsset.Status.READY, MediaAsset.Status.REFUSED}:
        return entry.state
    refusals = [(i, p.asset, _refusal(entry.contest, p.asset)) for i, p in enumerate(photos)]
    reasons = [
        _("Photo %(n)d (%(name)s): %(reason)s")
        % {"n": i + 1, "name": asset.original_name, "reason": reason}
        for i, asset, reason in refusals
        if reason
    ]
    entry.state = Entry.State.REFUSED if reasons else Entry.State.ACCEPTED
    entry.refusal_reason = "\n".join(reasons)
    if entry.taken_on is None:
        entry.taken_on = _taken_on(photos)
    entry.save(update_fields=["state", "refusal_reason", "taken_on", "updated_at"])
    audit_log(
        actor=None,
        action=f"contests.entry.{entry.state}",
        obj=entry,
        unit=entry.unit,
        data={"reason": entry.refusal_reason},
    )
    if entry.state == Entry.State.ACCEPTED:
        _screen(entry)
        _entrant_notify(
            entry,
            _("Entry %(code)s “%(title)s” was accepted")
            % {"code": entry.code, "title": entry.title},
            "",
        )
    else:
        _entrant_notify(
            entry,
            _("Entry %(code)s “%(title)s” was refused")
            % {"code": entry.code, "title": entry.title},
            entry.refusal_reason,
            submitter_too=True,
        )
    return entry.state


def _refusal(contest: Contest, asset: MediaAsset) -> str:
    if asset.status == MediaAsset.Status.REFUSED:
        return asset.refusal_reason
    photo_format = asset.exif.get("format", "")
    if photo_format not in contest.formats:
        return _("this contest takes %(formats)s, not %(format)s.") % {
            "formats": "、".join(f.upper() for f in contest.formats),
            "format": photo_format.upper(),
        }
    return ""


def _taken_on(photos: list[EntryPhoto]) -> datetime.date | None:
    dates = [p.asset.exif.get("taken_at") for p in photos if p.asset.exif.get("taken_at")]
    return datetime.date.fromisoformat(min(dates)[:10]) if dates else None


def _screen(entry: Entry) -> list[Flag]:
    """Raise the flags an accepted entry earns; drop undecided ones it no longer earns."""
    contest = entry.contest
    photos = list(entry.photos.select_related("asset"))
    found: dict[str, dict] = {}

    duplicates = EntryPhoto.objects.filter(
        asset__in=MediaAsset.duplicates.through.objects.filter(
            from_mediaasset__in=[p.asset_id for p in photos],
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

    small = [
        p.position + 1
        for p in photos
        if max(p.asset.exif.get("width", 0), p.asset.exif.get("height", 0)) < contest.min_long_edge
    ]
    if small:
        found[Flag.Kind.BELOW_SIZE] = {"photos": small, "min_long_edge": contest.min_long_edge}

    taken = entry.taken_on
    if taken is None:
        found[Flag.Kind.DATE_MISSING] = {}
    elif (contest.taken_from and taken < contest.taken_from) or (
        contest.taken_until and taken > contest.taken_until
    ):
        found[Flag.Kind.DATE_OUTSIDE] = {"taken_on": taken.isoformat()}

    missing = entry.missing_declarations()
    if missing:
        found[Flag.Kind.DECLARATIONS_MISSING] = {"missing": missing}

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


def _entrant_notify(entry: Entry, title: str, body: str, *, submitter_too: bool = False) -> None:
    recipients = []
    if entry.author.user_id:
        recipients.append(entry.author.user)
    if submitter_too and entry.submitted_by_id and entry.submitted_by not in recipients:
        recipients.append(entry.submitted_by)
    link = reverse("contests:my_entry", args=[entry.pk])
    for recipient in recipients:
        notification_send(recipient=recipient, title=title, body=body, link=link)


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
        .select_related("entry__author__user")
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
    """The entrant answers the organiser's question; the flag is the organiser's again."""
    flag = Flag.objects.select_for_update().select_related("entry__author").get(pk=flag.pk)
    if flag.entry.author.user_id != acting_user.pk:
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


def entries_requeue_unsettled() -> int:
    """Queue every entry still waiting for its photos (a worker died, or never ran)."""
    waiting = list(
        Entry.objects.filter(state__in=[Entry.State.RECEIVED, Entry.State.PROCESSING]).values_list(
            "pk", flat=True
        )
    )
    for pk in waiting:
        entry_queue(pk)
    return len(waiting)


# --- bulk submission ----------------------------------------------------------------------


@transaction.atomic
def bulk_start(*, acting_user, contest: Contest, content: bytes, filename: str) -> BulkSubmission:
    """Read a unit's sheet of entries and keep it, planned, to match the files sent next.
    Raises ``importing.ImportRefused`` when the sheet cannot be used at all."""
    access = access_for(acting_user)
    if not policy.may_submit_for_members(access, contest):
        raise SubmissionRefused(_("This contest does not take entries from unit admins."))
    rows = bulk.bulk_plan(access, contest, bulk.bulk_sheet_read(content, filename))
    submission = BulkSubmission.objects.create(
        contest=contest,
        uploaded_by=acting_user,
        sheet_name=filename[:255],
        rows=[_bulk_row_json(row) for row in rows],
    )
    audit_log(
        actor=acting_user,
        action="contests.bulk.started",
        obj=contest,
        data={"sheet": filename, "rows": len(rows), "invalid": sum(not r.ok for r in rows)},
    )
    return submission


def _bulk_row_json(row: bulk.BulkRow) -> dict:
    return {
        "row": row.row_number,
        "file": row.file_name,
        "title": row.title,
        "author": row.author.pk if row.author else None,
        "author_label": row.author_label,
        "category": row.category.pk if row.category else None,
        "description": row.description,
        "place": row.place,
        "taken_on": row.taken_on.isoformat() if row.taken_on else None,
        "declared": row.declared,
        "status": "waiting" if row.ok else "invalid",
        "reason": " ".join(row.problems),
        "entry": None,
    }


@dataclass
class BulkFileOutcome:
    file: str
    status: str  # submitted (then the entry's state says more) | refused | unmatched
    reason: str = ""
    row: int | None = None
    entry: Entry | None = None


def bulk_file_submit(*, acting_user, submission: BulkSubmission, upload: Upload) -> BulkFileOutcome:
    """Submit one file of a bulk submission as the entry its sheet row describes.

    The submission's row stays locked until the entry is written, so the same file sent
    twice at once makes one entry; processing starts after the commit."""
    entry = None
    with transaction.atomic():
        submission = BulkSubmission.objects.select_for_update().get(pk=submission.pk)
        row = bulk.FileIndex(submission.rows, lambda r: r["file"]).find(upload.name)
        if row is None:
            reason = _("No row of the spreadsheet names this file.")
            submission.files = [*submission.files, {"file": upload.name, "reason": reason}]
            submission.save(update_fields=["files"])
            return BulkFileOutcome(upload.name, "unmatched", reason)
        if row["status"] == "invalid":
            return BulkFileOutcome(upload.name, "refused", row["reason"], row["row"])
        if row["status"] == "submitted":
            return BulkFileOutcome(
                upload.name, "refused", _("This row's file was already submitted."), row["row"]
            )
        contest = submission.contest
        try:
            entry = entry_submit(
                acting_user=acting_user,
                contest=contest,
                author=Member.objects.select_related("unit").get(pk=row["author"]),
                category=Category.objects.get(pk=row["category"], contest=contest),
                title=row["title"],
                uploads=[upload],
                description=row["description"],
                place=row["place"],
                taken_on=datetime.date.fromisoformat(row["taken_on"]) if row["taken_on"] else None,
                declarations=Declaration.values if row["declared"] else (),
            )
        except SubmissionRefused as error:
            row["status"], row["reason"] = "refused", " ".join(error.messages)
        else:
            row["status"], row["reason"], row["entry"] = "submitted", "", entry.pk
        submission.save(update_fields=["rows"])
    if entry is None:
        return BulkFileOutcome(upload.name, "refused", row["reason"], row["row"])
    entry.refresh_from_db()  # processed inline when there is no worker
    return BulkFileOutcome(upload.name, "submitted", entry.refusal_reason, row["row"], entry)
