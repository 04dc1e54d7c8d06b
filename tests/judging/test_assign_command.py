"""``laurel assign``: judges to entries from CSV files, through the command as tools call it.

Most tests go through ``call_command`` (no database); a few run the real console script in
a subprocess to check exit codes and what lands on stdout and stderr.
"""

import csv
import io
import os
import re
import stat
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import helpers

SUMMARY = re.compile(
    r"^entries (?P<entries>\d+), judges (?P<judges>\d+), .*"
    r"load (?P<low>\d+)–(?P<high>\d+), total affinity (?P<affinity>-?[\d.]+), [\d.]+ s"
)


# --- helpers -------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run_assign(*args) -> tuple[str, str]:
    """Run the command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("assign", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refusal(*args) -> str:
    """Run the command expecting a CommandError; return its message."""
    with pytest.raises(CommandError) as refused:
        run_assign(*args)
    return str(refused.value)


def parse(output: str) -> list[tuple[str, str]]:
    """The (entry, judge) rows of an assignment CSV, after checking its header."""
    rows = list(csv.reader(io.StringIO(output)))
    assert rows[0] == ["entry", "judge"]
    assert all(len(row) == 2 for row in rows[1:]), rows
    return [(row[0], row[1]) for row in rows[1:]]


def judges_of(pairs) -> dict[str, list[str]]:
    result = defaultdict(list)
    for entry, judge in pairs:
        result[entry].append(judge)
    return dict(result)


def loads(pairs) -> Counter:
    return Counter(judge for _entry, judge in pairs)


def assert_k_distinct_each(pairs, entries: list[str], k: int) -> dict[str, list[str]]:
    per_entry = judges_of(pairs)
    assert sorted(per_entry) == sorted(entries)
    for entry, judges in per_entry.items():
        assert len(judges) == k, (entry, judges)
        assert len(set(judges)) == k, (entry, judges)
    return per_entry


def summary(err: str) -> re.Match:
    lines = err.splitlines()
    assert len(lines) == 1, err
    match = SUMMARY.match(lines[0])
    assert match, lines[0]
    return match


def csv_text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


# --- the happy path ------------------------------------------------------------------------


def test_every_entry_gets_k_distinct_judges_of_its_category(tmp_path):
    entries = write(
        tmp_path,
        "entries.csv",
        "entry,category,unit\n"
        "E1,都市建设,cq/fj\n"
        "E2,都市建设,\n"
        "E3,自然风光,cq/wz\n"
        "E4,自然风光,\n"
        "E5,,\n",  # no category: any judge
    )
    judges = write(
        tmp_path,
        "judges.csv",
        "judge,categories,unit,max_load\n"
        "J1,都市建设,,\n"
        "J2,都市建设|自然风光,,\n"
        "J3,自然风光,,\n"
        "J4,,,\n"  # no categories: every category
        "J5, 自然风光 | 都市建设 ,,\n",
    )
    out, err = run_assign(entries, judges, "--per-entry", "2")

    per_entry = assert_k_distinct_each(parse(out), ["E1", "E2", "E3", "E4", "E5"], 2)
    covers = {
        "J1": {"都市建设"},
        "J2": {"都市建设", "自然风光"},
        "J3": {"自然风光"},
        "J4": None,
        "J5": {"都市建设", "自然风光"},
    }
    category = {"E1": "都市建设", "E2": "都市建设", "E3": "自然风光", "E4": "自然风光", "E5": ""}
    for entry, assigned in per_entry.items():
        for judge in assigned:
            allowed = covers[judge]
            assert allowed is None or not category[entry] or category[entry] in allowed
    match = summary(err)
    assert match["entries"] == "5"
    assert match["judges"] == "5"
    assert (int(match["low"]), int(match["high"])) == (
        min(loads(parse(out)).get(j, 0) for j in covers),
        max(loads(parse(out)).values()),
    )
    assert float(match["affinity"]) == 0.0


def test_only_the_entry_column_is_needed_and_headers_are_case_insensitive(tmp_path):
    entries = write(tmp_path, "entries.csv", "\ufeffEntry\nA\nB\nC\n")  # with a BOM, as Excel saves
    judges = write(tmp_path, "judges.csv", "Judge\nX\nY\n")
    out, _err = run_assign(entries, judges, "--per-entry", "2")
    per_entry = assert_k_distinct_each(parse(out), ["A", "B", "C"], 2)
    assert all(sorted(judges) == ["X", "Y"] for judges in per_entry.values())


# --- unit conflicts ------------------------------------------------------------------------


def test_a_judge_never_sees_an_entry_from_their_unit_or_above_or_below_it(tmp_path):
    entries = write(
        tmp_path,
        "entries.csv",
        "entry,unit\nF3,cq/yc/f3\nYC,cq/yc\n",
    )
    judges = write(
        tmp_path,
        "judges.csv",
        "judge,unit\nJ_yc,cq/yc\nJ_f3,cq/yc/f3\nN1,cq/fj\nN2,cq/wz\nN3,\n",
    )
    # Affinity pulls hard towards the conflicting pairs: only the conflict rule keeps them out.
    affinity = write(
        tmp_path,
        "affinity.csv",
        "judge,entry,affinity\nJ_yc,F3,100\nJ_f3,YC,100\nJ_f3,F3,100\nJ_yc,YC,100\n",
    )
    out, err = run_assign(entries, judges, "--per-entry", "2", "--affinity", affinity)

    per_entry = assert_k_distinct_each(parse(out), ["F3", "YC"], 2)
    assert "J_yc" not in per_entry["F3"]  # judge above the entry's unit
    assert "J_f3" not in per_entry["F3"]  # same unit
    assert "J_f3" not in per_entry["YC"]  # judge below the entry's unit
    assert "J_yc" not in per_entry["YC"]  # same unit
    assert float(summary(err)["affinity"]) == 0.0


def test_unit_prefixes_only_conflict_on_slash_boundaries(tmp_path):
    # cq/y and cq/yc are siblings: each entry can only be judged by the other unit's judge.
    entries = write(tmp_path, "entries.csv", "entry,unit\nE_yc,cq/yc\nE_y,cq/y\n")
    judges = write(tmp_path, "judges.csv", "judge,unit\nJ_y,cq/y\nJ_yc,cq/yc\n")
    out, _err = run_assign(entries, judges, "--per-entry", "1")
    assert sorted(parse(out)) == [("E_y", "J_yc"), ("E_yc", "J_y")]


# --- caps ----------------------------------------------------------------------------------


def test_caps_are_respected_and_the_rest_is_spread_evenly(tmp_path):
    entries = write(tmp_path, "entries.csv", csv_text("entry", [f"E{i}" for i in range(12)]))
    judges = write(
        tmp_path,
        "judges.csv",
        "judge,max_load\nZero,0\nOne,1\nThree,3\nU1,\nU2,\n",
    )
    out, err = run_assign(entries, judges, "--per-entry", "2")

    pairs = parse(out)
    assert_k_distinct_each(pairs, [f"E{i}" for i in range(12)], 2)
    load = loads(pairs)
    assert load["Zero"] == 0
    assert load["One"] <= 1
    assert load["Three"] <= 3
    # 24 reviews: the capped judges fill up (1 + 3) and the two uncapped share 20 evenly.
    assert (load["One"], load["Three"], load["U1"], load["U2"]) == (1, 3, 10, 10)
    match = summary(err)
    assert (match["low"], match["high"]) == ("0", "10")


def test_a_max_load_column_left_empty_means_no_cap(tmp_path):
    entries = write(tmp_path, "entries.csv", csv_text("entry", [f"E{i}" for i in range(10)]))
    judges = write(tmp_path, "judges.csv", "judge,max_load\nCapped,2\nFree,\n")
    out, _err = run_assign(entries, judges, "--per-entry", "1")
    assert loads(parse(out)) == Counter({"Free": 8, "Capped": 2})


# --- explicit conflicts and affinity -------------------------------------------------------


def test_an_explicit_conflict_keeps_a_judge_off_that_entry_only(tmp_path):
    entries = write(tmp_path, "entries.csv", "entry\nE1\nE2\n")
    judges = write(tmp_path, "judges.csv", "judge\nJ1\nJ2\nJ3\n")
    conflicts = write(tmp_path, "conflicts.csv", "judge,entry\nJ1,E1\n")
    affinity = write(tmp_path, "affinity.csv", "judge,entry,affinity\nJ1,E1,50\nJ1,E2,50\n")
    out, _err = run_assign(
        entries, judges, "--per-entry", "2", "--conflicts", conflicts, "--affinity", affinity
    )
    per_entry = assert_k_distinct_each(parse(out), ["E1", "E2"], 2)
    assert sorted(per_entry["E1"]) == ["J2", "J3"]
    assert "J1" in per_entry["E2"]  # the conflict is about E1 only


def test_the_clearly_best_judge_is_chosen_when_loads_allow(tmp_path):
    entries = write(tmp_path, "entries.csv", "entry\nE1\nE2\nE3\nE4\n")
    judges = write(tmp_path, "judges.csv", "judge\nJ1\nJ2\nJ3\nJ4\n")
    best = {"E1": "J3", "E2": "J1", "E3": "J4", "E4": "J2"}  # not the input order
    rows = [f"{judge},{entry},5" for entry, judge in best.items()]
    rows += ["J1,E1,0.5", "J2,E3,1", "J4,E4,-2"]  # weaker preferences elsewhere
    affinity = write(tmp_path, "affinity.csv", csv_text("judge,entry,affinity", rows))
    out, err = run_assign(entries, judges, "--per-entry", "1", "--affinity", affinity)
    assert dict(parse(out)) == best
    assert float(summary(err)["affinity"]) == pytest.approx(20.0)


def test_affinity_picks_the_best_set_of_k_judges(tmp_path):
    entries = write(tmp_path, "entries.csv", "entry\nA\nB\nC\n")
    judges = write(tmp_path, "judges.csv", csv_text("judge", [f"J{i}" for i in range(1, 7)]))
    favourites = {"A": {"J5", "J6"}, "B": {"J1", "J3"}, "C": {"J2", "J4"}}
    rows = [f"{j},{e},{9 + n}" for e, js in favourites.items() for n, j in enumerate(sorted(js))]
    affinity = write(tmp_path, "affinity.csv", csv_text("judge,entry,affinity", rows))
    out, err = run_assign(entries, judges, "--per-entry", "2", "--affinity", affinity)
    per_entry = assert_k_distinct_each(parse(out), ["A", "B", "C"], 2)
    assert {e: set(js) for e, js in per_entry.items()} == favourites
    assert float(summary(err)["affinity"]) == pytest.approx(3 * (9 + 10))


def test_even_loads_come_before_affinity(tmp_path):
    # Every entry prefers J1, but loads can be perfectly even (one each): they must be.
    entries = write(tmp_path, "entries.csv", "entry\nE1\nE2\nE3\nE4\n")
    judges = write(tmp_path, "judges.csv", "judge\nJ1\nJ2\nJ3\nJ4\n")
    rows = [f"J1,E{i},10" for i in range(1, 5)]
    affinity = write(tmp_path, "affinity.csv", csv_text("judge,entry,affinity", rows))
    out, err = run_assign(entries, judges, "--per-entry", "1", "--affinity", affinity)
    assert loads(parse(out)) == Counter({"J1": 1, "J2": 1, "J3": 1, "J4": 1})
    match = summary(err)
    assert (match["low"], match["high"]) == ("1", "1")
    assert float(match["affinity"]) == pytest.approx(10.0)


# --- --out ---------------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path) -> tuple[Path, Path]:
    entries = write(tmp_path, "entries.csv", "entry,category\nE1,都市建设\nE2,都市建设\nE3,\n")
    judges = write(tmp_path, "judges.csv", "judge,categories\nJ1,都市建设\nJ2,\nJ3,都市建设\n")
    return entries, judges


def test_out_writes_the_file_and_nothing_to_stdout(tmp_path, small):
    target = tmp_path / "assignment.csv"
    out, err = run_assign(*small, "--per-entry", "2", "--out", target)
    assert out == ""
    assert_k_distinct_each(parse(target.read_text(encoding="utf-8")), ["E1", "E2", "E3"], 2)
    summary(err)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_out_is_an_ordinary_readable_file(tmp_path, small):
    target = tmp_path / "assignment.csv"
    run_assign(*small, "--per-entry", "2", "--out", target)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_out_in_a_missing_folder_is_refused_cleanly(tmp_path, small):
    with pytest.raises(CommandError, match="folder does not exist"):
        run_assign(*small, "--per-entry", "2", "--out", tmp_path / "nowhere" / "a.csv")


def test_out_replaces_an_existing_file_with_the_same_text_as_stdout(tmp_path, small):
    target = write(tmp_path, "assignment.csv", "old content\n")
    run_assign(*small, "--per-entry", "2", "--out", target)
    to_stdout, _err = run_assign(*small, "--per-entry", "2")
    assert target.read_text(encoding="utf-8") == to_stdout


BAD_JUDGES = "judge,max_load\nJ1,2\nJ2,abc\n"


@pytest.mark.parametrize(
    ("judges_text", "per_entry", "expected"),
    [
        (BAD_JUDGES, "1", r"max_load 'abc'"),
        ("", "1", r"is empty"),
        ("judge\nJ1\nJ2\n", "3", r"no assignment is possible"),  # infeasible
    ],
    ids=["bad-cap", "empty-judges", "infeasible"],
)
def test_out_is_left_untouched_when_the_command_fails(tmp_path, judges_text, per_entry, expected):
    entries = write(tmp_path, "entries.csv", "entry\nE1\nE2\n")
    judges = write(tmp_path, "judges.csv", judges_text)
    previous = "entry,judge\nE0,J0\n前一次的结果\n".encode()
    target = tmp_path / "assignment.csv"
    target.write_bytes(previous)
    before = sorted(p.name for p in tmp_path.iterdir())

    message = refusal(entries, judges, "--per-entry", per_entry, "--out", target)

    assert re.search(expected, message), message
    assert target.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left


def test_out_is_not_created_when_the_command_fails(tmp_path):
    entries = write(tmp_path, "entries.csv", "entry\nE1\n")
    judges = write(tmp_path, "judges.csv", BAD_JUDGES)
    target = tmp_path / "assignment.csv"
    refusal(entries, judges, "--per-entry", "1", "--out", target)
    assert not target.exists()


# --- infeasible problems -------------------------------------------------------------------


def test_infeasible_names_the_category_short_of_eligible_judges(tmp_path):
    entries = write(
        tmp_path,
        "entries.csv",
        "entry,category,unit\nU1,都市建设,cq/yc/f3\nU2,都市建设,cq/fj\nN1,自然风光,\n",
    )
    judges = write(
        tmp_path,
        "judges.csv",
        "judge,categories,unit\n"
        "A,都市建设,cq/yc\n"  # unit conflict with U1
        "B,都市建设,\n"
        "C,都市建设|自然风光,\n"
        "D,自然风光,\n"  # wrong category for U1
        "E,,\n"  # every category, but an explicit conflict with U1
        "F,自然风光,\n",
    )
    conflicts = write(tmp_path, "conflicts.csv", "judge,entry\nE,U1\n")
    message = refusal(entries, judges, "--per-entry", "3", "--conflicts", conflicts)
    assert "category 都市建设: 2 eligible judges after conflicts, 3 needed" in message
    assert "U1" in message
    assert "U2" not in message  # U2 has A, B, C and E


def test_infeasible_names_the_total_shortfall_of_the_caps(tmp_path):
    entries = write(tmp_path, "entries.csv", csv_text("entry", [f"E{i:03d}" for i in range(100)]))
    caps = [26] * 9 + [25]  # 259 reviews; 100 entries × 3 need 300
    judges = write(
        tmp_path,
        "judges.csv",
        csv_text("judge,max_load", [f"J{i},{cap}" for i, cap in enumerate(caps)]),
    )
    message = refusal(entries, judges, "--per-entry", "3")
    assert "caps too low by 41 reviews in total" in message


def test_infeasible_when_a_category_s_judges_are_capped_too_low(tmp_path):
    entries = write(tmp_path, "entries.csv", "entry,category\nE1,诗歌\nE2,诗歌\nE3,诗歌\nE4,\n")
    judges = write(
        tmp_path,
        "judges.csv",
        "judge,categories,max_load\nP1,诗歌,1\nP2,诗歌,1\nO1,散文,\nO2,散文,\n",
    )
    message = refusal(entries, judges, "--per-entry", "2")
    assert "no assignment is possible" in message
    assert "category 诗歌: the caps of its judges allow 2 reviews, 6 needed" in message


# --- bridges -------------------------------------------------------------------------------

DESIGN = re.compile(
    r"; bridging reviews (?P<bridging>\d+) \((?P<share>[\d.]+)%\), "
    r"design (?P<design>connected|not connected: .*)$"
)


@pytest.fixture
def two_panels(tmp_path) -> tuple[Path, Path]:
    """12 entries in each of two categories; three judges of each category only."""
    entries = write(
        tmp_path,
        "entries.csv",
        csv_text(
            "entry,category",
            [f"F{i:02d},风光" for i in range(12)] + [f"R{i:02d},人文" for i in range(12)],
        ),
    )
    judges = write(
        tmp_path,
        "judges.csv",
        csv_text(
            "judge,categories",
            [f"JF{i},风光" for i in range(3)] + [f"JR{i},人文" for i in range(3)],
        ),
    )
    return entries, judges


def crossing(pairs) -> list[tuple[str, str]]:
    """Reviews of an entry outside its judge's category (F… is 风光, JF… judges 风光)."""
    return [(entry, judge) for entry, judge in pairs if entry[0] != judge[1]]


