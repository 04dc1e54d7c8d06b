"""Forms for the organiser's round console: a new round, a seat on its panel, a review moved
by hand. Forms only clean input (codes into units, rows into criteria); services decide and
write."""

import unicodedata
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.accounts.models import User
from laurel.contests.forms import DateTimeLocalInput
from laurel.contests.models import Contest
from laurel.core import scores as core_scores
from laurel.core.ranking import METHODS
from laurel.judging import modes
from laurel.judging.models import (
    COMBINE_CHOICES,
    ROUNDING_CHOICES,
    SEAT_ROLES,
    Assignment,
    Criterion,
    Round,
)
from laurel.orgs.forms import UnitPickField
from laurel.orgs.models import Unit
from laurel.web.forms import COLUMN_INTEGER_MAX, IdsChoiceField, textarea_lines
from laurel.web.rows import CountField, RowForm, RowsField, RowsFormMixin
from laurel.web.zones import times_help

DEFAULT_SCALE = (1, 10)
SMALL_INTEGER_MAX = 32_767  # a PositiveSmallIntegerField on PostgreSQL
SCORE_BOUND_MAX = 1000  # a criterion's highest score (a total of 100 is the usual most)
NO_DEADLINE_HELP = _(
    "Empty: no deadline — the round ends when you close it "
    "(a live round: when its last entry is confirmed)."
)
METHOD_LABELS = {
    "calibrated": _("Calibrated: each judge's severity and spread corrected (recommended)"),
    "mean": _("Mean of the scores"),
    "trimmed": _("Trimmed mean: the highest and lowest score dropped"),
    "zscore": _("Standardised per judge (z-scores)"),
}


