"""Entrants on the awards side: a team's and a unit's entries ranked, proposed under the
per-entrant cap (a team is one entrant, two members called 王伟 are two), published in the
snapshot under their entrant's name, certified naming the team or the unit, told through
the logins that speak for them, exported and listed.

``team_contest``: the ``judged_contest`` (12 entries ranked in quality order) with its
entries at rank 1 and 3 made the entries of one team (永川区 机关工会's 健身队), the entry at
rank 2 an entry of the unit 奉节县 机关工会 itself, the authors at ranks 4 and 6 two members
both called 王伟; at most one prize per entrant.
"""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from laurel.awards import certificates, exports, selectors, services
from laurel.awards.management.commands.contest import results_csv
from laurel.awards.models import Award, Certificate
from laurel.awards.services import AwardsRefused
from laurel.contests.models import Contest, Entry, PrizeTier
from laurel.judging.models import Result
from laurel.members.models import Member, Team
from laurel.notifications.models import Notification
from tests.conftest import make_member


def ranked(contest) -> list[Entry]:
    order = (
        Result.objects.filter(round=contest.test_round, rank__isnull=False)
        .order_by("rank")
        .values_list("entry_id", flat=True)
    )
    entries = Entry.objects.select_related("author", "team", "unit").in_bulk(list(order))
    return [entries[pk] for pk in order]


def prizes(contest) -> dict[int, str]:
    return dict(Award.objects.filter(contest=contest).values_list("entry_id", "tier__name"))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def team_contest(judged_contest, world, make_user):
    order = ranked(judged_contest)
    leader = make_member(world.grassroots, 900, name="李队长")
    leader_user = make_user("member", world.grassroots)
    Member.objects.filter(pk=leader.pk).update(user=leader_user)
    team = Team.objects.create(name="健身队", unit=world.grassroots, leader=leader)
    team_entries = [order[0], order[2]]
    Entry.objects.filter(pk__in=[e.pk for e in team_entries]).update(
        entrant_kind=Entry.EntrantKind.TEAM, author=None, team=team, unit=world.grassroots
    )
    Entry.objects.filter(pk=order[1].pk).update(
        entrant_kind=Entry.EntrantKind.UNIT, author=None, team=None, unit=world.other_grassroots
    )
    Member.objects.filter(pk__in=[order[3].author_id, order[5].author_id]).update(name="王伟")
    Contest.objects.filter(pk=judged_contest.pk).update(prizes_per_author=1)
    judged_contest.refresh_from_db()
    judged_contest.test_order = ranked(judged_contest)
    judged_contest.test_team, judged_contest.test_leader_user = team, leader_user
    return judged_contest


def test_live_rows_name_each_entrant_and_its_unit(team_contest):
    rows = {row["entry"]: row for row in selectors.live_rows(team_contest)}
    team_entry, unit_entry, _, wang = team_contest.test_order[:4]
    assert (rows[team_entry.code]["author"], rows[team_entry.code]["unit"]) == (
        "健身队",
        "机关工会",
    )
    assert rows[unit_entry.code]["author"] == "机关工会"  # the unit itself (奉节县's)
    assert rows[unit_entry.code]["unit"] == "机关工会"
    assert rows[wang.code]["author"] == "王伟"


def test_the_proposal_counts_a_team_once_and_two_wang_wei_as_two(team_contest, organiser):
    order = team_contest.test_order
    services.awards_propose(acting_user=organiser, contest=team_contest)
    given = prizes(team_contest)
    assert given == {
        order[0].pk: "一等奖",  # the team
        order[1].pk: "二等奖",  # the unit
        # order[2]: the team's second entry, passed over under the cap of one
        order[3].pk: "二等奖",  # 王伟
        order[4].pk: "三等奖",
        order[5].pk: "三等奖",  # the other 王伟: another entrant
        order[6].pk: "三等奖",
    }


def test_a_second_prize_by_hand_for_the_team_is_refused(team_contest, organiser):
    services.awards_propose(acting_user=organiser, contest=team_contest)
    third = PrizeTier.objects.get(contest=team_contest, name="三等奖")
    with pytest.raises(AwardsRefused) as refused:
        services.award_set(
            acting_user=organiser, entry=team_contest.test_order[2], tier=third, reason="补"
        )
    assert "健身队" in " ".join(refused.value.messages)
    assert team_contest.test_order[2].pk not in prizes(team_contest)
    # the team's first prize taken away: its second entry may hold one (the unit entrant's
    # prize, another entrant with no member either, does not count toward the team's)
    order = team_contest.test_order
    services.award_set(acting_user=organiser, entry=order[0], tier=None, reason="撤销")
    services.award_set(acting_user=organiser, entry=order[2], tier=third, reason="递补")
    assert prizes(team_contest)[order[2].pk] == "三等奖"


def test_the_team_over_the_cap_is_named_before_publishing(team_contest, organiser):
    services.awards_propose(acting_user=organiser, contest=team_contest)
    third = PrizeTier.objects.get(contest=team_contest, name="三等奖")
    Award.objects.create(contest=team_contest, entry=team_contest.test_order[2], tier=third)
    with translation.override("en"):
        problems = services.publish_problems(team_contest)
    assert [p for p in problems if "健身队" in p] == ["健身队 holds more than 1 prizes."]
    assert not [p for p in problems if "王伟" in p]  # two members of one name: two entrants


