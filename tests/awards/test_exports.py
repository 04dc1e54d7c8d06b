"""A contest's exports (``awards.exports``), read back: the entries (scoped and masked as the
viewer's role requires), every judge's scores (organisers), the results with prizes (unit
admins only once published, their subtree), and the winners' originals as a zip.

``judged_contest``: 12 entries, index n even in 永川区 (the unit admin's district), odd in
奉节县; three judges 评委0–2 scored all; prizes 一等奖 × 1, 二等奖 × 2, 三等奖 × 3.
"""

import csv
import gc
import io
import tempfile
import zipfile

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant
from laurel.audit.models import LogEntry
from laurel.awards import exports, services
from laurel.awards.models import Award
from laurel.contests.models import EntryFile
from laurel.core.sheet_writer import WIDTH_MAX, text_width, value_width
from laurel.media.models import MediaAsset

EXPECTED_PRIZES = ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖"]
# the results workbook's columns: rank, code, title, author, unit, district, category, score,
# low, high, prize
UNIT, DISTRICT, SCORE, PRIZE = 4, 5, 7, 10


def export_url(contest, kind: str) -> str:
    return reverse("awards:console_export", args=[contest.slug, kind])


def sheet_rows(response) -> list[tuple]:
    """The workbook's rows (header first), from a download."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(workbook.worksheets) == 1
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def all_text(rows) -> str:
    return "\n".join(" ".join("" if cell is None else str(cell) for cell in row) for row in rows)


@pytest.fixture
def proposed(judged_contest, users):
    services.awards_propose(acting_user=users["federation_admin"], contest=judged_contest)
    return judged_contest


@pytest.fixture
def published(proposed, users):
    services.results_publish(acting_user=users["federation_admin"], contest=proposed)
    return proposed


def codes_of(contest, indexes) -> set[str]:
    return {contest.test_entries[n].code for n in indexes}


# --- entries ----------------------------------------------------------------------------


def test_a_unit_admins_entries_export_carries_only_their_subtree_masked(judged_contest, client_as):
    rows = sheet_rows(client_as("unit_admin").get(export_url(judged_contest, "entries")))
    body = rows[1:]
    assert {row[0] for row in body} == codes_of(judged_contest, range(0, 12, 2))
    text = all_text(rows)
    cells = {cell for row in rows for cell in row}
    for n, entry in enumerate(judged_contest.test_entries):
        author = entry.author
        assert author.id_card not in text
        assert author.mobile not in text
        if n % 2 == 0:
            assert author.id_card_masked in text
            assert author.mobile_masked in text
            assert author.name in cells
        else:
            assert author.name not in cells
            assert entry.title not in cells


def test_the_entries_export_has_each_entrys_facts(judged_contest, client_as):
    rows = sheet_rows(client_as("federation_admin").get(export_url(judged_contest, "entries")))
    assert len(rows) == 13
    first = judged_contest.test_entries[0]
    row = next(row for row in rows if row[0] == first.code)
    assert row[1] == first.title
    assert row[2] == first.category.name
    assert row[5] == first.author.name
    assert row[6] == first.author.id_card_masked  # an organiser without personal_data
    assert row[7] == first.author.mobile_masked
    assert row[8] == first.unit.name
    assert row[9] == "永川区总工会"  # the district beside the unit
    assert row[10] is not None  # submitted: a date and time


def test_the_personal_data_permission_shows_whole_numbers_only_when_asked(judged_contest, users):
    organiser = users["federation_admin"]
    role_grant(acting_user=None, user=organiser, role=Role.PERSONAL_DATA, unit=None)
    client = Client()
    client.force_login(organiser)
    text = all_text(sheet_rows(client.get(export_url(judged_contest, "entries"))))
    for entry in judged_contest.test_entries:
        assert entry.author.id_card not in text
        assert entry.author.mobile not in text
    assert LogEntry.objects.filter(action="awards.exported").count() == 1
    url = export_url(judged_contest, "entries") + "?full_numbers=1"
    text = all_text(sheet_rows(client.get(url)))
    for entry in judged_contest.test_entries:
        assert entry.author.id_card in text
        assert entry.author.mobile in text
    assert LogEntry.objects.filter(action="awards.exported_unmasked").get().data == {
        "kind": "entries"
    }


def test_full_numbers_asked_for_without_the_permission_stay_masked(judged_contest, client_as):
    url = export_url(judged_contest, "entries") + "?full_numbers=1"
    text = all_text(sheet_rows(client_as("federation_admin").get(url)))
    for entry in judged_contest.test_entries:
        assert entry.author.id_card not in text
        assert entry.author.id_card_masked in text
    assert not LogEntry.objects.filter(action="awards.exported_unmasked").exists()


def test_personal_data_for_a_subtree_shows_whole_numbers_only_there(judged_contest, users, world):
    organiser = users["federation_admin"]
    role_grant(acting_user=None, user=organiser, role=Role.PERSONAL_DATA, unit=world.district)
    client = Client()
    client.force_login(organiser)
    url = export_url(judged_contest, "entries") + "?full_numbers=1"
    text = all_text(sheet_rows(client.get(url)))
    for n, entry in enumerate(judged_contest.test_entries):
        if n % 2 == 0:
            assert entry.author.id_card in text
        else:
            assert entry.author.id_card not in text
            assert entry.author.id_card_masked in text


def test_an_export_is_audited(judged_contest, client_as):
    client_as("unit_admin").get(export_url(judged_contest, "entries"))
    entry = LogEntry.objects.filter(action="awards.exported").get()
    assert entry.data == {"kind": "entries"}


def test_an_unknown_export_is_not_found(judged_contest, client_as):
    assert client_as("federation_admin").get(export_url(judged_contest, "votes")).status_code == 404


def test_members_and_judges_export_nothing(judged_contest, client_as):
    for role in ("member", "judge"):
        for kind in ("entries", "scores", "results"):
            assert client_as(role).get(export_url(judged_contest, kind)).status_code == 403


# --- scores -----------------------------------------------------------------------------


def test_the_scores_export_has_every_review(judged_contest, client_as):
    rows = sheet_rows(client_as("federation_admin").get(export_url(judged_contest, "scores")))
    header, body = rows[0], rows[1:]
    assert "总分" in header  # a column per criterion, by its name
    column = header.index("总分")
    assert len(body) == 12 * 3
    judges = {str(judge) for judge in judged_contest.test_judges}
    assert {row[2] for row in body} == judges == {"评委0", "评委1", "评委2"}
    assert {row[0] for row in body} == {"复评"}
    for row in body:
        assert 1 <= row[column] <= 10
        assert row[column + 1] == pytest.approx(row[column])  # one criterion: weighted = it
        assert row[column + 3] is not None  # reviewed at
    first = judged_contest.test_entries[0].code
    assert sorted(row[column] for row in body if row[1] == first) == [8, 9, 10]


def test_the_scores_export_is_the_organisers_alone(judged_contest, client_as):
    assert client_as("unit_admin").get(export_url(judged_contest, "scores")).status_code == 403


# --- results ----------------------------------------------------------------------------


def test_the_organiser_exports_the_ranking_with_prizes_before_publication(proposed, client_as):
    rows = sheet_rows(client_as("federation_admin").get(export_url(proposed, "results")))
    body = rows[1:]
    assert [row[0] for row in body] == list(range(1, 13))
    assert [row[PRIZE] for row in body[:6]] == EXPECTED_PRIZES
    assert all(row[PRIZE] in (None, "") for row in body[6:])
    assert body[0][1] == proposed.test_entries[0].code
    assert body[0][3] == proposed.test_entries[0].author.name
    score, low, high = body[0][SCORE : SCORE + 3]
    assert low <= score <= high


def test_a_unit_admin_exports_results_only_once_published_and_only_their_subtree(
    proposed, client_as, users
):
    client = client_as("unit_admin")
    assert client.get(export_url(proposed, "results")).status_code == 403
    services.results_publish(acting_user=users["federation_admin"], contest=proposed)
    rows = sheet_rows(client.get(export_url(proposed, "results")))
    body = rows[1:]
    assert {row[1] for row in body} == codes_of(proposed, range(0, 12, 2))
    prizes = {row[1]: row[PRIZE] for row in body}
    assert prizes[proposed.test_entries[0].code] == "一等奖"
    assert prizes[proposed.test_entries[2].code] == "二等奖"
    cells = {cell for row in rows for cell in row}
    for n in range(1, 12, 2):
        assert proposed.test_entries[n].author.name not in cells


def test_a_unit_admin_sees_the_published_prizes_not_later_changes(published, client_as, users):
    """Until a correction is published, unit admins' results are the published version."""
    entry = published.test_entries[0]
    services.award_set(acting_user=users["federation_admin"], entry=entry, tier=None, reason="复核")
    unit_rows = sheet_rows(client_as("unit_admin").get(export_url(published, "results")))
    assert {row[1]: row[PRIZE] for row in unit_rows[1:]}[entry.code] == "一等奖"
    organiser_rows = sheet_rows(client_as("federation_admin").get(export_url(published, "results")))
    assert {row[1]: row[PRIZE] for row in organiser_rows[1:]}[entry.code] in (None, "")


