"""The contest engine: contests, their categories and rules, entries and their content,
screening flags and rounds. Photo contests use it first; live competitions, honours and
innovation cases reuse it with other entry kinds and round modes (docs/architecture.md).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.contests.entrants import Entrant, entrant_of


class Contest(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for entries")
        CLOSED = "closed", _("Closed")
        JUDGING = "judging", _("Judging")
        RESULTS = "results", _("Results")
        PUBLISHED = "published", _("Published")

    class Content(models.TextChoices):
        """What an entry carries; its module under ``contests/content/`` says which files,
        checks, flags, declarations and pages apply."""

        PHOTO = "photo", _("Photos")
        DOCUMENT = "document", _("Documents (PDF/DOCX)")
        VIDEO = "video", _("Video")
        NONE = "none", _("No files (judged on the day)")

    class Entrants(models.TextChoices):
        """Who an entry belongs to: a member, a team (``members.Team``) or a unit."""

        MEMBERS = "members", _("Members")
        TEAMS = "teams", _("Teams")
        UNITS = "units", _("Units")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    content = models.CharField(
        _("entries are"), max_length=20, choices=Content.choices, default=Content.PHOTO
    )
    entrants = models.CharField(
        _("who enters"), max_length=20, choices=Entrants.choices, default=Entrants.MEMBERS
    )
    organiser = models.CharField(_("organiser"), max_length=200)
    co_organisers = models.TextField(_("co-organisers"), blank=True, help_text=_("One per line."))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    opens_at = models.DateTimeField(_("entries open"))
    closes_at = models.DateTimeField(_("entries close"))

    # entry rules
    max_entries_per_member = models.PositiveSmallIntegerField(  # per entrant, of any kind
        _("entries per entrant (at most)"), default=5
    )

    # who may submit
    members_submit = models.BooleanField(_("members submit their own entries"), default=True)
    units_submit = models.BooleanField(_("unit admins submit for their members"), default=True)

    # exhibition
    exhibition_opens_on = models.DateField(_("exhibition opens"), null=True, blank=True)
    exhibition_closes_on = models.DateField(_("exhibition closes"), null=True, blank=True)
    exhibition_venue = models.CharField(_("exhibition venue"), max_length=200, blank=True)

    # prizes and certificates
    prizes_per_author = models.PositiveSmallIntegerField(
        _("prizes per entrant (at most)"), null=True, blank=True
    )
    certificate_issuer = models.CharField(
        _("certificates issued by"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the organiser."),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def content_kind(self):
        """The module of what this contest's entries carry (``contests.content``)."""
        from laurel.contests.content import content_kind  # its modules import these models

        return content_kind(self.content)

    def accepts_entries(self, now=None) -> bool:
        """Entries may be added, edited and withdrawn: open, and inside the window."""
        now = now or timezone.now()
        return self.state == self.State.OPEN and self.opens_at <= now < self.closes_at


# PhotoRules' fields, which the contest's set-up takes with its own
PHOTO_RULE_FIELDS = (
    "allow_single",
    "allow_series",
    "series_min",
    "series_max",
    "min_long_edge",
    "taken_from",
    "taken_until",
    "formats",
)


class PhotoRules(models.Model):
    """What a photo contest asks of its entries' photos (``Contest.content`` photos; kept,
    unused, when a draft is switched to another content)."""

    contest = models.OneToOneField(
        Contest, on_delete=models.CASCADE, primary_key=True, related_name="photo_rules"
    )
    allow_single = models.BooleanField(_("single photos"), default=True)
    allow_series = models.BooleanField(_("series (组照)"), default=True)
    series_min = models.PositiveSmallIntegerField(_("photos in a series (at least)"), default=2)
    series_max = models.PositiveSmallIntegerField(_("photos in a series (at most)"), default=6)
    min_long_edge = models.PositiveIntegerField(_("minimum long edge (px)"), default=2400)
    taken_from = models.DateField(_("taken on or after"), null=True, blank=True)
    taken_until = models.DateField(_("taken on or before"), null=True, blank=True)
    formats = models.JSONField(_("formats"), default=list)  # ["jpeg", "png", "webp", "heic"]

    class Meta:
        verbose_name = _("photo rules")
        verbose_name_plural = _("photo rules")

    def __str__(self) -> str:
        return str(self.contest)


