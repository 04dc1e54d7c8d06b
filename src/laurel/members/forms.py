from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.members.models import Member
from laurel.orgs.forms import UnitPickField
from laurel.web.forms import IdsChoiceField

MAX_ROSTER_BYTES = 10 * 1024 * 1024


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            ".xlsx, .xls or .csv with a header row: 姓名, 性别, 身份证号, 手机号, 单位 "
            "(a unit's code or name), 行业, 职务."
        ),
    )
    unit = UnitPickField(label=_("Unit for rows that name none"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several."),
                code="too_large",
                params={"mb": MAX_ROSTER_BYTES // (1024 * 1024)},
            )
        return upload


class TeamUnitForm(forms.Form):
    unit = UnitPickField(label=_("Which unit does the team represent?"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberChoiceField(IdsChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, member):
        return f"{member.name} · {member.unit.name}"


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return f"{member.name} · {member.unit.name}"


class TeamCreateForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)
    leader = LeaderChoiceField(label=_("Leader"), queryset=Member.objects.none())
    members = MemberChoiceField(label=_("Members"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = candidates
        self.fields["members"].queryset = candidates
