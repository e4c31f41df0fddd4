"""The Spark twins of ``readers.text_source_sql`` / ``parquet_source_sql``: Spark SQL
queries that split, validate and normalise flow-log records, and the aggregation into the
pair table of ``engine_duckdb`` (same columns, same meaning). They are SQL text over a
relation of lines or rows, so a scan of many formats is one statement: Spark parses and
plans it once, and reads every file in one job.

Text follows docs/architecture.md "Flow-log semantics" as the DuckDB reader applies it:

- fields are split on single spaces; empty lines are skipped (DuckDB skips them too);
- *rejected* lines — field count differs from the header, not UTF-8, or a numeric field
  other than ``bytes`` is not an integer — count as records and as malformed and never reach
  the pair keys (DuckDB's reader refuses them into ``reject_errors``);
- *not ok* lines — ``bytes`` fails the strict check, or a numeric field is negative — keep
  their keys and count as malformed (DuckDB's ``ok`` column).

Spark's text reader has no header option and no line numbers, so every line is read,
header lines included; each file's header is the one line that equals the header text,
and the engine subtracts one per file after the aggregation (a repeated header mid-file is a
record for DuckDB, and stays one here).

Numeric fields are cast once; a text that is exactly its number's own spelling (almost all
of them) takes that number without the rules' checks, which only they can pass anyway
(``_canonical``); any other spelling is judged by the rules themselves. ``bytes`` is summed
in two BIGINT parts (Spark's DECIMAL sums are slow); DuckDB adds them up.

Where the rule is DuckDB's own lenient BIGINT parser (``1.5``, ``1e3``, ``0x10``, ``1_000``,
tab padding in numeric fields other than ``bytes``), Spark accepts only an optionally signed
run of digits that fits in 64 bits and counts the other spellings as malformed. AWS writes none
of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vpcpath.flows.fields import ACCEPTED_SQL, USED_COLUMNS, column_name, is_numeric
from vpcpath.flows.readers import ORIGIN_COLUMNS, FileFormat, with_origin
from vpcpath.flows.scan_rules import INTEGER_TEXT, KEY_NAMES, NOT_NEGATIVE, STRICT_BYTES, render


def text_lines(spark: Any, paths: list[str]) -> Any:
    """The lines of ``paths`` (text, plain or gzip by file name): ``raw``, ``source_file``."""
    return spark.read.text(paths).selectExpr("value AS raw", "_metadata.file_name AS source_file")


def parquet_rows(spark: Any, paths: list[str]) -> Any:
    """The rows of ``paths``, with ``source_file`` and ``row_number`` (from 1)."""
    return (
        spark.read.option("mergeSchema", "true")
        .parquet(*paths)
        .selectExpr(
            "*", "_metadata.file_name AS source_file", "_metadata.row_index + 1 AS row_number"
        )
    )


def _value(index: int) -> str:
    return f"nullif(try_element_at(parts, {index + 1}), '-')"


def _integer(raw: str) -> str:
    return render(INTEGER_TEXT, raw, "spark")


def _canonical(text: str, number: str) -> str:
    """True when ``text`` is exactly how ``number`` (``TRY_CAST(text AS BIGINT)``) prints:
    then the rules' checks hold without running them. Spark's cast accepts an optional sign
    and digits with blanks or control characters around them, so such a text holds at
    least the number's digits; a non-negative number's text of exactly that many bytes is
    the number itself. Two comparisons instead of printing the number back; NULL (not
    known) for anything else, which then takes the rules' own check."""
    return f"{number} >= element_at({_LEAST}, octet_length({text}))"


# The smallest number of each length in digits (1 to 19), a constant Spark folds once.
_LEAST = f"array(0, {', '.join(str(10**n) for n in range(1, 19))})"


def _checked_integer(text: str, number: str) -> str:
    """``INTEGER_TEXT`` of ``text``, skipped when ``_canonical``."""
    return f"CASE WHEN {_canonical(text, number)} THEN {number} ELSE {_integer(text)} END"


