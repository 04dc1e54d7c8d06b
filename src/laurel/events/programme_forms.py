"""Forms of a performance's programme: an act (its title, kind, performers, duration and
notes) and an act's new number. Forms only clean input; ``events.services`` decides and
writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.core.durations import DurationInvalid, clock, duration_parse
from laurel.events.forms import InviteesField
from laurel.events.models import Act
from laurel.members.models import Member, Team
from laurel.web.forms import IdsChoiceField

# What the kind field suggests (a list the organiser may type past).
ACT_KINDS = (
    _("Song and dance"),  # 歌伴舞
    _("Poetry recital"),  # 诗朗诵
    _("Dance"),  # 舞蹈
    _("Acrobatics"),  # 杂技
    _("Comic sketch"),  # 小品
    _("Magic"),  # 魔术
    _("Solo singing"),  # 独唱
    _("Chorus"),  # 合唱
    _("Instrumental music"),  # 器乐
)
KINDS_LIST_ID = "act-kinds"  # the page's <datalist> of ACT_KINDS


class DurationField(forms.CharField):
    """How long an act lasts, typed as minutes and seconds (``4:30``) or whole minutes
    (``4``); cleaned into seconds (``core.durations``) and shown as ``mm:ss``."""

    default_error_messages = {
        "format": _(
            "Type the duration as minutes and seconds, such as 4:30, or as whole minutes, "
            "such as 4."
        ),
        "zero": _("The duration must be more than nothing: at least a second."),
        "too_long": _("An act lasts at most %(hours)d hours."),
    }

    TYPED_MAX = 10  # characters: "1:05:00" and some room

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.TYPED_MAX)}

    def prepare_value(self, value):
        return clock(value) if isinstance(value, int) else value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > self.TYPED_MAX:
            raise forms.ValidationError(self.error_messages["format"], code="format")
        try:
            return duration_parse(text, longest=Act.DURATION_MAX)
        except DurationInvalid as invalid:
            raise forms.ValidationError(
                self.error_messages[invalid.code],
                code=invalid.code,
                params={"hours": Act.DURATION_MAX // 3600},
            ) from None


class TeamsField(IdsChoiceField):
    """Teams ticked by id, each named with its unit."""

    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} · {obj.unit.name}"


class ActForm(forms.Form):
    """An act of the programme. ``teams`` and ``members``: those the organiser may choose as
    performers (of the event's organiser unit's subtree, as far as the organiser reaches)."""

    title = forms.CharField(label=_("Title"), max_length=200)  # Act.title
    kind = forms.CharField(
        label=_("Kind"),
        max_length=50,  # Act.kind
        required=False,
        widget=forms.TextInput(attrs={"list": KINDS_LIST_ID, "autocomplete": "off"}),
    )
    duration = DurationField(
        label=_("Duration"),
        widget=forms.TextInput(attrs={"placeholder": "4:30", "class": "duration-input"}),
        help_text=_("Minutes and seconds, such as 4:30, or whole minutes, such as 4."),
    )
    teams = TeamsField(
        label=_("Performing teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    members = InviteesField(
        label=_("Performing members"),
        required=False,
        help_text=_(
            "One person a line: by whole ID number, by name, or by name and the masked ID "
            "number shown here."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    guests = forms.CharField(
        label=_("Guest performers"),
        max_length=300,  # Act.guests
        required=False,
        help_text=_("Troupes or people from outside, by name; separate several with 、."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, teams=None, members=None, act: Act | None = None, **kwargs):
        if act is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": act.title,
                    "kind": act.kind,
                    "duration": act.duration_seconds,
                    "teams": list(act.teams.all()),
                    "members": list(act.members.order_by("name", "pk")),
                    "guests": act.guests,
                    "notes": act.notes,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams if teams is not None else Team.objects.none()
        self.fields["members"].members = members if members is not None else Member.objects.none()

    def for_service(self) -> dict:
        """The act as ``services.act_save`` takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "duration_seconds": data["duration"],
            "teams": list(data["teams"]),
            "members": data["members"],
            "guests": data["guests"],
            "notes": data["notes"],
        }


class ActMoveForm(forms.Form):
    """An act's new number in the programme (the service checks it is 1 … n)."""

    position = forms.IntegerField(
        label=_("Move to number"),
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "position-input"}),
    )
