"""The units' own prizes (优秀组织奖): a tier ``for_units`` given to units for the contest as a
whole, never to an entry; proposed from the results by the stated rule, set by hand with a
reason, published in the snapshot (``unit_prizes``), verified, certified and shown.

``unit_contest``: the ``judged_contest`` (12 entries ranked in quality order; even indexes
of 永川区, odd of 奉节县) with a units' tier 优秀组织奖 × 1 placed first among the tiers.
After the entries' proposal 永川区 holds the 一等奖, so the rule gives it the unit prize.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from laurel.audit.models import LogEntry
from laurel.awards import certificates, selectors, services
from laurel.awards.models import Award, Certificate, UnitAward
from laurel.awards.services import AwardsRefused
from laurel.contests.models import PrizeTier
from laurel.core.snapshots import SNAPSHOT_FIELDS, snapshot_digest
from laurel.notifications.models import Notification

ORGANISATION = "优秀组织奖"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def english_client(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def unit_contest(judged_contest):
    # the entries' tiers one place down: the units' tier first, in no entry's way
    PrizeTier.objects.filter(contest=judged_contest).update(position=F("position") + 1)
    judged_contest.test_unit_tier = PrizeTier.objects.create(
        contest=judged_contest, name=ORGANISATION, count=1, position=0, for_units=True
    )
    return judged_contest


def unit_prizes(contest) -> list[tuple[str, str]]:
    return [(a.unit.name, a.tier.name) for a in selectors.unit_awards(contest)]


def test_the_entries_proposal_and_award_set_leave_the_units_tier_alone(unit_contest, organiser):
    services.awards_propose(acting_user=organiser, contest=unit_contest)
    given = dict(Award.objects.filter(contest=unit_contest).values_list("entry_id", "tier__name"))
    assert ORGANISATION not in given.values()
    assert given[unit_contest.test_entries[0].pk] == "一等奖"
    assert len(given) == 6  # 一等奖 × 1, 二等奖 × 2, 三等奖 × 3: no place taken by the units'
    with pytest.raises(AwardsRefused):
        services.award_set(
            acting_user=organiser,
            entry=unit_contest.test_entries[7],
            tier=unit_contest.test_unit_tier,
            reason="试",
        )
    assert unit_contest.test_entries[7].pk not in dict(
        Award.objects.filter(contest=unit_contest).values_list("entry_id", "tier_id")
    )


def test_unit_prizes_are_proposed_by_the_rule_from_the_prizes_held_now(
    unit_contest, organiser, world
):
    services.awards_propose(acting_user=organiser, contest=unit_contest)
    assert services.unit_awards_propose(acting_user=organiser, contest=unit_contest) == 1
    assert unit_prizes(unit_contest) == [("永川区总工会", ORGANISATION)]
    assert LogEntry.objects.filter(action="awards.unit_awards.proposed").count() == 1
    # 永川区's 一等奖 taken away: 奉节县 then holds 二等奖 × 1 and 三等奖 × 2, 永川区 fewer
    services.award_set(
        acting_user=organiser, entry=unit_contest.test_entries[0], tier=None, reason="撤销"
    )
    services.unit_awards_propose(acting_user=organiser, contest=unit_contest)
    assert unit_prizes(unit_contest) == [("奉节县总工会", ORGANISATION)]


def test_a_unit_prize_by_hand_needs_a_reason_and_a_units_tier(unit_contest, organiser, world):
    first = PrizeTier.objects.get(contest=unit_contest, name="一等奖")
    with pytest.raises(AwardsRefused):
        services.unit_award_set(
            acting_user=organiser,
            contest=unit_contest,
            unit=world.grassroots,
            tier=unit_contest.test_unit_tier,
            reason=" ",
        )
    with pytest.raises(AwardsRefused):
        services.unit_award_set(
            acting_user=organiser,
            contest=unit_contest,
            unit=world.grassroots,
            tier=first,
            reason="试",
        )
    assert not UnitAward.objects.exists()
    award = services.unit_award_set(
        acting_user=organiser,
        contest=unit_contest,
        unit=world.grassroots,
        tier=unit_contest.test_unit_tier,
        reason="组织有力",
    )
    assert (award.unit, award.by_hand, award.reason) == (world.grassroots, True, "组织有力")
    services.unit_award_set(
        acting_user=organiser, contest=unit_contest, unit=world.grassroots, tier=None, reason="误设"
    )
    assert not UnitAward.objects.exists()
    changes = LogEntry.objects.filter(action="awards.unit_award.changed").order_by("pk")
    assert [(c.data["from"], c.data["to"], c.data["reason"]) for c in changes] == [
        ("", ORGANISATION, "组织有力"),
        (ORGANISATION, "", "误设"),
    ]


def test_a_published_unit_prize_is_in_the_snapshot_verified_and_certified(
    unit_contest, organiser, world, capsys
):
    services.awards_propose(acting_user=organiser, contest=unit_contest)
    services.unit_awards_propose(acting_user=organiser, contest=unit_contest)
    publication = services.results_publish(acting_user=organiser, contest=unit_contest)
    assert publication.snapshot["unit_prizes"] == [{"unit": "永川区总工会", "prize": ORGANISATION}]
    assert publication.digest == snapshot_digest(publication.snapshot)
    assert all(row["prize"] != ORGANISATION for row in publication.snapshot["rows"])
    assert selectors.results_verify(unit_contest).ok
    call_command("contest", "verify", unit_contest.slug)
    assert capsys.readouterr().out.strip() == f"ok {publication.digest}"

    certificate = Certificate.objects.get(awarded_unit=world.district)
    numbers = sorted(
        Certificate.objects.filter(contest=unit_contest).values_list("number", flat=True)
    )
    assert certificate.number == numbers[-1]  # after the six entries', in the same sequence
    assert len(numbers) == 7
    assert (certificate.entry, certificate.recipient, certificate.prize) == (
        None,
        "永川区总工会",
        ORGANISATION,
    )
    text = pdf_text(certificates.certificate_pdf(certificate))
    assert "永川区总工会" in text
    assert ORGANISATION in text
    assert "贵单位在" in text

    # taken away by hand: the live data no longer agrees; a correction drops it and revokes
    services.unit_award_set(
        acting_user=organiser, contest=unit_contest, unit=world.district, tier=None, reason="更正"
    )
    assert selectors.results_verify(unit_contest).problems == [
        f"unit 永川区总工会: {ORGANISATION} in the snapshot, not given now"
    ]
    correction = services.results_publish(
        acting_user=organiser, contest=unit_contest, reason="撤销组织奖"
    )
    assert "unit_prizes" not in correction.snapshot
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert selectors.results_verify(unit_contest).ok


def test_the_unit_admins_of_exactly_that_unit_are_told(
    unit_contest, organiser, users, world, make_user
):
    district_admin = users["unit_admin"]  # 永川区总工会's own
    below = make_user("unit_admin", world.grassroots)  # a unit under it: not told of its prize
    services.awards_propose(acting_user=organiser, contest=unit_contest)
    services.unit_awards_propose(acting_user=organiser, contest=unit_contest)
    preview = services.results_publish_preview(unit_contest)
    assert [a.unit.name for a in preview.unit_prizes] == ["永川区总工会"]
    with translation.override("en"):
        services.results_publish(acting_user=organiser, contest=unit_contest)
    told = f"永川区总工会 won {ORGANISATION} in {unit_contest.title}"
    assert Notification.objects.filter(recipient=district_admin, title=told).count() == 1
    assert not Notification.objects.filter(recipient=below, title=told).exists()


def test_the_unit_prize_certificate_goes_to_those_who_may_see_the_unit(
    unit_contest, organiser, users, world, make_user
):
    services.awards_propose(acting_user=organiser, contest=unit_contest)
    services.unit_awards_propose(acting_user=organiser, contest=unit_contest)
    services.results_publish(acting_user=organiser, contest=unit_contest)
    certificate = Certificate.objects.get(awarded_unit=world.district)
    url = reverse("awards:console_certificate_pdf", args=[certificate.number])
    own = english_client(users["unit_admin"]).get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    other = english_client(make_user("unit_admin", world.other_district)).get(url)
    assert other.status_code == 404
    listed = english_client(organiser).get(
        reverse("awards:console_certificates", args=[unit_contest.slug])
    )
    row = listed.content.decode().split(f'id="certificate-{certificate.number}"')[1]
    assert "永川区总工会" in row.split("</tr>")[0]


def test_the_public_results_and_the_winners_list_show_unit_prizes(unit_contest, organiser):
    services.awards_propose(acting_user=organiser, contest=unit_contest)
    services.unit_awards_propose(acting_user=organiser, contest=unit_contest)
    services.results_publish(acting_user=organiser, contest=unit_contest)
    html = Client().get(reverse("awards:public_results", args=[unit_contest.slug])).content.decode()
    section = html.split('id="results-unit-prizes"')[1].split("</section>")[0]
    assert f'data-unit="永川区总工会" data-prize="{ORGANISATION}"' in section
    pdf = Client().get(reverse("awards:winners_list", args=[unit_contest.slug])).content
    text = pdf_text(pdf)
    assert "单位奖项" in text
    assert "永川区总工会" in text


def test_a_member_contests_snapshot_and_pages_have_no_unit_prizes(published, client):
    publication = published.publications.get()
    assert set(publication.snapshot) == {"contest", "title", "version", "published_at", "rows"}
    assert all(set(row) == set(SNAPSHOT_FIELDS) for row in publication.snapshot["rows"])
    canonical = json.dumps(
        publication.snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert "unit_prizes" not in canonical
    html = client.get(reverse("awards:public_results", args=[published.slug])).content.decode()
    assert "results-unit-prizes" not in html


def test_the_console_proposes_and_sets_unit_prizes(unit_contest, organiser, world):
    services.awards_propose(acting_user=organiser, contest=unit_contest)
    client = english_client(organiser)
    page = reverse("awards:console_results", args=[unit_contest.slug])
    html = client.get(page).content.decode()
    section = html.split('id="unit-prizes"')[1].split("</section>")[0]
    assert "more of the highest prize first" in section  # the rule, in words
    assert 'id="unit-awards-none"' in section
    propose = reverse("awards:console_unit_awards_propose", args=[unit_contest.slug])
    assert client.post(propose, HTTP_HX_REQUEST="true").status_code == 200
    assert unit_prizes(unit_contest) == [("永川区总工会", ORGANISATION)]
    set_url = reverse("awards:console_unit_award_set", args=[unit_contest.slug])
    response = client.post(
        set_url,
        {"unit": world.other_district.pk, "tier": unit_contest.test_unit_tier.pk, "reason": "协办"},
    )
    assert response.status_code == 302
    assert unit_prizes(unit_contest) == [
        ("奉节县总工会", ORGANISATION),
        ("永川区总工会", ORGANISATION),
    ]
    html = client.get(page).content.decode()
    section = html.split('id="unit-prizes"')[1].split("</section>")[0]
    assert f'id="unit-award-{world.other_district.pk}"' in section
    assert "协办" in section
    # two given for one place: publishing is held until one is taken away
    assert f"{ORGANISATION} is given 2 times, but has 1 places." in html
