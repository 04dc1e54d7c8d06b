"""What contest tests share: an open contest, members of both districts, photo uploads."""

import datetime

import pytest
from django.utils import timezone

from laurel.contests.models import Declaration
from laurel.contests.services import Upload, contest_create, contest_transition, entry_submit
from laurel.members.services import member_user_link
from tests.conftest import make_member
from tests.helpers import jpeg, photo

CATEGORIES = ["自然风光", "人文风情", "生活场景", "都市建设"]


def photo_upload(seed: int, name: str | None = None, size=(1200, 900), **options) -> Upload:
    """A real JPEG of a distinct picture (``seed``), as a submission receives it."""
    return Upload(name or f"photo-{seed}.jpg", [jpeg(photo(seed, size), **options)])


@pytest.fixture
def contest_factory(users):
    def make(slug: str = "photo-2026", *, state: str = "open", **fields):
        now = timezone.now()
        fields = {
            "title": "职工摄影展",
            "organiser": "市总工会",
            "opens_at": now - datetime.timedelta(days=1),
            "closes_at": now + datetime.timedelta(days=10),
            "min_long_edge": 1000,
            **fields,
        }
        contest = contest_create(
            acting_user=users["federation_admin"],
            slug=slug,
            categories=fields.pop("categories", CATEGORIES),
            prize_tiers=[("一等奖", 5), ("二等奖", 15), ("三等奖", 30), ("优秀奖", 150)],
            **fields,
        )
        if state == "open":
            contest = contest_transition(
                acting_user=users["federation_admin"], contest=contest, to="open"
            )
        return contest

    return make


@pytest.fixture
def contest(contest_factory):
    return contest_factory()


@pytest.fixture
def member_self(world, users):
    """The ``member`` user's own member record (a grassroots member of 永川区)."""
    member = make_member(world.grassroots, 1, name="李明")
    member_user_link(acting_user=None, member=member, user=users["member"])
    member.refresh_from_db()
    return member


ALL_DECLARATIONS = list(Declaration.values)


def member_entry_submit(contest, member, users, *, title: str, seed: int):
    """The member's own single-photo entry, every declaration made; wrap the call in
    ``django_capture_on_commit_callbacks(execute=True)`` to have it processed."""
    return entry_submit(
        acting_user=users["member"],
        contest=contest,
        author=member,
        category=contest.categories.first(),
        title=title,
        uploads=[photo_upload(seed)],
        declarations=ALL_DECLARATIONS,
    )
