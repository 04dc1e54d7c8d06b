"""A closed round's results as the organiser reads them: the table and its filters."""

import django_filters
import django_tables2 as tables
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laurel.contests.entrants import entrant_heading
from laurel.contests.models import Contest
from laurel.judging.models import Round
from laurel.web.charts import IntervalAxis, interval_html
from laurel.web.tables import LabelColumn, ListFilter, ListTable, NumberColumn

# the results filter's outcomes, by code: each mode says which it offers (``outcomes``)
OUTCOME_FILTERS = {
    "advanced": Q(advanced=True),
    "stopped": Q(advanced=False),
    "passed": Q(passed=True),
    "failed": Q(passed=False),
}


def _nulls_last(field: str, descending: bool):
    return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)


class ResultTable(ListTable):
    """Each entry's rank, score with its 90% interval (a bar on the round's common axis),
    reviews and outcome."""

    rank = NumberColumn(verbose_name=_("Rank"), default="—")
    entry = LabelColumn(
        verbose_name=_("Entry"), accessor="entry__number", attrs={"td": {"class": "mono"}}
    )
    title = tables.Column(verbose_name=_("Title"), accessor="entry__title")
    category = LabelColumn(
        verbose_name=_("Category"),
        accessor="entry__category__name",
        order_by=("entry__category__position", "entry__number"),
    )
    # the entrant's name (annotated by the view), headed by the contest's kind of entrant
    author = LabelColumn(verbose_name=_("Author"), accessor="entrant_name")
    unit = tables.Column(verbose_name=_("Unit"), accessor="entry__unit__name")
    score = NumberColumn(verbose_name=_("Score"), default="—")
    interval = tables.Column(
        # xgettext:no-python-format
        verbose_name=_("90% interval"),
        empty_values=(),
        orderable=False,
        attrs={"th": {"class": "interval-cell"}, "td": {"class": "interval-cell"}},
    )
    reviews = NumberColumn(verbose_name=_("Reviews"))
    outcome = LabelColumn(verbose_name=_("Outcome"), empty_values=())

    class Meta(ListTable.Meta):
        attrs = {"class": "list-table", "id": "results"}
        row_attrs = {
            "id": lambda record: f"result-{record.entry.code}",
            "data-rank": lambda record: "" if record.rank is None else record.rank,
            "data-advanced": lambda record: "true" if record.advanced else "false",
        }
        order_by = ("rank",)

    def __init__(self, *args, round_: Round, axis: IntervalAxis, **kwargs):
        self.round, self.round_mode = round_, round_.round_mode
        self.axis = self.round_mode.results_axis(axis)
        entrants = round_.contest.entrants
        if entrants == Contest.Entrants.UNITS:  # the entrant is the unit: one column
            kwargs["exclude"] = (*kwargs.get("exclude", ()), "unit")
        super().__init__(*args, **kwargs)
        self.columns["author"].column.verbose_name = entrant_heading(round_.contest)

    # sorting: the unranked (and unscored) last, either way
    def order_rank(self, queryset, is_descending):
        return queryset.order_by(_nulls_last("rank", is_descending), "entry__number"), True

    def order_score(self, queryset, is_descending):
        return queryset.order_by(_nulls_last("score", is_descending), "entry__number"), True

    def order_outcome(self, queryset, is_descending):
        """The entries that advanced (or passed) first, by rank; descending, the others."""
        field = self.round_mode.outcome_field
        return queryset.order_by(
            _nulls_last(field, not is_descending), _nulls_last("rank", False), "entry__number"
        ), True

    # cells
    def render_entry(self, record):
        link = reverse(
            "contests:console_entry", args=[self.round.contest.slug, record.entry.number]
        )
        return format_html('<a href="{}">{}</a>', link, record.entry.code)

    def value_entry(self, record):
        return record.entry.code

    def _score_text(self, record) -> str:
        return self.round_mode.score_text(record)

    @staticmethod
    def _interval_text(record) -> str:
        if record.low is None or record.high is None:
            return ""
        return f"{record.low:.2f} – {record.high:.2f}"

    def render_score(self, record):
        interval = self._interval_text(record)
        if not interval:
            return self._score_text(record)
        return format_html(
            '{}<br><span class="muted">{}</span>', self._score_text(record), interval
        )

    def value_score(self, record):
        return self._score_text(record)

    def render_interval(self, record):
        bar = self.axis.bar(record.score, record.low, record.high)
        if bar is None:
            return ""
        return interval_html(bar, title=self._interval_text(record))

    def value_interval(self, record):
        return self._interval_text(record)

    def render_outcome(self, record):
        return self.round_mode.outcome_html(record)

    def value_outcome(self, record):
        return str(self.round_mode.outcome_text(record))


class ResultFilter(ListFilter):
    """``q`` finds an entry by its number, title, author or unit."""

    category = django_filters.ChoiceFilter(
        label=_("Category"), field_name="entry__category", empty_label=_("All")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), empty_label=_("All"), method="with_outcome"
    )

    round: Round  # set by for_round

    @classmethod
    def for_round(cls, round_: Round) -> type["ResultFilter"]:
        """The filters of ``round_``'s results: its contest's categories, its mode's outcomes."""
        return type(cls.__name__, (cls,), {"round": round_})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].extra["choices"] = [
            (str(category.pk), category.name) for category in self.round.contest.categories.all()
        ]
        self.filters["outcome"].extra["choices"] = self.round.round_mode.outcomes

    def search(self, queryset, name, value):
        text = value.strip().lstrip("#")
        found = (
            Q(entry__title__icontains=text)
            | Q(entry__author__name__icontains=text)
            | Q(entry__team__name__icontains=text)
            | Q(entry__unit__name__icontains=text)
        )
        if text.isascii() and text.isdigit() and len(text) <= 9:
            found |= Q(entry__number=int(text))
        return queryset.filter(found)

    def with_outcome(self, queryset, name, value):
        return queryset.filter(OUTCOME_FILTERS[value])