# --- workbooks made to fit -------------------------------------------------------------

LONG_TITLE = "重庆市永川区机关工会职工摄影作品《山城晨光》"


def fitted_sheet(response):
    """The one sheet of a downloaded workbook, opened whole (widths, filter, panes)."""
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def assert_fitted(sheet, rows: int, columns: int) -> None:
    """Frozen header, autofilter over header and data, every column wide enough for its
    longest value (wide characters counted double) and no wider than the cap."""
    last = get_column_letter(columns)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{last}{rows + 1}"
    for column in range(1, columns + 1):
        letter = get_column_letter(column)
        values = [sheet.cell(row=r, column=column).value for r in range(1, rows + 2)]
        widest = max(value_width(value) for value in values)
        width = sheet.column_dimensions[letter].width
        assert min(widest, WIDTH_MAX) <= width <= WIDTH_MAX, (letter, values, width)


def test_the_results_workbook_fits_and_names_each_units_district(proposed, client_as):
    proposed.test_entries[0].__class__.objects.filter(pk=proposed.test_entries[0].pk).update(
        title=LONG_TITLE
    )
    sheet = fitted_sheet(client_as("federation_admin").get(export_url(proposed, "results")))

    assert_fitted(sheet, rows=12, columns=11)
    # the title column: every character of the title is wide (two columns each)
    assert sheet.column_dimensions["C"].width >= 2 * len(LONG_TITLE) == text_width(LONG_TITLE)
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    code_index = {entry.code: n for n, entry in enumerate(proposed.test_entries)}
    for row in body:
        n = code_index[row[1]]
        assert row[UNIT] == "机关工会"  # the same name in both districts: told apart here
        assert row[DISTRICT] == ("永川区总工会" if n % 2 == 0 else "奉节县总工会")


