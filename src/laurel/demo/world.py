"""The demo world of 重庆市总工会: its unions and a deterministic crowd of members.

Pure Python, no Django imports: the demo's loaders (``loaders/units.py``,
``loaders/members.py``) turn these tuples into rows. Everything
is drawn from ``random.Random(seed)`` (and a Faker seeded the same), so one seed always gives
the same world, and the ID-card numbers and mobiles it makes pass ``laurel.core.identity``.
"""

import random
from datetime import date

from faker import Faker

from laurel.core.identity import id_card_check_character

FEDERATION = ("cq", "重庆市总工会", "federation", None)

# Chongqing's 26 districts, 8 counties and 4 autonomous counties are 38 with 綦江区, and the
# federation also has 万盛经开区总工会. To keep exactly 38 unions under "cq", 綦江区 is left
# out: 万盛 lies inside today's 綦江区, and 500110 was the code of the former 万盛区 before
# the 2011 merger (綦江 inherited it), so 万盛's people carry 500110.
# code, name, kind, area code (GB/T 2260)
DISTRICTS = [
    ("cq/wanzhou", "万州区总工会", "district", "500101"),
    ("cq/fuling", "涪陵区总工会", "district", "500102"),
    ("cq/yuzhong", "渝中区总工会", "district", "500103"),
    ("cq/dadukou", "大渡口区总工会", "district", "500104"),
    ("cq/jiangbei", "江北区总工会", "district", "500105"),
    ("cq/shapingba", "沙坪坝区总工会", "district", "500106"),
    ("cq/jiulongpo", "九龙坡区总工会", "district", "500107"),
    ("cq/nanan", "南岸区总工会", "district", "500108"),
    ("cq/beibei", "北碚区总工会", "district", "500109"),
    ("cq/dazu", "大足区总工会", "district", "500111"),
    ("cq/yubei", "渝北区总工会", "district", "500112"),
    ("cq/banan", "巴南区总工会", "district", "500113"),
    ("cq/qianjiang", "黔江区总工会", "district", "500114"),
    ("cq/changshou", "长寿区总工会", "district", "500115"),
    ("cq/jiangjin", "江津区总工会", "district", "500116"),
    ("cq/hechuan", "合川区总工会", "district", "500117"),
    ("cq/yongchuan", "永川区总工会", "district", "500118"),
    ("cq/nanchuan", "南川区总工会", "district", "500119"),
    ("cq/bishan", "璧山区总工会", "district", "500120"),
    ("cq/tongliang", "铜梁区总工会", "district", "500151"),
    ("cq/tongnan", "潼南区总工会", "district", "500152"),
    ("cq/rongchang", "荣昌区总工会", "district", "500153"),
    ("cq/kaizhou", "开州区总工会", "district", "500154"),
    ("cq/liangping", "梁平区总工会", "district", "500155"),
    ("cq/wulong", "武隆区总工会", "district", "500156"),
    ("cq/chengkou", "城口县总工会", "district", "500229"),
    ("cq/fengdu", "丰都县总工会", "district", "500230"),
    ("cq/dianjiang", "垫江县总工会", "district", "500231"),
    ("cq/zhongxian", "忠县总工会", "district", "500233"),
    ("cq/yunyang", "云阳县总工会", "district", "500235"),
    ("cq/fengjie", "奉节县总工会", "district", "500236"),
    ("cq/wushan", "巫山县总工会", "district", "500237"),
    ("cq/wuxi", "巫溪县总工会", "district", "500238"),
    ("cq/shizhu", "石柱土家族自治县总工会", "district", "500240"),
    ("cq/xiushan", "秀山土家族苗族自治县总工会", "district", "500241"),
    ("cq/youyang", "酉阳土家族苗族自治县总工会", "district", "500242"),
    ("cq/pengshui", "彭水苗族土家族自治县总工会", "district", "500243"),
    ("cq/wansheng", "万盛经开区总工会", "zone", "500110"),
]

# How a district names its units: "永川区第三机械厂工会", but "石柱县人民医院工会".
SHORT_NAMES = {
    "cq/shizhu": "石柱县",
    "cq/xiushan": "秀山县",
    "cq/youyang": "酉阳县",
    "cq/pengshui": "彭水县",
    "cq/wansheng": "万盛",
}

