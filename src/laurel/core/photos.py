"""Photos: checked by content, read, rendered and fingerprinted — safely and fast.

``photo_check(data, filename, limits)`` decides by the bytes, never the name:

1. size (empty, over the byte limit);
2. what the bytes are (JPEG, PNG, WebP, HEIC; refused: other formats, SVG/HTML/text,
   PDF, archives) and whether the name claims something else;
3. the header only (libvips reads no pixels yet): animations, the pixel limit (a
   decompression bomb is refused here, before any decoding), the minimum long edge;
4. the file's structure: a JPEG must end its image with EOI, a PNG with IEND; what
   follows is classified — a phone's MPF images or motion-photo video are reported and
   never passed on, an appended archive, document or script is refused;
5. EXIF (Pillow, lazily): camera, date taken, orientation, GPS presence;
6. one decode, at the smallest size that serves the judge rendition (a colour JPEG by
   libjpeg-turbo's DCT scaling, anything else by libvips with shrink-on-load), upright,
   in sRGB 8-bit (a profile other than sRGB applied), alpha flattened on white; the
   display and thumbnail renditions are made from it; all are JPEGs with no metadata;
7. SHA-256 of the original and a 64-bit perceptual hash (pHash) of the thumbnail.

Reasons have stable codes (``REASONS``) and sentences in English and Chinese.
"""

import hashlib
import io
import re
import struct
import warnings
from dataclasses import dataclass, field
from datetime import datetime

import imagehash
import numpy as np
import pyvips
import simplejpeg
from PIL import Image, ImageCms, UnidentifiedImageError

RENDITIONS = {"judge": 3000, "display": 1600, "thumbnail": 400}  # long edge, px
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_pixels: int = 100_000_000  # 100 MP: any camera; a bomb is far beyond
    min_long_edge: int = 0
    formats: frozenset[str] = frozenset({"jpeg", "png", "webp", "heic"})


REASONS = {
    # code: (English, Chinese)
    "empty": ("The file is empty.", "文件为空。"),
    "too_large": (
        "The file is larger than {limit} bytes.",
        "文件超过 {limit} 字节的上限。",
    ),
    "not_an_image": (
        "This is not a photo but {kind}; upload a JPEG, PNG or WebP photo.",
        "这不是照片，而是{kind}；请上传 JPEG、PNG 或 WebP 格式的照片。",
    ),
    "unknown_format": (
        "The file is not a photo format we can read; upload JPEG, PNG or WebP.",
        "无法识别的文件格式；请上传 JPEG、PNG 或 WebP 照片。",
    ),
    "format_not_accepted": (
        "{format} photos are not accepted here; upload JPEG, PNG or WebP.",
        "不接受 {format} 格式；请上传 JPEG、PNG 或 WebP 照片。",
    ),
    "heic_unsupported": (
        "HEIC photos cannot be read here; convert the photo to JPEG and upload it again.",
        "暂不支持 HEIC 照片；请转换为 JPEG 后重新上传。",
    ),
    "format_mismatch": (
        "The name says {claimed} but the file is {format}.",
        "文件名表明是 {claimed}，但实际内容是 {format}。",
    ),
    "animated": (
        "Animations are not accepted; upload a single still photo.",
        "不接受动图；请上传单张静态照片。",
    ),
    "too_many_pixels": (
        "The image is {width}×{height} pixels, over the limit of {limit} pixels.",
        "图片为 {width}×{height} 像素，超过 {limit} 像素的上限。",
    ),
    "too_small": (
        "The long edge is {long_edge} pixels; at least {limit} are needed.",
        "照片长边为 {long_edge} 像素，至少需要 {limit} 像素。",
    ),
    "truncated": (
        "The file is cut short or damaged: its image data does not end properly.",
        "文件不完整或已损坏：图像数据没有正常结束。",
    ),
    "appended_payload": (
        "Something else is hidden after the image ({kind}); upload the photo on its own.",
        "图像数据之后附带了其他内容（{kind}）；请只上传照片本身。",
    ),
    "damaged": (
        "The image cannot be decoded: {detail}.",
        "图像无法解码：{detail}。",
    ),
}

EXTENSIONS = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".png": "png",
    ".webp": "webp",
    ".heic": "heic",
    ".heif": "heic",
    ".gif": "gif",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".bmp": "bmp",
}
LOADERS = {
    "jpeg": "jpegload_buffer",
    "png": "pngload_buffer",
    "webp": "webpload_buffer",
    "heic": "heifload_buffer",
    "gif": "gifload_buffer",
}
NAMES = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "heic": "HEIC", "gif": "GIF"}


