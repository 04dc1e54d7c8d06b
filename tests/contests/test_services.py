"""The contest engine's services: setting contests up and moving them through their states,
submitting under the contest's rules, limits and quotas, processing, editing, withdrawing."""

import datetime
import itertools

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from laurel.audit.models import LogEntry
from laurel.contests.models import Contest, Entry, UnitQuota
from laurel.contests.services import (
    SubmissionRefused,
    Upload,
    contest_create,
    contest_transition,
    entry_settle,
    entry_submit,
    entry_update,
    entry_withdraw,
)
from laurel.media.models import MediaAsset
from laurel.notifications.models import Notification
from tests.conftest import make_member
from tests.contests.conftest import ALL_DECLARATIONS, CATEGORIES, photo_upload
from tests.helpers import encode, photo

SEEDS = itertools.count(1000)
TEXT_AS_JPEG = b"These are my notes about the photo, not a photo at all.\n" * 20


def text_upload(name: str = "notes.jpg") -> Upload:
    return Upload(name, [TEXT_AS_JPEG])


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Submit (and process, as the worker would after the commit); the entry as stored."""

    def run(user, contest, author, *, uploads=None, category=None, title="春", **fields):
        fields.setdefault("declarations", ALL_DECLARATIONS)
        with django_capture_on_commit_callbacks(execute=True):
            entry = entry_submit(
                acting_user=user,
                contest=contest,
                author=author,
                category=category or contest.categories.first(),
                title=title,
                uploads=uploads if uploads is not None else [photo_upload(next(SEEDS))],
                **fields,
            )
        entry.refresh_from_db()
        return entry

    return run


@pytest.fixture
def update(django_capture_on_commit_callbacks):
    def run(user, entry, **fields):
        fields.setdefault("title", entry.title)
        fields.setdefault("category", entry.category)
        with django_capture_on_commit_callbacks(execute=True):
            entry = entry_update(acting_user=user, entry=entry, **fields)
        entry.refresh_from_db()
        return entry

    return run


@pytest.fixture
def grassroots_admin(world, make_user):
    return make_user("unit_admin", world.grassroots)


@pytest.fixture
def other_admin(world, make_user):
    """A unit admin of 奉节县: outside 永川区."""
    return make_user("unit_admin", world.other_district)


def audit_entries(action: str, obj) -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=action, object_id=str(obj.pk)).order_by("pk"))


# --- contest_create -------------------------------------------------------------------------


def contest_fields(**overrides) -> dict:
    now = timezone.now()
    return {
        "title": "职工摄影展",
        "organiser": "市总工会",
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=10),
        **overrides,
    }


def test_contest_create_keeps_categories_prizes_quotas_and_audits(users, world):
    contest = contest_create(
        acting_user=users["federation_admin"],
        slug="photo-2026",
        categories=[" 自然风光 ", "人文风情", ""],
        prize_tiers=[("一等奖", 5), ("二等奖", 15)],
        quotas=[(world.district, 20)],
        **contest_fields(formats=["jpeg"]),
    )
    assert contest.state == Contest.State.DRAFT
    assert [c.name for c in contest.categories.all()] == ["自然风光", "人文风情"]
    assert [(t.name, t.count) for t in contest.prize_tiers.all()] == [("一等奖", 5), ("二等奖", 15)]
    assert [(q.unit, q.limit) for q in contest.quotas.all()] == [(world.district, 20)]
    [created] = audit_entries("contests.contest.created", contest)
    assert created.actor == users["federation_admin"]
    assert created.data["slug"] == "photo-2026"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": "opens_at"}, "closes_at"),
        ({"closes_at": "before"}, "closes_at"),
        ({"series_min": 1}, "series_max"),
        ({"series_min": 4, "series_max": 3}, "series_max"),
        ({"formats": []}, "formats"),
        ({"formats": ["jpeg", "gif"]}, "formats"),
        ({"allow_single": False, "allow_series": False}, "allow_single"),
        ({"members_submit": False, "units_submit": False}, "members_submit"),
        (
            {
                "exhibition_opens_on": datetime.date(2026, 5, 2),
                "exhibition_closes_on": datetime.date(2026, 5, 1),
            },
            "exhibition_closes_on",
        ),
        (
            {
                "taken_from": datetime.date(2026, 5, 2),
                "taken_until": datetime.date(2026, 5, 1),
            },
            "taken_until",
        ),
    ],
)
def test_contest_create_refuses_inconsistent_rules(users, overrides, field):
    fields = contest_fields(**overrides)
    if overrides.get("closes_at") == "opens_at":
        fields["closes_at"] = fields["opens_at"]
    elif overrides.get("closes_at") == "before":
        fields["closes_at"] = fields["opens_at"] - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        contest_create(
            acting_user=users["federation_admin"], slug="bad", categories=CATEGORIES, **fields
        )
    assert field in refused.value.message_dict
    assert not Contest.objects.filter(slug="bad").exists()
    assert not LogEntry.objects.filter(action="contests.contest.created").exists()


@pytest.mark.parametrize("categories", [[], ["  ", ""], ["风光", "风光"]])
def test_contest_create_needs_distinct_categories(users, categories):
    with pytest.raises(ValidationError) as refused:
        contest_create(
            acting_user=users["federation_admin"],
            slug="bad",
            categories=categories,
            **contest_fields(),
        )
    assert "categories" in refused.value.message_dict
    assert not Contest.objects.filter(slug="bad").exists()


def test_contest_create_takes_each_units_quota_once(users, world):
    with pytest.raises(ValidationError) as refused:
        contest_create(
            acting_user=users["federation_admin"],
            slug="bad",
            categories=CATEGORIES,
            quotas=[(world.district, 2), (world.grassroots, 1), (world.district, 3)],
            **contest_fields(),
        )
    assert "quotas" in refused.value.message_dict
    assert not Contest.objects.filter(slug="bad").exists()
    assert not UnitQuota.objects.exists()


# --- contest_transition -----------------------------------------------------------------------


def test_a_contest_goes_through_its_life_each_step_audited(contest_factory, users):
    contest = contest_factory(state="draft")
    path = ["open", "closed", "open", "closed", "judging", "results"]
    for to in path:
        contest = contest_transition(acting_user=users["federation_admin"], contest=contest, to=to)
        assert Contest.objects.get(pk=contest.pk).state == to
    changes = audit_entries("contests.contest.state_changed", contest)
    assert [(e.data["from"], e.data["to"]) for e in changes] == list(
        zip(["draft", *path[:-1]], path, strict=True)
    )
    assert {e.actor for e in changes} == {users["federation_admin"]}


@pytest.mark.parametrize(
    ("state", "to"),
    [
        ("draft", "closed"),
        ("draft", "published"),
        ("open", "judging"),
        ("open", "draft"),
        ("closed", "results"),
        ("judging", "open"),
        ("judging", "closed"),
        ("results", "judging"),
        ("results", "published"),  # only results_publish publishes: with a snapshot
        ("published", "open"),
        ("published", "results"),
    ],
)
def test_a_contest_cannot_jump_states(contest_factory, users, state, to):
    contest = contest_factory(state="draft")
    Contest.objects.filter(pk=contest.pk).update(state=state)
    with pytest.raises(ValidationError):
        contest_transition(acting_user=users["federation_admin"], contest=contest, to=to)
    assert Contest.objects.get(pk=contest.pk).state == state
    assert not audit_entries("contests.contest.state_changed", contest)


def test_a_contest_without_categories_cannot_open(contest_factory, users):
    contest = contest_factory(state="draft")
    contest.categories.all().delete()
    with pytest.raises(ValidationError):
        contest_transition(acting_user=users["federation_admin"], contest=contest, to="open")
    assert Contest.objects.get(pk=contest.pk).state == Contest.State.DRAFT
    assert not audit_entries("contests.contest.state_changed", contest)


# --- entry_submit: the window -----------------------------------------------------------------


def test_a_submission_is_numbered_stored_and_audited(contest, member_self, users, submit):
    entry = submit(users["member"], contest, member_self, title=" 春 ", place="永川")
    assert entry.number == 1
    assert entry.code == "0001"
    assert entry.title == "春"
    assert entry.unit == member_self.unit
    assert entry.submitted_by == users["member"]
    assert entry.kind == Entry.Kind.SINGLE
    assert sorted(entry.declarations) == sorted(ALL_DECLARATIONS)
    assert entry.declarations["original"]["by"] == users["member"].pk
    [audited] = audit_entries("contests.entry.submitted", entry)
    assert audited.actor == users["member"]
    assert audited.unit == member_self.unit
    assert audited.data["number"] == 1
    assert audited.data["contest"] == contest.slug
    assert audited.data["photos"] == [p.asset_id for p in entry.files.all()]


def test_entries_are_numbered_one_to_n_across_authors(
    contest, member_self, world, users, grassroots_admin, submit
):
    other = make_member(world.grassroots, 2)
    numbers = [
        submit(users["member"], contest, member_self).number,
        submit(grassroots_admin, contest, other).number,
        submit(users["unit_admin"], contest, member_self).number,
    ]
    assert numbers == [1, 2, 3]
    entry_withdraw(acting_user=users["member"], entry=Entry.objects.get(number=3))
    assert submit(users["member"], contest, member_self).number == 4  # never reused


def test_entries_open_at_the_announced_moment(contest_factory, member_self, users, submit):
    opens_at = timezone.now() + datetime.timedelta(days=2)
    contest = contest_factory(opens_at=opens_at, closes_at=opens_at + datetime.timedelta(days=5))
    assets_before = MediaAsset.objects.count()
    with pytest.raises(SubmissionRefused) as refused:
        submit(users["member"], contest, member_self)
    local = timezone.localtime(opens_at).strftime("%Y-%m-%d %H:%M")
    assert local in " ".join(refused.value.messages)
    assert not Entry.objects.exists()
    assert MediaAsset.objects.count() == assets_before  # refused before storing anything
    with time_machine.travel(opens_at + datetime.timedelta(minutes=1), tick=False):
        assert submit(users["member"], contest, member_self).state == Entry.State.ACCEPTED


def test_no_entries_after_the_window_closes(contest_factory, member_self, users, submit):
    now = timezone.now()
    contest = contest_factory(
        opens_at=now - datetime.timedelta(days=10), closes_at=now - datetime.timedelta(minutes=1)
    )
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self)
    assert not Entry.objects.exists()


@pytest.mark.parametrize("state", ["draft", "closed", "judging", "published"])
def test_no_entries_unless_the_contest_is_open(contest_factory, member_self, users, submit, state):
    contest = contest_factory(state="draft")
    Contest.objects.filter(pk=contest.pk).update(state=state)
    contest.refresh_from_db()
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self)
    assert not Entry.objects.exists()
    assert not MediaAsset.objects.exists()


# --- entry_submit: single photos and series ---------------------------------------------------


def test_a_series_is_one_entry_of_its_photos_in_order(contest, member_self, users, submit):
    uploads = [photo_upload(next(SEEDS), f"{n}.jpg") for n in range(3)]
    entry = submit(users["member"], contest, member_self, uploads=uploads)
    assert entry.kind == Entry.Kind.SERIES
    assert entry.state == Entry.State.ACCEPTED, entry.refusal_reason
    assert [p.asset.original_name for p in entry.files.all()] == ["0.jpg", "1.jpg", "2.jpg"]
    assert [p.position for p in entry.files.all()] == [0, 1, 2]


def test_series_only_refuses_a_single_photo(contest_factory, member_self, users, submit):
    contest = contest_factory(allow_single=False)
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self)
    entry = submit(
        users["member"],
        contest,
        member_self,
        uploads=[photo_upload(next(SEEDS)), photo_upload(next(SEEDS))],
    )
    assert entry.kind == Entry.Kind.SERIES


def test_singles_only_refuses_a_series(contest_factory, member_self, users, submit):
    contest = contest_factory(allow_series=False)
    with pytest.raises(SubmissionRefused):
        submit(
            users["member"],
            contest,
            member_self,
            uploads=[photo_upload(next(SEEDS)), photo_upload(next(SEEDS))],
        )
    assert not Entry.objects.exists()
    assert submit(users["member"], contest, member_self).kind == Entry.Kind.SINGLE


@pytest.mark.parametrize(("count", "accepted"), [(2, False), (3, True), (4, True), (5, False)])
def test_a_series_has_between_min_and_max_photos(
    contest_factory, member_self, users, submit, count, accepted
):
    contest = contest_factory(series_min=3, series_max=4)
    uploads = [photo_upload(next(SEEDS), size=(1100, 800)) for _ in range(count)]
    if accepted:
        assert len(submit(users["member"], contest, member_self, uploads=uploads).files.all()) == (
            count
        )
    else:
        with translation.override("en"), pytest.raises(SubmissionRefused) as refused:
            submit(users["member"], contest, member_self, uploads=uploads)
        assert f"this one has {count}" in refused.value.messages[0]
        assert not Entry.objects.exists()


def test_an_entry_needs_photos_a_title_and_a_category_of_the_contest(
    contest, contest_factory, member_self, users, submit
):
    other = contest_factory("other-2026")
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self, uploads=[])
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self, title="   ")
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self, category=other.categories.first())
    assert not Entry.objects.exists()


# --- entry_submit: limits and quotas ----------------------------------------------------------


def test_a_member_has_at_most_the_contests_number_of_entries(
    contest_factory, member_self, users, submit
):
    contest = contest_factory(max_entries_per_member=2)
    first = submit(users["member"], contest, member_self)
    submit(users["unit_admin"], contest, member_self)  # whoever submits, it is her place
    with pytest.raises(SubmissionRefused) as refused:
        submit(users["member"], contest, member_self)
    assert member_self.name in refused.value.messages[0]
    assert Entry.objects.count() == 2
    entry_withdraw(acting_user=users["member"], entry=first)  # a withdrawn entry frees its place
    third = submit(users["member"], contest, member_self)
    assert third.state == Entry.State.ACCEPTED
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self)


def test_a_refused_entry_frees_its_place(contest_factory, member_self, users, submit):
    contest = contest_factory(max_entries_per_member=2)
    submit(users["member"], contest, member_self)
    refused = submit(users["member"], contest, member_self, uploads=[text_upload()])
    assert refused.state == Entry.State.REFUSED
    assert submit(users["member"], contest, member_self).state == Entry.State.ACCEPTED
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self)


def test_the_limit_is_per_member(contest_factory, member_self, world, users, submit):
    contest = contest_factory(max_entries_per_member=1)
    submit(users["member"], contest, member_self)
    other = make_member(world.grassroots, 2)
    assert submit(users["unit_admin"], contest, other).state == Entry.State.ACCEPTED


def test_a_unit_quota_counts_its_whole_subtree_whoever_submits(
    contest_factory, member_self, world, users, grassroots_admin, other_admin, submit
):
    contest = contest_factory(quotas=[(world.district, 2)])
    in_district = make_member(world.district, 2)
    in_grassroots = make_member(world.grassroots, 3)
    first = submit(users["member"], contest, member_self)  # a member, for herself
    submit(users["unit_admin"], contest, in_district)  # the district's admin
    with pytest.raises(SubmissionRefused) as refused:
        submit(grassroots_admin, contest, in_grassroots)  # the grassroots union's admin
    assert world.district.name in refused.value.messages[0]
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, member_self)
    # 奉节县 is not under the quota
    outsider = make_member(world.other_district, 4)
    assert submit(other_admin, contest, outsider).state == Entry.State.ACCEPTED
    # a withdrawn entry gives the place back
    entry_withdraw(acting_user=users["member"], entry=first)
    assert submit(grassroots_admin, contest, in_grassroots).state == Entry.State.ACCEPTED
    assert Entry.objects.filter(unit__path__startswith=world.district.path).count() == 3
    assert Entry.objects.filter(state__in=Entry.LIVE_STATES).count() == 3


def test_another_districts_quota_does_not_touch_this_one(
    contest_factory, member_self, world, users, other_admin, submit
):
    contest = contest_factory(quotas=[(world.other_district, 1)])
    for n in (2, 3, 4):
        submit(users["unit_admin"], contest, make_member(world.grassroots, n))
    submit(users["member"], contest, member_self)
    assert Entry.objects.count() == 4
    submit(other_admin, contest, make_member(world.other_grassroots, 5))
    with pytest.raises(SubmissionRefused) as refused:
        submit(other_admin, contest, make_member(world.other_district, 6))
    assert world.other_district.name in refused.value.messages[0]


def test_the_tightest_quota_over_an_author_decides(
    contest_factory, member_self, world, users, submit
):
    contest = contest_factory(quotas=[(world.district, 5), (world.grassroots, 1)])
    assert UnitQuota.objects.filter(contest=contest).count() == 2
    submit(users["member"], contest, member_self)
    with pytest.raises(SubmissionRefused) as refused:
        submit(users["unit_admin"], contest, make_member(world.grassroots, 2))
    assert world.grassroots.name in refused.value.messages[0]
    # the district itself still has places
    assert submit(users["unit_admin"], contest, make_member(world.district, 3)).number == 2


# --- entry_submit: who may submit --------------------------------------------------------------


def test_members_submit_for_themselves_only_when_the_contest_allows(
    contest_factory, member_self, users, submit
):
    contest = contest_factory(members_submit=False)
    with pytest.raises(SubmissionRefused) as refused:
        submit(users["member"], contest, member_self)
    assert member_self.name in refused.value.messages[0]
    assert not MediaAsset.objects.exists()
    assert submit(users["unit_admin"], contest, member_self).state == Entry.State.ACCEPTED


def test_unit_admins_submit_only_when_the_contest_allows(
    contest_factory, member_self, world, users, submit
):
    contest = contest_factory(units_submit=False)
    with pytest.raises(SubmissionRefused):
        submit(users["unit_admin"], contest, make_member(world.grassroots, 2))
    with pytest.raises(SubmissionRefused):
        submit(users["unit_admin"], contest, member_self)
    assert not Entry.objects.exists()
    assert submit(users["member"], contest, member_self).state == Entry.State.ACCEPTED


def test_a_unit_admin_submits_for_their_subtree_only(
    contest, member_self, world, users, other_admin, submit
):
    outsider = make_member(world.other_district, 2)
    with pytest.raises(SubmissionRefused):
        submit(users["unit_admin"], contest, outsider)
    with pytest.raises(SubmissionRefused):
        submit(other_admin, contest, member_self)
    assert not Entry.objects.exists()
    assert submit(other_admin, contest, outsider).submitted_by == other_admin
    assert submit(users["unit_admin"], contest, member_self).submitted_by == users["unit_admin"]


def test_a_member_cannot_submit_for_another_member(contest, member_self, world, users, submit):
    other = make_member(world.grassroots, 2)
    with pytest.raises(SubmissionRefused):
        submit(users["member"], contest, other)
    judge = users["judge"]
    with pytest.raises(SubmissionRefused):
        submit(judge, contest, member_self)
    assert not Entry.objects.exists()


# --- processing -------------------------------------------------------------------------------


def test_an_accepted_entry_has_ready_photos_and_the_entrant_is_told(
    contest, member_self, users, submit
):
    entry = submit(users["unit_admin"], contest, member_self)
    assert entry.state == Entry.State.ACCEPTED, entry.refusal_reason
    assert entry.refusal_reason == ""
    assert [p.asset.status for p in entry.files.all()] == [MediaAsset.Status.READY]
    assert len(audit_entries("contests.entry.accepted", entry)) == 1
    told = Notification.objects.filter(recipient=users["member"])
    assert told.count() == 1
    assert entry.code in told.get().title
    assert told.get().link.endswith(f"/{entry.pk}/")
    # an accepted entry is the entrant's news, not the submitting admin's
    assert not Notification.objects.filter(recipient=users["unit_admin"]).exists()


def test_a_text_file_named_jpg_refuses_the_entry_and_tells_entrant_and_admin(
    contest, member_self, users, submit
):
    entry = submit(users["unit_admin"], contest, member_self, uploads=[text_upload()])
    assert entry.state == Entry.State.REFUSED
    asset = entry.files.get().asset
    assert asset.status == MediaAsset.Status.REFUSED
    assert asset.refusal_code == "not_an_image"
    assert asset.refusal_reason in entry.refusal_reason
    assert "notes.jpg" in entry.refusal_reason
    assert len(audit_entries("contests.entry.refused", entry)) == 1
    for user in (users["member"], users["unit_admin"]):
        [told] = Notification.objects.filter(recipient=user)
        assert entry.code in told.title
        assert told.body == entry.refusal_reason
    assert not entry.flags.exists()  # a refused entry is not screened


def test_a_member_submitting_for_herself_is_told_once(contest, member_self, users, submit):
    submit(users["member"], contest, member_self, uploads=[text_upload()])
    assert Notification.objects.filter(recipient=users["member"]).count() == 1


def test_a_format_the_contest_does_not_take_is_refused(contest_factory, member_self, users, submit):
    contest = contest_factory(formats=["jpeg"])
    png = Upload("harbour.png", [encode(photo(next(SEEDS), (1200, 900)), "PNG")])
    entry = submit(users["member"], contest, member_self, uploads=[png])
    assert entry.state == Entry.State.REFUSED
    assert entry.files.get().asset.status == MediaAsset.Status.READY  # a fine photo, though
    assert "PNG" in entry.refusal_reason
    assert "harbour.png" in entry.refusal_reason
    accepted = submit(users["member"], contest, member_self)
    assert accepted.state == Entry.State.ACCEPTED


def test_a_series_with_one_bad_photo_is_refused_naming_it(contest, member_self, users, submit):
    uploads = [
        photo_upload(next(SEEDS), "good-1.jpg"),
        text_upload("bad.jpg"),
        photo_upload(next(SEEDS), "good-3.jpg"),
    ]
    with translation.override("en"):
        entry = submit(users["member"], contest, member_self, uploads=uploads)
    assert entry.state == Entry.State.REFUSED
    assert entry.refusal_reason.startswith("Photo 2 (bad.jpg): ")
    assert "good-1.jpg" not in entry.refusal_reason
    assert "good-3.jpg" not in entry.refusal_reason
    statuses = [p.asset.status for p in entry.files.all()]
    assert statuses == [MediaAsset.Status.READY, MediaAsset.Status.REFUSED, MediaAsset.Status.READY]


@pytest.mark.parametrize("bad", [False, True])
def test_settling_twice_changes_nothing(contest, member_self, users, submit, bad):
    uploads = [text_upload()] if bad else None
    entry = submit(users["unit_admin"], contest, member_self, uploads=uploads)
    settled = entry.state
    counts = (LogEntry.objects.count(), Notification.objects.count(), entry.flags.count())
    flags = list(entry.flags.values_list("pk", "kind", "state"))
    assert entry_settle(entry.pk) == settled
    entry.refresh_from_db()
    assert entry.state == settled
    assert (LogEntry.objects.count(), Notification.objects.count(), entry.flags.count()) == counts
    assert list(entry.flags.values_list("pk", "kind", "state")) == flags


def test_an_entry_with_a_photo_still_in_the_works_is_not_settled(
    contest, member_self, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # no worker has run
        entry = entry_submit(
            acting_user=users["member"],
            contest=contest,
            author=member_self,
            category=contest.categories.first(),
            title="春",
            uploads=[photo_upload(next(SEEDS))],
        )
    assert entry_settle(entry.pk) == Entry.State.RECEIVED
    entry.refresh_from_db()
    assert entry.state == Entry.State.RECEIVED
    assert not entry.flags.exists()


# --- entry_update -----------------------------------------------------------------------------


def test_an_entrant_changes_title_and_category(contest, member_self, users, submit, update):
    entry = submit(users["member"], contest, member_self, taken_on=datetime.date(2026, 1, 5))
    photos = list(entry.files.values_list("asset_id", flat=True))
    second = contest.categories.all()[1]
    entry = update(
        users["member"],
        entry,
        title="秋",
        category=second,
        description="说明",
        taken_on=entry.taken_on,
    )
    assert (entry.title, entry.category, entry.description) == ("秋", second, "说明")
    assert entry.state == Entry.State.ACCEPTED
    assert list(entry.files.values_list("asset_id", flat=True)) == photos
    [updated] = audit_entries("contests.entry.updated", entry)
    assert updated.data["before"] == {"title": "春", "category": contest.categories.first().name}
    assert updated.data["photos"] is None
    assert len(audit_entries("contests.entry.accepted", entry)) == 1  # not processed again


def test_new_photos_replace_the_old_and_are_processed_again(
    contest, member_self, users, submit, update
):
    entry = submit(users["member"], contest, member_self)
    old = list(entry.files.values_list("asset_id", flat=True))
    uploads = [photo_upload(next(SEEDS), "a.jpg"), photo_upload(next(SEEDS), "b.jpg")]
    entry = update(users["member"], entry, uploads=uploads)
    assert entry.state == Entry.State.ACCEPTED, entry.refusal_reason
    assert entry.kind == Entry.Kind.SERIES
    assert [p.asset.original_name for p in entry.files.all()] == ["a.jpg", "b.jpg"]
    assert not set(entry.files.values_list("asset_id", flat=True)) & set(old)
    assert len(audit_entries("contests.entry.accepted", entry)) == 2


def test_a_refused_entry_needs_new_photos(contest, member_self, users, submit, update):
    entry = submit(users["member"], contest, member_self, uploads=[text_upload()])
    assert entry.state == Entry.State.REFUSED
    with pytest.raises(SubmissionRefused):
        update(users["member"], entry, title="新标题")
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("春", Entry.State.REFUSED)
    entry = update(users["member"], entry, title="新标题", uploads=[photo_upload(next(SEEDS))])
    assert entry.state == Entry.State.ACCEPTED
    assert entry.refusal_reason == ""
    assert entry.title == "新标题"


def test_a_refused_entry_takes_a_place_again_only_if_one_is_free(
    contest_factory, member_self, users, submit, update
):
    contest = contest_factory(max_entries_per_member=1)
    refused = submit(users["member"], contest, member_self, uploads=[text_upload()])
    submit(users["member"], contest, member_self)  # the refused one held no place
    with pytest.raises(SubmissionRefused):
        update(users["member"], refused, uploads=[photo_upload(next(SEEDS))])
    refused.refresh_from_db()
    assert refused.state == Entry.State.REFUSED
    assert Entry.objects.filter(state__in=Entry.LIVE_STATES).count() == 1


def test_only_the_entrant_or_their_admin_changes_an_entry(
    contest, member_self, world, users, other_admin, submit, update
):
    entry = submit(users["member"], contest, member_self)
    for stranger in (other_admin, users["judge"]):
        with pytest.raises(SubmissionRefused):
            update(stranger, entry, title="改")
        with pytest.raises(SubmissionRefused):
            entry_withdraw(acting_user=stranger, entry=entry)
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("春", Entry.State.ACCEPTED)
    assert update(users["unit_admin"], entry, title="改").title == "改"


def test_an_update_keeps_to_the_contests_rules(contest_factory, member_self, users, submit, update):
    contest = contest_factory(allow_series=False)
    other = contest_factory("other-2026")
    entry = submit(users["member"], contest, member_self)
    with pytest.raises(SubmissionRefused):
        update(users["member"], entry, category=other.categories.first())
    with pytest.raises(SubmissionRefused):
        update(users["member"], entry, title=" ")
    with pytest.raises(SubmissionRefused):
        update(
            users["member"],
            entry,
            uploads=[photo_upload(next(SEEDS)), photo_upload(next(SEEDS))],
        )
    entry.refresh_from_db()
    assert (entry.title, entry.category.contest, entry.files.count()) == ("春", contest, 1)


# --- entry_withdraw ---------------------------------------------------------------------------


def test_an_entrant_withdraws_an_entry_inside_the_window(contest, member_self, users, submit):
    entry = submit(users["member"], contest, member_self)
    entry = entry_withdraw(acting_user=users["member"], entry=entry)
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.WITHDRAWN
    [withdrawn] = audit_entries("contests.entry.withdrawn", entry)
    assert withdrawn.data == {"from": "accepted"}
    assert withdrawn.actor == users["member"]
    with pytest.raises(SubmissionRefused):
        entry_withdraw(acting_user=users["member"], entry=entry)


def test_nothing_changes_after_the_window_closes(contest, member_self, users, submit, update):
    entry = submit(users["member"], contest, member_self)
    with time_machine.travel(contest.closes_at + datetime.timedelta(minutes=1), tick=False):
        with pytest.raises(SubmissionRefused):
            entry_withdraw(acting_user=users["member"], entry=entry)
        with pytest.raises(SubmissionRefused):
            update(users["member"], entry, title="迟")
        with pytest.raises(SubmissionRefused):
            update(users["unit_admin"], entry, uploads=[photo_upload(next(SEEDS))])
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("春", Entry.State.ACCEPTED)
    assert not audit_entries("contests.entry.withdrawn", entry)
    assert not audit_entries("contests.entry.updated", entry)


def test_nothing_changes_once_the_contest_is_closed(contest, member_self, users, submit):
    entry = submit(users["member"], contest, member_self)
    contest_transition(acting_user=users["federation_admin"], contest=contest, to="closed")
    with pytest.raises(SubmissionRefused):
        entry_withdraw(acting_user=users["member"], entry=entry)
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.ACCEPTED
