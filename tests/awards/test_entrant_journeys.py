"""Teams and units as entrants, end to end through the services (issue 22): submitted by
those who may, screened, judged blind in a scoring round, ranked, given prizes under the
per-entrant cap (a team is one entrant), published in a snapshot that names them, verified,
and certified in their own names; and a unit's own prize (优秀组织奖) given, published and
certified."""

import io
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from laurel.awards import certificates
from laurel.awards import services as awards
from laurel.awards.models import Award, Certificate, Publication, UnitAward
from laurel.contests.models import Contest, Flag, PrizeTier
from laurel.contests.services import contest_transition, entry_submit, flag_resolve
from laurel.judging import services as judging
from laurel.judging.models import Assignment
from laurel.members.services import team_create
from tests.conftest import english_client, make_member
from tests.contests.conftest import ALL_DECLARATIONS
from tests.helpers import response_body
from tests.judging.conftest import Upload, small_jpeg


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def judged_and_published(contest, quality, users, make_user, deadline):
    """Close ``contest``, keep every flag, judge it in one scoring round by two judges (each
    entry scored ``quality[entry]``), close the round, propose the prizes and publish."""
    organiser = users["federation_admin"]
    contest = contest_transition(acting_user=organiser, contest=contest, to="closed")
    for flag in Flag.objects.filter(entry__contest=contest):
        flag_resolve(acting_user=organiser, flag=flag, decision=Flag.State.KEPT, reason="已核实")
    judges = [make_user("judge", display_name=f"评委{k}") for k in range(2)]
    round_ = judging.round_create(
        acting_user=organiser,
        contest=contest,
        name="复评",
        mode="score",
        deadline=deadline,
        per_entry=2,
        criteria=[("总分", 1, 1, 10)],
    )
    for judge in judges:
        judging.seat_add(acting_user=organiser, round=round_, judge=judge)
    judging.assignment_solve(acting_user=organiser, round=round_)
    judging.round_open(acting_user=organiser, round=round_)
    criterion = str(round_.criteria.get().pk)
    assignments = list(Assignment.objects.filter(round=round_).select_related("judge"))
    judge_pages = {}
    for assignment in assignments:
        client = Client()
        client.force_login(assignment.judge)
        page = client.get(reverse("judging:judge_review", args=[assignment.pk]))
        assert page.status_code == 200
        judge_pages[assignment.entry_id] = page.content.decode()
        judging.review_save(
            acting_user=assignment.judge,
            assignment=assignment,
            scores={criterion: quality[assignment.entry_id]},
        )
    judging.round_close(acting_user=organiser, round=round_)
    contest.refresh_from_db()
    awards.awards_propose(acting_user=organiser, contest=contest)
    return contest, judge_pages


def prize_tiers(contest, tiers):
    PrizeTier.objects.filter(contest=contest).delete()
    for position, (name, count, for_units) in enumerate(tiers):
        PrizeTier.objects.create(
            contest=contest, name=name, count=count, position=position, for_units=for_units
        )


def submitted(capture_on_commit, user, contest, **entrant):
    with capture_on_commit(execute=True):
        entry = entry_submit(
            acting_user=user,
            contest=contest,
            category=contest.categories.first(),
            title=entrant.pop("title"),
            uploads=[Upload(f"photo-{entrant['seed']}.jpg", [small_jpeg(entrant.pop("seed"))])],
            declarations=ALL_DECLARATIONS,
            **entrant,
        )
    entry.refresh_from_db()
    return entry


