"""``laurel events tickets SLUG [--out FILE.csv]`` and ``laurel events checkin SLUG CODE
[--device NAME] [--booth NAME]``: every live ticket's QR payload as CSV, and a ticket checked
in with its exact output and exit code for each outcome."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from laurel.events import services
from laurel.events.keys import private_key_of
from laurel.events.models import CheckIn, Registration
from tests.conftest import make_member
from tests.events.conftest import DAY, slot_of

HEADER = "registration,booth,slot,holder,code"
DATE = f"{DAY:%Y-%m-%d}"


def events_command(*args: str) -> tuple[int, str, str]:
    """Run ``laurel events ARGS``: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        try:
            call_command("events", *args, stdout=out, stderr=err)
        except SystemExit as exit_:
            return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def carnival(event_factory, world, district_team):
    """花艺馆 09–10 (one place: 李明 holds it, 王芳 waits), 剪纸馆 09–11 held by a team and
    by a member whose name a spreadsheet would run as a formula; one registration cancelled."""
    event = event_factory(booths={"花艺馆": [(9, 10, 1)], "剪纸馆": [(9, 11, 6)]})
    flowers, paper = slot_of(event, "花艺馆", 9), slot_of(event, "剪纸馆", 9)

    def register(slot, **registrant):
        return services.registration_create(
            acting_user=None, event=event, slot=slot, **registrant
        ).registration

    registrations = {
        "flowers": register(flowers, member=make_member(world.grassroots, 1, name="李明")),
        "waiting": register(flowers, member=make_member(world.grassroots, 2, name="王芳")),
        "team": register(paper, team=district_team),
        "formula": register(paper, member=make_member(world.grassroots, 3, name="=1+1")),
        "cancelled": register(paper, member=make_member(world.grassroots, 4, name="赵六")),
    }
    services.registration_cancel(acting_user=None, registration=registrations["cancelled"])
    return event, registrations


def payload_of(registration: Registration) -> str:
    return services.ticket_of(registration).payload


def test_tickets_lists_every_live_ticket_with_its_payload_in_booth_order(carnival):
    event, r = carnival
    code, printed, _err = events_command("tickets", event.slug)
    assert code == 0
    assert printed == (
        f"{HEADER}\n"
        f"{r['flowers'].pk},花艺馆,{DATE} 09:00–10:00,李明,{payload_of(r['flowers'])}\n"
        f"{r['team'].pk},剪纸馆,{DATE} 09:00–11:00,永川区代表队,{payload_of(r['team'])}\n"
        f"{r['formula'].pk},剪纸馆,{DATE} 09:00–11:00,'=1+1,{payload_of(r['formula'])}\n"
    )


def test_tickets_of_an_event_without_booths_leave_booth_and_slot_empty(event_factory, world):
    event = event_factory(booths={})
    held = services.registration_create(
        acting_user=None, event=event, member=make_member(world.grassroots, 9, name="孙七")
    ).registration
    assert events_command("tickets", event.slug)[1] == (
        f"{HEADER}\n{held.pk},,,孙七,{payload_of(held)}\n"
    )


def test_tickets_out_writes_the_file_whole(carnival, tmp_path):
    event, _registrations = carnival
    path = tmp_path / "tickets.csv"
    assert events_command("tickets", event.slug, "--out", str(path)) == (0, "", "")
    assert path.read_text(encoding="utf-8") == events_command("tickets", event.slug)[1]


def test_checkin_by_payload_prints_the_registration_and_exits_0(carnival):
    event, r = carnival
    code, printed, err = events_command(
        "checkin", event.slug, payload_of(r["flowers"]), "--device", "门岗 1", "--booth", "花艺馆"
    )
    assert (code, printed) == (0, f"checked-in {r['flowers'].pk}\n")
    assert err == "Checked in: 李明.\n"
    check_in = CheckIn.objects.get()
    assert (check_in.device, check_in.booth.name) == ("门岗 1", "花艺馆")


def test_checkin_by_a_typed_code_in_lower_case_without_its_hyphen(carnival):
    event, r = carnival
    typed = services.ticket_of(r["team"]).code.replace("-", "").lower()
    assert events_command("checkin", event.slug, typed)[:2] == (0, f"checked-in {r['team'].pk}\n")


def tampered(payload: str) -> str:
    return payload[:-10] + ("A" if payload[-10] != "A" else "B") + payload[-9:]


@pytest.fixture
def refusals(carnival, event_factory, world):
    """Each refusal's CODE and options: (reason, arguments)."""
    event, r = carnival
    other = event_factory(booths={})
    elsewhere = services.registration_create(
        acting_user=None, event=other, member=make_member(world.grassroots, 20)
    ).registration
    cancelled = Registration.objects.get(pk=r["cancelled"].pk)
    return event, {
        "forged": [tampered(payload_of(r["flowers"]))],
        "other-event": [payload_of(elsewhere)],
        "wrong-booth": [payload_of(r["flowers"]), "--booth", "剪纸馆"],
        # what its holder was shown before it was cancelled
        "cancelled": [services.ticket_text(cancelled.ticket, private_key_of(event)).payload],
    }


@pytest.mark.parametrize("reason", ["forged", "other-event", "wrong-booth", "cancelled"])
def test_each_refusal_prints_its_reason_and_exits_1(refusals, reason):
    event, arguments = refusals
    code, printed, err = events_command("checkin", event.slug, *arguments[reason])
    assert (code, printed) == (1, f"refused {reason}\n")
    assert err.strip()
    assert not CheckIn.objects.exists()


def test_a_second_checkin_is_refused_as_a_duplicate_naming_the_first(carnival):
    event, r = carnival
    events_command("checkin", event.slug, payload_of(r["flowers"]), "--device", "门岗 1")
    first = CheckIn.objects.get()
    code, printed, err = events_command("checkin", event.slug, payload_of(r["flowers"]))
    assert (code, printed) == (1, "refused duplicate\n")
    when = timezone.localtime(first.at).strftime("%Y-%m-%d %H:%M:%S")
    assert err == f"李明 was already checked in at {when} (Beijing time) on 门岗 1.\n"
    assert CheckIn.objects.filter(duplicate_of=first).count() == 1


def test_an_unknown_event_or_booth_is_a_usage_error_exit_2(carnival, tmp_path):
    event, r = carnival
    for arguments, message in (
        (["checkin", "no-such-event", "ABCD-EFGH"], "No event has the short name no-such-event"),
        (
            ["checkin", event.slug, payload_of(r["flowers"]), "--booth", "书法馆"],
            "has no booth named 书法馆",
        ),
        (["tickets", "no-such-event"], "No event has the short name no-such-event"),
        (["tickets", event.slug, "--out", str(tmp_path / "no" / "t.csv")], "t.csv: its folder"),
    ):
        with pytest.raises(CommandError, match=message) as refused:
            events_command(*arguments)
        assert refused.value.returncode == 2
    assert not CheckIn.objects.exists()
