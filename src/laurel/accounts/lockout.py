"""Log-in lockout: per account *and* address, each lockout of the pair longer than the last.

django-axes counts failed log-ins per (account, address) pair (``AXES_LOCKOUT_PARAMETERS``)
and, after ``AXES_FAILURE_LIMIT`` of them, refuses that pair — even the right password —
until the lockout has passed since its last failure. Five wrong passwords for ``admin``
typed by a stranger lock the stranger's address out of ``admin``, not the admin; and the
people of a union office behind one NAT address are never locked out all at once.

A lockout lasts ``LOGIN_LOCKOUT_FIRST``, doubled for each earlier lockout of the same pair
in the last ``LOGIN_LOCKOUT_MEMORY`` (15 minutes, 30, 60, ...), up to
``LOGIN_LOCKOUT_LONGEST``: ``lockout_duration`` is ``AXES_COOLOFF_TIME``, and
``LockoutHandler`` (``AXES_HANDLER``) records a ``LoginLockout`` when a failure locks a pair.

Axes' own clean-up deletes *every* pair's failures older than the current request's
lockout, which would end a doubled lockout early as soon as someone with a shorter one
tried; the handler deletes only the requesting pair's expired failures, and anyone's
older than the longest lockout.
"""

from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from laurel.accounts.models import LoginLockout
from laurel.accounts.services import login_lockout_record

# 2**30 lockouts' worth is far past any LOGIN_LOCKOUT_LONGEST, and still a valid timedelta.
MOST_DOUBLINGS = 30


def login_pair(request, credentials: dict | None = None) -> tuple[str, str | None]:
    """The (account, address) pair axes counts a log-in attempt against."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return get_client_username(request, credentials), address


def lockouts_recent(username: str, ip_address: str | None) -> int:
    """How many lockouts the pair had in the last ``LOGIN_LOCKOUT_MEMORY``."""
    since = timezone.now() - settings.LOGIN_LOCKOUT_MEMORY
    return LoginLockout.objects.filter(
        username=username, ip_address=ip_address, locked_at__gt=since
    ).count()


def lockout_duration(request=None) -> timedelta:
    """``AXES_COOLOFF_TIME``: how long the requesting pair's lockout lasts (from its last
    failure): the first one ``LOGIN_LOCKOUT_FIRST``, each further one twice the one before."""
    first = settings.LOGIN_LOCKOUT_FIRST
    if request is None:
        return first
    doublings = max(lockouts_recent(*login_pair(request)) - 1, 0)
    return min(first * 2 ** min(doublings, MOST_DOUBLINGS), settings.LOGIN_LOCKOUT_LONGEST)


def lockout_ends(request, credentials: dict | None = None) -> datetime:
    """When the requesting pair may try again: its last failure plus its lockout."""
    username, address = login_pair(request, credentials)
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        last=Max("attempt_time")
    )["last"]
    return (last or timezone.now()) + lockout_duration(request)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler that remembers lockouts and forgets failures pair by pair."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or not getattr(request, "axes_locked_out", False):
            return
        # Failures go on counting while a pair is locked (each renews the lock); the one
        # that reached the limit is the one that locked it.
        if request.axes_failures_since_start == get_failure_limit(request, credentials):
            username, address = login_pair(request, credentials)
            login_lockout_record(username=username, ip_address=address)

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        oldest_kept = timezone.now() - settings.LOGIN_LOCKOUT_LONGEST
        count, _ = AccessAttempt.objects.filter(attempt_time__lte=oldest_kept).delete()
        # lockouts past remembering (each is in the audit log too)
        forgotten = timezone.now() - settings.LOGIN_LOCKOUT_MEMORY
        LoginLockout.objects.filter(locked_at__lte=forgotten).delete()
        if request is not None:
            username, address = login_pair(request, credentials)
            expired, _ = AccessAttempt.objects.filter(
                username=username,
                ip_address=address,
                attempt_time__lte=get_cool_off_threshold(request),
            ).delete()
            count += expired
        return count
