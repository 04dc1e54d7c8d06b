"""Validators for account fields and the configurable password policy."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurel.core.identity import InvalidMobile, mobile_normalise
from laurel.core.passwords import PasswordRule


def validate_mobile(value: str) -> None:
    try:
        normalised = mobile_normalise(value)
    except InvalidMobile:
        raise ValidationError(
            _("%(value)s is not a mainland 11-digit mobile number."),
            code="invalid_mobile",
            params={"value": value},
        ) from None
    if normalised != value:
        raise ValidationError(_("Store mobiles normalised (11 digits)."), code="not_normalised")


class PasswordPolicyValidator:
    """等保 2.0 level 2 by default: staff and judges need length and a mix of classes.

    The rule depends on the user's roles: holders of a staff role (federation admin, unit
    admin, judge) get the staff rule, everyone else the member rule.
    """

    def __init__(
        self,
        staff_min_length: int = 8,
        staff_min_classes: int = 3,
        member_min_length: int = 8,
        member_min_classes: int = 2,
    ):
        self.staff_rule = PasswordRule(staff_min_length, staff_min_classes)
        self.member_rule = PasswordRule(member_min_length, member_min_classes)

    def rule_for(self, user) -> PasswordRule:
        from laurel.accounts.models import STAFF_ROLES, RoleGrant

        roles = getattr(user, "pending_roles", None)
        if roles is None:
            roles = set()
            if user is not None and user.pk:
                roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        return self.staff_rule if set(roles) & STAFF_ROLES else self.member_rule

    def validate(self, password: str, user=None) -> None:
        rule = self.rule_for(user)
        errors = []
        for problem in rule.problems(password):
            if problem == "too_short":
                errors.append(
                    ValidationError(
                        ngettext(
                            "The password needs at least %(n)d character.",
                            "The password needs at least %(n)d characters.",
                            rule.min_length,
                        )
                        % {"n": rule.min_length},
                        code="password_too_short",
                    )
                )
            else:
                errors.append(
                    ValidationError(
                        _(
                            "The password needs at least %(n)d of: capital letters, small "
                            "letters, digits, symbols."
                        )
                        % {"n": rule.min_classes},
                        code="password_too_few_classes",
                    )
                )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _(
            "Staff and judges: at least %(staff_length)d characters with %(staff_classes)d of "
            "capital letters, small letters, digits and symbols. Members: at least "
            "%(member_length)d characters with %(member_classes)d of them."
        ) % {
            "staff_length": self.staff_rule.min_length,
            "staff_classes": self.staff_rule.min_classes,
            "member_length": self.member_rule.min_length,
            "member_classes": self.member_rule.min_classes,
        }


def password_policy_help() -> str:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("PasswordPolicyValidator"):
            return PasswordPolicyValidator(**validator.get("OPTIONS", {})).get_help_text()
    return ""
