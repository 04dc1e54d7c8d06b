"""The console's contest lists: the contests, and one contest's entries (tables and filters)."""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from laurel.contests import bulk, policy
from laurel.contests.content import PHOTO, ContentKind
from laurel.contests.entrants import (
    KIND_OF,
    entrant_name_expression,
    entrant_related,
    kind_heading,
)
from laurel.contests.models import Contest, Entry
from laurel.web.tables import (
    BadgeColumn,
    DateTimeColumn,
    LabelColumn,
    ListFilter,
    ListTable,
    NumberColumn,
)

# --- the contests ---------------------------------------------------------------------------


def with_entry_counts(contests: QuerySet[Contest], entries: QuerySet[Entry]) -> QuerySet[Contest]:
    """Each contest with ``live`` (entries holding a place) and ``total``, counted among
    ``entries`` (the viewer's scoped entries), as sortable annotations."""

    def counted(**where):
        rows = (
            entries.filter(contest=OuterRef("pk"), **where)
            .order_by()
            .values("contest")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return contests.annotate(live=counted(state__in=Entry.LIVE_STATES), total=counted())


class ContestTable(ListTable):
    title = tables.Column(verbose_name=_("Contest"))
    state = BadgeColumn(verbose_name=_("State"))
    opens_at = DateTimeColumn(verbose_name=_("Entries open"))
    closes_at = DateTimeColumn(verbose_name=_("Entries close"))
    live = NumberColumn(
        verbose_name=_("Entries"),
        attrs={
            "th": {"class": "num", "title": _("Entries holding a place")},
            "td": {"class": "num"},
        },
    )
    total = NumberColumn(verbose_name=_("All entries"))
    actions = LabelColumn(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "list-table", "id": "contest-table"}
        row_attrs = {"id": lambda record: f"contest-{record.slug}"}
        order_by = ("-opens_at",)

    def render_title(self, record):
        link = reverse("contests:console_contest", args=[record.slug])
        return format_html(
            '<a href="{}">{}</a><br><span class="muted mono">{}</span>',
            link,
            record.title,
            record.slug,
        )

    def value_title(self, record):
        return record.title

    def render_live(self, record):
        link = reverse("contests:console_entry_list", args=[record.slug])
        return format_html('<a href="{}" class="entry-count">{}</a>', link, record.live)

    def value_live(self, record):
        return record.live

    def render_actions(self, record):
        if record.state != Contest.State.OPEN or not policy.may_submit_for_members(
            self.request.user.access, record
        ):
            return ""
        submit = format_html(
            '<a class="submit-for-member" href="{}">{}</a>',
            reverse("contests:console_entry_submit", args=[record.slug]),
            _("Submit for a member"),
        )
        if bulk.bulk_refusal(record):  # a spreadsheet cannot enter this contest
            return submit
        return format_html(
            '{}<br><a class="bulk-submission" href="{}">{}</a>',
            submit,
            reverse("contests:console_bulk", args=[record.slug]),
            _("Bulk submission"),
        )


class ContestFilter(ListFilter):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Contest.State.choices, empty_label=_("All")
    )

    def search(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(title__icontains=text) | Q(slug__icontains=text))


# --- one contest's entries ------------------------------------------------------------------


class EntryTable(ListTable):
    thumb = LabelColumn(
        verbose_name="",
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "thumb-cell"}},
    )
    code = LabelColumn(verbose_name=_("No."), order_by=("number",), attrs={"td": {"class": "mono"}})
    title = tables.Column(verbose_name=_("Title"))
    category = LabelColumn(
        verbose_name=_("Category"), accessor="category__name", order_by=("category__position",)
    )
    kind = LabelColumn(verbose_name=_("Kind"))
    # the entrant's name (``entries_for_table``), headed by the contest's kind of entrant
    author = LabelColumn(verbose_name=_("Author"), accessor="entrant_name")
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name")
    state = BadgeColumn(verbose_name=_("State"))
    pending_flags = NumberColumn(verbose_name=_("Flags"))

    class Meta(ListTable.Meta):
        attrs = {"class": "list-table entries", "id": "entries"}
        row_attrs = {"id": lambda record: f"entry-{record.number}"}
        order_by = ("code",)

    def __init__(
        self,
        *args,
        entrants: str = Contest.Entrants.MEMBERS,
        content: ContentKind = PHOTO,
        **kwargs,
    ):
        excluded = []
        if entrants == Contest.Entrants.UNITS:  # the entrant is the unit: one column
            excluded.append("unit")
        if not content.takes_files:  # no thumbnail to show
            excluded.append("thumb")
        if not content.shows_kind:  # single or series: a photo contest's notion
            excluded.append("kind")
        if excluded:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), *excluded)
        super().__init__(*args, **kwargs)
        self.columns["author"].column.verbose_name = kind_heading(KIND_OF[entrants])

    @staticmethod
    def entries_for_table(entries: QuerySet[Entry]) -> QuerySet[Entry]:
        """``entries`` with what the table reads: the entrant's name among them."""
        return entries.select_related("contest", "category", *entrant_related()).annotate(
            entrant_name=entrant_name_expression()
        )

    def _link(self, record) -> str:
        return reverse("contests:console_entry", args=[record.contest.slug, record.number])

    def render_thumb(self, record):
        photos = record.files.all()
        thumb = render_to_string(
            "contests/_console_thumb.html",
            {"photo": photos[0] if photos else None, "alt": record.title},
        )
        return format_html('<a href="{}">{}</a>', self._link(record), thumb)

    def render_code(self, record):
        return format_html('<a href="{}">{}</a>', self._link(record), record.code)

    def value_code(self, record):
        return record.code

    def render_kind(self, record):
        if record.kind != Entry.Kind.SERIES:
            return record.get_kind_display()
        count = len(record.files.all())
        return ngettext("series, %(n)d photo", "series, %(n)d photos", count) % {"n": count}

    def render_pending_flags(self, record):
        if not record.pending_flags:
            return mark_safe('<span class="muted">—</span>')  # noqa: S308 (a constant)
        link = reverse("contests:console_screening", args=[record.contest.slug])
        return format_html('<a class="flag-count" href="{}">{}</a>', link, record.pending_flags)

    def value_pending_flags(self, record):
        return record.pending_flags


