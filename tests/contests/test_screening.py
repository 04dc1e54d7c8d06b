"""Screening: the flags an accepted entry earns, and the organiser's decisions on them."""

import datetime
import io
import itertools

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from laurel.audit.models import LogEntry
from laurel.contests.models import Entry, Flag
from laurel.contests.services import (
    SubmissionRefused,
    Upload,
    entry_declare,
    entry_submit,
    entry_update,
    entry_withdraw,
    flag_answer,
    flag_resolve,
)
from laurel.notifications.models import Notification
from tests.conftest import make_member
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload
from tests.helpers import jpeg, photo

SEEDS = itertools.count(2000)


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Submit (and process, as the worker would after the commit); the entry as stored."""

    def run(user, contest, author, *, uploads=None, title="春", **fields):
        fields.setdefault("declarations", ALL_DECLARATIONS)
        fields.setdefault("taken_on", datetime.date(2026, 3, 1))
        with django_capture_on_commit_callbacks(execute=True):
            entry = entry_submit(
                acting_user=user,
                contest=contest,
                author=author,
                category=contest.categories.first(),
                title=title,
                uploads=uploads if uploads is not None else [photo_upload(next(SEEDS))],
                **fields,
            )
        entry.refresh_from_db()
        assert entry.state == Entry.State.ACCEPTED, entry.refusal_reason
        return entry

    return run


def flags_of(entry: Entry) -> dict[str, Flag]:
    return {flag.kind: flag for flag in entry.flags.all()}


def jpeg_taken(seed: int, taken: str | None, size=(1200, 900)) -> Upload:
    """A JPEG whose EXIF says when it was taken (DateTimeOriginal), as cameras write it."""
    image = photo(seed, size)
    buffer = io.BytesIO()
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return Upload(f"exif-{seed}.jpg", [buffer.getvalue()])


@pytest.fixture
def other(world):
    """Another member of 永川区's grassroots union (no login)."""
    return make_member(world.grassroots, 2)


# --- duplicates -------------------------------------------------------------------------------


def test_the_same_photo_twice_flags_the_later_entry(contest, member_self, other, users, submit):
    first = submit(users["member"], contest, member_self, uploads=[photo_upload(7)])
    submit(users["unit_admin"], contest, other)  # an unrelated entry in between
    later = submit(users["unit_admin"], contest, other, uploads=[photo_upload(7, "copy.jpg")])
    assert later.number == 3
    assert flags_of(later)[Flag.Kind.DUPLICATE].detail == {"entries": [first.number]}
    assert Flag.Kind.DUPLICATE_PAST not in flags_of(later)
    assert Flag.Kind.DUPLICATE not in flags_of(first)
    assert flags_of(later)[Flag.Kind.DUPLICATE].state == Flag.State.OPEN


def test_a_resized_recompressed_copy_is_a_duplicate(contest, member_self, other, users, submit):
    big = photo(11, (1800, 1350))
    first = submit(users["member"], contest, member_self, uploads=[Upload("big.jpg", [jpeg(big)])])
    small = big.resize((1200, 900), Image.Resampling.LANCZOS)
    copy = Upload("small.jpg", [jpeg(small, quality=70)])
    later = submit(users["unit_admin"], contest, other, uploads=[copy])
    assert flags_of(later)[Flag.Kind.DUPLICATE].detail == {"entries": [first.number]}
    # a different picture at the same sizes is no duplicate
    distinct = submit(users["unit_admin"], contest, other, uploads=[photo_upload(12)])
    assert Flag.Kind.DUPLICATE not in flags_of(distinct)


def test_a_withdrawn_entry_is_no_longer_a_duplicate_source(
    contest, member_self, other, users, submit
):
    first = submit(users["member"], contest, member_self, uploads=[photo_upload(8)])
    entry_withdraw(acting_user=users["member"], entry=first)
    later = submit(users["unit_admin"], contest, other, uploads=[photo_upload(8)])
    assert Flag.Kind.DUPLICATE not in flags_of(later)


