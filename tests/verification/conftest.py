"""A roster member to verify, and what left through the message backend."""

import re

import pytest
from django.utils import translation

from tests.conftest import make_member
from tests.notifications.capture import all_log_records, delivered  # noqa: F401 - fixtures

MOBILE = "17812346889"
OTHER_MOBILE = "13912340000"
NAME = "王芳"


@pytest.fixture(autouse=True)
def in_english():
    """Sentences are asserted in English (the source), whatever ran before."""
    with translation.override("en"):
        yield


@pytest.fixture
def member(world):
    return make_member(world.grassroots, 7, name=NAME, mobile=MOBILE)


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def last_code(delivered_messages) -> str:
    return code_in(delivered_messages[-1].body)


def other_than(code: str) -> str:
    """A six-digit code that is not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
