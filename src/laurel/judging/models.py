"""Judging rounds of the contest engine: a round's criteria, its panel, who reviews what,
the reviews themselves and the round's results. Modes are pluggable (``Round.Mode``): this
issue brings qualifying (pass / fail) and scoring by weighted criteria.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Round(models.Model):
    class Mode(models.TextChoices):
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
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    per_entry = models.PositiveSmallIntegerField(_("judges per entry"), default=3)
    deadline = models.DateTimeField(_("deadline"))
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


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("weight"))
    low = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    high = models.PositiveSmallIntegerField(_("highest score"), default=10)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}"


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
