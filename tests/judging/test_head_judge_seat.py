"""A panel's head judge over HTTP: the organiser makes a seat head judge and back (audited;
one head judge at most, another made head demotes the first), nobody else may; the head judge
enters the round's deductions from the judge workspace, seeing entries by code and title
only, and an ordinary judge finds no such page."""

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.judging import services
from laurel.judging.models import Deduction, Round, Seat
from laurel.judging.services import JudgingRefused
from tests.conftest import english_client


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def console(organiser) -> Client:
    client = english_client()
    client.force_login(organiser)
    return client


def client_of(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


@pytest.fixture
def panel(closed_contest, organiser, deadline, users, make_user):
    """An open scoring round of the 12 entries with two judges seated, both ordinary: the
    ``judge`` user (``first``) and another judge (``second``)."""
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="决赛",
        mode="score",
        deadline=deadline,
        per_entry=1,
        criteria=[("动作规范", 1, 0, 10)],
    )
    first = services.seat_add(acting_user=organiser, round=round_, judge=users["judge"])
    second = services.seat_add(acting_user=organiser, round=round_, judge=make_user("judge"))
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    return round_, first, second


def role_post(client, seat, role: str):
    return client.post(reverse("judging:seat_role_set", args=[seat.pk]), {"role": role})


def roles(round_) -> dict[int, str]:
    return dict(Seat.objects.filter(round=round_).values_list("pk", "role"))


def changes() -> list[dict]:
    return [
        entry.data
        for entry in LogEntry.objects.filter(action="judging.seat.role_changed").order_by("pk")
    ]


def test_the_organiser_makes_a_judge_head_and_back_and_it_is_audited(console, panel):
    round_, first, second = panel
    response = role_post(console, first, "head")
    assert response.status_code == 302
    assert roles(round_) == {first.pk: "head", second.pk: "judge"}
    page = console.get(reverse("judging:round_detail", args=[round_.pk])).content.decode()
    row = page[page.index(f'id="seat-{first.pk}"') : page.index(f'id="seat-{second.pk}"')]
    assert 'data-role="head"' in row  # the pill, on the head judge's row only
    assert 'data-role="head"' not in page[page.index(f'id="seat-{second.pk}"') :]
    assert "Make an ordinary judge" in row

    assert role_post(console, first, "judge").status_code == 302
    assert roles(round_) == {first.pk: "judge", second.pk: "judge"}
    judge_id = first.judge_id
    assert changes() == [
        {"seat": first.pk, "judge": judge_id, "from": "judge", "to": "head"},
        {"seat": first.pk, "judge": judge_id, "from": "head", "to": "judge"},
    ]


def test_another_judge_made_head_makes_the_first_an_ordinary_judge(console, panel):
    round_, first, second = panel
    role_post(console, first, "head")
    response = role_post(console, second, "head")
    assert response.status_code == 302
    assert roles(round_) == {first.pk: "judge", second.pk: "head"}
    assert changes()[1:] == [
        {"seat": first.pk, "judge": first.judge_id, "from": "head", "to": "judge"},
        {"seat": second.pk, "judge": second.judge_id, "from": "judge", "to": "head"},
    ]
    page = console.get(reverse("judging:round_detail", args=[round_.pk])).content.decode()
    assert page.count('data-role="head"') == 1
    assert "making another judge head makes the current one an ordinary judge again" in page


@pytest.mark.parametrize("role", ["judge", "unit_admin", "member"])
def test_nobody_but_the_organiser_changes_a_role(panel, users, role):
    round_, first, _ = panel
    response = role_post(client_of(users[role]), first, "head")
    assert response.status_code == 403
    assert set(roles(round_).values()) == {"judge"}
    assert not changes()


def test_a_closed_rounds_panel_keeps_its_roles(panel, organiser, console):
    round_, first, _ = panel
    Round.objects.filter(pk=round_.pk).update(state=Round.State.CLOSED)
    with translation.override("en"), pytest.raises(JudgingRefused) as refused:
        services.seat_role_set(acting_user=organiser, seat=first, role="head")
    assert refused.value.messages == ["This round is closed."]
    role_post(console, first, "head")
    assert set(roles(round_).values()) == {"judge"}
    assert not changes()


# --- the head judge's deductions ----------------------------------------------------------


def deductions_url(round_) -> str:
    return reverse("judging:judge_deductions", args=[round_.pk])


def test_the_head_judge_enters_a_deduction_over_http_seeing_entries_blind(
    console, panel, closed_contest, users, world
):
    round_, first, _ = panel
    role_post(console, first, "head")
    head = client_of(users["judge"])
    home = head.get(reverse("judging:judge_home")).content.decode()
    assert f'href="{deductions_url(round_)}"' in home  # the way to the page

    page = head.get(deductions_url(round_))
    assert page.status_code == 200
    html = page.content.decode()
    entry = closed_contest.test_entries[3]
    assert f'<option value="{entry.number}">{entry.code} {entry.title}</option>' in html
    for secret in ("作者", world.district.name, world.other_district.name, entry.entrant.key):
        assert secret not in html, secret  # never the entrant, their unit or district

    response = head.post(
        deductions_url(round_), {"entry": entry.number, "points": "0.5", "reason": "超时10秒"}
    )
    assert response.status_code == 302
    deduction = Deduction.objects.get()
    assert (deduction.entry_id, deduction.points, deduction.reason, deduction.created_by_id) == (
        entry.pk,
        D("0.5"),
        "超时10秒",
        users["judge"].pk,
    )
    html = head.get(deductions_url(round_)).content.decode()
    assert f'<tr data-deduction="{deduction.pk}"><td>{entry.code}</td><td>−0.5</td>' in html

    response = head.post(deductions_url(round_), {"entry": entry.number, "points": "1"})
    assert response.status_code == 200  # no reason: the form says so, nothing written
    assert Deduction.objects.count() == 1

    remove = reverse("judging:judge_deduction_remove", args=[deduction.pk])
    assert head.post(remove).status_code == 302
    assert not Deduction.objects.exists()


def test_an_ordinary_judge_finds_no_deductions_page(console, panel, closed_contest, users):
    round_, first, second = panel
    role_post(console, second, "head")  # the other judge heads the round
    plain = client_of(users["judge"])
    assert deductions_url(round_) not in plain.get(reverse("judging:judge_home")).content.decode()
    assert plain.get(deductions_url(round_)).status_code == 404
    entry = closed_contest.test_entries[0]
    response = plain.post(
        deductions_url(round_), {"entry": entry.number, "points": "1", "reason": "缺席"}
    )
    assert response.status_code == 404
    assert not Deduction.objects.exists()
    # nor through the console
    response = plain.post(
        reverse("judging:deduction_add", args=[round_.pk]),
        {"entry": entry.number, "points": "1", "reason": "缺席"},
    )
    assert response.status_code == 403
    assert not Deduction.objects.exists()


def test_a_head_judge_made_ordinary_again_loses_the_page(console, panel, users):
    round_, first, _ = panel
    role_post(console, first, "head")
    head = client_of(users["judge"])
    assert head.get(deductions_url(round_)).status_code == 200
    role_post(console, first, "judge")
    assert head.get(deductions_url(round_)).status_code == 404
