"""Chart geometry as CSS classes. The content security policy allows no ``style`` attribute,
so a bar's width or a mark's place on a 0–100 % axis is one of the classes ``app.css``
defines for each whole percent (``width-0`` … ``width-100``, ``left-0`` … ``left-100``):
a whole percent is finer than any of Laurel's charts can show."""


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
