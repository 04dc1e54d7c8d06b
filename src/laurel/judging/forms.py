"""Forms for the organiser's round console: a new round, a seat on its panel, a review moved
by hand. Forms only clean input (codes into units, lines into criteria); services decide and
write."""

import re
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.accounts.models import User
from laurel.contests.forms import DateTimeLocalInput
from laurel.contests.models import Contest
from laurel.core.ranking import METHODS
from laurel.judging.models import Assignment, Criterion, Round
from laurel.orgs.forms import UnitPickField
from laurel.orgs.models import Unit
from laurel.web.forms import COLUMN_INTEGER_MAX, IdsChoiceField, textarea_lines
from laurel.web.zones import times_help

# "主题 30 1-10": a name, its weight and, optionally, its scale (1–10 when left out); the
# line is NFKC-folded first, so full-width digits, spaces and dashes read as ASCII ones
CRITERION_LINE = re.compile(
    r"^(?P<name>.+?)\s+(?P<weight>\d+)(?:\s+(?P<low>\d+)\s*[-~–—至]\s*(?P<high>\d+))?$"
)
DEFAULT_SCALE = (1, 10)
METHOD_LABELS = {
    "calibrated": _("Calibrated: each judge's severity and spread corrected (recommended)"),
    "mean": _("Mean of the scores"),
    "trimmed": _("Trimmed mean: the highest and lowest score dropped"),
    "zscore": _("Standardised per judge (z-scores)"),
}


def criteria_parse(text: str) -> list[tuple[str, int, int, int]]:
    """Lines of "name weight low-high" as (name, weight, low, high); an error names the line."""
    criteria, seen = [], set()
    name_length = Criterion._meta.get_field("name").max_length
    for number, line in textarea_lines(text):
        folded = unicodedata.normalize("NFKC", line)
        match = CRITERION_LINE.match(folded)
        if match is None:
            raise forms.ValidationError(
                _(
                    "Line %(number)d, “%(line)s”: write a criterion's name, its weight and "
                    "its scale, like “主题 30 1-10”."
                ),
                code="bad_line",
                params={"number": number, "line": line},
            )
        name, weight = match["name"].strip(), int(match["weight"])
        low, high = (int(match["low"]), int(match["high"])) if match["low"] else DEFAULT_SCALE
        problem = None
        if weight < 1:
            problem = _("the weight is at least 1")
        elif low >= high:
            problem = _("the lowest score must be below the highest")
        elif len(name) > name_length:
            problem = _("a name has at most %(n)d characters") % {"n": name_length}
        elif name in seen:
            problem = _("this criterion is already named above")
        if problem:
            raise forms.ValidationError(
                _("Line %(number)d, “%(line)s”: %(problem)s."),
                code="bad_line",
                params={"number": number, "line": line, "problem": problem},
            )
        seen.add(name)
        criteria.append((name, weight, low, high))
    return criteria


def _unit_codes(text: str) -> list[str]:
    return [unicodedata.normalize("NFKC", line).strip() for _number, line in textarea_lines(text)]


class RoundForm(forms.Form):
    """A new round of a contest, as the organiser fills it in."""

    name = forms.CharField(label=_("Round name"), max_length=100)
    mode = forms.ChoiceField(label=_("Mode"), choices=Round.Mode.choices, widget=forms.RadioSelect)
    per_entry = forms.IntegerField(
        label=_("Judges per entry"), min_value=1, max_value=50, initial=3
    )
    deadline = forms.DateTimeField(label=_("Deadline"), widget=DateTimeLocalInput())
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
    criteria = forms.CharField(
        label=_("Criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "主题 30 1-10\n构图 30 1-10"}),
        help_text=_(
            "Scoring rounds: one per line, the name, its weight and its scale, "
            "like “主题 30 1-10” (the scale is 1-10 when left out)."
        ),
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = contest.rounds.all()
        zone = times_help()
        self.fields["deadline"].help_text = zone

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline

    def clean_criteria(self) -> list[tuple[str, int, int, int]]:
        return criteria_parse(self.cleaned_data["criteria"])

    def clean(self):
        data = super().clean()
        mode, entrants = data.get("mode"), data.get("entrants")
        if mode == Round.Mode.SCORE and "criteria" in data and not data["criteria"]:
            self.add_error("criteria", _("A scoring round needs at least one criterion."))
        if entrants and entrants != Round.Entrants.ACCEPTED and not data.get("previous"):
            self.add_error("previous", _("Choose the round the entries come from."))
        if entrants == Round.Entrants.TOP and not data.get("top"):
            self.add_error("top", _("Say how many of the top entries go on."))
        if entrants == Round.Entrants.ACCEPTED:
            data["previous"] = None
        if entrants != Round.Entrants.TOP:
            data["top"] = None
        if mode == Round.Mode.QUALIFY:  # pass / fail: no criteria, every pass goes on
            data["criteria"], data["advance"] = [], None
        return data


class JudgeField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        unit = getattr(user, "judge_unit_name", None)
        label = f"{user} ({user.username})"
        return f"{label} · {unit}" if unit else label


class SeatForm(forms.Form):
    """A judge put on a round's panel: where they work, what they judge, how much at most."""

    judge = JudgeField(label=_("Judge"), queryset=User.objects.none())
    unit = UnitPickField(
        label=_("Judge's unit"),
        required=False,
        help_text=_(
            "The unit they work in: its entries (and those above and below it) are never "
            "theirs. No unit for outside experts."
        ),
    )
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
    conflict_units = forms.CharField(
        label=_("Declared conflicts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Codes of units they must not judge, one per line."),
    )

    def __init__(self, *args, round: Round, judges, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges
        self.fields["unit"].queryset = units
        self.fields["categories"].queryset = round.contest.categories.all()
        self.fields["categories"].label_from_instance = lambda category: category.name

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
