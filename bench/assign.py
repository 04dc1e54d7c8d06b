"""Benchmark: judge assignment, ours (OR-Tools min-cost flow) against networkx, same instance.

    .venv/bin/python bench/assign.py            # 3,000 × 30 × 3: ours and networkx, side by side
    .venv/bin/python bench/assign.py --large    # and 100,000 × 2,000 × 3: ours only

Each case runs in its own process, so its peak memory is its own. The networkx run solves
the very network ours builds (same costs: convex load arcs, then affinity), so both must
reach the same optimum; the table shows both totals and the ratio of times.
"""

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from laurel.core.assignment import AssignmentProblem, Entry, Judge, assign  # noqa: E402

CATEGORIES = ["自然风光", "人文风情", "生活场景", "都市建设"]


def small_instance(seed: int = 2026) -> AssignmentProblem:
    """3,000 entries × 30 judges × 3 reviews, 5% conflicts, random affinities (3 decimals)."""
    rng = random.Random(seed)
    units = [f"cq/d{d}/g{g}" for d in range(38) for g in range(8)]
    entries = [Entry(f"E{i}", rng.choice(CATEGORIES), rng.choice(units)) for i in range(3000)]
    judges = [Judge(f"J{j}") for j in range(30)]
    pairs = [(j.id, e.id) for j in judges for e in entries]
    conflicts = set(rng.sample(pairs, len(pairs) * 5 // 100))
    affinity = {pair: round(rng.random(), 3) for pair in pairs}
    return AssignmentProblem(entries, judges, 3, conflicts, affinity)


def large_instance(seed: int = 2026) -> AssignmentProblem:
    """100,000 entries × 2,000 judges × 3: categories (judges in 1, 2 or all 4), unit
    conflicts (30% of judges from a district union), one explicit conflict and five stated
    affinities per entry."""
    rng = random.Random(seed)
    units = [f"cq/d{d}/g{g}" for d in range(38) for g in range(10)]
    entries = [Entry(f"E{i}", rng.choice(CATEGORIES), rng.choice(units)) for i in range(100_000)]
    judges = [
        Judge(
            f"J{j}",
            frozenset(rng.sample(CATEGORIES, rng.choice([1, 2, 4]))),
            f"cq/d{rng.randrange(38)}" if rng.random() < 0.3 else "",
        )
        for j in range(2000)
    ]
    conflicts = {(f"J{rng.randrange(2000)}", e.id) for e in entries}
    affinity = {
        (f"J{rng.randrange(2000)}", e.id): round(rng.random(), 3) for e in entries for _ in range(5)
    }
    return AssignmentProblem(entries, judges, 3, conflicts, affinity)


def squares(result) -> int:
    return sum(v * v for v in result.loads.values())


def run_ours(problem: AssignmentProblem) -> dict:
    started = time.perf_counter()
    result = assign(problem, seed=0)
    return {
        "seconds": time.perf_counter() - started,
        "affinity": round(result.total_affinity, 3),
        "squares": squares(result),
        "loads": list(result.load_range),
        "pruned": result.pruned,
    }


def run_networkx(problem: AssignmentProblem) -> dict:
    """The same network as ours, solved by networkx's network simplex."""
    import networkx as nx

    started = time.perf_counter()
    k, entries, judges = problem.per_entry, problem.entries, problem.judges
    total = k * len(entries)
    affinity = {pair: round(v * 1000) for pair, v in problem.affinity.items()}
    spread = max([*affinity.values(), 0]) - min([*affinity.values(), 0])
    big = spread * total + 1
    limit = 2 * math.ceil(total / len(judges)) + k
    graph = nx.DiGraph()
    graph.add_node("sink", demand=total)
    for entry in entries:
        graph.add_node(("e", entry.id), demand=-k)
        for judge in judges:
            if (judge.id, entry.id) not in problem.conflicts:
                cost = -affinity.get((judge.id, entry.id), 0)
                graph.add_edge(("e", entry.id), ("j", judge.id), capacity=1, weight=cost)
    for judge in judges:
        for t in range(1, limit + 1):
            graph.add_edge(("j", judge.id), ("t", judge.id, t), capacity=1, weight=big * t)
            graph.add_edge(("t", judge.id, t), "sink", capacity=1, weight=0)
    _cost, flow = nx.network_simplex(graph)
    loads, gained = Counter(), 0
    for entry in entries:
        for (_kind, judge_id), units in flow[("e", entry.id)].items():
            if units:
                loads[judge_id] += 1
                gained += problem.affinity.get((judge_id, entry.id), 0)
    return {
        "seconds": time.perf_counter() - started,
        "affinity": round(gained, 3),
        "squares": sum(v * v for v in loads.values()),
        "loads": [min(loads.values()), max(loads.values())],
    }


CASES = {
    "small-ours": lambda: run_ours(small_instance()),
    "small-networkx": lambda: run_networkx(small_instance()),
    "large-ours": lambda: run_ours(large_instance()),
}


def run_case(name: str) -> dict:
    """Run one case in a child process; its peak memory is its own."""
    output = subprocess.run(
        [sys.executable, __file__, "--case", name], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also run 100,000 × 2,000 × 3")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.case:
        result = CASES[options.case]()
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    ours, baseline = run_case("small-ours"), run_case("small-networkx")
    print("3,000 entries × 30 judges × 3 reviews, 5% conflicts, random affinities")
    print(f"{'':10} {'seconds':>9} {'affinity':>10} {'Σ load²':>9} {'loads':>9} {'peak MB':>8}")
    for name, row in (("ours", ours), ("networkx", baseline)):
        loads = f"{row['loads'][0]}–{row['loads'][1]}"
        print(
            f"{name:10} {row['seconds']:9.3f} {row['affinity']:10.3f} {row['squares']:9} "
            f"{loads:>9} {row['peak_mb']:8.0f}"
        )
    same = ours["affinity"] == baseline["affinity"] and ours["squares"] == baseline["squares"]
    print(
        f"networkx / ours time: {baseline['seconds'] / ours['seconds']:.0f}×; same optimum: {same}"
    )
    if options.large:
        large = run_case("large-ours")
        print("\n100,000 entries × 2,000 judges × 3 reviews (ours only)")
        print(
            f"ours {large['seconds']:.2f} s, peak {large['peak_mb']:.0f} MB, loads "
            f"{large['loads'][0]}–{large['loads'][1]}, affinity {large['affinity']:.3f}, "
            f"pruned candidates: {large['pruned']}"
        )


if __name__ == "__main__":
    main()
