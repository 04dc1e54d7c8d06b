"""The console's event lists: the events (organised, or open to register teams for), and one
event's registrations with the answers to its questions (tables and filters)."""

import django_filters
import django_tables2 as tables
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laurel.accounts.people_search import PeopleFields
from laurel.accounts.tables import PeopleSearchFilter
from laurel.events import policy
from laurel.events.models import CheckIn, Event, Question, Registration
from laurel.members.policy import mobile_shown_to
from laurel.orgs.policy import units_visible
from laurel.orgs.tables import UnitPickFilter
from laurel.web.access import Access
from laurel.web.tables import (
    BadgeColumn,
    DateTimeColumn,
    LabelColumn,
    ListFilter,
    ListTable,
    NumberColumn,
)

# --- the events -------------------------------------------------------------------------------


def events_for_console(access: Access) -> QuerySet[Event]:
    """The events of the console's list: those this user organises, and — for whoever
    registers others — the events of others open to them (``policy.events_for_registering``);
    each with ``organised`` and, counted among its registrations, ``taken`` (places held) and
    ``waiting`` (places asked for on waiting lists)."""
    organised = policy.events_organised(access)
    events = Event.objects.filter(
        Q(pk__in=organised.values("pk"))
        | Q(pk__in=policy.events_for_registering(access).values("pk"))
    )

    def places(*states):
        rows = (
            Registration.objects.filter(event=OuterRef("pk"), state__in=states)
            .order_by()
            .values("event")
            .annotate(n=Sum("places"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return events.select_related("unit").annotate(
        organised=Exists(organised.filter(pk=OuterRef("pk"))),
        taken=places(*Registration.HOLDING),
        waiting=places(Registration.State.WAITING),
    )


class EventTable(ListTable):
    title = tables.Column(verbose_name=_("Event"))
    kind = LabelColumn(verbose_name=_("Kind"))
    state = BadgeColumn(verbose_name=_("State"))
    starts_at = DateTimeColumn(verbose_name=_("Starts"))
    unit = tables.Column(verbose_name=_("Organiser"), accessor="unit__name", order_by="unit__path")
    taken = NumberColumn(
        verbose_name=_("Taken"),
        attrs={
            "th": {"class": "num", "title": _("Places held (registered or offered)")},
            "td": {"class": "num"},
        },
    )
    waiting = NumberColumn(verbose_name=_("Waiting"))
    actions = LabelColumn(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "list-table", "id": "event-table"}
        row_attrs = {"id": lambda record: f"event-{record.slug}"}
        order_by = ("-starts_at",)

    def render_title(self, record):
        if not record.organised:
            return format_html('{}<br><span class="muted">{}</span>', record.title, record.venue)
        return format_html(
            '<a href="{}">{}</a><br><span class="muted">{}</span>',
            reverse("events:console_detail", args=[record.slug]),
            record.title,
            record.venue,
        )

    def value_title(self, record):
        return record.title

    def render_taken(self, record):
        return record.taken if record.organised else "—"

    def value_taken(self, record):
        return record.taken if record.organised else None

    def render_waiting(self, record):
        return record.waiting if record.organised else "—"

    def value_waiting(self, record):
        return record.waiting if record.organised else None

    def render_actions(self, record):
        access = self.request.user.access
        takes_others = record.teams_register or record.members_register
        if (
            record.state != Event.State.OPEN
            or not takes_others
            or not policy.may_register_others(access)
        ):
            return ""
        return format_html(
            '<a class="event-register" href="{}">{}</a>',
            reverse("events:console_register", args=[record.slug]),
            _("Register teams and members"),
        )


class EventFilter(ListFilter):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Event.State.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All")
    )

    def search(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(
            Q(title__icontains=text) | Q(slug__icontains=text) | Q(venue__icontains=text)
        )


# --- one event's registrations ------------------------------------------------------------

REGISTRANT_FIELDS = PeopleFields(
    texts=("member__name", "team__name"),
    mobile="member__mobile",
    id_card="member__id_card",
    unit_path="unit__path",
)


def registrations_for_table(registrations: QuerySet[Registration], event: Event) -> QuerySet:
    """``registrations`` with what the table reads: the registrant's name (to sort by), each
    waiting registration's place in its line (1 = next), as ``services.waiting_place``
    counts it, and how the first check-in was made (``check_in_method``) — in the one
    query."""
    line = Registration.objects.filter(
        event=event, state=Registration.State.WAITING, pk__lte=OuterRef("pk")
    )
    line = (
        line.filter(slot=OuterRef("slot"))
        if event.booths.exists()
        else line.filter(slot__isnull=True)
    )
    place = line.order_by().values("event").annotate(n=Count("pk")).values("n")
    first_check_in = CheckIn.objects.filter(
        registration=OuterRef("pk"), duplicate_of__isnull=True
    ).values("method")[:1]
    return registrations.select_related("member", "team__leader", "unit", "slot__booth").annotate(
        registrant=Coalesce("member__name", "team__name"),
        waiting_place=Case(
            When(state=Registration.State.WAITING, then=Subquery(place)),
            default=None,
            output_field=IntegerField(),
        ),
        check_in_method=Subquery(first_check_in),
    )


def answer_text(answer) -> str:
    """An answer as the page and the export show it."""
    if answer is True:
        return str(_("Yes"))
    if answer is False:
        return str(_("No"))
    return "" if answer is None else str(answer)


class AnswerColumn(tables.Column):
    """The answers to one of the event's questions."""

    def __init__(self, question: Question, **kwargs):
        self.question_key = str(question.pk)
        kwargs.setdefault("attrs", {"td": {"class": "answer-cell"}})
        super().__init__(
            verbose_name=question.text,
            accessor="answers",
            orderable=False,
            empty_values=(),
            **kwargs,
        )

    def render(self, record):
        return answer_text(record.answers.get(self.question_key)) or "—"

    def value(self, record):
        return answer_text(record.answers.get(self.question_key))


# how a check-in was made, as the registrations list says it
CHECK_IN_METHODS = {CheckIn.Method.SCAN: _("scanned"), CheckIn.Method.LIST: _("ticked")}


class RegistrationTable(ListTable):
    """An event's registrations: the registrant (a member, or a team and its size), the mobile
    to reach them (the member's, a team's leader's) masked as ``members.policy`` shows it —
    whole where it allows with ``full_numbers`` (an export asked for so by a holder of the
    personal-data permission) —, the unit, the booth and slot, the state (a waiting one with
    its place), when they were checked in and how (scanned, or ticked on the list), a
    meeting's leave and its reason, the answers to the event's questions, when."""

    registrant = tables.Column(verbose_name=_("Registrant"))
    places = NumberColumn(verbose_name=_("People"))
    mobile = LabelColumn(
        verbose_name=_("Mobile"),
        empty_values=(),
        orderable=False,
        attrs={"th": {"class": "nowrap"}, "td": {"class": "nowrap mono"}},
    )
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", order_by="unit__path")
    slot = LabelColumn(
        verbose_name=_("Booth and time"),
        order_by=("slot__booth__order", "slot__booth__pk", "slot__starts_at"),
    )
    state = BadgeColumn(verbose_name=_("State"))
    checked_in = LabelColumn(
        verbose_name=_("Checked in"), accessor="checked_in_at", empty_values=()
    )
    leave = tables.Column(
        verbose_name=_("Leave"),
        accessor="leave_reason",
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "answer-cell"}},
    )
    created_at = DateTimeColumn(verbose_name=_("Registered at"))
    actions = LabelColumn(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "list-table", "id": "registration-table"}
        row_attrs = {
            "id": lambda record: f"registration-{record.pk}",
            "data-state": lambda record: record.state,
        }
        order_by = ("created_at",)
        empty_text = _("No registrations match.")
        # the answers to the event's questions (``extra_columns``) after the state
        sequence = ("registrant", "places", "mobile", "unit", "slot", "state", "checked_in")
        sequence += ("leave", "...", "created_at", "actions")

    def __init__(self, *args, event: Event, questions=(), full_numbers: bool = False, **kwargs):
        answers = [(f"answer_{question.pk}", AnswerColumn(question)) for question in questions]
        exclude = list(kwargs.get("exclude", ()))
        if not event.booths.exists():
            exclude.append("slot")
        if event.kind != Event.Kind.MEETING:  # leave is asked for meetings only
            exclude.append("leave")
        kwargs["exclude"] = exclude
        super().__init__(*args, extra_columns=answers, **kwargs)
        self.event = event
        self.full_numbers = full_numbers
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        self.slot_days = starts.date() != ends.date()  # one day: the slots' times say enough

    def render_registrant(self, record):
        if record.member_id:
            return record.member.name
        if record.state != Registration.State.REGISTERED:  # a live ticket comes with the place
            return format_html('{} <span class="muted">{}</span>', record.team.name, _("(team)"))
        return format_html(
            '{} <span class="muted">{}</span> <a class="team-badges" href="{}">{}</a>',
            record.team.name,
            _("(team)"),
            reverse("events:console_team_badges", args=[self.event.slug, record.pk]),
            _("Badges"),
        )

    def value_registrant(self, record):
        return record.registrant_name

    def _mobile(self, record) -> str:
        person = record.member if record.member_id else record.team.leader
        return mobile_shown_to(self.request.user.access, person, revealed=self.full_numbers)

    def render_mobile(self, record):
        return self._mobile(record) or "—"

    def value_mobile(self, record):
        return self._mobile(record)

    def render_slot(self, record):
        return slot_label(record.slot, day=self.slot_days)

    def value_slot(self, record):
        return slot_label(record.slot, day=self.slot_days)

    @staticmethod
    def _checked_in(record) -> str:
        """When they were let in (local time) and how: "2024-04-27 09:03 scanned"."""
        if record.checked_in_at is None:
            return ""
        when = f"{timezone.localtime(record.checked_in_at):%Y-%m-%d %H:%M}"
        how = CHECK_IN_METHODS.get(record.check_in_method)
        return f"{when} {how}" if how else when

    def render_checked_in(self, record):
        return self._checked_in(record) or "—"

    def value_checked_in(self, record):
        return self._checked_in(record)

    def render_leave(self, record):
        return record.leave_reason or "—"

    def value_leave(self, record):
        return record.leave_reason

    def _state(self, record) -> str:
        if record.waiting_place:
            return str(_("Waiting, place %(place)d") % {"place": record.waiting_place})
        return str(record.get_state_display())

    def render_state(self, record):
        state = self._state(record)
        return format_html('<span class="pill pill-{}">{}</span>', record.state, state)

    def value_state(self, record):
        return self._state(record)

    def render_actions(self, record):
        if record.state not in Registration.ACTIVE:
            return ""
        return format_html(
            '<form method="post" action="{}" class="inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="link registration-cancel">{}</button></form>',
            reverse("events:console_registration_cancel", args=[self.event.slug, record.pk]),
            get_token(self.request),
            _("Cancel"),
        )


def slot_label(slot, *, day: bool = True) -> str:
    """A slot as the registrations list shows it: its booth, its day (unless ``day`` is
    false) and times."""
    if slot is None:
        return ""
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    when = f"{start:%m-%d %H:%M}" if day else f"{start:%H:%M}"
    return f"{slot.booth.name} {when}–{end:%H:%M}"


class RegistrationFilter(PeopleSearchFilter):
    """One event's registrations: ``q`` finds a member (``people_search``: names, the digits
    a masked number shows) or a team by name; by unit (its subtree), state and booth."""

    people_fields = REGISTRANT_FIELDS
    search_place = "events:console_registrations"

    unit = UnitPickFilter(
        label=_("Unit"),
        field_name="unit__path",
        queryset=lambda request: units_visible(request.user.access),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Registration.State.choices, empty_label=_("All")
    )
    booth = django_filters.ChoiceFilter(
        label=_("Booth"), field_name="slot__booth", empty_label=_("All")
    )

    event: Event  # set by for_event

    @classmethod
    def for_event(cls, event: Event) -> type["RegistrationFilter"]:
        return type(cls.__name__, (cls,), {"event": event})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        booths = [(str(booth.pk), booth.name) for booth in self.event.booths.all()]
        if booths:
            self.filters["booth"].extra["choices"] = booths
        else:
            del self.filters["booth"]
        self.form.fields["q"].widget.attrs["placeholder"] = _(
            "Name, team, or the digits shown of a mobile"
        )