def test_a_photo_entered_in_an_earlier_contest_is_flagged_as_such(
    contest_factory, member_self, other, users, submit
):
    earlier = contest_factory("photo-2025")
    old = submit(users["member"], earlier, member_self, uploads=[photo_upload(9)])
    submit(users["member"], earlier, member_self)
    contest = contest_factory("photo-2026")
    entry = submit(users["unit_admin"], contest, other, uploads=[photo_upload(9)])
    flags = flags_of(entry)
    assert flags[Flag.Kind.DUPLICATE_PAST].detail == {"entries": [f"photo-2025#{old.number}"]}
    assert Flag.Kind.DUPLICATE not in flags


# --- size, date, declarations -----------------------------------------------------------------


def test_a_photo_below_the_minimum_long_edge_is_flagged(
    contest_factory, member_self, users, submit
):
    contest = contest_factory(min_long_edge=1000)
    small = submit(
        users["member"], contest, member_self, uploads=[photo_upload(next(SEEDS), size=(900, 999))]
    )
    assert flags_of(small)[Flag.Kind.BELOW_SIZE].detail == {"photos": [1], "min_long_edge": 1000}
    exact = submit(
        users["member"], contest, member_self, uploads=[photo_upload(next(SEEDS), size=(1000, 600))]
    )
    assert Flag.Kind.BELOW_SIZE not in flags_of(exact)


def test_the_small_photo_of_a_series_is_named(contest, member_self, users, submit):
    uploads = [
        photo_upload(next(SEEDS), size=(1200, 900)),
        photo_upload(next(SEEDS), size=(600, 800)),
        photo_upload(next(SEEDS), size=(1200, 900)),
    ]
    entry = submit(users["member"], contest, member_self, uploads=uploads)
    assert flags_of(entry)[Flag.Kind.BELOW_SIZE].detail["photos"] == [2]


def test_no_exif_date_and_no_date_given_is_flagged(contest, member_self, users, submit):
    entry = submit(users["member"], contest, member_self, taken_on=None)
    assert entry.taken_on is None
    assert set(flags_of(entry)) == {Flag.Kind.DATE_MISSING}
    dated = submit(users["member"], contest, member_self, taken_on=datetime.date(2026, 1, 2))
    assert not flags_of(dated)


def test_the_exif_date_gives_the_date_taken(contest, member_self, users, submit):
    entry = submit(
        users["member"],
        contest,
        member_self,
        uploads=[jpeg_taken(next(SEEDS), "2025:06:01 08:30:00")],
        taken_on=None,
    )
    assert entry.taken_on == datetime.date(2025, 6, 1)
    assert not flags_of(entry)


def test_an_exif_date_outside_the_window_is_flagged(contest_factory, member_self, users, submit):
    contest = contest_factory(
        taken_from=datetime.date(2025, 1, 1), taken_until=datetime.date(2025, 12, 31)
    )
    outside = submit(
        users["member"],
        contest,
        member_self,
        uploads=[jpeg_taken(next(SEEDS), "2020:01:01 10:00:00")],
        taken_on=None,
    )
    assert outside.taken_on == datetime.date(2020, 1, 1)
    assert flags_of(outside)[Flag.Kind.DATE_OUTSIDE].detail == {"taken_on": "2020-01-01"}
    assert Flag.Kind.DATE_MISSING not in flags_of(outside)
    inside = submit(
        users["member"],
        contest,
        member_self,
        uploads=[jpeg_taken(next(SEEDS), "2025:12:31 23:59:00")],
        taken_on=None,
    )
    assert not flags_of(inside)
    late = submit(users["member"], contest, member_self, taken_on=datetime.date(2026, 1, 1))
    assert flags_of(late)[Flag.Kind.DATE_OUTSIDE].detail == {"taken_on": "2026-01-01"}


