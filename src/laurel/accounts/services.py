"""Writes to accounts. Each function is atomic and writes one audit entry per change."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.backends import user_for_login
from laurel.accounts.codes import CodeSendRefused, code_redeem, code_send
from laurel.accounts.models import (
    UNIT_SCOPED_ROLES,
    Invitation,
    LoginLockout,
    OneTimeCode,
    Role,
    RoleGrant,
    User,
    secret_digest,
)
from laurel.accounts.policy import access_for, may_reveal_personal_data_of, mobile_shown_to
from laurel.audit.services import audit_log
from laurel.notifications.services import message_send

# Invitation codes are typed by hand from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def invitation_code_new() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def invitation_code_normalise(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def user_create(
    *,
    acting_user,
    username: str,
    password: str | None,
    display_name: str = "",
    mobile: str | None = None,
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """Create a login. ``password=None`` leaves it unusable (set later by invitation)."""
    user = User(
        username=username,
        display_name=display_name,
        mobile=mobile or None,
        email=email,
        must_change_password=must_change_password,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    audit_log(
        actor=acting_user,
        action="accounts.user.created",
        obj=user,
        data={"username": username, "display_name": display_name, "mobile": mobile or ""},
    )
    return user


@transaction.atomic
def role_grant(*, acting_user, user: User, role: Role, unit=None) -> RoleGrant:
    if role in UNIT_SCOPED_ROLES and unit is None:
        raise ValidationError(_("This role needs a unit."))
    if role == Role.FEDERATION_ADMIN and unit is not None:
        raise ValidationError(_("Federation admins are not limited to a unit."))
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": acting_user}
    )
    if created:
        audit_log(
            actor=acting_user,
            action="accounts.role.granted",
            obj=user,
            unit=unit,
            data={"role": str(role), "unit": unit.code if unit else None},
        )
    return grant


@transaction.atomic
def role_revoke(*, acting_user, grant: RoleGrant) -> None:
    audit_log(
        actor=acting_user,
        action="accounts.role.revoked",
        obj=grant.user,
        unit=grant.unit,
        data={"role": grant.role, "unit": grant.unit.code if grant.unit_id else None},
    )
    grant.delete()


@transaction.atomic
def user_set_active(*, acting_user, user: User, active: bool) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_log(
        actor=acting_user,
        action="accounts.user.activated" if active else "accounts.user.deactivated",
        obj=user,
    )


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    secret: str  # shown once, to the person who issued it; only the digest is stored

    @property
    def path(self) -> str:
        return reverse("accounts:invitation_accept", args=[self.secret])


@transaction.atomic
def invitation_create(
    *,
    acting_user,
    role: Role,
    unit=None,
    name: str = "",
    mobile: str = "",
    email: str = "",
    site_url: str = "",
) -> IssuedInvitation:
    """A one-time link; sent by SMS or e-mail when an address is given."""
    if role in UNIT_SCOPED_ROLES and unit is None:
        raise ValidationError(_("This role needs a unit."))
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        kind=Invitation.Kind.LINK,
        digest=secret_digest(secret),
        role=role,
        unit=unit,
        name=name,
        mobile=mobile,
        email=email,
        created_by=acting_user,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=acting_user,
        action="accounts.invitation.created",
        obj=invitation,
        unit=unit,
        data={"role": str(role), "name": name, "mobile": mobile, "email": email},
    )
    issued = IssuedInvitation(invitation=invitation, secret=secret)
    body = _("You are invited to Laurel as %(role)s. Open %(url)s to set your password.") % {
        "role": invitation.get_role_display(),
        "url": site_url + issued.path,
    }
    if mobile:
        message_send(channel="sms", to=mobile, subject="", body=body, secrets=[secret])
    elif email:
        message_send(
            channel="email",
            to=email,
            subject=_("Invitation to Laurel"),
            body=body,
            secrets=[secret],
        )
    return issued


@transaction.atomic
def invitation_codes_create(*, acting_user, unit, count: int) -> list[str]:
    """A batch of printable member invitation codes for one unit; returned once, never stored."""
    if not 1 <= count <= 500:
        raise ValidationError(_("Between 1 and 500 codes at a time."))
    codes = [invitation_code_new() for _ in range(count)]
    expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS * 4)
    Invitation.objects.bulk_create(
        Invitation(
            kind=Invitation.Kind.CODE,
            digest=secret_digest(code),
            role=Role.MEMBER,
            unit=unit,
            created_by=acting_user,
            expires_at=expires_at,
        )
        for code in codes
    )
    audit_log(
        actor=acting_user,
        action="accounts.invitation.codes_created",
        unit=unit,
        obj=unit,
        data={"count": count},
    )
    return codes


def invitation_find(secret: str) -> Invitation | None:
    """The open invitation for a link token or a typed code, or None."""
    candidates = {secret_digest(secret), secret_digest(invitation_code_normalise(secret))}
    invitation = Invitation.objects.filter(digest__in=candidates).first()
    return invitation if invitation and invitation.is_open else None


class InvitationClosed(ValidationError):
    """The invitation was used, revoked or has expired."""


@transaction.atomic
def invitation_accept(
    *,
    invitation_id: int,
    username: str,
    password: str,
    display_name: str,
    mobile: str | None,
) -> User:
    """Create the invited person's login and grant the role; the invitation is then spent."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if not invitation.is_open:
        raise InvitationClosed(_("This invitation has already been used or has expired."))
    _validate_new_password(
        password, User(username=username, display_name=display_name), roles={invitation.role}
    )
    user = user_create(
        acting_user=None,
        username=username,
        password=password,
        display_name=display_name,
        mobile=mobile,
        email=invitation.email,
    )
    role_grant(
        acting_user=invitation.created_by, user=user, role=invitation.role, unit=invitation.unit
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=user,
        action="accounts.invitation.accepted",
        obj=invitation,
        unit=invitation.unit,
        data={"role": invitation.role},
    )
    return user