class PhotoRefused(ValueError):
    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass
class PhotoCheck:
    file: str
    ok: bool
    code: str = ""
    reason: str = ""
    format: str = ""
    width: int = 0  # as a person sees it (EXIF orientation applied)
    height: int = 0
    taken_at: str | None = None  # ISO 8601, from EXIF DateTimeOriginal
    camera: str = ""
    gps: bool = False
    orientation: int = 1
    sha256: str = ""
    phash: str = ""
    trailer: str = ""  # what followed the image data and was dropped: mpf | motion_photo | ...
    notes: list[str] = field(default_factory=list)  # e.g. "no date taken"
    renditions: dict[str, bytes] = field(default_factory=dict, repr=False)

    def summary(self) -> dict:
        """The JSON object ``laurel media check`` prints (without ``duplicate_of``)."""
        return {
            "file": self.file,
            "ok": self.ok,
            "code": self.code,
            "reason": self.reason,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "taken_at": self.taken_at,
            "camera": self.camera,
            "gps": self.gps,
            "sha256": self.sha256,
            "phash": self.phash,
        }


def reason_text(code: str, params: dict, language: str = "en") -> str:
    chinese = language.startswith("zh")
    text = REASONS[code][1 if chinese else 0]
    if "kind" in params:  # a code of NOT_IMAGES, named in the reader's language
        params = params | {"kind": NOT_IMAGES[params["kind"]][1 if chinese else 0]}
    return text.format(**params)


def photo_check(
    data: bytes,
    filename: str = "",
    limits: Limits = Limits(),  # noqa: B008 - frozen, shared safely
    *,
    renditions: bool = True,
    language: str = "en",
) -> PhotoCheck:
    """Check one file; never raises for bad input (the verdict says why)."""
    check = PhotoCheck(file=filename, ok=False, sha256=hashlib.sha256(data).hexdigest())
    try:
        _inspect(check, data, filename, limits, renditions)
    except PhotoRefused as refused:
        check.ok = False
        check.code = refused.code
        check.reason = reason_text(refused.code, refused.params, language)
        check.renditions = {}
        return check
    check.ok = True
    return check


def _inspect(check: PhotoCheck, data: bytes, filename: str, limits: Limits, renditions: bool):
    if not data:
        raise PhotoRefused("empty")
    if len(data) > limits.max_bytes:
        raise PhotoRefused("too_large", limit=limits.max_bytes)
    kind = sniff(data)
    if kind in NOT_IMAGES:
        raise PhotoRefused("not_an_image", kind=kind)
    if kind is None:
        raise PhotoRefused("unknown_format")
    check.format = kind
    claimed = EXTENSIONS.get(_extension(filename))
    if claimed and claimed != kind:
        raise PhotoRefused(
            "format_mismatch", claimed=NAMES.get(claimed, claimed.upper()), format=NAMES[kind]
        )
    image = _header(data, kind)
    if _pages(image) > 1:
        raise PhotoRefused("animated")
    if kind not in limits.formats:
        raise PhotoRefused("format_not_accepted", format=NAMES[kind])
    width, height = image.width, image.height
    if width * height > limits.max_pixels:
        raise PhotoRefused("too_many_pixels", width=width, height=height, limit=limits.max_pixels)
    check.trailer = _structure(data, kind)
    _exif(check, data)
    if check.orientation in (5, 6, 7, 8):
        width, height = height, width
    check.width, check.height = width, height
    if max(width, height) < limits.min_long_edge:
        raise PhotoRefused("too_small", long_edge=max(width, height), limit=limits.min_long_edge)
    if check.taken_at is None:
        check.notes.append("no date taken")
    if check.trailer:
        check.notes.append(f"dropped data after the image: {check.trailer}")
    _render(check, data, kind, image, renditions)


# --- what the bytes are --------------------------------------------------------------------

NOT_IMAGES = {  # what the bytes are instead: (English, Chinese)
    "svg": ("an SVG drawing", "SVG 矢量图"),
    "html": ("a web page", "网页"),
    "xml": ("an XML document", "XML 文档"),
    "pdf": ("a PDF document", "PDF 文档"),
    "zip": ("a ZIP archive", "ZIP 压缩包"),
    "rar": ("a RAR archive", "RAR 压缩包"),
    "7z": ("a 7-Zip archive", "7-Zip 压缩包"),
    "gzip": ("a gzip archive", "gzip 压缩包"),
    "text": ("text", "文本"),
    "executable": ("a program", "可执行程序"),
    "office": ("an Office document", "Office 文档"),
    "script": ("a script", "脚本"),
}


