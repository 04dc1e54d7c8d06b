"""No bad parameter answers 500, anywhere (issue 18).

Three sweeps over every URL pattern, each collecting every failure before asserting, so one run
shows them all:

(a) every id in a path replaced by 30 digits, 0 and 2**63 → 404 (a role that may not use the
    page at all: 403; a page for another method: 405);
(b) every query parameter a page reads, and a fixed list of the names used anywhere, set to
    malformed values → never 500;
(c) every form field a page reads left out or malformed in a POST → never 500.

Which parameters a page reads is found by watching it read them: one request with nothing sent
records every key looked up in ``request.GET``/``request.POST``/``request.FILES`` (forms look
up each of their fields). Console URLs get their real objects from ``tests/test_access.py``'s
``CONSOLE_URLS``; every other pattern gets placeholder values for its path.
"""

import contextlib
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant, user_create
from laurel.awards.models import Publication
from laurel.core.snapshots import snapshot_build
from laurel.notifications.services import notification_send
from laurel.web.converters import ID_DIGITS, IdConverter
from laurel.web.params import id_list_param, id_param
from tests import test_access
from tests.conftest import PASSWORD, english_client, make_member, world_build
from tests.test_access import CONSOLE_URLS
from tests.test_access import _contest_entry as make_contest_entry

BAD_IDS = ["9" * 30, "0", str(2**63)]
MALFORMED = ["abc", "-1", "1e9", "9" * 30, "\x00", "[]", "x" * 3000, "987654321", "0001-01-01"]
MALFORMED_FROM_HTMX = {"abc", "987654321"}  # htmx requests take other branches in some views
MALFORMED_FOR_EVERY_NAME = ["abc", "9" * 30, "987654321"]
HTMX = {"HX-Request": "true"}
# every parameter name a view reads anywhere, sent all at once on every page
NAMES_USED = [
    *["unit", "q", "page", "round", "category", "status", "contest", "tier", "prize", "judge"],
    *["entry", "format", "sort", "order", "flag", "method", "kind", "author", "version"],
    *["state", "flagged", "role", "action", "actor", "since", "until", "download", "number"],
    *["to", "active", "decision", "reason", "id", "code", "login", "next", "full_numbers"],
]
NOT_FOR_FUZZING = {"accounts:logout"}  # it would end the session of the client sending it
SENTINEL = 987654321012345  # an id to reverse with, then replaced by the bad one


def test_ids_in_paths_fit_a_signed_64_bit_integer():
    assert 10**ID_DIGITS - 1 < 2**63 - 1


def test_no_url_pattern_uses_djangos_int_converter():
    """``<int:`` takes any length of digits and overflows the database: use ``<id:``."""
    offenders = [
        name
        for name, converters in _patterns().items()
        if any(isinstance(c, IntConverter) for c in converters.values())
    ]
    assert offenders == []


def test_id_param_reads_whole_numbers_and_refuses_the_rest():
    query = QueryDict("unit=17&blank=+&many=1&many=&many=2&bad=1e9&long=" + "9" * 19)
    assert id_param(query, "unit") == 17
    assert id_param(query, "absent") is None
    assert id_param(query, "blank") is None
    assert id_list_param(query, "many") == [1, 2]
    for name in ("bad", "long"):
        with pytest.raises(BadRequest):
            id_param(query, name)
    with pytest.raises(BadRequest):
        id_list_param(QueryDict("id=1&id=x"), "id")


# --- the sweeps ---------------------------------------------------------------------------


def _patterns() -> dict[str, dict]:
    """Every named URL pattern (``namespace:name``) with its path's converters by keyword."""
    found = {}

    def walk(patterns, converters, namespace):
        for pattern in patterns:
            here = converters | getattr(pattern.pattern, "converters", {})
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace:
                found[f"{namespace}:{pattern.name}"] = here

    walk(get_resolver().url_patterns, {}, None)
    return found


def _is_id(converter) -> bool:
    return isinstance(converter, IntConverter | IdConverter)


@dataclass
class Target:
    """One URL to sweep: reversed with ``kwargs``, sent by ``roles``, ``allowed`` reach it."""

    name: str
    kwargs: dict
    method: str
    roles: tuple[str, ...]
    allowed: set[str]
    data: dict = field(default_factory=dict)

    def url(self, **replaced) -> str:
        return reverse(self.name, kwargs=self.kwargs | replaced)