def test_the_date_given_wins_over_the_exif_date(contest_factory, member_self, users, submit):
    contest = contest_factory(taken_from=datetime.date(2025, 1, 1))
    entry = submit(
        users["member"],
        contest,
        member_self,
        uploads=[jpeg_taken(next(SEEDS), "2020:01:01 10:00:00")],
        taken_on=datetime.date(2025, 3, 3),
    )
    assert entry.taken_on == datetime.date(2025, 3, 3)
    assert not flags_of(entry)


def test_declarations_missing_until_the_entrant_declares(contest, member_self, users, submit):
    entry = submit(users["unit_admin"], contest, member_self, declarations=())
    flag = flags_of(entry)[Flag.Kind.DECLARATIONS_MISSING]
    assert (flag.state, sorted(flag.detail["missing"])) == (
        Flag.State.OPEN,
        sorted(ALL_DECLARATIONS),
    )
    entry_declare(acting_user=users["member"], entry=entry, declarations=ALL_DECLARATIONS[:2])
    flag.refresh_from_db()
    assert sorted(flag.detail["missing"]) == sorted(ALL_DECLARATIONS[2:])
    entry_declare(acting_user=users["member"], entry=entry, declarations=ALL_DECLARATIONS[2:])
    entry.refresh_from_db()
    assert Flag.Kind.DECLARATIONS_MISSING not in flags_of(entry)
    assert entry.missing_declarations() == []
    assert {d["by"] for d in entry.declarations.values()} == {users["member"].pk}
    declared = LogEntry.objects.filter(action="contests.entry.declared", object_id=str(entry.pk))
    assert declared.count() == 2


def test_declarations_given_at_submission_raise_no_flag(contest, member_self, users, submit):
    entry = submit(users["unit_admin"], contest, member_self, declarations=ALL_DECLARATIONS)
    assert not flags_of(entry)


def test_a_stranger_cannot_declare_for_the_entrant(
    contest, member_self, world, users, make_user, submit
):
    entry = submit(users["unit_admin"], contest, member_self, declarations=())
    outsider = make_user("unit_admin", world.other_district)
    with pytest.raises(SubmissionRefused):
        entry_declare(acting_user=outsider, entry=entry, declarations=ALL_DECLARATIONS)
    entry.refresh_from_db()
    assert entry.declarations == {}
    assert Flag.Kind.DECLARATIONS_MISSING in flags_of(entry)


# --- resolving flags --------------------------------------------------------------------------


@pytest.fixture
def flagged(contest, member_self, users, submit):
    """An entry of 李明's a unit admin submitted without declarations: one open flag."""
    entry = submit(users["unit_admin"], contest, member_self, declarations=())
    Notification.objects.all().delete()
    return flags_of(entry)[Flag.Kind.DECLARATIONS_MISSING]


def resolve(users, flag, decision, reason="照片原作者需签署声明"):
    return flag_resolve(
        acting_user=users["federation_admin"], flag=flag, decision=decision, reason=reason
    )


def test_an_organiser_keeps_an_entry_with_a_reason(flagged, users):
    flag = resolve(users, flagged, Flag.State.KEPT, " 纸质声明已收到 ")
    flag.refresh_from_db()
    assert (flag.state, flag.reason) == (Flag.State.KEPT, "纸质声明已收到")
    assert flag.resolved_by == users["federation_admin"]
    assert flag.resolved_at is not None
    assert Entry.objects.get(pk=flag.entry_id).state == Entry.State.ACCEPTED
    [audited] = LogEntry.objects.filter(action="contests.flag.kept")
    assert audited.object_id == str(flag.entry_id)
    assert audited.data == {"flag": "declarations_missing", "reason": "纸质声明已收到"}
    for user in (users["member"], users["unit_admin"]):
        [told] = Notification.objects.filter(recipient=user)
        assert "纸质声明已收到" in told.body
        assert flag.entry.code in told.title


