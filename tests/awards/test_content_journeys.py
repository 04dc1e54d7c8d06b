"""Content kinds end to end (issue 22): a contest whose entries carry no files (a team's
performance, judged on the day) taken from submission through a blind scoring round, prizes,
a verified publication and a certificate naming the team, with every page and document that
shows entries working for entries without files; and a document contest's file shown by its
name, never as a photo."""

import io
import zipfile
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from laurel.awards import certificates, selectors
from laurel.awards import services as awards
from laurel.awards.models import Award, Certificate, Publication
from laurel.contests.models import Contest, Declaration, EntryFile, Flag
from laurel.contests.services import entry_submit
from laurel.judging.models import Assignment
from laurel.media import services as media_services
from laurel.media.models import MediaAsset
from laurel.members.services import team_create
from tests.awards.test_entrant_journeys import judged_and_published, pdf_text, prize_tiers
from tests.conftest import english_client, make_member
from tests.helpers import response_body

TEAMS = ["晨光舞蹈队", "夕阳合唱团", "银铃广播操队"]


def entered_without_files(capture_on_commit, user, contest, team, title):
    """A team's entry with no files, processed as submission queues it."""
    with capture_on_commit(execute=True):
        entry = entry_submit(
            acting_user=user,
            contest=contest,
            team=team,
            category=contest.categories.first(),
            title=title,
            uploads=[],
            declarations=[Declaration.PUBLICATION],
        )
    entry.refresh_from_db()
    return entry


