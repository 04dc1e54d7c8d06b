"""A simulator with ground truth, to show which ranking method finds the best entries.

Each entry has a true quality q (categories may differ in their mean quality); each judge
an offset, a scale and a noise level; a score is what the judge sees, rounded to the
scale's integers and clipped to its ends:  round(centre + offset + scale·spread·q + noise).
A rogue judge scores at random. ``evaluate`` runs every method, and an oracle that knows
each judge's true offset and scale, and reports Kendall's tau and precision@K against the
truth, and how often the calibrated 90% intervals hold the truth.

Who judges what: with one pool, each entry's judges are drawn at random. With categories,
judges form one panel per category (judge j the (j mod C)-th) and ``core.assignment``
assigns them, as a contest would be — with ``bridges`` bridging judges per panel, each
giving ``bridge_reviews`` reviews to the next category, or none (a disconnected design).
"""

import time
from dataclasses import dataclass, field

import numpy as np

from laurel.core.assignment import BRIDGE_REVIEWS, AssignmentProblem, Entry, Judge, assign
from laurel.core.design import design_check
from laurel.core.ranking import METHODS, Review, kendall_tau, precision_at, rank_scores


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    entries: int = 3000
    judges: int = 30
    reviews: int = 3  # per entry
    offset_sd: float = 1.0  # judges' severity, in points
    scale_sd: float = 0.25  # judges' spread: scale = exp(N(0, scale_sd))
    noise: tuple[float, float] = (0.5, 1.5)  # each judge's noise sd, uniform in this range
    category_means: tuple[float, ...] = ()  # true mean quality per category (none: one pool)
    bridges: int = 0  # bridging judges per category panel (core.assignment)
    bridge_reviews: int = BRIDGE_REVIEWS  # reviews each gives in the next category
    rogues: int = 0  # judges who score at random
    low: int = 1
    high: int = 10
    spread: float = 1.5  # points per unit of quality for the average judge


SCENARIOS = [
    Scenario("plain", "judges differ in severity, spread and noise"),
    Scenario(
        "specialised",
        "4 categories of different true quality, a panel of judges per category, "
        "2 bridging judges per panel",
        category_means=(-0.4, 0.0, 0.3, 0.6),
        bridges=2,
    ),
    Scenario("sparse", "2 reviews per entry", reviews=2),
    Scenario("rogue", "one of the 30 judges scores at random", rogues=1),
    Scenario("harsh", "larger differences between judges", offset_sd=1.5, scale_sd=0.4),
    Scenario(
        "disconnected",
        "the same 4 categories and panels, no bridging judge",
        category_means=(-0.4, 0.0, 0.3, 0.6),
    ),
]


@dataclass
class World:
    reviews: list[Review]
    quality: np.ndarray  # per entry
    offset: np.ndarray  # per judge
    scale: np.ndarray  # per judge; 0 for a rogue
    centre: float
    spread: float
    bridging: int = 0  # reviews of an entry outside its judge's category


def simulate(scenario: Scenario, seed: int) -> World:
    rng = np.random.default_rng(seed)
    n, m = scenario.entries, scenario.judges
    categories = len(scenario.category_means) or 1
    category = rng.integers(0, categories, n)
    means = np.array(scenario.category_means or (0.0,))
    quality = rng.normal(means[category], 1.0)
    offset = rng.normal(0, scenario.offset_sd, m)
    scale = np.exp(rng.normal(0, scenario.scale_sd, m))
    noise = rng.uniform(*scenario.noise, m)
    rogue = np.zeros(m, dtype=bool)
    rogue[rng.choice(m, scenario.rogues, replace=False)] = True
    assigned, bridging = _panels_assign(scenario, category, seed) if categories > 1 else ({}, 0)
    pool = list(range(m))
    centre = (scenario.low + scenario.high) / 2
    reviews = []
    for i in range(n):
        chosen = assigned[i] if assigned else rng.choice(pool, scenario.reviews, replace=False)
        for judge in chosen:
            if rogue[judge]:
                score = rng.integers(scenario.low, scenario.high + 1)
            else:
                seen = centre + offset[judge] + scale[judge] * scenario.spread * quality[i]
                score = np.clip(
                    np.rint(seen + rng.normal(0, noise[judge])), scenario.low, scenario.high
                )
            reviews.append(Review(f"e{i}", f"j{judge}", float(score)))
    scale = np.where(rogue, 0.0, scale)
    return World(reviews, quality, offset, scale, centre, scenario.spread, bridging)