def _null(sql_type: str) -> str:
    return f"CAST(NULL AS {'BIGINT' if sql_type == 'BIGINT' else 'STRING'})"


# Files of several origins read together (``engine_spark``): the origin's number starts each
# file's name; ``Origins`` maps it to that origin (``FileFormat.origin``).
ORIGIN_ID = "substring_index(source_file, '-', 1)"
Origins = Mapping[str, tuple[tuple[str, str], ...]]


def _origin(
    fmt: FileFormat, column: str, value: str | None, origins: Origins | None, header: str
) -> str:
    """``readers.with_origin`` for one format or, with ``origins``, for files of several:
    each line's fallback is its own file's origin (none for a header line, ``header``)."""
    found = sorted(
        (oid, dict(o)[column]) for oid, o in (origins or {}).items() if column in dict(o)
    )
    if not found:
        return with_origin(fmt, column, value)
    entries = ", ".join(f"'{_escape(oid)}', '{_escape(v)}'" for oid, v in found)
    lookup = f"CASE WHEN NOT {header} THEN try_element_at(map({entries}), {ORIGIN_ID}) END"
    return with_origin(fmt, column, value, lookup)


def text_records_sql(fmt: FileFormat, lines: str, *, origins: Origins | None = None) -> str:
    """One row per non-empty line of the relation ``lines`` (``text_lines``); ``origins``:
    the files are of several origins (``fmt`` then has none)."""
    n = len(fmt.fields)
    header = " ".join(fmt.fields)
    index = {f: i for i, f in enumerate(fmt.fields)}
    numeric = [i for i, f in enumerate(fmt.fields) if is_numeric(f) and f != "bytes"]
    # One step per stage of the work, each naming what the next reads: every field is cut
    # out, parsed and checked once per line (Spark keeps a costly expression that is read
    # twice in its own projection instead of repeating it).
    split = f"SELECT raw, source_file, split(raw, ' ', -1) AS parts FROM {lines} WHERE raw <> ''"
    fields = ", ".join(f"{_value(i)} AS v{i}" for i in range(n))
    values = f"SELECT raw, source_file, size(parts) AS n_fields, {fields} FROM ({split})"
    numbered = [*numeric, *([index["bytes"]] if "bytes" in index else [])]
    casts = "".join(f", TRY_CAST(v{i} AS BIGINT) AS t{i}" for i in numbered)
    cast = f"SELECT *{casts} FROM ({values})"
    numbers = "".join(f", {_checked_integer(f'v{i}', f't{i}')} AS n{i}" for i in numeric)
    parsed = f"SELECT *{numbers} FROM ({cast})"
    casts = " AND ".join(f"(v{i} IS NULL OR n{i} IS NOT NULL)" for i in numeric) or "true"
    signs = " AND ".join(render(NOT_NEGATIVE, f"n{i}", "spark") for i in numeric) or "true"
    is_header = f"raw = '{_escape(header)}'" if fmt.header else "false"
    checked = (
        f"SELECT *, is_valid_utf8(raw) AS utf8_ok, {casts} AS cast_ok, {signs} AS sign_ok,"
        f" {is_header} AS is_header FROM ({parsed})"
    )
    bytes_raw = f"v{index['bytes']}" if "bytes" in index else "CAST(NULL AS STRING)"
    judged = (
        f"SELECT *, NOT (n_fields = {n} AND utf8_ok AND cast_ok) AS rejected,"
        f" {bytes_raw} AS bytes_raw FROM ({checked})"
    )
    select = []
    for col in USED_COLUMNS:
        i = index.get(col.field)
        if col.name in ORIGIN_COLUMNS:
            value = _origin(fmt, col.name, None if i is None else f"v{i}", origins, "is_header")
        elif i is None:
            value = _null(col.sql_type)
        elif col.field == "bytes":
            value = f"t{i}"  # every ok line's bytes fits in a BIGINT (STRICT_BYTES)
        else:
            value = f"n{i}" if col.sql_type == "BIGINT" else f"v{i}"
        select.append(f"{value} AS `{col.name}`")
    bytes_ok = "true"
    if "bytes" in index:
        strict = render(STRICT_BYTES, "bytes_raw", "spark")
        known = _canonical("bytes_raw", f"t{index['bytes']}")
        bytes_ok = f"(CASE WHEN {known} THEN true ELSE {strict} END)"
    reason = (
        f"CASE WHEN n_fields > {n} THEN 'more' WHEN n_fields < {n} THEN 'fewer'"
        " WHEN NOT utf8_ok THEN 'utf8' WHEN NOT cast_ok THEN 'cast'"
        f" WHEN NOT {bytes_ok} THEN 'bytes' WHEN NOT sign_ok THEN 'negative' END"
    )
    return (
        f"SELECT {', '.join(select)}, rejected, NOT rejected AND {bytes_ok} AND sign_ok AS ok,"
        f" is_header, {reason} AS reason, source_file, CAST(raw AS BINARY) AS raw,"
        f" CAST(NULL AS BIGINT) AS row_number FROM ({judged})"
    )


