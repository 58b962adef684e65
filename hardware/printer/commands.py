"""The ESC/POS commands for one receipt, shared by every backend.

Real printers and the simulated one send a receipt through :func:`write_receipt`, so the
simulated spool holds exactly the bytes a real printer receives. A Latin-script receipt
goes as text in code page CP858 with the printer's own QR command; anything a code page
cannot shape (Arabic, or any character outside CP858) goes as one raster image.
"""

from __future__ import annotations

from dataclasses import replace

from escpos.capabilities import get_profile
from escpos.escpos import Escpos

from hardware.printer.layout import WIDTH_80MM, render_receipt
from hardware.printer.receipt import Receipt

CODE_PAGE = "CP858"  # Latin-1's letters plus the euro sign; table 19 on Epson-compatibles
DOTS_PER_COLUMN = 12  # font A is 12 dots wide: 48 columns on 80 mm paper, 32 on 58 mm
DEFAULT_PROFILE = "TM-T20II"  # python-escpos profile: 80 mm, CP858, native QR, cutter


def paper_width(profile: str) -> int:
    """Dots across the paper for a python-escpos profile (80 mm when it does not say)."""
    pixels = get_profile(profile).profile_data.get("media", {}).get("width", {}).get("pixels")
    return pixels if isinstance(pixels, int) else WIDTH_80MM


#: Typography a code page lacks but whose plain form says the same (locales put a narrow
#: no-break space before "AM", French writes ’ for an apostrophe).
PLAIN = str.maketrans(
    {
        "\u202f": " ",
        "\u2009": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)


def plain(receipt: Receipt) -> Receipt:
    """``receipt`` with typographic characters a code page lacks made plain."""
    return replace(
        receipt,
        heading=receipt.heading.translate(PLAIN),
        service=receipt.service.translate(PLAIN),
        submitted=receipt.submitted.translate(PLAIN),
        lines=[(label.translate(PLAIN), value.translate(PLAIN)) for label, value in receipt.lines],
    )


def prints_as_text(receipt: Receipt) -> bool:
    """Whether the printer's own font can print every string of ``receipt``."""
    if receipt.direction != "ltr":
        return False
    try:
        for text in plain(receipt).texts():
            text.encode(CODE_PAGE.lower())
    except UnicodeEncodeError:
        return False
    return True


def write_receipt(printer: Escpos, receipt: Receipt, width: int) -> None:
    """Send ``receipt`` to ``printer`` (``width`` dots across the paper) and cut."""
    printer.hw("INIT")
    if prints_as_text(receipt):
        _write_text(printer, plain(receipt), width)
    else:
        printer.image(render_receipt(receipt, width))
    printer.cut()


def _write_text(printer: Escpos, receipt: Receipt, width: int) -> None:
    columns = width // DOTS_PER_COLUMN
    printer.charcode(CODE_PAGE)
    printer.set(align="center", bold=True)
    printer.textln(receipt.heading)
    printer.block_text(receipt.service, columns=columns)
    printer.ln()
    printer.textln("-" * columns)
    printer.set(double_width=True, double_height=True)
    printer.block_text(receipt.reference, columns=columns // 2)
    printer.ln()
    printer.set(normal_textsize=True, align="left", bold=False)
    printer.textln("-" * columns)
    for label, value in receipt.lines:
        printer.set(bold=True)
        printer.textln(label)
        printer.set(bold=False)
        printer.block_text(value, columns=columns)
        printer.ln(2)
    printer.textln(receipt.submitted)
    printer.set(align="center")
    native = bool(printer.profile.supports("qrCode"))
    printer.qr(receipt.qr, native=native, size=max(3, min(8, width // 72)))
    printer.set(align="left")
