"""Form fields for choosing units by name."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.orgs.selectors import PICK_LIMIT, units_matching
from laurel.orgs.widgets import UnitPicker, UnitQuery


class UnitPickField(forms.ModelChoiceField):
    """A unit chosen with the unit picker, among ``queryset`` (give it the units the person
    may see: ``orgs.policy.units_visible``). A pk outside it is refused, as any choice is.
    Text typed without choosing (no JavaScript) picks the one unit it names."""

    widget = UnitPicker
    default_error_messages = {
        "no_unit": _("No unit you may choose has “%(text)s” in its name."),
        "several_units": _("Several units have “%(text)s” in their name: choose one below."),
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if isinstance(value, UnitQuery):
            ProhibitNullCharactersValidator()(value.text)  # PostgreSQL stores no NUL
            return self._unit_named(value.text)
        return super().to_python(value)

    def _unit_named(self, text: str):
        found = list(units_matching(self.queryset, text, limit=PICK_LIMIT + 1))
        if len(found) == 1:
            return found[0]
        folded = unicodedata.normalize("NFKC", text).strip()
        exact = list(self.queryset.filter(Q(name=folded) | Q(code__iexact=folded))[:2])
        if len(exact) == 1:
            return exact[0]
        code = "several_units" if found else "no_unit"
        raise ValidationError(self.error_messages[code], code=code, params={"text": text})
