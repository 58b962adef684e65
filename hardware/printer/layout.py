"""How a receipt looks on paper: a black-and-white image as wide as the print head.

Printers get this image for any receipt their code pages cannot print as text (Arabic,
and anything outside CP858); the simulated printer saves it as its preview. Text is laid
out by Pillow with Raqm (HarfBuzz shaping, FriBiDi ordering), so Arabic letters join and
run right to left. Fonts are Debian's Noto (``fonts-noto-core``), and DejaVu Sans
(``fonts-dejavu-core``) for Arabic mixed with Latin letters. Pillow's wheel carries Raqm
but loads FriBiDi from the system (Debian ``libfribidi0``).
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import segno
from PIL import Image, ImageDraw, ImageFont, ImageText, features

from hardware.printer.receipt import Receipt

WIDTH_80MM = 576  # dots across an 80 mm roll at 203 dpi
WIDTH_58MM = 384  # dots across a 58 mm roll at 203 dpi
FONTS = Path("/usr/share/fonts/truetype/noto")  # Debian fonts-noto-core
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core

Align = Literal["left", "center", "right"]
_ANCHORS = {"left": "la", "center": "ma", "right": "ra"}
# Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms-A and -B.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_SMALLEST = 10  # px: a word wider than the paper shrinks its paragraph, down to this


@dataclass(frozen=True)
class _Style:
    size: int
    bold: bool = False
    align: Align | Literal["start"] = "start"
    space_after: int = 8


def raqm() -> bool:
    """Whether Pillow can shape and order complex scripts (Arabic needs it)."""
    return bool(features.check("raqm"))


def render_receipt(receipt: Receipt, width: int = WIDTH_80MM) -> Image.Image:
    """The whole receipt as a mode ``"1"`` image ``width`` dots wide, black on white."""
    margin = width // 24
    inner = width - 2 * margin
    scale = width / WIDTH_80MM
    heading, title = _Style(round(30 * scale), True, "center"), _Style(round(28 * scale), True)
    big = _Style(round(56 * scale), True, "center", space_after=4)
    label, value = _Style(round(24 * scale), True, space_after=2), _Style(round(24 * scale))
    blocks = [
        _paragraph(receipt.heading, heading, receipt, inner),
        _paragraph(receipt.service, title, receipt, inner),
        _rule(inner),
        _paragraph(receipt.reference, big, receipt, inner, direction="ltr"),
        _rule(inner),
    ]
    for text_label, text_value in receipt.lines:
        blocks.append(_paragraph(text_label, label, receipt, inner))
        blocks.append(_paragraph(text_value, value, receipt, inner))
    blocks.append(_paragraph(receipt.submitted, _Style(round(22 * scale)), receipt, inner))
    blocks.append((qr_image(receipt.qr, inner * 2 // 5), 0))
    return _stack(blocks, width, margin)


def font_path(text: str, bold: bool = False) -> Path:
    """The font with the glyphs for ``text``: Noto Sans Arabic or Noto Sans (Latin, Greek,
    Cyrillic). Pillow has no font fallback and Noto's Arabic has no Latin letters, so text
    mixing the two (a web address in an Arabic sentence) uses DejaVu Sans, which has both.
    """
    weight = "Bold" if bold else "Regular"
    if not _ARABIC.search(text):
        return FONTS / f"NotoSans-{weight}.ttf"
    both = DEJAVU / f"DejaVuSans{'-Bold' if bold else ''}.ttf"
    if _LATIN_LETTER.search(text) and both.exists():
        return both
    return FONTS / f"NotoSansArabic-{weight}.ttf"


@lru_cache(maxsize=32)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: install Debian's fonts-noto-core")
    engine = ImageFont.Layout.RAQM if raqm() else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=engine)


def _paragraph(
    text: str, style: _Style, receipt: Receipt, inner: int, direction: str | None = None
) -> tuple[Image.Image, int]:
    """``text`` wrapped to ``inner`` dots and aligned to the reading direction's start."""
    direction = direction or receipt.direction
    align = style.align if style.align != "start" else _start(direction)
    wrapped = _wrap(text, _font(font_path(text, style.bold), style.size), inner)
    shaping = {"direction": direction, "language": receipt.language} if raqm() else {}
    where = {"left": 0, "center": inner / 2, "right": inner}[align], 0
    options: dict[str, Any] = {
        "font": wrapped.font,
        "anchor": _ANCHORS[align],
        "align": align,
        **shaping,
    }
    bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox(where, wrapped.text, **options)[3]
    image = Image.new("L", (inner, max(1, int(bottom) + 1)), 255)
    ImageDraw.Draw(image).text(where, wrapped.text, fill=0, **options)
    return image, style.space_after


def _wrap(text: str, font: ImageFont.FreeTypeFont, inner: int) -> ImageText.Text[str]:
    """``text`` broken into lines that fit, shrinking it if one word is wider than the paper."""
    wrapped = ImageText.Text(text, font)
    try:
        wrapped.wrap(inner, height=1_000_000, scaling=("shrink", _SMALLEST))
    except ValueError:  # too wide even at the smallest size: break inside the word
        small = font.font_variant(size=_SMALLEST)
        columns = max(1, int(len(text) * inner / max(1.0, small.getlength(text))))
        wrapped = ImageText.Text(textwrap.fill(text, columns), small)
    return wrapped


def _start(direction: str) -> Align:
    return "right" if direction == "rtl" else "left"


def _rule(inner: int) -> tuple[Image.Image, int]:
    image = Image.new("L", (inner, 14), 255)
    ImageDraw.Draw(image).line([(0, 6), (inner, 6)], fill=0, width=2)
    return image, 8


def qr_image(text: str, side: int) -> Image.Image:
    """``text`` as a QR code (with its quiet zone) about ``side`` dots square, via segno."""
    code = segno.make_qr(text)
    modules = code.symbol_size(scale=1)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, side // modules))
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _stack(blocks: list[tuple[Image.Image, int]], width: int, margin: int) -> Image.Image:
    height = 2 * margin + sum(image.height + space for image, space in blocks)
    page = Image.new("L", (width, height), 255)
    y = margin
    for image, space in blocks:
        page.paste(image, ((width - image.width) // 2, y))
        y += image.height + space
    return page.convert("1", dither=Image.Dither.NONE)
