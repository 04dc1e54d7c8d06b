"""People who log in, what roles they hold, and the one-time secrets that let them in."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from laurel.accounts.validators import validate_mobile
from laurel.core.identity import mobile_mask


def secret_digest(secret: str) -> str:
    """Invitation tokens and codes are stored only as an HMAC-SHA256 keyed by the secret
    key: a digest cannot be reversed by trying every token (one-time codes: ``keyed_hashes``)."""
    return salted_hmac("laurel.accounts.secret", secret, algorithm="sha256").hexdigest()


class Role(models.TextChoices):
    FEDERATION_ADMIN = "federation_admin", _("Federation admin")
    UNIT_ADMIN = "unit_admin", _("Unit admin")
    JUDGE = "judge", _("Judge")
    MEMBER = "member", _("Member")
    # Not a job but a permission: the only thing that shows ID-card and phone numbers whole.
    PERSONAL_DATA = "personal_data", _("Personal data")
    # A login for the day at a gate: scans the tickets of the events it is given, nothing else.
    CHECKIN_STAFF = "checkin_staff", _("Check-in staff")


# Roles whose holders must meet the staff password policy. Check-in staff are among them
# although they never see the console: their login shows ticket holders' names and finds a
# lost ticket by name and mobile digits, on a phone passed between volunteers at a gate —
# more eyes on it than on a member's own, so the stronger rule (one more character class).
STAFF_ROLES = frozenset({Role.FEDERATION_ADMIN, Role.UNIT_ADMIN, Role.JUDGE, Role.CHECKIN_STAFF})
# Roles that are scoped to a unit's subtree and so need a unit.
UNIT_SCOPED_ROLES = frozenset({Role.UNIT_ADMIN, Role.MEMBER})


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    mobile = models.CharField(
        _("mobile"),
        max_length=11,
        unique=True,
        null=True,  # absent mobiles are NULL so they never collide
        blank=True,
        validators=[validate_mobile],
        help_text=_("Mainland mobile number; can be used to log in."),
    )
    must_change_password = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def mobile_masked(self) -> str:
        return mobile_mask(self.mobile) if self.mobile else ""

    @cached_property
    def access(self):
        """What this user may do, computed once per request from their role grants."""
        from laurel.accounts.policy import access_for

        return access_for(self)


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        help_text=_("Unit admins and members: the subtree. Judges: their own unit (conflicts)."),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="grant_unique"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True),
                name="grant_unique_unscoped",
            ),
        ]

    def __str__(self) -> str:
        role = self.get_role_display()
        return f"{role} · {self.unit}" if self.unit_id else str(role)


class Invitation(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", _("One-time link")
        CODE = "code", _("Invitation code")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.name or self.pk}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class OneTimeCode(models.Model):
    """A six-digit code sent to a mobile (or e-mail) to prove it is theirs: a password reset,
    or a person verified without an account (``laurel.verification``). See ``codes``.

    Stored as keyed hashes only (``keyed_hashes``): the code, the number it went to and the
    address of the client that asked for it. Rows are kept a day or two after their code is
    gone: the daily caps count them and a replayed code is recognised by them.
    """

    class Purpose(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("Password reset")
        VERIFICATION = "verification", _("Verification")

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    recipient_hash = models.CharField(max_length=64)  # identity_hash of the mobile or e-mail
    client_hash = models.CharField(max_length=64, blank=True)  # identity_hash of the address
    digest = models.CharField(max_length=64)  # code_digest(purpose, code)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)  # a newer code was sent
    failed_tries = models.PositiveSmallIntegerField(default=0)
    tries_allowed = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient_hash", "created_at"]),
            models.Index(fields=["client_hash", "created_at"]),
            models.Index(fields=["purpose", "digest"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} code of {self.created_at:%Y-%m-%d %H:%M}"


class LoginLockout(models.Model):
    """One time an account was locked for log-ins from one address (django-axes counts the
    failures). How many a pair had lately sets how long its next lockout lasts."""

    username = models.CharField(max_length=255)  # axes' name: the account's, or what was typed
    ip_address = models.GenericIPAddressField(null=True)
    locked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["username", "ip_address", "locked_at"])]
        ordering = ["-locked_at"]

    def __str__(self) -> str:
        return f"{self.username} locked at {self.locked_at:%Y-%m-%d %H:%M}"