def _make_user(role, unit, n):
    user = user_create(
        acting_user=None,
        username=f"{role}-fuzz{n}",
        password=PASSWORD,
        display_name=f"用户{n}",
    )
    role_grant(acting_user=None, user=user, role=Role(role), unit=unit)
    return user


def _targets(fx) -> list[Target]:
    """Console URLs with their real objects; every other pattern with placeholders."""
    entries = {}

    def one_entry_each(fx, person):  # the table makes one per URL: here all share a world
        if person.pk not in entries:
            entries[person.pk] = make_contest_entry(fx, person)
        return entries[person.pk]

    with mock.patch.object(test_access, "_contest_entry", one_entry_each):
        kwargs = {id(url): url.own(fx) if url.own else {} for url in CONSOLE_URLS}
    targets = [
        Target(
            url.name,
            kwargs[id(url)],
            url.method,
            ("federation_admin", "unit_admin"),
            url.allowed,
            url.data,
        )
        for url in CONSOLE_URLS
    ]
    console = {url.name for url in CONSOLE_URLS}
    placeholders = {SlugConverter: fx["contest"].slug}
    for name, converters in _patterns().items():
        if name in console or name in NOT_FOR_FUZZING:
            continue
        kwargs = {
            key: 1 if _is_id(converter) else placeholders.get(type(converter), "x")
            for key, converter in converters.items()
        }
        targets.append(Target(name, kwargs, "get", ("member", "judge", "anonymous"), set()))
    return targets


@dataclass
class Fuzz:
    targets: list[Target]
    users: dict
    clients: dict[str, Client]
    failures: list[str] = field(default_factory=list)

    def send(self, role, method, url, data=None, *, about="", quiet=False, **headers):
        """The response; a 500 is recorded as a failure (unless ``quiet``), with the key
        ``about`` and its value."""
        response = getattr(self.clients[role], method)(url, data or {}, headers=headers)
        if response.status_code >= 500 and not quiet:
            if about in (data or {}):
                sent = f" {about}={data[about]!r:.14}"
            else:
                sent = f" {about or dict(data or {})}"
            htmx = " (htmx)" if headers else ""
            self.failures.append(f"{role} {method.upper()} {url[:100]}{sent}{htmx} → 500")
        return response


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = world_build()
        users = {
            "member": _make_user("member", world.grassroots, 0),  # the one acted upon
            "judge": _make_user("judge", world.federation, 1),
            "unit_admin": _make_user("unit_admin", world.district, 2),
            "federation_admin": _make_user("federation_admin", None, 3),
            "checkin_staff": _make_user("checkin_staff", None, 6),  # given an event's gate
        }
        fx = {
            "world": world,
            "users": users,
            "foreign_member": _make_user("member", world.other_grassroots, 4),
            "own_person": make_member(world.grassroots, 1),
            "foreign_person": make_member(world.other_grassroots, 2),
            "other_admin": _make_user("unit_admin", world.district, 5),
        }
        targets = _targets(fx)
        # the access table's publication holds rows only: give it a whole snapshot's shape
        Publication.objects.filter(contest=fx["contest"]).update(
            snapshot=snapshot_build(
                contest=fx["contest"].slug,
                title=fx["contest"].title,
                version=1,
                published_at="2026-01-01T00:00:00Z",
                rows=[],
            )
        )
        senders = users | {"member": _make_user("member", world.grassroots, 6)}
        notification_send(recipient=senders["member"], title="通知", body="正文")
        clients = {"anonymous": Client(raise_request_exception=False)}
        for role, user in senders.items():
            clients[role] = Client(raise_request_exception=False)
            clients[role].force_login(user)
        yield Fuzz(targets, users, clients)
        transaction.set_rollback(True)


@pytest.fixture
def fuzz(fuzz_world, db):
    """The module's world, in this test's own transaction, with no failures yet."""
    fuzz_world.failures.clear()
    return fuzz_world


