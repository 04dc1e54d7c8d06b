"""云阳县's first May-Day carnival for workers, the bulletin's 文体艺嘉年华: 69 teams of the
county's trades, 1,318 people in all, and 18 booths everyone may try, each with its places
and its time slots over the day (``carnival-2024``).

Pure Python, no Django: ``loaders/carnival.py`` loads the plan through the services. The
shape: every team visits one booth together, registered as a team by its unit's admin for
one slot of a large booth (投壶馆, 棋艺馆 …) in the first days; then people sign up on their
own for the small workshops (花艺馆, 陶艺馆 …), one or two each, at times their team is
elsewhere. The workshops most asked for fill up and keep waiting lists. Everything is drawn
from ``random.Random(seed)``: one seed, one carnival. Times are local (Beijing time), in the
2024 story; the loader moves them with it (``dates``).
"""

import random
from dataclasses import dataclass
from datetime import datetime, time

from laurel.demo import world

SLUG = "carnival-2024"
TITLE = "云阳县首届职工庆五一文体艺嘉年华"
DESCRIPTION = (
    "在“五一”国际劳动节到来之际，云阳县举办首届职工庆五一文体艺嘉年华活动，为辖区职工群众献上"
    "一场“健康文明、昂扬向上、全员参与”的文化体育盛宴。活动包含千人展演、团体游戏，并精心策划了"
    "全员可参与体验的18个文体艺嘉年华体验项目：布袋DIY、花艺馆、剪纸馆、书法馆、投壶馆等。"
    "各参赛队由所在单位工会统一报名一个体验馆的时段；职工也可自行报名其他体验馆。"
)
VENUE = "云阳县体育中心"
ORGANISER = "cq/yunyang"  # 云阳县总工会
TEAM_KIND = "参赛队"
TEAMS = 69
PEOPLE = 1318  # "1300余名职工代表": the teams' members
TEAM_SIZES = (14, 24)
SIGNING_UP = 520  # people who sign up on their own
SIGNING_UP_TWICE = 140  # … of whom these try a second workshop
SEED = 2024
ARRIVING_EARLY_MINUTES = 20  # people come up to this long before their slot
NO_SHOW_ONE_IN = 20  # one registration in this many does not come
QUESTIONS = [("文化衫尺码", "choice", "S\nM\nL\nXL\nXXL", False)]  # text, kind, choices, required
SIZES = ["S", "M", "L", "XL", "XXL"]

# the story's moments (local)
CREATED = datetime(2024, 4, 8, 10)  # noqa: DTZ001 - local, made aware by the loader
REGISTRATION_OPENS = datetime(2024, 4, 10, 9)  # noqa: DTZ001 - as above
TEAMS_REGISTERED_BY = datetime(2024, 4, 12, 18)  # noqa: DTZ001 - the unit admins come first
REGISTRATION_CLOSES = datetime(2024, 4, 24, 18)  # noqa: DTZ001 - as above
STARTS = datetime(2024, 4, 27, 9)  # noqa: DTZ001 - as above
ENDS = datetime(2024, 4, 27, 17)  # noqa: DTZ001 - as above

HOURLY = (
    (time(9), time(10)),
    (time(10), time(11)),
    (time(11), time(12)),
    (time(14), time(15)),
    (time(15), time(16)),
    (time(16), time(17)),
)
LONG = (
    (time(9), time(10, 30)),
    (time(10, 30), time(12)),
    (time(14), time(15, 30)),
    (time(15, 30), time(17)),
)


@dataclass(frozen=True)
class Booth:
    name: str
    description: str
    capacity: int  # places in each slot
    times: tuple[tuple[time, time], ...]  # its slots, local
    teams: bool  # teams visit it together
    draw: int  # how much people on their own ask for it (a weight)


BOOTHS = [
    Booth("布袋DIY", "在帆布袋上手绘、拓染自己的图案，做好带回家。", 16, HOURLY, False, 8),
    Booth("花艺馆", "插花老师带着用时令鲜花做一束手捧花。", 12, HOURLY, False, 10),
    Booth("剪纸馆", "跟民间艺人学剪窗花、团花。", 40, HOURLY, True, 2),
    Booth("书法馆", "软笔书法体验，写一幅“劳动美”带回家。", 40, HOURLY, True, 2),
    Booth("投壶馆", "古人宴饮的投壶游戏，十支箭看谁投中最多。", 60, HOURLY, True, 2),
    Booth("扎染馆", "用板蓝根染料扎染一方手帕。", 12, LONG, False, 6),
    Booth("陶艺馆", "拉坯、捏塑，做一只自己的陶杯，烧好后送到单位。", 10, LONG, False, 9),
    Booth("茶艺馆", "认识云阳本地茶，学冲泡与品饮。", 12, HOURLY, False, 7),
    Booth("香囊DIY", "配香料、缝香囊。", 20, HOURLY, False, 4),
    Booth("竹编馆", "用篾片编一只小竹篮。", 15, LONG, False, 3),
    Booth("糖画馆", "看糖画艺人现场作画，再自己画一个。", 12, HOURLY, False, 6),
    Booth("国画馆", "水墨小品：画一枝荷花或一段三峡山水。", 40, HOURLY, True, 2),
    Booth("拓印馆", "拓印张飞庙碑刻的纹样。", 40, HOURLY, True, 2),
    Booth("面塑馆", "用彩色面团捏一个小人或生肖。", 16, HOURLY, False, 3),
    Booth("射箭馆", "传统弓射箭，教练带着练三轮。", 24, HOURLY, False, 4),
    Booth("棋艺馆", "象棋、围棋、五子棋擂台。", 50, HOURLY, True, 1),
    Booth("毽球馆", "踢毽子、毽球接力。", 50, HOURLY, True, 1),
    Booth("灯笼DIY", "糊一盏纸灯笼，写上祝福。", 20, HOURLY, False, 3),
]

ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Team:
    name: str
    unit_code: str
    industry: str
    size: int
    booth: int  # where it goes together: BOOTHS[booth].times[slot]
    slot: int
    at: datetime  # when its unit's admin registered it (local)


