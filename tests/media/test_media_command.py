"""``laurel media check``: one JSON verdict per file, duplicates within the call, exit codes.

Most tests go through ``call_command`` (it touches no database: these tests have none); a
few run the real console script in a subprocess for its exit codes and its stdout.
"""

import hashlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from PIL import Image

from tests import helpers

KEYS = {
    "file", "ok", "code", "reason", "format", "width", "height", "taken_at", "camera", "gps",
    "sha256", "phash", "duplicate_of",
}  # fmt: skip


def photo(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    return helpers.photo(seed, size)


def jpeg(image: Image.Image, **options) -> bytes:
    return helpers.jpeg(image, **options)


def with_exif(image: Image.Image) -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "HUAWEI", "P60"
    exif.get_ifd(0x8769)[0x9003] = "2025:06:01 09:30:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (29.0, 21.0, 0.0), "E", (105.0, 55.0, 0.0)
    return jpeg(image, exif=exif.tobytes())


@pytest.fixture
def album(tmp_path) -> Path:
    """A folder: a photo, its half-size copy, its byte-for-byte copy, another photo, text."""
    original = photo(1)
    (tmp_path / "a.jpg").write_bytes(with_exif(original))
    (tmp_path / "a-small.jpg").write_bytes(jpeg(original.resize((240, 180))))
    (tmp_path / "a-copy.jpg").write_bytes((tmp_path / "a.jpg").read_bytes())
    (tmp_path / "b.jpg").write_bytes(jpeg(photo(2)))
    (tmp_path / "notes.jpg").write_text("not a photo at all\n", encoding="utf-8")
    return tmp_path


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def media_check(*args) -> tuple[list[dict], int]:
    """Run ``laurel media check``; return its JSON lines and its exit code."""
    out = io.StringIO()
    try:
        call_command("media", "check", *[str(a) for a in args], stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    lines = out.getvalue().splitlines()
    return [json.loads(line) for line in lines], code


def test_good_photos_exit_0_with_one_json_object_per_file(album):
    files = [album / "a.jpg", album / "b.jpg"]
    results, code = media_check(*files)
    assert code == 0
    assert [r["file"] for r in results] == [str(f) for f in files]
    for result in results:
        assert set(result) == KEYS
        assert result["ok"] is True
        assert result["code"] == result["reason"] == ""
        assert result["format"] == "jpeg"
        assert (result["width"], result["height"]) == (480, 360)
        assert len(result["phash"]) == 16
        assert result["duplicate_of"] == []
    first, second = results
    assert first["camera"] == "HUAWEI P60"
    assert first["taken_at"] == "2025-06-01T09:30:00"
    assert first["gps"] is True
    assert first["sha256"] == hashlib.sha256(files[0].read_bytes()).hexdigest()
    assert (second["camera"], second["taken_at"], second["gps"]) == ("", None, False)


def test_any_refused_file_exits_1_and_every_file_is_still_reported(album):
    with translation.override("en"):
        results, code = media_check(album / "a.jpg", album / "notes.jpg", album / "b.jpg")
    assert code == 1
    assert [r["ok"] for r in results] == [True, False, True]
    refused = results[1]
    assert set(refused) == KEYS
    assert refused["code"] == "not_an_image"
    assert "text" in refused["reason"]
    assert (refused["phash"], refused["duplicate_of"]) == ("", [])


def test_reasons_follow_the_active_language(album):
    with translation.override("zh-hans"):
        results, code = media_check(album / "notes.jpg")
    assert code == 1
    assert "文本" in results[0]["reason"]


def test_limits_come_from_the_options(album):
    results, code = media_check(album / "a.jpg", "--min-long-edge", "481")
    assert code == 1
    assert results[0]["code"] == "too_small"
    results, code = media_check(album / "a.jpg", "--min-long-edge", "480")
    assert code == 0
    size = (album / "a.jpg").stat().st_size
    results, code = media_check(album / "a.jpg", "--max-bytes", str(size - 1))
    assert (code, results[0]["code"]) == (1, "too_large")
    results, code = media_check(album / "a.jpg", "--max-pixels", str(480 * 360 - 1))
    assert (code, results[0]["code"]) == (1, "too_many_pixels")


def test_duplicates_within_the_call_are_listed_both_ways(album):
    names = ["a.jpg", "b.jpg", "a-small.jpg", "notes.jpg", "a-copy.jpg"]
    results, code = media_check(*[album / name for name in names])
    assert code == 1  # notes.jpg
    found = {Path(r["file"]).name: sorted(Path(d).name for d in r["duplicate_of"]) for r in results}
    assert found == {
        "a.jpg": ["a-copy.jpg", "a-small.jpg"],
        "b.jpg": [],
        "a-small.jpg": ["a-copy.jpg", "a.jpg"],
        "notes.jpg": [],
        "a-copy.jpg": ["a-small.jpg", "a.jpg"],
    }
    by_name = {Path(r["file"]).name: r for r in results}
    assert by_name["a.jpg"]["sha256"] == by_name["a-copy.jpg"]["sha256"]
    assert str(album / "a.jpg") in by_name["a-copy.jpg"]["duplicate_of"]  # paths as given


def test_a_missing_file_is_a_usage_error(album):
    with pytest.raises(CommandError, match="missing.jpg") as refused:
        media_check(album / "a.jpg", album / "missing.jpg")
    assert refused.value.returncode == 2


def test_no_files_is_a_usage_error():
    with pytest.raises(CommandError, match="files"):
        media_check()


def test_the_command_writes_nothing(album):
    before = listing(album)
    media_check(*sorted(album.iterdir()))
    assert listing(album) == before


# --- the real console script -----------------------------------------------------------------


def run_laurel(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return helpers.run_laurel(cwd, "media", "check", *args)


@pytest.mark.parametrize(
    ("args", "exit_code", "lines"),
    [
        (["a.jpg", "a-small.jpg", "b.jpg"], 0, 3),
        ([], 2, 0),
        (["a.jpg", "missing.jpg"], 2, 0),
        (["a.jpg", "--min-long-edge", "-1"], 2, 0),
    ],
    ids=["all-ok", "no-files", "missing-file", "bad-option"],
)
def test_console_script_exit_codes_and_stdout(album, args, exit_code, lines):
    before = listing(album)
    result = run_laurel(album, *args)
    assert result.returncode == exit_code, result.stderr
    assert len(result.stdout.splitlines()) == lines
    for line in result.stdout.splitlines():
        assert set(json.loads(line)) == KEYS
    if exit_code == 2:
        assert result.stderr.strip()
    assert listing(album) == before  # no database, no cache, no renditions: nothing written


def test_console_script_exits_1_on_a_refusal_and_reports_duplicates_both_ways(album):
    before = listing(album)
    result = run_laurel(album, "a.jpg", "a-small.jpg", "b.jpg", "notes.jpg")
    assert result.returncode == 1, result.stderr
    assert listing(album) == before
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(r) == KEYS for r in results)
    assert [r["ok"] for r in results] == [True, True, True, False]
    assert [r["file"] for r in results] == ["a.jpg", "a-small.jpg", "b.jpg", "notes.jpg"]
    assert [r["duplicate_of"] for r in results] == [["a-small.jpg"], ["a.jpg"], [], []]
    assert "文本" in results[3]["reason"]  # LANGUAGE_CODE is zh-hans