def test_without_bridges_the_summary_names_the_parts(two_panels):
    out, err = run_assign(*two_panels, "--per-entry", "2")
    summary(err)  # still one line, as before
    assert crossing(parse(out)) == []
    design = DESIGN.search(err)
    assert design, err
    assert (design["bridging"], design["share"]) == ("0", "0.0")
    assert design["design"] == (
        "not connected: 2 parts share no judge: 12 entries, 3 judges (风光) | "
        "12 entries, 3 judges (人文)"
    )


def test_bridges_join_the_panels_and_the_summary_counts_the_bridging_reviews(two_panels):
    options = ("--per-entry", "2", "--bridges", "2", "--bridge-reviews", "3")
    out, err = run_assign(*two_panels, *options)
    pairs = parse(out)
    entries = [f"F{i:02d}" for i in range(12)] + [f"R{i:02d}" for i in range(12)]
    assert_k_distinct_each(pairs, entries, 2)
    bridging = crossing(pairs)
    assert len(bridging) == 2 * 2 * 3  # 2 judges of each panel, 3 reviews each
    assert {judge[:2] for _entry, judge in bridging} == {"JF", "JR"}
    assert len({judge for _entry, judge in bridging}) == 4
    match = summary(err)
    assert (int(match["low"]), int(match["high"])) == (8, 8)  # 48 reviews, 6 judges: as even
    design = DESIGN.search(err)
    assert design, err
    assert (design["bridging"], design["share"], design["design"]) == ("12", "25.0", "connected")


