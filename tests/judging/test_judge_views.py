"""The judge workspace over HTTP: blind pages, signed judge renditions only, saving as you
go (audited), and every way a judge could reach what is not theirs answered 404."""

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from laurel.audit.models import LogEntry
from laurel.contests.models import Entry, EntryFile
from laurel.judging import services
from laurel.judging.models import Assignment
from laurel.media import services as media_services
from tests.conftest import english_client
from tests.helpers import response_body

SECRET_DESCRIPTION = "作者自述：拍的是我父亲的渔船"
SECRET_PLACE = "奉节县白帝城码头"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return response_body(response)


def review_url(assignment) -> str:
    return reverse("judging:judge_review", args=[assignment.pk])


def save_url(assignment) -> str:
    return reverse("judging:judge_review_save", args=[assignment.pk])


def conflict_url(assignment) -> str:
    return reverse("judging:judge_conflict", args=[assignment.pk])


def work_of(round_, judge) -> list[Assignment]:
    return list(
        Assignment.objects.filter(round=round_, judge=judge)
        .exclude(state="withdrawn")
        .order_by("position", "pk")
    )


def scores_post(round_, value: int) -> dict:
    return {f"criterion_{c.pk}": str(value) for c in round_.criteria.all()}


@pytest.fixture
def judged(closed_contest, users, make_user, deadline):
    """An open scoring round of the 12 entries, one judge each, two judges; every entry has a
    description and a place that could name its author."""
    organiser = users["federation_admin"]
    Entry.objects.filter(contest=closed_contest).update(
        description=SECRET_DESCRIPTION, place=SECRET_PLACE
    )
    judge, other = users["judge"], make_user("judge")
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="复评",
        mode="score",
        deadline=deadline,
        per_entry=1,
        criteria=[("主题", 60, 1, 10), ("构图", 40, 1, 10)],
    )
    for person in (judge, other):
        services.seat_add(acting_user=organiser, round=round_, judge=person)
    services.assignment_solve(acting_user=organiser, round=round_)
    round_ = services.round_open(acting_user=organiser, round=round_)
    return SimpleNamespace(
        round=round_,
        organiser=organiser,
        judge=judge,
        other=other,
        mine=work_of(round_, judge),
        theirs=work_of(round_, other),
        client=client_of(judge),
    )


# --- blind -----------------------------------------------------------------------------------


def test_the_workspace_shows_the_title_and_nothing_that_names_the_author(judged):
    assignment = judged.mine[0]
    entry = Entry.objects.select_related("author", "unit__parent").get(pk=assignment.entry_id)
    photo = EntryFile.objects.select_related("asset").get(entry=entry)

    response = judged.client.get(review_url(assignment))

    assert response.status_code == 200
    html = response.content.decode()
    assert entry.title in html
    assert entry.category.name in html
    assert 'id="review-code"' in html
    for secret in (
        entry.author.name,
        entry.author.mobile,
        entry.author.id_card,
        entry.unit.name,
        entry.unit.parent.name,
        photo.asset.original_name,
        photo.asset.sha256,
        SECRET_DESCRIPTION,
        SECRET_PLACE,
    ):
        assert secret not in html, secret
    # the exif is never read into the page
    for value in photo.asset.exif.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in html


def test_the_photo_is_a_signed_judge_rendition_that_carries_no_file_name(judged):
    assignment = judged.mine[0]
    photo = EntryFile.objects.select_related("asset").get(entry_id=assignment.entry_id)

    html = judged.client.get(review_url(assignment)).content.decode()

    photos = html[html.index('id="review-photos"') :]
    (src,) = re.findall(r'<img src="([^"]+)"', photos)
    assert src.startswith("/media/s/")
    token = src.rstrip("/").rsplit("/", 1)[1]
    assert media_services.signed_target(token) == (photo.asset.pk, "judge")
    assert photo.asset.original_name not in src
    assert photo.asset.original_name.rsplit(".", 1)[0] not in src
    response = judged.client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert photo.asset.original_name not in response.get("Content-Disposition", "")
    assert body(response)[:2] == b"\xff\xd8"


def test_a_judge_never_gets_an_original(judged):
    photo = EntryFile.objects.select_related("asset").get(entry_id=judged.mine[0].entry_id)
    asset = photo.asset

    assert media_services.signed_url(judged.judge, asset, "original") is None
    for name in ("original", "judge"):  # private files have no unsigned URL
        url = reverse("media:rendition", args=[asset.pk, name])
        assert judged.client.get(url).status_code == 404
    # the judge's own signed URL cannot be turned into the original's
    judge_url = media_services.signed_url(judged.judge, asset, "judge")
    forged = judge_url.replace("/media/s/", "/media/s/x")
    assert judged.client.get(forged).status_code == 403


