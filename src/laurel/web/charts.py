"""Chart geometry as CSS classes. The content security policy allows no ``style`` attribute,
so a bar's width or a mark's place on a 0–100 % axis is one of the classes ``app.css``
defines for each whole percent (``width-0`` … ``width-100``, ``left-0`` … ``left-100``):
a whole percent is finer than any of Laurel's charts can show.

``IntervalAxis`` draws scores with their 90% intervals on one axis for a whole table (the
judging console's results, the awards console's ranking and an entry's breakdown, the public
results): every page places a bar the same way."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe


def whole_percent(value) -> int:
    """``value`` (a number of percent, or its text) rounded and kept within 0–100."""
    return min(max(round(float(value or 0)), 0), 100)


def width_class(value) -> str:
    """A width; a positive one too small to round to 1 % is 1 %: what is there shows."""
    percent = whole_percent(value)
    if percent == 0 and float(value or 0) > 0:
        percent = 1
    return f"width-{percent}"


def left_class(value) -> str:
    return f"left-{whole_percent(value)}"


INDENT_DEEPEST = 8


def indent_class(depth) -> str:
    """A tree row's indentation by its depth (``indent-0`` … ``indent-8``; deeper rows as 8)."""
    return f"indent-{min(max(int(depth or 0), 0), INDENT_DEEPEST)}"


def bar_shares(parts, largest) -> tuple[str, list[str]]:
    """A stacked bar's geometry, as percent texts for ``width_class``: the bar as long as the
    sum of ``parts`` is of ``largest`` (the chart's longest bar), and each part's share of the
    bar (0 for an empty bar)."""
    total = sum(parts)
    length = 100 * total / largest if largest else 0
    return f"{length:.2f}", [f"{100 * part / total:.2f}" if total else "0.00" for part in parts]


@dataclass(frozen=True)
class IntervalBar:
    """A score's dot and its interval's range on an ``IntervalAxis``, in percent of the axis
    (0–100): the range from ``start`` to ``end``, the dot at ``dot``."""

    start: float
    end: float
    dot: float

    @property
    def range_classes(self) -> str:
        return f"{left_class(self.start)} {width_class(self.end - self.start)}"

    @property
    def dot_class(self) -> str:
        return left_class(self.dot)

    def markup(self) -> str:
        """The range and the dot as markup (classes made of numbers only: nothing to escape)."""
        return (
            f'<span class="interval-range {self.range_classes}"></span>'
            f'<span class="interval-dot {self.dot_class}"></span>'
        )


class IntervalAxis:
    """One axis shared by every score and 90% interval of a table, so that bars compare: from
    the least to the greatest of ``values`` (empty: 0 to 1; numbers or their text, None
    ignored). A value off the axis is drawn at its nearer end."""

    def __init__(self, values: Iterable[float | str | None]):
        numbers = [float(value) for value in values if value is not None and value != ""]
        self.low, self.high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
        self.span = (self.high - self.low) or 1.0  # one value: everything at the start

    def at(self, value: float | str) -> float:
        """Where ``value`` sits, in percent of the axis (0–100)."""
        return 100 * min(max((float(value) - self.low) / self.span, 0.0), 1.0)

    def bar(
        self,
        score: float | str | None,
        low: float | str | None = None,
        high: float | str | None = None,
    ) -> IntervalBar | None:
        """The score's dot and the range ``low``–``high`` (an end missing: the score's);
        None without a score."""
        if score is None or score == "":
            return None
        return IntervalBar(
            start=self.at(score if low is None else low),
            end=self.at(score if high is None else high),
            dot=self.at(score),
        )


def interval_html(bar: IntervalBar | None, title: str | None = None) -> str:
    """A table cell's interval chart: the track, and the bar on it if there is one;
    ``title`` (the interval as text) is escaped."""
    title_attribute = format_html(' title="{}"', title) if title is not None else ""
    return mark_safe(  # noqa: S308 - the title escaped above, the bar made of numbers
        f'<span class="interval"{title_attribute}>{bar.markup() if bar else ""}</span>'
    )