INDUSTRIES = [
    "教育",
    "卫生健康",
    "制造业",
    "建筑业",
    "交通运输",
    "金融",
    "能源",
    "商贸服务",
    "机关事业",
    "信息技术",
    "文化",
]

# code, name, kind, industry
INDUSTRY_UNIONS = [
    ("cq/ind-education", "重庆市教育工会", "industry", "教育"),
    ("cq/ind-health", "重庆市卫生健康工会", "industry", "卫生健康"),
    ("cq/ind-finance", "重庆市金融工会", "industry", "金融"),
    ("cq/ind-construction", "重庆市建设工会", "industry", "建筑业"),
    ("cq/ind-transport", "重庆市交通运输工会", "industry", "交通运输"),
    ("cq/ind-energy", "重庆市能源化工工会", "industry", "能源"),
    ("cq/ind-machinery", "重庆市机械冶金工会", "industry", "制造业"),
    ("cq/ind-telecom", "重庆市国防邮电工会", "industry", "信息技术"),
]

# The units a city industry union has directly: slug, name.
INDUSTRY_MEMBERS = {
    "cq/ind-education": [
        ("cqu", "重庆大学工会"),
        ("swu", "西南大学工会"),
        ("cqnu", "重庆师范大学工会"),
        ("cqjtu", "重庆交通大学工会"),
        ("cqyz", "重庆市第一中学校工会"),
        ("bashu", "重庆市巴蜀中学校工会"),
        ("nankai", "重庆市南开中学校工会"),
    ],
    "cq/ind-health": [
        ("cqmu1", "重庆医科大学附属第一医院工会"),
        ("cqmu-children", "重庆医科大学附属儿童医院工会"),
        ("people-hospital", "重庆市人民医院工会"),
        ("tcm-hospital", "重庆市中医院工会"),
        ("emergency", "重庆市急救医疗中心工会"),
        ("cdc", "重庆市疾病预防控制中心工会"),
    ],
    "cq/ind-finance": [
        ("cqbank", "重庆银行工会"),
        ("cqrcb", "重庆农村商业银行工会"),
        ("sxbank", "重庆三峡银行工会"),
        ("swsc", "西南证券工会"),
        ("icbc", "中国工商银行重庆市分行工会"),
    ],
    "cq/ind-construction": [
        ("cceg", "重庆建工集团工会"),
        ("urban", "重庆城建控股集团工会"),
        ("design", "重庆市设计院工会"),
        ("municipal", "重庆市市政设计研究院工会"),
        ("cscec", "中建三局西南公司工会"),
    ],
    "cq/ind-transport": [
        ("bus", "重庆公交集团工会"),
        ("rail", "重庆轨道交通集团工会"),
        ("port", "重庆港务物流集团工会"),
        ("expressway", "重庆高速公路集团工会"),
        ("airport", "重庆机场集团工会"),
        ("coach", "重庆交运集团工会"),
    ],
    "cq/ind-energy": [
        ("grid", "国网重庆市电力公司工会"),
        ("gas", "重庆燃气集团工会"),
        ("energy", "重庆能源投资集团工会"),
        ("water", "重庆水务集团工会"),
        ("sinopec", "中国石化重庆石油分公司工会"),
    ],
    "cq/ind-machinery": [
        ("changan", "重庆长安汽车股份有限公司工会"),
        ("steel", "重庆钢铁集团工会"),
        ("electromech", "重庆机电控股集团工会"),
        ("qingling", "庆铃汽车集团工会"),
        ("pump", "重庆水泵厂工会"),
        ("gearbox", "重庆齿轮箱有限责任公司工会"),
    ],
    "cq/ind-telecom": [
        ("mobile", "中国移动重庆公司工会"),
        ("telecom", "中国电信重庆分公司工会"),
        ("unicom", "中国联通重庆市分公司工会"),
        ("post", "中国邮政重庆市分公司工会"),
        ("cbn", "重庆有线电视网络公司工会"),
    ],
}