@dataclass(frozen=True)
class SignUp:
    """A person signing up on their own: the ``person``-th member of ``team``."""

    team: int
    person: int
    booth: int
    slot: int
    at: datetime  # local
    size: str  # their answer to 文化衫尺码 ("" for none)


@dataclass(frozen=True)
class Plan:
    teams: list[Team]  # in the order registered
    signups: list[SignUp]  # in the order signed up, after every team


def county_units() -> list[tuple[str, str, str, str, str]]:
    """The county's units whose people come: those ``world.grassroots_units`` gives 云阳县
    (its 机关工会, its education union and a few drawn) and ``world.YUNYANG_UNITS``."""
    drawn = [
        unit
        for unit in world.grassroots_units()
        if unit[3] == ORGANISER or unit[0].startswith(f"{ORGANISER}/")
    ]
    return drawn + world.YUNYANG_UNITS


def team_stem(unit_name: str) -> str:
    """What a team of the unit is called after: "云阳县公安局" of 云阳县公安局工会."""
    stem = unit_name.removesuffix("工会").removeprefix("国家税务总局重庆市")
    return "云阳县机关" if stem == "机关" else stem


def overlap(a: tuple[time, time], b: tuple[time, time]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def plan(units: list[tuple[str, str, str, str, str]], seed: int = SEED) -> Plan:
    """The carnival's teams (each unit one at least, the rest drawn), their sizes adding up
    to ``PEOPLE``, each at a slot of a team booth with room for it; then the people signing
    up on their own, never at a time their team or their other workshop holds them."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    homes = list(units)
    rng.shuffle(homes)
    homes += rng.choices(units, k=TEAMS - len(units))
    homes.sort(key=lambda unit: units.index(unit))
    sizes = [rng.randint(*TEAM_SIZES) for _home in homes]
    while sum(sizes) != PEOPLE:
        n = rng.randrange(TEAMS)
        if sum(sizes) > PEOPLE and sizes[n] > TEAM_SIZES[0]:
            sizes[n] -= 1
        elif sum(sizes) < PEOPLE and sizes[n] < TEAM_SIZES[1]:
            sizes[n] += 1

    room = {
        (b, s): booth.capacity
        for b, booth in enumerate(BOOTHS)
        if booth.teams
        for s in range(len(booth.times))
    }
    places: dict[int, tuple[int, int]] = {}
    for n in sorted(range(TEAMS), key=lambda n: -sizes[n]):  # the largest find room first
        fitting = [key for key, left in room.items() if left >= sizes[n]]
        rng.shuffle(fitting)
        place = max(fitting, key=lambda key: room[key])
        room[place] -= sizes[n]
        places[n] = place

    counts: dict[str, int] = {}
    names = []
    for code, name, _kind, _parent, _industry in homes:
        counts[code] = counts.get(code, 0) + 1
        names.append((code, name, counts[code]))
    moments = sorted(
        REGISTRATION_OPENS + (TEAMS_REGISTERED_BY - REGISTRATION_OPENS) * rng.random()
        for _n in range(TEAMS)
    )
    teams = [
        Team(
            name=f"{team_stem(name)}代表队"
            if counts[code] == 1
            else f"{team_stem(name)}代表{ORDINALS[number - 1]}队",
            unit_code=code,
            industry=homes[n][4],
            size=sizes[n],
            booth=places[n][0],
            slot=places[n][1],
            at=moments[n],
        )
        for n, (code, name, number) in enumerate(names)
    ]
    teams.sort(key=lambda team: team.at)
    return Plan(teams, _signups(teams, rng))


def _signups(teams: list[Team], rng: random.Random) -> list[SignUp]:
    people = [(t, p) for t, team in enumerate(teams) for p in range(team.size)]
    chosen = rng.sample(people, SIGNING_UP)
    twice = set(rng.sample(range(SIGNING_UP), SIGNING_UP_TWICE))
    weights = [booth.draw for booth in BOOTHS]
    signups = []
    for n, (t, p) in enumerate(chosen):
        team = teams[t]
        busy = [BOOTHS[team.booth].times[team.slot]]
        booths_tried = {team.booth}
        for _turn in range(2 if n in twice else 1):
            b = rng.choices(range(len(BOOTHS)), weights=weights)[0]
            if b in booths_tried:
                continue
            free = [
                s
                for s, when in enumerate(BOOTHS[b].times)
                if not any(overlap(when, held) for held in busy)
            ]
            if not free:
                continue
            s = rng.choice(free)
            busy.append(BOOTHS[b].times[s])
            booths_tried.add(b)
            at = TEAMS_REGISTERED_BY + (REGISTRATION_CLOSES - TEAMS_REGISTERED_BY) * rng.random()
            size = rng.choice(SIZES) if rng.random() < 0.7 else ""
            signups.append(SignUp(t, p, b, s, at, size))
    signups.sort(key=lambda signup: signup.at)
    return signups
