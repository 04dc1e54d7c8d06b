"""A contest's outcome: prizes given from the final ranking, the units' own prizes, the
published snapshots of the results (each version immutable, with its SHA-256 digest), and the
certificates issued.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Award(models.Model):
    """A prize tier given to an entry, proposed from the ranking or set by hand."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="awards")
    entry = models.OneToOneField("contests.Entry", on_delete=models.PROTECT, related_name="award")
    tier = models.ForeignKey(
        "contests.PrizeTier", verbose_name=_("prize"), on_delete=models.PROTECT, related_name="+"
    )
    by_hand = models.BooleanField(default=False)  # False: as proposed from the ranking
    reason = models.TextField(_("reason"), blank=True)  # for a change by hand
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["contest", "tier__position", "entry__number"]

    def __str__(self) -> str:
        return f"{self.entry}: {self.tier.name}"


class UnitAward(models.Model):
    """A unit's prize for the contest as a whole (优秀组织奖: a ``PrizeTier`` ``for_units``),
    never an entry's: proposed from the results (``awards.services.unit_awards_propose``)
    or set by hand with a reason. A unit holds at most one per contest."""

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="unit_awards"
    )
    tier = models.ForeignKey(
        "contests.PrizeTier", verbose_name=_("prize"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    by_hand = models.BooleanField(default=False)  # False: as proposed from the results
    reason = models.TextField(_("reason"), blank=True)  # for a change by hand
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit prize")
        verbose_name_plural = _("unit prizes")
        ordering = ["contest", "tier__position", "unit__name", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["contest", "unit"], name="unit_award_once")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.tier.name}"


class AwardChange(models.Model):
    """One change of an entry's prize by hand, with its reason (shown on the results page)."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey("contests.Entry", on_delete=models.PROTECT, related_name="+")
    before = models.CharField(max_length=50, blank=True)  # tier names; "" : no prize
    after = models.CharField(max_length=50, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contest", "-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.before or '-'} → {self.after or '-'}"


class Publication(models.Model):
    """One published version of a contest's results: an immutable snapshot and its digest
    (``core.snapshots`` defines the canonical form). A correction is a new version."""

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.PROTECT, related_name="publications"
    )
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    digest = models.CharField(max_length=64)
    reason = models.TextField(_("reason for the correction"), blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["contest", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "version"], name="publication_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.contest} v{self.version}"


class Certificate(models.Model):
    """A 荣誉证书 issued to a prize-winner when results are published: an entry's entrant (a
    member, a team or a unit: ``recipient_kind``), or a unit for its own prize
    (``awarded_unit``; exactly one of ``entry`` and ``awarded_unit`` is set). Its number is
    printed with a QR code to the public verification page; a correction that changes or
    removes the prize revokes it (and issues a new one for a new prize)."""

    class RecipientKind(models.TextChoices):
        MEMBER = "member", _("member")
        TEAM = "team", _("team")
        UNIT = "unit", _("unit")

    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    contest = models.ForeignKey("contests.Contest", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(
        "contests.Entry",
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    awarded_unit = models.ForeignKey(  # a unit's own prize (优秀组织奖), not an entry's
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="+")
    recipient_kind = models.CharField(
        max_length=10, choices=RecipientKind.choices, default=RecipientKind.MEMBER
    )
    recipient = models.CharField(pgettext_lazy("certificate", "recipient"), max_length=200)
    unit = models.CharField(_("unit"), max_length=200)
    title = models.CharField(_("work"), max_length=100)
    prize = models.CharField(_("prize"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["contest", "number"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(entry__isnull=False, awarded_unit__isnull=True)
                    | models.Q(entry__isnull=True, awarded_unit__isnull=False)
                ),
                name="certificate_entry_or_unit",
            )
        ]

    def __str__(self) -> str:
        return self.number


def seal_storage():
    """Seals are kept in the private storage (served to the console only)."""
    from django.core.files.storage import storages

    return storages["private"]


class Seal(models.Model):
    """An issuing body's seal (公章), stamped over its name on the certificates it issues
    (``contest.certificate_issuer or contest.organiser``, matched by name). The image is a
    PNG re-encoded from the upload (``core.seal_images``), in the private storage."""

    issuer = models.CharField(_("issuing body"), max_length=200, unique=True)
    image = models.FileField(_("seal image"), storage=seal_storage, upload_to="seals/")
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("seal")
        verbose_name_plural = _("seals")
        ordering = ["issuer"]

    def __str__(self) -> str:
        return self.issuer
