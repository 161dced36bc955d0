"""The registry's store: SQLAlchemy models, point-in-time reads and all-or-nothing, audited writes.

Never imports Flask or the search package. Use cases, each in the caller's session (the caller
owns the transaction): ``loading.load_corpus``/``export_corpus``; ``writes.add_rule``/
``add_version``/``repeal_rule``/``put_hard_rule``; ``innovations`` (the register); ``imports``
(official texts, one transaction per file). Documents ↔ rows: ``mapping``; index updates:
``outbox``; reads: ``repository``.
"""
