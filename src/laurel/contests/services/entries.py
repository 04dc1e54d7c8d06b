"""Submitting, editing, withdrawing and declaring entries; every write atomic and audited.

Places are counted under locks: a submission locks its contest row first (so entry numbers,
per-entrant limits and unit quotas are decided one submission at a time per contest), then
counts. Photos are stored before that lock is taken, so a slow upload never holds it.

An entry's entrant is a member, a team or a unit, of the kind the contest takes
(``Contest.entrants``); a team is one entrant, however many members it has.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.accounts.policy import access_for
from laurel.audit.services import audit_log
from laurel.contests import policy
from laurel.contests.entrants import Entrant, entrant_entries, entrant_record
from laurel.contests.models import Category, Contest, Entry, EntryFile, Flag
from laurel.contests.services._common import _taken_on
from laurel.contests.services.processing import entry_queue
from laurel.contests.services.screening import entry_screen
from laurel.media import services as media_services
from laurel.media.models import MediaAsset
from laurel.members.models import Member, Team
from laurel.orgs.models import Unit


class SubmissionRefused(ValidationError):
    """An entry that may not be added or changed; the message says why, to the person."""


@dataclass(frozen=True)
class Upload:
    """A file as a submission receives it: its name and its bytes in chunks."""

    name: str
    chunks: Iterable[bytes]


def _refuse(message: str) -> None:
    raise SubmissionRefused(message)


def _window_check(contest: Contest) -> None:
    if not contest.accepts_entries():
        if contest.state == Contest.State.OPEN and timezone.now() < contest.opens_at:
            _refuse(_("Entries open on %(date)s.") % {"date": _local(contest.opens_at)})
        _refuse(_("This contest is not taking entries now."))


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _kind_of(contest: Contest, file_count: int) -> str:
    """The entry's kind for this many files, as the contest's content decides, or the
    refusal saying why (``contests.content``)."""
    try:
        return contest.content_kind.entry_kind(contest, file_count)
    except ValidationError as error:
        _refuse(error.messages[0])


# what a contest of each kind takes, said when another kind of entrant is given
ENTRANTS_TAKEN = {
    Contest.Entrants.MEMBERS: gettext_lazy("This contest takes entries from members."),
    Contest.Entrants.TEAMS: gettext_lazy(
        "This contest takes entries from teams: submit for a team."
    ),
    Contest.Entrants.UNITS: gettext_lazy(
        "This contest takes entries from units: submit for a unit."
    ),
}


@dataclass(frozen=True)
class _Given:
    """The entrant a submission names: its kind, its record and the unit it counts under."""

    kind: str
    record: Member | Team | Unit
    unit: Unit

    @property
    def entrant(self) -> Entrant:
        return Entrant(self.kind, self.record.pk, self.record.name, self.unit.pk)

    @property
    def live_filter(self) -> Q:
        """The entries of this entrant (a unit's own, not its subtree's)."""
        return entrant_entries(self.kind, self.record)

    @property
    def fields(self) -> dict:
        """The entry's entrant fields."""
        return {
            "entrant_kind": self.kind,
            "author": self.record if self.kind == Entry.EntrantKind.MEMBER else None,
            "team": self.record if self.kind == Entry.EntrantKind.TEAM else None,
            "unit": self.unit,
        }


def _entrant_given(contest: Contest, author, team, unit) -> _Given:
    """The one entrant given, of the kind ``contest`` takes, or the refusal naming it."""
    given = [value for value in (author, team, unit) if value is not None]
    if len(given) != 1:
        raise TypeError("entry_submit() takes exactly one of author, team and unit")
    if author is not None:
        found = _Given(Entry.EntrantKind.MEMBER, author, author.unit)
    elif team is not None:
        found = _Given(Entry.EntrantKind.TEAM, team, team.unit)
    else:
        found = _Given(Entry.EntrantKind.UNIT, unit, unit)
    if not isinstance(found.record, policy.ENTRANT_TYPES[contest.entrants]):
        _refuse(str(ENTRANTS_TAKEN[contest.entrants]))
    return found


def _given_of(entry: Entry) -> _Given:
    record = entrant_record(entry)
    return _Given(entry.entrant_kind, record, entry.unit)


