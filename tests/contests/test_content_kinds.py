"""What a contest's entries carry (``Contest.content``): photos, documents, video or no files.

A contest of no files takes entries with none, accepted at once and screened only for the
publication declaration; documents and video are refused, saying so, until their checks land;
photo rules are their own record; flags and declarations follow the content; spreadsheets and
folders enter photos only; and the contests app's pages show a photo's notions (its kind, its
place and date, "photos") for photo contests only."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.contests.content import CONTENT_KINDS
from laurel.contests.ingest import entries_ingest
from laurel.contests.models import (
    BulkSubmission,
    Contest,
    Declaration,
    Entry,
    EntryFile,
    Flag,
    PhotoRules,
)
from laurel.contests.services import (
    SubmissionRefused,
    bulk_start,
    contest_update,
    entry_submit,
)
from laurel.contests.services.entries import _declarations
from laurel.contests.services.screening import entry_screen
from laurel.media.models import MediaAsset
from laurel.members.services import team_create
from tests.conftest import english_client
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload
from tests.contests.test_console import contest_form_data

NO_FILES_REFUSAL = "This contest's entries carry no files: they are judged on the day."
NOT_YET = {
    "document": "Documents (PDF/DOCX) are not yet accepted",
    "video": "Video is not yet accepted",
}
# the entry form's fields of a photo contest that a contest of no files does not have
PHOTO_ONLY_INPUTS = ('name="kind"', 'name="photos"', 'name="place"', 'name="taken_on"')


@pytest.fixture(autouse=True)
def in_english():
    """The services' sentences are asserted in English, whatever a test before activated."""
    with translation.override("en"):
        yield


def client_of(user):
    client = english_client()
    client.force_login(user)
    return client


@pytest.fixture
def team(world, member_self):
    """晨光舞蹈队 of 永川区's 机关工会, led by the ``member`` user."""
    return team_create(
        acting_user=None, unit=world.grassroots, name="晨光舞蹈队", leader=member_self, members=[]
    )


@pytest.fixture
def show(contest_factory):
    """A contest of members whose entries carry no files (judged on the day)."""
    return contest_factory("show-2026", title="职工才艺展演", content="none")


def no_files_entry(contest, user, *, declarations=ALL_DECLARATIONS, uploads=(), **entrant):
    return entry_submit(
        acting_user=user,
        contest=contest,
        category=contest.categories.first(),
        title="劳动者之歌",
        uploads=list(uploads),
        declarations=declarations,
        **entrant,
    )


def flag_kinds(entry) -> set[str]:
    return set(entry.flags.values_list("kind", flat=True))


# --- a contest of no files --------------------------------------------------------------------


def test_a_members_entry_with_no_files_is_accepted_and_records_only_publication(
    show, member_self, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = no_files_entry(show, users["member"], author=member_self)
    entry.refresh_from_db()
    assert (entry.state, entry.kind, entry.files.count()) == ("accepted", "single", 0)
    assert list(entry.declarations) == [Declaration.PUBLICATION]  # only what is asked
    assert flag_kinds(entry) == set()  # no size, date or duplicate flags without photos


def test_a_teams_entry_with_no_files_is_accepted_and_only_a_missing_publication_is_flagged(
    contest_factory, team, users, django_capture_on_commit_callbacks
):
    dance = contest_factory("dance-2026", entrants="teams", content="none")
    with django_capture_on_commit_callbacks(execute=True):
        entry = no_files_entry(dance, users["unit_admin"], team=team, declarations=())
    entry.refresh_from_db()
    assert (entry.state, entry.team, entry.files.count()) == ("accepted", team, 0)
    assert flag_kinds(entry) == {Flag.Kind.DECLARATIONS_MISSING}
    assert entry.flags.get().detail == {"missing": [Declaration.PUBLICATION]}


def test_an_entry_with_a_file_is_refused_in_a_contest_of_no_files_and_nothing_is_kept(
    show, member_self, users
):
    with pytest.raises(SubmissionRefused, match=re.escape(NO_FILES_REFUSAL)):
        no_files_entry(show, users["member"], author=member_self, uploads=[photo_upload(1)])
    assert not Entry.objects.exists()
    assert not MediaAsset.objects.exists()


def test_the_members_submit_page_of_a_contest_of_no_files_asks_no_files_and_only_publication(
    show, member_self, users, django_capture_on_commit_callbacks
):
    client = client_of(users["member"])
    url = reverse("contests:entry_submit", args=[show.slug])
    page = client.get(url).content.decode()
    assert 'name="title"' in page  # the form is there
    for photo_only in (*PHOTO_ONLY_INPUTS, 'name="files"', 'type="file"'):
        assert photo_only not in page
    declared = {code for code in Declaration.values if f'name="declare_{code}"' in page}
    assert declared == {Declaration.PUBLICATION}

    data = {"category": show.categories.first().pk, "title": "劳动者之歌", "description": ""}
    refused = client.post(url, data)  # the publication declaration is required
    assert refused.status_code == 200
    assert not Entry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, data | {"declare_publication": "on"})
    entry = Entry.objects.get()
    assert sent.status_code == 302
    assert (entry.author, entry.state, entry.files.count()) == (member_self, "accepted", 0)
    assert list(entry.declarations) == [Declaration.PUBLICATION]
    told = client.get(sent.url).content.decode()
    assert f"Entry {entry.code} received." in told  # no photos are being checked


