"""The Spark twins of ``readers.text_source_sql`` / ``parquet_source_sql``: Spark SQL
expressions that split, validate and normalise flow-log records, and the aggregation into
the pair table of ``engine_duckdb`` (same columns, same meaning).

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

Where the rule is DuckDB's own lenient BIGINT parser (``1.5``, ``1e3``, ``0x10``, ``1_000``,
tab padding in numeric fields other than ``bytes``), Spark accepts only an optionally signed
run of digits that fits in 64 bits and counts the other spellings as malformed. AWS writes none
of them.
"""

from __future__ import annotations

from typing import Any

from vpcpath.flows.fields import ACCEPTED_SQL, USED_COLUMNS, column_name, is_numeric
from vpcpath.flows.readers import ORIGIN_COLUMNS, FileFormat, with_origin
from vpcpath.flows.scan_rules import INTEGER_TEXT, KEY_NAMES, NOT_NEGATIVE, STRICT_BYTES, render


def _value(index: int) -> str:
    return f"nullif(try_element_at(parts, {index + 1}), '-')"


def _integer(raw: str) -> str:
    return render(INTEGER_TEXT, raw, "spark")


def text_records(spark: Any, fmt: FileFormat, paths: list[str]) -> Any:
    """One row per non-empty line of ``paths`` (text, plain or gzip by file name)."""
    n = len(fmt.fields)
    header = " ".join(fmt.fields)
    lines = (
        spark.read.text(paths)
        .selectExpr("value AS raw", "_metadata.file_name AS source_file")
        .where("raw <> ''")
        .selectExpr("*", "split(raw, ' ', -1) AS parts")
    )
    numeric = [i for i, f in enumerate(fmt.fields) if is_numeric(f) and f != "bytes"]
    casts = [f"({_value(i)} IS NULL OR {_integer(_value(i))} IS NOT NULL)" for i in numeric]
    signs = [render(NOT_NEGATIVE, _integer(_value(i)), "spark") for i in numeric]
    checked = lines.selectExpr(
        "*",
        "size(parts) AS n_fields",
        "CAST(raw AS BINARY) = encode(raw, 'UTF-8') AS utf8_ok",
        f"{' AND '.join(casts) or 'true'} AS cast_ok",
        f"{' AND '.join(signs) or 'true'} AS sign_ok",
        f"raw = '{_escape(header)}' AS is_header" if fmt.header else "false AS is_header",
    )
    checked = checked.selectExpr(
        "*",
        f"NOT (n_fields = {n} AND utf8_ok AND cast_ok) AS rejected",
    )
    select = []
    index = {f: i for i, f in enumerate(fmt.fields)}
    for col in USED_COLUMNS:
        i = index.get(col.field)
        if col.name in ORIGIN_COLUMNS:
            select.append(with_origin(fmt, col.name, None if i is None else _value(i)))
        elif i is None:
            select.append(f"CAST(NULL AS {'BIGINT' if col.sql_type == 'BIGINT' else 'STRING'})")
        elif col.field == "bytes":
            select.append(f"try_cast({_value(i)} AS DECIMAL(38,0))")
        elif col.sql_type == "BIGINT":
            select.append(_integer(_value(i)))
        else:
            select.append(_value(i))
        select[-1] += f" AS `{col.name}`"
    bytes_ok = render(STRICT_BYTES, "bytes_raw", "spark") if "bytes" in index else "true"
    bytes_raw = _value(index["bytes"]) if "bytes" in index else "CAST(NULL AS STRING)"
    reason = (
        f"CASE WHEN n_fields > {n} THEN 'more' WHEN n_fields < {n} THEN 'fewer'"
        " WHEN NOT utf8_ok THEN 'utf8' WHEN NOT cast_ok THEN 'cast'"
        f" WHEN NOT {bytes_ok} THEN 'bytes' WHEN NOT sign_ok THEN 'negative' END"
    )
    return checked.selectExpr("*", f"{bytes_raw} AS bytes_raw").selectExpr(
        *select,
        "rejected",
        f"NOT rejected AND {bytes_ok} AND sign_ok AS ok",
        "is_header",
        f"{reason} AS reason",
        "source_file",
        "CAST(raw AS BINARY) AS raw",
        "CAST(NULL AS BIGINT) AS row_number",
    )