def test_bridges_a_panel_cannot_give_are_refused_naming_it(two_panels, tmp_path):
    message = refusal(*two_panels, "--per-entry", "2", "--bridges", "4")
    assert "no assignment is possible" in message
    assert "category 人文: 4 bridging judges asked, its panel has 3" in message
    assert "category 风光: 4 bridging judges asked, its panel has 3" in message


@pytest.mark.parametrize(
    ("option", "value"), [("--bridges", "-1"), ("--bridges", "x"), ("--bridge-reviews", "0")]
)
def test_bridges_and_bridge_reviews_must_be_whole_numbers(two_panels, option, value):
    with pytest.raises(CommandError, match=option):
        run_assign(*two_panels, "--per-entry", "2", option, value)


# --- bad input -----------------------------------------------------------------------------

ENTRIES = "entry,category\nE1,都市建设\nE2,\nE3,\n"
JUDGES = "judge,categories,max_load\nJ1,都市建设,\nJ2,,\nJ3,,5\n"


@pytest.mark.parametrize(
    ("files", "bad", "expected"),
    [
        (
            {"judges.csv": "judge\nJ1\nJ1\nJ2\n"},
            "judges.csv",
            r", row 3: duplicate judge 'J1' \(also in row 2\)",
        ),
        (
            {"entries.csv": "entry\nE1\nE2\nE3\nE2\n"},
            "entries.csv",
            r", row 5: duplicate entry 'E2' \(also in row 3\)",
        ),
        (
            {"affinity.csv": "judge,entry,affinity\nJ1,E1,1\nJ2,E1,2\nJ1,E1,5\n"},
            "affinity.csv",
            r", row 4: duplicate judge,entry pair 'J1,E1' \(also in row 2\)",
        ),
        ({"entries.csv": ""}, "entries.csv", r": is empty"),
        ({"judges.csv": ""}, "judges.csv", r": is empty"),
        ({"entries.csv": "entry,category\n"}, "entries.csv", r": has no entries"),
        ({"judges.csv": "judge,categories,unit,max_load\n"}, "judges.csv", r": has no judges"),
        (
            {"judges.csv": "judge,max_load\nJ1,3\nJ2,abc\nJ3,\n"},
            "judges.csv",
            r", row 3: max_load 'abc' is not a whole number",
        ),
        (
            {"judges.csv": "judge,max_load\nJ1,3\nJ2,2\nJ3,-1\n"},
            "judges.csv",
            r", row 4: max_load '-1' is negative",
        ),
        (
            {"affinity.csv": "judge,entry,affinity\nJ1,E1,0.5\nJ2,E2,high\n"},
            "affinity.csv",
            r", row 3: affinity 'high' is not a number",
        ),
        (
            {"affinity.csv": "judge,entry,affinity\nJ2,E3,nan\n"},
            "affinity.csv",
            r", row 2: affinity 'nan' is not a number",
        ),
        (
            {"affinity.csv": "judge,entry,affinity\nJ1,E1,1\nJ2,E9,1\n"},
            "affinity.csv",
            r", row 3: unknown entry 'E9'",
        ),
        (
            {"conflicts.csv": "judge,entry\nJ1,E2\nJ2,E3\nJ7,E1\n"},
            "conflicts.csv",
            r", row 4: unknown judge 'J7'",
        ),
        ({"conflicts.csv": ""}, "conflicts.csv", r": is empty"),
        (
            {"entries.csv": "name,category\nE1,都市建设\n"},
            "entries.csv",
            r", row 1: missing column entry",
        ),
        (
            {"affinity.csv": "judge,entry\nJ1,E1\n"},
            "affinity.csv",
            r", row 1: missing column affinity",
        ),
        (
            {"judges.csv": "judge,max_load\nJ1,\n,3\n"},
            "judges.csv",
            r", row 3: the judge column is empty",
        ),
    ],
    ids=[
        "duplicate-judge",
        "duplicate-entry",
        "empty-entries",
        "empty-judges",
        "header-only-entries",
        "header-only-judges",
        "non-numeric-cap",
        "negative-cap",
        "non-numeric-affinity",
        "nan-affinity",
        "duplicate-affinity-pair",
        "unknown-entry-in-affinity",
        "unknown-judge-in-conflicts",
        "empty-conflicts",
        "missing-entry-column",
        "missing-affinity-column",
        "empty-judge-id",
    ],
)
def test_bad_input_is_refused_naming_the_file_and_row(tmp_path, files, bad, expected):
    texts = {
        "entries.csv": ENTRIES,
        "judges.csv": JUDGES,
        "conflicts.csv": "judge,entry\n",
        "affinity.csv": "judge,entry,affinity\n",
        **files,
    }
    paths = {name: write(tmp_path, name, text) for name, text in texts.items()}
    target = tmp_path / "assignment.csv"
    args = [paths["entries.csv"], paths["judges.csv"], "--per-entry", "1", "--out", target]
    args += ["--conflicts", paths["conflicts.csv"], "--affinity", paths["affinity.csv"]]
    with pytest.raises(CommandError, match=re.escape(str(paths[bad])) + expected) as refused:
        run_assign(*args)
    assert "\n" not in str(refused.value)  # one line
    assert not target.exists()


