"""Prizes proposed from the final ranking and changed by hand, results published as a
verifiable snapshot (corrections as new versions), certificates and notifications
(``awards.services``), and the check of a published snapshot (``selectors.results_verify``).

The ``judged_contest`` fixture: 12 entries, entry n of quality 9 − 0.6n (``test_entries[0]``
ranks first), tiers 一等奖 × 1, 二等奖 × 2, 三等奖 × 3."""

import pytest
from django.urls import reverse
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.awards import selectors, services
from laurel.awards.models import Award, AwardChange, Certificate, Publication
from laurel.awards.services import AwardsRefused
from laurel.contests.models import Contest, Entry, PrizeTier
from laurel.core.snapshots import snapshot_digest
from laurel.judging.models import Result, Round
from laurel.members.models import Member
from laurel.members.services import member_user_link
from laurel.notifications.models import Notification

TIER_OF_RANK = {1: "一等奖", 2: "二等奖", 3: "二等奖", 4: "三等奖", 5: "三等奖", 6: "三等奖"}


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


def ranked(contest) -> list[Entry]:
    """The contest's entries in the final round's rank order."""
    order = (
        Result.objects.filter(round=contest.test_round, rank__isnull=False)
        .order_by("rank")
        .values_list("entry_id", flat=True)
    )
    entries = Entry.objects.select_related("author", "unit").in_bulk(list(order))
    return [entries[pk] for pk in order]


def prizes(contest) -> dict[int, str]:
    return dict(Award.objects.filter(contest=contest).values_list("entry_id", "tier__name"))


def tier(contest, name: str) -> PrizeTier:
    return PrizeTier.objects.get(contest=contest, name=name)


