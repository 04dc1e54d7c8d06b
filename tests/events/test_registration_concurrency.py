"""1,500 people register at once through HTTP, 32 at a time: never past capacity, every
request answered, and the counts add up exactly.

The people are roster members verified without an account (``verification``): two of them
through the real pages (name and mobile, then the code sent), the others with the session
``code_confirm`` leaves — ``VERIFIED`` set in a session of the session store — so that no
password is hashed 1,500 times. Each sends one POST to ``events:register`` with its slot and
an idempotency key, the CSRF token as a browser's JavaScript would (the ``csrftoken`` cookie
and the ``X-CSRFToken`` header), in a shuffled order, through 32 client threads with a
keep-alive connection each, against pytest-django's live server on PostgreSQL.

Eighteen booths in two events (a waiting list is an event's, not a booth's): a carnival of 14
booths that keeps a waiting list, and a workshop of 4 that keeps none and lets 奉节县 send at
most ``QUOTA`` people. Registered or waiting: a 303 to the registration; refused: a 409 whose
page says why (``data-refusal``).
"""

import http.client
import queue
import random
import re
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from http.cookies import SimpleCookie
from importlib import import_module
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.keyed_hashes import identity_hash
from laurel.events import selectors, services
from laurel.events.models import Event, Registration
from laurel.members.models import Member
from laurel.verification.selectors import VERIFIED
from tests.events.conftest import at
from tests.notifications.capture import delivered  # noqa: F401 - a fixture
from tests.verification.conftest import last_code

PEOPLE = 1_500
CLIENTS = 32
CARNIVAL_SHARE = 0.8  # the rest ask for the workshop
QUOTA = 15  # 奉节县's places in the workshop
CARNIVAL_BOOTHS = {  # name: places (one slot each, 09:00–11:00)
    "布袋DIY": 40,
    "花艺馆": 50,
    "剪纸馆": 45,
    "书法馆": 60,
    "投壶馆": 80,
    "陶艺坊": 35,
    "茶艺馆": 40,
    "扎染坊": 30,
    "皮影戏": 70,
    "糖画摊": 50,
    "面塑馆": 40,
    "竹编坊": 30,
    "篆刻馆": 25,
    "风筝坊": 120,
}
WORKSHOP_BOOTHS = {"急救培训": 30, "插花课": 25, "摄影课": 25, "书画课": 20}
CSRF_TOKEN = "ConcurrencyTestCsrfToken00000000"  # 32 characters, as Django's secret is
REFUSAL = re.compile(r'data-refusal="([a-z_]+)"')


def connection_to(base_url: str) -> http.client.HTTPConnection:
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    connection.connect()
    return connection


class Visitor:
    """One person's browser: the cookies it was given. Its requests go over whichever
    keep-alive connection the client thread holds (as a venue's proxy would send them)."""

    def __init__(self, session_key: str = ""):
        self.cookies = {"csrftoken": CSRF_TOKEN, "django_language": "en"}
        if session_key:
            self.cookies[settings.SESSION_COOKIE_NAME] = session_key

    def post(self, connection, path: str, fields: dict) -> tuple[int, str, str]:
        """The status, the ``Location`` and the body of the answer to a form posted."""
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "X-CSRFToken": CSRF_TOKEN,
        }
        connection.request("POST", path, body=urlencode(fields), headers=headers)
        response = connection.getresponse()
        body = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), body


