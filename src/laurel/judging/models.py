"""Judging rounds of the contest engine: a round's criteria, its panel, who reviews what,
the reviews themselves and the round's results. Modes are plug-ins (``judging.modes``):
qualifying (pass / fail) and scoring by weighted criteria are built in.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreField(models.DecimalField):
    """A decimal a person reads as written (``max_digits=7, decimal_places=2``: steps down to
    0.01): from the database a whole value is an int, as bounds were before decimal steps
    (10, not 10.00), any other a Decimal without trailing zeros (0.5, not 0.50)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is not None and value == value.to_integral_value():
            return int(value)
        return score_trimmed(value)


def score_trimmed(value: Decimal | None) -> Decimal | None:
    """``value`` without trailing zeros, never in exponent form (10.00 → 10, 0.50 → 0.5)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


COMBINE_CHOICES = [
    ("weighted", _("Weighted average of the criteria")),
    ("total", _("Total of the criteria")),
]
ROUNDING_CHOICES = [
    ("half_up", _("Half up (8.125 → 8.13)")),
    ("half_even", _("Half to even (8.125 → 8.12)")),
    ("down", _("Down (8.129 → 8.12)")),
]


def mode_choices() -> list[tuple[str, str]]:
    """``Round.mode``'s choices: the registered modes (``judging.modes``)."""
    from laurel.judging.modes import choices  # the modes' modules import these models

    return choices()


class Round(models.Model):
    class Mode(models.TextChoices):
        """The built-in modes' codes, for code that creates rounds; what a mode means is its
        module's (``judging.modes``)."""

        QUALIFY = "qualify", _("Qualifying (pass / fail)")
        SCORE = "score", _("Scoring by criteria")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Entrants(models.TextChoices):
        ACCEPTED = "accepted", _("Every accepted entry")
        PASSED = "passed", _("Entries that passed the previous round")
        TOP = "top", _("The top entries of the previous round")

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="rounds")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=100)
    mode = models.CharField(_("mode"), max_length=20, choices=mode_choices)
    # How a review's criteria combine, what a person reads and how ties go (core.scores).
    combine = models.CharField(
        _("criteria combine as"), max_length=20, choices=COMBINE_CHOICES, default="weighted"
    )
    places = models.PositiveSmallIntegerField(
        _("decimal places shown"), default=2, validators=[MaxValueValidator(4)]
    )
    rounding = models.CharField(
        _("rounding"), max_length=20, choices=ROUNDING_CHOICES, default="half_up"
    )
    tie_breaks = models.JSONField(_("tie-break chain"), default=list, blank=True)
    per_entry = models.PositiveSmallIntegerField(_("judges per entry"), default=3)
    # judges of each category panel who also review another category, so that every entry
    # can be compared with every other (``core.assignment``'s bridges; ``core.design``)
    bridges = models.PositiveSmallIntegerField(_("bridging judges per category"), default=0)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)  # None: ends live
    entrants = models.CharField(
        _("entries judged"), max_length=20, choices=Entrants.choices, default=Entrants.ACCEPTED
    )
    top = models.PositiveIntegerField(_("how many of the top"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("ranking method"), max_length=20, default="calibrated")
    method_reason = models.TextField(_("why this method"), blank=True)  # when changed
    advance = models.PositiveIntegerField(  # score rounds: how many go on (None: all ranked)
        _("entries that advance"), null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["contest", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def round_mode(self):
        """The module of this round's mode (``judging.modes.RoundMode``)."""
        from laurel.judging.modes import mode_of  # the modes' modules import these models

        return mode_of(self)


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("weight"))
    low = ScoreField(_("minimum"), default=Decimal(1))
    high = ScoreField(_("maximum"), default=Decimal(10))
    step = ScoreField(_("step"), default=Decimal(1))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}"


SEAT_ROLES = [
    ("judge", _("Judge")),
    ("head", _("Head judge")),  # also enters the round's deductions
]


class Seat(models.Model):
    """A judge on a round's panel: their unit (for conflicts), the categories they judge,
    how many reviews at most, and the units they declared a conflict with."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="seats")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seats"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("judge's unit"),
    )
    categories = models.ManyToManyField("contests.Category", blank=True, related_name="+")
    cap = models.PositiveIntegerField(_("reviews at most"), null=True, blank=True)
    conflict_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+")
    active = models.BooleanField(default=True)  # False: dropped out; their open work moved
    role = models.CharField(_("role"), max_length=20, choices=SEAT_ROLES, default="judge")

    class Meta:
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "judge"], name="seat_once")]

    def __str__(self) -> str:
        return f"{self.round}: {self.judge}"


class Assignment(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("To review")
        DONE = "done", _("Reviewed")
        WITHDRAWN = "withdrawn", _("Withdrawn")  # a conflict, a drop-out, a hand move

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey("contests.Entry", on_delete=models.PROTECT, related_name="+")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.PositiveIntegerField(default=0)  # the judge's own order
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    scores = models.JSONField(default=dict, blank=True)  # criterion pk (str) → score
    verdict = models.BooleanField(null=True, blank=True)  # qualify rounds: pass / fail
    comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "judge", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "judge"], name="assignment_once")
        ]
        indexes = [models.Index(fields=["round", "judge", "state"])]

    def __str__(self) -> str:
        return f"{self.round}: {self.entry_id} → {self.judge_id}"


class Result(models.Model):
    """An entry's outcome in a closed round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey("contests.Entry", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    reviews = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(null=True, blank=True)  # qualify rounds
    # score rounds: the points as shown (the round's places and rounding), and whether the
    # round's tie-break chain left the entry tied with another (``judging.scoring``)
    points = ScoreField(null=True, blank=True, max_digits=12, decimal_places=4)
    tied = models.BooleanField(default=False)
    advanced = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="result_once")]

    def __str__(self) -> str:
        return f"{self.round}: {self.entry_id} #{self.rank}"


class JudgeCalibration(models.Model):
    """How a judge scored in a closed scoring round, as the ranking fitted it: severity
    (offset, in points), spread (scale, 1 = the average judge) and noise."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="calibrations")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviews = models.PositiveIntegerField()
    offset = models.FloatField()
    scale = models.FloatField()
    noise = models.FloatField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["round", "offset"]
        constraints = [models.UniqueConstraint(fields=["round", "judge"], name="calibration_once")]

    def __str__(self) -> str:
        return f"{self.round}: {self.judge_id} {self.offset:+.2f}"


class Deduction(models.Model):
    """Points taken off an entry's total in a round (an absentee, overtime), with the reason;
    written by ``services.deduction_add`` (organisers and the round's head judge)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="deductions")
    entry = models.ForeignKey("contests.Entry", on_delete=models.PROTECT, related_name="+")
    points = ScoreField(_("points taken off"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "entry", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points__gt=0), name="deduction_points_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.entry_id} −{self.points}"


class TieDecision(models.Model):
    """The organiser's order for entries the round's tie-break chain left tied, with the
    reason (``core.scores.Decision``); the latest for exactly that group counts."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="tie_decisions")
    entries = models.JSONField()  # entry pks, first placed first
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: {self.entries}"
