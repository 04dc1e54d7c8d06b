"""Sections of the console's entry page (``contests:console_entry``) that apps above contests
add from their AppConfig.ready() (awards: the entry's prize and its judging), so contests
import none of them.

A section is ``(key, place, order, template, context)``: ``context(access, entry)`` gives its
template's ``section``, or None when it is not for this viewer (each app asks its own
policy). ``FACTS`` sections are rows of the entry's facts (``<dt>``/``<dd>`` pairs);
``BELOW`` ones come after the fields and declarations. The template also sees the page's
``contest`` and ``entry``. Sections are kept in the order given (then by key); registering a
key again replaces it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FACTS = "facts"
BELOW = "below"


@dataclass(frozen=True)
class EntrySection:
    key: str
    place: str  # FACTS | BELOW
    order: int
    template: str
    context: Callable[[Any, Any], dict | None]  # (web.access.Access, Entry) → its context


_sections: dict[str, EntrySection] = {}


def entry_section_register(
    key: str,
    *,
    place: str,
    order: int,
    template: str,
    context: Callable[[Any, Any], dict | None],
) -> None:
    if place not in (FACTS, BELOW):
        raise ValueError(f"an entry section's place is {FACTS!r} or {BELOW!r}, not {place!r}")
    _sections[key] = EntrySection(key, place, order, template, context)


def entry_sections_for(access, entry) -> dict[str, list[dict]]:
    """The sections this viewer sees of ``entry``, by place, in order: each
    ``{"key", "template", "section"}``."""
    shown: dict[str, list[dict]] = {FACTS: [], BELOW: []}
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(access, entry)
        if context is not None:
            shown[section.place].append(
                {"key": section.key, "template": section.template, "section": context}
            )
    return shown