@pytest.fixture
def crowd(world, users):
    """The two events, and the 1,500 people: 1,200 of 永川区 and 300 of 奉节县."""
    admin = users["federation_admin"]

    def event_with(slug, booths, **fields):
        event = services.event_create(
            acting_user=admin,
            slug=slug,
            kind=Event.Kind.CARNIVAL,
            title=slug,
            venue="云阳县体育场",
            starts_at=at(9),
            ends_at=at(17),
            unit=world.federation,
            registration_opens_at=timezone.now() - timedelta(days=1),
            registration_closes_at=at(8),
            **fields,
        )
        for name, places in booths.items():
            booth = services.booth_save(acting_user=admin, event=event, name=name)
            services.slot_save(
                acting_user=admin, booth=booth, starts_at=at(9), ends_at=at(11), capacity=places
            )
        return services.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)

    carnival = event_with("carnival-crowd", CARNIVAL_BOOTHS, waiting_list=True)
    workshop = event_with(
        "workshop-crowd",
        WORKSHOP_BOOTHS,
        waiting_list=False,
        quotas=[(world.other_district, QUOTA)],
    )
    people = Member.objects.bulk_create(
        Member(
            name=f"职工{n:04d}",
            gender="MF"[n % 2],
            id_card=f"50023519900101{n:04d}",
            mobile=f"1370000{n:04d}",
            unit=world.grassroots if n < 1_200 else world.other_grassroots,
        )
        for n in range(PEOPLE)
    )
    return carnival, workshop, people


