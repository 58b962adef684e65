"""Central: enrolls kiosks, receives their outboxes exactly once, shows staff the result.

``storage`` (schema), ``fleet`` (kiosks and their credentials), ``intake`` (one push,
one transaction), ``submissions``, ``staff`` (users); ``api`` and ``pages`` serve them;
``app`` wires them together. The command line calls ``fleet.add_kiosk``,
``staff.add_user`` and ``app.serve``.
"""
