"""``{{ entry|entrant_heading }}`` or ``{{ contest|entrant_heading }}``: what the entrant is
called beside its name — "Author" for a member, "Team", "Unit" — wherever a page shows who an
entry belongs to (``contests.entrants.entrant_heading``)."""

from django import template

from laurel.contests import entrants

register = template.Library()
register.filter("entrant_heading", entrants.entrant_heading)
