"""The exhibition's cache generation: every cached exhibition page and fact of a contest is
keyed by it, and writes that change what the exhibition shows (a publication, a contest's
dates or venue) drop it after commit, so the next visitor gets fresh pages at once — with
the local-memory cache and with Redis alike (no wait for an expiry)."""

import time

from django.core.cache import cache
from django.db import transaction


def _key(slug: str) -> str:
    return f"awards:exhibition:generation:{slug}"


def exhibition_generation(slug: str) -> str:
    """The contest's current generation (made on first use, kept until dropped)."""
    return cache.get_or_set(_key(slug), lambda: str(time.time_ns()), None)


def exhibition_changed(slug: str) -> None:
    """After the current transaction commits, every cached page of the exhibition is stale."""
    transaction.on_commit(lambda: cache.delete(_key(slug)))


def exhibition_changed_with_contest(sender, *, contest, **kwargs) -> None:
    """``contests.signals.contest_changed``'s receiver (connected in ``AwardsConfig.ready``):
    the contest's dates, venue or title may show in its exhibition."""
    exhibition_changed(contest.slug)