# The units a district or county may have: slug, name pattern, industry. ``{s}`` is the
# district's short name, ``{n}`` a Chinese ordinal.
DISTRICT_UNIT_PATTERNS = [
    ("machinery", "{s}第{n}机械厂工会", "制造业"),
    ("auto-parts", "{s}汽车零部件有限公司工会", "制造业"),
    ("food", "{s}食品有限公司工会", "制造业"),
    ("textile", "{s}纺织厂工会", "制造业"),
    ("building", "{s}建筑工程公司工会", "建筑业"),
    ("installation", "{s}第{n}建筑安装公司工会", "建筑业"),
    ("municipal", "{s}市政工程公司工会", "建筑业"),
    ("bus", "{s}公交公司工会", "交通运输"),
    ("coach", "{s}汽车客运站工会", "交通运输"),
    ("taxi", "{s}出租汽车公司工会", "交通运输"),
    ("rcb", "重庆农商银行{s}支行工会", "金融"),
    ("ccb", "中国建设银行{s}支行工会", "金融"),
    ("psbc", "邮储银行{s}支行工会", "金融"),
    ("power", "{s}供电公司工会", "能源"),
    ("gas", "{s}燃气公司工会", "能源"),
    ("water", "{s}自来水公司工会", "能源"),
    ("store", "{s}百货公司工会", "商贸服务"),
    ("coop", "{s}供销合作社工会", "商贸服务"),
    ("hotel", "{s}宾馆工会", "商贸服务"),
    ("court", "{s}人民法院工会", "机关事业"),
    ("procuratorate", "{s}人民检察院工会", "机关事业"),
    ("tax", "国家税务总局重庆市{s}税务局工会", "机关事业"),
    ("mobile", "中国移动{s}分公司工会", "信息技术"),
    ("telecom", "中国电信{s}分公司工会", "信息技术"),
    ("software", "{s}信息科技有限公司工会", "信息技术"),
    ("hospital", "{s}人民医院工会", "卫生健康"),
    ("tcm", "{s}中医院工会", "卫生健康"),
    ("maternity", "{s}妇幼保健院工会", "卫生健康"),
    ("cdc", "{s}疾病预防控制中心工会", "卫生健康"),
    ("high-school", "{s}实验中学工会", "教育"),
    ("school", "{s}第{n}中学工会", "教育"),
    ("primary", "{s}实验小学工会", "教育"),
    ("vocational", "{s}职业教育中心工会", "教育"),
    ("culture", "{s}文化馆工会", "文化"),
    ("library", "{s}图书馆工会", "文化"),
]

ORDINALS = "一二三四五六七八九十"

# The units the May-Day bulletin names (src/laurel/demo/loaders/): their
# codes are fixed. code, name, kind, parent code, industry
FIXED_UNITS = [
    ("cq/culture-palace", "市劳动人民文化宫", "grassroots", "cq", "文化"),
    ("cq/yongchuan/factory3", "永川区第三机械厂工会", "grassroots", "cq/yongchuan", "制造业"),
    ("cq/yunyang/education", "云阳县教育工会", "industry", "cq/yunyang", "教育"),
]

# 云阳县's carnival (``carnival``): the county's trades beyond the units ``grassroots_units``
# draws for it, each made once by code by the carnival's loader (a school under the county's
# education union). Their names are none a district's patterns make.
YUNYANG_TRADES = [  # slug, name, industry
    ("police", "云阳县公安局工会", "机关事业"),
    ("fire", "云阳县消防救援大队工会", "机关事业"),
    ("market", "云阳县市场监督管理局工会", "机关事业"),
    ("urban", "云阳县城市管理局工会", "机关事业"),
    ("water-affairs", "云阳县水利局工会", "机关事业"),
    ("agriculture", "云阳县农业农村委员会工会", "机关事业"),
    ("park", "云阳县工业园区管委会工会", "机关事业"),
    ("shuangjiang", "云阳县双江街道办事处工会", "机关事业"),
    ("qinglong", "云阳县青龙街道办事处工会", "机关事业"),
    ("sanitation", "云阳县环境卫生管理所工会", "机关事业"),
    ("transport", "云阳县交通局工会", "交通运输"),
    ("port", "云阳港务有限公司工会", "交通运输"),
    ("tourism", "云阳县文化和旅游发展委员会工会", "文化"),
    ("longgang", "云阳龙缸景区管理处工会", "文化"),
    ("zhangfei", "云阳县张飞庙文物管理所工会", "文化"),
    ("hospital-second", "云阳县第二人民医院工会", "卫生健康"),
    ("sxbank", "重庆三峡银行云阳支行工会", "金融"),
    ("tobacco", "云阳县烟草专卖局工会", "商贸服务"),
    ("salt", "重庆云阳盐化有限公司工会", "制造业"),
    ("agri-group", "云阳县农业发展集团工会", "商贸服务"),
]
YUNYANG_SCHOOLS = [  # slug, name: under 云阳县教育工会
    ("jiangkou", "云阳县江口中学工会"),
    ("fengming", "云阳县凤鸣中学工会"),
    ("nanxi", "云阳县南溪中学工会"),
    ("gaoyang", "云阳县高阳中学工会"),
]
YUNYANG_UNITS = [
    *(
        (f"cq/yunyang/{slug}", name, "grassroots", "cq/yunyang", industry)
        for slug, name, industry in YUNYANG_TRADES
    ),
    *(
        (f"cq/yunyang/education/{slug}", name, "grassroots", "cq/yunyang/education", "教育")
        for slug, name in YUNYANG_SCHOOLS
    ),
]