class EntryFilter(ListFilter):
    """One contest's entries: ``q`` finds a title, an entrant (member, team or unit), a unit
    or an entry's number."""

    category = django_filters.ChoiceFilter(label=_("Category"), empty_label=_("All"))
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Entry.State.choices, empty_label=_("All")
    )
    flagged = django_filters.BooleanFilter(
        label=_("With flags to decide"), method="with_pending_flags", widget=forms.CheckboxInput
    )

    contest: Contest  # set by for_contest
    shows_flags: bool = False

    @classmethod
    def for_contest(cls, contest: Contest, *, shows_flags: bool) -> type["EntryFilter"]:
        """The filters of ``contest``'s entries (its categories to choose from); the flags
        filter only for a viewer who sees flags."""
        return type(cls.__name__, (cls,), {"contest": contest, "shows_flags": shows_flags})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].extra["choices"] = [
            (str(category.pk), category.name) for category in self.contest.categories.all()
        ]
        if not self.shows_flags:
            del self.filters["flagged"]

    def search(self, queryset, name, value):
        text = value.strip().lstrip("#")
        found = (
            Q(title__icontains=text)
            | Q(author__name__icontains=text)
            | Q(team__name__icontains=text)
            | Q(unit__name__icontains=text)
        )
        if text.isascii() and text.isdigit() and len(text) <= 9:
            found |= Q(number=int(text))
        return queryset.filter(found)

    def with_pending_flags(self, queryset, name, value):
        return queryset.filter(pending_flags__gt=0) if value else queryset


# --- a contest's figures by unit ------------------------------------------------------------


class DistrictFiguresTable(ListTable):
    """A contest's figures per district (``contests.selectors.unit_statistics``): each
    district's name leads to its units."""

    district = tables.Column(verbose_name=_("District"), accessor="name")
    entries = NumberColumn(verbose_name=_("Entries"))
    accepted = NumberColumn(
        verbose_name=_("Accepted"),
        attrs={
            "th": {"class": "num", "title": _("Accepted, qualified or awarded")},
            "td": {"class": "num"},
        },
    )
    prizes = NumberColumn(verbose_name=_("Prizes"))
    entrants = NumberColumn(
        verbose_name=_("Entrants"),
        attrs={
            "th": {"class": "num", "title": _("Members, teams or units with entries")},
            "td": {"class": "num"},
        },
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "list-table", "id": "statistics-table"}
        row_attrs = {
            "id": lambda record: f"figures-{record.unit.pk}{'-own' if record.itself else ''}",
            "data-entries": lambda record: record.entries,
            "data-accepted": lambda record: record.accepted,
            "data-prizes": lambda record: record.prizes,
            "data-entrants": lambda record: record.entrants,
        }

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest

    def render_district(self, record):
        if record.itself or record.district is None:
            return record.name
        link = reverse("contests:console_statistics_unit", args=[self.contest.slug, record.unit.pk])
        return format_html('<a href="{}">{}</a>', link, record.name)

    def value_district(self, record):
        return record.name


class UnitFiguresTable(DistrictFiguresTable):
    """A contest's figures per unit within one district, the district beside each."""

    district = tables.Column(verbose_name=_("District"), accessor="district_name")
    unit = tables.Column(verbose_name=_("Unit"), accessor="name")

    class Meta(DistrictFiguresTable.Meta):
        sequence = ("district", "unit", "...")

    def render_district(self, record):
        return record.district_name

    def value_district(self, record):
        return record.district_name
