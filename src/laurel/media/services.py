"""Storing uploads whole or not at all, and processing them exactly once.

An upload streams into a temporary file in private storage (size limit enforced as it
streams, SHA-256 computed on the way), is moved into place by rename at its content address
``originals/ab/cd/<sha256>`` (the same bytes are stored once), and only then is the row
written, in one transaction with its audit entry; processing is queued after commit.

Every file stays in private storage. A thumbnail or display copy is served to anyone only
once its asset is published (``assets_publish``); before that only by a signed URL bound to
the user it was issued to (``rendition_url``). Uploads nothing claims expire
(``unclaimed_uploads_expire``).
"""

import contextlib
import datetime
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.core.photos import DuplicateIndex, Limits, PhotoCheck, photo_check
from laurel.media import policy, selectors
from laurel.media.models import MediaAsset
from laurel.web import idempotency

UPLOAD_SCOPE = "media.upload"  # the uploads' idempotency keys (web.idempotency)
SIGNED_URL_SALT = "laurel.media.signed"
SIGNED_URL_SECONDS = 60 * 60
PRIVATE_RENDITIONS = ("judge",)  # never public, even once published


class UploadLimitReached(Exception):
    """The user holds as many unclaimed uploads as they may; nothing was stored."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            _(
                "You have %(count)d uploaded files that no entry uses yet, the most allowed. "
                "Use them in an entry, or wait until unused files are removed "
                "(after %(hours)d hours), then upload again."
            )
            % {"count": limit, "hours": settings.LAUREL_UNCLAIMED_UPLOAD_HOURS}
        )


class UploadTooLarge(ValueError):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(too_large_message(limit))


def too_large_message(limit: int) -> str:
    return _("The file is larger than %(size)s; nothing was kept.") % {
        "size": filesizeformat(limit)
    }


class _TemporaryFile(File):
    """A file already on disk: FileSystemStorage moves it into place by rename."""

    def temporary_file_path(self) -> str:
        return self.name


@dataclass
class StoredOriginal:
    sha256: str
    size: int
    path: str
    new: bool  # False: these bytes were already stored


def photo_limits() -> Limits:
    return Limits(**settings.LAUREL_PHOTO_LIMITS)


def original_path(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def rendition_path(asset: MediaAsset, name: str) -> str:
    return f"renditions/{asset.pk}/{name}.jpg"


def rendition_storage(name: str):
    """Where renditions live: private storage, all of them. Nothing is served by path; the
    public renditions of published assets are served by ``views.public.rendition``."""
    return storages["private"]


def original_store(chunks: Iterable[bytes], *, max_bytes: int) -> StoredOriginal:
    """Stream ``chunks`` into private storage; whole, at its content address, or not at all."""
    private = storages["private"]
    folder = Path(private.path("incoming"))
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix="upload-")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLarge(max_bytes)
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        sha256 = digest.hexdigest()
        path = original_path(sha256)
        if private.exists(path):
            Path(temporary).unlink()
            return StoredOriginal(sha256, size, path, new=False)
        with open(temporary, "rb") as handle:
            saved = private.save(path, _TemporaryFile(handle, name=temporary))
        return StoredOriginal(sha256, size, saved, new=True)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def asset_upload(
    *,
    acting_user,
    chunks: Iterable[bytes],
    original_name: str,
    idempotency_key: str = "",
    max_bytes: int | None = None,
    queue: bool = True,
    unclaimed_limit: int | None = None,
) -> MediaAsset:
    """Store an upload and queue its processing. A retry with the same idempotency key
    returns the first upload's asset and stores nothing again (``web.idempotency``, which
    refuses a malformed key with ``KeyRefused``). With ``unclaimed_limit``, a user who
    already holds that many unclaimed uploads gets ``UploadLimitReached``."""
    owner = acting_user if getattr(acting_user, "is_authenticated", False) else None
    request = {
        "scope": UPLOAD_SCOPE,
        "owner": idempotency.user_owner(owner),
        "key": idempotency_key,
    }
    if idempotency_key:
        first = idempotency.answer_recorded(**request)
        if first is not None:
            return MediaAsset.objects.get(pk=first.result["pk"])
    if unclaimed_limit is not None:
        held = selectors.assets_unclaimed().filter(uploaded_by=owner)
        if held.count() >= unclaimed_limit:
            raise UploadLimitReached(unclaimed_limit)
    stored = original_store(chunks, max_bytes=max_bytes or photo_limits().max_bytes)
    created = []

    def asset_create() -> dict:
        asset = MediaAsset.objects.create(
            uploaded_by=owner,
            original_name=Path(original_name).name[:255] or "upload",
            size=stored.size,
            sha256=stored.sha256,
            original_path=stored.path,
        )
        audit_log(
            actor=acting_user,
            action="media.asset.uploaded",
            obj=asset,
            data={"sha256": stored.sha256, "size": stored.size, "name": asset.original_name},
        )
        if queue:  # batch ingest processes its files itself, on every core
            transaction.on_commit(lambda: asset_queue(asset.pk))
        created.append(asset)
        return idempotency.object_result(asset)

    try:
        answer = idempotency.run_once(**request, work=asset_create)
    except BaseException:
        _forget(stored)
        raise
    if not answer.replayed:
        return created[0]
    _forget(stored)  # a concurrent retry with the same key got there first
    return MediaAsset.objects.get(pk=answer.result["pk"])


def _forget(stored: StoredOriginal) -> None:
    """Remove a newly stored original that no row will point to."""
    if stored.new and not MediaAsset.objects.filter(original_path=stored.path).exists():
        storages["private"].delete(stored.path)


def asset_queue(asset_id: int) -> None:
    from laurel.media.tasks import asset_process  # tasks import this module

    asset_process.delay(asset_id)


def asset_process(asset_id: int) -> str:
    """Process one asset exactly once: check, renditions, fingerprints, duplicates.

    First marked ``processing`` (so a worker that dies is noticed), then worked on inside a
    transaction holding the row's lock. Renditions go to fixed paths, so a run after a crash
    overwrites what it left instead of adding to it. A finished asset is left alone.
    """
    claimed = asset_claim(asset_id)
    if claimed != MediaAsset.Status.PROCESSING:
        return claimed
    with transaction.atomic():
        asset = MediaAsset.objects.select_for_update().get(pk=asset_id)
        if asset.status != MediaAsset.Status.PROCESSING:
            return asset.status
        _asset_finish(asset, asset_check(asset))
    return asset.status


def asset_claim(asset_id: int) -> str:
    """Mark an asset ``processing`` (committed at once); its status if it is not ours to do
    (finished, or ``busy``: another worker holds it)."""
    with transaction.atomic():
        asset = MediaAsset.objects.select_for_update(skip_locked=True).filter(pk=asset_id).first()
        if asset is None:
            return "busy"
        if asset.status in (MediaAsset.Status.READY, MediaAsset.Status.REFUSED):
            return asset.status
        asset.status = MediaAsset.Status.PROCESSING
        asset.processing_started_at = timezone.now()
        asset.attempts += 1
        asset.save(update_fields=["status", "processing_started_at", "attempts"])
    return asset.status


def asset_check(asset: MediaAsset) -> PhotoCheck:
    """The photo core's verdict on the stored original (no database: any thread may)."""
    with storages["private"].open(asset.original_path, "rb") as handle:
        data = handle.read()
    return photo_check(data, asset.original_name, photo_limits(), language=settings.LANGUAGE_CODE)


