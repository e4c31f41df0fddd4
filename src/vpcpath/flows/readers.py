"""Flow-log file formats: the header of each file, and the SQL that reads a group of files.

Text flow logs (plain or gzip) start with a header line of field names in the flow log's
format order (VPC User Guide, "Flow log records" → "Custom format"; for S3 delivery, "Publish
flow logs to Amazon S3" → "Log file format": the first line names the fields). Parquet files
name the same fields with ``_`` for ``-`` (same page, "Parquet").

Reading, parsing and validation run inside DuckDB's CSV reader: fields are split on single
spaces, as AWS writes them and as AWS's own Athena table definition reads them
(``FIELDS TERMINATED BY ' '``), so a doubled space makes one field too many. A line is
malformed when its field count differs from its file's header or a numeric field holds
anything but an integer or ``-`` (docs/architecture.md "Flow-log semantics"); see ``text_columns``
for how
strictly each numeric field is checked, and why.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import duckdb

from vpcpath.errors import FlowLogError
from vpcpath.flows.fields import USED_COLUMNS, column_name, field_name, is_numeric
from vpcpath.flows.format_check import is_plausible_header, not_a_header
from vpcpath.flows.scan_rules import NOT_NEGATIVE, STRICT_BYTES, render

# Columns a file's S3 path can fill in (``FileFormat.origin``).
ORIGIN_COLUMNS = ("account_id", "region")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_MAX_HEADER = 64 * 1024


class Container(StrEnum):
    PLAIN = "plain"
    GZIP = "gzip"
    PARQUET = "parquet"


@dataclass(frozen=True, slots=True, kw_only=True)
class FileFormat:
    """How to read one file: its container and its fields in order (flow-log names).

    ``header``: whether line 1 names the fields (False for records without one, read with the
    fields the user named). ``origin``: ``account-id`` / ``region`` values the file's S3 path
    states (``inputs.file_origin``), used for records whose own field is missing.
    """

    container: Container
    fields: tuple[str, ...]
    header: bool = True
    origin: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        named = "" if self.header else " (no header; fields as given)"
        return f"{self.container}: {' '.join(self.fields)}{named}"


def with_origin(
    fmt: FileFormat, column: str, value: str | None, fallback: str | None = None
) -> str:
    """The SQL value of ``column`` (``value``: its expression, None when the format lacks
    it), with the file's origin in place of a missing one; Spark and DuckDB read it alike.
    An ENI created by an AWS service may be logged with ``account-id`` ``unknown`` (VPC User
    Guide, "Flow log records" → "Available fields"): that is a missing value too.
    ``fallback``: an expression giving each record its own file's origin, for files of
    several origins read together (``fmt`` then has none).
    """
    if fallback is None:
        known = dict(fmt.origin).get(column)
        fallback = None if known is None else string_literal(known)
    if column == "account_id" and value is not None:
        value = f"nullif({value}, 'unknown')"
    if fallback is None:
        return value if value is not None else "CAST(NULL AS STRING)"  # DuckDB and Spark
    return fallback if value is None else f"coalesce({value}, {fallback})"


# Files of several origins read in one statement: path → that file's ``FileFormat.origin``.
FileOrigins = Mapping[str, tuple[tuple[str, str], ...]]


def origin_columns(origins: FileOrigins | None) -> tuple[str, ...]:
    """The origin columns some file of ``origins`` states, in ``ORIGIN_COLUMNS`` order."""
    stated = {column for origin in (origins or {}).values() for column, _ in origin}
    return tuple(c for c in ORIGIN_COLUMNS if c in stated)


def _origin_join(origins: FileOrigins) -> str:
    """A join giving each record (by its ``filename``) its file's origin as ``o_<column>``."""

    def row(path: str, origin: tuple[tuple[str, str], ...]) -> str:
        known = dict(origin)
        cells = [string_literal(path)] + [
            string_literal(known[c]) if c in known else "CAST(NULL AS VARCHAR)"
            for c in ORIGIN_COLUMNS
        ]
        return f"({', '.join(cells)})"

    rows = ", ".join(row(path, origin) for path, origin in sorted(origins.items()))
    names = ", ".join(["o_file", *(f"o_{c}" for c in ORIGIN_COLUMNS)])
    return f" LEFT JOIN (VALUES {rows}) AS o({names}) ON o.o_file = filename"


def _origin_value(
    fmt: FileFormat, column: str, value: str | None, origins: FileOrigins | None
) -> str:
    stated = column in origin_columns(origins)
    return with_origin(fmt, column, value, f"o_{column}" if stated else None)


def origin_constants(fmt: FileFormat) -> dict[str, str]:
    """The columns whose value is the same for every record of ``fmt``: an origin column
    (``account_id``, ``region``) the records lack, which the file's S3 path supplies
    (``with_origin``); column name → its SQL literal."""
    return {
        column: with_origin(fmt, column, None)
        for column, _ in fmt.origin
        if column in ORIGIN_COLUMNS and field_name(column) not in fmt.fields
    }