def test_a_missing_file_is_refused_naming_it(tmp_path):
    judges = write(tmp_path, "judges.csv", JUDGES)
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(CommandError, match=re.escape(str(missing)) + ": cannot be read"):
        run_assign(missing, judges, "--per-entry", "1")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    entries = tmp_path / "entries.csv"
    entries.write_bytes("entry\n都市\n".encode("gbk"))
    judges = write(tmp_path, "judges.csv", JUDGES)
    with pytest.raises(CommandError, match=re.escape(str(entries)) + ": is not UTF-8"):
        run_assign(entries, judges, "--per-entry", "1")


@pytest.mark.parametrize("k", ["0", "-1", "two"])
def test_per_entry_must_be_a_positive_whole_number(tmp_path, k):
    entries = write(tmp_path, "entries.csv", ENTRIES)
    judges = write(tmp_path, "judges.csv", JUDGES)
    with pytest.raises(CommandError, match="per-entry"):
        run_assign(entries, judges, "--per-entry", k)


def test_per_entry_is_required(tmp_path):
    entries = write(tmp_path, "entries.csv", ENTRIES)
    judges = write(tmp_path, "judges.csv", JUDGES)
    with pytest.raises(CommandError, match="per-entry"):
        run_assign(entries, judges)


# --- the seed ------------------------------------------------------------------------------


