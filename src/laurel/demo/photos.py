"""The demo photo contest's entries: what each is, and its pictures, made in code.

Pure Python with numpy and Pillow, no Django: the demo's contest loaders turn these plans
into entries through the contest services. One seed always gives the same plan and the same
pixels. A picture is a gradient sky over a ground, a scene of shapes that differs with the
category, and a light grain; drawn at a quarter of its size and scaled up, so that making
one 1600 × 1200 JPEG takes a few hundredths of a second.

The plan carries what screening should find: near-duplicate copies (the same picture
smaller and recompressed, under another author), photos without a date, photos below the
contest's minimum size (``SMALL_SIZE``), and a few series.
"""

import io
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
from PIL import Image, ImageDraw

CATEGORIES = ["自然风光", "人文风情", "生活场景", "都市建设"]
SIZE = (1600, 1200)
SMALL_SIZE = (1000, 750)  # below a 1200-px minimum long edge
COPY_SIZE = (1400, 1050)  # a duplicate: the same picture made smaller, recompressed
MIN_LONG_EDGE = 1200
# The 2024 contest's window, local time: photos are taken in April, before they are sent.
OPENS = datetime(2024, 4, 1, 9)  # noqa: DTZ001 - local times: the loaders make them aware
CLOSES = datetime(2024, 4, 25, 18)  # noqa: DTZ001 - as above

# The bulletin's own photo (《人勤春早》 万承尧): author index 0, whom the demo makes him.
FIRST_ENTRY = ("生活场景", "人勤春早", "永川区第三机械厂", "春耕时节，厂里的职工回乡帮忙插秧。")