def test_a_reason_is_required(flagged, users):
    for decision in (Flag.State.KEPT, Flag.State.DISQUALIFIED, Flag.State.ASKED):
        with pytest.raises(ValidationError) as refused:
            resolve(users, flagged, decision, "  ")
        assert "reason" in refused.value.message_dict
    flagged.refresh_from_db()
    assert flagged.state == Flag.State.OPEN
    assert Entry.objects.get(pk=flagged.entry_id).state == Entry.State.ACCEPTED
    assert not LogEntry.objects.filter(action__startswith="contests.flag.").exists()
    assert not Notification.objects.exists()


def test_a_decision_is_keep_disqualify_or_ask(flagged, users):
    with pytest.raises(ValidationError):
        resolve(users, flagged, Flag.State.OPEN)
    flagged.refresh_from_db()
    assert flagged.state == Flag.State.OPEN


def test_only_organisers_resolve(flagged, users):
    for user in (users["unit_admin"], users["member"], users["judge"]):
        with pytest.raises(ValidationError):
            flag_resolve(acting_user=user, flag=flagged, decision=Flag.State.KEPT, reason="好")
    flagged.refresh_from_db()
    assert flagged.state == Flag.State.OPEN
    assert flagged.resolved_by is None
    assert not LogEntry.objects.filter(action__startswith="contests.flag.").exists()


def test_disqualifying_ends_the_entry_and_frees_the_place(
    contest_factory, member_self, users, submit
):
    contest = contest_factory(max_entries_per_member=1)
    entry = submit(users["unit_admin"], contest, member_self, declarations=())
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self)
    flag = flags_of(entry)[Flag.Kind.DECLARATIONS_MISSING]
    resolve(users, flag, Flag.State.DISQUALIFIED, "未提交声明")
    entry.refresh_from_db()
    assert entry.state == Entry.State.DISQUALIFIED
    assert entry.refusal_reason == "未提交声明"
    assert LogEntry.objects.filter(
        action="contests.flag.disqualified", object_id=str(entry.pk)
    ).exists()
    [told] = Notification.objects.filter(recipient=users["member"], body__contains="未提交声明")
    assert entry.code in told.title
    # the place is free again, and the disqualified entry can no longer change
    assert submit(users["member"], contest, member_self).state == Entry.State.ACCEPTED
    with pytest.raises(SubmissionRefused):
        entry_declare(acting_user=users["member"], entry=entry, declarations=ALL_DECLARATIONS)


def test_asking_the_entrant_and_the_answer_goes_back_to_the_organiser(flagged, users):
    flag = resolve(users, flagged, Flag.State.ASKED, "请补交纸质声明")
    assert Flag.objects.get(pk=flag.pk).state == Flag.State.ASKED
    assert Notification.objects.filter(recipient=users["member"], body__contains="请补交").exists()
    assert LogEntry.objects.filter(action="contests.flag.asked").count() == 1
    answered = flag_answer(acting_user=users["member"], flag=flag, answer=" 已寄出 ")
    answered.refresh_from_db()
    assert (answered.state, answered.answer) == (Flag.State.OPEN, "已寄出")
    [audited] = LogEntry.objects.filter(action="contests.flag.answered")
    assert audited.actor == users["member"]
    assert audited.object_id == str(flag.entry_id)
    assert Entry.objects.get(pk=flag.entry_id).state == Entry.State.ACCEPTED


def test_only_the_entrant_answers_and_only_a_question(flagged, users):
    with pytest.raises(ValidationError):  # nothing was asked yet
        flag_answer(acting_user=users["member"], flag=flagged, answer="你好")
    flag = resolve(users, flagged, Flag.State.ASKED, "请补交纸质声明")
    for user in (users["unit_admin"], users["federation_admin"], users["judge"]):
        with pytest.raises(ValidationError):
            flag_answer(acting_user=user, flag=flag, answer="代答")
    with pytest.raises(ValidationError):
        flag_answer(acting_user=users["member"], flag=flag, answer="   ")
    flag.refresh_from_db()
    assert (flag.state, flag.answer) == (Flag.State.ASKED, "")
    assert not LogEntry.objects.filter(action="contests.flag.answered").exists()