def english_as(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def performances(
    contest_factory, world, users, make_user, deadline, django_capture_on_commit_callbacks
):
    """A team contest of performances judged on the day (``content="none"``), its three
    teams' entries judged in one scoring round, prizes proposed and published."""
    organiser = users["federation_admin"]
    contest = contest_factory("dance-live-2026", entrants="teams", content="none")
    prize_tiers(contest, [("一等奖", 1, False), ("二等奖", 1, False)])
    leaders = [make_member(world.grassroots, 720 + k, name=f"领队{k}") for k in range(3)]
    teams = [
        team_create(
            acting_user=None, unit=world.grassroots, name=name, leader=leader, members=[leader]
        )
        for name, leader in zip(TEAMS, leaders, strict=True)
    ]
    entries = [
        entered_without_files(
            django_capture_on_commit_callbacks, organiser, contest, team, f"节目{n}"
        )
        for n, team in enumerate(teams)
    ]
    for entry in entries:  # accepted, with nothing to process or screen
        assert entry.state == "accepted"
        assert not entry.files.exists()
    assert not Flag.objects.filter(entry__contest=contest).exists()
    quality = dict(zip([e.pk for e in entries], [9, 6, 3], strict=True))
    contest, judge_pages = judged_and_published(contest, quality, users, make_user, deadline)
    awards.results_publish(acting_user=organiser, contest=contest, reason="")
    contest.refresh_from_db()
    contest.test_entries, contest.test_judge_pages = entries, judge_pages
    return contest


def test_a_performance_is_judged_blind_with_no_photos_shown(performances, world):
    assert len(performances.test_judge_pages) == 3
    for page in performances.test_judge_pages.values():
        for name in [*TEAMS, "领队0", world.grassroots.name]:
            assert name not in page
        assert "<img" not in page
        assert 'id="review-photos"' not in page  # no empty photo strip
        assert "1 / 0" not in page
        assert 'id="review-no-files"' in page
    assignment = Assignment.objects.filter(round__contest=performances).first()
    page = english_as(assignment.judge).get(reverse("judging:judge_review", args=[assignment.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Judged on the day: this entry carries no files." in text
    assert "photo" not in text.lower()  # no hint or shortcut about photos it does not have


def test_a_performance_is_published_verified_and_certified_in_its_teams_name(performances):
    best = performances.test_entries[0]
    prizes = {a.entry_id: a.tier.name for a in Award.objects.filter(contest=performances)}
    assert prizes == {best.pk: "一等奖", performances.test_entries[1].pk: "二等奖"}
    publication = Publication.objects.get(contest=performances)
    [row] = [r for r in publication.snapshot["rows"] if r["entry"] == best.code]
    assert (row["author"], row["prize"]) == ("晨光舞蹈队", "一等奖")
    assert selectors.results_verify(performances).ok
    out = StringIO()
    call_command("contest", "verify", performances.slug, stdout=out)
    assert out.getvalue().strip() == f"ok {publication.digest}"

    certificate = Certificate.objects.get(entry=best, revoked_at__isnull=True)
    assert certificate.recipient == "晨光舞蹈队"
    text = pdf_text(certificates.certificate_pdf(certificate))
    assert "晨光舞蹈队" in text
    assert "节目0" in text
    assert "领队0" not in text


def test_the_public_pages_of_a_performance_show_no_missing_pictures(performances):
    best = performances.test_entries[0]
    public = english_client()
    results = public.get(reverse("awards:public_results", args=[performances.slug]))
    text = results.content.decode()
    assert results.status_code == 200
    assert "晨光舞蹈队" in text
    assert "<img" not in text
    assert "thumb-placeholder" not in text  # no empty frame where a thumbnail would be

    gallery = public.get(reverse("awards:exhibition", args=[performances.slug]))
    text = gallery.content.decode()
    assert gallery.status_code == 200
    assert 'id="work-' + best.code + '"' in text
    assert "No picture" not in text
    assert "exhibition-frame" not in text
    work = public.get(reverse("awards:exhibition_work", args=[performances.slug, best.code]))
    text = work.content.decode()
    assert work.status_code == 200
    assert "晨光舞蹈队" in text
    assert "No picture" not in text
    assert "exhibition-photos" not in text

    winners = public.get(reverse("awards:winners_list", args=[performances.slug]))
    assert winners.status_code == 200
    listed = pdf_text(response_body(winners))
    assert "晨光舞蹈队" in listed
    assert "节目0" in listed


def test_the_console_pages_and_documents_of_a_performance(performances, users):
    best = performances.test_entries[0]
    console = english_as(users["federation_admin"])
    page = console.get(
        reverse("awards:console_result_entry", args=[performances.slug, best.number])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "No photos." not in text
    assert 'id="entry-photos"' not in text
    assert "Judged on the day: this entry carries no files." in text
    assert "晨光舞蹈队" in text

    results = xlsx_rows(
        console.get(reverse("awards:console_export", args=[performances.slug, "results"]))
    )
    assert results[0][3] == "Author"
    [row] = [r for r in results if r[1] == best.code]
    assert (row[3], row[10]) == ("晨光舞蹈队", "一等奖")
    entries = xlsx_rows(
        console.get(reverse("awards:console_export", args=[performances.slug, "entries"]))
    )
    assert entries[0][3] == "Kind"
    [row] = [r for r in entries if r[0] == best.code]
    assert row[5] == "晨光舞蹈队"
    assert row[3] == "No files (judged on the day)"  # not "Single photo"

    zipped = console.get(reverse("awards:console_originals_zip", args=[performances.slug]))
    assert zipped.status_code == 302  # nothing to zip: said so, not an empty archive
    assert zipped["Location"] == reverse("contests:console_contest", args=[performances.slug])
    said = [str(m) for m in get_messages(zipped.wsgi_request)]
    assert said == [
        "This contest's entries carry no files, so there are no originals to download. "
        "The results with prizes (Excel) list the winners."
    ]


def test_publishing_a_performance_promises_no_photos(performances, users):
    console = english_as(users["federation_admin"])
    url = reverse("awards:console_results_publish", args=[performances.slug])
    text = console.post(url, {"reason": "更正"}).content.decode()  # a correction, asked first
    assert "2 prizes become public." in text
    assert "photos" not in text


# --- a document contest: a file shown by its name, never as a photo ---------------------


@pytest.fixture
def document_entry(judged_contest, organiser):
    """The judged contest turned into a document contest (as a future document pipeline
    would leave it): its best entry's one file a PDF, processed, with no renditions."""
    Contest.objects.filter(pk=judged_contest.pk).update(content=Contest.Content.DOCUMENT)
    judged_contest.refresh_from_db()
    entry = judged_contest.test_entries[0]
    asset = media_services.asset_upload(
        acting_user=organiser,
        chunks=[b"%PDF-1.4\n% a case study\n%%EOF\n"],
        original_name="创新案例.pdf",
        max_bytes=1_000_000,
        queue=False,
    )
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaAsset.Status.READY)
    EntryFile.objects.filter(entry=entry).update(asset=asset, kind=EntryFile.Kind.DOCUMENT)
    return judged_contest, entry, asset


def test_a_judge_sees_a_document_named_by_its_place_never_as_a_photo(document_entry):
    contest, entry, asset = document_entry
    assignment = Assignment.objects.filter(round=contest.test_round, entry=entry).first()
    page = english_as(assignment.judge).get(reverse("judging:judge_review", args=[assignment.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="review-files"' in text
    assert "Document 1" in text
    assert "<img" not in text
    assert "still being prepared" not in text  # not a photo waiting for its rendition
    assert "创新案例" not in text  # blind: no file name
    assert "/media/s/" not in text  # judges may not have the original


def test_the_console_shows_a_document_by_its_name_and_zips_it(document_entry, organiser):
    contest, entry, asset = document_entry
    console = english_as(organiser)
    page = console.get(reverse("awards:console_result_entry", args=[contest.slug, entry.number]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "创新案例.pdf" in text
    assert "<img" not in text.split('id="entry-files"', 1)[1].split("</section>", 1)[0]
    link = media_services.signed_read(
        text.split('id="entry-file-1" href="/media/s/', 1)[1].split("/", 1)[0]
    )
    assert (link.asset_id, link.rendition) == (asset.pk, "original")

    awards.awards_propose(acting_user=organiser, contest=contest)
    zipped = console.get(reverse("awards:console_originals_zip", args=[contest.slug]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    tier = Award.objects.get(entry=entry).tier.name
    name = f"{tier}/{entry.code}_{entry.title}_{entry.author.name}.pdf"
    assert archive.read(name) == b"%PDF-1.4\n% a case study\n%%EOF\n"


def test_publishing_leaves_a_winning_document_private(document_entry, organiser):
    contest, entry, asset = document_entry
    awards.awards_propose(acting_user=organiser, contest=contest)
    awards.results_publish(acting_user=organiser, contest=contest, reason="")
    assert Award.objects.filter(entry=entry).exists()
    asset.refresh_from_db()
    assert asset.published_at is None  # only photos are published with the results
    second = contest.test_entries[1]
    assert Award.objects.filter(entry=second).exists()
    assert MediaAsset.objects.get(pk=second.files.get().asset_id).published_at is not None
    public = english_client()  # the public pages show the document's work by its facts
    for url in (
        reverse("awards:public_results", args=[contest.slug]),
        reverse("awards:exhibition", args=[contest.slug]),
        reverse("awards:exhibition_work", args=[contest.slug, entry.code]),
    ):
        page = public.get(url)
        assert page.status_code == 200
        assert "<img" not in page.content.decode()
        assert "No picture" not in page.content.decode()
