"""Central: enrolls kiosks, receives their outboxes exactly once, shows staff the result.

``storage`` (schema), ``kiosks``, ``intake`` (one push, one transaction),
``submissions``, ``users``; ``api`` and ``pages`` serve them; ``app`` wires it together;
``commands`` are what the command line calls.
"""
