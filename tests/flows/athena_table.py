"""The flow-log table of AWS's Athena DDL, built in DuckDB from flow-log files as Athena's
LazySimpleSerDe reads them: fields split on single spaces and matched to the table's columns
by the file's header (a custom format's table lists its fields in its own order); a number
column holds NULL for ``-`` or for text that is no number, a string column keeps ``-``; a line
with fewer fields has NULL in the rest, a line with more loses the extra ones. ``"$path"`` is
the S3 key the file would have (Athena's hidden column).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

from vpcpath.flows.athena_sql import ATHENA_COLUMNS

_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_LIMITS = {"int": 2**31, "bigint": 2**63}
_DUCKDB_TYPES = {"int": "INTEGER", "bigint": "BIGINT", "string": "VARCHAR"}


def _typed(text: str | None, kind: str) -> Any:
    if text is None or kind == "string":
        return text
    if not _INTEGER.match(text):
        return None
    value = int(text)
    return value if -_LIMITS[kind] <= value < _LIMITS[kind] else None


def serde_rows(path: Path, s3_key: str) -> list[list[Any]]:
    """The rows Athena's table shows for one gzip'd flow-log file."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        header = handle.readline().rstrip("\n").split(" ")
        lines = [line.rstrip("\n") for line in handle]
    names = [h.replace("-", "_") for h in header]
    rows = []
    for line in lines:
        values = dict(zip(names, line.split(" "), strict=False))
        rows.append([_typed(values.get(c), kind) for c, kind in ATHENA_COLUMNS] + [s3_key])
    return rows


def load_athena_table(con: Any, folder: Path, name: str = "vpc_flow_logs") -> int:
    """Create ``name`` from every ``*.log.gz`` under ``folder``; returns the row count."""
    rows: list[list[Any]] = []
    for path in sorted(folder.rglob("*.log.gz")):
        rows.extend(serde_rows(path, f"s3://flow-log-bucket/{path.relative_to(folder)}"))
    columns = [*ATHENA_COLUMNS, ("$path", "string")]
    con.execute(
        f'CREATE OR REPLACE TABLE "{name}" ('
        + ", ".join(f'"{c}" {_DUCKDB_TYPES[k]}' for c, k in columns)
        + ")"
    )
    selects = ", ".join(f"unnest(?::{_DUCKDB_TYPES[k]}[])" for _, k in columns)
    params = [[row[i] for row in rows] for i in range(len(columns))]
    con.execute(f'INSERT INTO "{name}" SELECT {selects}', params)
    return len(rows)
