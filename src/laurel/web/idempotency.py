"""Requests a phone may send twice: the client names each with a key, the first answer is
kept, and every retry gets that answer without anything being done again.

A client that may send one request twice (an answer lost on a bad connection, a double tap)
sends a key of its own with it: an ``Idempotency-Key`` header, or a form's hidden
``idempotency_key`` field (``request_key``). ``run_once`` runs the work of the first request
with that key — per scope (what kind of request) and owner (whose key) — and keeps its
answer, a small JSON value; a later request with the same key gets that answer, and its work
never runs. ``idempotent_view`` does this for a whole view whose success is a redirect or a
JSON answer.

Concurrent retries too. The key's row is inserted first (its answer still empty), in the
same transaction as the work, so a second request with the same key waits on the unique
index until the first one ends: if the first commits, the second's insert fails and it reads
the first's answer; if the first fails, its row goes with its work and the second runs the
work itself. (SQLite runs one write transaction at a time, which serialises them anyway.)
Rows expire after ``LAUREL_IDEMPOTENCY_DAYS`` (``requests_expire``, a periodic job).
"""

import datetime
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.web.models import IdempotentRequest

KEY_HEADER = "Idempotency-Key"
KEY_FIELD = "idempotency_key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,100}")  # visible ASCII: UUIDs, ULIDs, base64url
REPLAYED_HEADER = "Idempotent-Replayed"  # "true" on an answer given again

JSON = Any  # what json.dumps takes: dicts, lists, strings, numbers, booleans


class KeyRefused(ValueError):
    """The client's key is not one this mechanism takes; nothing was done."""

    def __init__(self):
        super().__init__(
            _(
                "The idempotency key must be 1 to 100 visible ASCII characters (letters, "
                "digits and punctuation, no spaces), such as a UUID."
            )
        )


def key_check(key: str) -> str:
    """``key`` if it is one the mechanism takes, else ``KeyRefused``."""
    if not KEY_PATTERN.fullmatch(key):
        raise KeyRefused
    return key


def user_owner(user) -> str:
    """The owner of a signed-in user's keys ("user:<pk>"); "" for anyone else."""
    return f"user:{user.pk}" if getattr(user, "is_authenticated", False) else ""


@dataclass(frozen=True)
class Answer:
    result: JSON  # the first request's answer (None: its work kept nothing)
    replayed: bool  # True: an earlier request's answer; this request's work did not run


def answer_recorded(*, scope: str, owner: str, key: str) -> Answer | None:
    """The answer kept for this key, or None if no request with it has finished."""
    key_check(key)
    record = IdempotentRequest.objects.filter(
        scope=scope, owner=owner, key=key, result__isnull=False
    ).first()
    return None if record is None else Answer(record.result, replayed=True)


def run_once(*, scope: str, owner: str, key: str, work: Callable[[], JSON]) -> Answer:
    """Run ``work`` for the first request with this key and keep what it returns; give every
    later request with the key that answer, without running ``work``.

    ``work`` runs inside a transaction, with the key's row, and returns its answer: a small
    JSON value (``object_result`` for an object it made), or None for nothing to keep — a
    refusal the client may put right and send again with the same key. If ``work`` raises,
    nothing is kept either. An empty key asks for no protection: ``work`` just runs (in a
    transaction all the same). A malformed key raises ``KeyRefused`` before anything runs."""
    if not key:
        with transaction.atomic():
            return Answer(work(), replayed=False)
    recorded = answer_recorded(scope=scope, owner=owner, key=key)
    if recorded is not None:
        return recorded
    with transaction.atomic():
        record = _claim(scope=scope, owner=owner, key=key)
        if record is None:  # the key's first request committed while this one waited
            return _committed_answer(scope=scope, owner=owner, key=key)
        result = work()
        if result is None:
            IdempotentRequest.objects.filter(pk=record.pk).delete()
            return Answer(None, replayed=False)
        record.result = json.loads(json.dumps(result))  # as every retry will read it
        record.save()
    return Answer(record.result, replayed=False)