def test_the_console_submit_page_for_a_team_asks_no_files_and_signs_only_publication(
    contest_factory, team, users, django_capture_on_commit_callbacks
):
    dance = contest_factory("dance-2026", entrants="teams", content="none")
    client = client_of(users["unit_admin"])
    url = reverse("contests:console_entry_submit", args=[dance.slug])
    page = client.get(url, {"team": team.pk}).content.decode()
    assert 'name="declared"' in page  # the form is there
    for photo_only in (*PHOTO_ONLY_INPUTS, 'name="files"', 'type="file"'):
        assert photo_only not in page
    assert str(Declaration.PUBLICATION.label) in page
    for other in (Declaration.ORIGINAL, Declaration.PORTRAIT, Declaration.COPYRIGHT):
        assert str(other.label) not in page

    data = {"category": dance.categories.first().pk, "title": "队列操", "team": team.pk}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, data | {"declared": "on"})
    assert sent.status_code == 302
    entry = Entry.objects.get()
    assert (entry.team, entry.state, list(entry.declarations)) == (
        team,
        "accepted",
        [Declaration.PUBLICATION],
    )
    assert flag_kinds(entry) == set()


def test_an_entry_of_no_files_is_edited_on_its_page(
    show, member_self, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = no_files_entry(show, users["member"], author=member_self)
    client = client_of(users["member"])
    url = reverse("contests:entry_edit", args=[entry.pk])
    form = client.get(url).content.decode()
    assert 'value="劳动者之歌"' in form
    for photo_only in (*PHOTO_ONLY_INPUTS, 'name="files"'):
        assert photo_only not in form
    category = show.categories.last()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"category": category.pk, "title": "新的歌", "description": "合唱"})
    assert sent.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.category, entry.description) == ("新的歌", category, "合唱")
    assert (entry.state, entry.files.count()) == ("accepted", 0)
    assert LogEntry.objects.filter(action="contests.entry.updated").count() == 1


# --- documents and video: not yet accepted ------------------------------------------------------


@pytest.mark.parametrize("content", ["document", "video"])
def test_a_contest_of_documents_or_video_is_set_up_and_every_entry_refused_saying_why(
    contest_factory, content, member_self, users
):
    contest = contest_factory(f"{content}-2026", content=content)
    assert (contest.content, contest.state) == (content, "open")
    with pytest.raises(SubmissionRefused, match=re.escape(NOT_YET[content])):
        entry_submit(
            acting_user=users["member"],
            contest=contest,
            author=member_self,
            category=contest.categories.first(),
            title="创新案例",
            uploads=[photo_upload(1, "case.pdf")],
            declarations=ALL_DECLARATIONS,
        )
    assert not Entry.objects.exists()
    assert not MediaAsset.objects.exists()


