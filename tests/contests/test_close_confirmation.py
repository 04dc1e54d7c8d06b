"""Closing a contest's entries asks first: a post without ``confirm=1`` shows how many
entries, entrants and units it stops, and changes nothing; the confirmed post closes."""

from django.urls import reverse

from laurel.audit.models import LogEntry
from laurel.contests.models import Contest
from laurel.contests.services import Upload, entry_submit
from tests.conftest import make_member
from tests.contests.conftest import ALL_DECLARATIONS
from tests.judging.conftest import small_jpeg
from tests.judging.test_confirmations import consequences


def test_closing_entries_asks_first_naming_the_entrants_and_units(
    client_as, contest, world, users, django_capture_on_commit_callbacks
):
    category = contest.categories.first()
    authors = [
        make_member(world.grassroots, 700),
        make_member(world.grassroots, 701),
        make_member(world.other_grassroots, 702),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for n, author in enumerate([*authors, authors[0]]):  # one entrant sends two
            entry_submit(
                acting_user=users["federation_admin"],
                contest=contest,
                author=author,
                category=category,
                title=f"作品{n}",
                uploads=[Upload(f"p{n}.jpg", [small_jpeg(800 + n)])],
                declarations=ALL_DECLARATIONS,
            )
    client = client_as("federation_admin")
    url = reverse("contests:console_contest_transition", args=[contest.slug])

    asked = client.post(url, {"to": "closed"})
    assert asked.status_code == 200
    page = consequences(asked)
    assert page.counts == {"entrants": 3, "entries": 4}
    assert (page.hidden["to"], page.hidden["confirm"]) == ("closed", "1")
    assert Contest.objects.get(pk=contest.pk).state == "open"
    assert not LogEntry.objects.filter(
        action="contests.contest.state_changed", data__to="closed"
    ).exists()

    acted = client.post(url, {"to": "closed", "confirm": "1"})
    assert acted.status_code == 302
    assert Contest.objects.get(pk=contest.pk).state == "closed"


def test_other_transitions_do_not_ask(client_as, contest_factory):
    draft = contest_factory("draft-three", state="draft")
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_transition", args=[draft.slug]), {"to": "open"}
    )
    assert response.status_code == 302
    assert Contest.objects.get(pk=draft.pk).state == "open"