def _claim(*, scope: str, owner: str, key: str) -> IdempotentRequest | None:
    """Insert the key's row, its answer still empty, before the work: a concurrent request
    with the same key waits here until this transaction ends. None: the key's first request
    committed its row first."""
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(scope=scope, owner=owner, key=key)
    except IntegrityError:
        return None


def _committed_answer(*, scope: str, owner: str, key: str) -> Answer:
    record = IdempotentRequest.objects.get(scope=scope, owner=owner, key=key)
    if record.result is None:  # only this very transaction can see an unfinished row
        raise RuntimeError(f"run_once for {scope} {key!r} was entered again from its own work")
    return Answer(record.result, replayed=True)


def object_result(obj: models.Model) -> dict:
    """The answer that names an object the work made: its model's label and primary key."""
    return {"model": obj._meta.label_lower, "pk": obj.pk}


def object_answers_forget(obj: models.Model) -> int:
    """Forget the answers naming ``obj`` (call it when deleting the object): a retry with
    their keys then runs its work again, as if never sent. Returns how many were forgotten."""
    answers = IdempotentRequest.objects.filter(
        result__model=obj._meta.label_lower, result__pk=obj.pk
    )
    return answers.delete()[0]


def requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows older than ``LAUREL_IDEMPOTENCY_DAYS``; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IDEMPOTENCY_DAYS)
    return IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()[0]


# --- views ---------------------------------------------------------------------------------


def request_key(request: HttpRequest) -> str:
    """The key the client sent: the ``Idempotency-Key`` header, else the form's hidden
    ``idempotency_key`` field; "" when neither. A malformed key raises ``KeyRefused``."""
    key = request.headers.get(KEY_HEADER) or request.POST.get(KEY_FIELD, "")
    return key_check(key) if key else ""


def request_owner(request: HttpRequest) -> str:
    """Whose keys a request's are: its signed-in user's, else anyone's ("")."""
    return user_owner(request.user)


def idempotent_view(scope: str, *, owner: Callable[[HttpRequest], str] = request_owner) -> Callable:
    """Make a POST view safe to send twice with a key. Its first success — a redirect, or a
    JSON answer of status 2xx — is kept, and a retry with the same key is answered with it
    (status and ``Location``, or status and body, with ``Idempotent-Replayed: true``) without
    the view running. Any other response (a form shown again with its errors, a refusal) is
    kept by no one: the client may send it again with the same key. Without a key the view
    runs as it would; a malformed key is answered 400 with the reason."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            try:
                key = request_key(request)
            except KeyRefused as refused:
                return HttpResponse(
                    str(refused), status=400, content_type="text/plain; charset=utf-8"
                )
            if not key:
                return view(request, *args, **kwargs)
            responses = []

            def respond() -> dict | None:
                responses.append(view(request, *args, **kwargs))
                return _response_kept(responses[0])

            given = run_once(scope=scope, owner=owner(request), key=key, work=respond)
            return _response_replayed(given.result) if given.replayed else responses[0]

        return answer

    return decorate


def _response_kept(response: HttpResponse) -> dict | None:
    """What of a response a retry gets again: a redirect's status and address, a successful
    JSON answer's status and body; None for anything else."""
    if response.streaming:
        return None
    if response.status_code in (301, 302, 303, 307, 308):
        return {"status": response.status_code, "location": response["Location"]}
    if 200 <= response.status_code < 300 and response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return {"status": response.status_code, "json": json.loads(response.content)}
    return None


def _response_replayed(kept: dict) -> HttpResponse:
    if "location" in kept:
        response = HttpResponse(status=kept["status"])
        response["Location"] = kept["location"]
    else:
        response = JsonResponse(kept["json"], status=kept["status"], safe=False)
    response[REPLAYED_HEADER] = "true"
    return response
