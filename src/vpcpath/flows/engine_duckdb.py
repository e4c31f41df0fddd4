"""The scan: DuckDB reads, parses, validates and aggregates flow-log files, in process.

Why this shape:
- DuckDB streams the files through its vectorised CSV / Parquet readers on all cores (one
  thread per gzip file, since a gzip stream cannot be split) and keeps memory bounded: its
  hash aggregation spills to ``temp_directory`` beyond ``memory_limit``.
- The first aggregation groups records by the strings that identify a flow pair (ENI,
  addresses, pkt-* fields) and by what a record adds to its pair (its kind: bytes that count,
  REJECT, NODATA, SKIPDATA, malformed), so plain sums and counts suffice; only ACCEPT data
  records' bytes count (REJECT records carried no bytes anywhere). Real flow logs repeat
  each pair many times (one record per aggregation interval per connection), so every
  later step — address parsing, route and service lookups — runs per distinct pair, not per
  record.
- Files are scanned in batches, one statement per (batch, format). A statement either inserts
  all of its rows or none, so a damaged file is retried alone: a truncated gzip member is
  salvaged up to the damage (``recovery.salvage_gzip``) and the result is marked partial.
- Batches repeat pairs (a long-lived flow is in every batch). Once the table has doubled since
  the first batch or the last merge, its rows are merged by pair (``_merge_pairs``), so the
  table — and what DuckDB holds of it in memory or spills — grows with the distinct pairs,
  not with the input (measured on 20 GB: benchmarks/README.md, issue 12).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from vpcpath.errors import UsageError
from vpcpath.flows import duckdb_examples
from vpcpath.flows.fields import ACCEPTED_SQL, USED_COLUMNS
from vpcpath.flows.readers import (
    Container,
    FileFormat,
    FileOrigins,
    origin_columns,
    origin_constants,
    source_sql,
)
from vpcpath.flows.recovery import salvage_gzip
from vpcpath.flows.result import InputError, MalformedLine
from vpcpath.flows.scan_engine import (
    ProgressCallback,
    ScanFile,
    ScanState,
    ScanTotals,
    group_by_format,
)
from vpcpath.flows.scan_rules import KEY_NAMES

_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)

_KEY_COLUMNS = tuple(c for c in USED_COLUMNS if c.name in KEY_NAMES)
_KEY_NAMES = KEY_NAMES

PAIRS_DDL = (
    "CREATE TABLE IF NOT EXISTS pairs ("
    + ", ".join(f"{name} VARCHAR" for name in _KEY_NAMES)
    + ", bytes HUGEINT, accepted BIGINT, records BIGINT, malformed BIGINT, nodata BIGINT,"
    " skipdata BIGINT, first_start BIGINT, last_end BIGINT, bad_file VARCHAR)"
)
# Every value column of ``pairs`` merged over the rows of one pair, in the table's order.
# ``bad_file`` only names a file of the statement that just ran (``_collect_examples``), so
# keeping one per pair loses nothing.
_MERGED = (
    "CAST(sum(bytes) AS HUGEINT) AS bytes, CAST(sum(accepted) AS BIGINT) AS accepted,"
    " CAST(sum(records) AS BIGINT) AS records, CAST(sum(malformed) AS BIGINT) AS malformed,"
    " CAST(sum(nodata) AS BIGINT) AS nodata, CAST(sum(skipdata) AS BIGINT) AS skipdata,"
    " min(first_start) AS first_start, max(last_end) AS last_end, min(bad_file) AS bad_file"
)
# What a record adds to its pair (``_insert_sql``): malformed (not ``ok``), bytes that count
# (``ACCEPTED_SQL``), NODATA, SKIPDATA, or nothing but its count (REJECT, say).
_MALFORMED, _ACCEPTED, _NODATA, _SKIPDATA, _OTHER = range(5)
_KIND = (
    f"CASE WHEN NOT ok THEN {_MALFORMED} WHEN {ACCEPTED_SQL} THEN {_ACCEPTED}"
    f" WHEN log_status = 'NODATA' THEN {_NODATA} WHEN log_status = 'SKIPDATA' THEN {_SKIPDATA}"
    f" ELSE {_OTHER} END"
)
# The value columns of ``pairs`` from one (pair, kind) group, in the table's order.
_KIND_COLUMNS = [
    f"CASE WHEN kind = {_ACCEPTED} THEN coalesce(bytes, 0) ELSE 0 END",
    f"CASE WHEN kind = {_ACCEPTED} THEN n ELSE 0 END",
    "n",
    f"CASE WHEN kind = {_MALFORMED} THEN n ELSE 0 END",
    f"CASE WHEN kind = {_NODATA} THEN n ELSE 0 END",
    f"CASE WHEN kind = {_SKIPDATA} THEN n ELSE 0 END",
    f"CASE WHEN kind <> {_MALFORMED} THEN first_start END",
    f"CASE WHEN kind <> {_MALFORMED} THEN last_end END",
    "bad_file",
]
# Merge when the table holds at least this many rows and twice as many as after the last
# merge: each merge reads the table once, so merging costs at most about twice the inserts.
MERGE_ROWS = 1_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineOptions:
    threads: int | None = None  # None: every core
    memory_limit: str = "1GB"  # DuckDB's buffer limit; the process peaks somewhat above it
    temp_directory: Path | None = None  # where aggregation spills; None: a private temp dir


class Engine:
    """The ``ScanEngine`` on DuckDB: one connection with its settings and spill folder."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        opts = options or EngineOptions()
        if not _MEMORY.match(opts.memory_limit):
            raise UsageError(
                f"memory limit {opts.memory_limit!r}: expected a size like 1GB, 512MB or 2GiB"
            )
        self._own_temp = opts.temp_directory is None
        self.temp_dir = opts.temp_directory or Path(tempfile.mkdtemp(prefix="vpcpath-flows-"))
        try:
            self.con: Any = self._connect(opts)
        except BaseException:  # an interrupt too: the folder must not outlive the engine
            if self._own_temp:
                shutil.rmtree(self.temp_dir, ignore_errors=True)
            raise
        self._state = ScanState()
        self._merged_rows = 0  # rows in ``pairs`` after the last merge (or the first batch)

    def state(self) -> ScanTotals:
        rejected, examples = self.rejected_lines()
        return self._state.totals(rejected, examples)

    def add_errors(self, errors: Sequence[InputError]) -> None:
        self._state.errors.extend(errors)

    def _connect(self, opts: EngineOptions) -> Any:
        con = duckdb.connect(":memory:")
        threads = opts.threads or os.cpu_count() or 1
        con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET memory_limit = '{opts.memory_limit}'")
        con.execute(f"SET temp_directory = '{self.temp_dir / 'spill'}'")
        # Row order means nothing to an aggregation; not keeping it lets DuckDB stream.
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        con.execute(PAIRS_DDL)
        return con

    def close(self) -> None:
        self.con.close()
        if self._own_temp:
            shutil.rmtree(self.temp_dir, ignore_errors=True)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- scanning -------------------------------------------------------------------------

    def scan(
        self,
        files: Sequence[ScanFile],
        *,
        done_before: int = 0,
        total: int = 0,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Aggregate ``files`` into ``pairs``; damaged files become errors, never fatal."""
        done = done_before
        # Formats that differ only in their files' S3 origin are one statement, each record
        # given its own file's account and region: an organisation's logs hold hundreds of
        # accounts, and a statement per account reads a few files each on one thread
        # (measured: 100 files of 100 accounts took 2.5× the time of the same files of one).
        merged: dict[FileFormat, list[ScanFile]] = {}
        for fmt, members in group_by_format(files, self._state).items():
            merged.setdefault(replace(fmt, origin=()), []).extend(members)
        for fmt, members in merged.items():
            size = sum(f.size for f in members)
            self._scan_group(fmt, members, done, total, progress)
            done += size
        self._state.files += len(files)
        self._state.bytes_read += sum(f.size for f in files)
        rows = int(self.con.execute("SELECT count(*) FROM pairs").fetchone()[0])
        if self._merged_rows == 0:  # one batch: its statements share next to no pair
            self._merged_rows = rows
        elif rows >= max(MERGE_ROWS, 2 * self._merged_rows):
            self._merged_rows = self._merge_pairs()

    def _merge_pairs(self) -> int:
        """One row per pair in ``pairs`` (its sums, counts, first and last times); the rows."""
        keys = ", ".join(_KEY_NAMES)
        self.con.execute(
            f"CREATE TABLE merged_pairs AS SELECT {keys}, {_MERGED} FROM pairs GROUP BY {keys}"
        )
        self.con.execute("DROP TABLE pairs")
        self.con.execute("ALTER TABLE merged_pairs RENAME TO pairs")
        return int(self.con.execute("SELECT count(*) FROM pairs").fetchone()[0])

    def _scan_group(
        self,
        fmt: FileFormat,
        files: list[ScanFile],
        done: int,
        total: int,
        progress: ProgressCallback | None,
    ) -> None:
        size = sum(f.size for f in files)
        origins: FileOrigins | None = None
        if len({f.format.origin for f in files}) == 1:  # one origin: the format states it
            fmt = replace(fmt, origin=files[0].format.origin)
        else:
            origins = {str(f.path): f.format.origin for f in files}
        try:
            self._run_with_progress(
                self._insert_sql(fmt, [f.path for f in files], origins),
                done,
                size,
                total,
                progress,
            )
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            # Only errors of the data itself; a SQL error is a bug and must surface as one.
            culprit = self._culprit(str(exc), files)
            if culprit is None:
                if len(files) == 1:
                    culprit = files[0]
                else:
                    for f in files:  # the message names no file: find the bad one alone
                        self._scan_group(fmt, [f], done, total, progress)
                        done += f.size
                    return
            rest = [f for f in files if f is not culprit]
            if rest:
                self._scan_group(fmt, rest, done, total, progress)
            self._recover(culprit, str(exc))
            return
        self._collect_examples(fmt, files)

    def _run_with_progress(
        self, sql: str, done: int, size: int, total: int, progress: ProgressCallback | None
    ) -> None:
        if progress is None:
            self.con.execute(sql)
            return
        finished = threading.Event()

        def poll() -> None:
            while not finished.wait(0.2):
                percent = self.con.query_progress()
                if percent >= 0:
                    progress(done + int(size * min(percent, 100.0) / 100), total)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        try:
            self.con.execute(sql)
        finally:
            finished.set()
            poller.join()
        progress(done + size, total)

    @staticmethod
    def _insert_sql(
        fmt: FileFormat, paths: Sequence[Path], origins: FileOrigins | None = None
    ) -> str:
        """Group the records by pair and kind (``_KIND``) with plain aggregates, then write
        each group's count and sums into the columns its kind feeds: cheaper than FILTERed
        aggregates per pair (measured: benchmarks/README.md, issue 12). A pair thus has one
        row per kind it has (and per file of its malformed records); ``pairs`` allows that.
        """
        # Columns the records hold are grouped; what the file's S3 path states is one value
        # for the whole statement, written as such; the rest is NULL.
        # With files of several origins (``origins``), the origin columns they state are
        # grouped like the records' own.
        constants = origin_constants(fmt)
        stated = set(origin_columns(origins))
        keys = [
            c.name
            for c in _KEY_COLUMNS
            if (c.field in fmt.fields or c.name in stated) and c.name not in constants
        ]
        select = [
            name if name in keys else constants.get(name, "NULL::VARCHAR") + f" AS {name}"
            for name in _KEY_NAMES
        ]
        select += _KIND_COLUMNS
        groups = ", ".join([*keys, "kind", "bad_file"])
        return (
            f"INSERT INTO pairs SELECT {', '.join(select)} FROM (SELECT {groups},"
            " sum(bytes) AS bytes, count(*) AS n, min(start) AS first_start,"
            ' max("end") AS last_end'
            f" FROM (SELECT *, {_KIND} AS kind,"
            " CASE WHEN NOT ok THEN source_file END AS bad_file"
            f" FROM ({source_sql(fmt, paths, origins)})) GROUP BY {groups})"
        )

    @staticmethod
    def _culprit(message: str, files: Sequence[ScanFile]) -> ScanFile | None:
        named = [f for f in files if str(f.path) in message]
        return max(named, key=lambda f: len(str(f.path)), default=None)

    def _recover(self, bad: ScanFile, message: str) -> None:
        """Keep what can be kept of a file DuckDB could not read to the end."""
        first_line = message.strip().splitlines()[0] if message.strip() else message
        if bad.format.container is not Container.GZIP:
            self._state.errors.append(
                InputError(file=bad.location, message=f"cannot be read: {first_line}")
            )
            return
        target = self.temp_dir / f"salvaged-{len(self._state.errors)}-{bad.path.name}.log"
        salvage = salvage_gzip(bad.path, target)
        records = max(salvage.complete_lines - 1, 0)
        self._state.errors.append(
            InputError(
                file=bad.location,
                message=(
                    f"damaged gzip data ({salvage.reason or first_line}): read the {records} "
                    "records before the damage, the rest of the file is missing"
                ),
            )
        )
        if salvage.complete_lines > 1:
            plain = replace(bad.format, container=Container.PLAIN)
            self._state.locations[str(target)] = bad.location
            self._scan_group(
                plain,
                [ScanFile(path=target, location=bad.location, size=0, format=plain)],
                0,
                0,
                None,
            )

    # -- malformed lines ------------------------------------------------------------------

    def _collect_examples(self, fmt: FileFormat, files: Sequence[ScanFile]) -> None:
        duckdb_examples.collect_examples(self.con, self._state, fmt, files)

    def rejected_lines(self) -> tuple[int, list[MalformedLine]]:
        """Lines DuckDB's reader itself refused (not UTF-8, or holding the 0x1F byte)."""
        return duckdb_examples.rejected_lines(self.con, self._state.locations)