@contextlib.contextmanager
def keys_read():
    """Every key looked up in a ``QueryDict`` (``request.GET``, ``request.POST``) meanwhile."""
    seen = set()

    def recording(method):
        def record(self, key, *args, **kwargs):
            seen.add(key)
            return method(self, key, *args, **kwargs)

        return record

    with contextlib.ExitStack() as stack:
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, name)
            stack.enter_context(mock.patch.object(QueryDict, name, recording(original)))
        yield seen


def test_ids_in_paths_out_of_range_or_unknown_are_not_found(fuzz):
    for target in fuzz.targets:
        ids = [key for key, value in target.kwargs.items() if isinstance(value, int)]
        for key in ids:
            template = target.url(**{key: SENTINEL})
            assert template.count(str(SENTINEL)) == 1
            for bad in BAD_IDS:
                url = template.replace(str(SENTINEL), bad)
                for role in target.roles:
                    for method in {target.method, "get", "post"}:
                        status = fuzz.send(role, method, url).status_code
                        expected = (
                            {404}
                            if role in target.allowed and method == target.method
                            else {302, 403, 404, 405}  # anonymous: the log-in page
                        )
                        if status < 500 and status not in expected:
                            fuzz.failures.append(f"{role} {method} {url} → {status}")
    assert_none_failed(fuzz)


def assert_none_failed(fuzz):
    failures = list(dict.fromkeys(fuzz.failures))
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def _sweep(fuzz, target, role, method, url):
    """The request with nothing sent (recording what the page reads), each given field left
    out, then per malformed value: every read key set to it at once (and, for some values, from
    htmx), and when that fails or is refused whole (a 400 could hide another key's fault), each
    key alone; last, every name used anywhere set to a few of the values at once."""
    base = target.data if method == target.method else {}
    with keys_read() as seen:
        fuzz.send(role, method, url)
    keys = sorted(seen | set(base), key=str)
    for key in base:
        fuzz.send(role, method, url, {k: v for k, v in base.items() if k != key})
    for bad in MALFORMED if keys else ():
        for headers in ({}, HTMX) if bad in MALFORMED_FROM_HTMX else ({},):
            every = base | dict.fromkeys(keys, bad)
            if fuzz.send(role, method, url, every, quiet=True, **headers).status_code in (400, 500):
                for key in keys:
                    fuzz.send(role, method, url, base | {key: bad}, about=key, **headers)
    for bad in MALFORMED_FOR_EVERY_NAME:
        fuzz.send(role, method, url, dict.fromkeys(NAMES_USED, bad), about="every name")


def _reachers(target) -> list[str]:
    """Who sends the parameter sweeps: the roles a console URL allows; a judge on the judges'
    pages, a member on every other page (the anonymous visitor's pages read the same)."""
    if target.allowed:
        return [role for role in target.roles if role in target.allowed]
    return ["judge"] if target.name.startswith("judging:") else ["member"]


def test_malformed_query_parameters_never_answer_500(fuzz):
    for target in fuzz.targets:
        for role in _reachers(target):
            _sweep(fuzz, target, role, "get", target.url())
    assert_none_failed(fuzz)


def test_malformed_form_fields_never_answer_500(fuzz):
    for target in fuzz.targets:
        for role in _reachers(target):
            _sweep(fuzz, target, role, "post", target.url())
    assert_none_failed(fuzz)


# Every test below the module's world works in it (a function-scoped world would clash).


def test_a_bad_request_gets_the_friendly_error_page(fuzz):
    client = english_client()
    client.force_login(fuzz.users["unit_admin"])
    response = client.get(reverse("members:member_list"), {"unit": "abc"})
    assert response.status_code == 400
    assert b"Bad request" in response.content
    assert b"Back to the start page" in response.content


def test_marking_read_what_is_not_in_the_inbox_is_not_an_error(fuzz):
    client = fuzz.clients["member"]
    notification = notification_send(recipient=fuzz.users["judge"], title="别人的", body="x")
    url = reverse("notifications:mark_read")
    for ids, status in (([notification.pk], 404), ([987654321], 404), (["9" * 30], 400)):
        response = client.post(url, {"id": ids}, headers={"HX-Request": "true"})
        assert response.status_code == status
    notification.refresh_from_db()
    assert notification.read_at is None
