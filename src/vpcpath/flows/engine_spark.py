"""The scan on Apache Spark (``--engine spark``): Spark reads, validates and aggregates the
flow-log files; the pair table it produces is loaded into DuckDB, where the attribution runs
unchanged — so both engines give the same results (see ``spark_readers`` for the rules).

Why this shape:
- The heavy part — every record — is read and aggregated by Spark (``local[*]`` or a cluster
  from ``--spark-master``), every format of a batch in one SQL statement and one job. What
  leaves Spark is the pair table: one row per distinct flow pair (and per distinct malformed
  line), sent to this process as Arrow and folded into DuckDB's ``pairs``.
- Each input is linked into that folder under a fixed name (``000003.gz``): Spark picks its
  decompression codec by file name, not content, and skips names starting with ``_``/``.``.
  With a cluster master, that folder (``EngineOptions.temp_directory``) and the inputs must
  be on a filesystem the executors share, at the same paths; s3:// inputs are still fetched
  by this process. Executors run no Python (the scan is SQL and the parser's jar).
- Text is read by the JVM parser when ``javac`` can build it (``spark_jvm``; ``parser``
  says which was used): it sums the plainly valid lines per pair in each task and hands
  every other line to the SQL rules of ``spark_readers``, which run in a second statement
  only when it handed them one. Without it the SQL rules read every line, with the same
  results.
- pyspark (4.0 or later) is optional (extra ``spark``) and imported only here, when the
  engine starts.

What differs from the DuckDB engine (counts, pairs and results do not):
- Malformed-line examples: Spark does not number lines. The scan keeps one malformed line
  per flow pair (per file for lines the reader refuses: the smallest such line, not the
  first); Python then finds those lines' numbers in their files. The DuckDB engine shows the
  first few malformed lines; this one shows a few, with correct file and line number, and
  also shows lines refused for a negative number (DuckDB counts those without an example).
- Numeric spellings DuckDB's parser accepts but AWS never writes (``1.5``, ``1e3``, ``0x10``,
  ``1_000``) in numeric fields other than ``bytes`` are malformed here; files mixing
  ``\\r\\n`` and ``\\n`` line ends, which DuckDB refuses whole, are read.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from vpcpath.errors import FlowLogError
from vpcpath.flows.engine_duckdb import Engine, EngineOptions
from vpcpath.flows.readers import Container, FileFormat
from vpcpath.flows.recovery import salvage_gzip
from vpcpath.flows.result import InputError, MalformedLine
from vpcpath.flows.scan_engine import (
    ProgressCallback,
    ScanFile,
    ScanState,
    ScanTotals,
    group_by_format,
)
from vpcpath.flows.scan_rules import KEY_NAMES, MAX_EXAMPLES, REASON_TEXT, Reason, bytes_reason
from vpcpath.flows.spark_jvm import (
    ParserChoice,
    choose_parser,
    handed_on_sql,
    line_spec,
    load_parser,
    parse_lines,
    rules_needed,
)
from vpcpath.flows.spark_readers import (
    BYTES_SPLIT,
    pair_table_sql,
    parquet_records_sql,
    parquet_rows,
    parsed_pairs_sql,
    text_lines,
    text_records_sql,
)
from vpcpath.flows.spark_start import LOCAL_JAVA_OPTIONS as LOCAL_JAVA_OPTIONS
from vpcpath.flows.spark_start import SparkOptions as SparkOptions
from vpcpath.flows.spark_start import require_pyspark
from vpcpath.flows.spark_start import spark_session as spark_session

_SUFFIX = {Container.PLAIN: ".txt", Container.GZIP: ".gz", Container.PARQUET: ".parquet"}


class SparkEngine:
    """The ``ScanEngine`` on Spark (``scan``, ``state``, ``close``; ``con``).

    ``con`` is a DuckDB connection (from ``engine_duckdb.Engine``) holding the ``pairs``
    table, where the attribution runs.
    """

    def __init__(self, options: EngineOptions | None = None, spark: SparkOptions | None = None):
        spark = spark or SparkOptions()
        require_pyspark()
        choice = choose_parser(spark.parser)
        self._duck = Engine(options)
        try:
            self.spark, self._own_session = spark_session(spark)
            # Which parser reads text: "jvm" or "sql", why not the JVM one, and which was
            # asked for ("auto", "jvm" or "sql").
            self.parser, self.parser_reason, self._parser = "sql", choice.reason, None
            self.parser_wanted = choice.wanted
            if choice.jar is not None:
                self._parser = self._load_parser(choice)
        except BaseException:
            self._duck.close()
            raise
        self.con: Any = self._duck.con
        self.temp_dir: Path = self._duck.temp_dir
        self._state = ScanState()
        self._links = self.temp_dir / "spark-inputs"
        self._links.mkdir()
        self._by_name: dict[str, ScanFile] = {}
        self._origins: dict[tuple[tuple[str, str], ...], str] = {}
        self._rejected = 0
        self._candidates: list[tuple[ScanFile, bytes, str, int | None]] = []
        self._statements = 0
        # Statements that ran the SQL rules (with the parser, only when it handed them lines).
        self.rule_statements = 0

    def parser_note(self) -> str | None:
        """Why the text was read with the SQL rules when the JVM parser was hoped for
        (``auto``), for the answer's notes; None otherwise."""
        if (self.parser_wanted, self.parser) != ("auto", "sql"):
            return None
        return (
            "Spark read the text with its SQL rules, not its faster JVM parser "
            f"({self.parser_reason}); a JDK on this machine builds the parser"
        )

    def _load_parser(self, choice: ParserChoice) -> Any:
        assert choice.jar is not None
        try:
            parser = load_parser(self.spark, choice.jar)
        except Exception as exc:  # Py4JJavaError: a class that does not load
            if self._own_session:
                self.spark.stop()
            if choice.wanted == "jvm":
                raise FlowLogError(f"the Spark engine's JVM parser does not load: {exc}") from exc
            self.parser_reason = f"the JVM parser does not load: {str(exc)[:200]}"
            return None
        self.parser, self.parser_reason = "jvm", ""
        return parser

    def state(self) -> ScanTotals:
        rejected, examples = self.rejected_lines()
        return self._state.totals(rejected, examples)

    def add_errors(self, errors: Sequence[InputError]) -> None:
        self._state.errors.extend(errors)

    def close(self) -> None:
        if self._own_session:
            self.spark.stop()
        self._duck.close()

    def __enter__(self) -> SparkEngine:
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
        """Aggregate ``files`` into ``pairs``; damaged files become errors, never fatal.

        Every format is read in one Spark job (one pass, one shuffle); only when it fails is
        each format read alone, to find the damaged file.
        """
        groups = list(group_by_format(files, self._state).items())
        try:
            self._run(groups)
        except FlowLogError:
            raise
        except Exception:  # Py4JJavaError / PySparkException: the data, or a bug
            done = done_before
            for fmt, members in groups:
                self._scan_group(fmt, members)
                done += sum(f.size for f in members)
                if progress is not None:
                    progress(done, total)
        if progress is not None:
            progress(done_before + sum(f.size for f in files), total)
        self._state.files += len(files)
        self._state.bytes_read += sum(f.size for f in files)

    def _scan_group(self, fmt: FileFormat, files: list[ScanFile]) -> None:
        try:
            self._run([(fmt, files)])
        except FlowLogError:
            raise
        except Exception as exc:  # Py4JJavaError / PySparkException: the data, or a bug
            message = str(exc)
            named = [f for f in files if self._link_name(f) in message]
            if len(files) > 1 and not named:
                for f in files:  # the message names no file: find the bad one alone
                    self._scan_group(fmt, [f])
                return
            culprit = named[0] if named else files[0]
            rest = [f for f in files if f is not culprit]
            if rest:
                self._scan_group(fmt, rest)
            self._recover(culprit, message)

    def _link_name(self, f: ScanFile) -> str:
        for name, known in self._by_name.items():
            if known is f:
                return name
        # The name starts with the number of the file's origin (``spark_readers.ORIGIN_ID``).
        origin = self._origins.setdefault(f.format.origin, f"{len(self._origins):05d}")
        name = f"{origin}-{len(self._by_name):06d}{_SUFFIX[f.format.container]}"
        (self._links / name).symlink_to(f.path.resolve())
        self._by_name[name] = f
        return name

    def _run(self, groups: list[tuple[FileFormat, list[ScanFile]]]) -> None:
        """Read ``groups`` (format, files) into ``pairs``: one Spark statement, or two when
        the JVM parser reads every branch (its pairs; the SQL rules if it handed them lines).

        Formats that differ only in their origin (the account and region of each file's S3
        path) are one branch of the statement, each file's origin looked up by its name:
        Spark plans every branch anew (about 0.4 s each, measured), so an organisation's
        hundreds of accounts must not make hundreds of branches.
        """
        merged: dict[FileFormat, list[ScanFile]] = {}
        for fmt, files in groups:
            merged.setdefault(replace(fmt, origin=()), []).extend(files)
        queries, views, parsed, cached, reading = [], [], [], [], []
        handed_on: list[tuple[Any, str | None, int]] = []  # the parser's rows, header, headers
        for batch, (fields, files) in enumerate(merged.items()):
            paths = [str(self._links / self._link_name(f)) for f in files]
            view = f"vpcpath_{id(self):x}_{self._statements}_{batch}"
            seen = {f.format.origin for f in files}
            fmt = files[0].format if len(seen) == 1 else fields
            origins = None if len(seen) == 1 else {self._origins[o]: o for o in seen}
            if fmt.container is Container.PARQUET:
                parquet_rows(self.spark, paths).createOrReplaceTempView(view)
                records = parquet_records_sql(fmt, view, origins=origins)
                headers = 0
            else:
                headers = len(files) if fmt.header else 0
                if self._parser is None:
                    text_lines(self.spark, paths).createOrReplaceTempView(view)
                    records = text_records_sql(fmt, view, origins=origins)
                else:  # the parser's pairs, and the lines it hands on for the SQL rules
                    header = " ".join(fmt.fields) if fmt.header else None
                    spec = line_spec(fmt, by_origin=origins is not None)
                    rows, rdd, thread = parse_lines(self._parser, self.spark, paths, spec, header)
                    cached.append(rdd)
                    reading.append(thread)
                    handed_on.append((rdd, header, headers))
                    rows.createOrReplaceTempView(view)
                    records = text_records_sql(fmt, f"({handed_on_sql(view)})", origins=origins)
                    parsed.append(
                        parsed_pairs_sql(fmt, view, batch=batch, headers=headers, origins=origins)
                    )
            views.append(view)
            queries.append(f"SELECT *, {batch} AS batch, {headers} AS headers FROM ({records})")
        self._statements += 1
        rules = pair_table_sql(" UNION ALL ".join(queries))
        tables = []
        try:
            if len(handed_on) == len(queries):  # every branch read by the parser
                # Its pairs first; then the SQL rules only if the parser handed them a line
                # to judge. Clean logs hand on none, and planning the rules' part of the
                # statement costs about a second on a new JVM (benchmarks/README.md).
                tables.append(self.spark.sql(" UNION ALL ".join(parsed)).toArrow())
                if any(rules_needed(self._parser, *branch) for branch in handed_on):
                    tables.append(self.spark.sql(rules).toArrow())
                    self.rule_statements += 1
            else:
                statement = " UNION ALL ".join(f"SELECT * FROM ({q})" for q in (rules, *parsed))
                tables.append(self.spark.sql(statement).toArrow())
                self.rule_statements += 1
        finally:
            for thread in reading:
                thread.join()
            for view in views:
                self.spark.catalog.dropTempView(view)
            for rdd in cached:
                rdd.unpersist(False)
        for table in tables:
            self._load(table)

    def _load(self, table: Any) -> None:
        """Fold Spark's groups (an Arrow table) into pairs and insert them into DuckDB, less
        the one header line of each file (``spark_readers.pair_table_sql``)."""
        source = f"spark_out_{id(self):x}"
        self.con.register(source, table)
        pair = ", ".join([*KEY_NAMES, "rejected", "rejected_file", "batch", "headers"])
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW spark_groups AS SELECT {pair},"
            f" sum(bytes_high)::HUGEINT * {BYTES_SPLIT} + sum(bytes_low) AS bytes,"
            " sum(accepted) AS accepted, sum(records) AS records,"
            " sum(malformed) AS malformed, sum(nodata) AS nodata, sum(skipdata) AS skipdata,"
            " min(first_start) AS first_start, max(last_end) AS last_end,"
            " min(bad_file) AS bad_file, sum(header_lines) AS header_lines,"
            " sum(bad_header_lines) AS bad_header_lines,"
            " min({'file': bad_file, 'raw': ex_raw, 'reason': ex_reason, 'row': ex_row})"
            f" FILTER (WHERE ex_raw IS NOT NULL) AS example FROM {source} GROUP BY {pair}"
        )
        # The header lines of one batch are all in one group (per file for refused lines).
        minus = (
            "CASE WHEN header_lines > 0 THEN (CASE WHEN rejected THEN 1 ELSE headers END)"
            " ELSE 0 END"
        )
        bad_minus = f"CASE WHEN bad_header_lines > 0 THEN ({minus}) ELSE 0 END"
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW spark_pairs AS SELECT * REPLACE ("
            f"records - {minus} AS records, malformed - {bad_minus} AS malformed)"
            " FROM spark_groups"
        )
        columns = ", ".join(KEY_NAMES)
        self.con.execute(
            f"INSERT INTO pairs SELECT {columns}, CAST(bytes AS HUGEINT), accepted, records,"
            " malformed, nodata, skipdata, first_start, last_end, bad_file"
            " FROM spark_pairs WHERE NOT rejected AND records > 0"
        )
        rejected, examples = self.con.execute(
            "SELECT coalesce(sum(records) FILTER (WHERE rejected), 0),"
            " list(example) FILTER (WHERE example IS NOT NULL) FROM spark_pairs"
        ).fetchone()
        self._rejected += int(rejected)
        for example in examples or ():
            scanned = self._by_name.get(str(example["file"]))
            if scanned is not None:
                row = example["row"]
                self._candidates.append(
                    (scanned, bytes(example["raw"]), str(example["reason"]), row)
                )
        self.con.execute("DROP VIEW spark_pairs")
        self.con.execute("DROP VIEW spark_groups")
        self.con.unregister(source)

    def _recover(self, bad: ScanFile, message: str) -> None:
        """Keep what can be kept of a file Spark could not read to the end."""
        lines = [line for line in message.strip().splitlines() if line.strip()]
        first_line = next(
            (line for line in lines if "Exception" in line), lines[0] if lines else ""
        )
        if bad.format.container is not Container.GZIP:
            self._state.errors.append(
                InputError(file=bad.location, message=f"cannot be read: {first_line.strip()[:300]}")
            )
            return
        target = self.temp_dir / f"salvaged-{len(self._state.errors)}-{bad.path.name}.log"
        salvage = salvage_gzip(bad.path, target)
        records = max(salvage.complete_lines - 1, 0)
        self._state.errors.append(
            InputError(
                file=bad.location,
                message=(
                    f"damaged gzip data ({salvage.reason or first_line.strip()[:300]}): read the "
                    f"{records} records before the damage, the rest of the file is missing"
                ),
            )
        )
        if salvage.complete_lines > 1:
            plain = replace(bad.format, container=Container.PLAIN)
            self._state.locations[str(target)] = bad.location
            self._scan_group(
                plain, [ScanFile(path=target, location=bad.location, size=0, format=plain)]
            )

    # -- malformed lines ------------------------------------------------------------------

    def rejected_lines(self) -> tuple[int, list[MalformedLine]]:
        """Lines the reader refused (count), and a few malformed lines with their numbers."""
        return self._rejected, self._examples()

    def _examples(self) -> list[MalformedLine]:
        by_file: dict[str, list[tuple[ScanFile, bytes, str, int | None]]] = {}
        for candidate in self._candidates:
            by_file.setdefault(candidate[0].location, []).append(candidate)
        found: list[MalformedLine] = []
        for location in sorted(by_file):
            if len(found) >= MAX_EXAMPLES:
                break
            found.extend(_number(by_file[location])[: MAX_EXAMPLES - len(found)])
        return found


