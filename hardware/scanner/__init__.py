"""Scanner: QR codes and barcodes read from receipts and identity documents.

``open_scanner("serial:/dev/ttyACM0")`` for scanners that send lines over a serial port;
``keyboard`` for scanners that type into the browser; ``simulated`` for tests and demos.
See ``hardware/README.md``.
"""

from hardware.scanner.keyboard import KeyboardScanner
from hardware.scanner.protocol import Scanner
from hardware.scanner.serial_port import SerialScanner
from hardware.scanner.simulated import SimulatedScanner
from hardware.scanner.spec import open_scanner

__all__ = ["KeyboardScanner", "Scanner", "SerialScanner", "SimulatedScanner", "open_scanner"]
