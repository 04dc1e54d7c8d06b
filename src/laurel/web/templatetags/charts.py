"""``{% load charts %}``: chart geometry as CSS classes (see ``laurel.web.charts``), e.g.
``<span class="bar {{ row.width|width_class }}">``."""

from django import template

from laurel.web import charts

register = template.Library()
register.filter("width_class", charts.width_class)
register.filter("left_class", charts.left_class)
register.filter("indent_class", charts.indent_class)
