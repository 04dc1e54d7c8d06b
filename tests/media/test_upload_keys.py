"""The photo upload's idempotency key on the shell's one mechanism (``web.idempotency``): read
from the header or the form, a malformed one refused, forgotten with an expired upload, and
moved off ``MediaAsset`` by a migration that keeps every key."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from laurel.media import services
from laurel.media.models import MediaAsset
from laurel.web.models import IdempotentRequest
from tests.conftest import english_client
from tests.helpers import migrate_to, migrate_to_latest
from tests.media.test_assets import (  # noqa: F401 - fixtures used here
    Chunks,
    files_under,
    jpeg,
    photo,
    roots,
    uploader,
)

BEFORE_THE_MOVE = ("media", "0003_renditions_into_private_storage")


def upload_post(client, seed: int, data=None, **headers):
    data = {"file": SimpleUploadedFile("a.jpg", jpeg(photo(seed)), "image/jpeg"), **(data or {})}
    return client.post(reverse("media:upload"), data, headers=headers)


def test_the_upload_view_refuses_a_malformed_key_and_keeps_nothing(roots, users):  # noqa: F811
    client = english_client()
    client.force_login(users["member"])
    response = upload_post(client, 1, **{"Idempotency-Key": "two words"})
    assert response.status_code == 400
    assert "1 to 100 visible ASCII characters" in response.json()["error"]
    assert MediaAsset.objects.count() == 0
    assert files_under(roots.private / "originals") == []


def test_the_upload_view_takes_the_key_from_a_form_field(roots, client_as, users):  # noqa: F811
    client = client_as("member")
    first = upload_post(client, 2, {"idempotency_key": "form-key-1"})
    again = upload_post(client, 3, {"idempotency_key": "form-key-1"})

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert MediaAsset.objects.count() == 1
    record = IdempotentRequest.objects.get()
    assert (record.scope, record.owner, record.key) == (
        services.UPLOAD_SCOPE,
        f"user:{users['member'].pk}",
        "form-key-1",
    )


def test_an_expired_upload_takes_its_key_along(roots, uploader, settings):  # noqa: F811
    """An upload nothing claimed expires after a day; a retry with its key, days later but
    before the key itself would expire, uploads again instead of naming a deleted asset."""
    settings.LAUREL_UNCLAIMED_UPLOAD_HOURS = 24
    first = services.asset_upload(
        acting_user=uploader,
        chunks=Chunks(jpeg(photo(4))),
        original_name="a.jpg",
        idempotency_key="late-retry",
        queue=False,
    )
    other = services.asset_upload(
        acting_user=uploader,
        chunks=Chunks(jpeg(photo(5))),
        original_name="b.jpg",
        idempotency_key="kept",
        queue=False,
    )
    MediaAsset.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=2))

    assert services.unclaimed_uploads_expire() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["kept"]
    again = services.asset_upload(
        acting_user=uploader,
        chunks=Chunks(jpeg(photo(4))),
        original_name="a.jpg",
        idempotency_key="late-retry",
        queue=False,
    )
    assert again.pk not in (first.pk, other.pk)
    assert MediaAsset.objects.count() == 2


# --- the migration ---------------------------------------------------------------------------


def historical_asset_model():
    return (
        MigrationExecutor(connection)
        .loader.project_state(BEFORE_THE_MOVE)
        .apps.get_model("media", "MediaAsset")
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_every_upload_key_and_back(uploader):  # noqa: F811
    migrate_to(BEFORE_THE_MOVE)
    try:
        Asset = historical_asset_model()
        made = timezone.now() - timedelta(days=3)
        keyed = Asset.objects.create(
            uploaded_by_id=uploader.pk,
            original_name="a.jpg",
            size=1,
            sha256="a" * 64,
            idempotency_key="old-key",
        )
        Asset.objects.filter(pk=keyed.pk).update(created_at=made)
        unkeyed = Asset.objects.create(
            uploaded_by_id=uploader.pk, original_name="b.jpg", size=1, sha256="b" * 64
        )
    finally:
        migrate_to_latest()

    record = IdempotentRequest.objects.get()
    assert (record.scope, record.owner, record.key, record.result, record.created_at) == (
        services.UPLOAD_SCOPE,
        f"user:{uploader.pk}",
        "old-key",
        {"model": "media.mediaasset", "pk": keyed.pk},
        made,
    )
    retry = services.asset_upload(
        acting_user=uploader,
        chunks=Chunks(b"never read"),
        original_name="a.jpg",
        idempotency_key="old-key",
    )
    assert retry.pk == keyed.pk

    migrate_to(BEFORE_THE_MOVE)
    try:
        Asset = historical_asset_model()
        keys = dict(Asset.objects.values_list("pk", "idempotency_key"))
        assert keys == {keyed.pk: "old-key", unkeyed.pk: ""}
        assert IdempotentRequest.objects.count() == 0
    finally:
        migrate_to_latest()