@transaction.atomic
def invitation_revoke(*, acting_user, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_log(
        actor=acting_user,
        action="accounts.invitation.revoked",
        obj=invitation,
        unit=invitation.unit,
    )


@transaction.atomic
def member_login_create(
    *, acting_user, unit, username: str, display_name: str, mobile: str | None
) -> tuple[User, str]:
    """A member login made by a unit admin, with a one-off password to hand over.

    The member must choose their own password at first log-in.
    """
    initial_password = invitation_code_new()  # readable off a slip; changed at first log-in
    user = user_create(
        acting_user=acting_user,
        username=username,
        password=initial_password,
        display_name=display_name,
        mobile=mobile,
        must_change_password=True,
    )
    role_grant(acting_user=acting_user, user=user, role=Role.MEMBER, unit=unit)
    return user, initial_password


def _validate_new_password(password: str, user: User, roles=None) -> None:
    """Django's validators plus our policy; ``roles`` for a user whose grants don't exist yet."""
    if roles is not None:
        user.pending_roles = roles  # read by PasswordPolicyValidator
    validate_password(password, user)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    _validate_new_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_log(actor=user, action="accounts.password.changed", obj=user)


@transaction.atomic
def password_reset_request(*, login: str, client_address: str | None = None) -> None:
    """Send a six-digit code (``codes``) to the account's mobile (or e-mail). Says nothing if
    the account is unknown, has neither, or may not have a code now (a code in the last
    minute, a cap reached): the same answer, whoever asks."""
    user = user_for_login(login)
    if user is None or not user.is_active or not (user.mobile or user.email):
        return
    channel, to = ("sms", user.mobile) if user.mobile else ("email", user.email)
    try:
        code_send(
            purpose=OneTimeCode.Purpose.PASSWORD_RESET,
            channel=channel,
            to=to,
            subject=_("Password reset") if channel == "email" else "",
            body=_(
                "Your Laurel password reset code is %(code)s. It expires in %(minutes)d minutes."
            ),
            client_address=client_address,
        )
    except CodeSendRefused:
        return
    audit_log(actor=None, action="accounts.password.reset_requested", obj=user)


class ResetCodeInvalid(ValidationError):
    pass


def password_reset_confirm(*, login: str, code: str, new_password: str) -> User:
    """Check the code and set the password. A wrong code counts against the code's tries.

    Every refusal is one sentence: a reset names an account by what anyone may type, and
    the refusals of ``codes`` (wrong, expired, used, ...) would tell a stranger whether that
    account has a code waiting."""
    invalid = ResetCodeInvalid(_("The code is wrong or has expired. Ask for a new one."))
    with transaction.atomic():
        user = user_for_login(login)
        if user is None or not (user.mobile or user.email):
            raise invalid
        channel, to = ("sms", user.mobile) if user.mobile else ("email", user.email)
        refusal = code_redeem(
            purpose=OneTimeCode.Purpose.PASSWORD_RESET, channel=channel, to=to, code=code
        )
        if refusal is not None:
            audit_log(actor=None, action="accounts.password.reset_code_wrong", obj=user)
            # commit the failed try even though the caller sees an error
        else:
            _validate_new_password(new_password, user)  # raising, the code stays unused
            user.set_password(new_password)
            user.must_change_password = False
            user.save(update_fields=["password", "must_change_password"])
            audit_log(actor=None, action="accounts.password.reset", obj=user)
            axes_reset(username=user.username)  # a proven owner is not kept locked out
            return user
    raise invalid


# --- personal numbers on request ----------------------------------------------------------


@transaction.atomic
def user_numbers_reveal(*, acting_user, user: User) -> str:
    """A person's mobile, whole, for a holder of the personal-data permission who asked for
    it: audited (the entry holds the number masked). Raises ``PermissionDenied`` otherwise."""
    access = access_for(acting_user)
    if not may_reveal_personal_data_of(access, user):
        raise PermissionDenied
    audit_log(
        actor=acting_user,
        action="accounts.personal_data.revealed",
        obj=user,
        data={"mobile": user.mobile or ""},
    )
    return mobile_shown_to(access, user, revealed=True)


@transaction.atomic
def number_search_record(*, acting_user, kind: str, number: str, place: str) -> None:
    """A search by a whole ID-card or mobile number (permission holders only): audited with
    the number masked, whether or not anyone was found."""
    audit_log(
        actor=acting_user,
        action="accounts.personal_data.searched",
        data={kind: number, "place": place},
    )


@transaction.atomic
def login_lockout_record(*, username: str, ip_address: str | None) -> LoginLockout:
    """django-axes has just locked ``username`` for log-ins from ``ip_address``: remembered, so
    the pair's next lockout lasts longer (``accounts.lockout``), and audited."""
    lockout = LoginLockout(username=username, ip_address=ip_address)
    lockout.full_clean()
    lockout.save()
    audit_log(
        actor=None,
        action="accounts.login.locked_out",
        obj=User.objects.filter(username=username).first(),
        data={"username": username},
        ip_address=ip_address,
    )
    return lockout