def test_teams_from_submission_to_certificates_with_a_team_as_one_entrant(
    contest_factory, world, users, make_user, deadline, django_capture_on_commit_callbacks
):
    organiser = users["federation_admin"]
    contest = contest_factory("dance-2026", entrants="teams", prizes_per_author=1)
    prize_tiers(contest, [("一等奖", 1, False), ("二等奖", 1, False)])
    leaders = [make_member(world.grassroots, 700 + k, name=f"队长{k}") for k in range(3)]
    teams = [
        team_create(
            acting_user=None, unit=world.grassroots, name=name, leader=leader, members=[leader]
        )
        for name, leader in zip(["晨光舞蹈队", "夕阳合唱团", "银铃广播操队"], leaders, strict=True)
    ]
    best, second_of_best, other, last = (
        submitted(
            django_capture_on_commit_callbacks,
            organiser,
            contest,
            team=teams[0],
            title="作品甲",
            seed=801,
        ),
        submitted(
            django_capture_on_commit_callbacks,
            organiser,
            contest,
            team=teams[0],
            title="作品乙",
            seed=802,
        ),
        submitted(
            django_capture_on_commit_callbacks,
            users["unit_admin"],
            contest,
            team=teams[1],
            title="作品丙",
            seed=803,
        ),
        submitted(
            django_capture_on_commit_callbacks,
            organiser,
            contest,
            team=teams[2],
            title="作品丁",
            seed=804,
        ),
    )
    quality = {best.pk: 10, second_of_best.pk: 9, other.pk: 7, last.pk: 3}

    contest, judge_pages = judged_and_published(contest, quality, users, make_user, deadline)

    for page in judge_pages.values():  # judged blind: no team, leader or unit named
        for name in ["晨光舞蹈队", "夕阳合唱团", "银铃广播操队", "队长0", world.grassroots.name]:
            assert name not in page
    prizes = {a.entry_id: a.tier.name for a in Award.objects.filter(contest=contest)}
    assert prizes == {best.pk: "一等奖", other.pk: "二等奖"}  # the team holds one prize only

    awards.results_publish(acting_user=organiser, contest=contest, reason="")
    publication = Publication.objects.get(contest=contest)
    named = {row["entry"]: (row["author"], row["unit"]) for row in publication.snapshot["rows"]}
    assert named[best.code] == ("晨光舞蹈队", world.grassroots.name)
    assert "unit_prizes" not in publication.snapshot
    out = StringIO()
    call_command("contest", "verify", contest.slug, stdout=out)
    assert out.getvalue().strip() == f"ok {publication.digest}"

    public = english_client()
    results = public.get(reverse("awards:public_results", args=[contest.slug])).content.decode()
    assert "<th>Team · Unit</th>" in results
    assert "晨光舞蹈队" in results
    winners = public.get(reverse("awards:winners_list", args=[contest.slug]))
    assert "参赛队" in pdf_text(response_body(winners))  # the column names the team

    certificate = Certificate.objects.get(entry=best, revoked_at__isnull=True)
    assert certificate.recipient == "晨光舞蹈队"
    text = pdf_text(certificates.certificate_pdf(certificate))
    assert "晨光舞蹈队" in text
    assert "作品甲" in text
    assert "一等奖" in text
    assert "队长0" not in text


def test_units_from_submission_to_certificates_and_a_units_own_prize(
    contest_factory, world, users, make_user, deadline, django_capture_on_commit_callbacks
):
    organiser = users["federation_admin"]
    contest = contest_factory("cases-2026", entrants="units")
    prize_tiers(contest, [("一等奖", 1, False), ("优秀组织奖", 1, True)])
    near = submitted(
        django_capture_on_commit_callbacks,
        users["unit_admin"],
        contest,
        unit=world.grassroots,
        title="创新案例甲",
        seed=901,
    )
    far = submitted(
        django_capture_on_commit_callbacks,
        organiser,
        contest,
        unit=world.other_grassroots,
        title="创新案例乙",
        seed=902,
    )
    quality = {near.pk: 9, far.pk: 4}

    contest, judge_pages = judged_and_published(contest, quality, users, make_user, deadline)

    for page in judge_pages.values():
        assert world.grassroots.name not in page
        assert world.other_grassroots.name not in page
    assert {a.entry_id: a.tier.name for a in Award.objects.filter(contest=contest)} == {
        near.pk: "一等奖"
    }
    awards.unit_awards_propose(acting_user=organiser, contest=contest)
    [proposed] = UnitAward.objects.filter(contest=contest)
    assert proposed.unit == world.district  # the district whose subtree holds the prize
    awards.results_publish(acting_user=organiser, contest=contest, reason="")

    publication = Publication.objects.get(contest=contest)
    [row] = [r for r in publication.snapshot["rows"] if r["entry"] == near.code]
    assert (row["author"], row["unit"], row["prize"]) == (
        world.grassroots.name,
        world.grassroots.name,
        "一等奖",
    )
    assert publication.snapshot["unit_prizes"] == [
        {"unit": world.district.name, "prize": "优秀组织奖"}
    ]
    out = StringIO()
    call_command("contest", "verify", contest.slug, stdout=out)
    assert out.getvalue().strip() == f"ok {publication.digest}"

    entry_certificate = Certificate.objects.get(entry=near, revoked_at__isnull=True)
    assert entry_certificate.recipient == world.grassroots.name
    assert world.grassroots.name in pdf_text(certificates.certificate_pdf(entry_certificate))
    unit_certificate = Certificate.objects.get(awarded_unit=world.district, revoked_at__isnull=True)
    text = pdf_text(certificates.certificate_pdf(unit_certificate))
    assert world.district.name in text
    assert "优秀组织奖" in text
    assert Contest.objects.get(pk=contest.pk).state == Contest.State.PUBLISHED
