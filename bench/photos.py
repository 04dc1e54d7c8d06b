"""Benchmark: the photo pipeline against the naive way, and near-duplicate queries.

    .venv/bin/python bench/photos.py

1. Realistic photos (4000×3000 and 6000×4000 JPEGs, quality 92, with EXIF; one in four an
   upright portrait by EXIF orientation) are generated before any timing. Ours
   (``laurel.core.photos.photo_check``: validate, EXIF, three renditions, SHA-256, pHash)
   and the naive way (Pillow: full decode, orientation, three LANCZOS resizes from the
   original, JPEG saves, the same hashes) each run in their own process: time per photo
   and that process's peak memory.
2. Throughput: two processes share the 12-MP photos (one in four turned by EXIF), three
   rounds; the median wall time is projected to 3,000.
3. Near-duplicate queries over 1,000,000 stored perceptual hashes, checked exact against a
   plain Python scan.
"""

import hashlib
import io
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

SIZES = [(4000, 3000)] * 4 + [(6000, 4000)] * 2


def realistic_photo(width: int, height: int, seed: int) -> Image.Image:
    """Smooth light, shapes with edges, and sensor noise — compresses like a photo."""
    rng = np.random.default_rng(seed)
    small_w, small_h = width // 8, height // 8
    y, x = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    base = np.stack(
        [
            120 + 80 * np.sin(x / small_w * rng.uniform(2, 6) + rng.uniform(0, 6)),
            110 + 70 * np.cos(y / small_h * rng.uniform(2, 6)),
            100 + 60 * np.sin((x + y) / (small_w + small_h) * 5),
        ],
        axis=-1,
    )
    for _ in range(40):
        cx, cy = rng.uniform(0, small_w), rng.uniform(0, small_h)
        radius = rng.uniform(small_w / 40, small_w / 6)
        base[(x - cx) ** 2 + (y - cy) ** 2 < radius**2] = rng.uniform(0, 255, 3)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    pixels = np.asarray(image, dtype=np.int16)
    pixels = pixels + rng.normal(0, 6, pixels.shape).astype(np.int16)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def generate(folder: Path) -> list[Path]:
    paths = []
    for number, (width, height) in enumerate(SIZES):
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "Canon", "Canon EOS R5"
        exif[0x0112] = 6 if number % 4 == 3 else 1
        exif.get_ifd(0x8769)[0x9003] = "2026:04:20 10:30:00"
        path = folder / f"photo{number}-{width}x{height}.jpg"
        realistic_photo(width, height, number).save(path, "JPEG", quality=92, exif=exif)
        paths.append(path)
    return paths


def ours(data: bytes) -> None:
    from laurel.core.photos import photo_check

    check = photo_check(data, "photo.jpg")
    assert check.ok, check.reason


def naive(data: bytes) -> None:
    import imagehash

    hashlib.sha256(data).hexdigest()
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    outputs = {}
    for name, edge in (("judge", 3000), ("display", 1600), ("thumbnail", 400)):
        copy = image.copy()
        copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=85)
        outputs[name] = copy
    str(imagehash.phash(outputs["thumbnail"]))


def per_photo(method: str, folder: str) -> dict:
    run = {"ours": ours, "naive": naive}[method]
    paths = sorted(Path(folder).glob("*.jpg"))
    run(paths[0].read_bytes())  # warm up (library start-up is not per photo)
    times = {}
    for path in paths:
        data = path.read_bytes()
        started = time.perf_counter()
        run(data)
        times[path.name] = time.perf_counter() - started
    return {"times": times, "peak_mb": peak_memory_mb()}


def peak_memory_mb() -> float:
    """This process's own high-water mark (VmHWM; ru_maxrss would carry the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one(path: str) -> None:
    ours(Path(path).read_bytes())


def throughput(folder: str, rounds: int = 3) -> dict:
    paths = [str(p) for p in sorted(Path(folder).glob("*4000x3000.jpg"))] * 15  # 60 × 12 MP
    os.environ.setdefault("VIPS_CONCURRENCY", "1")  # one thread per process by default
    walls = []
    with multiprocessing.get_context("spawn").Pool(2, initializer=_one, initargs=paths[:1]) as pool:
        pool.map(_one, paths[:2], chunksize=1)  # both workers started and warm
        for _round in range(rounds):
            started = time.perf_counter()
            pool.map(_one, paths, chunksize=1)
            walls.append(time.perf_counter() - started)
    return {"photos": len(paths), "seconds": walls}


def duplicates() -> dict:
    from laurel.core.photos import NEAR_DUPLICATE_BITS, DuplicateIndex

    rng = np.random.default_rng(7)
    stored = rng.integers(0, 2**63, 1_000_000, dtype=np.int64).astype(np.uint64)
    queries = [int(stored[i]) ^ (1 << int(rng.integers(0, 64))) for i in range(0, 200_000, 1000)]
    index = DuplicateIndex()
    index.add_many([str(i) for i in range(len(stored))], stored)
    timings, exact = [], True
    for number, query in enumerate(queries):
        started = time.perf_counter()
        found = index.query(f"{query:016x}")
        timings.append(time.perf_counter() - started)
        if number < 3:  # checked against a plain scan of all million
            expected = {
                str(i)
                for i, value in enumerate(stored.tolist())
                if bin(value ^ query).count("1") <= NEAR_DUPLICATE_BITS
            }
            exact &= {key for key, _distance in found} == expected
    return {
        "stored": len(stored),
        "queries": len(queries),
        "mean_ms": 1000 * sum(timings) / len(timings),
        "max_ms": 1000 * max(timings),
        "exact": exact,
    }


CASES = {"ours": per_photo, "naive": per_photo, "throughput": throughput}


def child(case: str, folder: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--case", case, folder],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        case, folder = sys.argv[2], sys.argv[3]
        result = per_photo(case, folder) if case in ("ours", "naive") else throughput(folder)
        print(json.dumps(result))
        return
    random.seed(1)
    with tempfile.TemporaryDirectory() as folder:
        print("generating photos ...", file=sys.stderr)
        generate(Path(folder))
        results = {name: child(name, folder) for name in ("ours", "naive")}
        print("| photo | ours (s) | naive (s) | naive / ours |")
        print("|---|---:|---:|---:|")
        for name in sorted(results["ours"]["times"]):
            a, b = results["ours"]["times"][name], results["naive"]["times"][name]
            print(f"| {name} | {a:.3f} | {b:.3f} | {b / a:.1f}× |")
        total_ours = sum(results["ours"]["times"].values())
        total_naive = sum(results["naive"]["times"].values())
        print(f"| all | {total_ours:.3f} | {total_naive:.3f} | {total_naive / total_ours:.1f}× |")
        print(
            f"peak memory per process: ours {results['ours']['peak_mb']:.0f} MB, "
            f"naive {results['naive']['peak_mb']:.0f} MB"
        )
        run = child("throughput", folder)
        projected = sorted(wall / run["photos"] * 3000 for wall in run["seconds"])
        print(
            f"two processes, {run['photos']} photos of 12 MP, {len(projected)} rounds: "
            + ", ".join(f"{wall:.1f} s" for wall in run["seconds"])
            + f" → 3,000 in {projected[len(projected) // 2]:.0f} s (median; "
            f"{projected[0]:.0f}–{projected[-1]:.0f} s)"
        )
    result = duplicates()
    print(
        f"near-duplicate queries over {result['stored']:,} hashes: "
        f"mean {result['mean_ms']:.2f} ms, max {result['max_ms']:.2f} ms "
        f"over {result['queries']} queries; exact: {result['exact']}"
    )


if __name__ == "__main__":
    main()