def test_publishing_puts_the_entrants_in_the_snapshot_and_certifies_them(team_contest, organiser):
    team_entry, unit_entry = team_contest.test_order[:2]
    services.awards_propose(acting_user=organiser, contest=team_contest)
    publication = services.results_publish(acting_user=organiser, contest=team_contest)
    rows = {row["entry"]: row for row in publication.snapshot["rows"]}
    assert (rows[team_entry.code]["author"], rows[team_entry.code]["prize"]) == ("健身队", "一等奖")
    assert (rows[unit_entry.code]["author"], rows[unit_entry.code]["prize"]) == (
        "机关工会",
        "二等奖",
    )
    assert "unit_prizes" not in publication.snapshot
    assert selectors.results_verify(team_contest).ok

    team_certificate = Certificate.objects.get(entry=team_entry)
    unit_certificate = Certificate.objects.get(entry=unit_entry)
    assert (team_certificate.recipient_kind, team_certificate.recipient) == ("team", "健身队")
    assert (unit_certificate.recipient_kind, unit_certificate.recipient) == ("unit", "机关工会")
    team_text = pdf_text(certificates.certificate_pdf(team_certificate))
    assert "健身队" in team_text
    assert "你们的作品" in team_text
    assert "同志" not in team_text
    unit_text = pdf_text(certificates.certificate_pdf(unit_certificate))
    assert "机关工会" in unit_text
    assert "贵单位的作品" in unit_text
    assert "同志" not in unit_text


def test_the_team_leader_and_the_units_own_admins_are_told(
    team_contest, organiser, users, world, make_user
):
    own_admin = users["unit_admin"]  # 永川区: not the unit entrant's (奉节县's 机关工会)
    fengjie_admin = make_user("unit_admin", world.other_district)  # above it: not told either
    unit_admin = make_user("unit_admin", world.other_grassroots)  # exactly the unit entrant
    services.awards_propose(acting_user=organiser, contest=team_contest)
    preview = services.results_publish_preview(team_contest)
    told = {user.pk for user, _entry in preview.entrants}
    assert team_contest.test_leader_user.pk in told
    assert unit_admin.pk in told
    assert own_admin.pk not in told
    assert fengjie_admin.pk not in told
    with translation.override("en"):
        services.results_publish(acting_user=organiser, contest=team_contest)
    leader_titles = list(
        Notification.objects.filter(recipient=team_contest.test_leader_user).values_list(
            "title", flat=True
        )
    )
    assert leader_titles == [
        f"“{team_contest.test_order[0].title}” won 一等奖 in {team_contest.title}"
    ]
    unit_entry = team_contest.test_order[1]
    assert Notification.objects.filter(
        recipient=unit_admin, title__contains=f"“{unit_entry.title}” won 二等奖"
    ).exists()
    assert not Notification.objects.filter(
        recipient=fengjie_admin, title__contains=f"“{unit_entry.title}”"
    ).exists()


def test_the_command_and_the_exports_hold_the_entrants_name(team_contest, organiser, users):
    team_entry, unit_entry = team_contest.test_order[:2]
    services.awards_propose(acting_user=organiser, contest=team_contest)
    services.results_publish(acting_user=organiser, contest=team_contest)
    csv_text = results_csv(selectors.live_rows(team_contest))
    lines = {line.split(",")[1]: line.split(",") for line in csv_text.splitlines()[1:]}
    assert lines[team_entry.code][3] == "健身队"
    assert lines[unit_entry.code][3] == "机关工会"

    access = organiser.access
    with translation.override("en"):
        entries_xlsx = exports.entries_workbook(access, team_contest)
        results_xlsx = exports.results_workbook(access, team_contest)
    entries = load_workbook(io.BytesIO(entries_xlsx)).active
    header, *body = list(entries.values)
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_code[team_entry.code]["Author"] == "健身队"
    assert by_code[team_entry.code]["ID number"] in ("", None)  # a team has no personal number
    assert by_code[unit_entry.code]["Author"] == "机关工会"
    results = load_workbook(io.BytesIO(results_xlsx)).active
    header, *body = list(results.values)
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert by_code[team_entry.code]["Author"] == "健身队"


def test_the_console_results_page_shows_the_entrants(team_contest, organiser):
    from django.test import Client

    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(organiser)
    html = client.get(reverse("awards:console_results", args=[team_contest.slug])).content.decode()
    team_entry, unit_entry = team_contest.test_order[:2]
    team_row = html.split(f'id="result-{team_entry.code}"')[1].split("</tr>")[0]
    assert "<td>健身队</td>" in team_row
    unit_row = html.split(f'id="result-{unit_entry.code}"')[1].split("</tr>")[0]
    assert "<td>机关工会</td><td>机关工会</td>" in unit_row
    assert 'id="unit-prizes"' not in html  # no units' tier: no unit prizes section