def sniff(data: bytes) -> str | None:
    """The format the bytes are, by their signature (None: not one we know)."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim"):
        return "heic"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM":
        return "bmp"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"Rar!"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "office"
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return "executable"
    text = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "svg"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "html"
    if text.startswith(b"<?xml"):
        return "xml"
    if _looks_like_text(data[:4096]):
        return "text"
    return None


def _looks_like_text(sample: bytes) -> bool:
    if not sample or b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("gb18030")
        except UnicodeDecodeError:
            return False
    return True


def _extension(filename: str) -> str:
    match = re.search(r"\.[A-Za-z0-9]+$", filename or "")
    return match.group(0).lower() if match else ""


def _header(data: bytes, kind: str) -> pyvips.Image:
    """The image as libvips sees its header: no pixel is decoded yet."""
    loader = getattr(pyvips.Image, LOADERS.get(kind, ""), None)
    if loader is None:
        raise PhotoRefused("format_not_accepted", format=NAMES.get(kind, kind.upper()))
    try:
        options = {"n": -1} if kind in ("gif", "webp") else {}  # every frame: animations
        return loader(data, access="sequential", **options)
    except pyvips.Error as error:
        message = str(error).lower()
        if kind == "heic":
            raise PhotoRefused("heic_unsupported") from None
        if "truncat" in message or "premature" in message or "end of" in message:
            raise PhotoRefused("truncated") from None
        raise PhotoRefused("damaged", detail=_first_line(error)) from None


def _pages(image: pyvips.Image) -> int:
    try:
        return int(image.get("n-pages"))
    except pyvips.Error:
        return 1


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else "unknown"


# --- structure: where the image ends, and what follows ---------------------------------------


def _structure(data: bytes, kind: str) -> str:
    """Check the image data ends properly; classify (and refuse or report) what follows."""
    if kind == "jpeg":
        end, has_mpf = _jpeg_end(data)
    elif kind == "png":
        end, has_mpf = _png_end(data), False
    elif kind == "webp":
        size = struct.unpack("<I", data[4:8])[0] + 8
        if len(data) < size:
            raise PhotoRefused("truncated")
        end, has_mpf = size, False
    else:
        return ""
    trailer = data[end:]
    if not trailer.strip(b"\x00 \r\n\t\xff"):
        return ""
    return _trailer_kind(trailer, has_mpf)


# In entropy-coded data 0xFF is followed by 0x00 (a stuffed byte), a restart marker
# (0xD0–0xD7) or more 0xFF fill; anything else is the next real marker.
REAL_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")


def _jpeg_end(data: bytes) -> tuple[int, bool]:
    """The offset just after the primary image's EOI, and whether an MPF segment exists."""
    position, has_mpf, size = 2, False, len(data)
    while position + 2 <= size:
        if data[position] != 0xFF:
            raise PhotoRefused("damaged", detail="a JPEG marker is missing")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        if marker == 0xD9:
            return position + 2, has_mpf
        if position + 4 > size:
            break
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker == 0xE2 and data[position + 4 : position + 8] == b"MPF\x00":
            has_mpf = True
        if marker == 0xDA:  # start of scan: entropy-coded data until a real marker
            found = REAL_MARKER.search(data, position + 2 + length)
            if found is None:
                raise PhotoRefused("truncated")
            position = found.start()
            continue
        position += 2 + length
    raise PhotoRefused("truncated")


def _png_end(data: bytes) -> int:
    position = 8
    while position + 8 <= len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        chunk = data[position + 4 : position + 8]
        position += 12 + length
        if chunk == b"IEND":
            if position > len(data):
                raise PhotoRefused("truncated")
            return position
    raise PhotoRefused("truncated")


def _trailer_kind(trailer: bytes, has_mpf: bool) -> str:
    """What follows the image: a phone's extra JPEGs (MPF) and motion-photo video are
    walked through by their own structure and reported; whatever is left is searched
    whole for archives, documents and scripts, which are refused."""
    found = []
    rest = trailer
    while rest.lstrip(b"\x00").startswith(b"\xff\xd8\xff"):
        rest = rest.lstrip(b"\x00")
        try:
            end, _mpf = _jpeg_end(rest)
        except PhotoRefused:
            break
        found.append("mpf" if has_mpf else "embedded_jpeg")
        rest = rest[end:]
    video = rest.find(b"ftyp", 0, 64)
    if video >= 4:
        end = _mp4_end(rest, video - 4)
        if end:
            found.append("motion_photo")
            rest = rest[end:]
    leftover = rest.strip(b"\x00 \r\n\t\xff")
    if leftover:
        payload = _payload(leftover)
        if payload:
            raise PhotoRefused("appended_payload", kind=payload)
        found.append(f"{len(leftover)} bytes of unknown data")
    return ", ".join(dict.fromkeys(found))


