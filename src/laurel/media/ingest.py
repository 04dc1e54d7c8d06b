"""Batch ingest: many photos from a folder or a zip, on every core, one bad file never
stopping the rest.

Zips are read defensively: entries whose names would escape (absolute, ``..``) are refused,
as are entries claiming more than the byte limit or compressed implausibly well (a zip
bomb), and every entry is read with a hard cap whatever its header says.

The parts are public for other batches (``contests.ingest`` makes entries of the files):
``source_files`` lists a folder's or a zip's files, ``assets_process_parallel`` processes
stored assets on a thread per core.
"""

import os
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from laurel.media import services
from laurel.media.models import MediaAsset

MAX_ENTRIES = 20_000
MAX_RATIO = 200  # uncompressed / compressed: photos barely compress; bombs do, enormously
AHEAD_PER_WORKER = 4  # photos checked ahead of the recording: bounds the renditions in memory


class SourceFile(NamedTuple):
    """A file of a folder or a zip: its path inside, how to read it (chunks), or why it is
    refused unread (``(code, reason)``; ``read`` is then None)."""

    name: str
    read: Callable[[], Iterator[bytes]] | None
    refusal: tuple[str, str] | None


@dataclass
class IngestItem:
    name: str
    asset_id: int | None = None
    status: str = ""  # ready | refused | error
    code: str = ""
    reason: str = ""


@dataclass
class IngestResult:
    items: list[IngestItem] = field(default_factory=list)


@dataclass
class Verdict:
    """What processing made of one asset: ``ready``, ``refused``, ``error`` (the check
    itself failed; the asset stays ``processing`` for a worker to take up again), or the
    status it already had when it was not ours to process."""

    status: str
    code: str = ""
    reason: str = ""


def assets_ingest(
    *,
    acting_user,
    source: Path,
    progress: Callable[[int, int], None] = lambda done, total: None,
    workers: int | None = None,
) -> IngestResult:
    """Store and process every file of ``source`` (a folder or a .zip); returns what
    became of each, in name order.

    Storing and recording run here, one file after another (the database sees one writer);
    the photo work — decode, renditions, hashes — runs on a thread per core (libvips works
    outside the GIL), and each verdict is recorded here as it arrives.
    """
    limit = services.photo_limits().max_bytes
    files = source_files(source, limit)
    result = IngestResult()
    stored: dict[int, IngestItem] = {}
    for name, read, refusal in files:
        item = IngestItem(name)
        result.items.append(item)
        if refusal:
            item.status, item.code, item.reason = "refused", *refusal
            continue
        try:
            asset = services.asset_upload(
                acting_user=acting_user,
                chunks=read(),
                original_name=PurePosixPath(name).name,
                max_bytes=limit,
                queue=False,
            )
        except services.UploadTooLarge as error:
            item.status, item.code, item.reason = "refused", "too_large", str(error)
            continue
        except Exception as error:  # noqa: BLE001 - one file's failure is that file's alone
            item.status, item.code, item.reason = "error", type(error).__name__, str(error)[:300]
            continue
        item.asset_id = asset.pk
        stored[asset.pk] = item
    done = len(files) - len(stored)
    progress(done, len(files))

    def record(asset_id: int, verdict: Verdict) -> None:
        nonlocal done
        item = stored[asset_id]
        item.status, item.code, item.reason = verdict.status, verdict.code, verdict.reason
        done += 1
        progress(done, len(files))

    assets_process_parallel(list(stored), workers=workers, each=record)
    return result


def assets_process_parallel(
    asset_ids: Sequence[int],
    *,
    workers: int | None = None,
    each: Callable[[int, Verdict], None] = lambda asset_id, verdict: None,
) -> dict[int, Verdict]:
    """Process stored assets: each claimed here (``services.asset_claim``), checked on a
    thread per core (``asset_check`` touches no database), and its verdict recorded here
    (``asset_finish``) as it arrives, in the order given — the database sees one writer.
    ``each(asset_id, verdict)`` is called once per asset as it is settled. An asset that is
    already finished (or claimed elsewhere) is reported with the status it has.
    """
    verdicts: dict[int, Verdict] = {}
    claimed: list[int] = []
    for asset_id in dict.fromkeys(asset_ids):
        status = services.asset_claim(asset_id)
        if status == MediaAsset.Status.PROCESSING:
            claimed.append(asset_id)
        else:  # the same file was already done (or is being done elsewhere)
            verdicts[asset_id] = Verdict(status)
            each(asset_id, verdicts[asset_id])
    assets = {}
    for start in range(0, len(claimed), 500):
        assets.update(MediaAsset.objects.in_bulk(claimed[start : start + 500]))

    def check(asset: MediaAsset):
        try:
            return services.asset_check(asset)
        except Exception as error:  # noqa: BLE001 - recorded for this file alone
            return error

    workers = workers or os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        waiting = iter(claimed)
        in_flight: deque = deque()

        def submit_next() -> None:
            for asset_id in waiting:
                in_flight.append((asset_id, pool.submit(check, assets[asset_id])))
                return

        for _ in range(workers * AHEAD_PER_WORKER):
            submit_next()
        while in_flight:
            asset_id, future = in_flight.popleft()
            outcome = future.result()
            submit_next()
            if isinstance(outcome, Exception):
                verdict = Verdict("error", type(outcome).__name__, str(outcome)[:300])
            else:
                try:
                    status = services.asset_finish(asset_id, outcome)
                except Exception as error:  # noqa: BLE001 - recorded for this file alone
                    verdict = Verdict("error", type(error).__name__, str(error)[:300])
                else:
                    verdict = Verdict(status, outcome.code, outcome.reason)
            verdicts[asset_id] = verdict
            each(asset_id, verdict)
    return verdicts


def source_files(source: Path, limit: int) -> list[SourceFile]:
    """Every file of a folder (recursively) or a .zip, in name order; hidden files and
    macOS resource forks left out, unsafe zip entries refused unread."""
    return list(zip_files(source, limit) if zipfile.is_zipfile(source) else folder_files(source))


def folder_files(folder: Path) -> Iterator[SourceFile]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.startswith("."):

            def read(path=path):
                with path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        yield chunk

            yield SourceFile(path.relative_to(folder).as_posix(), read, None)


def zip_files(archive_path: Path, limit: int) -> Iterator[SourceFile]:
    archive = zipfile.ZipFile(archive_path)
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_ENTRIES:
        yield SourceFile(
            archive_path.name, None, ("too_many_entries", f"more than {MAX_ENTRIES} files")
        )
        return
    for info in sorted(entries, key=lambda i: i.filename):
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            yield SourceFile(name, None, ("unsafe_path", "the name leads outside the archive"))
            continue
        if PurePosixPath(name).name.startswith(".") or "__MACOSX" in parts:
            continue
        if info.file_size > limit:
            yield SourceFile(name, None, ("too_large", f"larger than {limit} bytes"))
            continue
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            yield SourceFile(name, None, ("zip_bomb", "compressed implausibly well (a zip bomb?)"))
            continue

        def read(info=info):
            with archive.open(info) as handle:  # capped: never trust the header's size
                read_so_far = 0
                while chunk := handle.read(1 << 20):
                    read_so_far += len(chunk)
                    if read_so_far > limit:
                        raise services.UploadTooLarge(limit)
                    yield chunk

        yield SourceFile(name, read, None)
