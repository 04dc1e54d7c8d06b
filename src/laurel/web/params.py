"""Ids and whole numbers read from a query string or a posted form, the same way everywhere.

The rule: a parameter that is absent or blank is absent (``None``). One that is present must be
what our own pages send, a whole number of at most ``ID_DIGITS`` ASCII digits (so it fits every
integer column); anything else (``abc``, ``-1``, ``1e9``, 30 digits) is a bad request, refused
with ``BadRequest``: Django answers 400 with the ``web/error.html`` page (``handler400``).
Whether a well-formed id names something this user may see stays the view's business, through
its policy's scoped queryset (usually 404, or a list filter left off).

Page numbers are not read here: ``Paginator.get_page`` already turns garbage into a page.
"""

import re

from django.core.exceptions import BadRequest

from laurel.web.converters import ID_REGEX

_ID = re.compile(ID_REGEX)


def is_id(text: str) -> bool:
    """Whether ``text`` is an id as our pages send one (what ``id_param`` accepts)."""
    return bool(_ID.fullmatch(text))


def _id_parsed(name: str, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not is_id(value):
        raise BadRequest(f"The parameter {name!r} is not an id.")
    return int(value)


def id_param(params, name: str) -> int | None:
    """``params[name]`` (a ``QueryDict``: ``request.GET`` or ``request.POST``) as an id, or
    ``None`` when absent or blank; ``BadRequest`` (400) when it is not a whole number."""
    return _id_parsed(name, params.get(name, ""))


def id_list_param(params, name: str) -> list[int]:
    """Every ``name`` in ``params`` as ids (blank ones left out); ``BadRequest`` (400) when
    one of them is not a whole number."""
    ids = (_id_parsed(name, value) for value in params.getlist(name))
    return [pk for pk in ids if pk is not None]
