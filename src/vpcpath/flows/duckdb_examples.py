"""The malformed lines the DuckDB scan shows (at most ``MAX_EXAMPLES``), with file and line.

Two kinds: lines DuckDB's CSV reader refused itself (wrong field count, a number that is no
number, not UTF-8), which it keeps with file and line in its ``reject_errors`` table; and
rows the scan's SQL check refused (``ok`` false: ``bytes`` not an integer, a negative
number), which only the scan's counts and the file names it kept point to — Python then
reads those files to number the lines (``recovery.find_malformed``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from vpcpath.flows.readers import Container, FileFormat, parquet_source_sql
from vpcpath.flows.recovery import find_malformed
from vpcpath.flows.result import MalformedLine
from vpcpath.flows.scan_engine import ScanFile, ScanState
from vpcpath.flows.scan_rules import (
    KEY_NAMES,
    MAX_EXAMPLES,
    REASON_TEXT,
    Reason,
    duckdb_reject_reason,
)


def collect_examples(
    con: Any, state: ScanState, fmt: FileFormat, files: Sequence[ScanFile]
) -> None:
    """Find the first few malformed lines of this group of files, with file and line number.

    Lines with the wrong field count (or unparseable numbers) are in DuckDB's rejects
    table already; this finds the rows the SQL check refused (``ok`` false), which only
    exist when the count says so: the scan kept their file names, Python numbers the lines.
    """
    total = con.execute("SELECT coalesce(sum(malformed), 0) FROM pairs").fetchone()[0]
    new = int(total) - state.malformed_seen
    state.malformed_seen = int(total)
    if new <= 0 or len(state.examples) >= MAX_EXAMPLES:
        return
    # The first file (by name) of each pair's malformed records in this group; a pair has
    # a row per file of them (``engine_duckdb.Engine._insert_sql``).
    names = con.execute(
        "SELECT list(DISTINCT f ORDER BY f) FROM (SELECT min(bad_file) AS f FROM pairs"
        f" WHERE list_contains(?, bad_file) GROUP BY {', '.join(KEY_NAMES)})",
        [[str(f.path) for f in files]],
    ).fetchone()[0]
    bad = [str(n) for n in names or ()]
    if fmt.container is Container.PARQUET:
        _parquet_examples(con, state, fmt, [Path(n) for n in bad])
        return
    for filename in bad:
        wanted = MAX_EXAMPLES - len(state.examples)
        if wanted <= 0:
            return
        for number, text, reason in find_malformed(
            Path(filename),
            fmt.fields,
            gzipped=fmt.container is Container.GZIP,
            limit=wanted,
            header=fmt.header,
        ):
            state.examples.append(
                MalformedLine(
                    file=state.locations.get(filename, filename),
                    line=number,
                    text=text[:300],
                    reason=reason,
                )
            )


def _parquet_examples(con: Any, state: ScanState, fmt: FileFormat, paths: Sequence[Path]) -> None:
    wanted = MAX_EXAMPLES - len(state.examples)
    if not paths or wanted <= 0:
        return
    rows = con.execute(
        f"SELECT source_file, raw, row_number FROM"
        f" ({parquet_source_sql(fmt, paths, examples=True)}) WHERE NOT ok LIMIT {wanted}"
    ).fetchall()
    for filename, raw, row_number in rows:
        state.examples.append(
            MalformedLine(
                file=state.locations.get(str(filename), str(filename)),
                line=int(row_number),
                text=str(raw)[:300],
                reason=REASON_TEXT[Reason.PARQUET],
            )
        )


def rejected_lines(con: Any, locations: Mapping[str, str]) -> tuple[int, list[MalformedLine]]:
    """How many lines DuckDB's reader refused, and the first few, with file and line."""
    try:
        # One row per error; a line with two bad fields has two.
        count = int(
            con.execute(
                "SELECT count(DISTINCT (s.file_path, e.line)) FROM reject_errors e"
                " JOIN reject_scans s USING (scan_id, file_id)"
            ).fetchone()[0]
        )
    except duckdb.Error:
        return 0, []
    rows = con.execute(
        "SELECT s.file_path, e.line, any_value(e.csv_line),"
        # A line with a field too many or too few also fails a cast: name the count.
        " arg_min(e.error_type, e.error_type NOT LIKE '%COLUMNS')"
        " FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)"
        f" GROUP BY ALL ORDER BY s.file_path, e.line LIMIT {MAX_EXAMPLES}"
    ).fetchall()
    examples = [
        MalformedLine(
            file=locations.get(str(path), str(path)),
            line=int(line),
            text=str(text)[:300],
            reason=duckdb_reject_reason(str(kind)),
        )
        for path, line, text, kind in rows
    ]
    return count, examples
