"""Processing an entry's photos and settling it: accepted (then screened) or refused."""

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.contests.models import Entry, EntryFile
from laurel.contests.services._common import _entrant_notify, _taken_on
from laurel.contests.services.screening import entry_screen
from laurel.media import services as media_services
from laurel.media.models import MediaAsset


def entry_queue(entry_id: int) -> None:
    from laurel.contests.tasks import entry_process  # tasks import this module

    entry_process.delay(entry_id)


def entry_process(entry_id: int) -> str:
    """Process an entry's photos (each exactly once, by the media pipeline), then settle it."""
    asset_ids = list(EntryFile.objects.filter(entry_id=entry_id).values_list("asset_id", flat=True))
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
        .select_related("contest", "author__user", "team__leader__user", "submitted_by")
        .get(pk=entry_id)
    )
    if entry.state not in (Entry.State.RECEIVED, Entry.State.PROCESSING):
        return entry.state
    files = list(entry.files.select_related("asset"))
    statuses = {file.asset.status for file in files}
    if statuses - {MediaAsset.Status.READY, MediaAsset.Status.REFUSED}:
        return entry.state
    content = entry.contest.content_kind
    refusals = [(i, f.asset, content.refusal(entry.contest, f.asset)) for i, f in enumerate(files)]
    reasons = [
        _("Photo %(n)d (%(name)s): %(reason)s")
        % {"n": i + 1, "name": asset.original_name, "reason": reason}
        for i, asset, reason in refusals
        if reason
    ]
    entry.state = Entry.State.REFUSED if reasons else Entry.State.ACCEPTED
    entry.refusal_reason = "\n".join(reasons)
    if entry.taken_on is None:
        entry.taken_on = _taken_on(files)
    entry.save(update_fields=["state", "refusal_reason", "taken_on", "updated_at"])
    audit_log(
        actor=None,
        action=f"contests.entry.{entry.state}",
        obj=entry,
        unit=entry.unit,
        data={"reason": entry.refusal_reason},
    )
    if entry.state == Entry.State.ACCEPTED:
        entry_screen(entry)
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