def test_the_save_answer_is_blind_too(judged):
    assignment = judged.mine[0]
    entry = Entry.objects.select_related("author", "unit").get(pk=assignment.entry_id)

    response = judged.client.post(save_url(assignment), scores_post(judged.round, 7))

    html = response.content.decode()
    for secret in (entry.author.name, entry.unit.name, entry.title, SECRET_PLACE):
        assert secret not in html


# --- saving ------------------------------------------------------------------------------------


def test_saving_scores_completes_the_review_and_is_audited(judged):
    assignment = judged.mine[0]
    first, second = judged.round.criteria.all()

    response = judged.client.post(
        save_url(assignment), {f"criterion_{first.pk}": "8"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert (assignment.state, assignment.scores) == ("open", {str(first.pk): 8})
    assert 'data-state="saved"' in response.content.decode()
    assert 'data-done="0"' in response.content.decode()

    response = judged.client.post(
        save_url(assignment), {f"criterion_{second.pk}": "6", "comment": "构图饱满"}
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.state == "done"
    assert assignment.scores == {str(first.pk): 8, str(second.pk): 6}
    assert assignment.comment == "构图饱满"
    html = response.content.decode()
    assert f'data-done="1" data-total="{len(judged.mine)}"' in html
    assert f">1 / {len(judged.mine)}<" in html

    saved = LogEntry.objects.filter(action="judging.review.saved", actor=judged.judge)
    assert saved.count() == 2
    assert saved.order_by("pk").last().data["scores"] == {str(first.pk): 8, str(second.pk): 6}


def test_scores_can_change_until_the_round_closes(judged):
    assignment = judged.mine[0]
    judged.client.post(save_url(assignment), scores_post(judged.round, 5))
    response = judged.client.post(save_url(assignment), scores_post(judged.round, 9))

    assert response.status_code == 200
    assignment.refresh_from_db()
    assert set(assignment.scores.values()) == {9}
    before = LogEntry.objects.filter(action="judging.review.saved").order_by("pk").last()
    assert set(before.data["before"]["scores"].values()) == {5}


@pytest.mark.parametrize(
    "value", ["11", "0", "-3", "seven", "7.5"], ids=["above", "below", "negative", "word", "half"]
)
def test_a_score_off_the_scale_is_refused_and_nothing_saved(judged, value):
    assignment = judged.mine[0]
    criterion = judged.round.criteria.first()
    logged = LogEntry.objects.filter(action="judging.review.saved").count()

    response = judged.client.post(save_url(assignment), {f"criterion_{criterion.pk}": value})

    assert response.status_code == 400
    assert 'data-state="error"' in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.state, assignment.scores) == ("open", {})
    assert LogEntry.objects.filter(action="judging.review.saved").count() == logged


def test_the_refusal_says_why_in_the_judges_language(judged):
    assignment = judged.mine[0]
    criterion = judged.round.criteria.first()
    client = english_client()
    client.force_login(judged.judge)

    response = client.post(save_url(assignment), {f"criterion_{criterion.pk}": "12"})

    assert response.status_code == 400
    assert "is scored from 1 to 10" in response.content.decode()


def test_an_unknown_criterion_or_an_empty_post_is_refused(judged):
    assignment = judged.mine[0]
    assert judged.client.post(save_url(assignment), {"criterion_999999": "5"}).status_code == 400
    assert judged.client.post(save_url(assignment), {}).status_code == 400
    assignment.refresh_from_db()
    assert assignment.scores == {}


def test_saving_needs_a_post(judged):
    assert judged.client.get(save_url(judged.mine[0])).status_code == 405


# --- what is not the judge's -------------------------------------------------------------------


def test_another_judges_review_is_not_found_by_any_url(judged):
    theirs = judged.theirs[0]

    assert judged.client.get(review_url(theirs)).status_code == 404
    assert judged.client.post(save_url(theirs), scores_post(judged.round, 9)).status_code == 404
    assert judged.client.post(conflict_url(theirs), {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.state, theirs.scores) == ("open", {})
    assert not LogEntry.objects.filter(action="judging.review.saved").exists()


def test_an_entry_not_assigned_to_the_judge_is_reached_by_no_url(judged):
    mine = {a.entry_id for a in judged.mine}
    for assignment in judged.theirs:
        assert assignment.entry_id not in mine
        for url in (review_url(assignment), save_url(assignment), conflict_url(assignment)):
            method = judged.client.get if url == review_url(assignment) else judged.client.post
            assert method(url).status_code == 404, url
        # nor through the entrants' pages
        my_entry = reverse("contests:my_entry", args=[assignment.entry_id])
        assert judged.client.get(my_entry).status_code == 404


def test_the_workspace_links_only_to_the_judges_own_reviews(judged):
    html = judged.client.get(review_url(judged.mine[0])).content.decode()

    linked = {int(pk) for pk in re.findall(r"/judge/reviews/(\d+)/", html)}
    assert linked == {a.pk for a in judged.mine}


def test_people_who_are_not_judges_have_no_workspace(judged, client_as):
    assignment = judged.mine[0]
    for role in ("member", "unit_admin"):
        client = client_as(role)
        assert client.get(reverse("judging:judge_home")).status_code == 403
        assert client.get(review_url(assignment)).status_code == 403
        assert client.post(save_url(assignment), scores_post(judged.round, 5)).status_code == 403
    anonymous = client_as("anonymous").get(review_url(assignment))
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]


def test_a_judge_of_a_closed_round_cannot_change_a_score(judged):
    assignment = judged.mine[0]
    judged.client.post(save_url(assignment), scores_post(judged.round, 6))
    services.round_close(acting_user=judged.organiser, round=judged.round)
    assignment.refresh_from_db()
    before = (assignment.state, assignment.scores, assignment.comment)

    response = judged.client.post(
        save_url(assignment), {**scores_post(judged.round, 9), "comment": "改一下"}
    )

    assert response.status_code == 400
    assignment.refresh_from_db()
    assert (assignment.state, assignment.scores, assignment.comment) == before
    # the page still opens, read-only: every control disabled, no conflict form
    html = judged.client.get(review_url(assignment)).content.decode()
    criterion = judged.round.criteria.first()
    range_input = re.search(rf'<input type="range" id="criterion-{criterion.pk}"[^>]*>', html)
    assert " disabled" in range_input.group(0)
    assert 'id="conflict-form"' not in html
    assert 'data-editable="false"' in html
    # and no conflict can be declared any more
    response = judged.client.post(conflict_url(assignment))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == "done"


def test_a_planned_round_is_invisible_to_its_judges(closed_contest, users, deadline):
    organiser, judge = users["federation_admin"], users["judge"]
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="初评",
        mode="qualify",
        deadline=deadline,
        per_entry=1,
    )
    services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    assignment = Assignment.objects.filter(round=round_, judge=judge).first()
    client = client_of(judge)

    assert client.get(reverse("judging:judge_round", args=[round_.pk])).status_code == 404
    assert client.get(review_url(assignment)).status_code == 404
    assert client.post(save_url(assignment), {"verdict": "pass"}).status_code == 404
    assert client.post(conflict_url(assignment)).status_code == 404
    home = client.get(reverse("judging:judge_home"))
    assert home.status_code == 200
    assert f'id="judge-round-{round_.pk}"' not in home.content.decode()
    assert 'id="judge-no-rounds"' in home.content.decode()
    assignment.refresh_from_db()
    assert assignment.verdict is None


# --- conflicts ---------------------------------------------------------------------------------


def test_declaring_a_conflict_hands_the_entry_to_another_judge(judged):
    conflicted, following = judged.mine[0], judged.mine[1]

    response = judged.client.post(conflict_url(conflicted), {"reason": "作者是我的同事"})

    assert response.status_code == 302
    assert response["Location"] == review_url(following)
    conflicted.refresh_from_db()
    assert (conflicted.state, conflicted.withdrawn_reason) == ("withdrawn", "conflict")
    assert judged.client.get(review_url(conflicted)).status_code == 404
    assert judged.client.post(save_url(conflicted), scores_post(judged.round, 5)).status_code == 404
    taken = Assignment.objects.get(
        round=judged.round, entry_id=conflicted.entry_id, state__in=["open", "done"]
    )
    assert taken.judge == judged.other
    logged = LogEntry.objects.get(action="judging.assignment.conflict")
    assert logged.data["reason"] == "作者是我的同事"
    # the judge's count goes down by one
    html = judged.client.get(review_url(following)).content.decode()
    assert f'data-total="{len(judged.mine) - 1}"' in html


# --- resuming and the list ---------------------------------------------------------------------


def test_resume_goes_to_the_first_open_review_then_the_last_when_all_are_done(judged):
    resume = reverse("judging:judge_round", args=[judged.round.pk])

    assert judged.client.get(resume)["Location"] == review_url(judged.mine[0])
    judged.client.post(save_url(judged.mine[0]), scores_post(judged.round, 7))
    judged.client.post(save_url(judged.mine[2]), scores_post(judged.round, 7))
    assert judged.client.get(resume)["Location"] == review_url(judged.mine[1])
    for assignment in judged.mine:
        judged.client.post(save_url(assignment), scores_post(judged.round, 7))
    assert judged.client.get(resume)["Location"] == review_url(judged.mine[-1])


def test_resume_of_a_round_without_the_judges_work_is_not_found(judged, make_user):
    stranger = client_of(make_user("judge"))
    resume = reverse("judging:judge_round", args=[judged.round.pk])
    assert stranger.get(resume).status_code == 404
    assert (
        client_of(judged.judge).get(reverse("judging:judge_round", args=[999999])).status_code
        == 404
    )


def test_previous_and_next_follow_the_judges_own_order(judged):
    middle = judged.mine[1]
    html = judged.client.get(review_url(middle)).content.decode()

    previous = re.search(r'id="review-previous"[^>]*href="([^"]+)"', html).group(1)
    following = re.search(r'id="review-next"[^>]*href="([^"]+)"', html).group(1)
    assert previous == review_url(judged.mine[0])
    assert following == review_url(judged.mine[2])
    first = judged.client.get(review_url(judged.mine[0])).content.decode()
    assert 'id="review-previous"' not in first
    last = judged.client.get(review_url(judged.mine[-1])).content.decode()
    assert 'id="review-next"' not in last


def test_the_workspace_has_the_controls_the_browser_journey_uses(judged):
    html = judged.client.get(review_url(judged.mine[0])).content.decode()
    for criterion in judged.round.criteria.all():
        assert (
            f'<input type="range" id="criterion-{criterion.pk}" name="criterion_{criterion.pk}"'
            in html
        )
        for value in range(criterion.low, criterion.high + 1):
            assert f'data-criterion="{criterion.pk}" data-value="{value}"' in html
    assert f'id="review-progress" data-done="0" data-total="{len(judged.mine)}"' in html
    assert 'id="save-status"' in html
    assert 'id="conflict-form"' in html
    assert 'id="conflict-reason"' in html
    assert 'id="conflict-submit"' in html
    assert "judging/workspace.js" in html


def test_the_judges_rounds_show_their_progress(judged):
    judged.client.post(save_url(judged.mine[0]), scores_post(judged.round, 7))

    response = judged.client.get(reverse("judging:judge_home"))

    html = response.content.decode()
    assert response.status_code == 200
    card = re.search(rf'id="judge-round-{judged.round.pk}"[^>]*>', html).group(0)
    assert 'data-done="1"' in card
    assert f'data-total="{len(judged.mine)}"' in card
    assert reverse("judging:judge_round", args=[judged.round.pk]) in html
    assert 'id="nav-judging"' in html


def test_only_judges_see_the_judging_link(judged, client_as):
    assert 'id="nav-judging"' not in client_as("member").get("/").content.decode()
    assert 'id="nav-judging"' in judged.client.get("/").content.decode()


def test_the_workspace_page_makes_a_bounded_number_of_queries(
    judged, django_assert_max_num_queries
):
    assignment = judged.mine[3]
    judged.client.get(review_url(assignment))  # warm the session and caches
    with django_assert_max_num_queries(12):
        response = judged.client.get(review_url(assignment))
    assert response.status_code == 200


# --- qualifying rounds -------------------------------------------------------------------------


def test_a_qualifying_round_takes_pass_or_fail(closed_contest, users, make_user, deadline):
    organiser, judge = users["federation_admin"], users["judge"]
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="初评",
        mode="qualify",
        deadline=deadline,
        per_entry=1,
    )
    services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    services.round_open(acting_user=organiser, round=round_)
    assignment = work_of(round_, judge)[0]
    client = client_of(judge)

    html = client.get(review_url(assignment)).content.decode()
    assert 'id="verdict-pass"' in html
    assert 'id="verdict-fail"' in html
    assert 'type="range"' not in html

    assert client.post(save_url(assignment), {"verdict": "maybe"}).status_code == 400
    assignment.refresh_from_db()
    assert assignment.verdict is None

    assert client.post(save_url(assignment), {"verdict": "fail"}).status_code == 200
    assignment.refresh_from_db()
    assert (assignment.verdict, assignment.state) == (False, "done")
    assert client.post(save_url(assignment), {"verdict": "pass"}).status_code == 200
    assignment.refresh_from_db()
    assert assignment.verdict is True
    html = client.get(review_url(assignment)).content.decode()
    assert re.search(r'id="verdict-pass"[^>]*aria-pressed="true"', html)
