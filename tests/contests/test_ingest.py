"""``laurel media ingest DIR|ZIP --contest SLUG [--sheet] [--as-user]``: many entries at once.

Most runs go through ``call_command``; the real console script is run for its usage errors
and its help (it needs no database for those).
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from laurel.contests.ingest import entries_ingest
from laurel.contests.models import Declaration, Entry, Flag
from laurel.media.models import MediaAsset
from tests import helpers
from tests.conftest import make_member

HEADERS = ["文件名", "作品名称", "作者身份证号", "作者姓名", "类别", "已签署声明"]


def picture(seed: int, size=(1200, 900)) -> bytes:
    return helpers.jpeg(helpers.photo(seed, size))


def sheet_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024年职工摄影展 报送作品登记表"])  # a title row above the header
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def ingest(*args) -> tuple[str, str, int]:
    """Run ``laurel media ingest`` (messages in English); its stdout, stderr and exit code."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("media", "ingest", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return out.getvalue(), err.getvalue(), code


@pytest.fixture
def authors(world):
    """Three members of 永川区 (ID numbers valid_id_card(11..13)) and one of 奉节县."""
    return {
        "甲": make_member(world.grassroots, 11, name="张甲"),
        "乙": make_member(world.grassroots, 12, name="王乙"),
        "丙": make_member(world.grassroots, 13, name="李丙"),
        "丁": make_member(world.other_grassroots, 14, name="赵丁"),
    }


@pytest.fixture
def batch(tmp_path, authors):
    """A folder of six files and a sheet of six rows:

    a.jpg, b.jpg   accepted
    c.jpg          a's picture made smaller and recompressed, sent after it: a duplicate
    notes.jpg      a text file: refused by the photo pipeline
    d.jpg          its row names a category the contest lacks: refused (the row is invalid)
    stray.jpg      no row names it: refused
    row 8          names 缺失.jpg, which is not in the folder: reported, not counted
    """
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(picture(1))
    (folder / "b.jpg").write_bytes(picture(2))
    small = helpers.photo(1, (1200, 900)).resize((900, 675))
    (folder / "c.jpg").write_bytes(helpers.jpeg(small, quality=75))
    (folder / "notes.jpg").write_text("not a photo at all\n", encoding="utf-8")
    (folder / "d.jpg").write_bytes(picture(4))
    (folder / "stray.jpg").write_bytes(picture(5))
    ids = {key: member.id_card for key, member in authors.items()}
    sheet = sheet_xlsx(
        tmp_path / "entries.xlsx",
        [
            ["a.jpg", "春色", ids["甲"], "张甲", "自然风光", "是"],  # row 3
            ["b", "夜归", ids["乙"], "王乙", "人文风情", "是"],  # row 4: name without .jpg
            ["c.jpg", "春色之二", ids["丙"], "李丙", "自然风光", ""],  # row 5
            ["notes.jpg", "说明", ids["甲"], "张甲", "生活场景", "是"],  # row 6
            ["d.jpg", "无类", ids["乙"], "王乙", "不存在的类别", "是"],  # row 7
            ["缺失.jpg", "不见了", ids["丙"], "李丙", "都市建设", "是"],  # row 8
        ],
    )
    return folder, sheet


def test_a_folder_with_a_sheet_becomes_entries_and_every_problem_is_named(
    batch, contest, users, authors
):
    folder, sheet = batch
    out, err, code = ingest(folder, "--contest", contest.slug, "--sheet", sheet)
    assert out.splitlines() == ["accepted 2, refused 3, duplicate 1"]
    assert code == 1
    problems = err.splitlines()
    assert any(line.startswith("notes.jpg (row 6): ") for line in problems), err
    assert any(line.startswith("d.jpg (row 7): ") and "不存在的类别" in line for line in problems)
    assert any(line.startswith("stray.jpg: ") for line in problems), err
    assert "row 8: no file 缺失.jpg" in problems
    assert not any(line.startswith(("a.jpg", "b.jpg", "c.jpg")) for line in problems)

    entries = {e.title: e for e in Entry.objects.filter(contest=contest)}
    assert set(entries) == {"春色", "夜归", "春色之二", "说明"}
    for title in ("春色", "夜归", "春色之二"):
        assert entries[title].state == Entry.State.ACCEPTED, entries[title].refusal_reason
    assert entries["说明"].state == Entry.State.REFUSED
    assert entries["春色"].author == authors["甲"]
    assert entries["夜归"].category.name == "人文风情"
    assert entries["春色"].submitted_by == users["federation_admin"]  # the default acting user
    assert sorted(entries["春色"].declarations) == sorted(Declaration.values)
    assert entries["春色之二"].declarations == {}  # its row did not say 是
    duplicates = Flag.objects.filter(kind=Flag.Kind.DUPLICATE)
    assert [flag.entry.title for flag in duplicates] == ["春色之二"]  # the later copy
    assert all(p.asset.status == "ready" for p in entries["夜归"].files.all())
    assert MediaAsset.objects.count() == 4  # refused rows and stray files stored nothing


def test_a_zip_with_the_same_sheet_gives_the_same_outcome(batch, contest, tmp_path):
    folder, sheet = batch
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, f"报送作品/{path.name}")  # zipped with its folder, as people do
        zf.writestr("../escape.jpg", picture(9))
    out, err, code = ingest(archive, "--contest", contest.slug, "--sheet", sheet)
    assert out.splitlines() == ["accepted 2, refused 4, duplicate 1"]  # and the unsafe name
    assert code == 1
    escaped = [line for line in err.splitlines() if line.startswith("../escape.jpg")]
    assert escaped == ["../escape.jpg: the name leads outside the archive"]
    assert not (tmp_path.parent / "escape.jpg").exists()
    assert Entry.objects.filter(contest=contest, state=Entry.State.ACCEPTED).count() == 3


