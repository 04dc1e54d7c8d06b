"""The demo's stories keep their own time: the services take the clock's, these set the
story's afterwards (the audit log keeps when the demo was loaded).

``aware`` makes a local time of a story aware; ``clock_2024`` is the 2024 May-Day story's
clock the events' loaders share; ``told_since`` / ``told_at`` date what the inbox and the
outgoing messages were told in a step; ``entries_date`` dates entries and everything made
with them.
"""

import datetime
from collections.abc import Callable

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from laurel.contests.models import Contest, Entry, EntryFile, Flag
from laurel.demo import dates as demo_dates
from laurel.media.models import MediaAsset
from laurel.notifications.models import Notification, OutgoingMessage

CONTEST_2024 = "photo-2024"  # the May-Day photo contest: its loading sets the 2024 timeline

# an upload is processed and screened, and its entry accepted, this long after it arrives
PROCESSING = datetime.timedelta(seconds=20)


def aware(moment: datetime.datetime) -> datetime.datetime:
    """A local time of the plan, in the time zone of the settings."""
    return timezone.make_aware(moment)


def clock_2024(run) -> Callable[[datetime.datetime], datetime.datetime]:
    """The 2024 story's clock: a local moment of the story, aware, on the timeline
    ``photo-2024`` was loaded on — else as this run's ``--today`` says —, so that the May-Day
    events keep their days beside the photo contest."""
    contest = Contest.objects.filter(slug=CONTEST_2024).first()
    if contest is not None:
        timeline = demo_dates.timeline_of(contest.exhibition_opens_on)
    else:
        timeline = demo_dates.timeline(timezone.localdate() if run.options.get("today") else None)
    return lambda moment: aware(timeline.at(moment))


def told_since() -> tuple[int, int]:
    """Where the inbox and the outgoing messages stand: what is told after, ``told_at``
    dates."""
    return (
        Notification.objects.aggregate(last=Max("pk"))["last"] or 0,
        OutgoingMessage.objects.aggregate(last=Max("pk"))["last"] or 0,
    )


def told_at(since: tuple[int, int], moment: datetime.datetime) -> None:
    """Every notification and message since ``since`` (``told_since``), told at
    ``moment`` of the story: the services take the clock's time."""
    Notification.objects.filter(pk__gt=since[0]).update(created_at=moment)
    messages = OutgoingMessage.objects.filter(pk__gt=since[1])
    messages.update(created_at=moment)
    messages.exclude(sent_at=None).update(sent_at=moment)


def entries_date(contest: Contest, submitted: list[datetime.datetime], told) -> None:
    """The one write behind the services for entering: an entry's times are taken from
    the clock when it is made (auto_now_add, its declarations, its photos' upload and
    processing, screening's flags, the entrant's notice), and no service back-dates
    them. Without this the 2024 entries would read as submitted today, after their
    contest closed; the audit log keeps the true times. ``submitted``: the entries'
    times in the order they were submitted, which is their numbers' order."""
    entries = list(contest.entries.order_by("number"))
    when = {entry.pk: at for entry, at in zip(entries, submitted, strict=False)}
    entries = [entry for entry in entries if entry.pk in when]
    for entry in entries:
        at = when[entry.pk]
        entry.created_at, entry.updated_at = at, at + PROCESSING
        declared = at.astimezone(datetime.UTC).isoformat()
        entry.declarations = {
            code: {**given, "at": declared} for code, given in entry.declarations.items()
        }
    Entry.objects.bulk_update(entries, ["created_at", "updated_at", "declarations"], batch_size=500)
    assets = []
    for photo in EntryFile.objects.filter(entry__in=entries).select_related("asset"):
        asset, at = photo.asset, when[photo.entry_id]
        asset.created_at = at
        if asset.processing_started_at is not None:
            asset.processing_started_at = at + PROCESSING / 4
        if asset.processed_at is not None:
            asset.processed_at = at + PROCESSING
        assets.append(asset)
    MediaAsset.objects.bulk_update(
        assets, ["created_at", "processing_started_at", "processed_at"], batch_size=500
    )
    flags = list(Flag.objects.filter(entry__in=entries))
    for flag in flags:
        flag.created_at = when[flag.entry_id] + PROCESSING
    Flag.objects.bulk_update(flags, ["created_at"], batch_size=500)
    links = {reverse("contests:my_entry", args=[pk]): at + PROCESSING for pk, at in when.items()}
    notices = list(Notification.objects.filter(pk__gt=told[0], link__in=links))
    for notice in notices:
        notice.created_at = links[notice.link]
    Notification.objects.bulk_update(notices, ["created_at"], batch_size=500)
