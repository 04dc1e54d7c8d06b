"""The outbox and the inbox: their tables and their searches."""

import django_filters
import django_tables2 as tables
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Concat, Left, Right, StrIndex, Substr
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laurel.notifications.models import Notification, OutgoingMessage
from laurel.web.tables import BadgeColumn, DateTimeColumn, LabelColumn, ListFilter, ListTable


class OutboxTable(ListTable):
    """Every message as stored: bodies with their secrets masked, recipients masked (and never
    sorted by: an order would tell the hidden characters)."""

    created_at = DateTimeColumn(verbose_name=_("Queued at"), format="Y-m-d H:i:s")
    channel = LabelColumn(verbose_name=_("Channel"))
    to = LabelColumn(
        verbose_name=_("Recipient"),
        accessor="to_masked",
        orderable=False,
        attrs={"th": {"class": "nowrap"}, "td": {"class": "nowrap mono"}},
    )
    message = tables.Column(verbose_name=_("Message"), accessor="body", orderable=False)
    status = BadgeColumn(  # the pill does not wrap; an error under it may
        verbose_name=_("Status"), attrs={"th": {"class": "nowrap"}, "td": {}}
    )
    error = tables.Column(verbose_name=_("Error"), visible=False)  # shown under the status

    class Meta(ListTable.Meta):
        model = OutgoingMessage
        fields = ("created_at", "channel", "to", "message", "status", "error")
        order_by = ("-created_at",)

    def render_message(self, record):
        if record.subject:
            return format_html("<strong>{}</strong><br>{}", record.subject, record.body)
        return record.body

    def value_message(self, record):
        return f"{record.subject}\n{record.body}" if record.subject else record.body

    def render_status(self, record, value, bound_column):
        pill = self.columns["status"].column.render(value, record, bound_column)
        if not record.error:
            return pill
        return format_html('{}<br><span class="muted">{}</span>', pill, record.error)

    def value_status(self, record):
        return record.get_status_display()


class OutboxFilter(ListFilter):
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=OutgoingMessage.Channel.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OutgoingMessage.Status.choices, empty_label=_("All")
    )

    def search(self, queryset, name, value):
        """Subjects and (masked) bodies, and recipients by what their masked form shows."""
        value = value.strip()
        queryset = queryset.alias(search_to_masked=recipient_masked())
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(body__icontains=value)
            | Q(search_to_masked__icontains=value)
        )


def recipient_masked():
    """``OutgoingMessage.to_masked`` in SQL: ``138****1234``, ``w***@example.com``."""
    at = StrIndex("to", Value("@"))
    return Case(
        When(
            channel=OutgoingMessage.Channel.SMS,
            then=Concat(Left("to", 3), Value("****"), Right("to", 4)),
        ),
        default=Concat(Left("to", 1), Value("***@"), Substr("to", at + 1)),
    )


# --- the inbox -------------------------------------------------------------------------------

READ_STATES = (("unread", _("Unread")), ("read", _("Read")))


class InboxTable(ListTable):
    """One's own messages, newest first, drawn as cards (``notifications/_inbox_list.html``):
    a message is read, not scanned across columns; no export (nobody needs a sheet of it)."""

    created_at = DateTimeColumn(verbose_name=_("Time"), orderable=False)
    title = tables.Column(verbose_name=_("Title"), orderable=False)
    body = tables.Column(verbose_name=_("Message"), orderable=False)
    read_at = DateTimeColumn(verbose_name=_("Read"), orderable=False)

    class Meta(ListTable.Meta):
        model = Notification
        fields = ("created_at", "title", "body", "read_at")
        template_name = "notifications/_inbox_list.html"
        empty_text = _("No messages.")


class InboxFilter(ListFilter):
    state = django_filters.ChoiceFilter(
        label=_("Show"), choices=READ_STATES, empty_label=_("All"), method="read_filter"
    )

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def read_filter(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "unread")
