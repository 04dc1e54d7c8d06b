"""A unit's spreadsheet of entries (the console's bulk submission) that is a workbook bomb
(issue 18) is refused on the form with its reason before openpyxl parses any XML."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laurel.contests.models import BulkSubmission
from laurel.core import tables
from tests import workbooks


def test_the_bulk_sheet_refuses_a_bomb_on_the_form(contest, client_as, monkeypatch):
    calls = []
    monkeypatch.setattr(tables.openpyxl, "load_workbook", lambda *a, **k: calls.append(a))
    sheet = SimpleUploadedFile("作品清单.xlsx", workbooks.bomb_xlsx(60))

    response = client_as("unit_admin").post(
        reverse("contests:console_bulk", args=[contest.slug]), {"sheet": sheet}
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["sheet"]
    assert error.startswith("作品清单.xlsx: ")
    assert "60 MB" in error
    assert "50 MB" in error
    assert calls == []
    assert not BulkSubmission.objects.exists()
