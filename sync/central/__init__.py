"""Central: enrolls kiosks, receives their outboxes exactly once, shows staff the result.

``storage`` (schema), ``fleet`` (kiosks and their credentials), ``intake`` (one push,
one transaction), ``submissions``, ``cases`` (merged changes; ``case_types``,
``conflicts`` for staff; ``matches`` and ``duplicates`` for possible duplicates),
``staff`` (users); ``api`` and ``pages`` serve them (``reconciliation`` and
``deduplication`` the supervisors' case pages, ``labels`` how they name things);
``app`` wires them together. The command line calls ``fleet.add_kiosk``,
``staff.add_user`` and ``app.serve``.
"""
