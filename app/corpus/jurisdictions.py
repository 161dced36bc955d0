"""Jurisdiction codes the code itself must know: the four provinces and the national code (SPEC §1, §2, §5).

The one definition of each (docs/decisions.md "One definition of each domain fact"): the matrix's
default columns and the coverage grid of ``/stats`` are the provinces; a rule of the national
jurisdiction binds every jurisdiction. Codes are upper case; the provinces in the SPEC's order.
Every other code comes from the corpus's ``jurisdictions.yaml``.
"""

from __future__ import annotations

__all__ = ["NATIONAL", "PROVINCES"]

#: Shanghai, Jiangsu, Zhejiang, Anhui.
PROVINCES: tuple[str, ...] = ("CN-SH", "CN-JS", "CN-ZJ", "CN-AH")

#: Rules of this jurisdiction bind every jurisdiction (SPEC §2).
NATIONAL = "CN"
