"""A unit's spreadsheet of entries: each row judged against the members the admin may submit
for and the contest's categories, and files matched to rows by name."""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from laurel.accounts.policy import access_for
from laurel.contests import bulk
from laurel.contests.models import BulkSubmission, Entry
from laurel.contests.services import SubmissionRefused, Upload, bulk_file_submit, bulk_start
from laurel.importing import ImportRefused
from tests.conftest import make_member, valid_id_card
from tests.contests.conftest import CATEGORIES, photo_upload

HEADER = [
    "文件名",
    "作品名称",
    "作者身份证号",
    "作者手机号",
    "作者姓名",
    "类别",
    "拍摄日期",
    "已签署声明",
]


def xlsx(rows: list[list], header: list[str] = HEADER, title: str | None = None) -> bytes:
    """A workbook as units fill it: an optional title row above the header, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def people(world):
    """王芳 and 张伟 of 永川区 (the unit admin's), 赵强 of 奉节县 (outside it)."""
    return {
        "wang": make_member(world.grassroots, 2, name="王芳"),
        "zhang": make_member(world.district, 3, name="张伟"),
        "zhao": make_member(world.other_district, 4, name="赵强"),
    }


def plan(user, contest, rows, **options) -> list[bulk.BulkRow]:
    table = bulk.bulk_sheet_read(xlsx(rows, **options), "报送表.xlsx")
    return bulk.bulk_plan(access_for(user), contest, table)


def test_rows_find_their_author_by_id_number_or_mobile(contest, people, users):
    wang, zhang = people["wang"], people["zhang"]
    rows = plan(
        users["unit_admin"],
        contest,
        [
            ["春色.jpg", "春色  满园", wang.id_card, "", "王芳", "自然风光", "2026-03-01", "是"],
            ["夕阳.jpg", "夕阳", "", "139 0000 0003", "", "人文风情", "2026年3月2日", ""],
            ["晨曦.jpg", "晨曦", "", "+86 13900000002", "王 芳", "生活场景", "20260303", "否"],
        ],
        title="2026年职工摄影展报送表",
    )
    assert [r.problems for r in rows] == [[], [], []]
    assert [r.row_number for r in rows] == [3, 4, 5]  # as Excel shows them
    assert [r.author for r in rows] == [wang, zhang, wang]
    assert rows[0].author_label == "王芳（机关工会）"
    assert rows[0].title == "春色 满园"
    assert [r.category.name for r in rows] == CATEGORIES[:3]
    assert [r.taken_on for r in rows] == [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 3),
    ]
    assert [r.declared for r in rows] == [True, False, False]


def test_a_member_outside_the_admins_units_reads_as_an_unknown_number(contest, people, users):
    zhao = people["zhao"]
    rows = plan(
        users["unit_admin"],
        contest,
        [
            ["a.jpg", "甲", zhao.id_card, "", "", "自然风光", "", ""],
            ["b.jpg", "乙", valid_id_card(99), "", "", "自然风光", "", ""],
            ["c.jpg", "丙", "", zhao.mobile, "", "自然风光", "", ""],
            ["d.jpg", "丁", "", "13999999999", "", "自然风光", "", ""],
        ],
    )
    assert all(r.author is None for r in rows)
    assert len(rows[0].problems) == 1
    assert rows[0].problems == rows[1].problems == rows[2].problems == rows[3].problems
    assert "赵强" not in " ".join(rows[0].problems)
    # the federation may submit for anyone
    rows = plan(
        users["federation_admin"],
        contest,
        [["a.jpg", "甲", zhao.id_card, "", "", "自然风光", "", ""]],
    )
    assert (rows[0].author, rows[0].problems) == (zhao, [])


def test_a_mobile_outside_the_admins_units_does_not_make_one_inside_ambiguous(
    contest, people, users, world
):
    wang = people["wang"]
    make_member(world.other_district, 5, name="钱多", mobile=wang.mobile)
    rows = plan(
        users["unit_admin"], contest, [["a.jpg", "甲", "", wang.mobile, "", "自然风光", "", ""]]
    )
    assert (rows[0].author, rows[0].problems) == (wang, [])
    make_member(world.grassroots, 6, name="孙丽", mobile=wang.mobile)
    rows = plan(
        users["unit_admin"], contest, [["a.jpg", "甲", "", wang.mobile, "", "自然风光", "", ""]]
    )
    assert rows[0].author is None
    assert len(rows[0].problems) == 1


