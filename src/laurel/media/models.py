"""Uploaded media: one row per stored file, its processing state and its renditions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaAsset(models.Model):
    """An uploaded file. The original lives in private storage at ``original_path``
    (content-addressed by SHA-256, so the same bytes are stored once); renditions at
    deterministic paths named after the asset, so re-processing overwrites, never adds.

    Every file is private until ``published_at`` is set (by whoever publishes the work it
    belongs to, e.g. a contest's results): only then are its thumbnail and display copy
    served to anyone. An upload nothing refers to (``selectors.assets_unclaimed``) expires."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        REFUSED = "refused", _("Refused")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    original_path = models.CharField(max_length=200, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    refusal_code = models.CharField(max_length=50, blank=True)
    refusal_reason = models.TextField(blank=True)
    exif = models.JSONField(default=dict, blank=True)  # format, size, camera, taken_at, gps
    phash = models.CharField(max_length=16, blank=True, db_index=True)
    duplicates = models.ManyToManyField("self", blank=True, symmetrical=True)
    renditions = models.JSONField(default=dict, blank=True)  # name → storage path
    attempts = models.PositiveSmallIntegerField(default=0)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
