"""Uploaded media end to end: stored whole or not at all, processed exactly once, and served
only to those allowed (a published asset's renditions by URL; everything else by a signed URL
that works only for the user it was issued to).

Each test gets its own public and private storage folders, so counting files is exact.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import pre_save
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from laurel.audit.models import LogEntry
from laurel.core.photos import reason_text
from laurel.media import services
from laurel.media.models import MediaAsset
from laurel.media.services import (
    SIGNED_URL_SECONDS,
    UploadTooLarge,
    asset_process,
    asset_upload,
    assets_requeue_orphaned,
    original_store,
    signed_url,
)
from laurel.web.models import IdempotentRequest
from tests import helpers

FS = "django.core.files.storage.FileSystemStorage"


# --- helpers -----------------------------------------------------------------------------------


def photo(seed: int, size: tuple[int, int] = (800, 600)) -> Image.Image:
    return helpers.photo(seed, size)


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    return helpers.jpeg(image, quality=quality)


class Chunks:
    """An iterable of chunks that counts how many were pulled, optionally failing midway."""

    def __init__(self, data: bytes, size: int = 4096, *, fail_after: int | None = None):
        self.parts = [data[i : i + size] for i in range(0, len(data), size)]
        self.fail_after = fail_after
        self.pulled = 0

    def __iter__(self):
        for part in self.parts:
            if self.fail_after is not None and self.pulled == self.fail_after:
                raise ConnectionError("client went away")
            self.pulled += 1
            yield part


def files_under(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def body(response) -> bytes:
    return helpers.response_body(response)


@dataclass
class Roots:
    public: Path
    private: Path


@pytest.fixture(autouse=True)
def roots(settings, tmp_path) -> Roots:
    """Fresh storage folders for this test only (the suite's temp folders are shared)."""
    public, private = tmp_path / "media", tmp_path / "private"
    public.mkdir()
    private.mkdir()
    settings.MEDIA_ROOT = public
    settings.PRIVATE_MEDIA_ROOT = private
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": FS, "OPTIONS": {"location": public}},
        "private": {"BACKEND": FS, "OPTIONS": {"location": private, "base_url": None}},
    }
    assert Path(storages["private"].location) == private
    assert Path(storages["default"].location) == public
    return Roots(public, private)


@pytest.fixture
def uploader(world, make_user):
    """A member of the grassroots union (under 永川区, which ``users["unit_admin"]`` runs)."""
    return make_user("member", world.grassroots)


@pytest.fixture
def upload_ready(django_capture_on_commit_callbacks, uploader):
    def upload(data: bytes, name: str = "photo.jpg", user=None, **kwargs) -> MediaAsset:
        with django_capture_on_commit_callbacks(execute=True):
            asset = asset_upload(
                acting_user=user or uploader, chunks=Chunks(data), original_name=name, **kwargs
            )
        asset.refresh_from_db()
        return asset

    return upload


@pytest.fixture
def ready_asset(upload_ready) -> tuple[MediaAsset, bytes]:
    data = jpeg(photo(1))
    asset = upload_ready(data)
    assert asset.status == MediaAsset.Status.READY
    return asset, data


def original_file(roots: Roots, sha256: str) -> Path:
    return roots.private / "originals" / sha256[:2] / sha256[2:4] / sha256


# --- 1. upload and processing -------------------------------------------------------------------