def test_each_row_says_what_is_wrong(contest, people, users):
    wang = people["wang"]
    rows = plan(
        users["unit_admin"],
        contest,
        [
            ["a.jpg", "甲", wang.id_card, "", "", "航拍", "", ""],  # 0 unknown category
            ["b.jpg", "乙", "500118199001010000", "", "", "自然风光", "", ""],  # 1 bad ID
            ["c.jpg", "丙", "", "12345", "", "自然风光", "", ""],  # 2 bad mobile
            ["d.jpg", "丁", "", "", "王芳", "自然风光", "", ""],  # 3 no number
            ["e.jpg", "戊", wang.id_card, "", "李四", "自然风光", "", ""],  # 4 name differs
            ["f.jpg", "", wang.id_card, "", "", "自然风光", "", ""],  # 5 no title
            ["g.jpg", "长" * 101, wang.id_card, "", "", "自然风光", "", ""],  # 6 too long
            ["h.jpg", "己", wang.id_card, "", "", "自然风光", "2026-13-45", ""],  # 7 bad date
            ["i.jpg", "庚", wang.id_card, "", "", "自然风光", "上个月", ""],  # 8 not a date
            ["", "辛", wang.id_card, "", "", "自然风光", "", ""],  # 9 no file name
        ],
    )
    assert all(len(r.problems) == 1 for r in rows), [r.problems for r in rows]
    assert not any(r.ok for r in rows)
    unknown_category = rows[0].problems[0]
    assert "航拍" in unknown_category
    assert all(name in unknown_category for name in CATEGORIES)
    assert "2026-13-45" in rows[7].problems[0]
    assert "上个月" in rows[8].problems[0]
    assert rows[7].taken_on is None
    assert len({r.problems[0] for r in rows}) == len(rows)  # each its own sentence
    assert not rows[4].ok


def test_a_file_named_twice_is_refused_on_its_second_row(contest, people, users):
    wang = people["wang"]
    sheet = [
        ["春色.jpg", "一", wang.id_card, "", "", "自然风光", "", ""],
        ["夕阳.jpg", "二", wang.id_card, "", "", "自然风光", "", ""],
        ["照片/春色.JPG", "三", wang.id_card, "", "", "自然风光", "", ""],
    ]
    rows = plan(users["unit_admin"], contest, sheet)
    assert [r.ok for r in rows] == [True, True, False]
    [problem] = rows[2].problems
    assert "照片/春色.JPG" in problem
    with translation.override("en"):
        again = plan(users["unit_admin"], contest, sheet)
    assert again[2].problems == ["The file 照片/春色.JPG is already on row 2."]


def test_full_width_characters_are_folded(contest, people, users):
    wang = people["wang"]
    full_width = {ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}  # 5 → ５
    full_width_id, full_width_mobile = (
        wang.id_card.translate(full_width),
        wang.mobile.translate(full_width),
    )
    rows = plan(
        users["unit_admin"],
        contest,
        [
            [
                "ｓｕｎ．ＪＰＧ",
                "日出",
                full_width_id,
                "",
                "",
                "自然　风光",
                "２０２６－０３－０１",
                "ｙｅｓ",
            ],
            ["ｍｏｏｎ.jpg", "月", "", full_width_mobile, "", " 人文风情 ", "", "√"],
        ],
    )
    assert [r.problems for r in rows] == [[], []]
    assert [r.author for r in rows] == [wang, wang]
    assert [r.category.name for r in rows] == ["自然风光", "人文风情"]
    assert rows[0].taken_on == datetime.date(2026, 3, 1)
    assert [r.declared for r in rows] == [True, True]
    index = bulk.FileIndex(rows)
    assert index.find("sun.jpg") is rows[0]
    assert index.find("MOON.JPG") is rows[1]


def test_a_date_cell_is_a_date(contest, people, users):
    wang = people["wang"]
    rows = plan(
        users["unit_admin"],
        contest,
        [["a.jpg", "甲", wang.id_card, "", "", "自然风光", datetime.date(2026, 4, 5), ""]],
    )
    assert (rows[0].taken_on, rows[0].problems) == (datetime.date(2026, 4, 5), [])


def test_files_find_their_rows_by_name_then_by_stem(contest, people, users):
    wang = people["wang"]
    rows = plan(
        users["unit_admin"],
        contest,
        [
            ["晨曦.png", "一", wang.id_card, "", "", "自然风光", "", ""],
            ["晨曦.jpg", "二", wang.id_card, "", "", "自然风光", "", ""],
            ["夕阳", "三", wang.id_card, "", "", "自然风光", "", ""],
            ["IMG_0001.JPG", "四", wang.id_card, "", "", "自然风光", "", ""],
        ],
    )
    index = bulk.FileIndex(rows)
    assert index.find("晨曦.jpg") is rows[1]  # the exact name wins over an earlier stem
    assert index.find("晨曦.png") is rows[0]
    assert index.find("夕阳.jpg") is rows[2]  # the sheet gave the name without extension
    assert index.find("D:\\投稿\\img_0001.jpg") is rows[3]  # a Windows path, another case
    assert index.find("月光.jpg") is None
    stored = bulk.FileIndex([{"file": r.file_name} for r in rows], lambda r: r["file"])
    assert stored.find("夕阳.JPG") == {"file": "夕阳"}


def test_a_sheet_without_the_needed_columns_is_refused(contest, users):
    content = xlsx([["a.jpg", "甲"]], header=["文件名", "作品名称"])
    with pytest.raises(ImportRefused):
        bulk.bulk_sheet_read(content, "报送表.xlsx")


# --- the plan, then the files -------------------------------------------------------------------