def _places_check(contest: Contest, given: _Given, *, replacing: Entry | None = None) -> None:
    """The per-entrant limit and every unit quota over the entrant's unit; the caller holds
    the contest's lock, so nobody else is counting at the same time."""
    live = Entry.objects.filter(contest=contest, state__in=Entry.LIVE_STATES)
    if replacing is not None:
        live = live.exclude(pk=replacing.pk)
    if live.filter(given.live_filter).count() >= contest.max_entries_per_member:
        _refuse(
            _("%(name)s already has %(count)d entries in this contest, the most allowed.")
            % {"name": given.record.name, "count": contest.max_entries_per_member}
        )
    ancestors = _path_prefixes(given.unit.path)
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


def _declarations(contest: Contest, codes: Iterable[str], by_user) -> dict:
    """The declarations among ``codes`` that ``contest``'s content asks, as recorded."""
    now = timezone.now().isoformat()
    asked = contest.content_kind.declarations
    return {
        code: {"at": now, "by": by_user.pk if by_user else None} for code in codes if code in asked
    }


def entry_submit(
    *,
    acting_user,
    contest: Contest,
    author: Member | None = None,
    team: Team | None = None,
    unit: Unit | None = None,
    category: Category,
    title: str,
    uploads: Sequence[Upload],
    description: str = "",
    place: str = "",
    taken_on: datetime.date | None = None,
    declarations: Iterable[str] = (),
    process: bool = True,
) -> Entry:
    """Add an entry with its photos for one entrant: ``author`` (a member), ``team`` or
    ``unit``, of the kind the contest takes. Raises ``SubmissionRefused`` saying why when the
    rules or a limit refuse it; the photos are then not kept as an entry.

    Processing is queued after the commit (``process=False``: the caller processes, as batch
    ingest does on every core).
    """
    access = access_for(acting_user)
    given = _entrant_given(contest, author, team, unit)
    if not policy.may_submit_for(access, contest, given.record):
        _refuse(
            _("You may not submit entries for %(name)s in this contest.")
            % {"name": given.record.name}
        )
    _window_check(contest)
    kind = _kind_of(contest, len(uploads))
    _entry_fields_check(contest, category, title)
    _places_check(contest, given)  # an early answer, before storing anything
    assets = _uploads_store(acting_user, uploads)
    with transaction.atomic():
        locked = _contest_lock(contest.pk)
        _window_check(locked)
        _places_check(locked, given)
        number = (locked.entries.aggregate(last=Max("number"))["last"] or 0) + 1
        entry = Entry(
            contest=locked,
            number=number,
            category=category,
            kind=kind,
            **given.fields,
            submitted_by=acting_user,
            title=title.strip(),
            description=description.strip(),
            place=place.strip(),
            taken_on=taken_on,
            declarations=_declarations(contest, declarations, acting_user),
        )
        entry.full_clean()
        entry.save()
        _files_attach(entry, assets)
        entrant = {"author": author.pk} if author is not None else {}  # as before teams
        audit_log(
            actor=acting_user,
            action="contests.entry.submitted",
            obj=entry,
            unit=given.unit,
            data={
                "contest": contest.slug,
                "number": number,
                "title": entry.title,
                **entrant,
                "entrant": given.entrant.key,
                "photos": [asset.pk for asset in assets],
                "declarations": sorted(entry.declarations),
            },
        )
        if process:
            transaction.on_commit(lambda: entry_queue(entry.pk))
    return entry


def _files_attach(entry: Entry, assets: Sequence[MediaAsset]) -> None:
    """The entry's files, in order, of the kind its contest's content takes."""
    kind = entry.contest.content_kind.file_kind
    EntryFile.objects.bulk_create(
        EntryFile(entry=entry, asset=asset, kind=kind, position=position)
        for position, asset in enumerate(assets)
    )


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
        Entry.objects.select_for_update(of=("self", "contest"))  # PostgreSQL: no outer joins
        .select_related("contest", "author__unit", "team__leader", "team__unit", "unit")
        .get(pk=entry.pk)
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
            _places_check(entry.contest, _given_of(entry), replacing=entry)
        before = {"title": entry.title, "category": entry.category.name}
        entry.title, entry.category = title.strip(), category
        entry.description, entry.place = description.strip(), place.strip()
        entry.taken_on = taken_on
        if taken_on is None and not assets:  # as at submission: no date given, the photos'
            entry.taken_on = _taken_on(list(entry.files.select_related("asset")))
        if assets:
            entry.kind = _kind_of(entry.contest, len(assets))
            entry.files.all().delete()
            _files_attach(entry, assets)
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
            entry_screen(entry)
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
    added = _declarations(entry.contest, declarations, acting_user)
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
        entry_screen(entry)
    return entry