@pytest.mark.parametrize("content", ["document", "video"])
def test_the_submit_page_of_documents_or_video_shows_the_refusal_and_stores_nothing(
    contest_factory, content, member_self, users
):
    contest = contest_factory(f"{content}-2026", content=content)
    client = client_of(users["member"])
    url = reverse("contests:entry_submit", args=[contest.slug])
    page = client.get(url).content.decode()
    assert 'name="files"' in page
    assert 'name="photos"' not in page
    kind = CONTENT_KINDS[content]
    declared = {f"declare_{code}": "on" for code in kind.declarations}
    upload = SimpleUploadedFile("case.pdf", b"%PDF-1.7 a case", "application/pdf")
    data = {"category": contest.categories.first().pk, "title": "创新案例", "files": [upload]}
    response = client.post(url, data | declared)
    assert response.status_code == 200
    assert NOT_YET[content] in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert not Entry.objects.exists()
    assert not EntryFile.objects.exists()
    assert not MediaAsset.objects.exists()


@pytest.mark.parametrize("content", ["document", "video"])
def test_the_public_page_of_documents_or_video_says_they_are_not_yet_accepted(
    contest_factory, content, users
):
    contest = contest_factory(f"{content}-2026", content=content)
    page = client_of(users["member"]).get(reverse("contests:contest_detail", args=[contest.slug]))
    rules = page.content.decode().split('id="contest-rules"')[1]
    assert NOT_YET[content] in rules
    assert "pixels" not in rules  # no photo rule
    assert "Files: JPEG" not in rules


# --- photo rules, content and entrants in the set-up -----------------------------------------


def test_the_photo_rules_are_their_own_record_given_with_the_contest(contest_factory):
    contest = contest_factory(
        "rules-2026",
        state="draft",
        min_long_edge=3000,
        formats=["jpeg", "png"],
        allow_single=False,
        series_min=3,
        series_max=4,
        taken_from=datetime.date(2026, 1, 1),
    )
    rules = PhotoRules.objects.get(contest=contest)
    assert (rules.min_long_edge, rules.formats) == (3000, ["jpeg", "png"])
    assert (rules.allow_single, rules.series_min, rules.series_max) == (False, 3, 4)
    assert (rules.taken_from, rules.taken_until) == (datetime.date(2026, 1, 1), None)


def test_changing_the_photo_rules_is_stored_and_audited(contest_factory, users):
    contest = contest_factory("rules-2026", state="draft", min_long_edge=2400)
    contest_update(
        acting_user=users["federation_admin"], contest=contest, min_long_edge=3600, series_max=8
    )
    rules = PhotoRules.objects.get(contest=contest)
    assert (rules.min_long_edge, rules.series_max) == (3600, 8)
    logged = LogEntry.objects.filter(action="contests.contest.updated").latest("pk")
    assert logged.data["changed"] == {"min_long_edge": [2400, 3600], "series_max": [6, 8]}


def test_a_photo_rule_out_of_its_limits_is_refused_on_its_field(contest_factory, users):
    contest = contest_factory("rules-2026", state="draft")
    with pytest.raises(ValidationError) as refused:
        contest_update(
            acting_user=users["federation_admin"], contest=contest, series_min=4, series_max=3
        )
    assert "series_max" in refused.value.message_dict
    assert PhotoRules.objects.get(contest=contest).series_max == 6


@pytest.mark.parametrize(
    ("name", "value"), [("content", "none"), ("entrants", "teams")], ids=["content", "entrants"]
)
def test_content_and_entrants_change_only_while_a_draft(contest_factory, users, name, value):
    organiser = users["federation_admin"]
    draft = contest_factory("draft-2026", state="draft")
    assert getattr(contest_update(acting_user=organiser, contest=draft, **{name: value}), name) == (
        value
    )
    opened = contest_factory("open-2026")
    with pytest.raises(ValidationError) as refused:
        contest_update(acting_user=organiser, contest=opened, **{name: value})
    assert "chosen while the contest is a draft" in refused.value.message_dict[name][0]
    opened.refresh_from_db()
    assert getattr(opened, name) != value


