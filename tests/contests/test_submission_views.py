"""Submitting through the pages: the call for entries, a member's own entries, unit admins
submitting for their members, and bulk submission file by file."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from laurel.contests.models import BulkSubmission, Declaration, Entry, Flag
from laurel.contests.services import flag_resolve
from laurel.media import services as media_services
from laurel.members.services import member_user_link
from tests.conftest import english_client, make_member
from tests.contests.conftest import ALL_DECLARATIONS, member_entry_submit
from tests.helpers import jpeg, photo

DECLARE_ALL = {f"declare_{code}": "on" for code in Declaration.values}


def jpeg_file(seed: int, name: str | None = None) -> SimpleUploadedFile:
    data = jpeg(photo(seed, (1200, 900)))
    return SimpleUploadedFile(name or f"photo-{seed}.jpg", data, content_type="image/jpeg")


def entry_data(contest, *, photos, kind="single", title="春天的工地", **extra) -> dict:
    return {
        "category": contest.categories.first().pk,
        "title": title,
        "description": "清晨的塔吊",
        "place": "永川",
        "taken_on": "",
        "kind": kind,
        "photos": photos,
        **extra,
    }


def signed_photos(response) -> set[tuple[int, str]]:
    tokens = re.findall(r'/media/s/([^/"]+)/', response.content.decode())
    return {media_services.signed_target(token) for token in tokens}


def submit_url(contest) -> str:
    return reverse("contests:entry_submit", args=[contest.slug])


# --- the call for entries -----------------------------------------------------------------


def test_the_call_for_entries_is_public_and_drafts_are_not(contest, contest_factory, client_as):
    draft = contest_factory("draft-2026", state="draft", title="草稿比赛")
    anonymous = client_as("anonymous")
    listing = anonymous.get(reverse("contests:contest_list"))
    assert listing.status_code == 200
    assert contest.title.encode() in listing.content
    assert b"draft-2026" not in listing.content
    page = anonymous.get(reverse("contests:contest_detail", args=[contest.slug]))
    assert page.status_code == 200
    assert submit_url(contest).encode() in page.content
    assert b'id="submit-entry"' in page.content
    assert b"\xe4\xb8\x80\xe7\xad\x89\xe5\xa5\x96" in page.content  # 一等奖, a prize tier
    assert anonymous.get(reverse("contests:contest_detail", args=[draft.slug])).status_code == 404
    assert (
        client_as("member").get(reverse("contests:contest_detail", args=[draft.slug])).status_code
        == 404
    )
    organiser = client_as("federation_admin")
    assert organiser.get(reverse("contests:contest_detail", args=[draft.slug])).status_code == 200


def test_the_call_shows_no_submit_button_outside_the_window(contest_factory, client_as):
    closed = contest_factory("closed-2026", state="draft")  # set up, never opened
    page = client_as("federation_admin").get(reverse("contests:contest_detail", args=[closed.slug]))
    assert page.status_code == 200
    assert b'id="submit-entry"' not in page.content


def test_the_rules_are_written_out_in_plain_words(contest_factory, users):
    contest = contest_factory(
        "rules-2026", allow_single=False, series_min=3, series_max=5, max_entries_per_member=2
    )
    client = english_client()
    client.force_login(users["member"])
    text = client.get(reverse("contests:contest_detail", args=[contest.slug])).content.decode()
    rules = text[text.index('id="contest-rules"') :]
    assert "Series only: 3 to 5 photos" in rules
    assert "at most 2 entries" in rules
    assert "1000 pixels" in rules


# --- members submitting -------------------------------------------------------------------


def test_a_member_submits_a_single_photo_that_is_accepted(
    contest, member_self, client_as, django_capture_on_commit_callbacks
):
    client = client_as("member")
    assert client.get(submit_url(contest)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            submit_url(contest), entry_data(contest, photos=[jpeg_file(1)], **DECLARE_ALL)
        )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("contests:my_entry", args=[entry.pk])
    assert (entry.author, entry.kind, entry.state) == (member_self, "single", "accepted")
    assert entry.title == "春天的工地"
    assert sorted(entry.declarations) == sorted(ALL_DECLARATIONS)
    assert entry.files.count() == 1

    page = client.get(reverse("contests:my_entry", args=[entry.pk]))
    asset = entry.files.get().asset
    assert page.status_code == 200
    assert (asset.pk, "display") in signed_photos(page)  # unpublished: signed for the entrant
    listing = client.get(reverse("contests:my_entries"))
    assert listing.status_code == 200
    assert (asset.pk, "thumbnail") in signed_photos(listing)
    assert f'data-entry="{entry.pk}" data-state="accepted"'.encode() in listing.content
    assert b'hx-trigger="every 2s"' not in listing.content  # settled: no polling


def test_a_member_submits_a_series_of_three(
    contest, member_self, client_as, django_capture_on_commit_callbacks
):
    photos = [jpeg_file(seed) for seed in (11, 12, 13)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member").post(
            submit_url(contest), entry_data(contest, photos=photos, kind="series", **DECLARE_ALL)
        )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.kind, entry.state) == ("series", "accepted")
    assert [p.asset.original_name for p in entry.files.select_related("asset")] == [
        "photo-11.jpg",
        "photo-12.jpg",
        "photo-13.jpg",
    ]


def test_a_series_with_too_few_photos_is_refused_on_the_form(
    contest_factory, member_self, client_as
):
    contest = contest_factory("series-2026", series_min=3)
    response = client_as("member").post(
        submit_url(contest),
        entry_data(contest, photos=[jpeg_file(1), jpeg_file(2)], kind="series", **DECLARE_ALL),
    )
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert 'value="春天的工地"'.encode() in response.content  # nothing typed is lost
    assert Entry.objects.count() == 0


def test_a_refusal_by_the_rules_is_shown_on_the_form(
    contest_factory, member_self, users, client_as, django_capture_on_commit_callbacks
):
    contest = contest_factory("one-each", max_entries_per_member=1)
    with django_capture_on_commit_callbacks(execute=True):
        member_entry_submit(contest, member_self, users, title="第一幅", seed=1)
    response = client_as("member").post(
        submit_url(contest),
        entry_data(contest, photos=[jpeg_file(2)], title="第二幅", **DECLARE_ALL),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert b'id="form-errors"' in response.content
    assert 'value="第二幅"'.encode() in response.content
    assert Entry.objects.count() == 1


def test_declarations_are_required_of_a_member(contest, member_self, client_as):
    declared = dict(DECLARE_ALL)
    declared.pop("declare_copyright")
    response = client_as("member").post(
        submit_url(contest), entry_data(contest, photos=[jpeg_file(1)], **declared)
    )
    assert response.status_code == 200
    assert "declare_copyright" in response.context["form"].errors
    assert Entry.objects.count() == 0


def test_a_user_without_a_member_record_is_told_so(contest, world, make_user):
    user = make_user("member", world.grassroots)
    client = english_client()
    client.force_login(user)
    page = client.get(submit_url(contest))
    assert page.status_code == 200
    assert b'id="no-member-record"' in page.content
    assert b"not linked to a member record" in page.content
    assert b'id="entry-form"' not in page.content
    client.post(submit_url(contest), entry_data(contest, photos=[jpeg_file(1)], **DECLARE_ALL))
    assert Entry.objects.count() == 0


def test_members_may_not_submit_where_only_unions_do(contest_factory, member_self, client_as):
    contest = contest_factory("units-only", members_submit=False)
    assert client_as("member").get(submit_url(contest)).status_code == 403


def test_submitting_needs_a_login(contest):
    response = Client().get(submit_url(contest))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


# --- a member's entries -------------------------------------------------------------------


@pytest.fixture
def own_entry(contest, member_self, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = member_entry_submit(contest, member_self, users, title="原题", seed=1)
    entry.refresh_from_db()
    assert entry.state == "accepted"
    return entry


def test_my_entries_poll_until_processing_is_over(
    contest, member_self, users, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        entry = member_entry_submit(contest, member_self, users, title="等待", seed=1)
    client = client_as("member")
    waiting = client.get(reverse("contests:my_entries"), headers={"HX-Request": "true"})
    assert b'hx-trigger="every 2s"' in waiting.content
    assert b'data-state="received"' in waiting.content
    assert b"<html" not in waiting.content  # the partial only
    for callback in callbacks:
        callback()
    settled = client.get(reverse("contests:my_entries"), headers={"HX-Request": "true"})
    assert b'hx-trigger="every 2s"' not in settled.content
    assert f'data-entry="{entry.pk}" data-state="accepted"'.encode() in settled.content


def test_the_author_edits_the_entry(own_entry, client_as, django_capture_on_commit_callbacks):
    client = client_as("member")
    url = reverse("contests:entry_edit", args=[own_entry.pk])
    assert client.get(url).status_code == 200
    old_asset = own_entry.files.get().asset_id
    data = entry_data(own_entry.contest, photos=[], title="新题")
    response = client.post(url, data)
    assert response.status_code == 302
    own_entry.refresh_from_db()
    assert own_entry.title == "新题"
    assert own_entry.files.get().asset_id == old_asset  # no photos sent: kept

    photos = [jpeg_file(21), jpeg_file(22)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, entry_data(own_entry.contest, photos=photos, kind="series"))
    assert response.status_code == 302
    own_entry.refresh_from_db()
    assert (own_entry.kind, own_entry.state) == ("series", "accepted")
    assert old_asset not in own_entry.files.values_list("asset_id", flat=True)
    assert own_entry.files.count() == 2


def test_changing_the_kind_needs_new_photos(own_entry, client_as):
    url = reverse("contests:entry_edit", args=[own_entry.pk])
    response = client_as("member").post(
        url, entry_data(own_entry.contest, photos=[], kind="series", title="新题")
    )
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    own_entry.refresh_from_db()
    assert (own_entry.title, own_entry.kind) == ("原题", "single")


def test_the_author_withdraws_the_entry_after_confirming(own_entry, client_as):
    client = client_as("member")
    url = reverse("contests:entry_withdraw", args=[own_entry.pk])
    assert client.post(url, {}).status_code == 400  # not confirmed
    own_entry.refresh_from_db()
    assert own_entry.state == "accepted"
    assert client.post(url, {"confirm": "on"}).status_code == 302
    own_entry.refresh_from_db()
    assert own_entry.state == "withdrawn"
    page = client.get(reverse("contests:my_entry", args=[own_entry.pk]))
    assert b'id="entry-withdraw"' not in page.content  # nothing left to change
    assert client.post(url, {"confirm": "on"}).status_code == 302
    own_entry.refresh_from_db()
    assert own_entry.state == "withdrawn"


def test_another_members_entry_is_not_found(own_entry, world, make_user):
    stranger = make_user("member", world.grassroots)
    client = Client()
    client.force_login(stranger)
    for name in ("my_entry", "entry_edit"):
        assert client.get(reverse(f"contests:{name}", args=[own_entry.pk])).status_code == 404
    withdraw = reverse("contests:entry_withdraw", args=[own_entry.pk])
    assert client.post(withdraw, {"confirm": "on"}).status_code == 404
    own_entry.refresh_from_db()
    assert own_entry.state == "accepted"


def test_the_entrant_answers_the_organisers_question(own_entry, users, client_as):
    flag = own_entry.flags.get(kind=Flag.Kind.DATE_MISSING)
    flag_resolve(
        acting_user=users["federation_admin"], flag=flag, decision="asked", reason="何时拍摄？"
    )
    client = client_as("member")
    page = client.get(reverse("contests:my_entry", args=[own_entry.pk]))
    assert f'id="flag-{flag.pk}"'.encode() in page.content
    assert "何时拍摄？".encode() in page.content
    url = reverse("contests:flag_answer", args=[flag.pk])
    assert client.post(url, {"answer": ""}).status_code == 400
    assert client.post(url, {"answer": "2026年3月8日"}).status_code == 302
    flag.refresh_from_db()
    assert (flag.state, flag.answer) == ("open", "2026年3月8日")


# --- unit admins submitting for members ---------------------------------------------------


def console_submit_url(contest) -> str:
    return reverse("contests:console_entry_submit", args=[contest.slug])


def test_a_unit_admin_finds_a_member_and_submits_for_them(
    contest, world, users, client_as, django_capture_on_commit_callbacks
):
    member = make_member(world.grassroots, 5, name="王芳")
    make_member(world.other_grassroots, 6, name="王强")  # another district: never offered
    client = client_as("unit_admin")
    found = client.get(console_submit_url(contest), {"q": "王"}, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert f'data-member="{member.pk}"'.encode() in found.content
    assert "王强".encode() not in found.content
    assert member.id_card.encode() not in found.content  # numbers masked
    assert member.id_card_masked.encode() in found.content

    assert client.get(console_submit_url(contest), {"author": member.pk}).status_code == 200
    data = entry_data(contest, photos=[jpeg_file(3)], author=member.pk, declared="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(console_submit_url(contest), data)
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.author, entry.submitted_by, entry.state) == (
        member,
        users["unit_admin"],
        "accepted",
    )
    assert sorted(entry.declarations) == sorted(ALL_DECLARATIONS)
    # the admin may open it on the entry page, as its author would
    assert client.get(reverse("contests:my_entry", args=[entry.pk])).status_code == 200


def test_without_the_signed_box_screening_flags_the_declarations_and_the_entrant_declares(
    contest, world, users, make_user, client_as, django_capture_on_commit_callbacks
):
    member = make_member(world.grassroots, 5, name="王芳")
    data = entry_data(contest, photos=[jpeg_file(4)], author=member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client_as("unit_admin").post(console_submit_url(contest), data)
    entry = Entry.objects.get()
    assert entry.declarations == {}
    assert entry.flags.filter(kind=Flag.Kind.DECLARATIONS_MISSING).exists()

    login = make_user("member", world.grassroots)
    member_user_link(acting_user=None, member=member, user=login)
    client = Client()
    client.force_login(login)
    page = client.get(reverse("contests:my_entry", args=[entry.pk]))
    assert b'id="entry-declare"' in page.content
    response = client.post(reverse("contests:entry_declare", args=[entry.pk]), DECLARE_ALL)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.missing_declarations() == []
    assert not entry.flags.filter(kind=Flag.Kind.DECLARATIONS_MISSING).exists()


def test_a_member_of_another_district_cannot_be_chosen(contest, world, client_as):
    foreign = make_member(world.other_grassroots, 6)
    client = client_as("unit_admin")
    assert client.get(console_submit_url(contest), {"author": foreign.pk}).status_code == 404
    data = entry_data(contest, photos=[jpeg_file(5)], author=foreign.pk, declared="on")
    assert client.post(console_submit_url(contest), data).status_code == 404
    assert Entry.objects.count() == 0


def test_submitting_for_members_is_for_staff_and_contests_that_allow_it(
    contest, contest_factory, client_as
):
    assert client_as("member").get(console_submit_url(contest)).status_code == 403
    members_only = contest_factory("members-only", units_submit=False)
    admin = client_as("unit_admin")
    assert admin.get(console_submit_url(members_only)).status_code == 403
    assert admin.get(reverse("contests:console_bulk", args=[members_only.slug])).status_code == 403
    assert admin.get(console_submit_url(contest)).status_code == 200


# --- bulk submission ----------------------------------------------------------------------


def sheet(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["文件名", "作品名称", "作者身份证号", "类别"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("entries.xlsx", buffer.getvalue())


def test_a_sheet_that_cannot_be_read_is_refused_on_the_form(contest, client_as):
    client = client_as("unit_admin")
    url = reverse("contests:console_bulk", args=[contest.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "作者身份证号".encode() in page.content  # the columns are explained
    bad = SimpleUploadedFile("entries.xlsx", b"this is not a spreadsheet")
    response = client.post(url, {"sheet": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["sheet"]
    assert BulkSubmission.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_bulk_submission_file_by_file(contest, world, users, client_as, make_user):
    authors = [make_member(world.grassroots, n, name=f"作者{n}") for n in (31, 32, 33)]
    category = contest.categories.first().name
    client = client_as("unit_admin")
    start = client.post(
        reverse("contests:console_bulk", args=[contest.slug]),
        {
            "sheet": sheet(
                [
                    ["春.jpg", "春", authors[0].id_card, category],
                    ["夏.jpg", "夏", authors[1].id_card, category],
                    ["秋.jpg", "秋", authors[2].id_card, category],
                ]
            )
        },
    )
    submission = BulkSubmission.objects.get()
    detail = reverse("contests:console_bulk_detail", args=[contest.slug, submission.pk])
    assert start.status_code == 302
    assert start.url == detail
    page = client.get(detail)
    assert page.status_code == 200
    for element in ('id="bulk-files"', 'id="bulk-send"', 'id="bulk-rows"', "contests/bulk.js"):
        assert element.encode() in page.content

    file_url = reverse("contests:console_bulk_file", args=[contest.slug, submission.pk])
    good = client.post(file_url, {"file": jpeg_file(41, "春.jpg")}).json()
    not_a_photo = SimpleUploadedFile("夏.jpg", b"just some text, not a photo", "image/jpeg")
    bad = client.post(file_url, {"file": not_a_photo}).json()
    stray = client.post(file_url, {"file": jpeg_file(42, "冬.jpg")}).json()

    accepted = Entry.objects.get(title="春")
    refused = Entry.objects.get(title="夏")
    assert good == {
        "file": "春.jpg",
        "status": "submitted",
        "reason": "",
        "row": 2,
        "entry": accepted.code,
        "state": "accepted",
    }
    assert (bad["status"], bad["row"], bad["entry"], bad["state"]) == (
        "submitted",
        3,
        refused.code,
        "refused",
    )
    assert bad["reason"]
    assert bad["reason"] == refused.refusal_reason
    assert (stray["status"], stray["row"], stray["entry"], stray["state"]) == (
        "unmatched",
        None,
        None,
        "",
    )
    assert (accepted.author, accepted.state) == (authors[0], "accepted")
    assert (refused.author, refused.state) == (authors[1], "refused")

    rows = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    statuses = dict(re.findall(r'data-row="(\d+)" data-status="(\w+)"', rows))
    assert statuses == {"2": "submitted", "3": "refused", "4": "waiting"}
    unmatched = rows[rows.index('id="bulk-unmatched"') :]
    assert 'data-file="冬.jpg"' in unmatched

    # the same file again is refused, not a second entry
    again = client.post(file_url, {"file": jpeg_file(41, "春.jpg")}).json()
    assert again["status"] == "refused"
    assert Entry.objects.filter(title="春").count() == 1

    # only the uploader (and the federation) sees the submission
    other_admin = make_user("unit_admin", world.district)
    other = Client()
    other.force_login(other_admin)
    assert other.get(detail).status_code == 404
    assert other.post(file_url, {"file": jpeg_file(43, "秋.jpg")}).status_code == 404
    assert client_as("federation_admin").get(detail).status_code == 200
    assert client_as("member").get(detail).status_code == 403


def test_a_bulk_file_post_without_a_file_says_so(contest, world, client_as):
    author = make_member(world.grassroots, 31)
    client = client_as("unit_admin")
    client.post(
        reverse("contests:console_bulk", args=[contest.slug]),
        {"sheet": sheet([["春.jpg", "春", author.id_card, contest.categories.first().name]])},
    )
    submission = BulkSubmission.objects.get()
    url = reverse("contests:console_bulk_file", args=[contest.slug, submission.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "error" in response.json()
