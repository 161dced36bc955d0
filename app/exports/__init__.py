"""CSV and XLSX downloads for the matrix, the scoreboard and the innovations (SPEC §7 "Downloads").

Pure functions from the API result documents (the dicts ``app.harmonization`` and the innovations
service return) to bytes. Every row that shows a value names its source in columns ``rule_id``,
``version`` and ``article``. Output is deterministic: same document, same bytes (CSV: UTF-8 with
a BOM so spreadsheet programs read the Chinese correctly, CRLF row ends per RFC 4180; XLSX: fixed
document timestamps and zip entry dates).
"""

from app.exports.tables import (
    hard_rules_table,
    innovations_table,
    matrix_table,
    scoreboard_table,
)
from app.exports.wide import matrix_wide_table
from app.exports.writers import (
    hard_rules_csv,
    innovations_csv,
    innovations_xlsx,
    matrix_csv,
    matrix_wide_csv,
    matrix_wide_xlsx,
    matrix_xlsx,
    scoreboard_csv,
    scoreboard_xlsx,
    to_csv,
    to_xlsx,
)

__all__ = [
    "hard_rules_csv",
    "hard_rules_table",
    "innovations_csv",
    "innovations_table",
    "innovations_xlsx",
    "matrix_csv",
    "matrix_table",
    "matrix_wide_csv",
    "matrix_wide_table",
    "matrix_wide_xlsx",
    "matrix_xlsx",
    "scoreboard_csv",
    "scoreboard_table",
    "scoreboard_xlsx",
    "to_csv",
    "to_xlsx",
]