def test_upload_stores_the_file_then_the_row_and_processes_after_commit(
    roots, uploader, django_capture_on_commit_callbacks
):
    data = jpeg(photo(1))
    sha256 = hashlib.sha256(data).hexdigest()
    seen_at_save = []

    def before_save(sender, instance, **kwargs):
        if instance.pk is None:
            path = roots.private / instance.original_path
            seen_at_save.append(path.read_bytes() if path.is_file() else None)

    pre_save.connect(before_save, sender=MediaAsset)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            asset = asset_upload(acting_user=uploader, chunks=Chunks(data), original_name="a.jpg")
            # Before commit: the row exists, nothing processed yet.
            assert MediaAsset.objects.get(pk=asset.pk).status == MediaAsset.Status.RECEIVED
            assert files_under(roots.public) == []
    finally:
        pre_save.disconnect(before_save, sender=MediaAsset)

    assert seen_at_save == [data]  # the whole file was in place when the row was written
    assert len(callbacks) == 1
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    assert asset.processed_at is not None
    assert asset.uploaded_by == uploader
    assert asset.original_name == "a.jpg"
    assert (asset.size, asset.sha256) == (len(data), sha256)
    assert asset.original_path == f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"
    assert original_file(roots, sha256).read_bytes() == data
    assert files_under(roots.private / "incoming") == []
    assert files_under(roots.public / "originals") == []

    assert asset.renditions == {
        "judge": f"renditions/{asset.pk}/judge.jpg",
        "display": f"renditions/{asset.pk}/display.jpg",
        "thumbnail": f"renditions/{asset.pk}/thumbnail.jpg",
    }
    # every rendition is private: nothing of an unpublished photo under a served path
    assert files_under(roots.public) == []
    assert files_under(roots.private / "renditions") == [
        f"{asset.pk}/display.jpg",
        f"{asset.pk}/judge.jpg",
        f"{asset.pk}/thumbnail.jpg",
    ]
    for name, long_edge in [("thumbnail", 400), ("display", 800), ("judge", 800)]:
        with Image.open(roots.private / asset.renditions[name]) as image:
            image.load()
            assert image.format == "JPEG"
            assert max(image.size) == long_edge

    entry = LogEntry.objects.get(action="media.asset.uploaded", object_id=str(asset.pk))
    assert entry.actor == uploader
    assert entry.data["sha256"] == sha256
    assert entry.data["size"] == len(data)
    assert LogEntry.objects.filter(action="media.asset.ready", object_id=str(asset.pk)).exists()
    assert asset.exif["format"] == "jpeg"
    assert (asset.exif["width"], asset.exif["height"]) == (800, 600)
    assert len(asset.phash) == 16


def test_the_same_bytes_from_two_users_make_two_rows_and_one_stored_file(
    roots, users, upload_ready
):
    data = jpeg(photo(3))
    first = upload_ready(data, "mine.jpg", user=users["member"])
    second = upload_ready(data, "copy.jpg", user=users["judge"])

    assert first.pk != second.pk
    assert MediaAsset.objects.count() == 2
    assert first.original_path == second.original_path
    assert len(files_under(roots.private / "originals")) == 1
    assert original_file(roots, first.sha256).read_bytes() == data
    assert {first.status, second.status} == {MediaAsset.Status.READY}


# --- 2. idempotency -----------------------------------------------------------------------------


