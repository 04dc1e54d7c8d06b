"""``laurel live aggregate``: one team's final score from its judges' scores, by the contract
(the score with exactly P decimals, then ``no scores dropped`` / ``tolerance exceeded``; exit
0, or 2 on a usage error). The real console script runs once for the exit codes. ``laurel live
draw``: the running order a seed gives a contest's entrants, recomputable by its written rule."""

import io

import pytest
from django.core.management import CommandError, call_command

from laurel.contests.models import Entry
from laurel.core.live import draw_key, running_order
from tests.contests.conftest import (  # noqa: F401 - fixtures used here
    contest,
    contest_factory,
    member_entry_submit,
    member_self,
)
from tests.helpers import run_laurel


def aggregate(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("live", "aggregate", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (("--drop", "1", "--places", "2", "9.1", "9.35", "9.2", "9.4", "8.8"), ["9.22"]),
        (("9.1", "9.35", "9.2", "9.4", "8.8"), ["9.22"]),  # the defaults: drop 1, 2 places
        (("--places", "1", "9.1", "9.35", "9.2", "9.4", "8.8"), ["9.2"]),
        (("--places", "3", "9.1", "9.35", "9.2", "9.4", "8.8"), ["9.217"]),
        (("--drop", "2", "9.1", "9.35", "9.2", "9.4", "8.8"), ["9.20"]),  # exactly P decimals
        (("--drop", "2", "9", "9.5", "8"), ["8.83", "no scores dropped"]),  # 3 < 5: the mean
        (("--drop", "0", "9", "9.5", "8"), ["8.83"]),  # nothing to drop, nothing to say
        (("--places", "2", "8.0", "8.125", "9.0"), ["8.13"]),  # half up, not 8.12
        (("--deduct", "0.5", "--deduct", "1", "9.1", "9.35", "9.2", "9.4", "8.8"), ["7.72"]),
        (
            ("--tolerance", "0.2", "9.1", "9.35", "9.2", "9.4", "8.8"),
            ["9.22", "tolerance exceeded"],
        ),
        (("--tolerance", "0.25", "9.1", "9.35", "9.2", "9.4", "8.8"), ["9.22"]),
        (
            ("--drop", "2", "--tolerance", "0.1", "9", "8"),
            ["8.50", "no scores dropped", "tolerance exceeded"],
        ),
    ],
)
def test_aggregate_prints_the_score_and_what_the_panel_did(args, lines):
    assert aggregate(*args) == lines


@pytest.mark.parametrize(
    "args",
    [
        ("abc",),
        ("9.1", "1e1"),
        ("9.1", "NaN"),
        ("--deduct", "0", "9.1"),
        ("--deduct", "-1", "9.1"),
        ("--tolerance", "wide", "9.1"),
    ],
)
def test_a_bad_number_is_a_usage_error(args):
    with pytest.raises(CommandError) as refused:
        aggregate(*args)
    assert refused.value.returncode == 2


def test_the_console_script_exits_0_or_2(tmp_path):
    done = run_laurel(
        tmp_path, "live", "aggregate", "--drop", "1", "9.1", "9.35", "9.2", "9.4", "8.8"
    )
    assert (done.returncode, done.stdout) == (0, "9.22\n")
    for args in (("aggregate",), ("aggregate", "--drop", "3", "9"), ("aggregate", "x")):
        refused = run_laurel(tmp_path, "live", *args)
        assert refused.returncode == 2, (args, refused.stdout, refused.stderr)
        assert refused.stdout == ""


# --- the draw -------------------------------------------------------------------------------


def draw(slug: str, seed: str) -> list[str]:
    out = io.StringIO()
    call_command("live", "draw", slug, "--seed", seed, stdout=out)
    return out.getvalue().splitlines()


def test_the_draw_prints_the_seeds_running_order_and_leaves_withdrawn_entries_out(
    contest,  # noqa: F811
    member_self,  # noqa: F811
    users,
):
    entries = [
        member_entry_submit(contest, member_self, users, title=f"作品{n}", seed=n)
        for n in range(1, 5)
    ]
    seed = "2024-04-20 奉节县广播体操比赛 抽签"
    lines = draw(contest.slug, seed)
    codes = [entry.code for entry in entries]
    order = running_order(codes, seed)
    assert lines == [
        f"{place} {code} {member_self.name}" for place, code in enumerate(order, start=1)
    ]
    assert order == sorted(codes, key=lambda code: draw_key(seed, code))  # the written rule
    assert draw(contest.slug, seed) == lines  # the same seed, the same order
    assert draw(contest.slug, "another seed") != lines
    Entry.objects.filter(pk=entries[0].pk).update(state=Entry.State.WITHDRAWN)
    assert [line.split()[1] for line in draw(contest.slug, seed)] == [
        code for code in order if code != entries[0].code
    ]
    with pytest.raises(CommandError) as refused:
        draw("no-such-contest", seed)
    assert refused.value.returncode == 2
