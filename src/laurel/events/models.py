"""Events: a carnival, a performance, a course, a meeting or a ceremony; its booths (or
sessions) and their time slots; who may come; the questions it asks; and the registrations
of people and teams, with their waiting lists; their tickets and check-ins.

Places are counted, never stored: a slot's taken places are the ``places`` of the
registrations that hold it (``Registration.HOLDING``: registered, or offered a freed place
and not yet answered). ``services/registration.py`` counts them under row locks, so a slot is
never booked past its capacity (docs/architecture.md, "Events").
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        CARNIVAL = "carnival", _("Carnival (a fair)")
        PERFORMANCE = "performance", _("Performance")
        COURSE = "course", _("Course")
        MEETING = "meeting", _("Meeting")
        CEREMONY = "ceremony", _("Ceremony")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for registration")
        CLOSED = "closed", _("Registration closed")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        ALL = "all", _("All members")
        UNITS = "units", _("Members of some units (and the units below them)")
        INVITED = "invited", _("Invited people only")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cover = models.ForeignKey(
        "media.MediaAsset",
        verbose_name=_("cover image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    venue = models.CharField(_("venue"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="events"
    )
    audience = models.CharField(
        _("who may register"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    audience_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("units invited"), blank=True, related_name="+"
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    capacity = models.PositiveIntegerField(
        _("places in the whole event"),
        null=True,
        blank=True,
        help_text=_("How many people may come in all; blank for no limit beyond the slots'."),
    )
    members_register = models.BooleanField(_("members register themselves"), default=True)
    teams_register = models.BooleanField(_("unit admins register teams"), default=True)
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When a slot is full, people may wait for a place that is freed."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to take a freed place"),
        null=True,
        blank=True,
        help_text=_(
            "Blank: a freed place goes to the first person waiting at once. A number: they are "
            "offered it, and if they do not take it within these hours it passes to the next."
        ),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # a course's: the share of its classes a member attends to complete it (and be certified)
    completion_percent = models.PositiveSmallIntegerField(
        _("attendance to complete (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A course: the share of its classes a member must attend to complete it."),
    )
    # a performance that shows what a course's members learnt (惠工课堂 展演)
    showcase_of = models.ForeignKey(
        "self",
        verbose_name=_("showcase of the course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="showcases",
        limit_choices_to={"kind": "course"},
    )
    # the key pair its tickets are signed with (``events.keys``): made with the event, the
    # private key sealed under the ticket key, never shown, never in audit data
    public_key = models.CharField(max_length=64, editable=False)  # Ed25519, raw, as hex
    private_key_sealed = models.TextField(editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(completion_percent__isnull=True)
                | Q(completion_percent__gte=1, completion_percent__lte=100),
                name="event_completion_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def takes_registrations(self, now=None) -> bool:
        """Open, and inside its registration window (the service checks it again, locked)."""
        now = now or timezone.now()
        return (
            self.state == self.State.OPEN
            and self.registration_opens_at <= now < self.registration_closes_at
        )

    @property
    def has_booths(self) -> bool:
        return self.booths.exists()

    @property
    def percent_to_complete(self) -> int:
        """A course's share of its classes a member attends to complete it: every class when
        none is set."""
        return self.completion_percent or 100


class EventInvitee(models.Model):
    """A person on an event's invitation list (``Event.Audience.INVITED``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitees")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="event_invitee_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.member}"