class Category(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["contest", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="category_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class PrizeTier(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prize_tiers")
    name = models.CharField(_("prize"), max_length=50)
    count = models.PositiveIntegerField(_("how many"))
    position = models.PositiveSmallIntegerField(default=0)
    # a unit's prize for the contest as a whole (优秀组织奖), not an entry's
    for_units = models.BooleanField(_("for units"), default=False)

    class Meta:
        verbose_name = _("prize tier")
        verbose_name_plural = _("prize tiers")
        ordering = ["contest", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} × {self.count}"


class UnitQuota(models.Model):
    """At most ``limit`` live entries from authors in ``unit``'s subtree (whoever submits)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT)
    limit = models.PositiveIntegerField(_("entries (at most)"))

    class Meta:
        verbose_name = _("unit quota")
        verbose_name_plural = _("unit quotas")
        constraints = [models.UniqueConstraint(fields=["contest", "unit"], name="quota_once")]

    def __str__(self) -> str:
        return f"{self.unit} ≤ {self.limit}"


class Declaration(models.TextChoices):
    """What an entrant may declare with an entry (recorded with who declared and when);
    which of them a contest asks is its content's (``contests.content``)."""

    ORIGINAL = "original", _("The work is my own original work.")
    PORTRAIT = "portrait", _("I hold the consent of the people shown (肖像权).")
    COPYRIGHT = "copyright", _("I hold the copyright and license its use here (著作权).")
    PUBLICATION = "publication", _("My name and unit may be published with the work.")


class Entry(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single photo")
        SERIES = "series", _("Series")

    class EntrantKind(models.TextChoices):
        MEMBER = "member", _("member")  # the values of contests.entrants.MEMBER, TEAM, UNIT
        TEAM = "team", _("team")
        UNIT = "unit", _("unit")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSING = "processing", _("Processing")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISQUALIFIED = "disqualified", _("Disqualified")
        QUALIFIED = "qualified", _("Qualified")
        AWARDED = "awarded", _("Awarded")

    # entries that hold a place (count against quotas and per-member limits)
    LIVE_STATES = (
        State.RECEIVED,
        State.PROCESSING,
        State.ACCEPTED,
        State.QUALIFIED,
        State.AWARDED,
    )

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(_("number"))  # 1, 2, ... within the contest
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The entrant: exactly one of a member (``author``), a team, or the unit itself
    # (``entrant_kind`` says which; ``entrant`` gives it as one ``Entrant``).
    entrant_kind = models.CharField(
        _("entrant"), max_length=10, choices=EntrantKind.choices, default=EntrantKind.MEMBER
    )
    author = models.ForeignKey(
        "members.Member",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="entries",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "members.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="entries",
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(  # the entrant's unit when submitted (quotas count by it);
        "orgs.Unit",  # a unit entrant's: the unit itself
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place taken"), max_length=100, blank=True)
    taken_on = models.DateField(_("date taken"), null=True, blank=True)
    declarations = models.JSONField(default=dict, blank=True)  # code → {"at", "by"}
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    refusal_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="entry_number_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(entrant_kind="member", author__isnull=False, team__isnull=True)
                    | models.Q(entrant_kind="team", author__isnull=True, team__isnull=False)
                    | models.Q(entrant_kind="unit", author__isnull=True, team__isnull=True)
                ),
                name="entry_one_entrant",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "state"]),
            models.Index(fields=["contest", "author"]),
            models.Index(fields=["contest", "team"]),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.number:04d}"

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    @property
    def entrant(self) -> Entrant:
        """Who the entry belongs to, whatever the kind (``contests.entrants``)."""
        return entrant_of(self)

    def missing_declarations(self) -> list[str]:
        """The declarations the contest's content asks that the entrant has not made."""
        asked = self.contest.content_kind.declarations
        return [code for code in asked if code not in self.declarations]


class EntryFile(models.Model):
    """One of an entry's files, in order: a photo, a document or a video (``kind``), as its
    contest's content takes them."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        DOCUMENT = "document", _("document")
        VIDEO = "video", _("video")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    asset = models.ForeignKey("media.MediaAsset", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PHOTO)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["entry", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.entry} · {self.position + 1}"


class Flag(models.Model):
    """Something screening found for the organiser to decide before judging; which kinds a
    contest raises is its content's (``contests.content``)."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate in this contest")
        DUPLICATE_PAST = "duplicate_past", _("Duplicate of an earlier contest's entry")
        BELOW_SIZE = "below_size", _("Below the minimum size")
        DATE_MISSING = "date_missing", _("Date taken missing")
        DATE_OUTSIDE = "date_outside", _("Taken outside the date window")
        DECLARATIONS_MISSING = "declarations_missing", _("Declarations missing")

    class State(models.TextChoices):
        OPEN = "open", _("To decide")
        ASKED = "asked", _("Entrant asked")
        KEPT = "kept", _("Kept")
        DISQUALIFIED = "disqualified", _("Disqualified")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("flag"), max_length=30, choices=Kind.choices)
    detail = models.JSONField(default=dict, blank=True)  # e.g. {"entries": [12, 40]}
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    answer = models.TextField(_("entrant's answer"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["entry", "kind"]
        constraints = [models.UniqueConstraint(fields=["entry", "kind"], name="flag_once")]

    def __str__(self) -> str:
        return f"{self.entry}: {self.get_kind_display()}"


class BulkSubmission(models.Model):
    """A unit admin's spreadsheet of entries, waiting for its files (sent one per request).

    ``rows`` holds each sheet row as planned (``bulk.BulkRow``) and what became of it:
    ``status`` is ``waiting`` (no file yet), ``invalid`` (the row itself is wrong),
    ``submitted`` or ``refused``; ``files`` the files that matched no row.
    """

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sheet_name = models.CharField(_("spreadsheet"), max_length=255)
    rows = models.JSONField(default=list)
    files = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bulk submission")
        verbose_name_plural = _("bulk submissions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.sheet_name
