"""Shared fixtures: a small unit tree and one logged-in client per role."""

import os
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from hypothesis import settings

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant, user_create
from laurel.core.identity import id_card_check_character
from laurel.members.services import member_create
from laurel.orgs.services import unit_create

# Property tests: the same examples on every run (no flakiness, no example database), as
# many as run in a few seconds, and no per-example deadline (the first solver call warms up).
settings.register_profile("laurel", derandomize=True, database=None, deadline=None)
settings.load_profile("laurel")

SERVICE_MARKERS = {"postgres", "redis", "browser", "concurrency"}
PASSWORD = "Test-pass-2026"


def pytest_runtest_setup(item):
    """In the services run a marked test whose service is missing fails; it never skips."""
    markers = {mark.name for mark in item.iter_markers()} & SERVICE_MARKERS
    if not markers:
        return
    if markers & {"postgres", "concurrency"} and connection.vendor != "postgresql":
        pytest.fail(f"{item.nodeid} needs PostgreSQL: set LAUREL_DATABASE_URL to postgres://")
    if "redis" in markers and not os.environ.get("LAUREL_REDIS_URL"):
        pytest.fail(f"{item.nodeid} needs Redis: set LAUREL_REDIS_URL")
    if "browser" in markers and not os.path.exists("/usr/bin/chromium"):
        pytest.fail(f"{item.nodeid} needs Debian's chromium at /usr/bin/chromium")


def english_client() -> Client:
    """A client that has chosen English with the language switch (for asserting on text)."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def empty_cache(request, django_db_blocker):
    """Each test starts with an empty cache and no rate-limit counts. The counts (the
    ``shared`` cache) are rows of the database without Redis: rolled back with the test's
    other rows, or emptied here after a test that commits (its flush leaves that table)."""
    from django.core.cache import cache, caches

    cache.clear()
    yield
    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        with django_db_blocker.unblock():
            caches["shared"].clear()


@dataclass
class World:
    federation: object
    district: object  # 永川区总工会
    grassroots: object  # a grassroots union under the district
    other_district: object  # 奉节县总工会: outside the district admin's subtree
    other_grassroots: object


@pytest.fixture
def world(db) -> World:
    return world_build()


def world_build() -> World:
    """The federation, two districts and a grassroots union under each (see ``World``)."""
    federation = unit_create(acting_user=None, name="重庆市总工会", code="cq", kind="federation")
    district = unit_create(
        acting_user=None, name="永川区总工会", code="cq/yc", kind="district", parent=federation
    )
    grassroots = unit_create(
        acting_user=None, name="机关工会", code="cq/yc/jg", kind="grassroots", parent=district
    )
    other = unit_create(
        acting_user=None, name="奉节县总工会", code="cq/fj", kind="district", parent=federation
    )
    other_grassroots = unit_create(
        acting_user=None, name="机关工会", code="cq/fj/jg", kind="grassroots", parent=other
    )
    return World(federation, district, grassroots, other, other_grassroots)


# The roles the URL × role tables walk (tests/test_access.py adds the checkin_staff user).
ROLES = ["anonymous", "member", "judge", "unit_admin", "federation_admin", "checkin_staff"]


@pytest.fixture
def make_user(db):
    counter = iter(range(10_000))

    def make(role: str | None, unit=None, *, mobile: str | None = None, **fields):
        n = next(counter)
        user = user_create(
            acting_user=None,
            username=fields.pop("username", f"{role or 'user'}{n}"),
            password=fields.pop("password", PASSWORD),
            mobile=mobile,
            display_name=fields.pop("display_name", f"用户{n}"),
            **fields,
        )
        if role:
            role_grant(acting_user=None, user=user, role=Role(role), unit=unit)
        return user

    return make


@pytest.fixture
def users(world, make_user) -> dict:
    """One user per role; the unit admin administers 永川区 (not 奉节县)."""
    return {
        "member": make_user("member", world.grassroots, mobile="13900000001"),
        "judge": make_user("judge", world.federation),
        "unit_admin": make_user("unit_admin", world.district),
        "federation_admin": make_user("federation_admin"),
    }


@pytest.fixture
def client_as(users):
    def login(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return login


def valid_id_card(n: int, *, born: str = "19900101", region: str = "500118") -> str:
    """A valid 18-character ID number, different for each ``n`` (odd ``n``: a man)."""
    first17 = f"{region}{born}{n % 1000:03d}"
    return first17 + id_card_check_character(first17)


def make_member(unit, n: int, **fields):
    return member_create(
        acting_user=None,
        name=fields.pop("name", f"会员{n}"),
        id_card=fields.pop("id_card", valid_id_card(n)),
        unit=unit,
        mobile=fields.pop("mobile", f"139{n:08d}"),
        **fields,
    )