class EventQuota(models.Model):
    """At most ``places`` people from ``unit``'s subtree hold places in the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["event", "unit"], name="event_quota_once_a_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} ≤ {self.places}"


class Question(models.Model):
    """An organiser's own registration question; its answers go into the exports."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One of a list")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("answer"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line."))
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Booth(models.Model):
    """A booth of a fair (布袋DIY, 花艺馆), or a session of a course or meeting."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="booths")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="booth_name_unique_in_event")
        ]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """A booth's time slot and how many people it takes."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.booth} {start:%m-%d %H:%M}–{end:%H:%M}"

    def overlaps(self, other: "Slot") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class Registration(models.Model):
    """A member's or a team's registration for an event: for one slot of a booth, or for the
    event itself when it has no booths. ``places`` is 1 for a member and the team's size for
    a team; ``unit`` is the registrant's unit when they registered (quotas count by it)."""

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a place")
        CANCELLED = "cancelled", _("Cancelled")
        LAPSED = "lapsed", _("Offer lapsed")

    HOLDING = (State.REGISTERED, State.OFFERED)  # these take places
    ACTIVE = (State.REGISTERED, State.OFFERED, State.WAITING)  # and these wait for one

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations"
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    team = models.ForeignKey(
        "members.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    places = models.PositiveIntegerField(default=1)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # question pk (as text) → answer
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)  # the first ``CheckIn``'s time
    # a meeting's leave (请假): asked for with a reason, by the invitee or recorded for them
    leave_reason = models.TextField(_("reason for leave"), blank=True)
    leave_at = models.DateTimeField(_("leave asked for"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["event", "state"]), models.Index(fields=["slot", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, team__isnull=True)
                | Q(member__isnull=True, team__isnull=False),
                name="registration_member_or_team",
            ),
            models.UniqueConstraint(
                fields=["slot", "member"],
                condition=Q(state__in=["registered", "offered", "waiting"], slot__isnull=False),
                name="registration_member_once_a_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "team"],
                condition=Q(state__in=["registered", "offered", "waiting"], slot__isnull=False),
                name="registration_team_once_a_slot",
            ),
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=Q(state__in=["registered", "offered", "waiting"], slot__isnull=True),
                name="registration_member_once_an_event",
            ),
            models.UniqueConstraint(
                fields=["event", "team"],
                condition=Q(state__in=["registered", "offered", "waiting"], slot__isnull=True),
                name="registration_team_once_an_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registrant_name} · {self.event}"

    @property
    def registrant_name(self) -> str:
        return self.member.name if self.member_id else self.team.name

    @property
    def holds_place(self) -> bool:
        return self.state in self.HOLDING


class Ticket(models.Model):
    """A registration's ticket, issued when it is registered and revoked when it is cancelled.

    What the holder shows is computed, never stored: the signed payload of the QR code
    (``core.tickets.payload_sign``, over the event's and the ticket's ids) and the short
    typed code (``core.tickets.code_derive``); ``code_digest`` is the code's keyed hash
    (``events.keys.code_digest``), how a typed code finds its ticket."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="ticket"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="tickets")
    code_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "code_digest"], name="ticket_code_unique_in_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} · #{self.pk}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CheckIn(models.Model):
    """A ticket scanned or typed at the gate or a booth and let in. The first of a
    registration — the earliest scanned, wherever it was sent from — counts
    (``Registration.checked_in_at``); a later one is kept as a duplicate of it
    (``duplicate_of``), so the refusal can say when and on which device the first was."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="check_ins"
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="check_ins")
    at = models.DateTimeField(_("checked in"))
    device = models.CharField(_("device"), max_length=100, blank=True)
    booth = models.ForeignKey(
        Booth,
        verbose_name=_("booth"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    # a course's check-in is for the class whose window it falls in: one first a class
    session = models.ForeignKey(
        "CourseSession",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="check_ins",
    )

    class Method(models.TextChoices):
        SCAN = "scan", _("Ticket scanned or typed")
        LIST = "list", _("Ticked on the list")

    method = models.CharField(max_length=10, choices=Method.choices, default=Method.SCAN)
    # A scan made on a device without the network and sent later (services.check_ins_sync):
    # the device's own name for it, so that sending it again records nothing more, and when
    # it reached the server. Empty and null for a scan checked online.
    scan_key = models.CharField(max_length=100, blank=True)
    synced_at = models.DateTimeField(_("sent from the device"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["at", "pk"]
        constraints = [
            # one first check-in a registration (a course's: a class), whatever happens to
            # the lock
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(duplicate_of__isnull=True, session__isnull=True),
                name="check_in_first_once",
            ),
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(duplicate_of__isnull=True, session__isnull=False),
                name="check_in_first_once_a_class",
            ),
            # a scan sent twice from a device is recorded once
            models.UniqueConstraint(
                fields=["ticket", "scan_key"], condition=~Q(scan_key=""), name="check_in_scan_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.at:%Y-%m-%d %H:%M}"


class EventStaff(models.Model):
    """A check-in staff login given an event's gate by its organisers: it opens the event's
    gate page (``events:gate``) and nothing else of the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="events_staffed",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in staff")
        verbose_name_plural = _("check-in staff")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="event_staff_once")]

    def __str__(self) -> str:
        return f"{self.event} · {self.user}"


class Act(models.Model):
    """An act of a performance's programme (节目单), in its place: what it is, who performs it
    (members, teams, guest troupes by name) and how long it runs."""

    DURATION_MAX = 4 * 60 * 60

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="acts")
    position = models.PositiveIntegerField(_("number"))  # 1, 2, … in the programme's order
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=50, blank=True)  # 歌伴舞, 诗朗诵, 舞蹈 …
    members = models.ManyToManyField(
        "members.Member", verbose_name=_("performing members"), blank=True, related_name="+"
    )
    teams = models.ManyToManyField(
        "members.Team", verbose_name=_("performing teams"), blank=True, related_name="+"
    )
    guests = models.CharField(_("guest performers"), max_length=300, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_seconds__gte=1, duration_seconds__lte=4 * 60 * 60),
                name="act_duration_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class CourseSession(models.Model):
    """One class of a course (惠工课堂): when and where, what it teaches and who teaches it.
    A member attends it by a check-in inside its window (``CHECK_IN_EARLY`` before it starts
    to its end) or by the mark their teacher gives them in its roll call (``RollCallMark``),
    which decides when both are there."""

    CHECK_IN_EARLY = datetime.timedelta(minutes=30)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)  # blank: the event's venue
    teacher = models.CharField(_("teacher"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.topic}"

    def takes_check_in_at(self, at) -> bool:
        return self.starts_at - self.CHECK_IN_EARLY <= at <= self.ends_at


class RollCallMark(models.Model):
    """A teacher's (or an organiser's) mark for one enrolled member in one class's roll call:
    present or absent. It decides the member's attendance of that class, whatever the gate
    recorded; changing it keeps one row."""

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="marks")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="roll_call_marks"
    )
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"))

    class Meta:
        verbose_name = _("roll-call mark")
        verbose_name_plural = _("roll-call marks")
        ordering = ["session", "registration"]
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="roll_call_mark_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.registration} · {self.present}"


class CourseCertificate(models.Model):
    """A 结业证书 issued to a member who completed a course (attended the share of its
    classes it asks for), drawn as the contests' certificates are (``awards.certificates``)
    and verified on the same public page by its number. Issuing again after a roll call is
    corrected revokes the certificate of a member who no longer completes."""

    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="certificates")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="certificates"
    )
    recipient = models.CharField(_("name"), max_length=200)  # as printed
    unit = models.CharField(_("unit"), max_length=200)
    attended = models.PositiveSmallIntegerField(_("classes attended"))
    classes = models.PositiveSmallIntegerField(_("classes"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("completion certificate")
        verbose_name_plural = _("completion certificates")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(revoked_at__isnull=True),
                name="course_certificate_valid_once",
            )
        ]

    def __str__(self) -> str:
        return self.number
