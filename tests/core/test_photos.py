"""``laurel.core.photos``: photos checked by their bytes, read, rendered and fingerprinted.

Every file is made here, in memory: "photos" are smooth gradients with random shapes and a
little noise (different seeds give visually different pictures, as a perceptual hash needs),
JPEGs get their EXIF, XMP and trailers built byte by byte where Pillow cannot write them.
"""

import hashlib
import io
import random
import re
import struct
import zipfile
import zlib

import numpy as np
import pytest
import pyvips
from PIL import Image, ImageCms, ImageDraw, ImageOps

from laurel.core.photos import (
    NEAR_DUPLICATE_BITS,
    REASONS,
    RENDITIONS,
    DuplicateIndex,
    Limits,
    photo_check,
)
from tests import helpers

# --- making photos -------------------------------------------------------------------------


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    return helpers.photo(seed, size)


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    return helpers.encode(image, fmt, **options)


def exif_bytes(
    *,
    make: str = "",
    model: str = "",
    taken: str = "",
    gps: bool = False,
    orientation: int = 0,
) -> bytes:
    """EXIF with Make/Model in IFD0, DateTimeOriginal in the Exif IFD, GPS in the GPS IFD."""
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1], gps_ifd[2] = "N", (29.0, 33.0, 12.5)
        gps_ifd[3], gps_ifd[4] = "E", (106.0, 30.0, 0.0)
    return exif.tobytes()


def segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def after_soi(jpeg: bytes, *segments: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def with_mpf(primary: bytes, second: bytes) -> bytes:
    """A phone's MPF file: an APP2 "MPF" index right after SOI, the second JPEG appended."""
    entries_at = 8 + 2 + 3 * 12 + 4  # TIFF header, IFD count, 3 entries, next-IFD offset
    body_size = 4 + entries_at + 2 * 16
    primary_size = len(primary) + 4 + body_size
    index_start = 2 + 4 + 4  # offsets count from the TIFF header: after SOI, marker, "MPF\0"
    ifd = (
        struct.pack(">H", 3)
        + struct.pack(">HHI4s", 0xB000, 7, 4, b"0100")  # MPFVersion
        + struct.pack(">HHII", 0xB001, 4, 1, 2)  # NumberOfImages
        + struct.pack(">HHII", 0xB002, 7, 32, entries_at)  # MPEntry
        + struct.pack(">I", 0)
    )
    entries = struct.pack(">IIIHH", 0x20030000, primary_size, 0, 0, 0) + struct.pack(
        ">IIIHH", 0x00010001, len(second), primary_size - index_start, 0, 0
    )
    body = b"MPF\x00" + b"MM\x00\x2a" + struct.pack(">I", 8) + ifd + entries
    assert len(body) == body_size
    return after_soi(primary, segment(0xE2, body)) + second


MOTION_XMP = (
    b"http://ns.adobe.com/xap/1.0/\x00"
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MotionPhoto="1" '
    b'GCamera:MotionPhotoVersion="1" GCamera:MotionPhotoPresentationTimestampUs="0"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body) + 8) + kind + body


def mp4(payload: bytes) -> bytes:
    video = box(b"ftyp", b"mp42" + b"\x00\x00\x00\x00" + b"isommp42") + box(b"mdat", payload)
    assert video.startswith(b"\x00\x00\x00\x18ftypmp42")
    return video


def zip_archive(name: str, text: str, compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit grey PNG of zeros, compressed without ever holding it in memory.

    The rows are deflated in blocks ending with a full flush: after it the compressor's
    output for the same block repeats, so one block's bytes stand for all the others.
    """
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    rows_per_block = 1000
    block = row * rows_per_block
    compressor = zlib.compressobj(9)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(height, rows_per_block)
    tail = compressor.compress(row * rest) + compressor.flush()
    checksum = zlib.adler32(b"")
    # adler32 over many identical blocks: fold them in one block at a time (cheap)
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    checksum = zlib.adler32(row * rest, checksum)
    deflated = first + repeated * (blocks - 1) + tail[:-4] + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", deflated)
        + png_chunk(b"IEND", b"")
    )


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, SOI up to the first SOS."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while True:
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length


def assert_clean_rgb_jpeg(data: bytes) -> Image.Image:
    """A rendition: an RGB JPEG with no metadata of any kind."""
    image = opened(data)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(0x8825) == {}
    for key in ("exif", "icc_profile", "xmp", "comment", "photoshop", "adobe", "mp"):
        assert key not in image.info, key
    markers = jpeg_markers(data)
    assert not [m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE], markers  # APP1-15, COM
    for needle in (b"Exif\x00", b"ICC_PROFILE", b"http://ns.adobe.com", b"MPF\x00", b"ftyp"):
        assert needle not in data, needle
    return image


def is_red(pixel) -> bool:
    red, green, blue = pixel
    return red > 200 and green < 60 and blue < 60


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


# --- a good photo: verdict, EXIF, fingerprints -------------------------------------------------


def test_a_good_jpeg_is_accepted_and_its_exif_read():
    data = encode(
        photo(1),
        exif=exif_bytes(make="Canon", model="Canon EOS R6", taken="2024:05:01 10:20:30", gps=True),
    )
    check = photo_check(data, "IMG_0001.JPG")
    assert check.ok, check.reason
    assert (check.code, check.reason) == ("", "")
    assert check.format == "jpeg"
    assert (check.width, check.height) == (640, 480)
    assert check.camera == "Canon EOS R6"  # the model already names the make
    assert check.taken_at == "2024-05-01T10:20:30"
    assert check.gps is True
    assert check.orientation == 1
    assert check.sha256 == hashlib.sha256(data).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{16}", check.phash)
    assert check.trailer == ""
    assert check.notes == []
    assert set(check.renditions) == {"judge", "display", "thumbnail"}


def test_camera_joins_make_and_model_and_no_gps_is_reported_as_such():
    exif = exif_bytes(make="FUJIFILM", model="X-T4", taken="2023:12:31 23:59:59")
    data = encode(photo(2), exif=exif)
    check = photo_check(data, "DSCF0001.JPG")
    assert check.ok, check.reason
    assert check.camera == "FUJIFILM X-T4"
    assert check.taken_at == "2023-12-31T23:59:59"
    assert check.gps is False


def test_a_photo_without_a_date_taken_is_ok_with_a_note():
    check = photo_check(encode(photo(3)), "scan.jpg")
    assert check.ok, check.reason
    assert check.taken_at is None
    assert check.camera == ""
    assert check.gps is False
    assert "no date taken" in check.notes


def test_the_same_picture_gives_the_same_phash_and_different_pictures_differ():
    first = photo_check(encode(photo(4)), "a.jpg", renditions=False)
    again = photo_check(encode(photo(4)), "b.jpg", renditions=False)
    other = photo_check(encode(photo(5)), "c.jpg", renditions=False)
    assert first.phash == again.phash
    assert distance(first.phash, other.phash) > NEAR_DUPLICATE_BITS


def test_exif_orientation_turns_a_landscape_file_into_a_portrait_photo():
    stored = photo(6, (400, 300))
    ImageDraw.Draw(stored).rectangle([0, 0, 59, 59], fill=(255, 0, 0))  # stored top left
    check = photo_check(encode(stored, exif=exif_bytes(orientation=6)), "portrait.jpg")
    assert check.ok, check.reason
    assert check.orientation == 6
    assert (check.width, check.height) == (300, 400)
    judge = assert_clean_rgb_jpeg(check.renditions["judge"])
    assert judge.size == (300, 400)
    # Orientation 6 turns the picture a quarter clockwise: the stored top left is now top right.
    assert is_red(judge.getpixel((290, 10)))
    assert not is_red(judge.getpixel((10, 10)))
    via_vips = pyvips.Image.new_from_buffer(check.renditions["judge"], "")
    assert (via_vips.width, via_vips.height) == (300, 400)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_shown_upright(orientation):
    """Quarter turns (6, 8) are done on the decoded pixels, flips and half turns by libvips:
    each judge rendition is the stored picture as Pillow turns it by the same tag."""
    stored = photo(60 + orientation, (1000, 700))
    draw = ImageDraw.Draw(stored)
    draw.rectangle([0, 0, 199, 99], fill=(255, 0, 0))  # asymmetric: no turn or flip looks alike
    draw.rectangle([900, 600, 999, 699], fill=(0, 0, 255))
    data = encode(stored, exif=exif_bytes(orientation=orientation))
    check = photo_check(data, "turned.jpg")
    assert check.ok, check.reason
    expected = ImageOps.exif_transpose(opened(data))
    judge = assert_clean_rgb_jpeg(check.renditions["judge"])
    assert judge.size == expected.size == (check.width, check.height)
    difference = np.abs(np.asarray(judge, np.float32) - np.asarray(expected, np.float32))
    assert difference.mean() < 3
    display = opened(check.renditions["display"])
    assert display.size == judge.size  # 1000 px: under the display's long edge


def test_a_turned_photo_larger_than_the_judge_rendition_is_decoded_small_and_turned():
    stored = photo(70, (1000, 750)).resize((4000, 3000), Image.Resampling.BILINEAR)
    ImageDraw.Draw(stored).rectangle([0, 0, 399, 399], fill=(255, 0, 0))
    check = photo_check(encode(stored, exif=exif_bytes(orientation=8)), "portrait.jpg")
    assert check.ok, check.reason
    sizes = {name: opened(data).size for name, data in check.renditions.items()}
    assert sizes == {"judge": (2250, 3000), "display": (1200, 1600), "thumbnail": (300, 400)}
    judge = np.asarray(assert_clean_rgb_jpeg(check.renditions["judge"]), np.float32)
    # Orientation 8 turns a quarter anticlockwise: the stored top left is now bottom left.
    assert is_red(judge[2950, 50])
    assert not is_red(judge[50, 50])
    expected = stored.transpose(Image.Transpose.ROTATE_90).resize(
        (2250, 3000), Image.Resampling.LANCZOS
    )
    assert np.abs(judge - np.asarray(expected, np.float32)).mean() < 3


# --- renditions ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_photo_check():
    """One 4000×3000 JPEG carrying EXIF with GPS, an ICC profile, XMP and a comment."""
    image = photo(7, (1000, 750)).resize((4000, 3000), Image.Resampling.BILINEAR)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        image,
        exif=exif_bytes(make="Apple", model="iPhone 15", taken="2025:04:05 06:07:08", gps=True),
        icc_profile=icc,
        comment=b"taken at the trade union games",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret location</x:xmpmeta>',
    )
    source = opened(data)  # the input really carries what the renditions must drop
    assert source.getexif().get_ifd(0x8825)
    assert {"exif", "icc_profile", "xmp", "comment"} <= set(source.info)
    return photo_check(data, "big.jpg")


def test_renditions_have_the_three_long_edges(big_photo_check):
    check = big_photo_check
    assert check.ok, check.reason
    assert check.gps is True
    assert RENDITIONS == {"judge": 3000, "display": 1600, "thumbnail": 400}
    sizes = {name: opened(data).size for name, data in check.renditions.items()}
    assert sizes == {"judge": (3000, 2250), "display": (1600, 1200), "thumbnail": (400, 300)}


@pytest.mark.parametrize("name", ["judge", "display", "thumbnail"])
def test_renditions_are_rgb_jpegs_with_no_metadata_at_all(big_photo_check, name):
    assert_clean_rgb_jpeg(big_photo_check.renditions[name])


def test_the_judge_rendition_is_as_sharp_as_a_careful_resize_of_the_original(big_photo_check):
    """Decoded straight to 3000 px by DCT scaling: close to Lanczos from the full original."""
    original = photo(7, (1000, 750)).resize((4000, 3000), Image.Resampling.BILINEAR)
    expected = np.asarray(original.resize((3000, 2250), Image.Resampling.LANCZOS), np.float32)
    judge = np.asarray(opened(big_photo_check.renditions["judge"]), np.float32)
    assert np.abs(judge - expected).mean() < 3


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_display_p3_photo_is_rendered_in_srgb(orientation):
    """An iPhone's wide-gamut photo, upright or turned: its embedded profile is applied, so
    the rendition shows what the same picture saved in sRGB shows, not the raw P3 numbers."""
    picture = photo(71, (800, 600))
    srgb = pyvips.Image.new_from_memory(picture.tobytes(), 800, 600, 3, "uchar").copy(
        interpretation="srgb"
    )
    p3 = srgb.icc_transform("p3", input_profile="srgb")
    exif = exif_bytes(orientation=orientation)
    in_srgb = encode(picture, quality=95, exif=exif)
    in_p3 = encode(
        Image.frombytes("RGB", (800, 600), p3.write_to_memory()),
        quality=95,
        exif=exif,
        icc_profile=p3.get("icc-profile-data"),
    )
    raw_difference = np.abs(
        np.asarray(opened(in_p3), np.float32) - np.asarray(opened(in_srgb), np.float32)
    )
    assert raw_difference.mean() > 10  # the numbers alone would show other colours
    thumbnails = []  # compared small: two JPEG encodings of the noise differ more than this
    for data in (in_srgb, in_p3):
        check = photo_check(data, "IMG_0001.JPG")
        assert check.ok, check.reason
        assert_clean_rgb_jpeg(check.renditions["judge"])
        thumbnails.append(np.asarray(opened(check.renditions["thumbnail"]), np.float32))
    assert thumbnails[0].shape == ((400, 300, 3) if orientation == 6 else (300, 400, 3))
    assert np.abs(thumbnails[0] - thumbnails[1]).mean() < 4  # unapplied: 32


def test_renditions_show_the_photo(big_photo_check):
    thumbnail = np.asarray(opened(big_photo_check.renditions["thumbnail"]), np.float32)
    expected = np.asarray(photo(7, (1000, 750)).resize((400, 300)), np.float32)
    assert np.abs(thumbnail - expected).mean() < 8


def test_small_photos_are_not_upscaled():
    check = photo_check(encode(photo(8, (1000, 800))), "small.jpg")
    assert check.ok, check.reason
    sizes = {name: opened(data).size for name, data in check.renditions.items()}
    assert sizes == {"judge": (1000, 800), "display": (1000, 800), "thumbnail": (400, 320)}


def test_without_renditions_the_fingerprints_are_still_made():
    data = encode(photo(9))
    check = photo_check(data, "a.jpg", renditions=False)
    assert check.ok
    assert check.renditions == {}
    assert check.phash == photo_check(data, "a.jpg").phash


# --- refused by what the bytes are --------------------------------------------------------------


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="5"/></svg>'
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"Dear committee, here is my photo.\n", "photo.jpg", "text"),
        ("亲爱的评委：这是我的照片。\n".encode(), "照片.jpg", "text"),
        (SVG, "drawing.svg", "an SVG drawing"),
        (SVG, "drawing.jpg", "an SVG drawing"),
        (HTML, "page.html", "a web page"),
        (HTML, "page.jpg", "a web page"),
        (PDF, "scan.pdf", "a PDF document"),
        (PDF, "scan.jpg", "a PDF document"),
        (zip_archive("photo.jpg", "not really"), "photos.zip", "a ZIP archive"),
        (zip_archive("photo.jpg", "not really"), "photos.jpg", "a ZIP archive"),
    ],
    ids=["text", "chinese-text", "svg", "svg-as-jpg", "html", "html-as-jpg", "pdf",
         "pdf-as-jpg", "zip", "zip-as-jpg"],
)  # fmt: skip
def test_files_that_are_not_images_are_refused(data, filename, kind):
    check = photo_check(data, filename)
    assert (check.ok, check.code) == (False, "not_an_image")
    assert kind in check.reason
    assert check.renditions == {}
    assert check.phash == ""
    assert check.sha256 == hashlib.sha256(data).hexdigest()


def test_a_png_named_jpg_is_a_format_mismatch():
    check = photo_check(encode(photo(10), "PNG"), "photo.jpg")
    assert (check.ok, check.code) == (False, "format_mismatch")
    assert check.reason == "The name says JPEG but the file is PNG."


def test_a_jpeg_named_webp_is_a_format_mismatch():
    check = photo_check(encode(photo(10)), "photo.webp")
    assert (check.ok, check.code) == (False, "format_mismatch")


def test_a_jpeg_cut_in_the_middle_is_truncated():
    data = encode(photo(11))
    check = photo_check(data[: len(data) // 2], "cut.jpg")
    assert (check.ok, check.code) == (False, "truncated")
    assert check.renditions == {}


def test_empty_bytes_are_empty():
    check = photo_check(b"", "nothing.jpg")
    assert (check.ok, check.code) == (False, "empty")
    assert check.reason == REASONS["empty"][0]


# --- what follows the image ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (zip_archive("shell.php", "<?php system($_GET['c']); ?>"), "a ZIP archive"),
        (b"<?php system($_GET['c']); ?>\n", "a script"),
        (HTML, "a web page"),
        (PDF, "a PDF document"),
    ],
    ids=["zip", "php", "html", "pdf"],
)
def test_a_jpeg_with_something_appended_is_refused(payload, kind):
    check = photo_check(encode(photo(12)) + payload, "photo.jpg")
    assert (check.ok, check.code) == (False, "appended_payload")
    assert kind in check.reason
    assert check.renditions == {}


def test_a_webp_with_a_zip_appended_is_refused():
    data = encode(photo(12), "WEBP", quality=80) + zip_archive("a.txt", "hello")
    check = photo_check(data, "photo.webp")
    assert (check.ok, check.code) == (False, "appended_payload")


def test_an_archive_after_a_byte_of_padding_is_still_refused():
    # ZIP readers find an archive from its end, so one stray byte before it does not hide it.
    archive = zip_archive("shell.php", "<?php system($_GET['c']); ?>" * 3, zipfile.ZIP_DEFLATED)
    data = encode(photo(12)) + b"\x01" + archive
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["shell.php"]  # a working archive
    check = photo_check(data, "photo.jpg")
    assert (check.ok, check.code) == (False, "appended_payload")


def test_a_script_far_behind_the_image_is_still_refused():
    data = encode(photo(12)) + b"A" * 70_000 + b"<?php system($_GET['c']); ?>"
    check = photo_check(data, "photo.jpg")
    assert (check.ok, check.code) == (False, "appended_payload")


def test_an_mpf_photo_is_ok_and_its_second_image_is_dropped():
    primary = encode(photo(13))
    second = encode(photo(14, (64, 48)))  # a phone's preview image
    data = with_mpf(primary, second)
    check = photo_check(data, "PXL_0001.jpg")
    assert check.ok, check.reason
    assert check.trailer == "mpf"
    assert any("mpf" in note for note in check.notes)
    assert (check.width, check.height) == (640, 480)
    alone = photo_check(primary, "primary.jpg")
    assert check.phash == alone.phash
    for name, rendition in check.renditions.items():
        assert_clean_rgb_jpeg(rendition)
        assert rendition.count(b"\xff\xd8") == 1  # one image, no appended second JPEG
        assert rendition == alone.renditions[name]  # made from the primary image only


def test_a_motion_photo_is_ok_and_its_video_is_dropped():
    primary = encode(photo(15))
    video = mp4(bytes(range(256)) * 64)
    data = after_soi(primary, segment(0xE1, MOTION_XMP)) + video
    check = photo_check(data, "PXL_0002.MP.jpg")
    assert check.ok, check.reason
    assert check.trailer == "motion_photo"
    alone = photo_check(primary, "primary.jpg")
    assert check.phash == alone.phash
    for name, rendition in check.renditions.items():
        assert_clean_rgb_jpeg(rendition)
        assert rendition == alone.renditions[name]


def test_a_second_image_whose_compressed_bytes_happen_to_contain_script_markers_is_ok():
    # Compressed data is arbitrary bytes: "<%" turns up in many real preview images.
    for seed in range(100):
        second = encode(photo(seed, (320, 240)))
        if b"<%" in second:
            break
    else:
        raise AssertionError("no preview image with '<%' in its compressed data")
    check = photo_check(with_mpf(encode(photo(16)), second), "PXL_0003.jpg")
    assert check.ok, check.reason
    assert check.trailer == "mpf"


def test_a_motion_photo_whose_video_bytes_contain_script_markers_is_ok():
    frames = np.random.default_rng(17).bytes(20_000)  # compressed video: arbitrary bytes
    video = mp4(frames[:5000] + b"<%" + frames[5000:10000] + b"#!/" + frames[10000:])
    data = after_soi(encode(photo(17)), segment(0xE1, MOTION_XMP)) + video
    check = photo_check(data, "PXL_0004.MP.jpg")
    assert check.ok, check.reason
    assert check.trailer == "motion_photo"


def test_a_malformed_mpf_index_does_not_make_the_check_raise():
    body = b"MPF\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00" * 8  # an IFD with no entries
    data = after_soi(encode(photo(18)), segment(0xE2, body)) + encode(photo(19, (64, 48)))
    check = photo_check(data, "odd.jpg")
    assert check.ok, check.reason
    assert check.trailer == "mpf"


# --- decoding: colour, depth, transparency, bombs ----------------------------------------------


def test_a_decompression_bomb_is_refused_from_its_header():
    bomb = blank_png(30_000, 30_000)
    assert len(bomb) < 1_000_000  # 900 million pixels in a small file
    check = photo_check(bomb, "bomb.png")
    assert (check.ok, check.code) == (False, "too_many_pixels")
    assert "30000×30000" in check.reason
    assert check.renditions == {}


def test_a_cmyk_jpeg_is_rendered_in_rgb_with_its_colours():
    image = Image.new("CMYK", (600, 400), (255, 0, 0, 0))  # cyan
    ImageDraw.Draw(image).rectangle([300, 0, 599, 399], fill=(0, 0, 0, 0))  # paper white
    check = photo_check(encode(image), "print.jpg")
    assert check.ok, check.reason
    judge = np.asarray(assert_clean_rgb_jpeg(check.renditions["judge"]), np.int32)
    red, green, blue = judge[200, 100]
    assert red < 80  # cyan: little red, much green and blue
    assert green > 100
    assert blue > 180
    assert (judge[200, 500] > 230).all()  # white stays white


def test_a_16_bit_png_is_rendered_as_8_bit_rgb():
    ramp = np.tile(np.linspace(0, 65535, 600).astype(np.uint16), (400, 1))
    image = Image.fromarray(ramp)
    assert image.mode == "I;16"
    check = photo_check(encode(image, "PNG"), "scan.png")
    assert check.ok, check.reason
    assert check.format == "png"
    judge = np.asarray(assert_clean_rgb_jpeg(check.renditions["judge"]), np.int32)
    assert judge.shape == (400, 600, 3)
    assert judge[200, 5].max() < 20  # black to white
    assert judge[200, 595].min() > 235
    assert abs(int(judge[200, 300].mean()) - 128) < 15  # the middle stays mid grey


def test_a_palette_png_with_transparency_is_flattened_on_white():
    image = Image.new("P", (600, 400), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    ImageDraw.Draw(image).rectangle([0, 0, 299, 399], fill=1)  # left half blue
    check = photo_check(encode(image, "PNG", transparency=0), "logo.png")  # red transparent
    assert check.ok, check.reason
    judge = np.asarray(assert_clean_rgb_jpeg(check.renditions["judge"]), np.int32)
    red, green, blue = judge[200, 100]
    assert max(red, green) < 40
    assert blue > 210
    assert (judge[200, 500] > 240).all()


def test_an_rgba_png_is_flattened_on_white():
    image = Image.new("RGBA", (600, 400), (255, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([0, 0, 299, 399], fill=(0, 128, 0, 255))
    check = photo_check(encode(image, "PNG"), "sticker.png")
    assert check.ok, check.reason
    judge = np.asarray(assert_clean_rgb_jpeg(check.renditions["judge"]), np.int32)
    red, green, blue = judge[200, 100]
    assert max(red, blue) < 40
    assert 100 < green < 160
    assert (judge[200, 500] > 240).all()


def test_a_static_webp_is_ok():
    check = photo_check(encode(photo(20), "WEBP", quality=80), "photo.webp")
    assert check.ok, check.reason
    assert check.format == "webp"
    assert_clean_rgb_jpeg(check.renditions["thumbnail"])


def frames(count: int) -> list[Image.Image]:
    return [photo(21 + n, (200, 150)) for n in range(count)]


def test_an_animated_gif_is_refused():
    first, *rest = frames(3)
    data = encode(first, "GIF", save_all=True, append_images=rest, duration=100, loop=0)
    check = photo_check(data, "dance.gif")
    assert (check.ok, check.code) == (False, "animated")


def test_an_animated_webp_is_refused():
    first, *rest = frames(2)
    data = encode(first, "WEBP", save_all=True, append_images=rest, duration=100, loop=0)
    assert opened(data).n_frames == 2
    check = photo_check(data, "dance.webp")
    assert (check.ok, check.code) == (False, "animated")


def test_a_still_gif_is_a_format_not_accepted():
    check = photo_check(encode(photo(23, (200, 150)), "GIF"), "still.gif")
    assert (check.ok, check.code) == (False, "format_not_accepted")
    assert "GIF" in check.reason


# --- limits ------------------------------------------------------------------------------------


def test_the_limits_refuse_small_large_and_huge_photos():
    data = encode(photo(24, (1000, 800)))
    small = photo_check(data, "a.jpg", Limits(min_long_edge=2000))
    assert (small.ok, small.code) == (False, "too_small")
    assert small.reason == "The long edge is 1000 pixels; at least 2000 are needed."
    assert photo_check(data, "a.jpg", Limits(min_long_edge=1000)).ok
    large = photo_check(data, "a.jpg", Limits(max_bytes=1000))
    assert (large.ok, large.code) == (False, "too_large")
    assert photo_check(data, "a.jpg", Limits(max_bytes=len(data))).ok
    huge = photo_check(data, "a.jpg", Limits(max_pixels=799_999))
    assert (huge.ok, huge.code) == (False, "too_many_pixels")
    assert photo_check(data, "a.jpg", Limits(max_pixels=800_000)).ok


def test_the_minimum_long_edge_counts_the_photo_as_seen():
    data = encode(photo(25, (400, 300)), exif=exif_bytes(orientation=6))
    assert photo_check(data, "a.jpg", Limits(min_long_edge=400)).ok
    refused = photo_check(data, "a.jpg", Limits(min_long_edge=401))
    assert refused.code == "too_small"


# --- languages ---------------------------------------------------------------------------------


def test_reasons_are_english_by_default_and_chinese_on_request():
    english = photo_check(b"", "a.jpg")
    chinese = photo_check(b"", "a.jpg", language="zh-hans")
    assert english.code == chinese.code == "empty"
    assert "empty" in english.reason
    assert "文件为空" in chinese.reason
    html_en = photo_check(HTML, "a.jpg")
    html_zh = photo_check(HTML, "a.jpg", language="zh-hans")
    assert "web page" in html_en.reason
    assert "网页" in html_zh.reason
    assert "web page" not in html_zh.reason
    limits = Limits(min_long_edge=2000)
    small_zh = photo_check(encode(photo(26)), "a.jpg", limits, language="zh-hans")
    assert small_zh.reason == "照片长边为 640 像素，至少需要 2000 像素。"


# --- duplicates --------------------------------------------------------------------------------


def test_edited_copies_are_near_duplicates_of_the_original():
    original = photo(27, (800, 600))
    width, height = original.size
    dx, dy = round(width * 0.03), round(height * 0.03)
    brighter = np.clip(np.asarray(original, np.float32) * 1.1, 0, 255).astype(np.uint8)
    copies = {
        "resized": encode(original.resize((width // 2, height // 2), Image.Resampling.LANCZOS)),
        "recompressed": encode(original, quality=60),
        "cropped": encode(original.crop((dx, dy, width - dx, height - dy))),
        "brightened": encode(Image.fromarray(brighter)),
    }
    source = photo_check(encode(original), "original.jpg", renditions=False)
    index = DuplicateIndex()
    assert index.threshold == NEAR_DUPLICATE_BITS
    index.add("original", source.phash, source.sha256)
    for name, data in copies.items():
        check = photo_check(data, f"{name}.jpg", renditions=False)
        assert check.ok, (name, check.reason)
        found = index.query(check.phash, check.sha256)
        assert [key for key, _ in found] == ["original"], name
        assert found[0][1] == distance(check.phash, source.phash) <= NEAR_DUPLICATE_BITS


def test_distinct_photos_are_never_near_duplicates():
    checks = [photo_check(encode(photo(100 + n, (320, 240))), "p.jpg", renditions=False)
              for n in range(40)]  # fmt: skip
    assert len({check.phash for check in checks}) == 40
    index = DuplicateIndex()
    for n, check in enumerate(checks):
        assert index.query(check.phash, check.sha256) == [], n
        index.add(str(n), check.phash, check.sha256)
    closest = min(distance(a.phash, b.phash) for i, a in enumerate(checks) for b in checks[i + 1 :])
    assert closest > NEAR_DUPLICATE_BITS


def test_exact_copies_are_found_by_their_bytes_first_with_distance_zero():
    data = encode(photo(28))
    check = photo_check(data, "a.jpg", renditions=False)
    near = photo_check(encode(photo(28), quality=70), "b.jpg", renditions=False)
    index = DuplicateIndex()
    index.add("near", near.phash, near.sha256)
    index.add("copy", check.phash, check.sha256)
    found = index.query(check.phash, check.sha256)
    assert found[0] == ("copy", 0)
    assert [key for key, _ in found] == ["copy", "near"]  # each once
    # The bytes alone decide an exact copy, whatever pHash was stored with it.
    index.add("same-bytes", "ffffffffffffffff" if check.phash[0] < "8" else "0" * 16, check.sha256)
    found = dict(index.query(check.phash, check.sha256))
    assert found["same-bytes"] == 0
    assert dict(index.query(check.phash))["copy"] == 0
    assert "same-bytes" not in dict(index.query(check.phash))


def flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def test_a_bulk_index_finds_exactly_the_hashes_within_the_threshold():
    rng = random.Random(29)
    hashes = np.random.default_rng(29).integers(0, 2**64, size=200_000, dtype=np.uint64)
    keys = [f"r{n}" for n in range(len(hashes))]
    query = int(hashes[12_345])
    planted = {f"d{bits}": flip(query, bits, rng) for bits in (0, 1, 5, 9, 10, 11, 12, 40)}
    index = DuplicateIndex()
    index.add("first", "0" * 16)  # bulk loading after single adds keeps both
    index.add_many(keys, hashes)
    index.add_many(list(planted), np.array(list(planted.values()), dtype=np.uint64))
    assert len(index) == 1 + len(hashes) + len(planted)

    found = index.query(f"{query:016x}")
    everything = {"first": 0, **dict(zip(keys, hashes.tolist(), strict=True)), **planted}
    expected = {
        key: (value ^ query).bit_count()
        for key, value in everything.items()
        if (value ^ query).bit_count() <= NEAR_DUPLICATE_BITS
    }
    assert dict(found) == expected
    assert {"r12345", "d0", "d1", "d5", "d9", "d10"} <= set(expected)
    assert not {"d11", "d12", "d40"} & set(expected)
    assert [d for _, d in found] == sorted(d for _, d in found)  # nearest first
    assert len(found) == len(expected)


def test_single_adds_grow_past_the_first_block():
    index = DuplicateIndex(threshold=0)
    for n in range(2500):
        index.add(f"k{n}", f"{n * 0x9E3779B97F4A7C15 % 2**64:016x}")
    assert len(index) == 2500
    for n in (0, 1023, 1024, 2047, 2048, 2499):
        assert index.query(f"{n * 0x9E3779B97F4A7C15 % 2**64:016x}") == [(f"k{n}", 0)]
