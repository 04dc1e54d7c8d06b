"""What judging tests share: a closed contest with accepted entries from both districts,
and a panel of judges."""

import datetime
import functools

import pytest
from django.utils import timezone

from laurel.contests.services import Upload, contest_transition, entry_submit
from tests.conftest import make_member
from tests.contests.conftest import (  # noqa: F401 - fixtures used by judging tests
    ALL_DECLARATIONS,
    contest,
    contest_factory,
    member_self,
    photo_upload,
)
from tests.helpers import jpeg, photo


@functools.cache
def small_jpeg(seed: int) -> bytes:
    """A small real photo (judging needs pictures, not megapixels), made once per seed."""
    return jpeg(photo(seed, (480, 360)))


@pytest.fixture
def closed_contest(contest, world, users, django_capture_on_commit_callbacks):  # noqa: F811
    """The open contest with ``n`` accepted entries (half 永川区, half 奉节县), then closed."""
    organiser = users["federation_admin"]
    categories = list(contest.categories.all())
    entries = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(12):
            unit = world.grassroots if n % 2 == 0 else world.other_grassroots
            author = make_member(unit, 100 + n, name=f"作者{n}")
            entries.append(
                entry_submit(
                    acting_user=organiser,
                    contest=contest,
                    author=author,
                    category=categories[n % 2],
                    title=f"作品{n}",
                    uploads=[Upload(f"photo-{500 + n}.jpg", [small_jpeg(500 + n)])],
                    declarations=ALL_DECLARATIONS,
                )
            )
    contest = contest_transition(acting_user=organiser, contest=contest, to="closed")
    contest.test_entries = entries
    return contest


@pytest.fixture
def deadline():
    return timezone.now() + datetime.timedelta(days=3)