JOB_TITLES = {
    "教育": ["教师", "班主任", "教研组长", "教务员", "校医"],
    "卫生健康": ["医生", "护士", "护士长", "药剂师", "检验技师", "主治医师"],
    "制造业": ["职工", "技术员", "工程师", "班组长", "车间主任", "质检员", "钳工", "焊工"],
    "建筑业": ["施工员", "安全员", "工程师", "班组长", "项目经理", "预算员"],
    "交通运输": ["驾驶员", "调度员", "乘务员", "维修工", "站务员"],
    "金融": ["柜员", "客户经理", "会计", "风控专员", "大堂经理"],
    "能源": ["电工", "运维工程师", "抄表员", "班组长", "技术员", "巡线工"],
    "商贸服务": ["营业员", "收银员", "仓管员", "店长", "厨师"],
    "机关事业": ["科员", "副科长", "科长", "办公室主任", "书记员"],
    "信息技术": ["软件工程师", "测试工程师", "网络工程师", "客服专员", "产品经理"],
    "文化": ["讲解员", "馆员", "文艺辅导员", "策划专员"],
}
GENERAL_JOB_TITLES = ["职工", "会计", "出纳", "办公室主任", "人事专员", "工会干事"]

MOBILE_PREFIXES = [
    *(f"13{d}" for d in range(10)),
    *("150", "151", "152", "153", "155", "156", "157", "158", "159"),
    *("173", "175", "176", "177", "178"),
    *(f"18{d}" for d in range(10)),
    *("191", "193", "195", "198", "199"),
]

BORN_FIRST = date(1966, 1, 1).toordinal()
BORN_LAST = date(2004, 12, 31).toordinal()
CITY_CENTRE_AREA = "500103"  # 渝中区: where city-level units' people are registered, mostly


def short_name(district_code: str, district_name: str) -> str:
    """``永川区总工会`` → ``永川区``; autonomous counties and 万盛 by their usual short name."""
    return SHORT_NAMES.get(district_code, district_name.removesuffix("总工会"))


def grassroots_units(seed: int = 2026) -> list[tuple[str, str, str, str, str]]:
    """The unions below districts and city industry unions: (code, name, kind, parent, industry).

    Every district has 5–12 (always a ``机关工会`` coded ``<district>/organs``), every city
    industry union 3–6; the bulletin's units keep their codes (``FIXED_UNITS``). Names repeat
    across the tree (every district has a 机关工会), never within one parent; codes are unique.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    units: list[tuple[str, str, str, str, str]] = []
    fixed_by_parent: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for unit in FIXED_UNITS:
        fixed_by_parent.setdefault(unit[3], []).append(unit)
    units.extend(fixed_by_parent.pop("cq", []))

    for district_code, district_name, _kind, _area in DISTRICTS:
        short = short_name(district_code, district_name)
        children = [
            (f"{district_code}/organs", "机关工会", "grassroots", district_code, "机关事业")
        ]
        children.extend(fixed_by_parent.pop(district_code, []))
        names = {child[1] for child in children}
        slug_counts: dict[str, int] = {}
        target = rng.randint(5, 12)
        while len(children) < target:
            slug, pattern, industry = rng.choice(DISTRICT_UNIT_PATTERNS)
            name = pattern.format(s=short, n=rng.choice(ORDINALS))
            if name in names:
                continue
            names.add(name)
            slug_counts[slug] = slug_counts.get(slug, 0) + 1
            code = f"{district_code}/{slug}-{slug_counts[slug]}"
            children.append((code, name, "grassroots", district_code, industry))
        units.extend(children)

    for union_code, _name, _kind, industry in INDUSTRY_UNIONS:
        candidates = INDUSTRY_MEMBERS[union_code]
        picked = rng.sample(candidates, min(len(candidates), rng.randint(3, 6)))
        units.extend(
            (f"{union_code}/{slug}-1", name, "grassroots", union_code, industry)
            for slug, name in picked
        )
    if fixed_by_parent:
        raise ValueError(f"fixed units under unknown parents: {sorted(fixed_by_parent)}")
    return units


def unit_area_codes(units: list[tuple[str, str, str, str, str]]) -> dict[str, str | None]:
    """Each unit's district area code by its parent chain; None below a city-level union."""
    parents = {code: parent for code, _name, _kind, parent, _industry in units}
    areas: dict[str, str | None] = {code: area for code, _name, _kind, area in DISTRICTS}
    result = {}
    for code in parents:
        current: str | None = code
        while current is not None and current not in areas:
            current = parents.get(current)
        result[code] = areas[current] if current is not None else None
    return result