def _reason(code: str, raw: bytes, fields: tuple[str, ...]) -> str:
    if code == Reason.BYTES:
        value = raw.decode("utf-8", errors="replace").split(" ")[fields.index("bytes")]
        return bytes_reason(value)
    return REASON_TEXT.get(Reason(code), code) if code in set(Reason) else code


def _number(candidates: list[tuple[ScanFile, bytes, str, int | None]]) -> list[MalformedLine]:
    """The candidates of one file with their line numbers (Parquet: row numbers), in order."""
    scanned = candidates[0][0]
    fields = scanned.format.fields
    if scanned.format.container is Container.PARQUET:
        numbered = [(row, raw, code) for _, raw, code, row in candidates if row is not None]
    else:
        wanted = {raw: code for _, raw, code, _ in candidates}
        numbered = []
        opener: Any = gzip.open if scanned.format.container is Container.GZIP else open
        try:
            with opener(scanned.path, "rb") as handle:
                if scanned.format.header:
                    next(handle, None)
                for number, line in enumerate(handle, start=2 if scanned.format.header else 1):
                    raw = line.rstrip(b"\r\n")
                    code = wanted.pop(raw, None)
                    if code is not None:
                        numbered.append((number, raw, code))
                        if not wanted or len(numbered) >= MAX_EXAMPLES:
                            break
        except (OSError, EOFError, zlib.error):
            pass  # a damaged tail is reported by the scan itself; keep what was found
    return [
        MalformedLine(
            file=scanned.location,
            line=number,
            text=raw.decode("utf-8", errors="replace")[:300],
            reason=_reason(code, raw, fields),
        )
        for number, raw, code in sorted(numbered)
    ]
