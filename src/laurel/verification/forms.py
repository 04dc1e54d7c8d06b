"""Forms of the verification pages. They check the shape of what is typed; the roster match
and the codes are the selectors' and the services'."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laurel.accounts.forms import MobileField
from laurel.core.identity import InvalidIdCard, InvalidMobile, id_card_normalise, mobile_normalise


class MemberVerifyForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50)
    number = forms.CharField(
        label=_("ID-card number or mobile"),
        max_length=30,
        help_text=_("As your union has it on the roster."),
    )

    def clean_number(self) -> tuple[str, str]:
        """``("mobile", 11 digits)`` or ``("id_card", 18 characters)``."""
        text = self.cleaned_data["number"]
        try:
            return "mobile", mobile_normalise(text)
        except InvalidMobile:
            pass
        try:
            return "id_card", id_card_normalise(text)
        except InvalidIdCard:
            raise ValidationError(
                _("Type an 18-character ID-card number or an 11-digit mobile number."),
                code="invalid_number",
            ) from None


class MobileVerifyForm(forms.Form):
    mobile = MobileField(label=_("Mobile"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(_("The code is six digits."), code="invalid_code")
        return code
