"""Forms of the organiser's results pages: the ranking method changed with a reason, an
entry's prize set by hand with a reason, a unit's own prize set by hand with a reason, and
publishing (a correction says what it changes).
Forms only clean input; ``awards.services`` and ``judging.services`` decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.contests.models import Contest, PrizeTier
from laurel.core.ranking import METHODS
from laurel.judging.forms import METHOD_LABELS
from laurel.orgs.forms import UnitPickField


class MethodForm(forms.Form):
    """Rank the final round again by another method; the reason is recorded and shown."""

    method = forms.ChoiceField(
        label=_("Ranking method"),
        choices=[(name, METHOD_LABELS.get(name, name)) for name in METHODS],
    )
    reason = forms.CharField(
        label=_("Why this method"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded and shown on the results page."),
    )


class PrizeTierField(forms.ModelChoiceField):
    def label_from_instance(self, tier: PrizeTier) -> str:
        return tier.name


class AwardForm(forms.Form):
    """An entry's prize by hand: one of the contest's tiers for entries or none, and why."""

    for_units = False  # which of the contest's tiers it offers
    reason_help = _("Recorded with the change and shown in the prize history.")

    tier = PrizeTierField(
        label=_("Prize"),
        queryset=PrizeTier.objects.none(),
        required=False,
        empty_label=_("No prize"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = contest.prize_tiers.filter(
            for_units=self.for_units
        ).order_by("position", "pk")
        self.fields["reason"].help_text = self.reason_help


class UnitAwardForm(AwardForm):
    """A unit's own prize by hand (优秀组织奖): the unit, one of the contest's tiers for units
    or none (the prize taken away), and why."""

    for_units = True
    reason_help = _("Recorded with the change and shown beside the prize.")

    unit = UnitPickField(label=_("Unit"))
    field_order = ["unit", "tier", "reason"]

    def __init__(self, *args, contest: Contest, units, **kwargs):
        super().__init__(*args, contest=contest, **kwargs)
        self.fields["unit"].queryset = units


class PublishForm(forms.Form):
    """Publishing the results; once a version is out, a new one is a correction and says why."""

    reason = forms.CharField(
        label=_("What this correction changes"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Published with the new version."),
    )

    def __init__(self, *args, correction: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.correction = correction
        self.fields["reason"].required = correction
        if not correction:
            del self.fields["reason"]


class SealForm(forms.Form):
    """An issuing body's seal: its name as certificates print it, and the image (checked by
    content in ``awards.services.seal_upload``)."""

    issuer = forms.CharField(
        label=_("Issuing body"),
        max_length=200,
        help_text=_(
            "Exactly as the certificates print it: the contest's certificate issuer, "
            "else its organiser."
        ),
        widget=forms.TextInput(attrs={"list": "seal-issuers", "autocomplete": "off"}),
    )
    image = forms.FileField(
        label=_("Seal image"),
        help_text=_(
            "A PNG with a transparent background, at least 200 pixels across, at most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )
