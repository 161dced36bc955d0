"""The registry's store: SQLAlchemy models, point-in-time reads and all-or-nothing, audited writes.

Never imports Flask or the search package. Use cases: ``services.load_corpus``,
``services.export_corpus``, ``services.add_rule``/``add_version``/``repeal_rule``;
reads: ``repository``.
"""
