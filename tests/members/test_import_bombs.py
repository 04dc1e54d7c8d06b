"""A workbook bomb (issue 18) sent to both roster imports — the console upload and
``laurel import-members`` — is refused with its reason before openpyxl parses any XML."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from laurel.core import tables
from laurel.members.models import Member, MemberImport
from tests import workbooks


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return workbooks.bomb_xlsx(60)  # ~230 KB that expands to 60 MB


@pytest.fixture
def loader_calls(monkeypatch):
    """Calls to openpyxl's loader; each one fails (no test parses a bomb)."""
    calls = []

    def loader(*args, **kwargs):
        calls.append(args)
        raise AssertionError("openpyxl was asked to parse the file")

    monkeypatch.setattr(tables.openpyxl, "load_workbook", loader)
    return calls


def test_the_console_import_refuses_a_bomb_on_the_form(world, client_as, bomb, loader_calls):
    upload = SimpleUploadedFile("花名册.xlsx", bomb)

    response = client_as("unit_admin").post(reverse("members:member_import"), {"file": upload})

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith("花名册.xlsx: ")
    assert "60 MB" in error  # what it expands to
    assert "50 MB" in error  # the limit
    assert loader_calls == []
    assert not MemberImport.objects.exists()


def test_import_members_refuses_a_bomb(world, bomb, loader_calls, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(bomb)

    with pytest.raises(CommandError) as refused:
        call_command("import-members", str(path))

    assert str(refused.value).startswith("花名册.xlsx: ")
    assert "60 MB" in str(refused.value)
    assert "50 MB" in str(refused.value)
    assert loader_calls == []
    assert not Member.objects.exists()
