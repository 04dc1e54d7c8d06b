"""What several test modules make the same way: photo-like pictures and a real `laurel` run."""

import io
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A photo-like RGB picture: a smooth gradient, a dozen random shapes, light noise.

    Different seeds give pictures far apart for perceptual hashes; one seed always the same.
    """
    rng = random.Random(seed)
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.empty((height, width, 3), np.float32)
    for channel in range(3):
        slope_x, slope_y = rng.uniform(-1, 1), rng.uniform(-1, 1)
        ramp = slope_x * x / width + slope_y * y / height
        base[:, :, channel] = rng.uniform(40, 200) + 60 * ramp
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    short = min(width, height)
    for _ in range(12):
        x0, y0 = rng.uniform(-0.1, 1) * width, rng.uniform(-0.1, 1) * height
        x1, y1 = x0 + rng.uniform(0.1, 0.5) * short, y0 + rng.uniform(0.1, 0.5) * short
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = rng.choice(["ellipse", "rectangle", "triangle"])
        if shape == "ellipse":
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        elif shape == "rectangle":
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            corners = [(rng.uniform(0, width), rng.uniform(0, height)) for _ in range(3)]
            draw.polygon(corners, fill=colour)
    noise = np.random.default_rng(seed).normal(0, 4, (height, width, 3))
    pixels = np.clip(np.asarray(image, np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        options.setdefault("quality", 90)
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(image: Image.Image, **options) -> bytes:
    return encode(image, "JPEG", **options)


def run_laurel(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """The real console script, as a user runs it: development settings, var/ in ``cwd``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LAUREL_", "DJANGO_"))}
    env = {
        **clean,
        "LAUREL_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "laurel.settings",
        "LAUREL_VAR_DIR": str(cwd),
    }
    return subprocess.run(
        [sys.executable, "-m", "laurel", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def response_body(response) -> bytes:
    """A test client response's bytes. A file response is read through its
    ``streaming_content``, which closes it as a server would; a plain one is never closed
    again here: its ``close()`` sends ``request_finished``, whose handler closes the database
    connection, and inside a test's transaction on PostgreSQL that ends the test."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def rows_data(name: str, rows: list[dict], *, total: int | None = None) -> dict:
    """What a rows editor (``web.rows.RowsField`` called ``name``) sends: its management form
    and each row's fields, as ``<name>-<index>-<field>``; ``total`` rows in all (default: as
    many as given)."""
    data = {
        f"{name}-TOTAL_FORMS": str(len(rows) if total is None else total),
        f"{name}-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"{name}-{index}-{field}"] = value
    return data


def seal_image(colour: tuple[int, int, int] = (220, 20, 30), size: int = 400) -> bytes:
    """A round red seal on a transparent square, as a PNG (with a text chunk of metadata)."""
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    edge = size // 20
    draw.ellipse((edge, edge, size - edge, size - edge), fill=(*colour, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "scanned at the office")
    return encode(image, "PNG", pnginfo=info)


def exported(response) -> list[list]:
    """The rows of a list's ``?export=xlsx`` answer (header first), read back with openpyxl."""
    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response_body(response))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def migrate_to(*targets: tuple[str, str]) -> None:
    """The test database migrated to ``targets`` (app, migration): back, to see what an old
    schema held, or forward again."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))


def migrate_to_latest() -> None:
    """Every app at its latest migration again. Going back in one app also unapplies the apps
    that depend on its later migrations (media's take the events' tables with them): they
    come back too, so the tests that follow in the same process find every table."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migrate_to(*MigrationExecutor(connection).loader.graph.leaf_nodes())
