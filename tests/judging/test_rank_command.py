"""``laurel rank``: rankings from CSV files, through the command as other tools call it.

Most tests go through ``call_command`` (no database); two run the real console script in a
subprocess to check the exit code and what lands on stdout. The reference inputs and their
hand-checked answers are shared with the core's tests (``tests/core/ranking_cases``).
"""

import csv
import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import helpers

CASES = Path(__file__).parent.parent / "core" / "ranking_cases"
HEADER = ["rank", "entry", "score", "low", "high", "reviews"]

SCORES = """entry,judge,score
E1,J1,7
E1,J2,8
E2,J1,9
E2,J2,6
E3,J1,4
E3,J2,5
"""

# Three judges, every one scores every entry; J2 is two points more lenient.
CONNECTED = """entry,judge,score
A,J1,8
A,J2,10
A,J3,7
B,J1,6
B,J2,8
B,J3,6
C,J1,4
C,J2,6
C,J3,5
D,J1,7
D,J2,9
D,J3,7
"""

PAIRS = "judge,winner,loser\n" + "".join(
    f"{judge},{winner},{loser}\n"
    for judge in ("J1", "J2", "J3")
    for winner, loser in [("A", "B"), ("B", "C"), ("A", "C")] * 2
)


# --- helpers -------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run_rank(*args) -> tuple[str, str]:
    """Run the command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("rank", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refusal(*args) -> str:
    """Run the command expecting a CommandError; return its message."""
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("rank", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""
    return str(refused.value)


def parse(output: str) -> list[dict[str, str]]:
    """The rows of a ranking CSV, after checking its header, its shape and its ranks."""
    rows = list(csv.reader(io.StringIO(output)))
    assert rows[0] == HEADER
    assert all(len(row) == len(HEADER) for row in rows[1:]), rows
    records = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    assert [int(row["rank"]) for row in records] == list(range(1, len(records) + 1))
    assert len({row["entry"] for row in records}) == len(records)
    return records


def read_expected(name: str) -> list[dict[str, str]]:
    with (CASES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_same_ranking(got: list[dict[str, str]], want: list[dict[str, str]]) -> None:
    assert [(r["rank"], r["entry"], r["reviews"]) for r in got] == [
        (r["rank"], r["entry"], r["reviews"]) for r in want
    ]
    assert [float(r["score"]) for r in got] == pytest.approx(
        [float(r["score"]) for r in want], abs=1e-3
    )
    assert [(r["low"], r["high"]) for r in got] == [(r["low"], r["high"]) for r in want]


# --- reference cases through the command ---------------------------------------------------


@pytest.mark.parametrize(
    ("source", "args", "answer"),
    [
        ("mean.csv", ["--method", "mean"], "expected_mean.csv"),
        ("trimmed_3.csv", ["--method", "trimmed"], "expected_trimmed_3_trim1.csv"),
        ("trimmed_5.csv", ["--method", "trimmed", "--trim", "2"], "expected_trimmed_5_trim2.csv"),
        ("trimmed_7.csv", ["--method", "trimmed", "--trim", "1"], "expected_trimmed_7_trim1.csv"),
        ("trimmed_7.csv", ["--method", "trimmed", "--trim", "2"], "expected_trimmed_7_trim2.csv"),
        ("trimmed_9.csv", ["--method", "trimmed", "--trim", "2"], "expected_trimmed_9_trim2.csv"),
        ("zscore.csv", ["--method", "zscore", "--scale", "1:10"], "expected_zscore.csv"),
    ],
)
def test_reference_cases_through_the_command(source, args, answer):
    out, _err = run_rank(CASES / source, *args)
    assert_same_ranking(parse(out), read_expected(answer))


def test_the_output_has_four_decimals_and_empty_intervals_for_mean():
    out, err = run_rank(CASES / "mean.csv", "--method", "mean")
    assert out.splitlines() == [
        "rank,entry,score,low,high,reviews",
        "1,E1,8.0000,,,3",
        "2,E4,8.0000,,,3",
        "3,E5,8.0000,,,2",
        "4,E2,7.5000,,,2",
        "5,E3,7.0000,,,3",
    ]
    assert err == ""  # mean reports no judges, parts or flags


@pytest.mark.parametrize("method", ["mean", "trimmed", "zscore"])
def test_low_and_high_are_empty_without_an_interval(tmp_path, method):
    rows = parse(run_rank(write(tmp_path, "s.csv", CONNECTED), "--method", method)[0])
    assert len(rows) == 4
    assert all(row["low"] == "" and row["high"] == "" for row in rows)


def test_calibrated_is_the_default_and_fills_the_interval(tmp_path):
    source = write(tmp_path, "s.csv", CONNECTED)
    default, err = run_rank(source, "--scale", "1:10")
    assert default == run_rank(source, "--method", "calibrated", "--scale", "1:10")[0]
    rows = parse(default)
    assert len(rows) == 4
    # Raw means A 8.33, D 7.67, B 6.67, C 5: every judge agrees on this order.
    assert [row["entry"] for row in rows] == ["A", "D", "B", "C"]
    for row in rows:
        assert 1 <= float(row["low"]) <= float(row["score"]) <= float(row["high"]) <= 10
        assert row["reviews"] == "3"
    # One report line per judge; J2, the lenient one, has the largest offset.
    lines = [line for line in err.splitlines() if line.startswith("judge ")]
    assert [line.split(":")[0] for line in lines] == ["judge J1", "judge J2", "judge J3"]
    offsets = {
        line.split(":")[0][6:]: float(line.split("offset ")[1].split(",")[0]) for line in lines
    }
    assert max(offsets, key=offsets.get) == "J2"
    assert "separate parts" not in err


def test_bt_ranks_pairs_and_fills_the_interval(tmp_path):
    out, err = run_rank(write(tmp_path, "pairs.csv", PAIRS), "--method", "bt")
    rows = parse(out)
    assert [row["entry"] for row in rows] == ["A", "B", "C"]
    scores = [float(row["score"]) for row in rows]
    assert scores[0] > scores[1] > scores[2]
    for row in rows:
        assert float(row["low"]) < float(row["score"]) < float(row["high"])
        assert row["reviews"] == "12"
    assert [line.split(":")[0] for line in err.splitlines()] == ["judge J1", "judge J2", "judge J3"]
    assert all("6 choices, reliability" in line for line in err.splitlines())


def test_separate_parts_are_reported_on_stderr(tmp_path):
    source = write(
        tmp_path,
        "s.csv",
        "entry,judge,score\nE1,A,5\nE2,A,7\nE1,B,6\nE2,B,8\nF1,C,3\nF2,C,9\nF1,D,4\nF2,D,8\n",
    )
    out, err = run_rank(source)
    assert "separate parts" in err
    assert "2 separate parts" in err
    assert "part 1: 2 entries, judges A, B" in err
    assert "part 2: 2 entries, judges C, D" in err
    score = {row["entry"]: float(row["score"]) for row in parse(out)}
    assert (score["E1"] + score["E2"]) / 2 == pytest.approx(6.5, abs=1e-3)  # (5+7+6+8)/4
    assert (score["F1"] + score["F2"]) / 2 == pytest.approx(6.0, abs=1e-3)  # (3+9+4+8)/4


def test_tolerance_flags_are_reported_on_stderr():
    # trimmed_7.csv with trim=2: kept spreads S1 1, S3 4, S4 0, S6 1, S5 5 (see the core tests).
    out, err = run_rank(
        CASES / "trimmed_7.csv", "--method", "trimmed", "--trim", "2", "--tolerance", "3"
    )
    assert err.splitlines() == ["beyond the tolerance (kept scores differ too much): S3, S5"]
    assert_same_ranking(parse(out), read_expected("expected_trimmed_7_trim2.csv"))


def test_extra_columns_are_ignored_and_columns_may_come_in_any_order(tmp_path):
    plain = run_rank(write(tmp_path, "plain.csv", SCORES), "--method", "mean")[0]
    extra = "category,score,note,judge,entry,weight\n" + "".join(
        f"山水,{score},“好”,{judge},{entry},{index}\n"
        for index, (entry, judge, score) in enumerate(
            line.split(",") for line in SCORES.splitlines()[1:]
        )
    )
    assert run_rank(write(tmp_path, "extra.csv", extra), "--method", "mean")[0] == plain
    rows = parse(plain)
    # E2 (9+6)/2 = 7.5, E1 (7+8)/2 = 7.5 → tie, 2 reviews each, raw mean equal → "E1" < "E2".
    assert [(r["entry"], r["score"]) for r in rows] == [
        ("E1", "7.5000"),
        ("E2", "7.5000"),
        ("E3", "4.5000"),
    ]


def test_a_header_in_other_case_and_spacing_is_accepted(tmp_path):
    source = write(tmp_path, "s.csv", "\ufeff Entry , JUDGE ,Score\nE1,J1,7\nE1,J2,9\n")
    assert parse(run_rank(source, "--method", "mean")[0]) == [
        {"rank": "1", "entry": "E1", "score": "8.0000", "low": "", "high": "", "reviews": "2"}
    ]


# --- --out ---------------------------------------------------------------------------------


def test_out_is_written_on_success_and_stdout_stays_empty(tmp_path):
    source = write(tmp_path, "s.csv", SCORES)
    to_stdout = run_rank(source, "--method", "mean")[0]
    target = tmp_path / "ranking.csv"
    target.write_bytes(b"old contents\n")
    out, _err = run_rank(source, "--method", "mean", "--out", target)
    assert out == ""
    assert target.read_text(encoding="utf-8") == to_stdout
    assert [row["entry"] for row in parse(to_stdout)] == ["E1", "E2", "E3"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_out_in_a_missing_folder_is_refused(tmp_path):
    source = write(tmp_path, "s.csv", SCORES)
    message = refusal(source, "--out", tmp_path / "nowhere" / "ranking.csv")
    assert "folder does not exist" in message
    assert not (tmp_path / "nowhere").exists()


# --- bad input -----------------------------------------------------------------------------

BAD_SCORES = [
    # (name, text, extra arguments, what the message must say)
    (
        "missing column",
        "entry,judge,points\nE1,J1,7\n",
        [],
        ["row 1", "missing column score", "entry, judge, points"],
    ),
    (
        "non-numeric score",
        "entry,judge,score\nE1,J1,7\nE2,J1,seven\n",
        [],
        ["row 3", "'seven'", "not a number"],
    ),
    ("nan score", "entry,judge,score\nE1,J1,nan\n", [], ["row 2", "not a number"]),
    ("empty score", "entry,judge,score\nE1,J1,7\nE2,J2,\n", [], ["row 3", "score", "empty"]),
    (
        "score above the scale",
        "entry,judge,score\nE1,J1,7\nE2,J1,10\nE3,J1,11\n",
        ["--scale", "1:10"],
        ["row 4", "11", "outside the scale 1–10"],
    ),
    (
        "score below the scale",
        "entry,judge,score\nE1,J1,0.5\n",
        ["--scale", "1:10"],
        ["row 2", "0.5", "outside the scale"],
    ),
    (
        "duplicate entry-judge pair",
        "entry,judge,score\nE1,J1,7\nE2,J1,8\nE1,J2,6\nE1,J1,9\n",
        [],
        ["row 5", "also in row 2", "'J1'", "'E1'", "twice"],
    ),
    ("empty file", "", [], ["is empty"]),
    ("header only", "entry,judge,score\n", [], ["no rows after its header"]),
    ("header and blank lines", "entry,judge,score\n\n,,\n", [], ["no rows after its header"]),
]


@pytest.mark.parametrize(
    ("text", "args", "says"), [case[1:] for case in BAD_SCORES], ids=[c[0] for c in BAD_SCORES]
)
@pytest.mark.parametrize("method", ["mean", "calibrated"])
def test_bad_scores_are_refused_naming_the_row(tmp_path, text, args, says, method):
    source = write(tmp_path, "scores.csv", text)
    message = refusal(source, "--method", method, *args)
    assert str(source) in message
    for part in says:
        assert part in message, (part, message)
    assert len(message.splitlines()) == 1


def test_a_score_on_the_scale_ends_is_accepted(tmp_path):
    source = write(tmp_path, "s.csv", "entry,judge,score\nE1,J1,1\nE2,J1,10\nE3,J1,5.5\n")
    rows = parse(run_rank(source, "--method", "mean", "--scale", "1:10")[0])
    assert [(r["entry"], r["score"]) for r in rows] == [
        ("E2", "10.0000"),
        ("E3", "5.5000"),
        ("E1", "1.0000"),
    ]


BAD_PAIRS = [
    ("missing loser", "judge,winner\nJ1,A\n", ["row 1", "missing column loser"]),
    (
        "winner is loser",
        "judge,winner,loser\nJ1,A,B\nJ1,B,B\n",
        ["row 3", "'B'", "cannot beat itself"],
    ),
    ("empty judge", "judge,winner,loser\nJ1,A,B\n,A,C\n", ["row 3", "judge", "empty"]),
    ("empty file", "", ["is empty"]),
    ("header only", "judge,winner,loser\n", ["no rows after its header"]),
    ("a scores file", SCORES, ["row 1", "missing column winner, loser"]),
]


@pytest.mark.parametrize(
    ("text", "says"), [c[1:] for c in BAD_PAIRS], ids=[c[0] for c in BAD_PAIRS]
)
def test_bad_pairs_are_refused_naming_the_row(tmp_path, text, says):
    source = write(tmp_path, "pairs.csv", text)
    message = refusal(source, "--method", "bt")
    assert str(source) in message
    for part in says:
        assert part in message, (part, message)


def test_a_missing_file_is_refused(tmp_path):
    message = refusal(tmp_path / "absent.csv", "--method", "mean")
    assert "absent.csv" in message
    assert "cannot be read" in message


@pytest.mark.parametrize("scale", ["10:1", "5:5", "a:b", "1-10", "1:2:3", "1:inf"])
def test_a_bad_scale_is_refused(tmp_path, scale):
    source = write(tmp_path, "s.csv", SCORES)
    target = tmp_path / "ranking.csv"
    message = refusal(source, f"--scale={scale}", "--out", target)
    assert "--scale" in message
    assert not target.exists()


def test_an_empty_scale_is_refused_not_ignored(tmp_path):
    # A caller passing --scale "$SCALE" with SCALE unset must not silently lose the range
    # check: 11 is outside any scale the caller meant, and "" is not MIN:MAX.
    source = write(tmp_path, "s.csv", "entry,judge,score\nE1,J1,11\n")
    target = tmp_path / "ranking.csv"
    message = refusal(source, "--scale=", "--out", target)
    assert "--scale" in message
    assert not target.exists()


def test_an_unknown_method_is_refused(tmp_path):
    message = refusal(write(tmp_path, "s.csv", SCORES), "--method", "median")
    assert "median" in message


@pytest.mark.parametrize(
    ("text", "args"),
    [(case[1], case[2]) for case in BAD_SCORES]
    + [("entry,judge,score\nE1,J1,7\n", ["--scale=9:1"])],
    ids=[c[0] for c in BAD_SCORES] + ["bad scale"],
)
def test_out_is_untouched_on_error(tmp_path, text, args):
    source = write(tmp_path, "scores.csv", text)
    target = tmp_path / "ranking.csv"
    before = b"rank,entry,score,low,high,reviews\n1,OLD,9.0000,,,3\n\xe4\xb8\x8a\n"
    target.write_bytes(before)
    refusal(source, "--method", "mean", *args, "--out", target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranking.csv", "scores.csv"]


def test_out_is_untouched_on_bad_pairs(tmp_path):
    source = write(tmp_path, "pairs.csv", "judge,winner,loser\nJ1,A,A\n")
    target = tmp_path / "ranking.csv"
    target.write_bytes(b"keep me")
    refusal(source, "--method", "bt", "--out", target)
    assert target.read_bytes() == b"keep me"


def test_out_is_not_created_on_error(tmp_path):
    source = write(tmp_path, "scores.csv", "entry,judge,score\nE1,J1,x\n")
    refusal(source, "--out", tmp_path / "ranking.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv"]


# --- the real console script ---------------------------------------------------------------


def run_laurel(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return helpers.run_laurel(cwd, "rank", *args)


def test_console_script_writes_the_ranking_to_stdout(tmp_path):
    write(tmp_path, "scores.csv", CONNECTED)
    result = run_laurel(tmp_path, "scores.csv", "--scale", "1:10")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "rank,entry,score,low,high,reviews"
    rows = parse(result.stdout)
    assert [row["rank"] for row in rows] == ["1", "2", "3", "4"]
    assert [row["entry"] for row in rows] == ["A", "D", "B", "C"]
    assert all(row["low"] and row["high"] for row in rows)
    assert "judge J2" in result.stderr


def test_console_script_fails_with_one_message_and_no_output(tmp_path):
    write(tmp_path, "scores.csv", "entry,judge,score\nE1,J1,7\nE1,J1,8\n")
    target = tmp_path / "ranking.csv"
    target.write_bytes(b"previous ranking")
    result = run_laurel(tmp_path, "scores.csv", "--method", "mean", "--out", "ranking.csv")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "row 3" in result.stderr
    assert "also in row 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == b"previous ranking"