def test_a_contest_of_no_files_lists_no_photo_rules_on_its_pages(contest_factory, users):
    photos = contest_factory("photo-2026")
    show = contest_factory("show-2026", content="none")
    client = client_of(users["federation_admin"])

    def page(name, contest) -> str:
        return client.get(reverse(name, args=[contest.slug])).content.decode()

    assert "Minimum long edge" in page("contests:console_contest", photos)  # the rules shown
    assert "1000 pixels" in page("contests:contest_detail", photos)
    console = page("contests:console_contest", show)
    for rule in ("Minimum long edge", "Formats", "single photos"):
        assert rule not in console
    assert "No files (judged on the day)" in console
    public = page("contests:contest_detail", show).split('id="contest-rules"')[1]
    assert "pixels" not in public
    assert "Files: JPEG" not in public
    assert "Entries carry no files: they are judged on the day." in public


def test_the_console_form_sets_up_a_contest_of_no_files(users):
    client = client_of(users["federation_admin"])
    form = client.get(reverse("contests:console_contest_create")).content.decode()
    assert 'name="content"' in form
    response = client.post(
        reverse("contests:console_contest_create"), contest_form_data(content="none")
    )
    assert response.status_code == 302
    contest = Contest.objects.get(slug="spring-2026")
    assert contest.content == Contest.Content.NONE
    page = client.get(response["Location"]).content.decode()
    assert "Entries are" in page
    assert "No files (judged on the day)" in page


def test_the_console_form_shows_content_fixed_once_a_contest_has_opened(contest_factory, users):
    contest = contest_factory("open-2026")
    client = client_of(users["federation_admin"])
    form = client.get(reverse("contests:console_contest_edit", args=[contest.slug]))
    assert form.context["form"].fields["content"].disabled


# --- flags and declarations follow the content ------------------------------------------------


def _asset(user, name: str, **exif) -> MediaAsset:
    return MediaAsset.objects.create(
        uploaded_by=user,
        original_name=name,
        size=1,
        sha256=name.ljust(64, "0")[:64],
        original_path=f"originals/{name}",
        status=MediaAsset.Status.READY,
        exif={"format": "jpeg", "width": 800, "height": 600, **exif},
    )


def _accepted_entry(contest, member, number: int, asset: MediaAsset) -> Entry:
    """An accepted entry made as it is stored, with one file (whatever its contest takes)."""
    entry = Entry.objects.create(
        contest=contest,
        number=number,
        category=contest.categories.first(),
        kind=Entry.Kind.SINGLE,
        author=member,
        unit=member.unit,
        title=f"作品{number}",
        state=Entry.State.ACCEPTED,
    )
    EntryFile.objects.create(entry=entry, asset=asset, kind=EntryFile.Kind.PHOTO)
    return entry


# what screening raises on a later copy of a small photo with no date and no declarations
EXPECTED_FLAGS = {
    "photo": {"duplicate", "below_size", "date_missing", "declarations_missing"},
    "document": {"duplicate", "declarations_missing"},
    "video": {"duplicate", "declarations_missing"},
    "none": {"declarations_missing"},
}


@pytest.mark.parametrize("content", list(CONTENT_KINDS))
def test_screening_raises_only_the_flags_of_the_contests_content(
    contest_factory, content, member_self, users
):
    contest = contest_factory(f"{content}-2026", content=content)
    first = _asset(users["member"], "first.jpg")
    later = _asset(users["member"], "later.jpg")
    MediaAsset.objects.filter(pk=first.pk).update(
        created_at=later.created_at - datetime.timedelta(minutes=1)
    )
    later.duplicates.add(first)
    _accepted_entry(contest, member_self, 1, first)
    entry = _accepted_entry(contest, member_self, 2, later)

    raised = {flag.kind for flag in entry_screen(entry)}
    assert raised == EXPECTED_FLAGS[content]
    assert raised <= set(CONTENT_KINDS[content].flag_kinds)
    assert Flag.objects.get(entry=entry, kind="declarations_missing").detail == {
        "missing": list(CONTENT_KINDS[content].declarations)
    }


