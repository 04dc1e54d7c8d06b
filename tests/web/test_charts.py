"""The one interval chart (web.charts.IntervalAxis): a score's dot and its 90% interval as a
bar on an axis common to a whole table, drawn as CSS classes (the CSP allows no style=).
The judging console, the awards console and the public results all draw with it."""

import pytest
from django.template import Context, Template

from laurel.web.charts import IntervalAxis, IntervalBar, interval_html


def test_the_axis_runs_from_the_least_to_the_greatest_value():
    axis = IntervalAxis([4.0, None, 9.0, 2.0])
    assert (axis.low, axis.high) == (2.0, 9.0)
    assert axis.at(2.0) == 0
    assert axis.at(9.0) == 100
    assert axis.at(5.5) == pytest.approx(50)


def test_an_empty_axis_runs_from_0_to_1():
    axis = IntervalAxis([None, ""])
    assert (axis.low, axis.high) == (0.0, 1.0)
    assert axis.at(0.25) == pytest.approx(25)
    assert axis.bar(None) is None  # no score: nothing to draw


def test_one_value_puts_everything_at_the_start():
    axis = IntervalAxis([7.0, 7.0])
    bar = axis.bar(7.0)
    assert (bar.start, bar.end, bar.dot) == (0, 0, 0)
    assert (bar.range_classes, bar.dot_class) == ("left-0 width-0", "left-0")


def test_a_value_off_the_axis_is_drawn_at_its_nearer_end():
    axis = IntervalAxis([0.0, 10.0])
    assert axis.at(-3.0) == 0
    assert axis.at(12.0) == 100
    bar = axis.bar(11.0, 9.0, 14.0)
    assert (bar.start, bar.end, bar.dot) == (90, 100, 100)


def test_a_score_outside_its_interval_is_drawn_where_it_is():
    bar = IntervalAxis([0.0, 10.0]).bar(9.0, 2.0, 5.0)
    assert (bar.start, bar.end, bar.dot) == (20, 50, 90)
    assert (bar.range_classes, bar.dot_class) == ("left-20 width-30", "left-90")


def test_an_interval_of_no_width_has_width_0_and_a_tiny_one_shows():
    axis = IntervalAxis([0.0, 10.0])
    assert axis.bar(5.0, 5.0, 5.0).range_classes == "left-50 width-0"
    assert axis.bar(5.0, 5.0, 5.001).range_classes == "left-50 width-1"


def test_a_missing_end_of_the_interval_is_the_score():
    axis = IntervalAxis([0.0, 10.0])
    assert axis.bar(4.0).range_classes == "left-40 width-0"  # no interval at all
    assert axis.bar(4.0, None, 6.0).range_classes == "left-40 width-20"
    assert axis.bar(4.0, 3.0, None).range_classes == "left-30 width-10"


def test_values_may_be_the_text_of_a_published_snapshot():
    axis = IntervalAxis(["2.5000", None, "7.5000", ""])
    assert (axis.low, axis.high) == (2.5, 7.5)
    bar = axis.bar("5.0000", "4.0000", "6.0000")
    assert (bar.range_classes, bar.dot_class) == ("left-30 width-40", "left-50")
    assert axis.bar("") is None


def test_places_are_rounded_once_to_a_whole_percent():
    bar = IntervalBar(start=85.47, end=94.6, dot=89.5)
    assert bar.range_classes == "left-85 width-9"  # 85.47, not 85.5 then 86
    assert bar.dot_class == "left-90"


def test_the_markup_is_the_track_with_the_range_and_the_dot():
    bar = IntervalAxis([0.0, 10.0]).bar(5.0, 4.0, 6.0)
    assert interval_html(bar) == (
        '<span class="interval"><span class="interval-range left-40 width-20"></span>'
        '<span class="interval-dot left-50"></span></span>'
    )
    assert interval_html(None) == '<span class="interval"></span>'  # the track alone


def test_the_title_is_escaped_and_written_even_when_empty():
    assert interval_html(None, title='<b>"1 – 2"</b>') == (
        '<span class="interval" title="&lt;b&gt;&quot;1 – 2&quot;&lt;/b&gt;"></span>'
    )
    assert interval_html(None, title="") == '<span class="interval" title=""></span>'


def test_templates_draw_the_same_markup_with_interval_bar():
    bar = IntervalAxis([0.0, 10.0]).bar(5.0, 4.0, 6.0)
    template = Template("{% load charts %}{% interval_bar bar title=title %}")
    rendered = template.render(Context({"bar": bar, "title": "4.00 – 6.00"}))
    assert rendered == interval_html(bar, title="4.00 – 6.00")
    assert 'title="4.00 – 6.00"' in rendered
