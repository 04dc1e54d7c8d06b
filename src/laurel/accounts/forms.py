"""Forms for log-in, invitations and password changes. They validate input; services write."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laurel.accounts.models import Role, User
from laurel.accounts.validators import password_policy_help
from laurel.core.identity import InvalidMobile, mobile_normalise
from laurel.orgs.forms import UnitPickField


class MobileField(forms.CharField):
    """A mainland mobile; +86, spaces and dashes tolerated, stored as 11 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return mobile_normalise(value)
        except InvalidMobile:
            raise ValidationError(
                _("%(value)s is not a mainland 11-digit mobile number."),
                params={"value": value},
                code="invalid_mobile",
            ) from None


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or mobile"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The username, mobile or password is wrong."),
        "inactive": _("This account is disabled."),
    }


class NewPasswordMixin(forms.Form):
    """Two password fields that must agree; strength is checked by the service."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_policy_help()

    def clean_password2(self):
        if self.cleaned_data.get("password1") != self.cleaned_data.get("password2"):
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        return self.cleaned_data["password2"]


class InvitationAcceptForm(NewPasswordMixin):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    display_name = forms.CharField(label=_("Your name"), max_length=100)
    mobile = MobileField(label=_("Mobile"), required=False)

    field_order = ["username", "display_name", "mobile", "password1", "password2"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."), code="username_taken")
        return username

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"]
        if mobile and User.objects.filter(mobile=mobile).exists():
            raise ValidationError(_("This mobile belongs to another account."), code="mobile_taken")
        return mobile


class InvitationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"), max_length=20, widget=forms.TextInput(attrs={"autofocus": True})
    )


class PasswordResetRequestForm(forms.Form):
    login = forms.CharField(label=_("Username or mobile"), max_length=150)


class PasswordResetConfirmForm(NewPasswordMixin):
    login = forms.CharField(label=_("Username or mobile"), max_length=150)
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    field_order = ["login", "code", "password1", "password2"]


class PasswordChangeForm(NewPasswordMixin):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "password1", "password2"]

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise ValidationError(_("The current password is wrong."), code="password_incorrect")
        return self.cleaned_data["old_password"]


class InvitationCreateForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitPickField(label=_("Unit"), required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    mobile = MobileField(label=_("Mobile"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, roles: list[Role], units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in (Role.UNIT_ADMIN, Role.MEMBER) and not cleaned.get("unit"):
            self.add_error("unit", _("This role needs a unit."))
        return cleaned


class InvitationCodesForm(forms.Form):
    unit = UnitPickField(label=_("Unit"))
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=500, initial=20)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberLoginForm(forms.Form):
    unit = UnitPickField(label=_("Unit"))
    username = InvitationAcceptForm.base_fields["username"]
    display_name = forms.CharField(label=_("Name"), max_length=100)
    mobile = MobileField(label=_("Mobile"), required=False)

    clean_username = InvitationAcceptForm.clean_username
    clean_mobile = InvitationAcceptForm.clean_mobile

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitPickField(
        label=_("Unit"),
        required=False,
        help_text=_("Personal data without a unit means: everywhere."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
