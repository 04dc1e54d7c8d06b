"""Uploads no entry claims: they expire (row, renditions, and the original unless another
upload has the same bytes), and a user holds only so many of them, uploading only so fast."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from laurel.audit.models import LogEntry
from laurel.contests.models import EntryFile
from laurel.contests.services import entry_submit
from laurel.media import selectors, services
from laurel.media.models import MediaAsset
from tests.contests.conftest import (  # noqa: F401 - fixtures used here
    ALL_DECLARATIONS,
    contest,
    contest_factory,
    member_entry_submit,
    member_self,
    photo_upload,
)
from tests.helpers import jpeg, photo

FS = "django.core.files.storage.FileSystemStorage"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    """A private storage folder of this test's own, so that files can be counted."""
    private = tmp_path / "private"
    private.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": FS, "OPTIONS": {"location": private, "base_url": None}},
    }
    return private


def files_of(root: Path, asset: MediaAsset) -> list[Path]:
    return [root / path for path in [asset.original_path, *asset.renditions.values()]]


@pytest.fixture
def expire(django_capture_on_commit_callbacks):
    """Run the expiry as its job does, each asset's transaction committed (files go then)."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.unclaimed_uploads_expire()

    return run


@pytest.fixture
def upload(users, django_capture_on_commit_callbacks):
    def make(seed: int, *, user=None, age_hours: float = 0, data: bytes | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            asset = services.asset_upload(
                acting_user=user or users["member"],
                chunks=[data or jpeg(photo(seed, (800, 600)))],
                original_name=f"{seed}.jpg",
            )
        created = timezone.now() - timedelta(hours=age_hours)
        MediaAsset.objects.filter(pk=asset.pk).update(created_at=created)
        asset.refresh_from_db()
        assert asset.status == MediaAsset.Status.READY
        return asset

    return make


@pytest.fixture
def claimed_old(contest, member_self, users, django_capture_on_commit_callbacks):  # noqa: F811
    """A day-and-a-half-old upload that an entry uses."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = member_entry_submit(contest, member_self, users, title="被使用的照片", seed=5)
    asset = EntryFile.objects.get(entry=entry).asset
    MediaAsset.objects.filter(pk=asset.pk).update(created_at=timezone.now() - timedelta(hours=36))
    asset.refresh_from_db()
    return asset


def test_an_old_unclaimed_upload_expires_and_claimed_or_fresh_ones_stay(
    settings, private_root, upload, claimed_old, expire
):
    settings.LAUREL_UNCLAIMED_UPLOAD_HOURS = 24
    old = upload(1, age_hours=25)
    fresh = upload(2, age_hours=23)
    old_files = files_of(private_root, old)
    assert all(path.is_file() for path in old_files)

    assert expire() == 1

    assert set(MediaAsset.objects.values_list("pk", flat=True)) == {fresh.pk, claimed_old.pk}
    assert not any(path.exists() for path in old_files)
    assert not (private_root / "renditions" / str(old.pk)).exists()
    for kept in (fresh, claimed_old):
        assert all(path.is_file() for path in files_of(private_root, kept))
    entry = LogEntry.objects.get(action="media.asset.expired")
    assert entry.object_id == str(old.pk)
    assert entry.data["hours"] == 24
    assert expire() == 0


def test_an_expired_uploads_original_stays_while_another_upload_has_the_same_bytes(
    private_root, upload, users, expire
):
    data = jpeg(photo(9, (800, 600)))
    old = upload(9, data=data, age_hours=30)
    twin = upload(9, data=data, user=users["unit_admin"])
    assert old.original_path == twin.original_path

    assert expire() == 1

    assert (private_root / twin.original_path).read_bytes() == data
    assert all(path.is_file() for path in files_of(private_root, twin))
    assert not (private_root / old.renditions["display"]).exists()


def test_claims_are_found_from_the_models_not_named_in_media():
    references = dict(
        (f"{model._meta.label}.{column}", model) for model, column in selectors.asset_references()
    )
    assert "contests.EntryFile.asset_id" in references
    assert not any(model is MediaAsset.duplicates.through for model in references.values())


def test_a_duplicate_link_does_not_claim_an_upload(upload, expire):
    first = upload(11, age_hours=30)
    copy = upload(11, data=jpeg(photo(11, (800, 600)).resize((400, 300))), age_hours=30)
    assert set(first.duplicates.all()) == {copy}
    assert set(selectors.assets_unclaimed()) == {first, copy}

    assert expire() == 2
    assert not MediaAsset.objects.exists()


# --- limits --------------------------------------------------------------------------------


def post_upload(client, seed: int):
    upload = SimpleUploadedFile(f"{seed}.jpg", jpeg(photo(seed, (400, 300))), "image/jpeg")
    return client.post(reverse("media:upload"), {"file": upload})


def test_a_user_holds_only_so_many_unclaimed_uploads(
    settings, client_as, users, expire, django_capture_on_commit_callbacks
):
    settings.LAUREL_UNCLAIMED_UPLOADS_PER_USER = 2
    client = client_as("member")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_upload(client, 1).status_code == 201
        assert post_upload(client, 2).status_code == 201
        refused = post_upload(client, 3)

    assert refused.status_code == 429
    assert "2" in json.loads(refused.content)["error"]
    assert MediaAsset.objects.filter(uploaded_by=users["member"]).count() == 2
    originals = Path(storages["private"].location) / "originals"
    assert len([path for path in originals.rglob("*") if path.is_file()]) == 2  # none kept
    # another user is not held back by them
    assert post_upload(client_as("unit_admin"), 4).status_code == 201
    # once one has expired, there is room again
    MediaAsset.objects.filter(uploaded_by=users["member"]).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    assert expire() == 2
    assert post_upload(client, 5).status_code == 201


def test_uploads_claimed_on_arrival_are_not_held_back_by_the_limit(
    settings,
    contest,  # noqa: F811
    member_self,  # noqa: F811
    users,
    django_capture_on_commit_callbacks,
):
    """Submitting entries (and so bulk submission, one entry per file) claims each upload as
    it arrives: a unit of hundreds of photos never meets the per-user limit."""
    settings.LAUREL_UNCLAIMED_UPLOADS_PER_USER = 1
    contest.max_entries_per_member = 10
    contest.save(update_fields=["max_entries_per_member"])
    for seed in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            entry_submit(
                acting_user=users["member"],
                contest=contest,
                author=member_self,
                category=contest.categories.first(),
                title=f"作品{seed}",
                uploads=[photo_upload(20 + seed)],
                declarations=ALL_DECLARATIONS,
            )
    assert EntryFile.objects.count() == 3
    assert not selectors.assets_unclaimed().exists()


def test_uploads_per_hour_are_limited_per_user(settings, client_as):
    settings.LAUREL_UPLOADS_PER_HOUR = 2
    settings.LAUREL_UNCLAIMED_UPLOADS_PER_USER = 100
    client = client_as("member")
    assert post_upload(client, 1).status_code == 201
    assert post_upload(client, 2).status_code == 201
    limited = post_upload(client, 3)
    assert limited.status_code == 429
    assert "过去一小时内已上传 2 个文件" in json.loads(limited.content)["error"]  # zh-Hans first
    assert MediaAsset.objects.count() == 2
    assert post_upload(client_as("unit_admin"), 4).status_code == 201  # counted per user
