"""The receipt as an image: shaped right-to-left Arabic, Latin accents, a QR code that reads."""

from __future__ import annotations

import segno
from PIL import Image, ImageOps

from hardware.printer.commands import prints_as_text
from hardware.printer.examples import ARABIC, FRENCH
from hardware.printer.layout import (
    WIDTH_58MM,
    WIDTH_80MM,
    font_path,
    qr_image,
    raqm,
    render_receipt,
)
from hardware.printer.receipt import Receipt

SHORT_LINES = [("Un", "Deux"), ("Trois", "Quatre")]
SHORT_LINES_AR = [("واحد", "اثنان"), ("ثلاثة", "أربعة")]


def _with(receipt: Receipt, **changes) -> Receipt:
    return Receipt(**{**receipt.__dict__, **changes})


def _bands(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """(left, top, right, bottom) of each run of rows with ink, top to bottom."""
    ink = ImageOps.invert(image.convert("L"))
    bands, top = [], None
    for y in range(ink.height + 1):
        row = ink.crop((0, y, ink.width, y + 1)).getbbox() if y < ink.height else None
        if row and top is None:
            top = y
        if not row and top is not None:
            box = ink.crop((0, top, ink.width, y)).getbbox()
            bands.append((box[0], top, box[2], y))
            top = None
    return bands


def test_pillow_can_shape_arabic_and_the_noto_fonts_are_installed():
    assert raqm(), "Pillow has no Raqm layout: install Debian's libfribidi0"
    for text in ("Reçu", "إيصال"):
        for bold in (False, True):
            assert font_path(text, bold).exists(), "install Debian's fonts-noto-core"


def test_arabic_mixed_with_latin_letters_uses_a_font_that_has_both():
    assert font_path("زوروا www.example.gov").name == "DejaVuSans.ttf", "install fonts-dejavu-core"
    assert font_path("زوروا ١٢٣٤", bold=True).name == "NotoSansArabic-Bold.ttf"
    assert font_path("Reçu №5").name == "NotoSans-Regular.ttf"


def test_a_receipt_is_a_black_and_white_image_as_wide_as_the_paper():
    for width in (WIDTH_80MM, WIDTH_58MM):
        image = render_receipt(FRENCH, width)
        assert (image.mode, image.width) == ("1", width)
        assert 400 < image.height < 3 * width


def test_arabic_lines_start_on_the_right_and_french_lines_on_the_left():
    width, margin = WIDTH_80MM, WIDTH_80MM // 24
    arabic = _bands(render_receipt(_with(ARABIC, lines=SHORT_LINES_AR), width))
    french = _bands(render_receipt(_with(FRENCH, lines=SHORT_LINES), width))
    right_only = [b for b in arabic if b[0] > width / 2 and b[2] > width - margin - 4]
    left_only = [b for b in french if b[2] < width / 2 and b[0] < margin + 4]
    assert len(right_only) >= 5  # service, four short lines, date
    assert len(left_only) >= 5
    assert not [b for b in arabic if b[2] < width / 2]
    assert not [b for b in french if b[0] > width / 2]


def test_arabic_letters_join():
    """Joined letters take their narrow connected forms; ZWNJ keeps them apart and wider."""
    word = "سلام"
    joined = _bands(render_receipt(_with(ARABIC, lines=[("", word)])))[-3]
    apart = _bands(render_receipt(_with(ARABIC, lines=[("", "\u200c".join(word))])))[-3]
    assert (apart[2] - apart[0]) > (joined[2] - joined[0]) * 1.2
    assert joined[2] == apart[2]  # both end at the right margin


def test_a_word_wider_than_the_paper_shrinks_instead_of_failing():
    image = render_receipt(_with(FRENCH, lines=[("Code", "X" * 120)]), WIDTH_58MM)
    assert image.width == WIDTH_58MM


def test_the_qr_code_at_the_bottom_encodes_the_receipts_qr_text():
    image = render_receipt(FRENCH)
    left, top, right, bottom = _bands(image)[-1]
    matrix = segno.make_qr(FRENCH.qr).matrix
    modules = len(matrix)
    assert abs((right - left) - (bottom - top)) <= 1 and right - left >= modules * 4
    step = (right - left) / modules
    pixels = image.convert("L").load()
    read = [
        [
            pixels[int(left + (x + 0.5) * step), int(top + (y + 0.5) * step)] == 0
            for x in range(modules)
        ]
        for y in range(modules)
    ]
    assert read == [[bool(cell) for cell in row] for row in matrix]


def test_qr_image_is_about_the_requested_size():
    assert 150 <= qr_image("K01-00042-X", 200).width <= 200


def test_only_text_the_code_page_can_print_goes_as_text():
    assert prints_as_text(FRENCH)
    assert not prints_as_text(ARABIC)
    assert prints_as_text(_with(FRENCH, service="Demande d’asile"))  # ’ prints as '
    assert prints_as_text(_with(FRENCH, submitted="21 nov. 2026, 6:10\u202fAM"))
    assert not prints_as_text(_with(FRENCH, service="Заявление"))
    assert not prints_as_text(_with(FRENCH, direction="rtl"))


def test_typography_a_code_page_lacks_is_printed_plain():
    from escpos.printer import Dummy

    from hardware.printer.commands import write_receipt

    printer = Dummy()
    write_receipt(printer, _with(FRENCH, service="Demande d’asile"), 576)
    assert b"Demande d'asile" in printer.output
