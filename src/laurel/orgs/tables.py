"""The units list: its table and its search."""

import django_filters
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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
