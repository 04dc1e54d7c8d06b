"""``laurel import-units`` refuses a workbook bomb (issue 18) with its reason before
openpyxl parses any XML."""

import pytest
from django.core.management import CommandError, call_command

from laurel.core import tables
from laurel.orgs.models import Unit
from tests import workbooks


def test_import_units_refuses_a_bomb(world, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(tables.openpyxl, "load_workbook", lambda *a, **k: calls.append(a))
    path = tmp_path / "单位.xlsx"
    path.write_bytes(workbooks.bomb_xlsx(60))
    units = Unit.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("import-units", str(path))

    assert str(refused.value).startswith("单位.xlsx: ")
    assert "60 MB" in str(refused.value)
    assert "50 MB" in str(refused.value)
    assert calls == []
    assert Unit.objects.count() == units