def test_a_retry_with_the_same_idempotency_key_returns_the_first_asset(
    roots, uploader, django_capture_on_commit_callbacks
):
    data = jpeg(photo(4))
    with django_capture_on_commit_callbacks(execute=True):
        first = asset_upload(
            acting_user=uploader, chunks=Chunks(data), original_name="a.jpg", idempotency_key="k1"
        )
    stored = files_under(roots.private)
    # The retry carries other bytes: were they stored, a second original would appear.
    retry_chunks = Chunks(jpeg(photo(5)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = asset_upload(
            acting_user=uploader, chunks=retry_chunks, original_name="a.jpg", idempotency_key="k1"
        )

    assert again.pk == first.pk
    assert MediaAsset.objects.count() == 1
    assert retry_chunks.pulled == 0  # nothing read, nothing stored
    assert callbacks == []  # nothing queued again
    assert files_under(roots.private) == stored
    assert LogEntry.objects.filter(action="media.asset.uploaded").count() == 1

    # Another key is another upload.
    with django_capture_on_commit_callbacks(execute=True):
        other = asset_upload(
            acting_user=uploader, chunks=Chunks(data), original_name="a.jpg", idempotency_key="k2"
        )
    assert other.pk != first.pk
    assert MediaAsset.objects.count() == 2


def test_the_upload_view_honours_the_idempotency_key(
    roots, client_as, users, django_capture_on_commit_callbacks
):
    client = client_as("member")
    url = reverse("media:upload")
    data = jpeg(photo(6))

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            url,
            {"file": SimpleUploadedFile("a.jpg", data, content_type="image/jpeg")},
            headers={"Idempotency-Key": "retry-1"},
        )
    assert first.status_code == 201
    payload = first.json()
    assert payload["status"] == MediaAsset.Status.RECEIVED
    assert payload["sha256"] == hashlib.sha256(data).hexdigest()
    asset = MediaAsset.objects.get(pk=payload["id"])
    assert asset.uploaded_by == users["member"]
    assert IdempotentRequest.objects.get(key="retry-1").result == {
        "model": "media.mediaasset",
        "pk": asset.pk,
    }
    assert asset.status == MediaAsset.Status.READY
    stored = files_under(roots.private)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = client.post(
            url,
            {"file": SimpleUploadedFile("a.jpg", jpeg(photo(7)), content_type="image/jpeg")},
            headers={"Idempotency-Key": "retry-1"},
        )
    assert second.status_code == 201
    assert second.json()["id"] == asset.pk
    assert second.json()["status"] == MediaAsset.Status.READY
    assert MediaAsset.objects.count() == 1
    assert callbacks == []
    assert files_under(roots.private) == stored


# --- 3. interrupted and oversized uploads -------------------------------------------------------


def test_an_interrupted_upload_leaves_no_row_and_no_file(roots, uploader):
    chunks = Chunks(jpeg(photo(8)), fail_after=3)
    with pytest.raises(ConnectionError):
        asset_upload(acting_user=uploader, chunks=chunks, original_name="a.jpg")

    assert chunks.pulled == 3
    assert MediaAsset.objects.count() == 0
    assert files_under(roots.private) == []
    assert files_under(roots.public) == []
    assert not LogEntry.objects.filter(action="media.asset.uploaded").exists()


def test_an_oversized_stream_is_cut_while_streaming(roots):
    data = jpeg(photo(9))
    chunks = Chunks(data, size=1024)
    assert len(chunks.parts) > 20

    with pytest.raises(UploadTooLarge) as raised:
        original_store(chunks, max_bytes=10 * 1024)

    assert raised.value.limit == 10 * 1024
    assert chunks.pulled == 11  # the chunk that crossed the limit, and no further
    assert files_under(roots.private) == []


def test_an_oversized_upload_leaves_no_row_and_no_file(roots, uploader):
    data = jpeg(photo(9))
    chunks = Chunks(data, size=1024)

    with pytest.raises(UploadTooLarge):
        asset_upload(acting_user=uploader, chunks=chunks, original_name="a.jpg", max_bytes=8192)

    assert chunks.pulled < len(chunks.parts)
    assert MediaAsset.objects.count() == 0
    assert files_under(roots.private) == []
    assert not LogEntry.objects.filter(action="media.asset.uploaded").exists()


def test_the_upload_view_refuses_an_oversized_file_with_413(
    roots, settings, client_as, monkeypatch, django_capture_on_commit_callbacks
):
    settings.LAUREL_PHOTO_LIMITS = {**settings.LAUREL_PHOTO_LIMITS, "max_bytes": 20_000}
    data = jpeg(photo(10))
    assert len(data) > 2**16  # more than one of the upload handler's 64 KiB chunks
    stores = []
    real_store = services.original_store
    monkeypatch.setattr(
        services, "original_store", lambda *a, **k: stores.append(1) or real_store(*a, **k)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member").post(
            reverse("media:upload"),
            {"file": SimpleUploadedFile("big.jpg", data, content_type="image/jpeg")},
        )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert filesizeformat(20_000) in response.json()["error"]  # the limit, as people read it
    assert stores == []  # stopped by the upload handler, before any storing
    assert MediaAsset.objects.count() == 0
    assert files_under(roots.private) == []
    assert files_under(roots.public) == []

    # Under the limit the same view accepts a file (the 413 is the limit, not the view).
    settings.LAUREL_PHOTO_LIMITS = {**settings.LAUREL_PHOTO_LIMITS, "max_bytes": 10 * 2**20}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member").post(
            reverse("media:upload"),
            {"file": SimpleUploadedFile("big.jpg", data, content_type="image/jpeg")},
        )
    assert response.status_code == 201


