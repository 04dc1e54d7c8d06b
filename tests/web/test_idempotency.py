"""Requests sent twice with one key (``web.idempotency``): the first runs, every retry gets its
answer and runs nothing; keys are per scope and owner, checked, and forgotten after a while.

The concurrent case, 20 requests with one key at once, is tests/web/test_idempotency_race.py
(PostgreSQL)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone, translation

from laurel.media.models import MediaAsset
from laurel.web import idempotency
from laurel.web.idempotency import Answer, KeyRefused, idempotent_view, run_once
from laurel.web.models import IdempotentRequest

UUID = "0b9f6c1e-3d4a-4f7b-9a2e-5c8d1e2f3a4b"


class Work:
    """A piece of work that counts its runs and answers with them."""

    def __init__(self, answer=None):
        self.runs = 0
        self.answer = answer

    def __call__(self):
        self.runs += 1
        return {"run": self.runs} if self.answer is None else self.answer


def once(work, *, key=UUID, scope="test.scope", owner="user:1") -> Answer:
    return run_once(scope=scope, owner=owner, key=key, work=work)


# --- the service -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_request_runs_the_work_and_a_retry_gets_its_answer_without_running_it():
    work = Work()
    first = once(work)
    again = once(work)

    assert first == Answer({"run": 1}, replayed=False)
    assert again == Answer({"run": 1}, replayed=True)
    assert work.runs == 1
    record = IdempotentRequest.objects.get()
    assert (record.scope, record.owner, record.key, record.result) == (
        "test.scope",
        "user:1",
        UUID,
        {"run": 1},
    )


@pytest.mark.django_db
def test_the_first_request_gets_the_answer_as_a_retry_reads_it():
    first = once(Work({"pks": (1, 2), 3: "three"}))
    again = once(Work())
    assert first.result == again.result == {"pks": [1, 2], "3": "three"}


@pytest.mark.django_db
def test_another_owner_or_another_scope_with_the_same_key_is_another_request():
    work = Work()
    answers = [
        once(work, owner="user:1"),
        once(work, owner="user:2"),
        once(work, owner="identity:9f86d081884c7d65"),
        once(work, owner=""),
        once(work, owner="user:1", scope="test.other"),
    ]
    assert [answer.result["run"] for answer in answers] == [1, 2, 3, 4, 5]
    assert not any(answer.replayed for answer in answers)
    assert once(work, owner="user:2") == Answer({"run": 2}, replayed=True)
    assert IdempotentRequest.objects.count() == 5


@pytest.mark.parametrize(
    "key",
    [
        "k" * 101,  # too long
        "two words",
        "tab\tinside",
        "new\nline",
        "nul\x00",
        "全角键",
        "café",
    ],
)
@pytest.mark.django_db
def test_a_malformed_key_is_refused_before_anything_runs(key):
    work = Work()
    with translation.override("en"), pytest.raises(KeyRefused, match="1 to 100 visible ASCII"):
        once(work, key=key)
    assert work.runs == 0
    assert IdempotentRequest.objects.count() == 0


@pytest.mark.parametrize("key", [UUID, "k" * 100, "a", "01HZX3Y7K2M4N5P6Q7R8S9T0VW", "AbC_-+/=.~:"])
@pytest.mark.django_db
def test_uuids_ulids_and_other_visible_ascii_keys_are_taken(key):
    assert once(Work(), key=key).result == {"run": 1}
    assert IdempotentRequest.objects.get().key == key


@pytest.mark.django_db
def test_an_empty_key_asks_for_no_protection():
    work = Work()
    assert once(work, key="") == Answer({"run": 1}, replayed=False)
    assert once(work, key="") == Answer({"run": 2}, replayed=False)
    assert IdempotentRequest.objects.count() == 0


@pytest.mark.django_db
def test_work_that_fails_keeps_nothing_and_a_retry_runs_it_again():
    def fails():
        MediaAsset.objects.create(original_name="a.jpg", size=1, sha256="0" * 64)
        raise ConnectionError("the gateway went away")

    with pytest.raises(ConnectionError):
        once(fails)
    assert IdempotentRequest.objects.count() == 0
    assert MediaAsset.objects.count() == 0  # rolled back with the key's row

    work = Work()
    assert once(work) == Answer({"run": 1}, replayed=False)
    assert once(work).replayed


@pytest.mark.django_db
def test_work_that_answers_none_keeps_nothing_but_keeps_its_changes():
    def refuses():
        MediaAsset.objects.create(original_name="a.jpg", size=1, sha256="0" * 64)

    assert once(refuses) == Answer(None, replayed=False)
    assert IdempotentRequest.objects.count() == 0
    assert MediaAsset.objects.count() == 1
    work = Work()
    assert once(work) == Answer({"run": 1}, replayed=False)  # the same key, run again


@pytest.mark.django_db
def test_an_object_the_work_made_is_named_by_its_model_and_key_and_forgotten_with_it():
    def make():
        return idempotency.object_result(
            MediaAsset.objects.create(original_name="a.jpg", size=1, sha256="0" * 64)
        )

    asset_answer = once(make).result
    other = once(Work(), key="other")
    asset = MediaAsset.objects.get()
    assert asset_answer == {"model": "media.mediaasset", "pk": asset.pk}

    assert idempotency.object_answers_forget(asset) == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["other"]
    assert once(Work(), key="other") == Answer(other.result, replayed=True)


@pytest.mark.django_db
def test_the_periodic_job_forgets_keys_older_than_the_setting(settings, tmp_path):
    settings.PERIODIC_STATE_FILE = tmp_path / "periodic.json"
    settings.IDEMPOTENCY_DAYS = 7
    for key, age in (("fresh", timedelta(days=6, hours=23)), ("old", timedelta(days=7, hours=1))):
        once(Work(), key=key)
        IdempotentRequest.objects.filter(key=key).update(created_at=timezone.now() - age)

    call_command("periodic", "--job", "web.idempotent_requests_expire")

    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["fresh"]
    work = Work()
    assert once(work, key="old") == Answer({"run": 1}, replayed=False)  # a new request now
    assert once(work, key="fresh").replayed


# --- views -------------------------------------------------------------------------------


def post(rf, data=None, **headers):
    request = rf.post("/anything/", data or {}, headers=headers)
    request.user = AnonymousUser()
    return request


def test_the_key_comes_from_the_header_else_the_form_field(rf):
    assert idempotency.request_key(post(rf, **{"Idempotency-Key": UUID})) == UUID
    assert idempotency.request_key(post(rf, {"idempotency_key": "form-1"})) == "form-1"
    both = post(rf, {"idempotency_key": "form-1"}, **{"Idempotency-Key": "header-1"})
    assert idempotency.request_key(both) == "header-1"
    assert idempotency.request_key(post(rf)) == ""
    with pytest.raises(KeyRefused):
        idempotency.request_key(post(rf, {"idempotency_key": "two words"}))


class CountedView:
    """A view that counts its runs and answers with ``respond(run)``."""

    def __init__(self, respond):
        self.runs, self.respond = 0, respond

    def __call__(self, request):
        self.runs += 1
        return self.respond(self.runs)


@pytest.mark.django_db
def test_a_views_redirect_is_given_again_to_a_retry_without_the_view_running(rf):
    view = CountedView(lambda run: HttpResponseRedirect(f"/registered/{run}/"))
    answer = idempotent_view("test.register")(view)

    first = answer(post(rf, {"idempotency_key": UUID}))
    again = answer(post(rf, {"idempotency_key": UUID}))

    assert view.runs == 1
    assert (first.status_code, first["Location"]) == (302, "/registered/1/")
    assert (again.status_code, again["Location"]) == (302, "/registered/1/")
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


@pytest.mark.django_db
def test_a_views_json_answer_is_given_again_with_its_status(rf):
    view = CountedView(lambda run: JsonResponse({"ticket": run, "seat": "A7"}, status=201))
    answer = idempotent_view("test.check_in")(view)

    first = answer(post(rf, **{"Idempotency-Key": UUID}))
    again = answer(post(rf, **{"Idempotency-Key": UUID}))

    assert view.runs == 1
    assert first.status_code == again.status_code == 201
    assert json.loads(first.content) == json.loads(again.content) == {"ticket": 1, "seat": "A7"}


@pytest.mark.django_db
def test_a_views_form_errors_or_refusal_are_not_kept(rf):
    view = CountedView(lambda run: HttpResponse(f"<p>errors {run}</p>", status=200))
    answer = idempotent_view("test.register")(view)
    assert answer(post(rf, {"idempotency_key": UUID})).content == b"<p>errors 1</p>"
    assert answer(post(rf, {"idempotency_key": UUID})).content == b"<p>errors 2</p>"

    refused = CountedView(lambda run: JsonResponse({"error": "full"}, status=409))
    answer = idempotent_view("test.vote")(refused)
    assert answer(post(rf, {"idempotency_key": UUID})).status_code == 409
    assert answer(post(rf, {"idempotency_key": UUID})).status_code == 409
    assert refused.runs == 2
    assert IdempotentRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_view_without_a_key_runs_every_time_and_a_malformed_key_is_a_400(rf):
    view = CountedView(lambda run: HttpResponseRedirect(f"/done/{run}/"))
    answer = idempotent_view("test.register")(view)
    assert answer(post(rf))["Location"] == "/done/1/"
    assert answer(post(rf))["Location"] == "/done/2/"

    with translation.override("en"):
        refused = answer(post(rf, **{"Idempotency-Key": "k" * 101}))
    assert refused.status_code == 400
    assert "1 to 100 visible ASCII characters" in refused.content.decode()
    assert view.runs == 2
    assert IdempotentRequest.objects.count() == 0
