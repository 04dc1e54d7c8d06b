"""Forms of the organisers' event pages: an event's settings with its parts (units invited,
the invitation list, quotas, questions) and cover image, its booths and their time slots.
And the registering person's answers to the organiser's questions (``AnswersForm``). Forms
only clean input; ``events.services`` decides and writes."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.contests.forms import DateTimeLocalInput
from laurel.core.identity import InvalidIdCard, id_card_mask, id_card_normalise
from laurel.events.models import Event, Question
from laurel.events.services import EVENT_FIELDS
from laurel.members.models import Member
from laurel.orgs.forms import UnitPickField
from laurel.orgs.models import Unit
from laurel.web.forms import COLUMN_INTEGER_MAX, minute_kept, textarea_lines
from laurel.web.rows import CountField, RowForm, RowsField, RowsFormMixin
from laurel.web.zones import times_help

EVENT_TIMES = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
EVENT_FIELDSETS = (
    (
        _("The event"),
        ("slug", "kind", "title", "description", "cover_upload", "cover_remove", "venue"),
    ),
    (_("When"), ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")),
    (_("Who may come"), ("unit", "audience", "audience_units", "invitees")),
    (
        _("Registration"),
        (
            "members_register",
            "teams_register",
            "capacity",
            "quotas",
            "waiting_list",
            "offer_hours",
            "questions",
        ),
    ),
    (_("A course and its showcase"), ("completion_percent", "showcase_of")),
)


class AudienceUnitRow(RowForm):
    """A unit whose whole subtree may register, chosen by name among ``units``."""

    unit = UnitPickField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def row_value(self):
        return self.cleaned_data["unit"]

    @classmethod
    def row_initial(cls, value) -> dict:
        return {"unit": value}


class QuotaRow(AudienceUnitRow):
    """A unit and the most people its whole subtree sends."""

    places = CountField(label=_("People (at most)"))

    def row_value(self) -> tuple:
        return self.cleaned_data["unit"], self.cleaned_data["places"]

    @classmethod
    def row_initial(cls, value) -> dict:
        unit, places = value
        return {"unit": unit, "places": places}


class QuestionRow(RowForm):
    """An organiser's question: ``(text, kind, choices one per line, required)``."""

    text = forms.CharField(label=_("Question"), max_length=200)  # Question.text
    kind = forms.ChoiceField(label=_("Answer"), choices=Question.Kind.choices, initial="text")
    choices = forms.CharField(
        label=_("Choices (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 18}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)

    def row_value(self) -> tuple:
        data = self.cleaned_data
        lines = [line for _number, line in textarea_lines(data["choices"])]
        choices = "\n".join(lines) if data["kind"] == Question.Kind.CHOICE else ""
        return data["text"], data["kind"], choices, data["required"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Question.Kind.CHOICE and not any(
            textarea_lines(cleaned.get("choices") or "")
        ):
            self.add_error("choices", _("give the choices, one per line"))
        return cleaned


def question_rows(event: Event) -> list[tuple]:
    """An event's questions as the rows editor shows them."""
    return [
        (question.text, question.kind, question.choices, question.required)
        for question in event.questions.order_by("order", "pk")
    ]


class InviteesField(forms.CharField):
    """The invitation list: one person a line, by a whole ID number, by name, or by name and
    the masked ID number the pages show ("李明 500101********123X"), found among ``members``
    (the members the organiser may see). Cleaned into the members; a line that finds no one,
    or several, is refused naming its number."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, *, members=None, **kwargs):
        self.members = members if members is not None else Member.objects.none()
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(invitee_line(member) for member in value)
        return value

    def clean(self, value) -> list[Member]:
        text = super().clean(value)
        found: dict[int, Member] = {}
        problems = []
        for number, line in textarea_lines(text):
            member, problem = self._member_of(line)
            if problem:
                problems.append(
                    forms.ValidationError(
                        _("Line %(number)d: %(problem)s"),
                        code="invitee",
                        params={"number": number, "problem": problem},
                    )
                )
            else:
                found.setdefault(member.pk, member)
        if problems:
            raise forms.ValidationError(problems)
        return list(found.values())

    def _member_of(self, line: str) -> tuple[Member | None, str]:
        text = unicodedata.normalize("NFKC", line).strip()
        try:
            number = id_card_normalise(text)
        except InvalidIdCard:
            number = None
        if number is not None:
            member = self.members.filter(id_card=number).first()
            if member is None:
                return None, str(
                    _("no member you may see has the ID number %(number)s")
                    % {"number": id_card_mask(number)}
                )
            return member, ""
        name, _space, masked = text.rpartition(" ")
        if name and "*" in masked:
            named = self.members.filter(name=name.strip())
            people = [member for member in named if member.id_card_masked == masked]
        else:
            name = text
            people = list(self.members.filter(name=name)[:2])
        if not people:
            return None, str(_("no member you may see is called %(name)s") % {"name": name})
        if len(people) > 1:
            return None, str(
                _("several members are called %(name)s: give the ID number") % {"name": name}
            )
        return people[0], ""


def invitee_line(member: Member) -> str:
    """How the invitation list shows a member: their name and masked ID number."""
    return f"{member.name} {member.id_card_masked}"


class EventForm(RowsFormMixin, forms.ModelForm):
    """Every setting of an event, its units invited, invitation list, quotas and questions as
    parts, and its cover image (uploaded into the media pipeline by the view). ``units``: the
    units the person may choose (``orgs.policy.units_visible``); ``members``: the people they
    may invite (``members.policy.members_visible``); ``courses``: the courses a performance may
    be the showcase of (those the person organises)."""

    unit = UnitPickField(label=_("Organiser"), queryset=Unit.objects.none())
    cover_upload = forms.FileField(
        label=_("Cover image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("A photo, JPEG or PNG; it is checked and resized as photos are."),
    )
    cover_remove = forms.BooleanField(label=_("Remove the cover image"), required=False)
    audience_units = RowsField(
        AudienceUnitRow,
        unique="unit",
        label=_("Units invited"),
        required=False,
        help_text=_("For “members of some units”: each unit's whole subtree may register."),
    )
    invitees = InviteesField(
        label=_("People invited"),
        required=False,
        help_text=_(
            "For “invited people only”: one person a line, by whole ID number, by name, or "
            "by name and the masked ID number shown here."
        ),
    )
    quotas = RowsField(
        QuotaRow,
        unique="unit",
        label=_("Unit quotas"),
        required=False,
        help_text=_("The most people from a unit's whole subtree. No rows: no quotas."),
    )
    questions = RowsField(
        QuestionRow,
        label=_("Registration questions"),
        required=False,
        help_text=_("Asked of everyone who registers; the answers go into the export."),
    )

    class Meta:
        model = Event
        fields = ("slug", *(name for name in EVENT_FIELDS if name != "cover"))
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "audience": forms.RadioSelect,
            **{name: DateTimeLocalInput() for name in EVENT_TIMES},
        }

    def __init__(self, *args, units=None, members=None, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else Unit.objects.none()
        # a performance showing a course's work: a course this person organises
        showcase_of = self.fields["showcase_of"]
        showcase_of.queryset = courses if courses is not None else Event.objects.none()
        showcase_of.help_text = _("A performance: the course whose members' work it shows.")
        self.fields["completion_percent"].widget.attrs.update(min=1, max=100)  # the model's
        self.fields["unit"].queryset = units
        self.fields["audience_units"].row_kwargs = {"units": units}
        self.fields["quotas"].row_kwargs = {"units": units}
        self.fields["invitees"].members = members if members is not None else Member.objects.none()
        zone = times_help()
        for name in EVENT_TIMES:
            self.fields[name].help_text = zone
        event = self.instance
        if event.pk is None:
            del self.fields["cover_remove"]
            return
        del self.fields["slug"]  # the event's address never changes
        if event.cover_id is None:
            del self.fields["cover_remove"]
        self.initial.update(
            audience_units=list(event.audience_units.order_by("path")),
            invitees=[
                invitee.member
                for invitee in event.invitees.select_related("member").order_by(
                    "member__name", "member__pk"
                )
            ],
            quotas=[(quota.unit, quota.places) for quota in event.quotas.select_related("unit")],
            questions=question_rows(event),
        )

    def fieldsets(self):
        """(legend, bound fields) in the order the page shows them."""
        for legend, names in EVENT_FIELDSETS:
            yield legend, [self[name] for name in names if name in self.fields]

    def clean_starts_at(self):
        return minute_kept(self, "starts_at")

    def clean_ends_at(self):
        return minute_kept(self, "ends_at")

    def clean_registration_opens_at(self):
        return minute_kept(self, "registration_opens_at")

    def clean_registration_closes_at(self):
        return minute_kept(self, "registration_closes_at")

    def clean(self):
        cleaned = super().clean()
        for start, end, problem in (
            ("starts_at", "ends_at", _("The event must end after it starts.")),
            (
                "registration_opens_at",
                "registration_closes_at",
                _("Registration must close after it opens."),
            ),
        ):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] <= cleaned[start]:
                self.add_error(end, problem)
        audience = cleaned.get("audience")
        if audience == Event.Audience.UNITS and cleaned.get("audience_units") == []:
            self.add_error("audience_units", _("Choose the units whose members may come."))
        if audience == Event.Audience.INVITED and cleaned.get("invitees") == []:
            self.add_error("invitees", _("Name the people invited, one a line."))
        return cleaned

    def parts(self) -> dict:
        """The event's parts as ``events.services`` takes them: the units invited and the
        invitation list only for the audience that uses them (emptied otherwise)."""
        data = self.cleaned_data
        audience = data["audience"]
        return {
            "audience_units": data["audience_units"] if audience == Event.Audience.UNITS else [],
            "invitees": data["invitees"] if audience == Event.Audience.INVITED else [],
            "quotas": data["quotas"],
            "questions": data["questions"],
        }

    def fields_for_service(self) -> dict:
        """The event's own fields (``EVENT_FIELDS`` but the cover) as cleaned."""
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS if name in self.cleaned_data}


# --- booths and slots ----------------------------------------------------------------------


class BoothForm(forms.Form):
    """A booth's (or session's) name and what it offers."""

    name = forms.CharField(label=_("Name"), max_length=100)  # Booth.name
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SlotForm(forms.Form):
    """A time slot of a booth: when (the page says in which time zone: ``times_help``), and
    how many places."""

    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeLocalInput())
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=0,
        max_value=COLUMN_INTEGER_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "places-input"}),
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A slot ends after it starts."))
        return cleaned


