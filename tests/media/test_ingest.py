"""Batch ingest from a folder or a zip: bad files and hostile archives never stop the rest."""

import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from laurel.media.ingest import assets_ingest
from laurel.media.models import MediaAsset


def photo(seed: int, size=(640, 480)) -> bytes:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : size[1], 0 : size[0]].astype(np.float32)
    pixels = np.stack([x % 255, y % 255, (x + y) / 2 % 255], -1)
    for _ in range(8):
        cx, cy, r = rng.uniform(0, size[0]), rng.uniform(0, size[1]), rng.uniform(20, 150)
        pixels[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = rng.uniform(0, 255, 3)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_folder_with_bad_files_is_ingested_whole_and_progress_is_reported(tmp_path):
    (tmp_path / "album").mkdir()
    for n in range(4):
        (tmp_path / "album" / f"p{n}.jpg").write_bytes(photo(n))
    (tmp_path / "album" / "notes.jpg").write_text("not a photo")
    (tmp_path / "album" / "cut.jpg").write_bytes(photo(9)[:5000])
    (tmp_path / "album" / ".DS_Store").write_bytes(b"\0" * 10)
    seen = []
    result = assets_ingest(
        acting_user=None, source=tmp_path / "album", progress=lambda d, t: seen.append((d, t))
    )
    by_name = {item.name: item for item in result.items}
    assert set(by_name) == {"p0.jpg", "p1.jpg", "p2.jpg", "p3.jpg", "notes.jpg", "cut.jpg"}
    assert {by_name[f"p{n}.jpg"].status for n in range(4)} == {"ready"}
    assert (by_name["notes.jpg"].status, by_name["notes.jpg"].code) == ("refused", "not_an_image")
    assert (by_name["cut.jpg"].status, by_name["cut.jpg"].code) == ("refused", "truncated")
    assert seen[-1] == (6, 6)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    assert MediaAsset.objects.filter(status="ready").count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_hostile_zip_gives_up_nothing_and_the_good_entries_land(tmp_path):
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("good/a.jpg", photo(1))
        zf.writestr("good/b.jpg", photo(2))
        zf.writestr("../escape.jpg", photo(3))
        zf.writestr("/etc/absolute.jpg", photo(4))
        zf.writestr("bomb.jpg", b"\0" * (20 * 2**20))  # 20 MB of zeros: ratio ~1000
        zf.writestr("__MACOSX/good/._a.jpg", b"resource fork")
    result = assets_ingest(acting_user=None, source=archive)
    by_name = {item.name: item for item in result.items}
    assert by_name["good/a.jpg"].status == by_name["good/b.jpg"].status == "ready"
    assert by_name["../escape.jpg"].code == "unsafe_path"
    assert by_name["/etc/absolute.jpg"].code == "unsafe_path"
    assert by_name["bomb.jpg"].code == "zip_bomb"
    assert "__MACOSX/good/._a.jpg" not in by_name
    assert not (tmp_path.parent / "escape.jpg").exists()
    assert MediaAsset.objects.count() == 2  # refused entries were never extracted or stored