class ScoreBoundField(forms.DecimalField):
    """A score's bound or step as people type it: full-width characters folded (NFKC) and the
    ideographic full stop ``。`` read as the decimal point, as ``core.scores`` reads a score;
    up to two decimal places (``judging.models.ScoreField``)."""

    default_error_messages = {
        "invalid": _("must be a number, such as 9.5"),
        "min_value": _("must be at least %(limit_value)s"),
        "max_value": _("must be at most %(limit_value)s"),
        "max_decimal_places": _("at most %(max)s decimal places, please"),
        "max_whole_digits": _("at most %(max)s digits before the decimal point, please"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 5}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip().replace("。", ".")
        return super().to_python(value)


# What ``core.scores.criterion_problems`` finds, as the row field it is shown on and a message
# naming the criterion (a field of None: the row as a whole).
CRITERION_PROBLEMS = {
    "not_a_number": (None, _("“%(name)s” needs numbers for its scale and its step.")),
    "low_not_below_high": (
        "high",
        _("“%(name)s” needs a highest score above its lowest, %(low)s."),
    ),
    "step_not_positive": ("step", _("“%(name)s” needs a step above 0.")),
    "range_off_step": (
        "step",
        _(
            "“%(name)s” cannot go from %(low)s to %(high)s in steps of %(step)s: "
            "the range must be a whole number of steps."
        ),
    ),
    "weight_not_positive": ("weight", _("“%(name)s” needs a weight of 1 or more.")),
}


class CriterionRow(RowForm):
    """One criterion of a scoring round: its name, its weight, its scale (decimals allowed)
    and its step. The scale must be a whole number of steps, as ``core.scores`` rules."""

    name = forms.CharField(
        label=_("Criterion"), max_length=Criterion._meta.get_field("name").max_length
    )
    weight = CountField(label=_("Weight"), max_value=SMALL_INTEGER_MAX)
    low = ScoreBoundField(
        label=_("Lowest score"),
        min_value=0,
        max_value=SCORE_BOUND_MAX,
        initial=DEFAULT_SCALE[0],
    )
    high = ScoreBoundField(
        label=_("Highest score"),
        min_value=0,
        max_value=SCORE_BOUND_MAX,
        initial=DEFAULT_SCALE[1],
    )
    step = ScoreBoundField(
        label=_("Step"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=SCORE_BOUND_MAX,
        help_text=_("1, 0.5, 0.1, 0.05 or 0.01; empty: 1"),
    )

    def clean(self):
        data = super().clean()
        if "step" in data and data["step"] is None:
            data["step"] = Decimal(1)
        name, weight = data.get("name"), data.get("weight") or 1  # a bad weight says so itself
        low, high, step = data.get("low"), data.get("high"), data.get("step")
        if None in (name, low, high, step):
            return data  # a field already refused: its own error says why
        criterion = core_scores.Criterion(name, name, low, high, step, weight)
        params = {"name": name, "low": low, "high": high, "step": step}
        for code in core_scores.criterion_problems(criterion):
            field, message = CRITERION_PROBLEMS[code]
            self.add_error(field, forms.ValidationError(message, code=code, params=params))
        return data


def _unit_codes(text: str) -> list[str]:
    return [unicodedata.normalize("NFKC", line).strip() for _number, line in textarea_lines(text)]


class RoundForm(RowsFormMixin, forms.Form):
    """A new round of a contest, as the organiser fills it in, its criteria as rows."""

    name = forms.CharField(label=_("Round name"), max_length=100)
    mode = forms.ChoiceField(label=_("Mode"), choices=modes.choices, widget=forms.RadioSelect)
    per_entry = forms.IntegerField(
        label=_("Judges per entry"), min_value=1, max_value=50, initial=3
    )
    deadline = forms.DateTimeField(label=_("Deadline"), widget=DateTimeLocalInput(), required=False)
    entrants = forms.ChoiceField(
        label=_("Entries judged"),
        choices=Round.Entrants.choices,
        initial=Round.Entrants.ACCEPTED,
        widget=forms.RadioSelect,
    )
    previous = forms.ModelChoiceField(
        label=_("Previous round"),
        queryset=Round.objects.none(),
        required=False,
        help_text=_("Where the entries come from, unless every accepted entry is judged."),
    )
    top = forms.IntegerField(
        label=_("How many of the top"),
        min_value=1,
        max_value=COLUMN_INTEGER_MAX,
        required=False,
        help_text=_("With “the top entries of the previous round”."),
    )
    method = forms.ChoiceField(
        label=_("Ranking method"),
        choices=[("calibrated", METHOD_LABELS["calibrated"])]
        + [(m, METHOD_LABELS.get(m, m)) for m in METHODS if m != "calibrated"],
        initial="calibrated",
    )
    advance = forms.IntegerField(
        label=_("Entries that advance"),
        min_value=1,
        max_value=COLUMN_INTEGER_MAX,
        required=False,
        help_text=_("Scoring rounds: how many of the best go on. Empty: every ranked entry."),
    )
    criteria = RowsField(
        CriterionRow,
        unique="name",
        label=_("Criteria"),
        required=False,
        help_text=_("Scoring rounds: each criterion's name, its weight, its scale and its step."),
    )
    combine = forms.ChoiceField(
        label=_("The criteria combine as"),
        choices=COMBINE_CHOICES,
        initial="weighted",
        required=False,
        widget=forms.RadioSelect,
    )
    places = forms.IntegerField(
        label=_("Decimal places shown"), min_value=0, max_value=4, initial=2, required=False
    )
    rounding = forms.ChoiceField(
        label=_("Rounding"), choices=ROUNDING_CHOICES, initial="half_up", required=False
    )
    tie_criterion = forms.CharField(
        label=_("Ties: first the higher score on this criterion"),
        max_length=Criterion._meta.get_field("name").max_length,
        required=False,
        help_text=_("A criterion's name; empty: none."),
    )
    tie_fewer_deductions = forms.BooleanField(
        label=_("Ties: then fewer deductions"), required=False
    )
    tie_decision = forms.BooleanField(
        label=_("Ties: then the organiser decides, with a reason"), required=False
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = contest.rounds.all()
        self.fields["deadline"].help_text = " ".join((str(NO_DEADLINE_HELP), times_help()))

    def clean_deadline(self):
        """In the future, or none: the round then ends when it is closed."""
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline

    def clean(self):
        data = super().clean()
        entrants = data.get("entrants")
        round_mode = modes.MODES.get(data.get("mode"))
        if (
            round_mode is not None
            and round_mode.needs_criteria
            and "criteria" in data
            and not data["criteria"]
        ):
            self.add_error("criteria", round_mode.criteria_missing)
        if entrants and entrants != Round.Entrants.ACCEPTED and not data.get("previous"):
            self.add_error("previous", _("Choose the round the entries come from."))
        if entrants == Round.Entrants.TOP and not data.get("top"):
            self.add_error("top", _("Say how many of the top entries go on."))
        if entrants == Round.Entrants.ACCEPTED:
            data["previous"] = None
        if entrants != Round.Entrants.TOP:
            data["top"] = None
        if round_mode is not None and not round_mode.needs_criteria:
            data["criteria"] = []
        if round_mode is not None and not round_mode.ranks:  # nothing ranked: its outcome decides
            data["advance"] = None
        data["combine"] = data.get("combine") or "weighted"
        data["rounding"] = data.get("rounding") or "half_up"
        if data.get("places") is None:
            data["places"] = 2
        data["tie_breaks"] = self._tie_breaks(data)
        return data

    def _tie_breaks(self, data) -> list[list[str]]:
        """The tie-break chain the three tie fields make, in their order."""
        chain = []
        named = unicodedata.normalize("NFKC", data.get("tie_criterion") or "").strip()
        if named:
            if named not in [row[0] for row in data.get("criteria") or []]:
                self.add_error("tie_criterion", _("Name one of the round's criteria."))
            chain.append(["criterion", named])
        if data.get("tie_fewer_deductions"):
            chain.append(["fewer_deductions"])
        if data.get("tie_decision"):
            chain.append(["decision"])
        return chain


class JudgeField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        unit = getattr(user, "judge_unit_name", None)
        label = f"{user} ({user.username})"
        return f"{label} · {unit}" if unit else label


class PanelTermsForm(forms.Form):
    """What a place on a round's panel is given: the categories it judges (none ticked:
    every one) and how many reviews at most."""

    categories = IdsChoiceField(
        label=_("Categories"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )
    cap = forms.IntegerField(
        label=_("Reviews at most"),
        min_value=1,
        max_value=COLUMN_INTEGER_MAX,
        required=False,
        help_text=_("Empty: no limit."),
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = round.contest.categories.all()
        self.fields["categories"].label_from_instance = lambda category: category.name


class SeatForm(PanelTermsForm):
    """A judge put on a round's panel: where they work, what they judge, how much at most."""

    field_order = ["judge", "unit", "outside_expert", "categories", "cap", "conflict_units"]

    judge = JudgeField(label=_("Judge"), queryset=User.objects.none())
    unit = UnitPickField(
        label=_("Judge's unit"),
        required=False,
        help_text=_(
            "The unit they work in: its entries (and those above and below it) are never "
            "theirs. Left empty: their own unit, from their judge role or member record."
        ),
    )
    outside_expert = forms.BooleanField(
        label=_("Outside expert: no unit"),
        required=False,
        help_text=_("Tick only for someone from outside every unit: no entry is a conflict."),
    )
    conflict_units = forms.CharField(
        label=_("Declared conflicts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Codes of units they must not judge, one per line."),
    )

    def __init__(self, *args, round: Round, judges, units, **kwargs):
        super().__init__(*args, round=round, **kwargs)
        self.fields["judge"].queryset = judges
        self.fields["unit"].queryset = units

    def clean_conflict_units(self) -> list[Unit]:
        codes = _unit_codes(self.cleaned_data["conflict_units"])
        units = Unit.objects.in_bulk(codes, field_name="code")
        unknown = [code for code in codes if code not in units]
        if unknown:
            raise forms.ValidationError(
                _("No unit has the code %(codes)s."),
                code="unknown_unit",
                params={"codes": "、".join(f"“{code}”" for code in unknown)},
            )
        return list({units[code].pk: units[code] for code in codes}.values())


class JudgeSearchForm(forms.Form):
    """Narrowing the judges offered for a panel: by name (``accounts.people_search``) and by
    unit (judges whose own unit lies within the one chosen)."""

    judge_q = forms.CharField(label=_("Name"), required=False, max_length=100)
    judge_unit = UnitPickField(label=_("Unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge_unit"].queryset = units
        self.fields["judge_unit"].widget.empty_choice = "any"  # no unit chosen: every judge


class SeatsAddForm(PanelTermsForm):
    """Several judges ticked for the panel at once, each with their own unit unless marked an
    outside expert; the categories and the cap apply to every one of them."""

    judges = IdsChoiceField(label=_("Judges"), queryset=None, widget=forms.CheckboxSelectMultiple)
    outside_experts = IdsChoiceField(label=_("Outside experts"), queryset=None, required=False)

    field_order = ["judges", "outside_experts", "categories", "cap"]

    def __init__(self, *args, round: Round, judges, **kwargs):
        super().__init__(*args, round=round, **kwargs)
        self.fields["judges"].queryset = judges
        self.fields["outside_experts"].queryset = judges
        self.fields["cap"].label = _("Reviews at most, each")


class PanelCopyForm(forms.Form):
    """Another round whose panel is copied onto this one."""

    source = forms.ModelChoiceField(label=_("Copy the panel of"), queryset=Round.objects.none())

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = rounds
        self.fields["source"].label_from_instance = lambda r: f"{r.contest.title} · {r.name}"


class MoveForm(forms.Form):
    """One open review moved to another judge. Named by its entry's number and its judge;
    both left empty, the review is the one the form was posted for."""

    entry = forms.IntegerField(
        label=_("Entry number"), min_value=1, max_value=COLUMN_INTEGER_MAX, required=False
    )
    from_judge = JudgeField(label=_("From judge"), queryset=User.objects.none(), required=False)
    judge = JudgeField(label=_("To judge"), queryset=User.objects.none())

    def __init__(self, *args, round: Round, assignment: Assignment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round, self.assignment = round, assignment
        seated = User.objects.filter(seats__round=round).order_by("display_name", "username")
        self.fields["from_judge"].queryset = seated
        self.fields["judge"].queryset = User.objects.filter(
            seats__round=round, seats__active=True
        ).order_by("display_name", "username")

    def clean(self):
        data = super().clean()
        number, judge = data.get("entry"), data.get("from_judge")
        if number is None and judge is None:
            if self.assignment is None:
                raise forms.ValidationError(_("Say which entry and which judge."))
            return data
        if number is None or judge is None:
            raise forms.ValidationError(_("Say both the entry's number and its judge."))
        self.assignment = Assignment.objects.filter(
            round=self.round, entry__number=number, judge=judge, state=Assignment.State.OPEN
        ).first()
        if self.assignment is None:
            raise forms.ValidationError(
                _("%(judge)s has no open review of entry %(code)s."),
                code="no_review",
                params={"judge": judge, "code": f"{number:04d}"},
            )
        return data


class DeductionForm(forms.Form):
    """Points taken off one entry of a round, named by its number, with the reason."""

    entry = forms.IntegerField(label=_("Entry number"), min_value=1, max_value=COLUMN_INTEGER_MAX)
    points = forms.DecimalField(
        label=_("Points taken off"),
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_entry(self):
        number = self.cleaned_data["entry"]
        entry = self.round.contest.entries.filter(number=number).first()
        if entry is None:
            raise forms.ValidationError(_("No entry of this contest has that number."))
        return entry


class SeatRoleForm(forms.Form):
    """A seat made the panel's head judge or an ordinary judge again."""

    role = forms.ChoiceField(label=_("Role"), choices=SEAT_ROLES)


def tie_key(pks) -> str:
    """A group of tied entries as one value of a form: their pks, sorted, joined by "-"."""
    return "-".join(str(pk) for pk in sorted(pks))


class TieOrderForm(forms.Form):
    """The organiser's order for one group of tied entries: an entry for each place, first
    placed first (a select each; every entry once), and the reason. The group is posted with
    the form (``group``: ``tie_key``); its fields' ids are the group's own, so that several
    groups' forms share a page."""

    group = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Say why the tie goes this way; it is recorded.")},
    )

    def __init__(self, *args, entries, **kwargs):
        self.entries = list(entries)
        self.key = tie_key(entry.pk for entry in self.entries)
        kwargs.setdefault("auto_id", f"tie-{self.key}-%s")
        super().__init__(*args, initial={"group": self.key}, **kwargs)
        choices = [(entry.pk, f"{entry.code} {entry.title}") for entry in self.entries]
        for place, entry in enumerate(self.entries, start=1):
            self.fields[f"place_{place}"] = forms.TypedChoiceField(
                label=_("Place %(place)d") % {"place": place},
                choices=choices,
                coerce=int,
                initial=entry.pk,
            )

    @property
    def places(self) -> list:
        return [self[f"place_{place}"] for place in range(1, len(self.entries) + 1)]

    def clean(self):
        data = super().clean()
        order = [data.get(f"place_{place}") for place in range(1, len(self.entries) + 1)]
        if None in order:
            return data
        by_pk = {entry.pk: entry for entry in self.entries}
        if sorted(order) != sorted(by_pk):
            raise forms.ValidationError(_("Choose each entry once, one for each place."))
        data["order"] = [by_pk[pk] for pk in order]
        return data