def sniff_container(path: Path, location: str) -> Container:
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise FlowLogError(f"{location}: cannot read ({exc.strerror})") from exc
    if magic[:2] == b"\x1f\x8b":
        return Container.GZIP
    if magic == b"PAR1":
        return Container.PARQUET
    return Container.PLAIN


def header_fields(line: str) -> tuple[str, ...] | None:
    """The field names of a header line, or None when the line is not one."""
    text = line.rstrip("\r\n")
    names = tuple(text.split(" "))
    if not text or not all(_FIELD_NAME.match(n) for n in names):
        return None
    return names if is_plausible_header(names) else None


def parse_header(line: str, location: str) -> tuple[str, ...]:
    """The field names of a header line; FlowLogError naming the file when it is not one."""
    names = header_fields(line)
    if names is None:
        raise FlowLogError(not_a_header(location, line))
    return check_fields(names, location)


def check_fields(names: tuple[str, ...], location: str) -> tuple[str, ...]:
    if len(set(names)) != len(names):
        raise FlowLogError(f"{location}: the header names a field twice ({' '.join(names)!r})")
    return names


def parse_fields_option(text: str) -> tuple[str, ...]:
    """``--fields``: field names separated by spaces (or commas), or ``default``."""
    from vpcpath.errors import UsageError
    from vpcpath.flows.fields import DEFAULT_FORMAT

    if text.strip() == "default":
        return DEFAULT_FORMAT
    names = tuple(n for n in re.split(r"[\s,]+", text.strip()) if n)
    bad = [n for n in names if not _FIELD_NAME.match(n)]
    if not names or bad or not is_plausible_header(names):
        raise UsageError(
            f"--fields {text!r}: expected flow-log field names in the records' order, such as "
            "'version account-id interface-id srcaddr dstaddr …', or default"
        )
    if len(set(names)) != len(names):
        raise UsageError(f"--fields {text!r}: names a field twice")
    return names


def read_first_line(path: Path, container: Container, location: str) -> str:
    try:
        if container is Container.GZIP:
            with gzip.open(path, "rb") as handle:
                raw = handle.readline(_MAX_HEADER)
        else:
            with path.open("rb") as handle:
                raw = handle.readline(_MAX_HEADER)
    except (OSError, EOFError, zlib.error) as exc:
        raise FlowLogError(f"{location}: cannot read the header line: {exc}") from exc
    if not raw:
        raise FlowLogError(f"{location}: empty file, no header line")
    if not raw.endswith(b"\n") and len(raw) >= _MAX_HEADER:
        raise FlowLogError(f"{location}: the first line is not a header (no end of line)")
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise FlowLogError(f"{location}: the header line is not text ({exc})") from exc


def parquet_fields(columns: Sequence[str], location: str) -> tuple[str, ...]:
    names = tuple(field_name(c) for c in columns)
    if not names or not all(_FIELD_NAME.match(n) for n in names):
        raise FlowLogError(f"{location}: Parquet columns are not flow-log fields ({columns!r})")
    return names


def read_format(
    path: Path, location: str, *, con: Any = None, fields: tuple[str, ...] | None = None
) -> FileFormat:
    """The container and fields of one local file; FlowLogError naming it when unreadable.

    ``con``: a DuckDB connection to read Parquet schemas with (one is opened when omitted).
    ``fields``: the fields of text files that have no header line (``--fields``); a file with
    a header is read by its header.
    """
    container = sniff_container(path, location)
    if container is not Container.PARQUET:
        line = read_first_line(path, container, location)
        names = header_fields(line)
        if names is not None:
            return FileFormat(container=container, fields=check_fields(names, location))
        if fields is None or line.lstrip().startswith("{"):
            raise FlowLogError(not_a_header(location, line))
        return FileFormat(container=container, fields=fields, header=False)
    own = con is None
    con = duckdb.connect(":memory:") if own else con
    try:
        rows = con.execute(
            "SELECT name FROM parquet_schema(?) WHERE coalesce(num_children, 0) = 0",
            [str(path)],
        ).fetchall()
    except duckdb.Error as exc:
        raise FlowLogError(f"{location}: cannot read the Parquet schema: {exc}") from exc
    finally:
        if own:
            con.close()
    columns = [str(row[0]) for row in rows]
    return FileFormat(container=container, fields=parquet_fields(columns, location))


def string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def file_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(string_literal(str(p)) for p in paths) + "]"


def text_columns(fmt: FileFormat) -> dict[str, str]:
    """The reader's column types. Numeric fields other than ``bytes`` are parsed by DuckDB's
    CSV reader as BIGINT: text that is no number at all is rejected (and counted as malformed,
    with its line number); DuckDB also accepts spellings AWS never writes (``1.5``, ``1e3``,
    ``0x10``, ``+7``) in those fields, which feed nothing but the time window. A strict check
    of every numeric field doubled the scan time (measured; see benchmarks/README.md), a
    strict check of ``bytes`` alone costs a few percent.
    """
    return {
        column_name(name): "BIGINT" if is_numeric(name) and name != "bytes" else "VARCHAR"
        for name in fmt.fields
    }


