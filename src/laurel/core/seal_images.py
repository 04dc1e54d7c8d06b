"""An issuing body's seal (公章) for its certificates: a PNG with a transparent background,
checked by content and re-encoded.

``seal_png(data, filename)`` checks the bytes as every uploaded photo is checked
(``core.photos.photo_check``: size, signature, header-only pixel limit, the file's structure
and what follows it) with the seal's own limits — PNG only, at most ``MAX_BYTES`` and
``MAX_PIXELS`` —, then decodes it once with Pillow and writes a new PNG of its pixels alone
(RGBA, the long edge at most ``LONG_EDGE``): no text chunk, profile or any other metadata
survives. A seal must be mostly transparent around its ink (``TRANSPARENT_SHARE`` of its
pixels): an opaque one would hide the issuer's name it is stamped over.
"""

import io
from dataclasses import dataclass

from PIL import Image

from laurel.core.photos import Limits, photo_check

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # 5000 × 5000: any scan of a seal
MIN_LONG_EDGE = 200  # px: smaller prints blurred at 40 mm
LONG_EDGE = 1200  # px kept: 40 mm at 760 dpi
TRANSPARENT_SHARE = 0.1  # a round seal in its square leaves 21% of it clear
CLEAR_BELOW = 128  # alpha under which a pixel counts as transparent

SEAL_LIMITS = Limits(
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    min_long_edge=MIN_LONG_EDGE,
    formats=frozenset({"png"}),
)


class SealRefused(ValueError):
    """The upload is no usable seal: ``code`` is a ``core.photos`` reason code or
    ``opaque``; ``reason`` the checker's sentence (in the language asked for)."""

    def __init__(self, code: str, reason: str = ""):
        super().__init__(code)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class SealImage:
    png: bytes
    width: int
    height: int


def seal_png(data: bytes, filename: str = "", *, language: str = "en") -> SealImage:
    """The seal re-encoded as a metadata-free RGBA PNG; ``SealRefused`` saying why not."""
    check = photo_check(data, filename, SEAL_LIMITS, renditions=False, language=language)
    if not check.ok:
        raise SealRefused(check.code, check.reason)
    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("RGBA")  # decodes; palette transparency becomes alpha
    image.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    alpha = image.getchannel("A")
    clear = sum(alpha.histogram()[:CLEAR_BELOW])
    if clear < TRANSPARENT_SHARE * image.width * image.height:
        raise SealRefused("opaque")
    pixels = Image.frombytes("RGBA", image.size, image.tobytes())  # nothing but the pixels
    buffer = io.BytesIO()
    pixels.save(buffer, format="PNG", optimize=True)
    return SealImage(buffer.getvalue(), pixels.width, pixels.height)
