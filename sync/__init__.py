"""Everything that moves data between a kiosk and central.

The folder reads in the direction data flows: ``outbox`` (kiosk side, written in the
same transaction as the data), ``protocol`` (the wire format), ``agent`` (pushes the
outbox), ``central`` (receives it, stores each change exactly once, shows it to staff).
``sync`` never imports ``kiosk``; the kiosk reaches sync only through the outbox.
"""
