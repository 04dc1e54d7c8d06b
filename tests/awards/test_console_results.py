"""The organiser's results pages over HTTP: the ranking with its method, the judges'
severity and the near ties; the method changed with a reason; prizes proposed, changed by
hand with a reason and capped per entrant; publishing and corrections; one entry's
breakdown; who may see any of it; and what the page costs in queries at 3,000 entries."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laurel.awards import selectors
from laurel.awards import services as awards
from laurel.awards.models import Award, AwardChange, Publication
from laurel.contests.forms import ContestForm
from laurel.contests.models import Contest, Entry, PrizeTier
from laurel.contests.services import contest_update
from laurel.core import prizes as core_prizes
from laurel.judging.models import Assignment, JudgeCalibration, Result, Round
from tests.awards.ranked_contest import ranked_contest
from tests.conftest import english_client

# --- helpers --------------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Every element of a page that has an id, with its attributes."""

    def __init__(self):
        super().__init__()
        self.by_id: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.by_id[attributes["id"]] = {"tag": tag, **attributes}


def elements(response) -> dict[str, dict]:
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser.by_id


def result_rows(response) -> dict[str, dict]:
    """The ranking table's rows by entry code, in page order."""
    return {
        name.removeprefix("result-"): attributes
        for name, attributes in elements(response).items()
        if name.startswith("result-") and attributes["tag"] == "tr"
    }


def results_url(contest) -> str:
    return reverse("awards:console_results", args=[contest.slug])


def entry_url(contest, entry) -> str:
    return reverse("awards:console_result_entry", args=[contest.slug, entry.number])


def award_url(contest, entry) -> str:
    return reverse("awards:console_award_set", args=[contest.slug, entry.number])


def ranked_entries(contest) -> list[Entry]:
    """The contest's entries in the final round's rank order."""
    return [r.entry for r in selectors.ranked_results(selectors.final_round(contest))]


def tier(contest, name: str) -> PrizeTier:
    return PrizeTier.objects.get(contest=contest, name=name)


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def organiser_client(client_as):
    return client_as("federation_admin")


@pytest.fixture
def english_organiser(organiser):
    client = english_client()
    client.force_login(organiser)
    return client


def proposed(contest, organiser):
    awards.awards_propose(acting_user=organiser, contest=contest)
    return contest


# --- the results page ----------------------------------------------------------------------


def test_the_page_shows_the_ranking_with_prizes_and_the_method(
    judged_contest, organiser, organiser_client
):
    proposed(judged_contest, organiser)
    response = organiser_client.get(results_url(judged_contest))
    assert response.status_code == 200
    page = elements(response)
    assert page["method-name"]["data-method"] == "calibrated"
    rows = result_rows(response)
    ranking = ranked_entries(judged_contest)
    assert list(rows) == [entry.code for entry in ranking]  # every ranked entry, in order
    assert [rows[e.code]["data-rank"] for e in ranking] == [str(n) for n in range(1, 13)]
    assert rows[ranking[0].code]["data-prize"] == "一等奖"
    assert [rows[e.code]["data-prize"] for e in ranking[1:3]] == ["二等奖", "二等奖"]
    assert rows[ranking[6].code]["data-prize"] == ""
    content = response.content.decode()
    best = ranking[0]
    assert best.title in content
    assert best.author.name in content
    assert best.unit.name in content
    assert entry_url(judged_contest, best) in content  # the code links to the breakdown
    counts = {
        row["data-tier"]: (row["data-given"], row["data-places"])
        for row in _rows_with(response, "data-tier")
    }
    assert counts == {"一等奖": ("1", "1"), "二等奖": ("2", "2"), "三等奖": ("3", "3")}
    for name in ("propose-form", "publish-form", "method-form", "publications", "award-changes"):
        assert name in page, name


