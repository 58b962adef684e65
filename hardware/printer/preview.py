"""Print the example receipts on the simulated printer, to look at them.

    python -m hardware.printer.preview OUT_DIR [--width 384]

writes ``OUT_DIR/<reference>.png`` (and ``.bin``) for each example in
:mod:`hardware.printer.examples` and prints the PNG paths.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hardware.printer.examples import EXAMPLES
from hardware.printer.layout import WIDTH_58MM, WIDTH_80MM
from hardware.printer.simulated import SimulatedPrinter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardware.printer.preview")
    parser.add_argument("out", type=Path, help="directory for the spool files")
    parser.add_argument("--width", type=int, choices=[WIDTH_80MM, WIDTH_58MM], default=WIDTH_80MM)
    args = parser.parse_args(argv)
    printer = SimulatedPrinter(args.out, width=args.width)
    for language, receipt in EXAMPLES.items():
        fault = printer.print_receipt(receipt)
        if fault is not None:
            print(f"{language}: {fault.code}: {fault.detail}", file=sys.stderr)
            return 1
        print(args.out / f"{receipt.reference}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
