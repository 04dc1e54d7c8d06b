"""Opening a round and sending reminders ask first: a post without ``confirm=1`` shows the
confirmation page with the counts (and changes nothing); the confirmed post acts — on the
closed contest of ``tests/judging/conftest.py``."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from laurel.audit.models import LogEntry
from laurel.judging import services
from laurel.judging.models import Assignment, Round
from laurel.notifications.models import Notification


class _Consequences(HTMLParser):
    """The confirmation page's consequences (``data-consequence`` → ``data-count``) and
    the hidden fields its form posts again."""

    def __init__(self):
        super().__init__()
        self.counts: dict[str, int] = {}
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-consequence" in attributes:
            self.counts[attributes["data-consequence"]] = int(attributes["data-count"])
        if tag == "input" and attributes.get("type") == "hidden":
            self.hidden[attributes["name"]] = attributes.get("value", "")


def consequences(response) -> _Consequences:
    parser = _Consequences()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def judges(make_user):
    return [make_user("judge") for _ in range(5)]


@pytest.fixture
def assigned(closed_contest, organiser, deadline, judges):
    round_ = services.round_create(
        acting_user=organiser,
        contest=closed_contest,
        name="复评",
        mode="score",
        deadline=deadline,
        per_entry=2,
        criteria=[("主题", 100, 1, 10)],
    )
    services.seats_add(acting_user=organiser, round=round_, judges=judges)
    services.assignment_solve(acting_user=organiser, round=round_)
    return round_


def test_opening_a_round_asks_first_naming_how_many_judges_are_told(client_as, assigned, judges):
    client = client_as("federation_admin")
    url = reverse("judging:round_open", args=[assigned.pk])

    asked = client.post(url)
    assert asked.status_code == 200
    page = consequences(asked)
    assert page.counts == {"judges": 5, "reviews": 24}
    assert page.hidden["confirm"] == "1"
    assert Round.objects.get(pk=assigned.pk).state == "planned"
    assert not Notification.objects.exists()
    assert not LogEntry.objects.filter(action="judging.round.opened").exists()

    acted = client.post(url, {"confirm": "1"})
    assert acted.status_code == 302
    assert Round.objects.get(pk=assigned.pk).state == "open"
    told = Notification.objects.values_list("recipient_id", flat=True)
    assert sorted(told) == sorted(judge.pk for judge in judges)


def test_a_round_that_cannot_open_is_refused_before_asking(client_as, closed_contest, assigned):
    Assignment.objects.filter(round=assigned).delete()
    response = client_as("federation_admin").post(
        reverse("judging:round_open", args=[assigned.pk]), follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "confirm-form" not in response.content.decode()


def test_reminders_ask_first_naming_how_many_judges_are_behind(
    client_as, assigned, organiser, judges
):
    services.round_open(acting_user=organiser, round=assigned)
    now = timezone.now()
    Round.objects.filter(pk=assigned.pk).update(
        opened_at=now - datetime.timedelta(days=3), deadline=now + datetime.timedelta(hours=2)
    )
    for assignment in Assignment.objects.filter(round=assigned, judge__in=judges[:2]):
        services.review_save(
            acting_user=assignment.judge,
            assignment=assignment,
            scores={str(assignment.round.criteria.get().pk): 5},
        )
    before = Notification.objects.count()
    client = client_as("federation_admin")
    url = reverse("judging:reminders_send", args=[assigned.pk])

    asked = client.post(url)
    assert asked.status_code == 200
    assert consequences(asked).counts == {"judges": 3}
    assert Notification.objects.count() == before
    assert not LogEntry.objects.filter(action="judging.round.reminded").exists()

    client.post(url, {"confirm": "1"})
    reminded = Notification.objects.order_by("pk")[before:]
    assert sorted(n.recipient_id for n in reminded) == sorted(j.pk for j in judges[2:])