def parquet_records_sql(fmt: FileFormat, rows: str, *, origins: Origins | None = None) -> str:
    """One row per row of the relation ``rows`` (``parquet_rows``), typed like
    ``readers.parquet_source_sql`` types it; ``origins`` as in ``text_records_sql``."""
    present = set(fmt.fields)
    select = []
    for col in USED_COLUMNS:
        raw = f"nullif(CAST(`{col.name}` AS STRING), '-')"
        if col.name in ORIGIN_COLUMNS:
            value = _origin(fmt, col.name, raw if col.field in present else None, origins, "false")
        elif col.field not in present:
            value = _null(col.sql_type)
        elif col.field == "bytes" or col.sql_type == "BIGINT":
            value = _integer(raw)
        else:
            value = raw
        select.append(f"{value} AS `{col.name}`")
    checks = ["true"]
    for name in fmt.fields:
        if is_numeric(name):
            raw = f"nullif(CAST(`{column_name(name)}` AS STRING), '-')"
            checks.append(f"({raw} IS NULL OR {_integer(raw)} IS NOT NULL)")
    values = ", ".join(f"coalesce(CAST(`{column_name(n)}` AS STRING), '-')" for n in fmt.fields)
    return (
        f"SELECT {', '.join(select)}, false AS rejected,"
        f" coalesce({' AND '.join(checks)}, false) AS ok, false AS is_header,"
        " 'parquet' AS reason, source_file,"
        f" CAST(concat_ws(' ', {values}) AS BINARY) AS raw, row_number FROM {rows}"
    )


def pair_table_sql(records: str) -> str:
    """``engine_duckdb``'s pair columns, grouped by the pair keys (rejected lines by file),
    with the columns the engine needs to finish the pairs in DuckDB.

    ``records`` (a query of ``*_records_sql`` rows) also holds ``batch`` (which format of the
    scan it came from) and ``headers`` (how many header lines that batch holds: one per
    text file with a header). Extra columns: ``rejected`` (a group of lines the reader
    refused, one per file), ``header_lines`` / ``bad_header_lines`` (header lines in the
    group, and those not ok). The running totals hold only numbers, so Spark hashes every
    record into them (a text or struct minimum would make it sort every record). A
    malformed line's file (``bad_file``) and, unless it is a header, its text, reason and row
    (``ex_*``) are part of its key instead: the few malformed lines get groups of their own,
    which the engine folds into one row per pair, keeping the smallest
    ``(file, raw, reason, row)`` as the example.
    """
    keys = ", ".join(f"CASE WHEN NOT rejected THEN `{k}` END AS `{k}`" for k in KEY_NAMES)
    shown = "NOT ok AND NOT is_header"
    lines = (
        f"SELECT {keys}, rejected, CASE WHEN rejected THEN source_file END AS rejected_file,"
        " batch, headers, CASE WHEN NOT ok THEN source_file END AS bad_file,"
        f" CASE WHEN {shown} THEN raw END AS ex_raw,"
        f" CASE WHEN {shown} THEN reason END AS ex_reason,"
        f" CASE WHEN {shown} THEN row_number END AS ex_row,"
        f" bytes, ok, action, log_status, start, `end`, is_header FROM ({records})"
    )
    groups = ", ".join(
        f"`{c}`" for c in (*KEY_NAMES, "rejected", "rejected_file", "batch", "headers", "bad_file")
    )
    return (
        f"SELECT {groups}, ex_raw, ex_reason, ex_row, {', '.join(_TOTALS)}"
        f" FROM ({lines}) GROUP BY {groups}, ex_raw, ex_reason, ex_row"
    )