def test_the_entries_and_scores_workbooks_fit_too(judged_contest, client_as):
    client = client_as("federation_admin")
    entries = fitted_sheet(client.get(export_url(judged_contest, "entries")))
    assert_fitted(entries, rows=12, columns=11)
    assert entries.column_dimensions["J"].width >= 2 * len("永川区总工会")  # the district
    scores = fitted_sheet(client.get(export_url(judged_contest, "scores")))
    assert_fitted(scores, rows=36, columns=7)


# --- the winners' originals -------------------------------------------------------------


def zip_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def stored_original(entry, position: int = 0) -> bytes:
    photo = EntryFile.objects.select_related("asset").filter(entry=entry)[position]
    with storages["private"].open(photo.asset.original_path, "rb") as handle:
        return handle.read()


def test_the_originals_zip_holds_the_winners_files_and_captions(
    published, client_as, monkeypatch, tmp_path
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    archive = zip_of(
        client_as("federation_admin").get(
            reverse("awards:console_originals_zip", args=[published.slug])
        )
    )
    assert list(tmp_path.iterdir()) == []  # the temporary zip is gone once sent
    names = archive.namelist()
    photos = [name for name in names if not name.startswith("captions.")]
    assert len(photos) == 6
    winners = Award.objects.filter(contest=published).select_related("entry__author", "tier")
    for award in winners:
        entry = award.entry
        name = f"{award.tier.name}/{entry.code}_{entry.title}_{entry.author.name}.jpg"
        assert name in names
        assert archive.read(name) == stored_original(entry)
    for n in range(6, 12):
        assert not any(f"/{published.test_entries[n].code}_" in name for name in names)

    rows = list(csv.reader(io.StringIO(archive.read("captions.csv").decode("utf-8-sig"))))
    assert len(rows) == 7
    first = published.test_entries[0]
    row = next(row for row in rows if row[1] == first.code)
    assert row[0] == f"一等奖/{first.code}_{first.title}_{first.author.name}.jpg"
    assert row[2:] == [
        first.title,
        first.author.name,
        first.unit.name,
        "一等奖",
        first.category.name,
    ]
    text = archive.read("captions.txt").decode("utf-8")
    for award in winners:
        assert f"《{award.entry.title}》" in text
        assert award.entry.author.name in text
        assert award.entry.unit.name in text


def test_an_unsent_zip_is_removed_too(published, client_as, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    response = client_as("federation_admin").get(
        reverse("awards:console_originals_zip", args=[published.slug])
    )
    assert response.status_code == 200
    assert len(list(tmp_path.iterdir())) == 1  # built, not yet sent
    del response
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_a_series_is_numbered_in_the_zip(published, client_as):
    entry = published.test_entries[1]
    first = EntryFile.objects.get(entry=entry)
    other = EntryFile.objects.filter(entry=published.test_entries[11]).get().asset
    EntryFile.objects.create(entry=entry, asset=other, position=1)
    archive = zip_of(
        client_as("federation_admin").get(
            reverse("awards:console_originals_zip", args=[published.slug])
        )
    )
    tier = Award.objects.get(entry=entry).tier.name
    stem = f"{tier}/{entry.code}_{entry.title}_{entry.author.name}"
    assert f"{stem}_1.jpg" in archive.namelist()
    with storages["private"].open(first.asset.original_path, "rb") as handle:
        assert archive.read(f"{stem}_1.jpg") == handle.read()
    with storages["private"].open(other.original_path, "rb") as handle:
        assert archive.read(f"{stem}_2.jpg") == handle.read()
    assert f"{stem}.jpg" not in archive.namelist()


def test_file_names_are_safe(published, client_as):
    entry = published.test_entries[0]
    entry.title = '../夜:班*?"<>|\\ 工人'
    entry.save(update_fields=["title"])
    asset = MediaAsset.objects.get(pk=EntryFile.objects.get(entry=entry).asset_id)
    asset.original_name = "IMG_0001.JPEG"
    asset.save(update_fields=["original_name"])
    archive = zip_of(
        client_as("federation_admin").get(
            reverse("awards:console_originals_zip", args=[published.slug])
        )
    )
    name = next(n for n in archive.namelist() if f"/{entry.code}_" in n)
    assert name.count("/") == 1
    assert name.startswith("一等奖/")
    assert not any(char in name.split("/", 1)[1] for char in ':*?"<>|\\')
    assert ".." not in name
    assert name.endswith("工人_作者0.jpeg")
    assert exports.safe_name("  a/b  c ") == "a-b c"
    assert exports.safe_name("...") == "-"


def test_the_originals_are_the_organisers_alone(published, client_as):
    url = reverse("awards:console_originals_zip", args=[published.slug])
    assert client_as("unit_admin").get(url).status_code == 403
    assert client_as("member").get(url).status_code == 403
    assert client_as("anonymous").get(url).status_code == 302


def test_the_contest_page_links_the_exports_each_viewer_may_take(proposed, client_as, users):
    url = reverse("contests:console_contest", args=[proposed.slug])
    organiser = client_as("federation_admin").get(url).content.decode()
    for element in ("export-entries", "export-results", "export-scores", "export-originals"):
        assert f'id="{element}"' in organiser
    assert reverse("awards:console_certificates", args=[proposed.slug]) in organiser
    admin = client_as("unit_admin")
    page = admin.get(url).content.decode()
    assert 'id="export-entries"' in page
    assert 'id="documents-certificates"' in page
    for element in ("export-results", "export-scores", "export-originals"):
        assert f'id="{element}"' not in page
    services.results_publish(acting_user=users["federation_admin"], contest=proposed)
    page = admin.get(url).content.decode()
    assert 'id="export-results"' in page
    assert 'id="export-scores"' not in page