# --- a registration's answers ----------------------------------------------------------------

QUESTION_PREFIX = "question_"  # the field of each question: question_<pk>
ANSWER_TEXT_MAX = 1000  # as services.answers_check keeps them


class AnswersForm(forms.Form):
    """The organiser's registration questions: one field ``question_<pk>`` each, in their
    order. The form checks the answers' shape; ``services.answers_check`` has the last word
    when the registration is made."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = _question_field(question)

    def answers(self) -> dict[str, str]:
        """The answers as ``services.registration_create`` takes them: the question's pk (as
        text) → what was given ("" for nothing)."""
        return {
            str(question.pk): self.cleaned_data.get(f"{QUESTION_PREFIX}{question.pk}") or ""
            for question in self.questions
        }


def _question_field(question: Question) -> forms.Field:
    label, required = question.text, question.required
    if question.kind == Question.Kind.YES_NO:
        choices = [("yes", _("Yes")), ("no", _("No"))]
        return forms.ChoiceField(
            label=label, required=required, choices=choices, widget=forms.RadioSelect
        )
    if question.kind == Question.Kind.CHOICE:
        choices = [(choice, choice) for choice in question.choice_list]
        return forms.ChoiceField(
            label=label, required=required, choices=choices, widget=forms.RadioSelect
        )
    widget = forms.Textarea(attrs={"rows": 2})
    return forms.CharField(
        label=label, required=required, max_length=ANSWER_TEXT_MAX, widget=widget
    )


# --- the gate and its staff ---------------------------------------------------------------------


class StaffAddForm(forms.Form):
    """An organiser gives the event's gate to a check-in staff login, by its username."""

    username = forms.CharField(label=_("Username of a check-in staff login"), max_length=150)


class PersonAtGateForm(forms.Form):
    """A person asked for at the gate: their name and the last four digits of their mobile
    (a lost ticket, a walk-in) — nothing more of any number."""

    name = forms.CharField(label=_("Name"), max_length=50)
    mobile_last4 = forms.RegexField(
        label=_("Last four digits of the mobile"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("Type the last four digits of the mobile.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


# --- a course's classes ------------------------------------------------------------------------


class ClassForm(forms.Form):
    """One class of a course (``CourseSession``): what it teaches, when (in the display time
    zone: ``times_help``), where — blank for the course's venue — and who teaches it.
    ``services.session_save`` has the last word: a class with attendance keeps its times."""

    topic = forms.CharField(label=_("Topic"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeLocalInput())
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Leave it blank for the course's venue."),
    )
    teacher = forms.CharField(label=_("Teacher"), max_length=100, required=False)

    def clean_starts_at(self):
        return minute_kept(self, "starts_at")

    def clean_ends_at(self):
        return minute_kept(self, "ends_at")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The class must end after it starts."))
        return cleaned