def parquet_records(spark: Any, fmt: FileFormat, paths: list[str]) -> Any:
    """One row per Parquet row, typed like ``readers.parquet_source_sql`` types it."""
    present = set(fmt.fields)
    frame = spark.read.option("mergeSchema", "true").parquet(*paths)
    select = []
    for col in USED_COLUMNS:
        raw = f"nullif(CAST(`{col.name}` AS STRING), '-')"
        if col.name in ORIGIN_COLUMNS:
            select.append(with_origin(fmt, col.name, raw if col.field in present else None))
        elif col.field not in present:
            select.append(f"CAST(NULL AS {'BIGINT' if col.sql_type == 'BIGINT' else 'STRING'})")
        elif col.field == "bytes":
            select.append(f"CAST({_integer(raw)} AS DECIMAL(38,0))")
        elif col.sql_type == "BIGINT":
            select.append(_integer(raw))
        else:
            select.append(raw)
        select[-1] += f" AS `{col.name}`"
    checks = ["true"]
    for name in fmt.fields:
        if is_numeric(name):
            raw = f"nullif(CAST(`{column_name(name)}` AS STRING), '-')"
            checks.append(f"({raw} IS NULL OR {_integer(raw)} IS NOT NULL)")
    values = ", ".join(f"coalesce(CAST(`{column_name(n)}` AS STRING), '-')" for n in fmt.fields)
    return frame.selectExpr(
        *select,
        "false AS rejected",
        f"coalesce({' AND '.join(checks)}, false) AS ok",
        "false AS is_header",
        "'parquet' AS reason",
        "_metadata.file_name AS source_file",
        f"CAST(concat_ws(' ', {values}) AS BINARY) AS raw",
        "_metadata.row_index + 1 AS row_number",
    )


def pair_table(records: Any) -> Any:
    """``engine_duckdb``'s pair columns, grouped by the pair keys (rejected lines by file).

    Extra columns: ``rejected`` (a group of lines the reader refused, one per file),
    ``headers`` / ``bad_headers`` (header lines in the group, and those not ok) and one
    example of a malformed line per group (``ex_*``).
    """
    keys = [f"CASE WHEN NOT rejected THEN `{k}` END AS `{k}`" for k in KEY_NAMES]
    grouped = records.selectExpr(
        "*", "CASE WHEN rejected THEN source_file END AS rejected_file"
    ).selectExpr(
        *keys,
        "rejected",
        "rejected_file",
        "bytes",
        "ok",
        "action",
        "log_status",
        "start",
        "`end`",
        "is_header",
        "source_file",
        "CASE WHEN NOT ok AND NOT is_header"
        " THEN named_struct('file', source_file, 'raw', raw, 'reason', reason,"
        " 'row', row_number) END AS example",
    )
    return grouped.groupBy(*KEY_NAMES, "rejected", "rejected_file").agg(*_aggregates())


def _aggregates() -> list[Any]:
    from pyspark.sql import functions as F

    accept = ACCEPTED_SQL
    exprs = [
        f"coalesce(sum(CASE WHEN {accept} THEN bytes END), CAST(0 AS DECIMAL(38,0))) AS bytes",
        f"count(CASE WHEN {accept} THEN 1 END) AS accepted",
        "count(*) AS records",
        "count(CASE WHEN NOT ok THEN 1 END) AS malformed",
        "count(CASE WHEN ok AND log_status = 'NODATA' THEN 1 END) AS nodata",
        "count(CASE WHEN ok AND log_status = 'SKIPDATA' THEN 1 END) AS skipdata",
        "min(CASE WHEN ok THEN start END) AS first_start",
        "max(CASE WHEN ok THEN `end` END) AS last_end",
        "min(CASE WHEN NOT ok THEN source_file END) AS bad_file",
        "count(CASE WHEN is_header THEN 1 END) AS headers",
        "count(CASE WHEN is_header AND NOT ok THEN 1 END) AS bad_headers",
        "min(example) AS example",
    ]
    return [F.expr(e) for e in exprs]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