def test_a_bulk_submission_turns_matched_files_into_entries(
    contest, people, users, django_capture_on_commit_callbacks
):
    wang, zhao = people["wang"], people["zhao"]
    content = xlsx(
        [
            ["春色.jpg", "春色", wang.id_card, "", "王芳", "自然风光", "2026-03-01", "是"],
            ["夕阳", "夕阳", "", wang.mobile, "", "人文风情", "", ""],
            ["远方.jpg", "远方", zhao.id_card, "", "", "自然风光", "", "是"],
        ]
    )
    submission = bulk_start(
        acting_user=users["unit_admin"], contest=contest, content=content, filename="报送表.xlsx"
    )
    assert [r["status"] for r in submission.rows] == ["waiting", "waiting", "invalid"]

    def send(name, seed):
        with django_capture_on_commit_callbacks(execute=True):
            return bulk_file_submit(
                acting_user=users["unit_admin"],
                submission=submission,
                upload=photo_upload(seed, name),
            )

    first = send("春色.jpg", 1)
    assert (first.status, first.row) == ("submitted", 2)
    entry = Entry.objects.get(pk=first.entry.pk)
    assert (entry.author, entry.title, entry.category.name) == (wang, "春色", "自然风光")
    assert entry.taken_on == datetime.date(2026, 3, 1)
    assert entry.missing_declarations() == []
    assert entry.submitted_by == users["unit_admin"]
    assert entry.state == Entry.State.ACCEPTED

    second = send("夕阳.JPG", 2)
    assert second.status == "submitted"
    assert Entry.objects.get(pk=second.entry.pk).declarations == {}

    again = send("春色.jpg", 3)
    assert (again.status, again.row) == ("refused", 2)
    invalid = send("远方.jpg", 4)
    assert (invalid.status, invalid.row) == ("refused", 4)
    stray = send("月光.jpg", 5)
    assert stray.status == "unmatched"
    assert Entry.objects.count() == 2

    submission = BulkSubmission.objects.get(pk=submission.pk)
    assert [(r["status"], r["entry"]) for r in submission.rows] == [
        ("submitted", first.entry.pk),
        ("submitted", second.entry.pk),
        ("invalid", None),
    ]
    assert [f["file"] for f in submission.files] == ["月光.jpg"]


def test_a_refused_file_leaves_its_row_to_try_again(
    contest_factory, people, users, django_capture_on_commit_callbacks
):
    contest = contest_factory(max_entries_per_member=1)
    wang = people["wang"]
    content = xlsx(
        [
            ["一.jpg", "一", wang.id_card, "", "", "自然风光", "", "是"],
            ["二.jpg", "二", wang.id_card, "", "", "自然风光", "", "是"],
        ]
    )
    submission = bulk_start(
        acting_user=users["unit_admin"], contest=contest, content=content, filename="s.xlsx"
    )
    with django_capture_on_commit_callbacks(execute=True):
        bulk_file_submit(
            acting_user=users["unit_admin"], submission=submission, upload=photo_upload(1, "一.jpg")
        )
        refused = bulk_file_submit(
            acting_user=users["unit_admin"], submission=submission, upload=photo_upload(2, "二.jpg")
        )
    assert refused.status == "refused"
    assert "王芳" in refused.reason  # the per-member limit, naming her
    submission.refresh_from_db()
    assert [r["status"] for r in submission.rows] == ["submitted", "refused"]
    Entry.objects.update(state=Entry.State.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True):
        retried = bulk_file_submit(
            acting_user=users["unit_admin"], submission=submission, upload=photo_upload(2, "二.jpg")
        )
    assert retried.status == "submitted"


def test_bulk_submission_is_for_unit_admins_when_the_contest_takes_theirs(
    contest_factory, people, users
):
    wang = people["wang"]
    content = xlsx([["一.jpg", "一", wang.id_card, "", "", "自然风光", "", "是"]])
    with pytest.raises(SubmissionRefused):
        bulk_start(
            acting_user=users["member"],
            contest=contest_factory(),
            content=content,
            filename="s.xlsx",
        )
    closed_to_units = contest_factory("members-only", units_submit=False)
    with pytest.raises(SubmissionRefused):
        bulk_start(
            acting_user=users["unit_admin"],
            contest=closed_to_units,
            content=content,
            filename="s.xlsx",
        )
    assert not BulkSubmission.objects.exists()


def test_a_file_the_pipeline_refuses_is_a_refused_entry_of_its_row(
    contest, people, users, django_capture_on_commit_callbacks
):
    wang = people["wang"]
    submission = bulk_start(
        acting_user=users["unit_admin"],
        contest=contest,
        content=xlsx([["一.jpg", "一", wang.id_card, "", "", "自然风光", "", "是"]]),
        filename="s.xlsx",
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = bulk_file_submit(
            acting_user=users["unit_admin"],
            submission=submission,
            upload=Upload("一.jpg", [b"not a photo at all\n" * 10]),
        )
    assert outcome.status == "submitted"
    entry = Entry.objects.get(pk=outcome.entry.pk)
    assert entry.state == Entry.State.REFUSED
    assert "一.jpg" in entry.refusal_reason
    submission.refresh_from_db()
    assert submission.rows[0]["entry"] == entry.pk