@pytest.fixture
def ties(tmp_path) -> tuple[Path, Path]:
    """40 entries, 10 interchangeable judges: a great many equally good answers."""
    entries = write(tmp_path, "entries.csv", csv_text("entry", [f"E{i:02d}" for i in range(40)]))
    judges = write(tmp_path, "judges.csv", csv_text("judge", [f"J{i}" for i in range(10)]))
    return entries, judges


def test_the_same_seed_gives_the_same_assignment(ties):
    first, _ = run_assign(*ties, "--per-entry", "3", "--seed", "7")
    second, _ = run_assign(*ties, "--per-entry", "3", "--seed", "7")
    assert first == second
    pairs = parse(first)
    assert_k_distinct_each(pairs, [f"E{i:02d}" for i in range(40)], 3)
    assert set(loads(pairs).values()) == {12}  # 120 reviews over 10 judges


def test_the_seed_breaks_ties(ties):
    outputs = {run_assign(*ties, "--per-entry", "3", "--seed", seed)[0] for seed in range(5)}
    assert len(outputs) > 1
    for output in outputs:  # every seed gives an equally even answer
        assert set(loads(parse(output)).values()) == {12}


# --- the real console script ---------------------------------------------------------------


def run_laurel(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return helpers.run_laurel(cwd, "assign", *args)


def test_console_script_writes_the_assignment_to_stdout_and_one_summary_line(tmp_path):
    write(tmp_path, "entries.csv", ENTRIES)
    write(tmp_path, "judges.csv", JUDGES)
    write(tmp_path, "affinity.csv", "judge,entry,affinity\nJ3,E2,2.5\n")
    result = run_laurel(
        tmp_path, "entries.csv", "judges.csv", "--per-entry", "2", "--affinity", "affinity.csv"
    )
    assert result.returncode == 0, result.stderr
    pairs = parse(result.stdout)
    assert_k_distinct_each(pairs, ["E1", "E2", "E3"], 2)
    assert ("E2", "J3") in pairs
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for word in ("entries", "judges", "load", "total affinity"):
        assert word in lines[0]
    assert float(summary(result.stderr)["affinity"]) == pytest.approx(2.5)


def test_console_script_with_out_prints_nothing_on_stdout(tmp_path):
    write(tmp_path, "entries.csv", ENTRIES)
    write(tmp_path, "judges.csv", JUDGES)
    result = run_laurel(
        tmp_path, "entries.csv", "judges.csv", "--per-entry", "2", "--out", "assignment.csv"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    text = (tmp_path / "assignment.csv").read_text(encoding="utf-8")
    assert_k_distinct_each(parse(text), ["E1", "E2", "E3"], 2)
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("judges_text", "per_entry", "expected"),
    [
        ("judge,max_load\nJ1,\nJ2,abc\n", "1", "judges.csv, row 3: max_load 'abc'"),
        ("judge\nJ1\nJ1\n", "1", "judges.csv, row 3: duplicate judge 'J1'"),
        ("judge\nJ1\n", "2", "no assignment is possible"),
        ("judge\nJ1\nJ2\n", "0", "per-entry"),
    ],
    ids=["bad-cap", "duplicate-judge", "infeasible", "k-zero"],
)
def test_console_script_fails_on_bad_input_with_nothing_on_stdout(
    tmp_path, judges_text, per_entry, expected
):
    write(tmp_path, "entries.csv", "entry\nE1\nE2\n")
    write(tmp_path, "judges.csv", judges_text)
    write(tmp_path, "assignment.csv", "keep me\n")
    result = run_laurel(
        tmp_path, "entries.csv", "judges.csv", "--per-entry", per_entry, "--out", "assignment.csv"
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert expected in result.stderr
    assert (tmp_path / "assignment.csv").read_text(encoding="utf-8") == "keep me\n"
    result = run_laurel(tmp_path, "entries.csv", "judges.csv", "--per-entry", per_entry)
    assert result.returncode != 0
    assert result.stdout == ""