@pytest.mark.parametrize("content", list(CONTENT_KINDS))
def test_only_the_declarations_a_content_asks_are_recorded(contest_factory, content, users):
    contest = contest_factory(f"{content}-2026", state="draft", content=content)
    recorded = _declarations(contest, Declaration.values, users["member"])
    assert list(recorded) == list(CONTENT_KINDS[content].declarations)
    expected = {
        "photo": ["original", "portrait", "copyright", "publication"],
        "document": ["original", "copyright", "publication"],
        "video": ["original", "portrait", "copyright", "publication"],
        "none": ["publication"],
    }
    assert list(recorded) == expected[content]


# --- spreadsheets and folders enter photos only ----------------------------------------------

BULK_REFUSAL = "A spreadsheet or a folder of files enters photos only"


@pytest.mark.parametrize("content", ["document", "video", "none"])
def test_a_spreadsheet_is_refused_whole_for_a_contest_not_of_photos(
    contest_factory, content, users
):
    contest = contest_factory(f"{content}-2026", content=content)
    with pytest.raises(SubmissionRefused, match=BULK_REFUSAL):
        bulk_start(
            acting_user=users["unit_admin"],
            contest=contest,
            content="文件名,作品名称,类别\na.jpg,春,自然风光\n".encode(),
            filename="entries.csv",
        )
    assert not BulkSubmission.objects.exists()


def test_the_bulk_page_says_a_contest_of_no_files_takes_no_spreadsheet(contest_factory, users):
    show = contest_factory("show-2026", content="none")
    client = client_of(users["unit_admin"])
    url = reverse("contests:console_bulk", args=[show.slug])
    sheet = SimpleUploadedFile("entries.csv", "文件名,作品名称,类别\na.jpg,春,自然风光\n".encode())
    response = client.post(url, {"sheet": sheet})
    assert response.status_code == 200
    assert BULK_REFUSAL in response.content.decode()
    assert not BulkSubmission.objects.exists()


@pytest.mark.parametrize("content", ["document", "none"])
def test_ingesting_a_folder_is_refused_whole_for_a_contest_not_of_photos(
    contest_factory, content, users, tmp_path
):
    contest = contest_factory(f"{content}-2026", content=content)
    (tmp_path / "自然风光").mkdir()
    (tmp_path / "自然风光" / "13900000001_春.jpg").write_bytes(b"not looked at")
    with pytest.raises(SubmissionRefused, match=BULK_REFUSAL):
        entries_ingest(acting_user=users["federation_admin"], contest=contest, source=tmp_path)
    assert not Entry.objects.exists()
    assert not MediaAsset.objects.exists()


def test_no_page_offers_a_spreadsheet_for_a_contest_not_of_photos(contest, show, users):
    client = client_of(users["unit_admin"])
    pages = {
        "list": lambda c: reverse("contests:console_contest_list"),
        "public": lambda c: reverse("contests:contest_detail", args=[c.slug]),
        "console": lambda c: reverse("contests:console_contest", args=[c.slug]),
        "submit": lambda c: reverse("contests:console_entry_submit", args=[c.slug]),
    }
    for name, url_of in pages.items():
        html = client.get(url_of(contest)).content.decode()
        assert reverse("contests:console_bulk", args=[contest.slug]) in html, name
        html = client.get(url_of(show)).content.decode()
        assert reverse("contests:console_entry_submit", args=[show.slug]) in html, name
        assert reverse("contests:console_bulk", args=[show.slug]) not in html, name


def test_a_spreadsheet_for_a_contest_of_photos_is_still_read(contest, users):
    submission = bulk_start(
        acting_user=users["unit_admin"],
        contest=contest,
        content="文件名,作品名称,类别\na.jpg,春,自然风光\n".encode(),
        filename="entries.csv",
    )
    assert len(submission.rows) == 1


# --- the pages: a photo's notions for photo contests only ------------------------------------


@pytest.fixture
def shown(show, contest, member_self, users, django_capture_on_commit_callbacks):
    """An accepted entry of no files (``show``) and an accepted single photo (``contest``)."""
    with django_capture_on_commit_callbacks(execute=True):
        no_files = no_files_entry(show, users["member"], author=member_self)
        photo = entry_submit(
            acting_user=users["member"],
            contest=contest,
            author=member_self,
            category=contest.categories.first(),
            title="春天的工地",
            uploads=[photo_upload(5)],
            declarations=ALL_DECLARATIONS,
        )
    return {"none": no_files, "photo": photo}