def footprint(contest) -> dict:
    """Everything the outcome services may write, to show a refusal changed nothing."""
    return {
        "contest": Contest.objects.get(pk=contest.pk).state,
        "cap": Contest.objects.get(pk=contest.pk).prizes_per_author,
        "awards": sorted(
            Award.objects.filter(contest=contest).values_list(
                "entry_id", "tier_id", "by_hand", "reason"
            )
        ),
        "changes": AwardChange.objects.filter(contest=contest).count(),
        "publications": sorted(
            Publication.objects.filter(contest=contest).values_list("version", "digest")
        ),
        "certificates": sorted(
            Certificate.objects.filter(contest=contest).values_list(
                "number", "entry_id", "prize", "revoked_at"
            )
        ),
        "entries": sorted(Entry.objects.filter(contest=contest).values_list("pk", "state")),
        "audit": LogEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def publish(organiser, contest, reason: str = "") -> Publication:
    with translation.override("en"):
        return services.results_publish(acting_user=organiser, contest=contest, reason=reason)


@pytest.fixture
def proposed(judged_contest, organiser):
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    judged_contest.refresh_from_db()
    return judged_contest


# --- awards_propose ------------------------------------------------------------------------


def test_propose_gives_the_tiers_to_ranks_one_to_six(judged_contest, organiser):
    given = services.awards_propose(acting_user=organiser, contest=judged_contest)

    order = ranked(judged_contest)
    assert given == 6
    assert order[0].pk == judged_contest.test_entries[0].pk
    assert {e.pk for e in order[:6]} == {e.pk for e in judged_contest.test_entries[:6]}
    assert prizes(judged_contest) == {
        entry.pk: TIER_OF_RANK[rank] for rank, entry in enumerate(order[:6], start=1)
    }
    awards = Award.objects.filter(contest=judged_contest)
    assert {(a.by_hand, a.set_by_id) for a in awards} == {(False, organiser.pk)}


def test_propose_moves_the_contest_from_judging_to_results(judged_contest, organiser):
    assert judged_contest.state == Contest.State.JUDGING

    services.awards_propose(acting_user=organiser, contest=judged_contest)

    assert Contest.objects.get(pk=judged_contest.pk).state == Contest.State.RESULTS
    (moved,) = [
        e
        for e in LogEntry.objects.filter(
            action="contests.contest.state_changed", object_id=str(judged_contest.pk)
        )
        if e.data.get("to") == "results"
    ]
    assert moved.data == {"from": "judging", "to": "results"}
    assert moved.actor == organiser
    (proposal,) = LogEntry.objects.filter(
        action="awards.proposed", object_id=str(judged_contest.pk)
    )
    assert proposal.data == {
        "round": judged_contest.test_round.pk,
        "method": "calibrated",
        "prizes": 6,
    }


def test_proposing_again_replaces_the_prizes(proposed, organiser):
    first = prizes(proposed)
    fourth = ranked(proposed)[3]
    services.award_set(acting_user=organiser, entry=fourth, tier=None, reason="复核")
    assert fourth.pk not in prizes(proposed)

    assert services.awards_propose(acting_user=organiser, contest=proposed) == 6

    assert prizes(proposed) == first
    assert not Award.objects.filter(contest=proposed, by_hand=True).exists()


@pytest.mark.parametrize("role", ["unit_admin", "judge", "member"])
def test_only_organisers_propose(judged_contest, users, role):
    before = footprint(judged_contest)

    with pytest.raises(AwardsRefused):
        services.awards_propose(acting_user=users[role], contest=judged_contest)

    assert footprint(judged_contest) == before


def test_propose_needs_a_closed_scoring_round(judged_contest, organiser):
    Round.objects.filter(pk=judged_contest.test_round.pk).update(state=Round.State.OPEN)
    before = footprint(judged_contest)

    with pytest.raises(AwardsRefused):
        services.awards_propose(acting_user=organiser, contest=judged_contest)

    assert footprint(judged_contest) == before
    assert before["contest"] == Contest.State.JUDGING


def test_the_cap_passes_over_an_authors_second_entry(judged_contest, organiser):
    first, second, *rest = ranked(judged_contest)
    Entry.objects.filter(pk=second.pk).update(author=first.author)
    Contest.objects.filter(pk=judged_contest.pk).update(prizes_per_author=1)

    assert services.awards_propose(acting_user=organiser, contest=judged_contest) == 6

    assert prizes(judged_contest) == {
        first.pk: "一等奖",
        rest[0].pk: "二等奖",
        rest[1].pk: "二等奖",
        rest[2].pk: "三等奖",
        rest[3].pk: "三等奖",
        rest[4].pk: "三等奖",
    }


def test_without_a_cap_one_author_takes_both(judged_contest, organiser):
    first, second, *_ = ranked(judged_contest)
    Entry.objects.filter(pk=second.pk).update(author=first.author)

    services.awards_propose(acting_user=organiser, contest=judged_contest)

    assert prizes(judged_contest)[second.pk] == "二等奖"


def test_propose_passes_over_a_disqualified_entry(judged_contest, organiser):
    order = ranked(judged_contest)
    Entry.objects.filter(pk=order[0].pk).update(state=Entry.State.DISQUALIFIED)

    services.awards_propose(acting_user=organiser, contest=judged_contest)

    assert order[0].pk not in prizes(judged_contest)
    assert prizes(judged_contest)[order[1].pk] == "一等奖"
    assert prizes(judged_contest)[order[6].pk] == "三等奖"


# --- award_set -----------------------------------------------------------------------------


def test_award_set_records_the_change_with_its_reason(proposed, organiser):
    order = ranked(proposed)
    sixth, seventh = order[5], order[6]

    removed = services.award_set(acting_user=organiser, entry=sixth, tier=None, reason="题材重复")
    given = services.award_set(
        acting_user=organiser, entry=seventh, tier=tier(proposed, "三等奖"), reason=" 复核后补 "
    )

    assert removed is None
    assert sixth.pk not in prizes(proposed)
    award = Award.objects.get(entry=seventh)
    assert award == given
    assert (award.tier.name, award.by_hand, award.reason, award.set_by) == (
        "三等奖",
        True,
        "复核后补",
        organiser,
    )
    changes = {c.entry_id: c for c in AwardChange.objects.filter(contest=proposed)}
    assert set(changes) == {sixth.pk, seventh.pk}
    assert (changes[sixth.pk].before, changes[sixth.pk].after) == ("三等奖", "")
    assert changes[sixth.pk].reason == "题材重复"
    assert (changes[seventh.pk].before, changes[seventh.pk].after) == ("", "三等奖")
    assert changes[seventh.pk].reason == "复核后补"
    assert {c.changed_by for c in changes.values()} == {organiser}
    audited = {
        int(e.object_id): e.data for e in LogEntry.objects.filter(action="awards.award.changed")
    }
    assert audited == {
        sixth.pk: {"from": "三等奖", "to": "", "reason": "题材重复"},
        seventh.pk: {"from": "", "to": "三等奖", "reason": "复核后补"},
    }


def test_award_set_changes_a_tier(proposed, organiser):
    second = ranked(proposed)[1]

    services.award_set(
        acting_user=organiser, entry=second, tier=tier(proposed, "一等奖"), reason="并列第一"
    )

    assert prizes(proposed)[second.pk] == "一等奖"
    change = AwardChange.objects.get(entry=second)
    assert (change.before, change.after) == ("二等奖", "一等奖")


def test_award_set_in_judging_moves_the_contest_to_results(judged_contest, organiser):
    seventh = ranked(judged_contest)[6]

    services.award_set(
        acting_user=organiser, entry=seventh, tier=tier(judged_contest, "三等奖"), reason="手工"
    )

    assert Contest.objects.get(pk=judged_contest.pk).state == Contest.State.RESULTS


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_award_set_needs_a_reason(proposed, organiser, reason):
    before = footprint(proposed)

    with pytest.raises(AwardsRefused) as refused:
        services.award_set(
            acting_user=organiser, entry=ranked(proposed)[6], tier=None, reason=reason
        )

    assert "reason" in refused.value.message_dict
    assert footprint(proposed) == before


def test_award_set_enforces_the_cap(proposed, organiser):
    first, *_, seventh = ranked(proposed)[:7]
    Entry.objects.filter(pk=seventh.pk).update(author=first.author)
    Contest.objects.filter(pk=proposed.pk).update(prizes_per_author=1)
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        services.award_set(
            acting_user=organiser, entry=seventh, tier=tier(proposed, "三等奖"), reason="补"
        )

    assert footprint(proposed) == before
    # the author's prize itself may still change
    services.award_set(
        acting_user=organiser, entry=first, tier=tier(proposed, "二等奖"), reason="调整"
    )
    assert prizes(proposed)[first.pk] == "二等奖"


def test_award_set_refuses_a_tier_of_another_contest(proposed, organiser, contest_factory):
    other = contest_factory("other-2026")
    foreign = PrizeTier.objects.get(contest=other, name="一等奖")
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        services.award_set(
            acting_user=organiser, entry=ranked(proposed)[6], tier=foreign, reason="误选"
        )

    assert footprint(proposed) == before


def test_award_set_refuses_an_unranked_entry(proposed, organiser):
    seventh = ranked(proposed)[6]
    Result.objects.filter(round=proposed.test_round, entry=seventh).update(rank=None)
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        services.award_set(
            acting_user=organiser, entry=seventh, tier=tier(proposed, "三等奖"), reason="补"
        )

    assert footprint(proposed) == before


@pytest.mark.parametrize("state", [Entry.State.DISQUALIFIED, Entry.State.WITHDRAWN])
def test_award_set_refuses_an_entry_out_of_the_contest(proposed, organiser, state):
    seventh = ranked(proposed)[6]
    Entry.objects.filter(pk=seventh.pk).update(state=state)
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        services.award_set(
            acting_user=organiser, entry=seventh, tier=tier(proposed, "三等奖"), reason="补"
        )

    assert footprint(proposed) == before


def test_a_disqualified_winner_can_lose_the_prize(proposed, organiser):
    first = ranked(proposed)[0]
    Entry.objects.filter(pk=first.pk).update(state=Entry.State.DISQUALIFIED)

    services.award_set(acting_user=organiser, entry=first, tier=None, reason="抄袭")

    assert first.pk not in prizes(proposed)


@pytest.mark.parametrize("role", ["unit_admin", "judge", "member"])
def test_only_organisers_set_awards(proposed, users, role):
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        services.award_set(
            acting_user=users[role],
            entry=ranked(proposed)[6],
            tier=tier(proposed, "三等奖"),
            reason="补",
        )

    assert footprint(proposed) == before


# --- results_publish -----------------------------------------------------------------------


def test_publish_freezes_the_live_rows_with_their_digest(proposed, organiser):
    publication = publish(organiser, proposed)

    assert publication.version == 1
    assert publication.reason == ""
    assert publication.published_by == organiser
    assert publication.digest == snapshot_digest(publication.snapshot)
    stored = Publication.objects.get(pk=publication.pk)
    assert stored.digest == snapshot_digest(stored.snapshot)
    assert stored.snapshot["rows"] == selectors.live_rows(proposed)
    assert stored.snapshot["contest"] == proposed.slug
    assert stored.snapshot["title"] == proposed.title
    assert stored.snapshot["version"] == 1
    assert stored.snapshot["published_at"].endswith("Z")
    rows = stored.snapshot["rows"]
    assert [r["rank"] for r in rows] == list(range(1, 13))
    assert [r["prize"] for r in rows[:7]] == [*TIER_OF_RANK.values(), ""]
    assert rows[0]["entry"] == proposed.test_entries[0].code
    assert rows[0]["title"] == "作品0"
    assert rows[0]["author"] == "作者0"
    (published,) = LogEntry.objects.filter(
        action="awards.results.published", object_id=str(proposed.pk)
    )
    assert published.data["version"] == 1
    assert published.data["digest"] == publication.digest
    assert published.data["prizes"] == 6


def test_publish_marks_the_contest_and_the_winners(proposed, organiser):
    publish(organiser, proposed)

    assert Contest.objects.get(pk=proposed.pk).state == Contest.State.PUBLISHED
    winners = {e.pk for e in ranked(proposed)[:6]}
    states = dict(Entry.objects.filter(contest=proposed).values_list("pk", "state"))
    assert {pk for pk, state in states.items() if state == Entry.State.AWARDED} == winners
    assert {states[pk] for pk in set(states) - winners} == {Entry.State.ACCEPTED}


def test_publish_issues_one_certificate_per_winner(proposed, organiser):
    publication = publish(organiser, proposed)

    certificates = list(Certificate.objects.filter(contest=proposed))
    by_entry = {c.entry_id: c for c in certificates}
    order = ranked(proposed)
    assert len(certificates) == 6
    assert set(by_entry) == {e.pk for e in order[:6]}
    assert len({c.number for c in certificates}) == 6
    for rank, entry in enumerate(order[:6], start=1):
        certificate = by_entry[entry.pk]
        assert certificate.prize == TIER_OF_RANK[rank]
        assert certificate.recipient == entry.author.name
        assert certificate.unit == entry.unit.name
        assert certificate.title == entry.title
        assert certificate.publication == publication
        assert certificate.revoked_at is None


def test_publish_tells_the_winner_with_a_login(proposed, organiser, users):
    first = ranked(proposed)[0]
    member_user_link(acting_user=None, member=first.author, user=users["member"])

    publish(organiser, proposed)

    (told,) = Notification.objects.filter(recipient=users["member"])
    certificate = Certificate.objects.get(entry=first)
    assert "作品0" in told.title
    assert "一等奖" in told.title
    assert certificate.number in told.body
    assert told.link == reverse("contests:my_entry", args=[first.pk])


def test_publish_tells_each_unit_admin_their_subtrees_winners(
    proposed, organiser, users, world, make_user
):
    other_admin = make_user("unit_admin", world.other_district)
    winners = ranked(proposed)[:6]
    ours = sum(1 for e in winners if e.unit.path.startswith(world.district.path))
    theirs = len(winners) - ours
    assert ours == theirs == 3  # the fixture alternates the districts

    publication = publish(organiser, proposed)

    (told,) = Notification.objects.filter(recipient=users["unit_admin"])
    assert told.title.startswith(f"{ours} works of {world.district.name}")
    assert publication.digest[:16] in told.body
    assert told.link == reverse("awards:public_results", args=[proposed.slug])
    (told_other,) = Notification.objects.filter(recipient=other_admin)
    assert told_other.title.startswith(f"{theirs} works of {world.other_district.name}")


def test_publish_tells_a_unit_admin_only_about_their_own_winners(proposed, organiser, users):
    # move every winner out of 永川区: its admin hears nothing
    Entry.objects.filter(contest=proposed, unit=proposed.test_entries[0].unit).update(
        unit=proposed.test_entries[1].unit
    )

    publish(organiser, proposed)

    assert not Notification.objects.filter(recipient=users["unit_admin"]).exists()


def test_publish_refuses_without_prizes(judged_contest, organiser):
    before = footprint(judged_contest)

    with pytest.raises(AwardsRefused):
        publish(organiser, judged_contest)

    assert footprint(judged_contest) == before


def test_publish_refuses_a_tier_over_its_count(proposed, organiser):
    services.award_set(
        acting_user=organiser, entry=ranked(proposed)[6], tier=tier(proposed, "三等奖"), reason="补"
    )
    assert services.publish_problems(proposed)
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        publish(organiser, proposed)

    assert footprint(proposed) == before


def test_publish_refuses_an_author_over_the_cap(proposed, organiser):
    first, second = ranked(proposed)[:2]
    Entry.objects.filter(pk=second.pk).update(author=first.author)
    Contest.objects.filter(pk=proposed.pk).update(prizes_per_author=1)
    proposed.refresh_from_db()
    assert len(services.publish_problems(proposed)) == 1
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        publish(organiser, proposed)

    assert footprint(proposed) == before


def test_authors_of_the_same_name_are_not_one_author(proposed, organiser):
    first, second = ranked(proposed)[:2]
    Member.objects.filter(pk__in=[first.author_id, second.author_id]).update(name="王伟")
    Contest.objects.filter(pk=proposed.pk).update(prizes_per_author=1)
    proposed.refresh_from_db()

    assert services.publish_problems(proposed) == []
    publication = publish(organiser, proposed)

    assert publication.version == 1


def test_publish_refuses_a_prize_held_by_a_disqualified_entry(proposed, organiser):
    """A work disqualified after the proposal (screening goes on) must lose its prize by hand
    first: publishing would otherwise certify it while the snapshot leaves it out."""
    first = ranked(proposed)[0]
    Entry.objects.filter(pk=first.pk).update(state=Entry.State.DISQUALIFIED)
    assert services.publish_problems(proposed)
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        publish(organiser, proposed)

    assert footprint(proposed) == before
    services.award_set(acting_user=organiser, entry=first, tier=None, reason="取消资格")
    publish(organiser, proposed)
    assert not Certificate.objects.filter(entry=first).exists()
    assert Entry.objects.get(pk=first.pk).state == Entry.State.DISQUALIFIED


def test_a_second_publication_needs_a_reason(proposed, organiser):
    publish(organiser, proposed)
    before = footprint(proposed)

    with pytest.raises(AwardsRefused) as refused:
        publish(organiser, proposed, reason="  ")

    assert "reason" in refused.value.message_dict
    assert footprint(proposed) == before


@pytest.mark.parametrize("role", ["unit_admin", "judge", "member"])
def test_only_organisers_publish(proposed, users, role):
    before = footprint(proposed)

    with pytest.raises(AwardsRefused):
        publish(users[role], proposed)

    assert footprint(proposed) == before


def test_a_correction_is_a_new_version_with_new_certificates(proposed, organiser):
    order = ranked(proposed)
    first = publish(organiser, proposed)
    old = {c.entry_id: c for c in Certificate.objects.filter(contest=proposed)}
    third, fourth, sixth, seventh = order[2], order[3], order[5], order[6]
    services.award_set(
        acting_user=organiser, entry=third, tier=tier(proposed, "三等奖"), reason="互换"
    )
    services.award_set(
        acting_user=organiser, entry=fourth, tier=tier(proposed, "二等奖"), reason="互换"
    )
    services.award_set(acting_user=organiser, entry=sixth, tier=None, reason="题材不符")
    services.award_set(
        acting_user=organiser, entry=seventh, tier=tier(proposed, "三等奖"), reason="递补"
    )

    second = publish(organiser, proposed, reason=" 更正获奖名单 ")

    assert second.version == 2
    assert second.reason == "更正获奖名单"
    assert second.digest == snapshot_digest(second.snapshot) != first.digest
    assert second.snapshot["rows"] == selectors.live_rows(proposed)
    first.refresh_from_db()
    assert first.digest == snapshot_digest(first.snapshot)  # the first version stays as it was
    certificates = list(Certificate.objects.filter(contest=proposed))
    assert len({c.number for c in certificates}) == len(certificates) == 9
    revoked = {c.entry_id for c in certificates if c.revoked_at is not None}
    assert revoked == {third.pk, fourth.pk, sixth.pk}
    valid = {c.entry_id: c for c in certificates if c.revoked_at is None}
    assert set(valid) == set(prizes(proposed)) == {e.pk for e in [*order[:5], seventh]}
    for changed, prize in [(third, "三等奖"), (fourth, "二等奖"), (seventh, "三等奖")]:
        assert valid[changed.pk].prize == prize
        assert valid[changed.pk].publication == second
    assert valid[third.pk].number != old[third.pk].number
    assert valid[fourth.pk].number != old[fourth.pk].number
    assert seventh.pk not in old
    for kept in order[:2] + [order[4]]:
        assert valid[kept.pk].number == old[kept.pk].number
        assert valid[kept.pk].publication == first
    states = dict(Entry.objects.filter(contest=proposed).values_list("pk", "state"))
    assert states[sixth.pk] == Entry.State.QUALIFIED
    assert states[seventh.pk] == Entry.State.AWARDED
    assert Contest.objects.get(pk=proposed.pk).state == Contest.State.PUBLISHED


def test_a_correction_tells_only_the_new_winners(proposed, organiser, users):
    order = ranked(proposed)
    member_user_link(acting_user=None, member=order[0].author, user=users["member"])
    publish(organiser, proposed)
    services.award_set(acting_user=organiser, entry=order[5], tier=None, reason="题材不符")
    services.award_set(
        acting_user=organiser, entry=order[6], tier=tier(proposed, "三等奖"), reason="递补"
    )
    admin_told = Notification.objects.filter(recipient=users["unit_admin"]).count()

    publish(organiser, proposed, reason="更正")

    assert Notification.objects.filter(recipient=users["member"]).count() == 1
    seventh_in_district = order[6].unit_id == proposed.test_entries[0].unit_id
    assert Notification.objects.filter(recipient=users["unit_admin"]).count() == admin_told + (
        1 if seventh_in_district else 0
    )


# --- results_verify ------------------------------------------------------------------------


def test_verify_is_ok_after_publishing(proposed, organiser):
    publication = publish(organiser, proposed)

    verification = selectors.results_verify(proposed)

    assert verification.ok
    assert verification.problems == []
    assert verification.publication == publication
    assert verification.digest == publication.digest


def test_verify_refuses_unpublished_results(proposed):
    verification = selectors.results_verify(proposed)

    assert not verification.ok
    assert verification.publication is None


def test_verify_names_a_prize_changed_without_republishing(proposed, organiser):
    publish(organiser, proposed)
    seventh = ranked(proposed)[6]
    services.award_set(
        acting_user=organiser, entry=seventh, tier=tier(proposed, "三等奖"), reason="补"
    )

    verification = selectors.results_verify(proposed)

    assert not verification.ok
    assert verification.digest == verification.publication.digest  # the snapshot is intact
    assert len(verification.problems) == 1
    assert verification.problems[0].startswith(f"entry {seventh.code}: prize ")


def test_verify_names_a_score_changed_in_the_database(proposed, organiser):
    publish(organiser, proposed)
    first = ranked(proposed)[0]
    Result.objects.filter(round=proposed.test_round, entry=first).update(score=9.5)

    verification = selectors.results_verify(proposed)

    assert not verification.ok
    assert [p.split(" is ")[0] for p in verification.problems] == [f"entry {first.code}: score"]


def test_verify_reports_an_edited_snapshot(proposed, organiser):
    publication = publish(organiser, proposed)
    edited = dict(publication.snapshot)
    edited["rows"] = [dict(row) for row in edited["rows"]]
    edited["rows"][0]["prize"] = "二等奖"
    Publication.objects.filter(pk=publication.pk).update(snapshot=edited)

    verification = selectors.results_verify(proposed)

    assert not verification.ok
    assert verification.digest == snapshot_digest(edited) != publication.digest
    mismatch = [p for p in verification.problems if publication.digest in p]
    assert len(mismatch) == 1
    assert verification.digest in mismatch[0]
    code = ranked(proposed)[0].code
    assert any(p.startswith(f"entry {code}: prize ") for p in verification.problems)


def test_verify_names_an_entry_disqualified_after_publishing(proposed, organiser):
    publish(organiser, proposed)
    first = ranked(proposed)[0]
    Entry.objects.filter(pk=first.pk).update(state=Entry.State.DISQUALIFIED)

    verification = selectors.results_verify(proposed)

    assert not verification.ok
    assert [p.split(":")[0] for p in verification.problems] == [f"entry {first.code}"]
