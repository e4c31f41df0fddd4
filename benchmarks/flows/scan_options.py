"""The scan alone, read five ways, on the production-shaped sets (issue 12 item 3).

    .venv/bin/python benchmarks/flows/scan_options.py     # both variants, 3 rounds

"The scan" is everything up to the ``pairs`` table (headers read, records parsed, validated
and aggregated into flow pairs); attribution is not run. Each option fills the ``pairs``
table of a fresh ``Engine`` (two DuckDB threads, the default memory limit), and must give the
same table as today's reader — every key with every sum, count, minimum and maximum — or the
run stops. The options:

- ``duckdb`` (today's reader): DuckDB's ``read_csv`` inflates and parses several gzip files
  per statement, one file per thread, one statement per format (``Engine.scan``);
- ``duckdb-1-thread``: the same with one DuckDB thread (what two cores add);
- ``isal-plain``: ISA-L (``isal``) inflates the files in two Python threads into plain text
  in a private temp folder, DuckDB reads the plain files (its parallel reader splits them);
- ``isal-arrow``: ISA-L inflates, pyarrow's CSV parser parses each file (two Python threads,
  one file each), DuckDB aggregates the Arrow record batches as they come;
- ``pyarrow-csv``: pyarrow's own multi-threaded CSV reader on the gzip stream (zlib
  inflates), DuckDB aggregates the Arrow batches.

The Arrow options are written here only to be measured: they parse numbers as pyarrow does
and know nothing of malformed lines (the production sets have none); a product path would
need DuckDB's reader as a fallback for any file pyarrow refuses. Rounds alternate with
single-thread ``gzip -dc`` of the same files; medians of wall and CPU time (user + system,
all threads; for ``gzip -dc`` its process) are printed, with the load average: on a busy
machine the CPU time is the steadier measure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.flows.run import gzip_command, machine, timed  # noqa: E402

from vpcpath.flows.analysis import _scan_files  # noqa: E402
from vpcpath.flows.engine_duckdb import Engine, EngineOptions  # noqa: E402
from vpcpath.flows.fields import is_numeric  # noqa: E402
from vpcpath.flows.inputs import resolve_inputs  # noqa: E402
from vpcpath.flows.readers import Container, FileFormat, text_source_sql  # noqa: E402
from vpcpath.flows.scan_engine import ScanFile, ScanState, group_by_format  # noqa: E402
from vpcpath.flows.scan_rules import KEY_NAMES  # noqa: E402

Option = Callable[[Engine, list[ScanFile]], None]


def duckdb_reader(engine: Engine, files: list[ScanFile]) -> None:
    engine.scan(files)


def isal_plain(engine: Engine, files: list[ScanFile]) -> None:
    from isal import igzip

    folder = Path(tempfile.mkdtemp(prefix="plain-", dir=engine.temp_dir))

    def inflate(f: ScanFile) -> ScanFile:
        target = folder / f"{f.path.name}.log"
        target.write_bytes(igzip.decompress(f.path.read_bytes()))
        plain = replace(f.format, container=Container.PLAIN)
        return ScanFile(path=target, location=f.location, size=f.size, format=plain)

    with ThreadPoolExecutor(max_workers=2) as pool:
        plain_files = list(pool.map(inflate, files))
    engine.scan(plain_files)
    shutil.rmtree(folder, ignore_errors=True)


def _arrow_options(fmt: FileFormat) -> tuple[Any, Any, Any]:
    from pyarrow import csv, int64, string

    names = [n.replace("-", "_") for n in fmt.fields]
    read = csv.ReadOptions(column_names=names, skip_rows=1 if fmt.header else 0, use_threads=False)
    parse = csv.ParseOptions(delimiter=" ", quote_char=False, escape_char=False)
    types = {
        n.replace("-", "_"): int64() if is_numeric(n) and n != "bytes" else string()
        for n in fmt.fields
    }
    convert = csv.ConvertOptions(
        column_types=types,
        null_values=["-"],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    return read, parse, convert


def _arrow_scan(engine: Engine, files: list[ScanFile], load: Callable[[ScanFile], Any]) -> None:
    import pyarrow as pa

    for fmt, members in group_by_format(files, ScanState()).items():
        first = load(members[0])
        schema = first.schema

        def batches(
            todo: Sequence[ScanFile] = members[1:], head: Any = first, schema: Any = schema
        ) -> Iterator[Any]:
            yield from head.to_batches()
            with ThreadPoolExecutor(max_workers=2) as pool:
                for table in pool.map(load, todo):
                    yield from table.cast(schema).to_batches()

        reader = pa.RecordBatchReader.from_batches(schema, batches())
        engine.con.register("arrow_source", reader)
        sql = Engine._insert_sql(fmt, [m.path for m in members])
        source = text_source_sql(fmt, [m.path for m in members])
        arrow_source = source.split(" FROM read_csv(")[0] + " FROM arrow_source"
        engine.con.execute(sql.replace(f"FROM ({source})", f"FROM ({arrow_source})"))
        engine.con.unregister("arrow_source")


def _with_filename(table: Any, path: Path) -> Any:
    import pyarrow as pa

    return table.append_column("filename", pa.array([str(path)] * table.num_rows, pa.string()))


def isal_arrow(engine: Engine, files: list[ScanFile]) -> None:
    import pyarrow as pa
    from isal import igzip
    from pyarrow import csv

    def load(f: ScanFile) -> Any:
        read, parse, convert = _arrow_options(f.format)
        data = pa.py_buffer(igzip.decompress(f.path.read_bytes()))
        table = csv.read_csv(pa.BufferReader(data), read, parse, convert)
        return _with_filename(table, f.path)

    _arrow_scan(engine, files, load)


def pyarrow_csv(engine: Engine, files: list[ScanFile]) -> None:
    import pyarrow as pa
    from pyarrow import csv

    def load(f: ScanFile) -> Any:
        read, parse, convert = _arrow_options(f.format)
        read = csv.ReadOptions(
            column_names=read.column_names, skip_rows=read.skip_rows, use_threads=True
        )
        with pa.input_stream(str(f.path), compression="gzip") as stream:
            table = csv.read_csv(stream, read, parse, convert)
        return _with_filename(table, f.path)

    _arrow_scan(engine, files, load)


OPTIONS: dict[str, tuple[Option, int]] = {
    "duckdb": (duckdb_reader, 2),
    "duckdb-1-thread": (duckdb_reader, 1),
    "isal-plain": (isal_plain, 2),
    "isal-arrow": (isal_arrow, 2),
    "pyarrow-csv": (pyarrow_csv, 2),
}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_option(name: str, folder: Path) -> tuple[float, float, list[tuple[Any, ...]]]:
    """Wall and CPU seconds (every thread of this process) of one scan, and its pairs."""
    option, threads = OPTIONS[name]
    cpu = cpu_seconds()
    started = time.perf_counter()
    with Engine(EngineOptions(threads=threads)) as engine:
        selection = resolve_inputs([str(folder)])
        files = _scan_files(selection.files, engine.con, None, [])
        option(engine, files)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        pairs = engine.con.execute(
            f"SELECT {', '.join(KEY_NAMES)}, sum(bytes), sum(accepted), sum(records),"
            " sum(malformed), sum(nodata), sum(skipdata), min(first_start), max(last_end),"
            " min(bad_file) FROM pairs GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    return seconds, cpu, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "flows" / "data")
    parser.add_argument("--modes", nargs="+", default=["v2-vpc", "v5-nat"])
    parser.add_argument("--options", nargs="+", default=list(OPTIONS))
    args = parser.parse_args()
    info = machine()
    info["load_before"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    info["commit"] = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(json.dumps(info), flush=True)
    for mode in args.modes:
        folder = args.data / f"production-{mode}"
        files = sorted(folder.rglob("*.log.gz"))
        if not files:
            raise SystemExit(f"{folder}: no files; run benchmarks/flows/production_run.py first")
        _, _, expected = run_option("duckdb", folder)  # warms the page cache too
        times: dict[str, list[float]] = {name: [] for name in ["gzip -dc", *args.options]}
        cpus: dict[str, list[float]] = {name: [] for name in ["gzip -dc", *args.options]}
        for _ in range(args.rounds):
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            times["gzip -dc"].append(timed(gzip_command(files), shell=True))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus["gzip -dc"].append(
                after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
            )
            for name in args.options:
                seconds, cpu, pairs = run_option(name, folder)
                if pairs != expected:
                    raise SystemExit(f"{mode}: {name} gives other pairs than today's reader")
                times[name].append(seconds)
                cpus[name].append(cpu)
        gzip_s = statistics.median(times["gzip -dc"])
        row: dict[str, Any] = {"mode": mode, "files": len(files), "pairs": len(expected)}
        row["wall_s"] = {name: round(statistics.median(t), 3) for name, t in times.items()}
        row["cpu_s"] = {name: round(statistics.median(t), 3) for name, t in cpus.items()}
        row["wall_ratio_to_gzip"] = {
            name: round(statistics.median(t) / gzip_s, 2) for name, t in times.items()
        }
        row["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
