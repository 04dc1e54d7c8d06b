"""Ranking entries from judges' scores — fairly, and saying how sure we are.

Methods for scores (``rank_scores``):

``mean``        the average of an entry's scores.
``trimmed``     the sport rule: drop each entry's highest and lowest score when it has at
                least 3 (``trim=2``: two of each when it has at least 5); ``tolerance``
                flags entries whose kept scores still differ by more than that.
``zscore``      each judge's scores standardised (their mean 0, spread 1), averaged per
                entry, and put back on the input's scale.
``calibrated``  the default. Each judge j has an offset a_j (severity), a scale b_j (spread)
                and a noise σ_j; a score is  s = m + a_j + b_j·x_i + noise  where x_i is the
                entry's quality. Qualities, judges and noise are fitted together (EM, with
                weak priors), so a judge who gives everything the same score or scores at
                random ends up with b_j ≈ 0 and their scores stop counting. Each entry gets
                an estimate with a 90% interval; each judge a severity/spread report.
                The average judge (median offset 0, median scale 1) defines the scale.

and for pairwise or top-pick rounds (``rank_pairs``): ``bt``, Bradley–Terry with each
judge's reliability estimated (Crowd-BT): a judge who picks at random counts for little.

Where the entry–judge graph falls into parts that share no judge, each part is calibrated
on its own and the parts are placed on one scale by their raw means; ``Ranking.parts`` says
which. Ranks are 1..N with no two equal; ties are broken, in order, by more reviews, a
higher raw mean, and the entry id (as text).
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

METHODS = ("mean", "trimmed", "zscore", "calibrated")
ROUNDS = 100  # alternations of the posterior mode and the noise levels, at most
Z90 = 1.6448536269514722  # the normal quantile for a two-sided 90% interval


@dataclass(frozen=True)
class Review:
    entry: str
    judge: str
    score: float


@dataclass
class RankedEntry:
    rank: int
    entry: str
    score: float
    low: float | None
    high: float | None
    reviews: int


@dataclass
class JudgeReport:
    judge: str
    reviews: int
    offset: float  # points added to what the average judge would give (negative: severe)
    scale: float  # how much of a quality difference shows in their scores (1: average)
    noise: float  # the spread of their scores around the model (points)
    note: str = ""  # "same score for everything" | "scores unrelated to the others'" | ""


@dataclass
class Part:
    """A set of entries and judges sharing no judge with the rest."""

    judges: list[str]
    entries: int


@dataclass
class Ranking:
    method: str
    entries: list[RankedEntry]
    judges: list[JudgeReport] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # more than one: calibrated separately
    flagged: list[str] = field(default_factory=list)  # e.g. beyond the trimmed tolerance


def weighted_score(criteria: dict[str, float], weights: dict[str, float]) -> float:
    """One score from criteria scores and their weights (主题 30, 构图 30, ...).

    Weights need not sum to 100: they are normalised. Every weighted criterion is required.
    """
    missing = [name for name in weights if name not in criteria]
    if missing:
        raise ValueError(f"missing criteria: {', '.join(missing)}")
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("the weights must add up to more than 0")
    return sum(criteria[name] * weight for name, weight in weights.items()) / total


def trimmed_kept(scores: list[float], trim: int = 1) -> list[float]:
    """The scores left after dropping ``k`` highest and ``k`` lowest, k the largest ≤ ``trim``
    leaving at least one score in the middle (3 scores: 1 each; 5 or more with trim=2: 2
    each; fewer than 3: none dropped)."""
    ordered = sorted(scores)
    k = min(trim, (len(ordered) - 1) // 2) if len(ordered) >= 3 else 0
    return ordered[k : len(ordered) - k]


def trimmed_mean(scores: list[float], trim: int = 1) -> float:
    kept = trimmed_kept(scores, trim)
    return sum(kept) / len(kept)


class _Reviews:
    """Reviews as index arrays: entry and judge positions (first-seen order) and scores."""

    def __init__(self, reviews: list[Review]):
        if not reviews:
            raise ValueError("no scores")
        self.entry_ids: list[str] = list(dict.fromkeys(r.entry for r in reviews))
        self.judge_ids: list[str] = list(dict.fromkeys(r.judge for r in reviews))
        entry_at = {e: i for i, e in enumerate(self.entry_ids)}
        judge_at = {j: i for i, j in enumerate(self.judge_ids)}
        self.e = np.array([entry_at[r.entry] for r in reviews], dtype=np.int64)
        self.j = np.array([judge_at[r.judge] for r in reviews], dtype=np.int64)
        self.s = np.array([r.score for r in reviews], dtype=np.float64)
        self.n, self.m = len(self.entry_ids), len(self.judge_ids)
        self.counts = np.bincount(self.e, minlength=self.n)
        self.raw_mean = np.bincount(self.e, self.s, minlength=self.n) / self.counts
        self.per_judge = np.bincount(self.j, minlength=self.m)
        self.judge_mean = np.bincount(self.j, self.s, minlength=self.m) / self.per_judge
        square = np.bincount(self.j, self.s**2, minlength=self.m) / self.per_judge
        self.judge_spread = np.sqrt(np.maximum(square - self.judge_mean**2, 0))


def rank_scores(
    reviews: list[Review],
    method: str = "calibrated",
    *,
    scale: tuple[float, float] | None = None,
    trim: int = 1,
    tolerance: float | None = None,
) -> Ranking:
    """Rank entries by ``method`` (see the module's docstring). ``scale`` clips estimates
    and intervals to the scores' range."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    data = _Reviews(reviews)
    low = high = None
    judges: list[JudgeReport] = []
    parts: list[Part] = []
    flagged: list[str] = []
    if method == "mean":
        score = data.raw_mean
    elif method == "trimmed":
        score, flagged = _trimmed(data, trim, tolerance)
    elif method == "zscore":
        score = _zscore(data)
    else:
        score, half_width, judges, parts = _calibrated_by_part(data)
        low, high = score - half_width, score + half_width
    if scale is not None:
        score = np.clip(score, *scale)
        if low is not None:
            low, high = np.clip(low, *scale), np.clip(high, *scale)
    ranked = _ranked(data, score, low, high)
    return Ranking(method, ranked, judges, parts, flagged)


def _ranked(data: _Reviews, score, low, high) -> list[RankedEntry]:
    # Scores equal but for the last bits of floating point (7.3 as 7.299999999999999) tie.
    key_score, key_mean = np.round(score, 9), np.round(data.raw_mean, 9)
    order = sorted(
        range(data.n),
        key=lambda i: (-key_score[i], -data.counts[i], -key_mean[i], data.entry_ids[i]),
    )
    return [
        RankedEntry(
            rank=position,
            entry=data.entry_ids[i],
            score=float(score[i]),
            low=None if low is None else float(low[i]),
            high=None if high is None else float(high[i]),
            reviews=int(data.counts[i]),
        )
        for position, i in enumerate(order, start=1)
    ]


def _trimmed(data: _Reviews, trim: int, tolerance: float | None):
    by_entry: dict[int, list[float]] = defaultdict(list)
    for e, s in zip(data.e.tolist(), data.s.tolist(), strict=True):
        by_entry[e].append(s)
    kept = [trimmed_kept(by_entry[i], trim) for i in range(data.n)]
    score = np.array([sum(scores) / len(scores) for scores in kept])
    flagged = []
    if tolerance is not None:
        flagged = [data.entry_ids[i] for i, s in enumerate(kept) if s[-1] - s[0] > tolerance]
    return score, flagged


def _zscore(data: _Reviews) -> np.ndarray:
    mean, spread = data.judge_mean, data.judge_spread
    informative = spread[data.j] > 1e-9
    z = np.where(informative, (data.s - mean[data.j]) / np.where(informative, spread[data.j], 1), 0)
    entry_z = np.bincount(data.e, z, minlength=data.n) / data.counts
    return data.s.mean() + data.s.std() * entry_z


# --- calibrated ---------------------------------------------------------------------------


@dataclass
class _Fit:
    score: np.ndarray  # per entry, on the input's scale
    half_width: np.ndarray  # of the 90% interval
    offset: np.ndarray  # per judge
    scale: np.ndarray
    noise: np.ndarray


def _calibrated_by_part(data: _Reviews):
    graph = coo_matrix(
        (np.ones(len(data.e)), (data.e, data.n + data.j)), shape=(data.n + data.m,) * 2
    )
    count, label = connected_components(graph, directed=False)
    score = np.zeros(data.n)
    half_width = np.zeros(data.n)
    offset, scale, noise = np.zeros(data.m), np.ones(data.m), np.zeros(data.m)
    parts = []
    for part in range(count):
        entries = np.flatnonzero(label[: data.n] == part)
        judges = np.flatnonzero(label[data.n :] == part)
        rows = np.isin(data.e, entries)
        entry_pos = np.searchsorted(entries, data.e[rows])
        judge_pos = np.searchsorted(judges, data.j[rows])
        fit = calibrate(entry_pos, judge_pos, data.s[rows], len(entries), len(judges))
        # Parts share no judge: place each by its raw mean (the only common ground left).
        fit.score += data.s[rows].mean() - fit.score.mean() if count > 1 else 0.0
        score[entries], half_width[entries] = fit.score, fit.half_width
        offset[judges], scale[judges], noise[judges] = fit.offset, fit.scale, fit.noise
        parts.append(Part([data.judge_ids[j] for j in judges], len(entries)))
    reports = _judge_reports(data, offset, scale, noise)
    return score, half_width, reports, parts if count > 1 else []


def calibrate(e: np.ndarray, j: np.ndarray, s: np.ndarray, n: int, m: int) -> _Fit:
    """Fit  s = mu + a_j + b_j·x_i + N(0, v_j)  for one connected part.

    Priors: judges are alike unless their scores say otherwise (a ~ N(0, u²),
    b ~ N(1, 0.5²)); qualities are not shrunk (x ~ N(0, (100u)²), nearly flat: a prior
    pulling every entry to one mean would blame the judges of a strong category for its
    strength). For given noise levels the offsets,
    scales and qualities are found together — the posterior mode, by Levenberg–Marquardt
    steps whose entry block is diagonal, so each step is a small system in the judges.
    Noise levels (shrunk towards the common one, never below rounding's) are then
    re-estimated with the qualities' uncertainty, and the two alternate until they settle.
    An entry's interval is its posterior sd around the mode, ×1.645 (90%).
    Finally the average judge — median offset 0, median scale 1 — fixes the scale.
    """
    unit = float(s.std()) or 1.0
    integer = bool(np.all(np.isclose(s, np.round(s))))
    floor = 0.02 * unit**2 + (1 / 12 if integer else 0.0)
    model = _Model(e, j, n, m, prior_a=unit**2, prior_b=0.25)
    per_judge = np.bincount(j, minlength=m).astype(float)
    per_entry = np.bincount(e, minlength=n).astype(float)
    mu = float(s.mean())
    y = s - mu
    x = np.bincount(e, y, minlength=n) / per_entry
    a, b = np.zeros(m), np.ones(m)
    v = np.full(m, max(float(np.var(y - x[e])), floor))
    t2 = (100 * unit) ** 2
    for _ in range(ROUNDS):
        previous = np.concatenate([x, a, b * unit, np.sqrt(v)])
        x, a, b = model.fit(y, x, a, b, v, t2)
        var_x = model.quality_variance(x, b, v, t2)
        residual = (y - a[j] - b[j] * x[e]) ** 2 + b[j] ** 2 * var_x[e]
        common = float(residual.mean())
        v = (np.bincount(j, residual, minlength=m) + 3 * common) / (per_judge + 3)
        v = np.maximum(v, floor)
        current = np.concatenate([x, a, b * unit, np.sqrt(v)])
        if float(np.max(np.abs(current - previous))) < 5e-4 * unit:
            break  # qualities, judges and noise all settled
    var_x = model.quality_variance(x, b, v, t2)
    # The average judge defines the scale: median offset 0, median scale 1.
    shift, stretch = float(np.median(a)), float(np.median(b))
    if stretch <= 0.05:
        stretch = 1.0
    return _Fit(
        score=mu + shift + x * stretch,
        half_width=Z90 * np.sqrt(var_x) * stretch,
        offset=a - shift,
        scale=b / stretch,
        noise=np.sqrt(v),
    )


class _Model:
    """The posterior of one part for fixed noise levels: qualities x (n), offsets a and
    scales b (m). Its Gauss–Newton Hessian has a diagonal entry block, so each step is a
    2m × 2m system (the Schur complement), assembled from pairs of reviews of one entry."""

    def __init__(self, e, j, n, m, *, prior_a: float, prior_b: float):
        self.e, self.j, self.n, self.m = e, j, n, m
        self.prior_a, self.prior_b = prior_a, prior_b
        # Every ordered pair of reviews of the same entry (including a review with itself).
        order = np.argsort(e, kind="stable")
        per_entry = np.bincount(e, minlength=n)
        first = np.concatenate([[0], np.cumsum(per_entry)[:-1]])
        group = per_entry[e[order]]
        left = np.repeat(np.arange(len(e)), group)
        offset = np.arange(len(left)) - np.repeat(np.cumsum(group) - group, group)
        right = first[e[order][left]] + offset
        self.left, self.right = order[left], order[right]
        size = 2 * m
        j_left, j_right = j[self.left], j[self.right]
        self.pair_cells = np.concatenate(
            [
                j_left * size + j_right,
                j_left * size + m + j_right,
                (m + j_left) * size + j_right,
                (m + j_left) * size + m + j_right,
            ]
        )
        self.pair_entry = e[self.left]

    def objective(self, y, x, a, b, v, t2) -> float:
        r = y - a[self.j] - b[self.j] * x[self.e]
        return 0.5 * float(
            np.sum(r**2 / v[self.j])
            + np.sum(x**2) / t2
            + np.sum(a**2) / self.prior_a
            + np.sum((b - 1) ** 2) / self.prior_b
        )

    def _system(self, x, b, v, t2, damping: float):
        """The damped entry diagonal d, each review's row of the coupling (u_a, u_b) and
        the Schur complement S of the judge block."""
        e, j, n, m = self.e, self.j, self.n, self.m
        inv_v = 1 / v[j]
        d = (1 / t2 + np.bincount(e, b[j] ** 2 * inv_v, minlength=n)) * (1 + damping)
        u_a, u_b = b[j] * inv_v, b[j] * x[e] * inv_v
        size = 2 * m
        diagonal = np.concatenate(
            [
                np.bincount(j, inv_v, minlength=m) + 1 / self.prior_a,
                np.bincount(j, x[e] ** 2 * inv_v, minlength=m) + 1 / self.prior_b,
            ]
        )
        cross = np.bincount(j, x[e] * inv_v, minlength=m)
        schur = np.zeros((size, size))
        schur[np.arange(size), np.arange(size)] = diagonal * (1 + damping)
        schur[np.arange(m), np.arange(m, size)] = cross
        schur[np.arange(m, size), np.arange(m)] = cross
        left, right = self.left, self.right
        weight = 1 / d[self.pair_entry]
        values = np.concatenate(
            [
                u_a[left] * u_a[right] * weight,
                u_a[left] * u_b[right] * weight,
                u_b[left] * u_a[right] * weight,
                u_b[left] * u_b[right] * weight,
            ]
        )
        schur -= np.bincount(self.pair_cells, values, minlength=size * size).reshape(size, size)
        return d, u_a, u_b, schur

    def fit(self, y, x, a, b, v, t2, steps: int = 30):
        """The posterior mode, by Levenberg–Marquardt from (x, a, b)."""
        e, j, n, m = self.e, self.j, self.n, self.m
        damping = 1e-3
        current = self.objective(y, x, a, b, v, t2)
        for _ in range(steps):
            r = (y - a[j] - b[j] * x[e]) / v[j]
            g_x = -np.bincount(e, b[j] * r, minlength=n) + x / t2
            g_a = -np.bincount(j, r, minlength=m) + a / self.prior_a
            g_b = -np.bincount(j, x[e] * r, minlength=m) + (b - 1) / self.prior_b
            d, u_a, u_b, schur = self._system(x, b, v, t2, damping)
            scaled_g = (g_x / d)[e]
            rhs = -np.concatenate([g_a, g_b]) + np.concatenate(
                [
                    np.bincount(j, u_a * scaled_g, minlength=m),
                    np.bincount(j, u_b * scaled_g, minlength=m),
                ]
            )
            try:
                step_theta = np.linalg.solve(schur, rhs)
            except np.linalg.LinAlgError:
                step_theta = np.linalg.lstsq(schur, rhs, rcond=None)[0]
            coupling = np.bincount(
                e, u_a * step_theta[:m][j] + u_b * step_theta[m:][j], minlength=n
            )
            step_x = (-g_x - coupling) / d
            candidate = (x + step_x, a + step_theta[:m], b + step_theta[m:])
            value = self.objective(y, *candidate, v, t2)
            if value <= current:
                x, a, b = candidate
                damping = max(damping / 10, 1e-9)
                converged = current - value <= 1e-8 * max(1.0, abs(current))
                current = value
                if converged:
                    break
            else:
                damping *= 10
                if damping > 1e6:
                    break
        return x, a, b

    def quality_variance(self, x, b, v, t2) -> np.ndarray:
        """Each quality's posterior variance given the judges."""
        inv_v = 1 / v[self.j]
        return 1 / (1 / t2 + np.bincount(self.e, b[self.j] ** 2 * inv_v, minlength=self.n))


def _judge_reports(data: _Reviews, offset, scale, noise) -> list[JudgeReport]:
    per_judge, spread = data.per_judge, data.judge_spread
    reports = []
    for k, judge in enumerate(data.judge_ids):
        note = ""
        if per_judge[k] >= 5 and spread[k] < 1e-9:
            note = "same score for everything"
        elif per_judge[k] >= 10 and abs(scale[k]) < 0.25:
            note = "scores unrelated to the others'"
        reports.append(
            JudgeReport(
                judge,
                int(per_judge[k]),
                float(offset[k]),
                float(scale[k]),
                float(noise[k]),
                note,
            )
        )
    return reports


# --- pairwise -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    judge: str
    winner: str
    loser: str


def rank_pairs(comparisons: list[Comparison], *, prior: float = 0.1) -> Ranking:
    """Crowd-BT: strengths θ with P(w beats l) = σ(θ_w − θ_l), each judge honest with
    probability η_j (else answering at random either way), fitted by EM. ``prior`` is a
    ridge on θ that keeps an entry that never lost finite. Scores are θ (log-odds)."""
    if not comparisons:
        raise ValueError("no comparisons")
    items = list(dict.fromkeys(x for c in comparisons for x in (c.winner, c.loser)))
    judges = list(dict.fromkeys(c.judge for c in comparisons))
    at = {item: i for i, item in enumerate(items)}
    judge_at = {judge: i for i, judge in enumerate(judges)}
    w = np.array([at[c.winner] for c in comparisons])
    lose = np.array([at[c.loser] for c in comparisons])
    jj = np.array([judge_at[c.judge] for c in comparisons])
    n, m = len(items), len(judges)
    theta = np.zeros(n)
    eta = np.full(m, 0.9)
    per_judge = np.bincount(jj, minlength=m)
    for _ in range(100):
        p = 1 / (1 + np.exp(-(theta[w] - theta[lose])))
        honest = eta[jj] * p / (eta[jj] * p + (1 - eta[jj]) * (1 - p))
        eta = (np.bincount(jj, honest, minlength=m) + 8) / (per_judge + 10)  # Beta(8, 2)
        previous = theta

        def loss(t, honest=honest):
            d = t[w] - t[lose]
            value = -np.sum(honest * _log_sigmoid(d) + (1 - honest) * _log_sigmoid(-d))
            sig = 1 / (1 + np.exp(-d))
            g_d = -(honest * (1 - sig) - (1 - honest) * sig)
            grad = np.bincount(w, g_d, minlength=n) - np.bincount(lose, g_d, minlength=n)
            return value + prior * np.sum(t**2) / 2, grad + prior * t

        theta = optimize.minimize(loss, previous, jac=True, method="L-BFGS-B").x
        theta -= theta.mean()
        if np.max(np.abs(theta - previous)) < 1e-6:
            break
    p = 1 / (1 + np.exp(-(theta[w] - theta[lose])))
    information = np.bincount(w, p * (1 - p), minlength=n)
    information += np.bincount(lose, p * (1 - p), minlength=n) + prior
    half_width = Z90 / np.sqrt(information)
    counts = np.bincount(w, minlength=n) + np.bincount(lose, minlength=n)
    win_rate = np.bincount(w, minlength=n) / counts
    rounded = np.round(theta, 9)
    order = sorted(range(n), key=lambda i: (-rounded[i], -counts[i], -win_rate[i], items[i]))
    ranked = [
        RankedEntry(
            position,
            items[i],
            float(theta[i]),
            float(theta[i] - half_width[i]),
            float(theta[i] + half_width[i]),
            int(counts[i]),
        )
        for position, i in enumerate(order, start=1)
    ]
    reports = [
        JudgeReport(judge, int(per_judge[k]), 0.0, float(eta[k]), 0.0)
        for k, judge in enumerate(judges)
    ]
    return Ranking("bt", ranked, reports)


def _log_sigmoid(d: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0, -d)


def kendall_tau(a, b) -> float:
    return float(stats.kendalltau(a, b).statistic)


def precision_at(k: int, estimate, truth) -> float:
    """The share of the true top k that the estimate's top k holds."""
    top_estimate = set(np.argsort(-np.asarray(estimate), kind="stable")[:k].tolist())
    top_truth = set(np.argsort(-np.asarray(truth), kind="stable")[:k].tolist())
    return len(top_estimate & top_truth) / k