def test_without_a_sheet_the_folders_are_categories_and_names_say_who_and_what(
    tmp_path, contest, authors
):
    folder = tmp_path / "photos"
    (folder / "自然风光").mkdir(parents=True)
    (folder / "都市建设").mkdir()
    (folder / "没有的类别").mkdir()
    (folder / "自然风光" / f"{authors['甲'].id_card}_江畔晨光.jpg").write_bytes(picture(1))
    (folder / "都市建设" / f"{authors['乙'].mobile}_穿云大桥.jpg").write_bytes(picture(2))
    (folder / "都市建设" / "没有下划线.jpg").write_bytes(picture(3))
    (folder / "没有的类别" / f"{authors['丙'].id_card}_山.jpg").write_bytes(picture(4))
    (folder / "不在文件夹里.jpg").write_bytes(picture(5))
    out, err, code = ingest(folder, "--contest", contest.slug)
    assert out.splitlines() == ["accepted 2, refused 3, duplicate 0"]
    assert code == 1
    problems = err.splitlines()
    for name in ("都市建设/没有下划线.jpg", "没有的类别/", "不在文件夹里.jpg"):
        assert any(line.startswith(name) for line in problems), (name, err)
    entries = {e.title: e for e in Entry.objects.filter(contest=contest)}
    assert set(entries) == {"江畔晨光", "穿云大桥"}
    assert (entries["江畔晨光"].author, entries["江畔晨光"].category.name) == (
        authors["甲"],
        "自然风光",
    )
    assert (entries["穿云大桥"].author, entries["穿云大桥"].category.name) == (
        authors["乙"],
        "都市建设",
    )


def test_a_clean_batch_exits_0(tmp_path, contest, authors):
    folder = tmp_path / "photos"
    (folder / "生活场景").mkdir(parents=True)
    (folder / "生活场景" / f"{authors['甲'].id_card}_开心.jpg").write_bytes(picture(7))
    out, err, code = ingest(folder, "--contest", contest.slug)
    assert (out, code) == ("accepted 1, refused 0, duplicate 0\n", 0)
    assert err == ""


def test_a_unit_admin_ingests_only_for_their_subtree(tmp_path, contest, authors, users):
    folder = tmp_path / "photos"
    (folder / "自然风光").mkdir(parents=True)
    (folder / "自然风光" / f"{authors['甲'].id_card}_近.jpg").write_bytes(picture(1))
    (folder / "自然风光" / f"{authors['丁'].id_card}_远.jpg").write_bytes(picture(2))
    username = users["unit_admin"].username
    out, err, code = ingest(folder, "--contest", contest.slug, "--as-user", username)
    assert (out.splitlines(), code) == (["accepted 1, refused 1, duplicate 0"], 1)
    assert any(
        line.startswith(f"自然风光/{authors['丁'].id_card}_远.jpg") for line in err.splitlines()
    )
    entry = Entry.objects.get(contest=contest)
    assert (entry.author, entry.submitted_by) == (authors["甲"], users["unit_admin"])


def test_a_member_may_not_ingest_and_nothing_is_stored(tmp_path, contest, authors, users):
    folder = tmp_path / "photos"
    (folder / "自然风光").mkdir(parents=True)
    (folder / "自然风光" / f"{authors['甲'].id_card}_近.jpg").write_bytes(picture(1))
    with pytest.raises(CommandError) as refused:
        ingest(folder, "--contest", contest.slug, "--as-user", users["member"].username)
    assert refused.value.returncode == 1
    assert MediaAsset.objects.count() == Entry.objects.count() == 0


@pytest.mark.parametrize("problem", ["contest", "source", "sheet", "user"])
def test_usage_errors_exit_2(tmp_path, contest, users, problem):
    folder = tmp_path / "photos"
    folder.mkdir()
    (tmp_path / "not-a-sheet.xlsx").write_text("hello", encoding="utf-8")
    args = {
        "contest": [folder, "--contest", "no-such-contest"],
        "source": [tmp_path / "missing", "--contest", contest.slug],
        "sheet": [folder, "--contest", contest.slug, "--sheet", tmp_path / "not-a-sheet.xlsx"],
        "user": [folder, "--contest", contest.slug, "--as-user", "nobody"],
    }[problem]
    with pytest.raises(CommandError) as refused:
        ingest(*args)
    assert refused.value.returncode == 2


def test_progress_reaches_its_total_and_never_goes_back(tmp_path, contest, authors, users):
    folder = tmp_path / "photos"
    (folder / "自然风光").mkdir(parents=True)
    for n, key in enumerate(["甲", "乙", "丙"]):
        (folder / "自然风光" / f"{authors[key].id_card}_第{n}张.jpg").write_bytes(picture(n))
    seen = []
    result = entries_ingest(
        acting_user=users["federation_admin"],
        contest=contest,
        source=folder,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.summary_line() == "accepted 3, refused 0, duplicate 0"
    assert seen[-1] == (9, 9)  # 3 stored, 3 photos processed, 3 entries settled
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


# --- the real console script -----------------------------------------------------------------


def test_console_script_help_says_the_layout_and_a_missing_source_exits_2(tmp_path):
    shown = helpers.run_laurel(tmp_path, "media", "ingest", "--help")
    assert shown.returncode == 0, shown.stderr
    assert "<category name>/<author's ID number or mobile>_<title>.<ext>" in " ".join(
        shown.stdout.split()
    )
    missing = helpers.run_laurel(tmp_path, "media", "ingest", "missing", "--contest", "x")
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert "missing" in missing.stderr
