"""One table for every long list: django-tables2 for columns, sorting and pages, django-filter
for search and filters, the one safe writer for the export of what is shown.

A list page declares a ``ListTable`` (its columns) and, where it is searched or filtered, a
``ListFilter`` (``q`` plus its filters); the view builds a ``Listing`` from the queryset its
policy scoped and renders ``web/_listing.html`` with it, or answers its export::

    listing = listing_build(request, UnitTable, units_visible(access), filters=UnitFilter)
    if listing.export_requested:
        return listing.export_response("units")
    return render(request, "orgs/unit_list.html", {"listing": listing})

The shared template draws the table full width with a sticky header, numbers right-aligned
(``NumberColumn``), short labels and badges never wrapped (``LabelColumn``, ``BadgeColumn``);
the search form reloads only the listing (htmx) and works without script. The export holds
every row the filters select, sorted as shown, with the table's columns as text (a column with
``exclude_from_export=True``, such as a row's actions, is left out) — the values the page shows,
masked where the page masks them.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
import django_tables2 as tables
from django import forms
from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laurel.core.sheet_writer import Sheet, xlsx_write

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_PAGE = 50
EXPORT_ROW_LIMIT = 100_000  # an export larger than this asks for a narrower filter


class ListTable(tables.Table):
    """The base of every list's table: the shared template and its look."""

    class Meta:
        template_name = "web/_table.html"
        attrs = {"class": "list-table"}
        empty_text = _("Nothing to show.")


class NumberColumn(tables.Column):
    """A number: right-aligned, digits aligned, never wrapped."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "num"}, "td": {"class": "num"}})
        super().__init__(*args, **kwargs)


class LabelColumn(tables.Column):
    """A short label (a kind, a state, a date): never wrapped."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "nowrap"}, "td": {"class": "nowrap"}})
        super().__init__(*args, **kwargs)


class DateTimeColumn(tables.DateTimeColumn):
    """A moment in the site's time zone, to the minute, never wrapped."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "Y-m-d H:i")
        kwargs.setdefault("attrs", {"th": {"class": "nowrap"}, "td": {"class": "nowrap"}})
        super().__init__(*args, **kwargs)


class BadgeColumn(LabelColumn):
    """A state as a coloured pill (``pill-<value>`` in app.css), its display name as text;
    the export holds the display name."""

    def render(self, value, record, bound_column):
        # ``value`` is already the display name for a field with choices: the stored value
        # names the class
        state = bound_column.accessor.resolve(record)
        return format_html(
            '<span class="pill pill-{}">{}</span>', state, self._display(record, bound_column)
        )

    def value(self, value, record, bound_column):
        return self._display(record, bound_column)

    @staticmethod
    def _display(record, bound_column) -> str:
        display = getattr(record, f"get_{bound_column.accessor}_display", None)
        return str(display()) if display else str(bound_column.accessor.resolve(record))


class ListFilter(django_filters.FilterSet):
    """The base of every list's filters: ``q`` searches (each list says how, in ``search``)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    refusal = ""  # why a search was refused (set by ``search``), said above the table

    @property
    def form(self):
        """The filter form, its ids its own (``userfilter-role``): a page's other form may have
        a field of the same name (the invitations page: ``role``)."""
        form = super().form
        form.auto_id = f"{type(self).__name__.lower()}-%s"
        return form

    def search(self, queryset, name, value):
        raise NotImplementedError


@dataclass
class Listing:
    """A list as one request asks for it: the table (this page of its rows), the filter form,
    how many rows the filters select."""

    request: HttpRequest
    table: ListTable
    filters: ListFilter | None
    count: int

    @property
    def records(self) -> list:
        """The objects on this page, in order."""
        return [row.record for row in self.table.paginated_rows]

    @property
    def export_requested(self) -> bool:
        return self.request.GET.get("export") == "xlsx"

    @property
    def filtered(self) -> bool:
        return bool(self.filters and any(self.filters.form.cleaned_data.values()))

    @property
    def refusal(self) -> str:
        return str(self.filters.refusal) if self.filters else ""

    def export_response(self, name: str) -> HttpResponse:
        """Every row the filters select, sorted as shown, as an .xlsx of the shown values."""
        values = self.table.as_values()
        header = [str(title) for title in next(values)]
        rows = (row for _number, row in zip(range(EXPORT_ROW_LIMIT), values, strict=False))
        content = xlsx_write([Sheet(title=name, header=header, rows=rows)])
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


def listing_build(
    request: HttpRequest,
    table_class: type[ListTable],
    queryset: QuerySet,
    *,
    filters: type[ListFilter] | None = None,
    table_kwargs: dict | None = None,
    per_page: int = ROWS_PER_PAGE,
) -> Listing:
    """The listing of ``queryset`` (already scoped by the caller's policy) for ``request``:
    filtered by its GET parameters, sorted by ``sort``, paginated by ``page``."""
    filter_set = None
    if filters is not None:
        filter_set = filters(request.GET or None, queryset=queryset, request=request)
        queryset = filter_set.qs if filter_set.is_bound and filter_set.is_valid() else queryset
        if filter_set.is_bound and not filter_set.is_valid():
            queryset = queryset.none()
        elif not filter_set.is_bound:
            filter_set.form.is_valid()  # an empty search: cleaned_data for the template
    table = table_class(queryset, **(table_kwargs or {}))  # given a request, it would page
    tables.RequestConfig(request, paginate=False).configure(table)  # the request, the order
    if request.GET.get("export") != "xlsx":
        _paginate(table, request.GET.get(table.prefixed_page_field), per_page)
    return Listing(request=request, table=table, filters=filter_set, count=len(table.rows))


def _paginate(table: ListTable, page: str | None, per_page: int) -> None:
    """The page asked for, of the list's own size (a ``per_page`` in the request is not read:
    garbage there answered 500, a huge one every row); a page that is not a number is the
    first, one out of range the last."""
    try:
        number = int(page or 1)
    except ValueError:
        number = 1
    try:
        table.paginate(per_page=per_page, page=number)
    except EmptyPage:
        table.paginate(per_page=per_page, page=table.paginator.num_pages)
