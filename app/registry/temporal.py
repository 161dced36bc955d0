"""Point in time for the registry (SPEC §2): the names its callers use, defined once elsewhere.

"In force on D" lives in :mod:`app.corpus.validity` and the China time zone and ``today`` in
:mod:`app.corpus.dates`, pure modules every package may import (docs/decisions.md "One definition of
each domain fact"); this module only re-exports them for the registry's callers.
"""

from __future__ import annotations

from app.corpus.dates import CST, today
from app.corpus.validity import Dated, in_force, shown_version, status_on
from app.corpus.validity import intervals as validity

__all__ = ["CST", "Dated", "in_force", "shown_version", "status_on", "today", "validity"]