def test_an_upload_whose_row_fails_leaves_no_new_file_and_keeps_shared_ones(
    roots, uploader, monkeypatch, upload_ready
):
    kept = upload_ready(jpeg(photo(21)), "kept.jpg")
    kept_file = original_file(roots, kept.sha256)

    def audit_fails(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_log", audit_fails)
    for data in (jpeg(photo(22)), kept_file.read_bytes()):  # new bytes, then stored ones
        with pytest.raises(RuntimeError):
            asset_upload(acting_user=uploader, chunks=Chunks(data), original_name="b.jpg")

    assert list(MediaAsset.objects.all()) == [kept]
    assert files_under(roots.private / "originals") == [
        str(kept_file.relative_to(roots.private / "originals"))
    ]
    assert files_under(roots.private / "incoming") == []


def test_a_concurrent_retry_with_the_same_key_keeps_the_first_asset_and_its_file(
    roots, uploader, monkeypatch
):
    """The retry passed the key check while the first request was still storing; the first
    commits its row and its key, and the retry is answered with the first's asset."""
    first_data, retry_data = jpeg(photo(23)), jpeg(photo(24))
    real_store = services.original_store
    first = {}

    def store_while_the_first_commits(chunks, *, max_bytes):
        stored = real_store(chunks, max_bytes=max_bytes)
        theirs = real_store(Chunks(first_data), max_bytes=max_bytes)
        first["asset"] = MediaAsset.objects.create(
            uploaded_by=uploader,
            original_name="a.jpg",
            size=theirs.size,
            sha256=theirs.sha256,
            original_path=theirs.path,
        )
        IdempotentRequest.objects.create(
            scope=services.UPLOAD_SCOPE,
            owner=f"user:{uploader.pk}",
            key="same",
            result={"model": "media.mediaasset", "pk": first["asset"].pk},
        )
        return stored

    monkeypatch.setattr(services, "original_store", store_while_the_first_commits)
    asset = asset_upload(
        acting_user=uploader,
        chunks=Chunks(retry_data),
        original_name="a.jpg",
        idempotency_key="same",
    )

    assert asset.pk == first["asset"].pk
    assert MediaAsset.objects.count() == 1
    sha256 = hashlib.sha256(first_data).hexdigest()
    assert files_under(roots.private) == [f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"]


# --- 4. refused files ---------------------------------------------------------------------------


def test_text_named_jpg_is_refused_without_renditions(roots, settings, upload_ready):
    asset = upload_ready(b"Dear committee, here are my notes.\n" * 20, "notes.jpg")

    assert asset.status == MediaAsset.Status.REFUSED
    assert asset.refusal_code == "not_an_image"
    assert asset.refusal_reason == reason_text(
        "not_an_image", {"kind": "text"}, settings.LANGUAGE_CODE
    )
    assert asset.renditions == {}
    assert asset.phash == ""
    assert asset.processed_at is not None
    assert files_under(roots.public) == []
    assert files_under(roots.private / "renditions") == []
    assert asset_process(asset.pk) == MediaAsset.Status.REFUSED


# --- 5. processing exactly once -----------------------------------------------------------------


def test_processing_a_ready_asset_again_changes_nothing(roots, ready_asset):
    asset, _data = ready_asset
    folders = [
        roots.public / "renditions" / str(asset.pk),
        roots.private / "renditions" / str(asset.pk),
    ]
    before_files = [files_under(folder) for folder in folders]
    before_bytes = {
        name: roots.private.joinpath(path).read_bytes() for name, path in asset.renditions.items()
    }
    assert sum(len(files) for files in before_files) == 3

    assert asset_process(asset.pk) == MediaAsset.Status.READY

    after = MediaAsset.objects.get(pk=asset.pk)
    assert after.processed_at == asset.processed_at
    assert after.attempts == asset.attempts == 1
    assert after.renditions == asset.renditions
    assert [files_under(folder) for folder in folders] == before_files
    for name, path in asset.renditions.items():
        assert roots.private.joinpath(path).read_bytes() == before_bytes[name]


def test_a_run_after_a_crash_replaces_half_written_renditions(roots, uploader):
    # Uploaded and committed but never processed (the on-commit queueing is not run here);
    # then a worker marked it and died while writing the judge rendition.
    asset = asset_upload(
        acting_user=uploader, chunks=Chunks(jpeg(photo(11))), original_name="a.jpg"
    )
    MediaAsset.objects.filter(pk=asset.pk).update(
        status=MediaAsset.Status.PROCESSING, attempts=1, processing_started_at=timezone.now()
    )
    junk = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100  # a JPEG cut short
    judge = roots.private / "renditions" / str(asset.pk) / "judge.jpg"
    judge.parent.mkdir(parents=True)
    judge.write_bytes(junk)

    assert asset_process(asset.pk) == MediaAsset.Status.READY

    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    assert asset.attempts == 2
    assert asset.renditions["judge"] == f"renditions/{asset.pk}/judge.jpg"
    assert judge.read_bytes() != junk
    with Image.open(judge) as image:
        image.load()  # the whole image decodes
        assert image.size == (800, 600)
    assert files_under(roots.private / "renditions") == [
        f"{asset.pk}/display.jpg",
        f"{asset.pk}/judge.jpg",
        f"{asset.pk}/thumbnail.jpg",
    ]
    assert files_under(roots.public) == []


def test_a_ready_asset_reset_by_a_crash_is_redone_in_place(roots, ready_asset):
    asset, _data = ready_asset
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaAsset.Status.PROCESSING)
    judge = roots.private / asset.renditions["judge"]
    display = roots.private / asset.renditions["display"]
    judge.write_bytes(judge.read_bytes()[:500])  # half-written
    display.write_bytes(b"junk")

    assert asset_process(asset.pk) == MediaAsset.Status.READY

    after = MediaAsset.objects.get(pk=asset.pk)
    assert after.renditions == asset.renditions  # the same fixed paths, no _abc123 copies
    assert files_under(roots.private / "renditions") == [
        f"{asset.pk}/display.jpg",
        f"{asset.pk}/judge.jpg",
        f"{asset.pk}/thumbnail.jpg",
    ]
    assert files_under(roots.public) == []
    for path in (judge, display):
        with Image.open(path) as image:
            image.load()
            assert image.size == (800, 600)


# --- 6. orphans ---------------------------------------------------------------------------------


def test_orphaned_assets_are_requeued_and_finished_ones_left_alone(roots, uploader, upload_ready):
    never_queued = asset_upload(
        acting_user=uploader, chunks=Chunks(jpeg(photo(12))), original_name="a.jpg"
    )
    dead_worker = asset_upload(
        acting_user=uploader, chunks=Chunks(jpeg(photo(13))), original_name="b.jpg"
    )
    MediaAsset.objects.filter(pk=dead_worker.pk).update(
        status=MediaAsset.Status.PROCESSING, attempts=1
    )
    ready = upload_ready(jpeg(photo(14)), "c.jpg")
    refused = upload_ready(b"just some text\n" * 10, "d.jpg")
    assert refused.status == MediaAsset.Status.REFUSED

    assert assets_requeue_orphaned() == 2

    statuses = dict(MediaAsset.objects.values_list("pk", "status"))
    assert statuses == {
        never_queued.pk: MediaAsset.Status.READY,
        dead_worker.pk: MediaAsset.Status.READY,
        ready.pk: MediaAsset.Status.READY,
        refused.pk: MediaAsset.Status.REFUSED,
    }
    for finished in (ready, refused):
        after = MediaAsset.objects.get(pk=finished.pk)
        assert (after.processed_at, after.attempts) == (finished.processed_at, 1)
    assert MediaAsset.objects.get(pk=dead_worker.pk).attempts == 2
    assert files_under(roots.private / "renditions" / str(never_queued.pk)) == [
        "display.jpg",
        "judge.jpg",
        "thumbnail.jpg",
    ]

    assert assets_requeue_orphaned() == 0


# --- 7. duplicates ------------------------------------------------------------------------------


def test_a_resized_copy_is_a_duplicate_and_a_distinct_photo_is_not(upload_ready):
    picture = photo(15)
    first = upload_ready(jpeg(picture), "big.jpg")
    copy = upload_ready(jpeg(picture.resize((400, 300)), quality=80), "small.jpg")
    other = upload_ready(jpeg(photo(16)), "other.jpg")
    assert copy.sha256 != first.sha256

    assert set(first.duplicates.all()) == {copy}
    assert set(copy.duplicates.all()) == {first}
    assert list(other.duplicates.all()) == []


# --- 8. access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["thumbnail", "display"])
def test_published_renditions_are_served_to_anyone_and_cacheable(roots, users, ready_asset, name):
    asset, _data = ready_asset
    url = reverse("media:rendition", args=[asset.pk, name])
    assert Client().get(url).status_code == 404  # not yet published

    services.assets_publish(acting_user=users["federation_admin"], published=[asset.pk])
    response = Client().get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    assert body(response) == (roots.private / asset.renditions[name]).read_bytes()


@pytest.mark.parametrize("name", ["judge", "original"])
def test_private_files_have_no_unsigned_url(client_as, ready_asset, name):
    asset, _data = ready_asset
    for role in ("anonymous", "judge", "federation_admin"):
        response = client_as(role).get(reverse("media:rendition", args=[asset.pk, name]))
        assert response.status_code == 404, role


def test_a_public_rendition_of_an_unfinished_asset_is_not_found(uploader):
    asset = asset_upload(acting_user=uploader, chunks=Chunks(jpeg(photo(17))), original_name="a")
    response = Client().get(reverse("media:rendition", args=[asset.pk, "thumbnail"]))
    assert response.status_code == 404


def test_forged_or_made_up_tokens_are_refused(users, client_as, ready_asset):
    asset, _data = ready_asset
    payload = {"a": asset.pk, "r": "original", "u": users["federation_admin"].pk}
    real = signing.dumps(payload, salt=services.SIGNED_URL_SALT, compress=True)
    forged = [
        "made-up-token",
        signing.dumps(payload),  # no salt
        signing.dumps(payload, salt="another.salt"),
        signing.dumps(payload, salt=services.SIGNED_URL_SALT, key="not-the-secret-key-" * 3),
        real[:-2] + ("AA" if real[-2:] != "AA" else "BB"),  # tampered signature
    ]
    client = client_as("federation_admin")
    for token in forged:
        response = client.get(reverse("media:signed", args=[token]))
        assert response.status_code == 403, token
    # The genuine token works: the 403s are the signature, not the URL.
    response = client.get(reverse("media:signed", args=[real]))
    assert response.status_code == 200
    body(response)


def test_who_gets_a_signed_url(world, users, make_user, uploader, upload_ready):
    asset = upload_ready(jpeg(photo(18)), user=uploader)
    other_admin = make_user("unit_admin", world.other_district)

    judge_urls = {
        "anonymous": signed_url(AnonymousUser(), asset, "judge"),
        "member": signed_url(users["member"], asset, "judge"),
        "uploader": signed_url(uploader, asset, "judge"),
        "judge": signed_url(users["judge"], asset, "judge"),
        "federation_admin": signed_url(users["federation_admin"], asset, "judge"),
    }
    assert judge_urls["anonymous"] is None
    assert judge_urls["member"] is None
    assert judge_urls["uploader"] is None
    for role in ("judge", "federation_admin"):
        assert judge_urls[role].startswith("/"), role
        assert services.signed_target(judge_urls[role].rstrip("/").rsplit("/", 1)[1]) == (
            asset.pk,
            "judge",
        )

    assert signed_url(AnonymousUser(), asset, "original") is None
    assert signed_url(users["member"], asset, "original") is None
    assert signed_url(users["judge"], asset, "original") is None
    assert signed_url(other_admin, asset, "original") is None
    assert signed_url(users["federation_admin"], asset, "original") is not None
    assert signed_url(users["unit_admin"], asset, "original") is not None

    # The admin of another district may not have the original, nor the judge rendition.
    assert signed_url(other_admin, asset, "judge") is None


def test_a_signed_original_is_the_exact_bytes_as_an_uncached_attachment(
    users, client_as, uploader, upload_ready
):
    data = jpeg(photo(19))
    asset = upload_ready(data, "Competition entry.jpg", user=uploader)
    url = signed_url(users["unit_admin"], asset, "original")

    response = client_as("unit_admin").get(url)  # the URL works for whom it was issued to

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Competition entry.jpg" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert body(response) == data
    # in anyone else's hands, even another organiser's, the URL is nothing
    for other in ("anonymous", "federation_admin", "member"):
        assert client_as(other).get(url).status_code == 404, other


def test_a_signed_judge_rendition_is_served_uncached(roots, users, client_as, ready_asset):
    asset, _data = ready_asset
    response = client_as("judge").get(signed_url(users["judge"], asset, "judge"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert body(response) == (roots.private / asset.renditions["judge"]).read_bytes()


def test_a_signed_url_expires(users, client_as, ready_asset):
    asset, data = ready_asset
    url = signed_url(users["federation_admin"], asset, "original")
    now = timezone.now()

    # (logged in afresh each time: an hour idle would end the session itself)
    with time_machine.travel(now + timedelta(seconds=SIGNED_URL_SECONDS - 60), tick=False):
        response = client_as("federation_admin").get(url)
        assert response.status_code == 200
        assert body(response) == data
    with time_machine.travel(now + timedelta(seconds=SIGNED_URL_SECONDS + 60), tick=False):
        assert client_as("federation_admin").get(url).status_code == 403


def test_uploading_requires_a_log_in(db):
    response = Client().post(
        reverse("media:upload"),
        {"file": SimpleUploadedFile("a.jpg", jpeg(photo(20)), content_type="image/jpeg")},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert MediaAsset.objects.count() == 0


def test_the_upload_view_says_when_no_file_was_sent(client_as):
    response = client_as("member").post(reverse("media:upload"), {})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]
    assert client_as("member").get(reverse("media:upload")).status_code == 405


def test_a_browser_upload_passes_the_csrf_check_and_is_size_limited_while_streaming(
    settings, users, monkeypatch, django_capture_on_commit_callbacks
):
    """With CSRF enforced (as for a real browser) the size limit is installed before the
    body is read: an upload over it is cut off without storing anything."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["member"])
    client.get(reverse("accounts:account"))
    token = client.cookies["csrftoken"].value
    data = jpeg(photo(21))
    url = reverse("media:upload")

    def post(headers):
        upload = SimpleUploadedFile("a.jpg", data, content_type="image/jpeg")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"file": upload}, headers=headers)

    assert post({}).status_code == 403  # no token, no upload
    assert post({"X-CSRFToken": token}).status_code == 201
    stored = []
    real = services.original_store
    monkeypatch.setattr(
        services, "original_store", lambda *a, **k: stored.append(1) or real(*a, **k)
    )
    settings.LAUREL_PHOTO_LIMITS = {**settings.LAUREL_PHOTO_LIMITS, "max_bytes": len(data) // 2}
    response = post({"X-CSRFToken": token})
    assert response.status_code == 413
    assert stored == []
    assert MediaAsset.objects.count() == 1
