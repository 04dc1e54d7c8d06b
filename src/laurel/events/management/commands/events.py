"""``laurel events list [--out FILE.csv]``, ``laurel events occupancy SLUG [--slots] [--out
FILE.csv]``, ``laurel events tickets SLUG [--out FILE.csv]`` and ``laurel events checkin SLUG
CODE [--device NAME] [--booth NAME]`` (contract: other tools depend on this exact form).

``occupancy`` writes ``booth,slot,capacity,registered,waiting,checked_in``: one row per booth,
its slots summed (``slot`` empty), or one row per time slot with ``--slots`` (``slot`` as
``YYYY-MM-DD HH:MM–HH:MM``, Beijing time), in the booths' order, as
``events.selectors.occupancy`` counts them: ``registered`` the places held (registered, or
offered and not yet answered), ``waiting`` the places asked for on waiting lists,
``checked_in`` those of the places held whose people came. An event without booths is one
row, ``booth`` and ``slot`` empty. A capacity without a limit is an empty cell. To standard
output, or to ``--out`` written whole (a temporary file renamed: never half a file), through
the one safe writer (``core.sheet_writer``).

``tickets`` writes ``registration,booth,slot,holder,code``: one row per ticket not revoked,
in the booths' order, then the slots', then the registrations'; ``holder`` the member's or
the team's name, as on the ticket; ``code`` the QR payload, what a scanner reads. To standard
output or ``--out``, as ``occupancy``.

``checkin`` checks in the holder of CODE (a QR payload, or the short typed code in any case,
with or without its hyphen) from ``--device`` at ``--booth`` (``events.services``'s
``ticket_check_in``, audited with no acting user) and prints ``checked-in <registration>`` or
``refused <reason>``, the reason one of ``forged``, ``other-event``, ``wrong-booth``,
``cancelled``, ``duplicate``; the sentence staff would read goes to standard error.

``list`` writes ``slug,kind,title,starts,registered,checked_in``: one row per event, by its
start and then its short name (``events.selectors.events_figures``); ``starts`` in ISO 8601,
Beijing time with its offset (``2024-04-27T09:00:00+08:00``); ``registered`` the places held
(registered, or offered and not yet answered; a team counts its people), for a meeting with an
invitation list its invitees; ``checked_in`` those of the places held whose people were let
in (a ticket scanned, a name ticked on the list) or, at a course, marked present at a class's
roll call. To standard output or ``--out``, as
``occupancy``.

Exit codes: ``list`` 0 done, 1 the ``--out`` folder does not exist. ``occupancy`` 0 done, 1
no event has the short name or the ``--out`` folder does not exist. ``tickets`` 0 done, 2
either of those. ``checkin`` 0 checked in, 1 refused, 2 no event has the short name or it has
no booth of that name.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.csv_files import write_atomically
from laurel.core.sheet_writer import csv_text
from laurel.events import services
from laurel.events.keys import private_key_of
from laurel.events.models import Booth, Event, Ticket
from laurel.events.selectors import Occupancy, events_figures, occupancy

LIST_HEADER = ("slug", "kind", "title", "starts", "registered", "checked_in")
OCCUPANCY_HEADER = ("booth", "slot", "capacity", "registered", "waiting", "checked_in")
TICKETS_HEADER = ("registration", "booth", "slot", "holder", "code")


def slot_text(row: Occupancy) -> str:
    """A slot's time as the CSV gives it (Beijing time); "" for a booth or a whole event."""
    if row.slot is None:
        return ""
    return slot_time_text(row.starts_at, row.ends_at)


def slot_time_text(starts_at, ends_at) -> str:
    """``YYYY-MM-DD HH:MM–HH:MM``, Beijing time."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def events_list_csv() -> str:
    """Every event with its people registered and checked in as CSV, header first."""
    body = (
        [
            row.event.slug,
            row.event.kind,
            row.event.title,
            timezone.localtime(row.event.starts_at).isoformat(timespec="seconds"),
            row.registered,
            row.checked_in,
        ]
        for row in events_figures()
    )
    return csv_text([LIST_HEADER, *body], line_end="\n")


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


def tickets_csv(event: Event) -> str:
    """The event's tickets not revoked as CSV, header first, each with its QR payload."""
    private_raw = private_key_of(event)  # unsealed once for every ticket
    tickets = (
        Ticket.objects.filter(event=event, revoked_at__isnull=True)
        .select_related("registration__slot__booth", "registration__member", "registration__team")
        .order_by(
            "registration__slot__booth__order",
            "registration__slot__booth__pk",
            "registration__slot__starts_at",
            "registration__slot__pk",
            "registration__pk",
        )
    )
    body = []
    for ticket in tickets:
        registration, slot = ticket.registration, ticket.registration.slot
        body.append(
            [
                registration.pk,
                slot.booth.name if slot is not None else "",
                slot_time_text(slot.starts_at, slot.ends_at) if slot is not None else "",
                registration.registrant_name,
                services.ticket_text(ticket, private_raw).payload,
            ]
        )
    return csv_text([TICKETS_HEADER, *body], line_end="\n")