def members(
    units: list[tuple[str, str, str, str, str]], count: int, seed: int = 2026
) -> list[dict]:
    """``count`` members spread over ``units``, with valid, unique ID numbers and mobiles.

    Each dict has name, gender (男/女), id_card, mobile, unit_code, industry and job_title. The
    ID number's area is the unit's district's (渝中区 or any district for city-level unions),
    its 17th digit odd for men, its check character per GB 11643. When ``count`` is at least
    the number of units every unit gets someone.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    areas = unit_area_codes(units)
    district_areas = [area for _code, _name, _kind, area in DISTRICTS]

    if count >= len(units):
        placed = list(units)
        rng.shuffle(placed)
        weights = [rng.randint(1, 6) for _unit in units]
        placed.extend(rng.choices(units, weights=weights, k=count - len(units)))
    else:
        placed = rng.sample(units, count)

    id_cards: set[str] = set()
    mobiles: set[str] = set()
    return [
        _person(code, industry, rng, fake, areas, district_areas, id_cards, mobiles)
        for code, _name, _kind, _parent, industry in placed
    ]


def _person(code, industry, rng, fake, areas, district_areas, id_cards, mobiles) -> dict:
    """One person of unit ``code``, their ID number and mobile unlike any in ``id_cards`` and
    ``mobiles`` (both then hold theirs too)."""
    male = rng.random() < 0.52
    area = areas[code]
    if area is None:
        area = CITY_CENTRE_AREA if rng.random() < 0.5 else rng.choice(district_areas)
    while True:
        born = date.fromordinal(rng.randint(BORN_FIRST, BORN_LAST))
        sequence = rng.randrange(100) * 10 + rng.randrange(1 if male else 0, 10, 2)
        if sequence == 0:
            continue
        first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
        id_card = first17 + id_card_check_character(first17)
        if id_card not in id_cards:
            id_cards.add(id_card)
            break
    while True:
        mobile = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
        if mobile not in mobiles:
            mobiles.add(mobile)
            break
    # zh_CN's name_male() draws from all given names; first_name_male() keeps to men's.
    given = fake.first_name_male() if male else fake.first_name_female()
    titles = JOB_TITLES.get(industry, GENERAL_JOB_TITLES)
    if rng.random() < 0.15:
        titles = GENERAL_JOB_TITLES
    return {
        "name": fake.last_name() + given,
        "gender": "男" if male else "女",
        "id_card": id_card,
        "mobile": mobile,
        "unit_code": code,
        "industry": industry,
        "job_title": rng.choice(titles),
    }


def crowd(
    placements: list[tuple[str, str]],
    units: list[tuple[str, str, str, str, str]],
    *,
    seed: int,
    id_cards_taken: frozenset[str] = frozenset(),
    mobiles_taken: frozenset[str] = frozenset(),
) -> list[dict]:
    """One person for each (unit code, industry) of ``placements``, in their order, drawn as
    ``members`` draws them; ``units`` name the units' parents (for the ID numbers' areas).
    Their numbers are unique and none of ``id_cards_taken`` / ``mobiles_taken``: a crowd
    added beside the roster's."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    areas = unit_area_codes(units)
    district_areas = [area for _code, _name, _kind, area in DISTRICTS]
    id_cards, mobiles = set(id_cards_taken), set(mobiles_taken)
    return [
        _person(code, industry, rng, fake, areas, district_areas, id_cards, mobiles)
        for code, industry in placements
    ]