PAYLOAD_SIGNATURES = [
    (b"PK\x03\x04", "zip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"%PDF-", "pdf"),
    (b"\x1f\x8b\x08", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),
]
SCRIPT = re.compile(rb"<\?php|<script|#!/(?:usr|bin)/|<%@", re.IGNORECASE)


def _payload(leftover: bytes) -> str:
    """The kind of archive, document or script anywhere in data that is no known media."""
    kind = sniff(leftover)
    if kind in NOT_IMAGES and kind not in ("text",):
        return kind
    for signature, name in PAYLOAD_SIGNATURES:
        if signature in leftover:
            return name
    return "script" if SCRIPT.search(leftover) else ""


def _mp4_end(data: bytes, start: int) -> int:
    """The end of an MP4 (ISO BMFF) stream of boxes beginning with ``ftyp`` at ``start``,
    or 0 when it is not one."""
    position, boxes = start, 0
    while position + 8 <= len(data):
        size = struct.unpack(">I", data[position : position + 4])[0]
        box = data[position + 4 : position + 8]
        if not re.fullmatch(rb"[a-zA-Z0-9 \xa9]{4}", box) or (boxes == 0 and box != b"ftyp"):
            break
        if size == 1:
            if position + 16 > len(data):
                break
            size = struct.unpack(">Q", data[position + 8 : position + 16])[0]
        elif size == 0:
            size = len(data) - position
        if size < 8 or position + size > len(data):
            break
        position += size
        boxes += 1
    return position if boxes else 0


# --- EXIF --------------------------------------------------------------------------------------


def _exif(check: PhotoCheck, data: bytes) -> None:
    try:
        with warnings.catch_warnings():  # Pillow's doubts (odd MPF, big images) are ours
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return
    make = str(exif.get(0x010F, "") or "").strip("\x00 ")
    model = str(exif.get(0x0110, "") or "").strip("\x00 ")
    check.camera = (
        model if make and model.startswith(make) else " ".join(p for p in (make, model) if p)
    )
    try:
        check.orientation = int(exif.get(0x0112, 1) or 1)
    except (TypeError, ValueError):
        check.orientation = 1
    details = exif.get_ifd(0x8769)
    taken = details.get(0x9003) or details.get(0x9004) or exif.get(0x0132)
    check.taken_at = _exif_date(taken)
    gps = exif.get_ifd(0x8825)
    check.gps = bool(gps.get(2) or gps.get(4))  # latitude or longitude present


def _exif_date(value) -> str | None:
    if not value:
        return None
    try:
        # EXIF keeps the camera's local time with no zone: it stays naive, as taken.
        taken = datetime.strptime(str(value).strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
        return taken.isoformat()
    except ValueError:
        return None


# --- renditions and fingerprints ---------------------------------------------------------------


def _render(
    check: PhotoCheck, data: bytes, kind: str, header: pyvips.Image, renditions: bool
) -> None:
    """Decode once, at the smallest size that serves the judge rendition; derive the rest
    from it, each from the next larger one."""
    try:
        judge = _judge_rendition(data, kind, header)
        display = _pixels(_fit(_image(judge), RENDITIONS["display"]))
        thumbnail = _pixels(_fit(_image(display), RENDITIONS["thumbnail"]))
        check.phash = perceptual_hash(_image(thumbnail))
        if renditions:
            check.renditions = {
                "judge": _jpeg(judge),
                "display": _jpeg(display),
                "thumbnail": _jpeg(thumbnail),
            }
    except pyvips.Error as error:
        message = str(error).lower()
        if "truncat" in message or "premature" in message or "out of data" in message:
            raise PhotoRefused("truncated") from None
        raise PhotoRefused("damaged", detail=_first_line(error)) from None


def _judge_rendition(data: bytes, kind: str, header: pyvips.Image) -> np.ndarray:
    """The one decode, at the smallest size that still gives the judge rendition's long
    edge: upright sRGB 8-bit pixels (height × width × 3, or × 4 with a spare byte).

    A colour JPEG is decoded by libjpeg-turbo's DCT scaling (simplejpeg) at any of 1/8 …
    8/8, so a 4000-px original decodes straight to 3000 px, with no resize; a phone's
    quarter turn (EXIF orientation 6 or 8) is done on 32-bit pixels in cache-sized tiles.
    Anything else — CMYK or grey JPEGs, JPEGs it cannot read, other formats — is decoded
    by libvips, with JPEG shrink-on-load (1/2, 1/4, 1/8), streamed through the resize."""
    largest = RENDITIONS["judge"]
    orientation = header.get("orientation") if header.get_typeof("orientation") else 1
    decoded = _jpeg_scaled(data, header, largest, orientation) if kind == "jpeg" else None
    if decoded is None:
        options = {"access": "sequential", "fail_on": "truncated"}
        if kind == "jpeg":
            long_edge = max(header.width, header.height)
            options["shrink"] = next((f for f in (8, 4, 2) if long_edge / f >= largest), 1)
        image = getattr(pyvips.Image, LOADERS[kind])(data, **options)
    else:
        if orientation in QUARTER_TURNS:
            decoded, orientation = _turned(decoded, QUARTER_TURNS[orientation]), 1
        image = _image(decoded)
        if orientation != 1:  # flips and half turns: rare, left to libvips
            image.set_type(pyvips.GValue.gint_type, "orientation", orientation)
        profile = _foreign_profile(header)
        if profile:
            image.set_type(pyvips.GValue.blob_type, "icc-profile-data", profile)
        elif orientation == 1 and max(image.width, image.height) <= largest:
            return decoded  # nothing more to do
    return _pixels(_srgb8(_fit(image, largest)).autorot())


QUARTER_TURNS = {6: -1, 8: 1}  # EXIF orientation: numpy.rot90's k (−1 clockwise)
TILE = 128  # px: a tile of 32-bit pixels and its turned copy stay in cache


def _jpeg_scaled(
    data: bytes, header: pyvips.Image, long_edge: int, orientation: int
) -> np.ndarray | None:
    """A colour JPEG decoded by DCT scaling to the smallest size with at least
    ``long_edge`` (whole when smaller) — RGB, or RGBX to be turned; None when it is not a
    colour JPEG or the decoder refuses it."""
    if header.bands != 3 or header.interpretation != "srgb":
        return None
    landscape = header.width >= header.height
    try:
        return simplejpeg.decode_jpeg(
            data,
            "RGBX" if orientation in QUARTER_TURNS else "RGB",
            min_width=min(long_edge, header.width) if landscape else 0,
            min_height=0 if landscape else min(long_edge, header.height),
            strict=False,  # as libvips: damaged data is decoded, truncation is refused
        )
    except ValueError:
        return None  # libvips decodes it, or says what is wrong


def _turned(pixels: np.ndarray, turns: int) -> np.ndarray:
    """RGBX pixels turned a quarter (``numpy.rot90``'s k), copied as 32-bit words tile by
    tile: four times quicker than copying the turned view whole, byte by byte."""
    height, width, _bands = pixels.shape
    view = np.rot90(pixels.view(np.uint32).reshape(height, width), turns)
    turned = np.empty((width, height), np.uint32)
    for row in range(0, width, TILE):
        for column in range(0, height, TILE):
            turned[row : row + TILE, column : column + TILE] = view[
                row : row + TILE, column : column + TILE
            ]
    return turned.view(np.uint8).reshape(width, height, 4)


def _image(pixels: np.ndarray) -> pyvips.Image:
    """sRGB pixels (height × width × 3, or 4 with a spare byte, which libjpeg-turbo sets
    to 0xFF: opaque) seen by libvips, without a copy."""
    height, width, bands = pixels.shape
    image = pyvips.Image.new_from_memory(pixels.data, width, height, bands, "uchar")
    return image.copy(interpretation="srgb")


def _pixels(image: pyvips.Image) -> np.ndarray:
    """An image computed into memory, as pixels (height × width × bands, uint8)."""
    return np.ndarray(
        buffer=image.write_to_memory(),
        dtype=np.uint8,
        shape=(image.height, image.width, image.bands),
    )


def _fit(image: pyvips.Image, long_edge: int) -> pyvips.Image:
    """Shrunk to ``long_edge`` (never enlarged) by a triangle filter as wide as the shrink
    (antialiased at any scale, and quick)."""
    scale = long_edge / max(image.width, image.height)
    if scale >= 1:
        return image
    return image.resize(scale, kernel="linear", gap=0)


def _srgb8(image: pyvips.Image) -> pyvips.Image:
    """sRGB, 8 bits, three bands: an embedded profile applied, CMYK and 16-bit converted,
    alpha flattened on white."""
    if image.interpretation == "cmyk":
        image = image.icc_transform("srgb", input_profile="cmyk")
    elif _foreign_profile(image):
        image = image.icc_transform("srgb", embedded=True)
    if image.hasalpha():
        maximum = 65535 if image.format == "ushort" else 255
        image = image.flatten(background=[maximum] * (image.bands - 1))
    image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    if image.bands > 3:
        image = image.extract_band(0, n=3)
    return image


def _foreign_profile(image: pyvips.Image) -> bytes | None:
    """The embedded ICC profile unless it is sRGB's own (which would change nothing, at
    the cost of a colour transform of every pixel); a profile LittleCMS cannot read is
    returned too, for libvips to apply or refuse."""
    if not image.get_typeof("icc-profile-data"):
        return None
    profile = image.get("icc-profile-data")
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    except (OSError, ImageCms.PyCMSError):
        return profile
    return None if description.strip().lower().startswith("srgb") else profile


def _jpeg(pixels: np.ndarray) -> bytes:
    """A JPEG with no metadata at all (no EXIF, GPS, XMP, ICC profile or comment): JFIF,
    4:2:0, Huffman tables not optimised (14–17% larger, a third of the encoding time)."""
    colours = "RGBX" if pixels.shape[2] == 4 else "RGB"
    return simplejpeg.encode_jpeg(pixels, JPEG_QUALITY, colours, colorsubsampling="420")


def perceptual_hash(image: pyvips.Image) -> str:
    """pHash (64 bits, 16 hex digits) of an image, via imagehash on a grey copy."""
    grey = image.extract_band(0, n=3).colourspace("b-w")  # a spare fourth byte is no alpha
    grey = grey.thumbnail_image(128, height=128, size="force")
    return str(imagehash.phash(Image.fromarray(_pixels(grey)[:, :, 0])))


# --- duplicates --------------------------------------------------------------------------------

NEAR_DUPLICATE_BITS = 10  # pHash Hamming distance at or below which two photos are one


class DuplicateIndex:
    """Stored photos' fingerprints, answering "which are exact or near duplicates of this?"

    Exact: the same SHA-256. Near: perceptual hashes within ``threshold`` bits (default 10
    of 64: resized, recompressed, lightly cropped or brightened copies stay within it,
    distinct photos fall far outside). The hashes live in one numpy array; a query XORs it
    with the hash and counts bits — exact, and a few milliseconds for a million photos.
    """

    def __init__(self, threshold: int = NEAR_DUPLICATE_BITS):
        self.threshold = threshold
        self._keys: list[str] = []
        self._hashes = np.zeros(1024, dtype=np.uint64)
        self._by_sha: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str, phash: str, sha256: str = "") -> None:
        if len(self._keys) == len(self._hashes):
            self._hashes = np.concatenate([self._hashes, np.zeros_like(self._hashes)])
        self._hashes[len(self._keys)] = np.uint64(int(phash, 16))
        self._keys.append(key)
        if sha256:
            self._by_sha.setdefault(sha256, []).append(key)

    def add_many(self, keys: list[str], phashes: np.ndarray) -> None:
        """Bulk load (``phashes`` as uint64)."""
        need = len(self._keys) + len(keys)
        if need > len(self._hashes):
            grown = np.zeros(max(need, 2 * len(self._hashes)), dtype=np.uint64)
            grown[: len(self._keys)] = self._hashes[: len(self._keys)]
            self._hashes = grown
        self._hashes[len(self._keys) : need] = phashes
        self._keys.extend(keys)

    def query(self, phash: str, sha256: str = "") -> list[tuple[str, int]]:
        """(key, distance) of every stored photo within the threshold, nearest first;
        exact byte-for-byte copies (same SHA-256) come first with distance 0."""
        exact = list(self._by_sha.get(sha256, [])) if sha256 else []
        stored = self._hashes[: len(self._keys)]
        distance = np.bitwise_count(stored ^ np.uint64(int(phash, 16)))
        near = np.flatnonzero(distance <= self.threshold)
        near = near[np.argsort(distance[near], kind="stable")]
        found = [(key, 0) for key in exact]
        seen = set(exact)
        for index in near.tolist():
            key = self._keys[index]
            if key not in seen:
                found.append((key, int(distance[index])))
        return found