# The totals of each row of the JVM parser (``FlowLines.TOTALS``).
_PARSED_TOTALS = "bytes_high, bytes_low, accepted, records, nodata, skipdata, first_start, last_end"


def parsed_pairs_sql(
    fmt: FileFormat, rows: str, *, batch: int, headers: int, origins: Origins | None = None
) -> str:
    """``pair_table_sql``'s columns, in its order, for the pairs the JVM parser summed
    (``spark_jvm``; the relation ``rows``, whose ``source_file`` is the origin number of the
    pair's files when ``origins`` is given): every such line is ok, not refused, no header."""
    keys = []
    for col in USED_COLUMNS:
        if col.name not in KEY_NAMES:
            continue
        value = f"`{col.name}`"
        if col.name in ORIGIN_COLUMNS:
            present = col.field in fmt.fields
            value = _origin(fmt, col.name, value if present else None, origins, "false")
        keys.append(f"{value} AS `{col.name}`")
    names = ", ".join(f"`{k}`" for k in KEY_NAMES)
    zero = "CAST(0 AS BIGINT)"
    return (
        f"SELECT {names}, false AS rejected, CAST(NULL AS STRING) AS rejected_file,"
        f" {batch} AS batch, {headers} AS headers, CAST(NULL AS STRING) AS bad_file,"
        " CAST(NULL AS BINARY) AS ex_raw, CAST(NULL AS STRING) AS ex_reason,"
        " CAST(NULL AS BIGINT) AS ex_row, sum(bytes_high) AS bytes_high,"
        " sum(bytes_low) AS bytes_low, sum(accepted) AS accepted, sum(records) AS records,"
        f" {zero} AS malformed, sum(nodata) AS nodata, sum(skipdata) AS skipdata,"
        " min(first_start) AS first_start, max(last_end) AS last_end,"
        f" {zero} AS header_lines, {zero} AS bad_header_lines"
        f" FROM (SELECT {', '.join(keys)}, {_PARSED_TOTALS} FROM {rows} WHERE raw IS NULL)"
        f" GROUP BY {names}"
    )


BYTES_SPLIT = 1_000_000_000

_TOTALS = (
    # bytes in two BIGINT parts, each below 10^9 a record (DECIMAL sums are slow in Spark):
    # exact up to 9 billion records in a group; the engine adds them up in DuckDB.
    f"coalesce(sum(CASE WHEN {ACCEPTED_SQL} THEN bytes DIV {BYTES_SPLIT} END), 0) AS bytes_high",
    f"coalesce(sum(CASE WHEN {ACCEPTED_SQL} THEN bytes % {BYTES_SPLIT} END), 0) AS bytes_low",
    f"count(CASE WHEN {ACCEPTED_SQL} THEN 1 END) AS accepted",
    "count(*) AS records",
    "count(CASE WHEN NOT ok THEN 1 END) AS malformed",
    "count(CASE WHEN ok AND log_status = 'NODATA' THEN 1 END) AS nodata",
    "count(CASE WHEN ok AND log_status = 'SKIPDATA' THEN 1 END) AS skipdata",
    "min(CASE WHEN ok THEN start END) AS first_start",
    "max(CASE WHEN ok THEN `end` END) AS last_end",
    "count(CASE WHEN is_header THEN 1 END) AS header_lines",
    "count(CASE WHEN is_header AND NOT ok THEN 1 END) AS bad_header_lines",
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