def _facts(html: str, section: str) -> str:
    """The text of the page's section ``section`` (its id), up to the next section."""
    return html.split(f'id="{section}"')[1].split("</section>")[0]


def test_the_console_entry_list_shows_the_kind_for_photo_contests_only(shown, users):
    client = client_of(users["federation_admin"])

    def listing(entry) -> str:
        url = reverse("contests:console_entry_list", args=[entry.contest.slug])
        return client.get(url).content.decode()

    photos = listing(shown["photo"])
    assert ">Kind<" in photos
    assert "Single photo" in photos
    no_files = listing(shown["none"])
    assert "劳动者之歌" in no_files  # the entry is listed
    assert ">Kind<" not in no_files
    assert "Single photo" not in no_files
    assert "thumb-cell" in photos
    assert "thumb-cell" not in no_files  # nothing to show a thumbnail of


def test_the_console_entry_page_shows_no_kind_or_photos_for_a_contest_of_no_files(shown, users):
    client = client_of(users["federation_admin"])

    def page(entry) -> str:
        url = reverse("contests:console_entry", args=[entry.contest.slug, entry.number])
        return client.get(url).content.decode()

    photo = page(shown["photo"])
    assert "Single photo" in _facts(photo, "entry-fields")
    assert "Date taken" in _facts(photo, "entry-fields")
    no_files = page(shown["none"])
    facts = _facts(no_files, "entry-fields")
    assert "劳动者之歌" in no_files
    for photo_only in ("Kind", "Single photo", "Date taken", "Place taken"):
        assert photo_only not in facts
    assert 'id="entry-photos"' in photo
    assert 'id="entry-photos"' not in no_files  # none were ever asked for
    assert "No photos." not in no_files


def test_the_members_pages_show_no_kind_or_photos_for_a_contest_of_no_files(shown, users):
    client = client_of(users["member"])
    listing = client.get(reverse("contests:my_entries")).content.decode()
    cards = {
        title: card
        for card in listing.split('class="entry-card"')[1:]
        for title in ("春天的工地", "劳动者之歌")
        if title in card
    }
    assert "Single photo" in cards["春天的工地"]
    assert "Single photo" not in cards["劳动者之歌"]
    assert "thumb-placeholder" not in cards["劳动者之歌"]

    photo = client.get(reverse("contests:my_entry", args=[shown["photo"].pk])).content.decode()
    assert "Single photo" in photo
    assert "Date taken" in photo
    no_files = client.get(reverse("contests:my_entry", args=[shown["none"].pk])).content.decode()
    assert "劳动者之歌" in no_files
    assert 'id="entry-photos"' in photo
    for photo_only in ("Single photo", "Date taken", "Place taken", 'id="entry-photos"'):
        assert photo_only not in no_files


@pytest.mark.parametrize(
    ("content", "said", "not_said"),
    [
        ("photo", ["No photos.", "Send new photos with “Edit”"], ["No files.", "new files"]),
        ("document", ["No files.", "Send new files with “Edit”"], ["No photos.", "new photos"]),
        ("none", [], ["No photos.", "No files.", "new photos", "new files"]),
    ],
)
def test_a_refused_entry_is_told_to_send_new_files_as_its_content_takes_them(
    contest_factory, content, said, not_said, member_self, users
):
    """An entry refused with no file left (made as stored): the pages name what it carries."""
    contest = contest_factory(f"{content}-2026", content=content)
    entry = Entry.objects.create(
        contest=contest,
        number=1,
        category=contest.categories.first(),
        kind=Entry.Kind.SINGLE,
        author=member_self,
        unit=member_self.unit,
        submitted_by=users["member"],
        title="退回的作品",
        state=Entry.State.REFUSED,
    )
    mine = client_of(users["member"]).get(reverse("contests:my_entry", args=[entry.pk]))
    console = client_of(users["federation_admin"]).get(
        reverse("contests:console_entry", args=[contest.slug, entry.number])
    )
    pages = mine.content.decode() + console.content.decode()
    for text in said:
        assert text in pages
    for text in not_said:
        assert text not in pages
