"""An audit entry's data as a reader sees it: labelled rows, units by name (code in a title).

Audit sits below the apps whose codes its entries hold, so those apps name their codes: each
registers a namer (``code_namer_register``, from its ``AppConfig.ready()``), a function from
a set of strings to the names of those that are its codes (orgs: unit codes)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CodeNamer = Callable[[set[str]], dict[str, str]]
_code_namers: list[CodeNamer] = []


def code_namer_register(namer: CodeNamer) -> None:
    if namer not in _code_namers:
        _code_namers.append(namer)


def _names_of_codes(strings: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for namer in _code_namers:
        names.update(namer(strings))
    return names


DATA_LABELS = {
    "after": _("after"),
    "before": _("before"),
    "code": _("unit"),
    "count": _("how many"),
    "entry": _("entry"),
    "error": _("error"),
    "file": _("file"),
    "from": _("from"),
    "from_unit": _("from unit"),
    "id_card": _("ID number"),
    "judge": _("judge"),
    "kind": _("kind"),
    "mobile": _("mobile"),
    "name": _("name"),
    "parent": _("parent unit"),
    "reason": _("reason"),
    "role": _("role"),
    "to": _("to"),
    "unit": _("unit"),
}


@dataclass(frozen=True)
class DataRow:
    label: str
    value: str
    code: str = ""  # the unit code the value names, for a title


def entry_data_rows(data: dict) -> list[DataRow]:
    """One row per value (nested dictionaries flattened, their labels joined by " · ");
    a string that is a registered code (a unit's) is shown as its name."""
    flat: list[tuple[str, object]] = []
    _flatten(data, [], flat)
    values = [v for _label, value in flat for v in (value if isinstance(value, list) else [value])]
    strings = {v for v in values if isinstance(v, str) and 0 < len(v) <= 64}
    names = _names_of_codes(strings)

    def shown(value) -> str:
        if isinstance(value, str):
            return names.get(value, value) or "—"
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        return "—" if value is None else str(value)

    rows = []
    for label, value in flat:
        if isinstance(value, list):
            rows.append(DataRow(label, ", ".join(shown(v) for v in value) or "—"))
        else:
            code = value if isinstance(value, str) and value in names else ""
            rows.append(DataRow(label, shown(value), code=code))
    return rows


def _flatten(data: dict, labels: list[str], into: list) -> None:
    for key, value in data.items():
        label = [*labels, str(DATA_LABELS.get(key, str(key).replace("_", " ")))]
        if isinstance(value, dict) and value:
            _flatten(value, label, into)
        else:
            into.append((" · ".join(label), value))