def _rows_with(response, attribute: str) -> list[dict]:
    found = []

    class Rows(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if attribute in attributes:
                found.append(attributes)

    Rows().feed(response.content.decode())
    return found


def test_the_severity_chart_names_the_judges_and_their_offsets(judged_contest, organiser_client):
    response = organiser_client.get(results_url(judged_contest))
    page = elements(response)
    assert "severity-chart" in page
    judges = judged_contest.test_judges  # severity −1, 0, +1 in the fixture
    offsets = [float(page[f"severity-judge-{judge.pk}"]["data-offset"]) for judge in judges]
    assert offsets[0] < offsets[1] < offsets[2]
    assert offsets[0] < 0 < offsets[2]
    content = response.content.decode()
    assert all(judge.display_name in content for judge in judges)  # organisers see judges


def test_near_ties_list_the_entries_whose_intervals_cross_a_boundary(
    judged_contest, organiser, organiser_client
):
    proposed(judged_contest, organiser)
    round_ = selectors.final_round(judged_contest)
    page = elements(organiser_client.get(results_url(judged_contest)))
    prizes = {str(entry): name for entry, name in selectors.prizes_of(judged_contest).items()}
    tiers = ["一等奖", "二等奖", "三等奖"]

    def warnings():
        ranked = selectors.core_ranked(selectors.ranked_rows(round_))
        return core_prizes.boundary_warnings(ranked, prizes, tiers)

    before = warnings()
    assert page["near-ties"]["data-count"] == str(len(before))
    assert ("二等奖", "三等奖") not in [(w.above, w.below) for w in before]
    # the 4th (三等奖) is barely below the 3rd (二等奖): wide intervals reach across
    third, fourth = Result.objects.filter(round=round_, rank__in=[3, 4]).order_by("rank")
    Result.objects.filter(pk=fourth.pk).update(score=third.score - 0.05, high=third.score + 0.5)
    Result.objects.filter(pk=third.pk).update(low=third.score - 0.6)
    expected = warnings()
    assert ("二等奖", "三等奖") in [(w.above, w.below) for w in expected]
    response = organiser_client.get(results_url(judged_contest))
    page = elements(response)
    assert page["near-ties"]["data-count"] == str(len(expected))
    for n, warning in enumerate(expected, start=1):
        assert page[f"near-tie-{n}"]["data-above"] == warning.above
        assert page[f"near-tie-{n}"]["data-below"] == warning.below
    crossing = {int(pk) for w in expected for pk in w.entries_above + w.entries_below}
    codes = {e.code for e in Entry.objects.filter(pk__in=crossing)}
    marked = {
        code
        for code, row in result_rows(response).items()
        if "near-tie-row" in row.get("class", "")
    }
    assert marked == codes
    tie_section = response.content.decode().split('id="near-ties"')[1].split("</section>")[0]
    first = expected[0]
    score_of = {str(r.entry_id): r.score for r in selectors.ranked_rows(round_)}
    nearest = min(
        first.entries_above + first.entries_below, key=lambda pk: abs(score_of[pk] - first.score)
    )
    closest = Entry.objects.get(pk=int(nearest))
    assert entry_url(judged_contest, closest) in tie_section


def test_the_page_says_plainly_when_no_scoring_round_has_closed(closed_contest, organiser_client):
    response = organiser_client.get(results_url(closed_contest))
    assert response.status_code == 200
    page = elements(response)
    assert "results-empty" in page
    assert "results-table" not in page
    assert "publish-form" not in page


def test_the_contest_tabs_link_to_the_results_for_organisers(judged_contest, client_as):
    url = reverse("contests:console_contest", args=[judged_contest.slug])
    assert "nav-results" in elements(client_as("federation_admin").get(url))
    assert "nav-results" not in elements(client_as("unit_admin").get(url))


# --- the ranking method --------------------------------------------------------------------


def test_the_method_changes_with_a_reason_and_the_round_is_ranked_again(
    judged_contest, organiser_client
):
    round_ = selectors.final_round(judged_contest)
    url = reverse("awards:console_results_method", args=[judged_contest.slug])
    response = organiser_client.post(url, {"method": "mean", "reason": "评委会决定用平均分"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.method, round_.method_reason) == ("mean", "评委会决定用平均分")
    # with the mean every interval is gone and every score is a raw average
    assert not Result.objects.filter(round=round_, low__isnull=False).exists()
    page = organiser_client.get(results_url(judged_contest))
    assert elements(page)["method-name"]["data-method"] == "mean"
    assert "评委会决定用平均分" in page.content.decode()


def test_the_method_does_not_change_without_a_reason(judged_contest, organiser_client):
    round_ = selectors.final_round(judged_contest)
    before = list(Result.objects.filter(round=round_).values_list("entry_id", "rank", "score"))
    url = reverse("awards:console_results_method", args=[judged_contest.slug])
    response = organiser_client.post(url, {"method": "mean", "reason": "  "}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    round_.refresh_from_db()
    assert (round_.method, round_.method_reason) == ("calibrated", "")
    after = list(Result.objects.filter(round=round_).values_list("entry_id", "rank", "score"))
    assert after == before
    bogus = organiser_client.post(url, {"method": "astrology", "reason": "试"})
    assert bogus.status_code == 302
    round_.refresh_from_db()
    assert round_.method == "calibrated"


# --- prizes --------------------------------------------------------------------------------


def test_proposing_gives_the_six_prizes_down_the_ranking(judged_contest, organiser_client):
    url = reverse("awards:console_awards_propose", args=[judged_contest.slug])
    assert organiser_client.post(url).status_code == 302
    ranking = ranked_entries(judged_contest)
    given = dict(Award.objects.filter(contest=judged_contest).values_list("entry", "tier__name"))
    assert given == {
        ranking[0].pk: "一等奖",
        ranking[1].pk: "二等奖",
        ranking[2].pk: "二等奖",
        ranking[3].pk: "三等奖",
        ranking[4].pk: "三等奖",
        ranking[5].pk: "三等奖",
    }
    assert not Award.objects.filter(by_hand=True).exists()


def test_a_prize_changes_by_hand_with_its_reason_recorded(
    judged_contest, organiser, organiser_client
):
    proposed(judged_contest, organiser)
    seventh = ranked_entries(judged_contest)[6]
    response = organiser_client.post(
        award_url(judged_contest, seventh),
        {"tier": tier(judged_contest, "三等奖").pk, "reason": "评委复议后增补"},
    )
    assert response.status_code == 302
    award = Award.objects.get(entry=seventh)
    assert (award.tier.name, award.by_hand, award.reason) == ("三等奖", True, "评委复议后增补")
    change = AwardChange.objects.get(entry=seventh)
    assert (change.before, change.after, change.reason) == ("", "三等奖", "评委复议后增补")
    assert change.changed_by == organiser

    page = organiser_client.get(results_url(judged_contest))
    assert result_rows(page)[seventh.code]["data-prize"] == "三等奖"
    assert f"award-change-{change.pk}" in elements(page)
    assert "publish-problems" in elements(page)  # 三等奖 now given 4 times for 3 places
    assert "评委复议后增补" in page.content.decode()

    # and taken away again
    organiser_client.post(award_url(judged_contest, seventh), {"tier": "", "reason": "撤回"})
    assert not Award.objects.filter(entry=seventh).exists()
    assert AwardChange.objects.filter(entry=seventh, before="三等奖", after="").exists()


def test_a_prize_does_not_change_without_a_reason(judged_contest, organiser, organiser_client):
    proposed(judged_contest, organiser)
    first = ranked_entries(judged_contest)[0]
    response = organiser_client.post(
        award_url(judged_contest, first),
        {"tier": tier(judged_contest, "三等奖").pk, "reason": ""},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Award.objects.get(entry=first).tier.name == "一等奖"
    assert not AwardChange.objects.exists()


def test_the_per_entrant_cap_holds_when_proposing_and_by_hand(
    judged_contest, organiser, organiser_client
):
    ranking = ranked_entries(judged_contest)
    first, second = ranking[0], ranking[1]
    Entry.objects.filter(pk=second.pk).update(author=first.author)  # one author, two entries
    Contest.objects.filter(pk=judged_contest.pk).update(prizes_per_author=1)
    propose = reverse("awards:console_awards_propose", args=[judged_contest.slug])
    response = organiser_client.post(propose, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    given = dict(Award.objects.filter(contest=judged_contest).values_list("entry", "tier__name"))
    assert len(given) == 6
    assert given[first.pk] == "一等奖"
    assert second.pk not in given
    assert given[ranking[6].pk] == "三等奖"  # the place passed down the ranking

    response = organiser_client.post(
        award_url(judged_contest, second),
        {"tier": tier(judged_contest, "二等奖").pk, "reason": "想再给一个"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert first.author.name in str(list(response.context["messages"])[0])
    assert not Award.objects.filter(entry=second).exists()
    assert not AwardChange.objects.exists()


# --- publishing ----------------------------------------------------------------------------


def test_publishing_makes_version_one_and_shows_its_digest(
    judged_contest, organiser, organiser_client
):
    proposed(judged_contest, organiser)
    url = reverse("awards:console_results_publish", args=[judged_contest.slug])
    assert organiser_client.post(url, {"confirm": "1"}).status_code == 302
    publication = Publication.objects.get(contest=judged_contest)
    assert publication.version == 1
    assert publication.digest == selectors.results_verify(judged_contest).digest
    page = organiser_client.get(results_url(judged_contest))
    found = elements(page)
    assert found["publication-1"]["data-digest"] == publication.digest
    assert publication.digest in page.content.decode()
    assert "reason" in page.context["publish_form"].fields  # the next one is a correction


def test_a_correction_needs_a_reason_and_becomes_version_two(
    judged_contest, organiser, organiser_client
):
    proposed(judged_contest, organiser)
    awards.results_publish(acting_user=organiser, contest=judged_contest)
    url = reverse("awards:console_results_publish", args=[judged_contest.slug])
    response = organiser_client.post(url, {"reason": ""}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Publication.objects.filter(contest=judged_contest).count() == 1

    seventh = ranked_entries(judged_contest)[6]
    sixth = ranked_entries(judged_contest)[5]
    awards.award_set(acting_user=organiser, entry=sixth, tier=None, reason="资格问题")
    awards.award_set(
        acting_user=organiser, entry=seventh, tier=tier(judged_contest, "三等奖"), reason="递补"
    )
    organiser_client.post(url, {"reason": "第六名资格问题，第七名递补", "confirm": "1"})
    versions = list(
        Publication.objects.filter(contest=judged_contest).values_list("version", "reason")
    )
    assert versions == [(2, "第六名资格问题，第七名递补"), (1, "")]
    page = organiser_client.get(results_url(judged_contest))
    assert {"publication-1", "publication-2"} <= set(elements(page))
    assert "第六名资格问题，第七名递补" in page.content.decode()


def test_publishing_is_refused_before_any_prize_is_given(judged_contest, organiser_client):
    url = reverse("awards:console_results_publish", args=[judged_contest.slug])
    response = organiser_client.post(url, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Publication.objects.exists()


def test_refusals_are_told_in_the_readers_language(judged_contest, english_organiser):
    url = reverse("awards:console_results_publish", args=[judged_contest.slug])
    response = english_organiser.post(url, follow=True)
    assert "propose them from the ranking first" in response.content.decode()


# --- one entry -----------------------------------------------------------------------------


def test_an_entry_shows_every_judges_scores_its_estimate_and_its_rank(
    judged_contest, organiser, organiser_client
):
    proposed(judged_contest, organiser)
    best = ranked_entries(judged_contest)[0]
    response = organiser_client.get(entry_url(judged_contest, best))
    assert response.status_code == 200
    page = elements(response)
    assert page["entry-result"]["data-rank"] == "1"
    assert page["entry-award"]["data-prize"] == "一等奖"
    assert "award-form" in page
    round_ = selectors.final_round(judged_contest)
    criterion = str(round_.criteria.get().pk)
    reviews = Assignment.objects.filter(round=round_, entry=best, state="done")
    assert reviews.count() == 3
    for review in reviews:
        row = page[f"entry-review-{review.judge_id}"]
        assert float(row["data-weighted"]) == float(review.scores[criterion])
    calibration = JudgeCalibration.objects.get(round=round_, judge=reviews[0].judge)
    assert f"{calibration.offset:+.2f}" in response.content.decode()
    result = Result.objects.get(round=round_, entry=best)
    assert f"{result.low:.2f}" in response.content.decode()
    # the photo (not published yet) by a URL only this organiser can use
    html = response.content.decode()
    (src,) = re.findall(r'<img src="([^"]+)"', html[html.index('id="entry-photos"') :])
    assert src.startswith("/media/s/")
    photo = organiser_client.get(src)
    assert (photo.status_code, photo["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    photo.close()
    for judge in judged_contest.test_judges:
        assert judge.display_name in response.content.decode()


def test_an_entry_shows_its_verdicts_in_an_earlier_qualifying_round(
    judged_contest, organiser, organiser_client
):
    entry = judged_contest.test_entries[0]
    judge = judged_contest.test_judges[0]
    qualifying = Round.objects.create(
        contest=judged_contest,
        position=0,
        name="初评",
        mode=Round.Mode.QUALIFY,
        deadline=timezone.now(),
        state=Round.State.CLOSED,
    )
    Round.objects.filter(pk=judged_contest.test_round.pk).update(position=1)
    Assignment.objects.create(
        round=qualifying, entry=entry, judge=judge, state="done", verdict=True, comment="构图好"
    )
    Result.objects.create(round=qualifying, entry=entry, passed=True, reviews=1)
    response = organiser_client.get(entry_url(judged_contest, entry))
    assert f"earlier-round-{qualifying.pk}" in elements(response)
    assert "构图好" in response.content.decode()


def test_an_entry_of_another_contest_is_not_found(
    judged_contest, contest_factory, organiser_client
):
    other = contest_factory("photo-other")
    stranger = judged_contest.test_entries[0]
    Entry.objects.create(
        contest=other,
        number=99,
        category=other.categories.first(),
        kind="single",
        author=stranger.author,
        unit=stranger.unit,
        title="别处的作品",
    )
    url = reverse("awards:console_result_entry", args=[judged_contest.slug, 99])
    assert organiser_client.get(url).status_code == 404
    post = reverse("awards:console_award_set", args=[judged_contest.slug, 99])
    assert organiser_client.post(post, {"tier": "", "reason": "试"}).status_code == 404
    missing = reverse("awards:console_results", args=["no-such-contest"])
    assert organiser_client.get(missing).status_code == 404


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "member", "judge", "unit_admin"])
def test_only_organisers_reach_the_results_pages(judged_contest, client_as, organiser, role):
    proposed(judged_contest, organiser)
    client = client_as(role)
    entry = judged_contest.test_entries[0]
    slug = judged_contest.slug
    gets = [results_url(judged_contest), entry_url(judged_contest, entry)]
    posts = [
        (reverse("awards:console_results_method", args=[slug]), {"method": "mean", "reason": "x"}),
        (reverse("awards:console_awards_propose", args=[slug]), {}),
        (reverse("awards:console_results_publish", args=[slug]), {}),
        (award_url(judged_contest, entry), {"tier": "", "reason": "x"}),
    ]
    awards_before = list(Award.objects.values_list("entry", "tier", "by_hand"))
    for url in gets:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 403
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == (302 if role == "anonymous" else 403)
    assert list(Award.objects.values_list("entry", "tier", "by_hand")) == awards_before
    assert not Publication.objects.exists()
    assert not AwardChange.objects.exists()
    assert selectors.final_round(judged_contest).method == "calibrated"


def test_the_posts_answer_post_only(judged_contest, organiser_client):
    url = reverse("awards:console_awards_propose", args=[judged_contest.slug])
    assert organiser_client.get(url).status_code == 405
    assert not Award.objects.exists()


# --- the contest's set-up ------------------------------------------------------------------


def test_the_contest_form_sets_the_prize_cap_and_the_issuer_even_while_judging(
    judged_contest, organiser
):
    form = ContestForm(instance=judged_contest)
    shown = [field.name for _legend, fields in form.fieldsets() for field in fields]
    assert {"prizes_per_author", "certificate_issuer"} <= set(shown)
    assert not form.fields["prizes_per_author"].disabled  # judging has started
    contest_update(
        acting_user=organiser,
        contest=judged_contest,
        prizes_per_author=2,
        certificate_issuer="市总工会宣传部",
    )
    judged_contest.refresh_from_db()
    assert (judged_contest.prizes_per_author, judged_contest.certificate_issuer) == (
        2,
        "市总工会宣传部",
    )


# --- what it costs -------------------------------------------------------------------------------


def results_contest(world, organiser, size: int, slug: str) -> Contest:
    return ranked_contest(
        organiser=organiser, units=[world.grassroots, world.other_grassroots], size=size, slug=slug
    )


def test_the_page_of_3000_entries_takes_a_few_queries(
    world, organiser, organiser_client, django_assert_max_num_queries
):
    contest = results_contest(world, organiser, 3000, "bench-3000")
    with django_assert_max_num_queries(20):
        response = organiser_client.get(results_url(contest))
    assert response.status_code == 200
    rows = result_rows(response)
    assert len(rows) == 3000
    assert rows["0001"]["data-prize"] == "一等奖"
    assert rows["3000"]["data-rank"] == "3000"


def test_the_page_takes_as_many_queries_for_3000_entries_as_for_300(
    world, organiser, organiser_client
):
    def queries_for(size: int) -> int:
        contest = results_contest(world, organiser, size, f"bench-{size:04d}")
        with CaptureQueriesContext(connection) as captured:
            response = organiser_client.get(results_url(contest))
        assert len(result_rows(response)) == size
        return len(captured)

    assert queries_for(300) == queries_for(3000)
