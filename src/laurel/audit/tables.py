"""The audit log's list: its table and its filters."""

from datetime import UTC, datetime, time

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laurel.audit.actions import ACTION_SENTENCES, action_groups, action_sentence
from laurel.audit.models import LogEntry
from laurel.web.tables import DateTimeColumn, ListFilter, ListTable


class EntryTable(ListTable):
    created_at = DateTimeColumn(verbose_name=_("Time"), format="Y-m-d H:i:s")
    actor_repr = tables.Column(verbose_name=_("Who"), default=_("system"))
    action = tables.Column(verbose_name=_("Action"))
    object_repr = tables.Column(verbose_name=_("Object"), default="")

    class Meta(ListTable.Meta):
        model = LogEntry
        fields = ("created_at", "actor_repr", "action", "object_repr")
        order_by = ("-created_at",)
        empty_text = _("No entries.")

    def render_created_at(self, value, record):
        link = reverse("audit:entry_detail", args=[record.pk])
        return format_html(
            '<a href="{}">{}</a>', link, timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        )

    def render_action(self, value):
        return format_html(
            '<span title="{}" data-action="{}">{}</span>', value, value, action_sentence(value)
        )

    def value_action(self, value):
        return action_sentence(value)


def _day(text, end: bool = False):
    """The day as its first or last moment here; None at the edge of the calendar (no
    moment in UTC)."""
    try:
        moment = timezone.make_aware(datetime.combine(text, time.max if end else time.min))
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


class EntryFilter(ListFilter):
    action = django_filters.CharFilter(
        label=_("Action"), lookup_expr="startswith", widget=forms.Select
    )
    actor = django_filters.CharFilter(
        label=_("Who"), field_name="actor_repr", lookup_expr="icontains"
    )
    since = django_filters.DateFilter(
        label=_("From"), method="since_filter", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("To"), method="until_filter", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All"))]
        chosen = (self.data or {}).get("action", "")
        if chosen and chosen not in ACTION_SENTENCES:
            # a prefix typed in the address (``?action=accounts.``) stays chosen
            choices.append((chosen, _("The actions chosen in the address")))
        choices += [(group.label, group.choices) for group in action_groups()]
        self.form.fields["action"].widget.choices = choices

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(object_repr__icontains=value) | Q(actor_repr__icontains=value))

    def since_filter(self, queryset, name, value):
        moment = _day(value)
        return queryset.filter(created_at__gte=moment) if moment else queryset

    def until_filter(self, queryset, name, value):
        moment = _day(value, end=True)
        return queryset.filter(created_at__lte=moment) if moment else queryset
