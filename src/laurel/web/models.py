"""The shell's tables: the answers kept for requests a client may send twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """The first answer to a request the client named with a key of its own
    (``web.idempotency``). One row per scope, owner and key: a retry finds it and gets the
    answer again. ``result`` is empty only inside the first request's own transaction, while
    its work runs; no other request ever reads it so."""

    scope = models.CharField(_("scope"), max_length=50)  # what kind of request: "media.upload"
    # whose key: "user:<pk>", a verified identity's "identity:<hash>", or "" (anyone)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    key = models.CharField(_("key"), max_length=100)
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("made"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "owner", "key"], name="idempotent_request_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.owner} {self.key}"
