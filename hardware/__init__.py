"""Kiosk devices: receipt printer, scanner, speech and status light.

Each kind of device has one Protocol, a simulated backend that ships with the product,
and real backends; every backend of a kind passes the same contract suite
(``tests/hardware/``). A device failure is reported as a :class:`~hardware.faults.Fault`,
never raised at the citizen. This package imports nothing else of ours.
"""