def text_source_sql(
    fmt: FileFormat, paths: Sequence[Path], origins: FileOrigins | None = None
) -> str:
    """SELECT of the normalised columns (and ``ok``) for text files that share ``fmt``
    (``origins``: files of several origins, each record given its own file's).

    Lines whose field count differs from the header never reach the SELECT: DuckDB's reader
    rejects them into its ``reject_errors`` table (with file and line), and the engine counts
    them there.
    """
    present = set(fmt.fields)
    select: list[str] = []
    for col in USED_COLUMNS:
        if col.name in ORIGIN_COLUMNS:
            value = f'"{col.name}"' if col.field in present else None
            select.append(f"{_origin_value(fmt, col.name, value, origins)} AS {col.name}")
        elif col.field not in present:
            select.append(f"NULL::{col.sql_type} AS {col.name}")
        elif col.field == "bytes":
            select.append("TRY_CAST(bytes AS BIGINT) AS bytes")
        else:
            select.append(f'"{col.name}"')
    # DuckDB parses only the columns a query uses: naming every numeric column here makes it
    # check them all (a value that is no number rejects the line). Flow-log numbers — counts,
    # ports, protocol numbers, times — are never negative.
    checks = [render(STRICT_BYTES, "bytes")] if "bytes" in present else []
    checks += [
        render(NOT_NEGATIVE, f'"{column_name(n)}"')
        for n in fmt.fields
        if is_numeric(n) and n != "bytes"
    ]
    # coalesce: a failed cast compares as NULL, and NULL must count as not ok.
    select.append(f"coalesce({' AND '.join(checks) or 'true'}, false) AS ok")
    # The file of each row costs nothing (a constant per file) and names where the rows the
    # check refused came from, so finding their line numbers needs no second pass.
    select.append("filename AS source_file")
    types = ", ".join(f"'{name}': '{kind}'" for name, kind in text_columns(fmt).items())
    compression = "gzip" if fmt.container is Container.GZIP else "none"
    reader = (
        f"read_csv({file_list(paths)}, delim=' ', header={str(fmt.header).lower()}, quote='',"
        " escape='',"
        f" nullstr='-', columns={{{types}}}, auto_detect=false, compression='{compression}',"
        # Hive-style folders (year=2024/…) are AWS's layout, not columns of the records.
        " ignore_errors=true, store_rejects=true, filename=true, hive_partitioning=false)"
    )
    join = _origin_join(origins) if origins else ""
    return f"SELECT {', '.join(select)} FROM {reader}{join}"


def parquet_source_sql(
    fmt: FileFormat,
    paths: Sequence[Path],
    *,
    examples: bool = False,
    origins: FileOrigins | None = None,
) -> str:
    """SELECT of the normalised columns (and ``ok``) for Parquet files with ``fmt``'s columns.

    Parquet values are typed already (AWS writes INT_32/INT_64 for the numeric fields); a file
    whose numeric column holds text must still hold integers there, and ``-`` (written by some
    converters) is read as missing.
    """
    present = set(fmt.fields)
    select: list[str] = []
    for col in USED_COLUMNS:
        if col.name in ORIGIN_COLUMNS:
            raw = f"nullif(CAST(\"{col.name}\" AS VARCHAR), '-')"
            value = _origin_value(fmt, col.name, raw if col.field in present else None, origins)
            select.append(f'{value} AS "{col.name}"')
        elif col.field not in present:
            select.append(f"NULL::{col.sql_type} AS {col.name}")
        elif col.sql_type == "BIGINT":
            select.append(
                f'TRY_CAST(nullif(CAST("{col.name}" AS VARCHAR), \'-\') AS BIGINT) AS "{col.name}"'
            )
        else:
            select.append(f'nullif(CAST("{col.name}" AS VARCHAR), \'-\') AS "{col.name}"')
    checks = ["true"]
    for name in fmt.fields:
        if is_numeric(name):
            raw = f"nullif(CAST(\"{column_name(name)}\" AS VARCHAR), '-')"
            checks.append(f"({raw} IS NULL OR TRY_CAST({raw} AS BIGINT) IS NOT NULL)")
    select.append("coalesce(" + " AND ".join(checks) + ", false) AS ok")
    select.append("filename AS source_file")
    if examples:
        values = ", ".join(
            f"coalesce(CAST(\"{column_name(n)}\" AS VARCHAR), '-')" for n in fmt.fields
        )
        select.extend((f"concat_ws(' ', {values}) AS raw", "file_row_number + 1 AS row_number"))
    reader = (
        f"read_parquet({file_list(paths)}, union_by_name=true, filename=true,"
        " hive_partitioning=false"
        f"{', file_row_number=true' if examples else ''})"
    )
    join = _origin_join(origins) if origins else ""
    return f"SELECT {', '.join(select)} FROM {reader}{join}"


def source_sql(fmt: FileFormat, paths: Sequence[Path], origins: FileOrigins | None = None) -> str:
    if fmt.container is Container.PARQUET:
        return parquet_source_sql(fmt, paths, origins=origins)
    return text_source_sql(fmt, paths, origins)