def verified_session(member: Member) -> str:
    """A session verified as ``member``, as ``verification.services.code_confirm`` leaves it."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[VERIFIED] = {
        "kind": "member",
        "member": member.pk,
        "mobile_hash": identity_hash("mobile", member.mobile),
        "until": (timezone.now() + timedelta(minutes=settings.VERIFIED_MINUTES)).isoformat(),
    }
    session.save()
    return session.session_key


def verify_through_the_pages(base_url: str, member: Member, sent) -> Visitor:
    """``member`` verified as a person does it: their name and mobile, then the code."""
    visitor, connection = Visitor(), connection_to(base_url)
    status, location, _body = visitor.post(
        connection, reverse("verification:member"), {"name": member.name, "number": member.mobile}
    )
    assert (status, location) == (302, reverse("verification:code"))
    fields = {"code": last_code(sent)}
    status, _location, _body = visitor.post(connection, reverse("verification:code"), fields)
    assert status == 302
    connection.close()
    return visitor


def storm(base_url: str, requests: list[tuple[Visitor, str, dict]]) -> list[dict]:
    """Every request, by ``CLIENTS`` threads on a keep-alive connection each (opened one
    after the other first: the live server listens with a backlog of 10); each request's
    status, location, refusal and seconds, or the error it met."""
    waiting: queue.Queue = queue.Queue()
    for index, request in enumerate(requests):
        waiting.put((index, *request))
    answers: list[dict] = [{} for _ in requests]
    start = threading.Barrier(CLIENTS)
    connections = [connection_to(base_url) for _ in range(CLIENTS)]

    def client(connection) -> None:
        start.wait(timeout=60)
        while True:
            try:
                index, visitor, path, fields = waiting.get_nowait()
            except queue.Empty:
                return
            began = time.perf_counter()
            try:
                status, location, body = visitor.post(connection, path, fields)
            except (OSError, http.client.HTTPException) as error:
                answers[index] = {"error": repr(error)}
                continue
            refusal = REFUSAL.search(body) if status == 409 else None
            answers[index] = {
                "status": status,
                "location": location,
                "refusal": refusal.group(1) if refusal else "",
                "seconds": time.perf_counter() - began,
            }

    threads = [threading.Thread(target=client, args=(c,)) for c in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    for connection in connections:
        connection.close()
    return answers


def occupancy_by_booth(event: Event) -> dict[str, tuple[int, int, int]]:
    return {
        row.booth: (row.capacity, row.registered, row.waiting)
        for row in selectors.occupancy(event, by_slot=True)
    }


@pytest.mark.postgres
@pytest.mark.concurrency
def test_1500_people_register_at_once_never_past_capacity(
    live_server,
    crowd,
    world,
    delivered,  # noqa: F811 - the fixture imported above
):
    carnival, workshop, people = crowd
    chance = random.Random(26)
    first_two = [verify_through_the_pages(live_server.url, p, delivered) for p in people[:2]]
    visitors = first_two + [Visitor(verified_session(p)) for p in people[2:]]
    slots = {
        event: dict(event.booths.values_list("slots__pk", "name")) for event in (carnival, workshop)
    }
    asked: Counter = Counter()  # (event, booth) → people asking
    requests = []  # (visitor, path, fields), and whose
    for person, visitor in zip(people, visitors, strict=True):
        event = carnival if chance.random() < CARNIVAL_SHARE else workshop
        # the booths further down the list are the more wanted
        [slot] = chance.choices(list(slots[event]), weights=range(1, len(slots[event]) + 1))
        asked[event, slots[event][slot]] += 1
        fields = {"slot": slot, "idempotency_key": str(uuid.uuid4())}
        path = reverse("events:register", args=[event.slug])
        requests.append(((visitor, path, fields), person, event))
    chance.shuffle(requests)  # 奉节县's people come among the others
    began = time.perf_counter()
    answers = storm(live_server.url, [request for request, _person, _event in requests])
    seconds = time.perf_counter() - began

    # every request answered: registered (303) or refused with its reason (409)
    assert [answer for answer in answers if "error" in answer] == []
    statuses = Counter(answer["status"] for answer in answers)
    assert set(statuses) <= {303, 409}, statuses
    assert statuses.total() == PEOPLE
    refusals = Counter(answer["refusal"] for answer in answers if answer["status"] == 409)
    assert refusals.total() == statuses[409]
    assert set(refusals) == {"full", "quota"}, refusals

    # each 303 is the person's own registration, made once, registered or waiting
    made = Registration.objects.filter(event__in=[carnival, workshop])
    whose = dict(made.values_list("pk", "member_id"))
    assert len(whose) == statuses[303]
    states = set(made.values_list("state", flat=True))
    assert states <= {Registration.State.REGISTERED, Registration.State.WAITING}
    for (_request, person, _event), answer in zip(requests, answers, strict=True):
        if answer["status"] == 303:
            pk = int(answer["location"].rstrip("/").rsplit("/", 1)[1])
            assert answer["location"] == reverse("events:registration", args=[pk])
            assert whose.pop(pk) == person.pk
    assert whose == {}

    # the carnival keeps a waiting list: in each booth the first to come are registered up
    # to its places, the rest wait, and nobody is refused
    for (_request, _person, event), answer in zip(requests, answers, strict=True):
        assert event == workshop or answer["status"] == 303
    carnival_rows = occupancy_by_booth(carnival)
    for booth, (capacity, registered, waiting) in carnival_rows.items():
        wanted = asked[carnival, booth]
        assert (registered, waiting) == (min(capacity, wanted), max(0, wanted - capacity)), booth
    assert sum(waiting for _capacity, _registered, waiting in carnival_rows.values()) > 0

    # the workshop keeps none: never past its places, a booth that refused someone as full
    # is full, and the quota, once it refused someone, is used up exactly
    refused_full = {
        slots[workshop][request[2]["slot"]]
        for (request, _person, _event), answer in zip(requests, answers, strict=True)
        if answer.get("refusal") == "full"
    }
    for booth, (capacity, registered, waiting) in occupancy_by_booth(workshop).items():
        assert waiting == 0
        assert registered <= capacity
        assert registered == capacity or booth not in refused_full, booth
    held = workshop.registrations.filter(state=Registration.State.REGISTERED)
    assert held.count() + refusals.total() == sum(
        count for (event, _booth), count in asked.items() if event == workshop
    )
    assert held.filter(unit__path__startswith=world.other_district.path).count() == QUOTA

    # a retry with the same key is answered with the first registration, and makes nothing
    registered_first = [
        (request, answer["location"])
        for (request, _person, _event), answer in zip(requests, answers, strict=True)
        if answer["status"] == 303
    ][:10]
    again = storm(live_server.url, [request for request, _location in registered_first])
    assert [(a["status"], a["location"]) for a in again] == [
        (303, location) for _request, location in registered_first
    ]
    assert made.count() == statuses[303]
    print(
        f"\n{PEOPLE} registrations from {CLIENTS} clients in {seconds:.1f} s "
        f"({PEOPLE / seconds:.0f}/s; p50 {percentile(answers, 50):.2f} s, "
        f"p99 {percentile(answers, 99):.2f} s): {dict(statuses)}, refusals {dict(refusals)}"
    )


def percentile(answers: list[dict], share: int) -> float:
    seconds = sorted(answer["seconds"] for answer in answers)
    return seconds[min(len(seconds) - 1, len(seconds) * share // 100)]
