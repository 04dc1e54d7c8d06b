"""``laurel events occupancy SLUG [--slots] [--out FILE.csv]`` (contract: other tools depend
on this exact form).

``occupancy`` writes ``booth,slot,capacity,registered,waiting,checked_in``: one row per booth,
its slots summed (``slot`` empty), or one row per time slot with ``--slots`` (``slot`` as
``YYYY-MM-DD HH:MM–HH:MM``, Beijing time), in the booths' order, as
``events.selectors.occupancy`` counts them: ``registered`` the places held (registered, or
offered and not yet answered), ``waiting`` the places asked for on waiting lists,
``checked_in`` those of the places held whose people came. An event without booths is one
row, ``booth`` and ``slot`` empty. A capacity without a limit is an empty cell. To standard
output, or to ``--out`` written whole (a temporary file renamed: never half a file), through
the one safe writer (``core.sheet_writer``).

Exit codes: 0 done; 1 no event has the short name, or the ``--out`` folder does not exist.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.csv_files import write_atomically
from laurel.core.sheet_writer import csv_text
from laurel.events.models import Event
from laurel.events.selectors import Occupancy, occupancy

OCCUPANCY_HEADER = ("booth", "slot", "capacity", "registered", "waiting", "checked_in")


def slot_text(row: Occupancy) -> str:
    """A slot's time as the CSV gives it (Beijing time); "" for a booth or a whole event."""
    if row.slot is None:
        return ""
    start, end = timezone.localtime(row.starts_at), timezone.localtime(row.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def occupancy_csv(event: Event, *, by_slot: bool) -> str:
    """The event's occupancy as CSV, header first."""
    body = (
        [
            row.booth,
            slot_text(row),
            row.capacity,  # None (no limit): an empty cell
            row.registered,
            row.waiting,
            row.checked_in,
        ]
        for row in occupancy(event, by_slot=by_slot)
    )
    return csv_text([OCCUPANCY_HEADER, *body], line_end="\n")


class Command(BaseCommand):
    help = "An event's occupancy as CSV: per booth, or per time slot (occupancy)."
    # as `laurel contest`: the system checks import every view (seconds) and decide nothing here
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        occupancy_parser = actions.add_parser(
            "occupancy",
            help="write the places taken per booth (or per time slot) as CSV",
            description="Write booth,slot,capacity,registered,waiting,checked_in: one row per "
            "booth (its slots summed), or per time slot with --slots; an event without booths "
            "is one row with booth empty.",
        )
        occupancy_parser.add_argument("slug", help="the event's short name")
        occupancy_parser.add_argument(
            "--slots", action="store_true", help="one row per time slot instead of per booth"
        )
        occupancy_parser.add_argument(
            "--out", type=Path, help="write the CSV here (default: stdout)"
        )

    def handle(self, *args, **options):
        event = Event.objects.filter(slug=options["slug"]).first()
        if event is None:
            raise CommandError(
                _("No event has the short name %(slug)s.") % {"slug": options["slug"]}
            )
        out = options["out"]
        if out is not None and not out.resolve().parent.is_dir():
            raise CommandError(_("%(path)s: its folder does not exist") % {"path": out})
        output = occupancy_csv(event, by_slot=options["slots"])
        if out is not None:
            write_atomically(out, output)
        else:
            self.stdout.write(output, ending="")