def _panels_assign(
    scenario: Scenario, category: np.ndarray, seed: int
) -> tuple[dict[int, list[int]], int]:
    """Each entry's judges as the core assigns them, panel by category; and how many
    reviews went to bridging."""
    categories = len(scenario.category_means)
    entries = [Entry(f"e{i}", f"c{c}") for i, c in enumerate(category.tolist())]
    judges = [Judge(f"j{j}", frozenset({f"c{j % categories}"})) for j in range(scenario.judges)]
    problem = AssignmentProblem(
        entries,
        judges,
        scenario.reviews,
        bridges=scenario.bridges,
        bridge_reviews=scenario.bridge_reviews,
    )
    pairs = assign(problem, seed=seed).pairs
    assigned: dict[int, list[int]] = {}
    for entry, judge in pairs:
        assigned.setdefault(int(entry[1:]), []).append(int(judge[1:]))
    return assigned, design_check(pairs, entries=entries, judges=judges).bridging


def oracle_scores(world: World) -> np.ndarray:
    """Each score with its judge's true offset and scale taken out; rogues' scores dropped."""
    n = len(world.quality)
    total, count = np.zeros(n), np.zeros(n)
    for review in world.reviews:
        judge, entry = int(review.judge[1:]), int(review.entry[1:])
        if world.scale[judge] > 0:
            total[entry] += (review.score - world.centre - world.offset[judge]) / world.scale[judge]
            count[entry] += 1
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


@dataclass
class Scores:
    tau: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)

    @property
    def mean_tau(self) -> float:
        return float(np.mean(self.tau))

    @property
    def mean_precision(self) -> float:
        return float(np.mean(self.precision))


@dataclass
class Evaluation:
    scenario: Scenario
    methods: dict[str, Scores]
    coverage: list[float]  # calibrated: share of 90% intervals holding the truth, per seed
    seconds: dict[str, list[float]]
    bridging: list[float] = field(default_factory=list)  # share of reviews, per seed


def evaluate(
    scenario: Scenario, seeds: list[int], k: int = 200, method_names: tuple[str, ...] = METHODS
) -> Evaluation:
    names = [*method_names, "oracle"]
    methods = {name: Scores() for name in names}
    seconds: dict[str, list[float]] = {name: [] for name in method_names}
    coverage, bridging = [], []
    for seed in seeds:
        world = simulate(scenario, seed)
        bridging.append(world.bridging / len(world.reviews))
        for method in method_names:
            started = time.perf_counter()
            ranking = rank_scores(world.reviews, method, scale=(scenario.low, scenario.high))
            seconds[method].append(time.perf_counter() - started)
            estimate = np.zeros(len(world.quality))
            low, high = np.zeros_like(estimate), np.zeros_like(estimate)
            for row in ranking.entries:
                i = int(row.entry[1:])
                estimate[i] = row.score
                low[i], high[i] = row.low or 0, row.high or 0
            methods[method].tau.append(kendall_tau(estimate, world.quality))
            methods[method].precision.append(precision_at(k, estimate, world.quality))
            if method == "calibrated":
                coverage.append(_coverage(world, ranking, estimate, low, high))
        oracle = oracle_scores(world)
        methods["oracle"].tau.append(kendall_tau(oracle, world.quality))
        methods["oracle"].precision.append(precision_at(k, oracle, world.quality))
    return Evaluation(scenario, methods, coverage, seconds, bridging)


def _coverage(world: World, ranking, estimate, low, high) -> float:
    """How often the interval holds the truth on the calibrated scale: the score the
    panel's average judge (median offset and scale, rogues aside) would give without noise.
    Within each part of a disconnected design, its own judges define that average."""
    honest = world.scale > 0
    truth = (
        world.centre
        + np.median(world.offset[honest])
        + (np.median(world.scale[honest]) * world.spread * world.quality)
    )
    if ranking.parts:  # parts are placed by raw means: compare within parts, centred
        return float("nan")
    return float(np.mean((truth >= low) & (truth <= high)))
