"""Members of the unions (the people activities are about) and the teams they form."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.identity import id_card_mask, mobile_mask
from laurel.importing import ImportResult


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Member(models.Model):
    """A union member. The ID-card number is the natural key: imports match on it.

    ``id_card`` and ``mobile`` are stored normalised (see ``core.identity``) and shown whole
    only where ``members.policy`` allows; everywhere else use the ``*_masked`` properties.
    """

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    id_card = models.CharField(_("ID number"), max_length=18, unique=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, db_index=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members"
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["unit", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def id_card_masked(self) -> str:
        return id_card_mask(self.id_card)

    @property
    def mobile_masked(self) -> str:
        return mobile_mask(self.mobile) if self.mobile else ""


class Team(models.Model):
    """Members of one unit (its subtree) with a leader, who is one of them; events and
    competitions enter teams.

    ``kind`` says what the team is for (广播体操队, 参赛队): a person is in at most one team of
    a kind. Teams without a kind are free: a person may be in any number of them.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=50,
        blank=True,
        help_text=_(
            "What the team is for, such as 广播体操队 or 参赛队: a person is in at most one "
            "team of a kind. Leave it blank for a team that stands alone."
        ),
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="teams"
    )
    leader = models.ForeignKey(
        Member, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="teams_led"
    )
    members = models.ManyToManyField(
        Member, verbose_name=_("members"), through="TeamMembership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="team_name_unique_in_unit")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "member"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team} · {self.member}"


class MemberImport(models.Model):
    """A roster file uploaded in the console: previewed first, committed on request.

    The file is kept only until it is committed (it holds personal numbers); the outcome of
    each row is kept, masked, for the page and the report.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        RUNNING = "running", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("default unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For rows that name no unit."),
    )
    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    counts = models.JSONField(default=dict)
    outcomes = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    def result(self) -> ImportResult:
        """The stored row outcomes (of the preview, or of the import once committed)."""
        return ImportResult.from_json(self.outcomes, dry_run=self.status == self.Status.PREVIEWED)


class TeamImport(models.Model):
    """A team sheet uploaded in the console: previewed first, committed on request.

    The file is kept only until it is committed (it holds personal numbers); the outcome of
    each row is kept, masked, for the page and the report.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    team_name = models.CharField(_("team name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=50, blank=True)  # blank: the team's own
    team = models.ForeignKey(  # the team the commit made or added to
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    counts = models.JSONField(default=dict)
    outcomes = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("team import")
        verbose_name_plural = _("team imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    def result(self) -> ImportResult:
        """The stored row outcomes (of the preview, or of the import once committed)."""
        return ImportResult.from_json(self.outcomes, dry_run=self.status == self.Status.PREVIEWED)