TITLES = {
    "自然风光": [
        "缙云晨雾", "金佛山秋色", "长江夕照", "天坑地缝", "巫山云雨", "嘉陵江畔",
        "四面山飞瀑", "红池坝草原", "仙女山雪霁", "夔门朝霞", "茶山竹海", "落霞余晖",
        "小三峡烟波", "黑山谷溪流", "桃花源春色", "乌江画廊",
    ],
    "人文风情": [
        "磁器口老街", "洪崖洞灯火", "川江号子", "秀山花灯", "摆手舞", "老茶馆",
        "龙舟竞渡", "土家婚俗", "铜梁火龙", "荣昌夏布", "大足石刻前", "全神贯注的匠师",
        "喜庆的节日", "蜀绣人家", "梁平年画", "街头戏台",
    ],
    "生活场景": [
        "开心", "午间小憩", "车间里的笑声", "巡线归来", "清晨的课堂", "护士的夜班",
        "菜市烟火", "弯腰耕作", "班组的早会", "快递小哥", "公交驾驶员的一天", "工地午餐",
        "灾后美容师", "向劳动者致敬", "社区义诊", "职工运动会",
    ],
    "都市建设": [
        "穿云破雾的大桥", "山城夜景", "繁忙的港口", "轨道穿楼", "高架桥上的车流",
        "朝天门之夜", "工地晨光", "塔吊林立", "新区的清晨", "川流不息", "悬索桥合龙",
        "西部陆海新通道", "城市之光", "江北嘴天际线", "隧道掘进", "检修高空",
    ],
}  # fmt: skip
MOODS = ["", "", "", "清晨·", "雨后·", "春日·", "暮色·", "远眺·"]
PLACES = [
    "渝中区解放碑", "南岸区南山", "江北区观音桥", "沙坪坝区磁器口", "北碚区缙云山",
    "永川区茶山竹海", "武隆区仙女山", "奉节县白帝城", "巫山县小三峡", "云阳县龙缸",
    "万州区江南新区", "涪陵区白鹤梁", "大足区宝顶山", "万盛经开区黑山谷", "合川区钓鱼城",
    "江津区四面山", "长寿区长寿湖", "九龙坡区黄桷坪", "两江新区果园港", "秀山县洪安古镇",
]  # fmt: skip
CAMERAS = [
    ("HUAWEI", "P60 Pro"), ("Xiaomi", "14 Ultra"), ("Canon", "EOS R6"), ("NIKON", "Z 6II"),
    ("SONY", "ILCE-7M4"), ("OPPO", "Find X7"), ("FUJIFILM", "X-T5"), ("vivo", "X100 Pro"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoPhoto:
    name: str
    seed: int  # the picture; a duplicate has its original's seed
    category: str
    size: tuple[int, int] = SIZE
    taken_at: datetime | None = None
    camera: tuple[str, str] = CAMERAS[0]
    quality: int = 88


@dataclass(frozen=True)
class DemoEntry:
    category: str
    title: str
    place: str
    description: str
    author: int  # an index into the caller's authors (it wraps)
    photos: tuple[DemoPhoto, ...]
    submitted_at: datetime = OPENS  # local time, after the photos were taken


def contest_entries(photo_count: int, seed: int = 2024) -> list[DemoEntry]:
    """About ``photo_count`` photos as entries over the four categories: single photos,
    some series of 3–4, a few near-duplicate copies (``photo_count // 60``, at least 1),
    2–3 photos without a date and 2 below 1200 px. Each entry has its own author index;
    entries come in the order they were sent (``submitted_at``)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    series = max(1, photo_count // 60)
    copies = max(1, photo_count // 60)
    undated = 2 if photo_count < 100 else 3
    small = 2
    singles = max(undated + small + 1, photo_count - copies - 3 * series - series // 2)
    counter = iter(range(1, 1_000_000))
    entries: list[DemoEntry] = []

    def photo(category: str, **fields) -> DemoPhoto:
        n = next(counter)
        day, hour, minute = rng.randint(1, 19), rng.randint(6, 18), rng.randrange(60)
        fields.setdefault("taken_at", datetime(2024, 4, day, hour, minute, rng.randrange(60)))  # noqa: DTZ001 - EXIF dates are local, naive
        return DemoPhoto(
            name=f"DSC{n:05d}.jpg",
            seed=seed * 10_000 + n,
            category=category,
            camera=rng.choice(CAMERAS),
            **fields,
        )

    def title(category: str) -> str:
        return rng.choice(MOODS) + rng.choice(TITLES[category])

    special = rng.sample(range(1, singles), undated + small)  # never the bulletin's photo
    undated_at, small_at = set(special[:undated]), set(special[undated:])
    for index in range(singles):
        category = CATEGORIES[index % len(CATEGORIES)]
        fields = {}
        if index in undated_at:
            fields["taken_at"] = None
        if index in small_at:
            fields["size"] = SMALL_SIZE
        name, place, description = title(category), rng.choice(PLACES), ""
        if index == 0:
            category, name, place, description = FIRST_ENTRY
        entries.append(
            DemoEntry(category, name, place, description, index, (photo(category, **fields),))
        )
    for index in range(series):
        category = CATEGORIES[(index + 1) % len(CATEGORIES)]
        photos = tuple(photo(category) for _ in range(3 + index % 2))
        name = rng.choice(TITLES[category]) + "（组照）"
        entries.append(DemoEntry(category, name, rng.choice(PLACES), "", len(entries), photos))
    originals = [
        e
        for e in entries[1:]
        if len(e.photos) == 1 and e.photos[0].size == SIZE and e.photos[0].taken_at
    ]
    for original in rng.sample(originals, min(copies, len(originals))):
        first = original.photos[0]
        copy = photo(first.category, taken_at=first.taken_at)
        copy = DemoPhoto(copy.name, first.seed, first.category, COPY_SIZE, first.taken_at,
                         copy.camera, quality=75)  # fmt: skip
        entries.append(
            DemoEntry(original.category, original.title, original.place, "", len(entries), (copy,))
        )
    return sorted((_sent(entry, rng) for entry in entries), key=lambda e: e.submitted_at)


def small_contest_entries(
    count: int, opens: datetime, closes: datetime, seed: int = 2026
) -> list[DemoEntry]:
    """``count`` single photos, the categories in turn, sent between ``opens`` and
    ``closes`` (local times) in order, each taken a few days to weeks before it was sent.
    Nothing for screening to find; pictures of their own (another ``seed``), so no
    duplicate of another contest's."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    sent = sorted(opens + (closes - opens) * rng.uniform(0.02, 0.98) for _ in range(count))
    entries = []
    for index, submitted_at in enumerate(sent):
        category = CATEGORIES[index % len(CATEGORIES)]
        taken_at = (submitted_at - timedelta(days=rng.uniform(2, 40))).replace(microsecond=0)
        photo = DemoPhoto(
            name=f"IMG{index + 1:04d}.jpg",
            seed=seed * 10_000 + index + 1,
            category=category,
            taken_at=taken_at,
            camera=rng.choice(CAMERAS),
        )
        title = rng.choice(MOODS) + rng.choice(TITLES[category])
        entries.append(
            DemoEntry(category, title, rng.choice(PLACES), "", index, (photo,), submitted_at)
        )
    return entries


def _sent(entry: DemoEntry, rng: random.Random) -> DemoEntry:
    """The entry with the time it was sent: a few hours to days after its last photo."""
    taken = [photo.taken_at for photo in entry.photos if photo.taken_at]
    after = max(taken) if taken else OPENS + (CLOSES - OPENS) * rng.random()
    sent = max(OPENS, after) + timedelta(hours=rng.uniform(2, 120))
    return replace(entry, submitted_at=min(sent, CLOSES - timedelta(minutes=rng.uniform(1, 600))))


def photo_jpeg(photo: DemoPhoto) -> bytes:
    """The photo's JPEG: its picture at its size, with EXIF camera and date (if any)."""
    image = picture(photo.seed, photo.category)
    if photo.size != image.size:
        image = image.resize(photo.size, Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = photo.camera
    if photo.taken_at is not None:
        exif.get_ifd(0x8769)[0x9003] = photo.taken_at.strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=photo.quality, exif=exif.tobytes())
    return buffer.getvalue()


GRAIN = np.random.default_rng(7).integers(-5, 6, (SIZE[1] + 64, SIZE[0] + 64, 3), np.int16)


def picture(seed: int, category: str = "自然风光", size: tuple[int, int] = SIZE) -> Image.Image:
    """A photo-like picture: different seeds are far apart for perceptual hashes."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    width, height = size[0] // 4, size[1] // 4
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    horizon = rng.uniform(0.3, 0.7) * height
    sky, ground = _colour(rng), _colour(rng)
    base = np.empty((height, width, 3), np.float32)
    for channel in range(3):
        slope = rng.uniform(-50, 50)
        upper = sky[channel] + 60 * y / height + slope * x / width
        lower = ground[channel] - 40 * (y - horizon) / height - slope * x / width
        base[:, :, channel] = np.where(y < horizon, upper, lower)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    _scene(ImageDraw.Draw(image), rng, category, width, height, horizon)
    image = image.resize(size, Image.Resampling.BILINEAR)
    if size == SIZE:
        dx, dy = rng.randrange(64), rng.randrange(64)
        grain = GRAIN[dy : dy + size[1], dx : dx + size[0]]
        pixels = np.asarray(image, np.int16) + grain
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return tuple(rng.randrange(30, 230) for _ in range(3))


def _scene(draw, rng: random.Random, category: str, width: int, height: int, horizon: float):
    """Mountains, rooftops and lanterns, people, or towers and bridges — loosely."""
    if category == "自然风光":
        for _ in range(rng.randint(2, 4)):
            peak = (rng.uniform(0, width), horizon - rng.uniform(0.1, 0.5) * height)
            left, right = peak[0] - rng.uniform(60, 200), peak[0] + rng.uniform(60, 200)
            draw.polygon([(left, horizon + 5), peak, (right, horizon + 5)], fill=_colour(rng))
        sun = (rng.uniform(0, width), rng.uniform(0, horizon * 0.6), rng.uniform(10, 30))
        draw.ellipse([sun[0] - sun[2], sun[1] - sun[2], sun[0] + sun[2], sun[1] + sun[2]],
                     fill=(250, rng.randrange(150, 250), rng.randrange(60, 200)))  # fmt: skip
    elif category == "都市建设":
        left = rng.uniform(-20, 20)
        while left < width:
            wide, tall = rng.uniform(15, 60), rng.uniform(0.15, 0.8) * height
            draw.rectangle([left, horizon - tall, left + wide, horizon + 10], fill=_colour(rng))
            left += wide + rng.uniform(0, 15)
        deck = horizon + rng.uniform(5, 40)
        draw.rectangle([0, deck, width, deck + rng.uniform(4, 10)], fill=_colour(rng))
    else:
        for _ in range(rng.randint(8, 14)):
            cx, cy = rng.uniform(0, width), rng.uniform(0.2, 1) * height
            r = rng.uniform(8, 45)
            if category == "人文风情" and rng.random() < 0.5:
                draw.rectangle([cx - r, cy - r * 0.6, cx + r, cy + r * 0.6], fill=_colour(rng))
            else:
                draw.ellipse([cx - r * 0.6, cy - r, cx + r * 0.6, cy + r], fill=_colour(rng))
    for _ in range(rng.randint(3, 6)):  # whatever else is in the picture
        x0, y0 = rng.uniform(0, width), rng.uniform(0, height)
        x1, y1 = x0 + rng.uniform(10, 80), y0 + rng.uniform(10, 80)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape([x0, y0, x1, y1], fill=_colour(rng))