def asset_finish(asset_id: int, check: PhotoCheck) -> str:
    """Record a verdict computed elsewhere (batch ingest) for a claimed asset."""
    with transaction.atomic():
        asset = MediaAsset.objects.select_for_update().get(pk=asset_id)
        if asset.status != MediaAsset.Status.PROCESSING:
            return asset.status
        _asset_finish(asset, check)
    return asset.status


def _asset_finish(asset: MediaAsset, check: PhotoCheck) -> None:
    if check.ok:
        _renditions_save(asset, check.renditions)
        asset.status = MediaAsset.Status.READY
        asset.phash = check.phash
        asset.exif = {
            key: getattr(check, key)
            for key in ("format", "width", "height", "taken_at", "camera", "gps", "trailer")
        } | {"notes": check.notes}
    else:
        asset.status = MediaAsset.Status.REFUSED
        asset.refusal_code, asset.refusal_reason = check.code, check.reason
    asset.processed_at = timezone.now()
    asset.save()
    if check.ok:
        asset.duplicates.set(_duplicates_of(asset))
    audit_log(
        actor=None,
        action=f"media.asset.{asset.status}",
        obj=asset,
        data={"code": asset.refusal_code, "attempts": asset.attempts},
    )


def _renditions_save(asset: MediaAsset, renditions: dict[str, bytes]) -> None:
    paths = {}
    for name, content in renditions.items():
        storage, path = rendition_storage(name), rendition_path(asset, name)
        if storage.exists(path):
            storage.delete(path)  # left by a run that died: replace, never add beside it
        paths[name] = storage.save(path, ContentFile(content))
    asset.renditions = paths


def _duplicates_of(asset: MediaAsset) -> list[MediaAsset]:
    index = DuplicateIndex()
    others = MediaAsset.objects.filter(status=MediaAsset.Status.READY).exclude(pk=asset.pk)
    for pk, phash, sha256 in others.values_list("pk", "phash", "sha256").iterator():
        if phash:
            index.add(str(pk), phash, sha256)
    found = [int(key) for key, _distance in index.query(asset.phash, asset.sha256)]
    return list(MediaAsset.objects.filter(pk__in=found))


def assets_requeue_orphaned() -> int:
    """Queue every asset a dead worker left ``processing`` (and any never queued): a row
    whose lock nobody holds is nobody's work. Called when a worker starts."""
    with transaction.atomic():
        stuck = list(
            MediaAsset.objects.select_for_update(skip_locked=True)
            .filter(status__in=[MediaAsset.Status.RECEIVED, MediaAsset.Status.PROCESSING])
            .values_list("pk", flat=True)
        )
    for pk in stuck:
        asset_queue(pk)
    return len(stuck)


# --- publication and signed URLs ---------------------------------------------------------


