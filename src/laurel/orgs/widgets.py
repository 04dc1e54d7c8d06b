"""The unit picker: a search box that finds units by name and offers the matches as radio
buttons (name · district), submitting the chosen unit's pk.

With JavaScript (``static/orgs/unit_picker.js``) the matches come as one types, from
``orgs:unit_pick``. Without it the form still works: the text typed is sent as
``<name>_q``; one match is the unit chosen, several come back as radio buttons to choose from.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import BadRequest

from laurel.orgs.models import Unit
from laurel.orgs.selectors import PICK_LIMIT, unit_choices, units_matching
from laurel.web.params import is_id


@dataclass(frozen=True)
class UnitQuery:
    """Text typed into a picker's search box, with no unit chosen yet."""

    text: str

    def __str__(self) -> str:
        return self.text


def pick_results(
    units, *, name: str, query: str, selected, required: bool, empty_choice: str = "none"
) -> dict:
    """What the results part of a picker shows: the unit chosen (kept while one searches on),
    the units matching ``query`` (at most ``PICK_LIMIT``), and whether there were more."""
    chosen = None
    if selected not in (None, "") and is_id(str(selected)):
        found = units.filter(pk=selected).first()
        chosen = unit_choices([found])[0] if found is not None else None
    matches = unit_choices(units_matching(units, query, limit=PICK_LIMIT + 1)) if query else []
    return {
        "name": name,
        "query": query,
        "chosen": chosen,
        "choices": [choice for choice in matches[:PICK_LIMIT] if choice != chosen],
        "searched": bool(query),
        "found_none": bool(query) and not matches,
        "more": len(matches) > PICK_LIMIT,
        "limit": PICK_LIMIT,
        "required": required,
        # what choosing no unit means: "none" (a form's unit left empty) or "any" (a filter off)
        "empty_choice": empty_choice if empty_choice in ("none", "any") else "none",
    }


class UnitPicker(forms.Widget):
    template_name = "orgs/widgets/unit_picker.html"
    queryset = None  # the units that may be chosen; set by ``UnitPickField``
    empty_choice = "none"  # "any" in a list's filter: no unit chosen is every unit

    def value_from_datadict(self, data, files, name):
        chosen = data.get(name, "")
        if chosen:
            if not is_id(str(chosen)):
                # our pages send a unit's pk: anything else is a forged request (``id_param``)
                raise BadRequest(f"{name} is not an id")
            return chosen
        text = data.get(f"{name}_q", "").strip()
        return UnitQuery(text) if text else None

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and f"{name}_q" not in data

    def use_required_attribute(self, initial) -> bool:
        return False  # the search box may stay empty once a unit is chosen

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        units = self.queryset if self.queryset is not None else Unit.objects.none()
        # shown again after a refusal, a NUL is left out of the search (PostgreSQL takes none)
        query = value.text.replace("\x00", "") if isinstance(value, UnitQuery) else ""
        context["widget"]["query"] = query
        context["widget"]["results"] = pick_results(
            units,
            name=name,
            query=query,
            selected=None if query else value,
            required=self.is_required,
            empty_choice=self.empty_choice,
        )
        return context
