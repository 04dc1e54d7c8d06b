"""The demo's entries, entered as the unit admins' batch upload does (``contests.ingest``):
submitted, processed on every core and screened; the photos drawn on other threads a few
ahead of when they are stored (``PhotoBaker``)."""

import os
import random
import sys
from concurrent.futures import Future, ThreadPoolExecutor

from tqdm import tqdm

from laurel.accounts.models import User
from laurel.contests.ingest import EntryPlan, entries_submit_batch
from laurel.contests.models import Contest, Declaration
from laurel.demo import photos as demo_photos
from laurel.demo.loaders.logins import MEMBER_LOGIN_ID_CARD
from laurel.media.ingest import SourceFile
from laurel.members.models import Member


def enter_photos(
    admin: User, contest: Contest, planned: list[demo_photos.DemoEntry], stderr
) -> list:
    """The entries, submitted, processed on every core and screened by
    ``contests.ingest`` (the unit admins' batch upload, here as the federation); the
    planned times of those that were submitted, in order. A refused file is said on
    ``stderr``."""
    wan = Member.objects.get(id_card=MEMBER_LOGIN_ID_CARD)
    others = list(Member.objects.exclude(pk=wan.pk).order_by("id_card"))
    random.Random(2024).shuffle(others)  # noqa: S311 - demo data, not security
    authors = [wan, *others]  # 万承尧 has the bulletin's photo, 《人勤春早》
    categories = {category.name: category for category in contest.categories.all()}

    if not planned:
        return []
    photos = [photo for entry in planned for photo in entry.photos]
    baker = PhotoBaker(photos)
    files = iter(
        [SourceFile(photo.name, baker.reader(index), None) for index, photo in enumerate(photos)]
    )
    plans = [
        EntryPlan(
            files=[next(files) for _photo in entry.photos],
            author=authors[entry.author % len(authors)],
            category=categories[entry.category],
            title=entry.title,
            description=entry.description,
            place=entry.place,
            declarations=Declaration.values,
        )
        for entry in planned
    ]
    with tqdm(
        total=0, unit="steps", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
    ) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        with baker:
            outcomes = entries_submit_batch(
                acting_user=admin, contest=contest, plans=plans, progress=progress
            )
    for outcome in outcomes:
        if outcome.status == "refused":
            stderr.write(f"{outcome.file}: {outcome.reason}")
    return [
        entry.submitted_at
        for entry, outcome in zip(planned, outcomes, strict=True)
        if outcome.entry_id is not None
    ]


class PhotoBaker:
    """The demo's JPEGs, made on other threads a few ahead of when they are read (in the
    plans' order), so that drawing them overlaps storing the ones before."""

    def __init__(self, photos: list[demo_photos.DemoPhoto], ahead: int = 8):
        self.photos, self.ahead = photos, ahead
        self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
        self.baking: dict[int, Future] = {}
        self.next = 0

    def reader(self, index: int):
        return lambda: iter([self.bake(index)])

    def bake(self, index: int) -> bytes:
        while self.next < len(self.photos) and self.next <= index + self.ahead:
            photo = self.photos[self.next]
            self.baking[self.next] = self.pool.submit(demo_photos.photo_jpeg, photo)
            self.next += 1
        return self.baking.pop(index).result()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.pool.shutdown(cancel_futures=True)
