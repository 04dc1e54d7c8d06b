"""Benchmark: how well each ranking method finds the truth, on simulated contests.

    .venv/bin/python bench/ranking.py              # 6 scenarios × 5 seeds, 3,000 entries each
    .venv/bin/python bench/ranking.py --seeds 10
    .venv/bin/python bench/ranking.py --bridges 3 --bridge-reviews 10
    .venv/bin/python bench/ranking.py --sweep      # bridged designs only, several N and R

For every scenario (see ``laurel.core.ranking_simulation.SCENARIOS``) and method, and for an
oracle that knows each judge's true offset and scale: Kendall's tau and precision@200 against
the true qualities, averaged over seeds; the calibrated method's 90%-interval coverage; and
the time ``calibrated`` takes on 3,000 entries × 3 reviews.

Bridges: ``specialised`` and ``disconnected`` are the same contests (4 categories, a panel of
judges per category, assigned by ``core.assignment``), ``specialised`` with ``--bridges`` N
bridging judges per panel giving ``--bridge-reviews`` R reviews each, ``disconnected`` with
none. After the table, the two are set side by side with the share of reviews spent on
bridging, and the issue's targets checked. ``--sweep`` runs only the bridged design, for
several N and R, calibrated and the oracle.
"""

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from laurel.core.assignment import BRIDGE_REVIEWS  # noqa: E402
from laurel.core.ranking import METHODS  # noqa: E402
from laurel.core.ranking_simulation import SCENARIOS, Evaluation, evaluate  # noqa: E402

NAMES = [*METHODS, "oracle"]
SWEEP = [(n, r) for n in (1, 2, 3) for r in (1, 5, 10, 20, 40)]


def cell(result: Evaluation, name: str) -> str:
    scores = result.methods[name]
    return f"{scores.mean_tau:.3f} / {100 * scores.mean_precision:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--bridges", type=int, default=2, help="per panel, in specialised")
    parser.add_argument("--bridge-reviews", type=int, default=BRIDGE_REVIEWS)
    parser.add_argument("--sweep", action="store_true", help="bridged designs, several N, R")
    options = parser.parse_args()
    seeds = list(range(1, options.seeds + 1))
    if options.sweep:
        sweep(seeds)
        return
    scenarios = [
        dataclasses.replace(
            scenario,
            bridges=options.bridges,
            bridge_reviews=options.bridge_reviews,
            description=scenario.description.replace(
                "2 bridging judges", f"{options.bridges} bridging judges"
            ),
        )
        if scenario.name == "specialised"
        else scenario
        for scenario in SCENARIOS
    ]
    print(f"{len(scenarios)} scenarios × {len(seeds)} seeds, 3,000 entries each; top 200")
    print()
    print("| scenario | " + " | ".join(NAMES) + " | calibrated − oracle | coverage 90% |")
    print("|---|" + "---:|" * (len(NAMES) + 2))
    timings = []
    checks = []
    results = {}
    for scenario in scenarios:
        result = evaluate(scenario, seeds)
        results[scenario.name] = result
        calibrated, oracle = result.methods["calibrated"], result.methods["oracle"]
        zscore, mean = result.methods["zscore"], result.methods["mean"]
        gap = (
            f"{calibrated.mean_tau - oracle.mean_tau:+.3f} / "
            f"{100 * (calibrated.mean_precision - oracle.mean_precision):+.1f}"
        )
        coverage = [c for c in result.coverage if c == c]  # NaN: parts, no single scale
        covered = f"{100 * sum(coverage) / len(coverage):.1f}%" if coverage else "n/a (parts)"
        cells = " | ".join(cell(result, name) for name in NAMES)
        print(f"| {scenario.name} | {cells} | {gap} | {covered} |")
        timings.extend(result.seconds["calibrated"])
        checks.append(
            (
                scenario.name,
                calibrated.mean_tau > zscore.mean_tau,
                100 * (calibrated.mean_precision - zscore.mean_precision),
                100 * (calibrated.mean_precision - mean.mean_precision),
            )
        )
    print()
    print("cells: Kendall's tau / precision@200 (%), mean over seeds")
    print(f"calibrated on 3,000 entries × 2–3 reviews: {min(timings):.2f}–{max(timings):.2f} s")
    print()
    for name, beats_tau, over_zscore, over_mean in checks:
        print(
            f"{name:13} tau > zscore: {beats_tau}; precision@200 − zscore {over_zscore:+.1f}; "
            f"− mean {over_mean:+.1f}"
        )
    print()
    bridges_compare(results["disconnected"], results["specialised"], options)


def bridges_compare(unbridged: Evaluation, bridged: Evaluation, options) -> None:
    """The same contests with and without bridges, and the issue's targets."""
    print(
        f"Bridges: the same 4 panels, none against {options.bridges} bridging judges per "
        f"panel × {options.bridge_reviews} reviews"
    )
    print()
    print("| design | reviews on bridging | zscore | calibrated | oracle | calibrated − oracle |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, result in (("no bridges", unbridged), ("bridged", bridged)):
        share = 100 * sum(result.bridging) / len(result.bridging)
        calibrated, oracle = result.methods["calibrated"], result.methods["oracle"]
        gap = 100 * (calibrated.mean_precision - oracle.mean_precision)
        print(
            f"| {label} | {share:.1f}% | {cell(result, 'zscore')} | "
            f"{cell(result, 'calibrated')} | {cell(result, 'oracle')} | {gap:+.1f} |"
        )
    print()
    calibrated = bridged.methods["calibrated"].mean_precision
    to_oracle = 100 * (calibrated - bridged.methods["oracle"].mean_precision)
    over_unbridged = 100 * (calibrated - unbridged.methods["calibrated"].mean_precision)
    share = 100 * max(bridged.bridging)
    print(
        f"targets: calibrated within 1 point of the oracle: {to_oracle >= -1} ({to_oracle:+.1f}); "
        f"at least 3 points above no bridges: {over_unbridged >= 3} ({over_unbridged:+.1f}); "
        f"at most 10% of reviews on bridging: {share <= 10} (at most {share:.1f}%)"
    )


def sweep(seeds: list[int]) -> None:
    base = next(scenario for scenario in SCENARIOS if scenario.name == "specialised")
    print(f"specialised, {len(seeds)} seeds: calibrated and the oracle, precision@200 (%)")
    print()
    print("| bridges N | reviews R | reviews on bridging | calibrated | oracle | − oracle |")
    print("|---:|---:|---:|---:|---:|---:|")
    for bridges, reviews in [(0, 1), *SWEEP]:
        scenario = dataclasses.replace(base, bridges=bridges, bridge_reviews=reviews)
        result = evaluate(scenario, seeds, method_names=("calibrated",))
        calibrated, oracle = result.methods["calibrated"], result.methods["oracle"]
        share = 100 * sum(result.bridging) / len(result.bridging)
        print(
            f"| {bridges} | {reviews if bridges else '—'} | {share:.1f}% | "
            f"{100 * calibrated.mean_precision:.1f} | {100 * oracle.mean_precision:.1f} | "
            f"{100 * (calibrated.mean_precision - oracle.mean_precision):+.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
