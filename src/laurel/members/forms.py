from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.members.models import Member, Team
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
    """Members ticked by id among ``queryset`` (the unit's subtree); the page lists the ones
    a search found, with their numbers masked."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, member):
        return f"{member.name} · {member.unit.name}"


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return f"{member.name} · {member.unit.name}"


KIND_SUGGESTIONS = ("广播体操队", "参赛队")  # offered beside the kinds teams already have


class KindInput(forms.TextInput):
    """A team's kind typed freely, the kinds in use offered as one types (``<datalist>``)."""

    template_name = "members/widgets/kind_input.html"

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-kinds"
        context["kinds"] = self.kinds
        return context


def kind_field(kinds) -> forms.CharField:
    return forms.CharField(
        label=_("Kind"),
        max_length=Team._meta.get_field("kind").max_length,
        required=False,
        help_text=Team._meta.get_field("kind").help_text,
        widget=KindInput(kinds=sorted({*KIND_SUGGESTIONS, *kinds})),
    )


class TeamCreateForm(forms.Form):
    """A new team: its name and kind, its members ticked among those a search found, and its
    leader among them (the leader joins even if not ticked)."""

    name = forms.CharField(label=_("Team name"), max_length=100)
    leader = LeaderChoiceField(
        label=_("Leader"), queryset=Member.objects.none(), widget=forms.RadioSelect
    )
    members = MemberChoiceField(label=_("Members"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, candidates, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = kind_field(kinds)
        self.order_fields(["name", "kind", "leader", "members"])
        self.fields["leader"].queryset = candidates
        self.fields["members"].queryset = candidates


class TeamEditForm(forms.Form):
    """A team's name, kind and leader (one of its members); members change on its page."""

    name = forms.CharField(label=_("Team name"), max_length=100)
    leader = LeaderChoiceField(label=_("Leader"), queryset=Member.objects.none())

    def __init__(self, *args, team: Team, kinds=(), **kwargs):
        kwargs.setdefault(
            "initial", {"name": team.name, "kind": team.kind, "leader": team.leader_id}
        )
        super().__init__(*args, **kwargs)
        self.fields["kind"] = kind_field(kinds)
        self.order_fields(["name", "kind", "leader"])
        self.fields["leader"].queryset = team.members.select_related("unit").order_by("name")


class TeamMembersAddForm(forms.Form):
    members = MemberChoiceField(label=_("Add to the team"), queryset=Member.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class TeamImportForm(forms.Form):
    file = forms.FileField(
        label=_("Team sheet"),
        help_text=_(
            ".xlsx, .xls or .csv with a header row: 姓名 and 身份证号 or 手机号 (or both); "
            "队长 optional."
        ),
    )
    unit = UnitPickField(label=_("The team's unit"))
    name = forms.CharField(
        label=_("Team name"),
        max_length=100,
        help_text=_("A team of this name in the unit is added to; otherwise it is made."),
    )

    def __init__(self, *args, units, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["kind"] = kind_field(kinds)
        self.fields["kind"].help_text = _(
            "A new team's kind; blank: none. An existing team keeps its own."
        )

    clean_file = MemberImportForm.clean_file