def test_new_photos_drop_open_flags_and_screen_again(
    contest, member_self, other, users, submit, django_capture_on_commit_callbacks
):
    submit(users["member"], contest, member_self, uploads=[photo_upload(21)])
    entry = submit(users["unit_admin"], contest, other, uploads=[photo_upload(21)])
    assert Flag.Kind.DUPLICATE in flags_of(entry)
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(
            acting_user=users["unit_admin"],
            entry=entry,
            title=entry.title,
            category=entry.category,
            taken_on=entry.taken_on,
            uploads=[photo_upload(22)],
        )
    entry.refresh_from_db()
    assert entry.state == Entry.State.ACCEPTED
    assert Flag.Kind.DUPLICATE not in flags_of(entry)


def test_a_decided_flag_stays_decided_when_screened_again(
    contest, member_self, other, users, submit
):
    submit(users["unit_admin"], contest, other, uploads=[photo_upload(23)])
    entry = submit(
        users["unit_admin"], contest, member_self, uploads=[photo_upload(23)], declarations=()
    )
    kept = resolve(
        users, flags_of(entry)[Flag.Kind.DUPLICATE], Flag.State.KEPT, "同一底片的两种裁切"
    )
    entry_declare(acting_user=users["member"], entry=entry, declarations=ALL_DECLARATIONS)
    flags = flags_of(entry)
    assert flags[Flag.Kind.DUPLICATE].pk == kept.pk
    assert flags[Flag.Kind.DUPLICATE].state == Flag.State.KEPT
    assert Flag.Kind.DECLARATIONS_MISSING not in flags


def test_an_edit_without_a_date_keeps_the_photos_date(
    contest, member_self, users, submit, django_capture_on_commit_callbacks
):
    entry = submit(
        users["member"],
        contest,
        member_self,
        uploads=[jpeg_taken(next(SEEDS), "2025:06:01 08:30:00")],
        taken_on=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(
            acting_user=users["member"], entry=entry, title="新标题", category=entry.category
        )
    entry.refresh_from_db()
    assert entry.title == "新标题"
    assert entry.taken_on == datetime.date(2025, 6, 1)
    assert not flags_of(entry)


def test_new_photos_are_screened_afresh_whatever_was_decided_on_the_old(
    contest, member_self, other, users, submit, django_capture_on_commit_callbacks
):
    small = submit(
        users["member"], contest, member_self, uploads=[photo_upload(31, size=(900, 600))]
    )
    kept = resolve(users, flags_of(small)[Flag.Kind.BELOW_SIZE], Flag.State.KEPT, "画质尚可")
    assert kept.state == Flag.State.KEPT
    first = submit(users["unit_admin"], contest, other, uploads=[photo_upload(32)])
    with django_capture_on_commit_callbacks(execute=True):  # now a smaller one, and a copy
        entry_update(
            acting_user=users["member"],
            entry=small,
            title=small.title,
            category=small.category,
            taken_on=small.taken_on,
            uploads=[photo_upload(33, size=(800, 600)), photo_upload(32)],
        )
    flags = flags_of(small)
    assert flags[Flag.Kind.BELOW_SIZE].state == Flag.State.OPEN
    assert flags[Flag.Kind.BELOW_SIZE].detail["photos"] == [1]
    assert flags[Flag.Kind.DUPLICATE].detail == {"entries": [first.number]}


def test_declaring_settles_the_organisers_question_about_declarations(flagged, users):
    asked = resolve(users, flagged, Flag.State.ASKED, "请签署参赛声明")
    entry_declare(acting_user=users["member"], entry=asked.entry, declarations=ALL_DECLARATIONS)
    assert not Flag.objects.filter(pk=asked.pk).exists()
    assert not Entry.objects.get(pk=asked.entry_id).flags.exists()