class Command(BaseCommand):
    help = (
        "Every event with its people registered and checked in as CSV (list); an event's "
        "occupancy as CSV: per booth, or per time slot (occupancy); its tickets as "
        "CSV (tickets); a ticket checked in (checkin)."
    )
    # as `laurel contest`: the system checks import every view (seconds) and decide nothing here
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        list_parser = actions.add_parser(
            "list",
            help="write every event with its people registered and checked in as CSV",
            description="Write slug,kind,title,starts,registered,checked_in: one row per event, "
            "by its start (ISO 8601, local time with its offset).",
        )
        list_parser.add_argument("--out", type=Path, help="write the CSV here (default: stdout)")
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
        tickets_parser = actions.add_parser(
            "tickets",
            help="write every ticket not revoked, with its QR payload, as CSV",
            description="Write registration,booth,slot,holder,code: one row per ticket not "
            "revoked; code is the QR payload a scanner reads.",
        )
        tickets_parser.add_argument("slug", help="the event's short name")
        tickets_parser.add_argument("--out", type=Path, help="write the CSV here (default: stdout)")
        checkin_parser = actions.add_parser(
            "checkin",
            help="check a ticket in: its QR payload or its typed code",
            description="Print 'checked-in <registration>' and exit 0, or 'refused <reason>' "
            "(forged, other-event, wrong-booth, cancelled, duplicate) and exit 1.",
        )
        checkin_parser.add_argument("slug", help="the event's short name")
        checkin_parser.add_argument("code", help="the QR payload, or the typed code")
        checkin_parser.add_argument("--device", default="", help="the scanning device's name")
        checkin_parser.add_argument("--booth", help="the booth checking in (its name)")

    def handle(self, *args, **options):
        action = options["action"]
        failure = 2 if action in ("tickets", "checkin") else 1  # the exit code of a refusal
        if action == "list":
            out = self.out_checked(options["out"], failure)
            return self.write(events_list_csv(), out)
        event = Event.objects.filter(slug=options["slug"]).first()
        if event is None:
            raise CommandError(
                _("No event has the short name %(slug)s.") % {"slug": options["slug"]},
                returncode=failure,
            )
        if action == "checkin":
            return self.checkin(event, options)
        out = self.out_checked(options["out"], failure)
        if action == "tickets":
            return self.write(tickets_csv(event), out)
        return self.write(occupancy_csv(event, by_slot=options["slots"]), out)

    @staticmethod
    def out_checked(out: Path | None, failure: int) -> Path | None:
        """``--out``, refused (exit code ``failure``) when its folder does not exist."""
        if out is not None and not out.resolve().parent.is_dir():
            raise CommandError(
                _("%(path)s: its folder does not exist") % {"path": out}, returncode=failure
            )
        return out

    def write(self, output: str, out: Path | None) -> None:
        """The CSV to ``out`` whole (a temporary file renamed), or to standard output."""
        if out is not None:
            write_atomically(out, output)
        else:
            self.stdout.write(output, ending="")

    def checkin(self, event: Event, options) -> None:
        booth = None
        if options["booth"] is not None:
            booth = Booth.objects.filter(event=event, name=options["booth"].strip()).first()
            if booth is None:
                raise CommandError(
                    _("“%(event)s” has no booth named %(booth)s.")
                    % {"event": event.title, "booth": options["booth"]},
                    returncode=2,
                )
        outcome = services.ticket_check_in(
            acting_user=None,
            event=event,
            scanned=options["code"],
            device=options["device"],
            booth=booth,
        )
        self.stderr.write(outcome.message)
        if outcome.ok:
            self.stdout.write(f"checked-in {outcome.registration.pk}")
            return
        self.stdout.write(f"refused {outcome.reason}")
        sys.exit(1)
