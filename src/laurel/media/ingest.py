"""Batch ingest: many photos from a folder or a zip, on every core, one bad file never
stopping the rest.

Zips are read defensively: entries whose names would escape (absolute, ``..``) are refused,
as are entries claiming more than the byte limit or compressed implausibly well (a zip
bomb), and every entry is read with a hard cap whatever its header says.
"""

import os
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from laurel.media import services
from laurel.media.models import MediaAsset

MAX_ENTRIES = 20_000
MAX_RATIO = 200  # uncompressed / compressed: photos barely compress; bombs do, enormously


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
    entries = list(_zip_entries(source, limit) if zipfile.is_zipfile(source) else _folder(source))
    result = IngestResult()
    claimed: list[tuple[IngestItem, MediaAsset]] = []
    for name, read, refusal in entries:
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
        status = services.asset_claim(asset.pk)
        if status == MediaAsset.Status.PROCESSING:
            claimed.append((item, asset))
        else:  # the same file was already done (or is being done elsewhere)
            item.status = status
    done = len(entries) - len(claimed)
    progress(done, len(entries))

    def check(pair):
        try:
            return services.asset_check(pair[1])
        except Exception as error:  # noqa: BLE001 - recorded for this file alone
            return error

    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        for (item, asset), verdict in zip(claimed, pool.map(check, claimed), strict=True):
            if isinstance(verdict, Exception):
                item.status, item.code = "error", type(verdict).__name__
                item.reason = str(verdict)[:300]
            else:
                item.status = services.asset_finish(asset.pk, verdict)
                item.code, item.reason = verdict.code, verdict.reason
            done += 1
            progress(done, len(entries))
    return result


def _folder(folder: Path) -> Iterator:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.startswith("."):

            def read(path=path):
                with path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        yield chunk

            yield str(path.relative_to(folder)), read, None


def _zip_entries(archive_path: Path, limit: int) -> Iterator:
    archive = zipfile.ZipFile(archive_path)
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_ENTRIES:
        yield archive_path.name, None, ("too_many_entries", f"more than {MAX_ENTRIES} files")
        return
    for info in sorted(entries, key=lambda i: i.filename):
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            yield name, None, ("unsafe_path", "the name leads outside the archive")
            continue
        if PurePosixPath(name).name.startswith(".") or "__MACOSX" in parts:
            continue
        if info.file_size > limit:
            yield name, None, ("too_large", f"larger than {limit} bytes")
            continue
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            yield name, None, ("zip_bomb", "compressed implausibly well (a zip bomb?)")
            continue

        def read(info=info):
            with archive.open(info) as handle:  # capped: never trust the header's size
                read_so_far = 0
                while chunk := handle.read(1 << 20):
                    read_so_far += len(chunk)
                    if read_so_far > limit:
                        raise services.UploadTooLarge(limit)
                    yield chunk

        yield name, read, None
