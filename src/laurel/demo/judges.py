"""The demo contest's judges and the reviews they give, simulated from a hidden truth.

Pure Python, no Django imports: the demo's loaders (``loaders/photo_contest.py``,
``loaders/craftsmen.py``) turn these into judges, rounds and reviews through the judging
services. Every entry has a latent quality; every judge their
own habits. In the qualifying round (初评) a judge passes an entry when its quality plus
their leniency plus the moment's noise clears a threshold, so judges disagree now and then
and a third judge decides. In the scoring round (复评) a judge's score on each criterion is
what an average judge would give, moved by their severity (offset), stretched by how much of
a difference they see (scale) and blurred by their noise — the differences the calibrated
ranking is there to take out. Everything is drawn from seeded generators: one seed, one
story.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

SEED = 2024
# quality + leniency + noise above this: pass. About three entries in four do, so that the
# small default demo (320 photos) sends 200+ entries to 复评 for its 200 prizes.
PASS_THRESHOLD = -0.7
VERDICT_NOISE = 0.5
CENTRE = 5.0  # what the average judge gives an entry of average quality, on 1–10
SPREAD = 1.5  # points per unit of quality, for the average judge
ASPECT = 0.5  # how much an entry's criteria differ from its overall quality
BULLETIN_TITLE = "人勤春早"  # the bulletin's own photo: a strong one
BULLETIN_QUALITY = 2.3

# local times (the loaders make them aware): after entries closed on 25 April, before the
# exhibition opened on 1 May
QUALIFY_OPENS = datetime(2024, 4, 26, 9)  # noqa: DTZ001 - local times, made aware by the loaders
QUALIFY_DEADLINE = datetime(2024, 4, 28, 18)  # noqa: DTZ001 - as above
QUALIFY_CLOSED = datetime(2024, 4, 28, 20)  # noqa: DTZ001 - as above
SCORE_OPENS = datetime(2024, 4, 29, 9)  # noqa: DTZ001 - as above
SCORE_DEADLINE = datetime(2024, 4, 30, 18)  # noqa: DTZ001 - as above
SCORE_CLOSED = datetime(2024, 4, 30, 20)  # noqa: DTZ001 - as above

QUALIFY_ROUND = "初评"
SCORE_ROUND = "复评"
CRITERIA = [("主题", 30, 1, 10), ("构图", 30, 1, 10), ("技术", 20, 1, 10), ("创意", 20, 1, 10)]

NAMES = [
    "王建国", "刘晓梅", "陈志刚", "张丽华", "杨光明", "赵文斌", "黄秀英", "周永强",
    "吴海燕", "徐建平", "孙卫东", "马丽娟", "朱晓东", "胡振华", "郭玉兰", "何志明",
    "高建华", "林雪梅", "罗国庆", "郑红梅", "梁志勇", "谢小兰", "宋建军", "唐晓燕",
]  # fmt: skip
# Nine judges come from district unions (their own district's entries are conflicts); the
# others are outside experts — photographers, editors, teachers — with no unit.
JUDGE_UNITS = {
    1: "cq/yuzhong",
    3: "cq/yongchuan",
    5: "cq/wanzhou",
    8: "cq/jiangbei",
    10: "cq/shapingba",
    13: "cq/fuling",
    15: "cq/yubei",
    18: "cq/fengjie",
    21: "cq/nanan",
}
SCORING_PANEL = 22  # judge01..judge22 go on to 复评; judge23 and judge24 judged only 初评


@dataclass(frozen=True)
class DemoJudge:
    username: str  # judge01
    name: str  # 评委 王建国
    unit: str | None  # a district union's code, or None for an outside expert
    leniency: float  # 初评: added to an entry's quality before the threshold
    offset: float  # 复评: points added to every score (negative: severe), −1.5..+1.5
    scale: float  # 复评: how much of a quality difference shows, 0.7..1.3
    noise: float  # 复评: the spread of their scores (points), 0.5..1.2
    scores: bool  # on the 复评 panel


def judges(count: int = 24, seed: int = SEED) -> list[DemoJudge]:
    """The panel: ``count`` judges, judge01 to judgeNN, each with their own habits."""
    rng = random.Random(f"{seed}:judges")  # noqa: S311 - demo data, not security
    made = []
    for number in range(1, count + 1):
        made.append(
            DemoJudge(
                username=f"judge{number:02d}",
                name=f"评委 {NAMES[(number - 1) % len(NAMES)]}",
                unit=JUDGE_UNITS.get(number),
                leniency=rng.gauss(0, 0.35),
                offset=rng.uniform(-1.5, 1.5),
                scale=rng.uniform(0.7, 1.3),
                noise=rng.uniform(0.5, 1.2),
                scores=number <= SCORING_PANEL,
            )
        )
    return made


def entry_quality(number: int, title: str, seed: int = SEED) -> float:
    """An entry's hidden quality (mean 0, sd 1), fixed by its number."""
    if title == BULLETIN_TITLE:
        return BULLETIN_QUALITY
    return random.Random(f"{seed}:quality:{number}").gauss(0, 1)  # noqa: S311 - as above


def verdict(judge: DemoJudge, number: int, quality: float, seed: int = SEED) -> bool:
    """Whether ``judge`` passes entry ``number`` in 初评."""
    rng = random.Random(f"{seed}:verdict:{number}:{judge.username}")  # noqa: S311 - as above
    return quality + judge.leniency + rng.gauss(0, VERDICT_NOISE) > PASS_THRESHOLD


def criteria_scores(
    judge: DemoJudge,
    number: int,
    quality: float,
    criteria=CRITERIA,
    seed: int = SEED,
) -> dict[str, int]:
    """``judge``'s 复评 scores of entry ``number``, by criterion name: integers clipped to
    each criterion's scale. An entry's criteria differ a little (its composition may be
    better than its idea), the same for every judge."""
    aspects = random.Random(f"{seed}:aspects:{number}")  # noqa: S311 - as above
    rng = random.Random(f"{seed}:scores:{number}:{judge.username}")  # noqa: S311 - as above
    scores = {}
    for name, _weight, low, high in criteria:
        seen = quality + aspects.gauss(0, ASPECT)
        raw = CENTRE + judge.offset + judge.scale * SPREAD * seen + rng.gauss(0, judge.noise)
        scores[name] = int(min(max(round(raw), low), high))
    return scores


def review_times(
    opens: datetime, deadline: datetime, count: int, key: str, seed: int = SEED
) -> list[datetime]:
    """When a judge gave their ``count`` reviews, in order: they start within the first
    day, finish before the deadline, and work between 08:00 and 23:00."""
    if count == 0:
        return []
    rng = random.Random(f"{seed}:times:{key}")  # noqa: S311 - as above
    hours = [
        opens + timedelta(hours=h)
        for h in range(int((deadline - opens).total_seconds() // 3600))
        if 8 <= (opens + timedelta(hours=h)).hour < 23
    ]
    start = rng.uniform(0, len(hours) * 0.3)
    end = rng.uniform(max(start, len(hours) * 0.6), len(hours) - 0.5)
    times = []
    for index in range(count):
        at = start + (end - start) * (index + rng.random()) / count  # working hours gone
        hour = hours[min(int(at), len(hours) - 1)]
        times.append(hour + timedelta(seconds=int((at % 1) * 3600)))
    return sorted(times)
