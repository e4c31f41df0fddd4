"""The validation rules of a flow-log scan, written once and rendered into each engine's SQL.

DESIGN "Flow-log semantics": a record is malformed when its field count differs from its
file's header, it is not UTF-8, a numeric field holds anything but an integer or ``-``, or a
number is negative; ``bytes`` is checked strictly because it reaches the results byte for byte.
Every rule below is one SQL expression, written in DuckDB's dialect; ``render`` turns it into
Spark SQL (or Trino) with sqlglot, so the engines cannot drift apart. The reasons a malformed
line is shown with are named here, once, for every engine.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from vpcpath.flows.fields import USED_COLUMNS

# The strings that identify a flow pair: the keys of the first aggregation, in order.
KEY_NAMES: tuple[str, ...] = tuple(
    c.name
    for c in USED_COLUMNS
    if c.sql_type == "VARCHAR" and c.name not in ("action", "log_status")
)

# At most this many malformed lines are shown, with file and line number.
MAX_EXAMPLES = 5

# ``bytes``: a non-negative integer that prints back as itself (so it fits in a BIGINT; the
# cheapest exact test in DuckDB, measured: the cast is the one the sum uses, computed once),
# else a plain run of at most 18 digits (leading zeros). True or false, never NULL (a failed
# cast compares as NULL, and NULL must count as not ok).
STRICT_BYTES = (
    "({c} IS NULL OR coalesce("
    "CAST(TRY_CAST({c} AS BIGINT) AS VARCHAR) = {c} AND TRY_CAST({c} AS BIGINT) >= 0, false)"
    " OR regexp_matches({c}, '^[0-9]{{1,18}}$'))"
)
# A numeric field other than ``bytes``, once read as an integer: never negative (counts,
# ports, protocol numbers and times are not).
NOT_NEGATIVE = "({c} IS NULL OR {c} >= 0)"
# The text of a numeric field the engine parses itself (Spark; DuckDB's CSV reader parses its
# own): an optionally signed run of digits that fits in a BIGINT, else NULL. A number that
# prints back as itself is one (the common case, and cheaper to test than the pattern).
INTEGER_TEXT = (
    "CASE WHEN CAST(TRY_CAST({c} AS BIGINT) AS VARCHAR) = {c}"
    " OR regexp_matches({c}, '^[+-]?[0-9]+$') THEN TRY_CAST({c} AS BIGINT) END"
)


class Reason(StrEnum):
    """Why a line is malformed."""

    MORE = "more"
    FEWER = "fewer"
    UTF8 = "utf8"
    CAST = "cast"
    NEGATIVE = "negative"
    BYTES = "bytes"
    PARQUET = "parquet"


REASON_TEXT: dict[Reason, str] = {
    Reason.MORE: "more fields than the header names",
    Reason.FEWER: "fewer fields than the header names",
    Reason.UTF8: "not UTF-8 text",
    Reason.CAST: "a numeric field holds something other than an integer",
    Reason.NEGATIVE: "a numeric field holds a negative number",
    Reason.PARQUET: "a numeric column holds something other than an integer",
}

# DuckDB's CSV reader names the lines it refuses with its own error types.
DUCKDB_REJECTS: dict[str, Reason] = {
    "TOO MANY COLUMNS": Reason.MORE,
    "MISSING COLUMNS": Reason.FEWER,
    "CAST": Reason.CAST,
    "INVALID UNICODE": Reason.UTF8,
}


def bytes_text_ok(value: bytes) -> bool:
    """``STRICT_BYTES`` on one record's text (``-`` is missing), for finding example lines."""
    if value == b"-":
        return True
    if not value.isdigit():  # ASCII digits only
        return False
    return len(value) <= 18 or (not value.startswith(b"0") and int(value) < 1 << 63)


def plainly_negative(value: bytes) -> bool:
    """Whether a numeric field's text is a negative integer that ``NOT_NEGATIVE`` refuses: a
    ``-`` and digits, not zero, within BIGINT (else the reader refuses the line itself). Other
    spellings the reader also reads as negative numbers (``-1.5``) are not recognised here."""
    digits = value[1:]
    return value.startswith(b"-") and digits.isdigit() and 0 < int(digits) <= 1 << 63


def bytes_reason(value: str) -> str:
    """The reason shown for a line whose ``bytes`` field fails ``STRICT_BYTES``."""
    return f"bytes is {value!r}, not an integer or '-'"


def duckdb_reject_reason(error_type: str) -> str:
    reason = DUCKDB_REJECTS.get(error_type)
    return REASON_TEXT[reason] if reason is not None else error_type.lower()


@lru_cache(maxsize=32)
def _in_dialect(rule: str, dialect: str) -> str:
    if dialect == "duckdb":
        return rule
    import sqlglot  # only the Spark engine and the Athena SQL need another dialect

    # The rule over a placeholder column, so the column's own text is never re-parsed.
    text = rule.format(c=_PLACEHOLDER)
    out = sqlglot.transpile(text, read="duckdb", write=dialect)[0]
    return out.replace("{", "{{").replace("}", "}}").replace(_PLACEHOLDER, "{c}")


_PLACEHOLDER = "vpcpath_rule_column"


def render(rule: str, column: str, dialect: str = "duckdb") -> str:
    """``rule`` (one of the expressions above) applied to ``column``, in ``dialect``'s SQL.

    ``column`` is an expression of that dialect (a quoted name, a ``nullif(...)``).
    """
    return _in_dialect(rule, dialect).format(c=f"({column})" if dialect != "duckdb" else column)
