from laurel.contests.models import Entry
from laurel.contests.services import entry_submit
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload


def test_a_member_submits_a_photo_that_is_accepted(
    contest, member_self, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = entry_submit(
            acting_user=users["member"],
            contest=contest,
            author=member_self,
            category=contest.categories.first(),
            title="春",
            uploads=[photo_upload(1)],
            declarations=ALL_DECLARATIONS,
        )
    entry.refresh_from_db()
    assert entry.state == Entry.State.ACCEPTED, entry.refusal_reason
    assert [f.kind for f in entry.flags.all()] == ["date_missing"]
