"""The units list: its table and its search."""

import django_filters
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laurel.orgs.forms import UnitPickField
from laurel.orgs.models import Unit
from laurel.web.charts import indent_class
from laurel.web.tables import LabelColumn, ListFilter, ListTable


class UnitTable(ListTable):
    name = LabelColumn(verbose_name=_("Unit name"), order_by=("path",))
    kind = LabelColumn(verbose_name=_("Kind"))
    parent = LabelColumn(verbose_name=_("Parent unit"), accessor="parent__name", default="—")

    class Meta(ListTable.Meta):
        model = Unit
        fields = ("name", "kind", "parent")
        order_by = ("name",)

    def render_name(self, record):
        """In the tree's order, indented by depth; sorted otherwise, flat."""
        indent = indent_class(record.depth) if self.order_by in ((), ("name",)) else ""
        link = reverse("orgs:unit_detail", args=[record.pk])
        return format_html('<a class="{}" href="{}">{}</a>', indent, link, record.name)

    def value_name(self, record):
        return record.name


class UnitFilter(ListFilter):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Unit.Kind.choices, empty_label=_("All")
    )

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip())


class UnitPickFilter(django_filters.ModelChoiceFilter):
    """A list's filter by unit: chosen with the unit picker among ``queryset`` (the units the
    viewer may see), keeping the rows of that unit's whole subtree (``field_name`` is the
    path of the row's unit, e.g. ``unit__path``)."""

    field_class = UnitPickField

    @property
    def field(self):
        field = super().field
        field.widget.empty_choice = "any"  # no unit chosen: the filter is off
        return field

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__startswith": value.path})
