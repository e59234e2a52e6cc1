"""The signature as Nghị định 30/2020 (Phụ lục I) draws it on a digitally signed document: the image
of the signer's handwritten signature (blue, PNG on a transparent background) between the title line
and the name, and the agency's seal image (red, at its real size) over about a third of the
signature image, on its left (issue 18 §3).

The clerk chooses the two images once; they are kept with the settings (``signing.signature_image``,
``signing.seal_image`` as base64 PNG, ``signing.seal_mm`` the seal's real diameter), never in a
report. ``look_of`` places them in the signature space the PDF writer measured
(``marks["signature"]``) and composes them into one transparent image: the signed PDF carries it
as its signature's appearance (``submission.package``), the print preview draws it where it will
be. Without images the signature keeps its text stamp.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from desktop.foundation.messages import CchcError

MM = 72 / 25.4
MAX_IMAGE_BYTES = 1024 * 1024
SIGNATURE_HEIGHT_MM = 20  # the signature image's height inside the 25 mm between title and name
SEAL_MM = (20, 60)  # seals of Vietnamese agencies are 30–42 mm across; anything outside is a typo
DPI = 300


@dataclass(frozen=True)
class Placed:
    """Where an image lands on the page, in points: page index, left, bottom, right, top."""
    page: int
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass(frozen=True)
class SignatureLook:
    signature: Placed
    seal: Placed | None
    box: Placed  # the two together: the signature field's rectangle
    image: bytes  # the two composed, PNG with transparency, covering ``box``


def checked_png(data: bytes, what: str) -> bytes:
    """The bytes of a PNG with a transparent background, or a Vietnamese refusal saying why."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_IMAGE_BYTES:
        raise CchcError("LOOK001", what=what, limit=MAX_IMAGE_BYTES // 1024)
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise CchcError("LOOK002", what=what)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise CchcError("LOOK002", what=what) from None
    if not transparent:
        raise CchcError("LOOK003", what=what)
    if width < 20 or height < 20 or width * height > 25_000_000:
        raise CchcError("LOOK004", what=what, width=width, height=height)
    return data


def images_of(signing: dict) -> tuple[bytes | None, bytes | None, float]:
    """The signature and seal images kept in the settings (None where there is none or it is
    damaged: a damaged setting falls back to the text stamp, it does not stop signing)."""
    def decoded(text: str, what: str) -> bytes | None:
        if not text:
            return None
        try:
            return checked_png(base64.b64decode(text, validate=True), what)
        except (binascii.Error, ValueError, CchcError):
            return None

    seal_mm = signing.get("seal_mm") or 36
    return (decoded(signing.get("signature_image", ""), "chữ ký"), decoded(signing.get("seal_image", ""), "con dấu"),
            float(min(max(seal_mm, SEAL_MM[0]), SEAL_MM[1])))


def widest_box(spot: tuple) -> Placed:
    """The largest rectangle ``look_of`` can give the signature field in ``spot`` (page, x1, y1, x2,
    y2), whatever the images: the spot itself, widened on the left and in height by the largest
    seal. A receiver checks the signed PDF's field against it: a signature drawn elsewhere could
    cover a figure."""
    page, x1, y1, x2, y2 = spot
    middle_y = (y1 + y2) / 2
    seal = SEAL_MM[1] * MM
    signature_left = (x1 + x2) / 2 - (x2 - x1) * 0.4  # the widest signature image: 0.8 of the spot
    return Placed(page, min(x1, signature_left - seal), min(y1, middle_y - seal / 2), x2, max(y2, middle_y + seal / 2))


PERSON, ORGANISATION = ("signature",), ("seal",)  # what each of the two signatures shows (Nghị định 30/2020)


def look_of(signing: dict, spot: tuple | None, parts: tuple[str, ...] = ("signature", "seal")) -> SignatureLook | None:
    """The images of the settings placed in ``spot`` (page, x1, y1, x2, y2: the space between the
    signer's title and name); None without a signature image or a spot. ``parts``: which of the
    two the composed image holds: both as the printed page shows them (the preview), the
    signature alone as the person's signature shows it (``PERSON``), the seal alone as the
    organisation's (``ORGANISATION``, None without a seal image)."""
    signature_png, seal_png, seal_mm = images_of(signing)
    if signature_png is None or spot is None or (parts == ORGANISATION and seal_png is None):
        return None
    from PIL import Image

    page, x1, y1, x2, y2 = spot
    with Image.open(io.BytesIO(signature_png)) as opened:
        signature_image = opened.convert("RGBA")
    height = min(SIGNATURE_HEIGHT_MM * MM, y2 - y1)
    width = min(height * signature_image.width / signature_image.height, (x2 - x1) * 0.8)
    height = width * signature_image.height / signature_image.width
    middle_x, middle_y = (x1 + x2) / 2, (y1 + y2) / 2
    signature = Placed(page, middle_x - width / 2, middle_y - height / 2, middle_x + width / 2, middle_y + height / 2)
    seal = None
    if seal_png is not None:
        diameter = seal_mm * MM
        right = signature.left + signature.width / 3  # over the left third of the signature
        seal = Placed(page, right - diameter, middle_y - diameter / 2, right, middle_y + diameter / 2)
    drawn = [(signature_image, signature)] if "signature" in parts else []
    if seal is not None and "seal" in parts:  # the seal over the signature, as a stamped paper has it
        with Image.open(io.BytesIO(seal_png)) as opened:
            drawn.append((opened.convert("RGBA"), seal))
    box = Placed(page, min(p.left for _, p in drawn), min(p.bottom for _, p in drawn), max(p.right for _, p in drawn),
                 max(p.top for _, p in drawn))
    scale = DPI / 72
    canvas = Image.new("RGBA", (max(1, round(box.width * scale)), max(1, round(box.height * scale))), (0, 0, 0, 0))
    for image, placed in drawn:
        size = (max(1, round(placed.width * scale)), max(1, round(placed.height * scale)))
        at = (round((placed.left - box.left) * scale), round((box.top - placed.top) * scale))
        canvas.alpha_composite(image.resize(size, Image.LANCZOS), at)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return SignatureLook(signature, seal, box, out.getvalue())


def seal_box(spot: tuple) -> Placed:
    """Where the organisation's signature goes without images: a seal's size over the left third
    of the spot's middle, where the seal image would be."""
    page, x1, y1, x2, y2 = spot
    diameter = 36 * MM
    middle_y = (y1 + y2) / 2
    right = (x1 + x2) / 2 - (x2 - x1) * 0.4 + (x2 - x1) * 0.8 / 3
    return Placed(page, right - diameter, middle_y - diameter / 2, right, middle_y + diameter / 2)


__all__ = ["ORGANISATION", "PERSON", "Placed", "SignatureLook", "checked_png", "images_of", "look_of", "seal_box"]
