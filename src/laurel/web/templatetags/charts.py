"""``{% load charts %}``: chart geometry as CSS classes (see ``laurel.web.charts``), e.g.
``<span class="bar {{ row.width|width_class }}">``; ``{% interval_bar bar title=… %}`` draws an
``IntervalBar`` on its track."""

from django import template

from laurel.web import charts

register = template.Library()
register.filter("width_class", charts.width_class)
register.filter("left_class", charts.left_class)
register.filter("indent_class", charts.indent_class)
register.simple_tag(charts.interval_html, name="interval_bar")