def assets_publish(
    *,
    acting_user,
    published: Iterable[int],
    withdrawn: Iterable[int] = (),
    at: datetime.datetime | None = None,
) -> None:
    """Make the thumbnails and display copies of the ``published`` assets public (from ``at``,
    default now; an asset already public keeps its date) and those of the ``withdrawn`` ones
    private again. Called by whoever publishes the work the assets belong to (a contest's
    results: its winners; a correction: those who left). Audited."""
    published, withdrawn = set(published), set(withdrawn) - set(published)
    at = at or timezone.now()
    with transaction.atomic():
        made_public = list(
            MediaAsset.objects.filter(pk__in=published, published_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        made_private = list(
            MediaAsset.objects.filter(pk__in=withdrawn, published_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        MediaAsset.objects.filter(pk__in=made_public).update(published_at=at)
        MediaAsset.objects.filter(pk__in=made_private).update(published_at=None)
        if made_public or made_private:
            audit_log(
                actor=acting_user,
                action="media.assets.published",
                data={"public": sorted(made_public), "private": sorted(made_private)},
            )


def rendition_url(user, asset: MediaAsset, rendition: str) -> str | None:
    """The URL a page shows for an asset's thumbnail or display copy: the public one once the
    asset is published, else a signed URL that only ``user`` can use (None: not ready, or no
    user to bind it to). The page has decided that ``user`` may see the asset."""
    if asset.status != MediaAsset.Status.READY or rendition not in asset.renditions:
        return None
    if rendition in policy.PUBLIC_RENDITIONS and asset.published_at is not None:
        return reverse("media:rendition", args=[asset.pk, rendition])
    return signed_url(user, asset, rendition)


def signed_url(user, asset: MediaAsset, rendition: str) -> str | None:
    """A URL for one of an asset's files that works for ``user`` only, for an hour; None when
    this user may not have one (anonymous users never do). Thumbnails and display copies:
    the caller has decided the user may see the asset; judge renditions and originals:
    ``media.policy`` decides."""
    if not getattr(user, "is_authenticated", False):
        return None
    if rendition == "original":
        allowed = policy.may_view_original(user.access, asset)
    elif rendition in PRIVATE_RENDITIONS:
        allowed = policy.may_view_judge_rendition(user.access, asset)
    else:
        allowed = rendition in policy.PUBLIC_RENDITIONS
    if not allowed:
        return None
    token = signing.dumps(
        {"a": asset.pk, "r": rendition, "u": user.pk}, salt=SIGNED_URL_SALT, compress=True
    )
    return reverse("media:signed", args=[token])


@dataclass(frozen=True)
class Signed:
    asset_id: int
    rendition: str
    user_id: int | None  # whose URL it is: nobody else may use it


def signed_read(token: str) -> Signed:
    """What a signed URL is for and whose it is; raises ``signing.BadSignature`` (and its
    subclass ``SignatureExpired``) when forged or older than ``SIGNED_URL_SECONDS``."""
    payload = signing.loads(token, salt=SIGNED_URL_SALT, max_age=SIGNED_URL_SECONDS)
    user_id = payload.get("u")
    return Signed(int(payload["a"]), str(payload["r"]), int(user_id) if user_id else None)


def signed_target(token: str) -> tuple[int, str]:
    """(asset id, rendition) of a signed URL (``signed_read`` without its holder)."""
    signed = signed_read(token)
    return signed.asset_id, signed.rendition


# --- unclaimed uploads ---------------------------------------------------------------------


def unclaimed_uploads_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete every upload older than ``LAUREL_UNCLAIMED_UPLOAD_HOURS`` that nothing refers to
    (``selectors.assets_unclaimed``): its row, its renditions, and its original unless another
    asset has the same bytes. One transaction per asset, holding its row: the claim is checked
    again under the lock (and a reference would refuse the delete). Returns how many went."""
    hours = settings.LAUREL_UNCLAIMED_UPLOAD_HOURS
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    candidates = selectors.assets_unclaimed().filter(created_at__lt=cutoff)
    expired = 0
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            asset = candidates.select_for_update(skip_locked=True).filter(pk=pk).first()
            if asset is None:  # claimed meanwhile, or being processed right now
                continue
            audit_log(
                actor=None,
                action="media.asset.expired",
                obj=asset,
                data={"sha256": asset.sha256, "size": asset.size, "hours": hours},
            )
            renditions = list(asset.renditions.values())
            original = asset.original_path
            idempotency.object_answers_forget(asset)  # a retry of its upload uploads again
            asset.delete()  # its duplicate links go with it
            shared = MediaAsset.objects.filter(original_path=original).exists()
            transaction.on_commit(
                lambda renditions=renditions, original=None if shared else original: _files_delete(
                    renditions, original
                )
            )
        expired += 1
    return expired


def _files_delete(renditions: list[str], original: str | None) -> None:
    storage = storages["private"]
    for path in renditions:
        storage.delete(path)
        with contextlib.suppress(NotImplementedError, OSError):  # the asset's empty folder
            Path(storage.path(path)).parent.rmdir()
    if original:
        storage.delete(original)
