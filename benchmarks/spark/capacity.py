"""Capacity on paper (issue 10): cluster size and time for 1 and 10 TiB of gzip'd flow logs a
day at a measured per-core rate, and Athena's price for the same query, text vs Parquet.

    .venv/bin/python benchmarks/spark/capacity.py --per-core 400000   # records/s per core

The per-core rate comes from ``benchmarks/spark/run.py`` (its last column). The sizes come
from the production-shaped set of ``benchmarks/flows/production.py`` (v2 VPC-level and v5
NAT-ENI-only; AWS's full ip-ranges.json from ``../shared/data``), measured here:

- gzip'd text as delivered (5-minute files) and its uncompressed size, per record;
- the same records as AWS's Parquet delivery (one Parquet file per text file, Gzip
  compression, the column types of Athena's Parquet DDL), written by DuckDB, and per-column
  compressed sizes from the Parquet footers: Athena scans only the columns a query reads.

Athena charges $5 per TiB scanned (compressed bytes for gzip text; for Parquet, the column
chunks read). The query reads every column of a text file; of a Parquet file, the columns
the attribution reads (``fields.USED_COLUMNS``) that the format has.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.flows.production import generate_production, with_ip_ranges  # noqa: E402

from vpcpath.flows.fields import USED_COLUMNS, column_name  # noqa: E402
from vpcpath.sources.sample_estate import load_sample  # noqa: E402

IP_RANGES = REPO.parent / "shared" / "data" / "ip-ranges-2026-07-24.json"
TIB = 2**40
ATHENA_PER_TIB = 5.0
# Athena's Parquet DDL for flow logs (Athena User Guide, "Create tables for flow logs in
# Apache Parquet format"): these columns are integers, every other one a string.
INT_COLUMNS = {"version", "srcport", "dstport", "tcp_flags", "traffic_path"}
BIGINT_COLUMNS = {"protocol", "packets", "bytes", "start", "end"}


def parquet_type(name: str) -> str:
    return "INTEGER" if name in INT_COLUMNS else "BIGINT" if name in BIGINT_COLUMNS else "VARCHAR"


def to_parquet(text: Path, out: Path) -> list[str]:
    """``text`` (one gzip'd flow-log file) as AWS's Parquet delivery; its column names."""
    with gzip.open(text, "rt") as handle:
        names = [column_name(f) for f in handle.readline().split()]
    columns = ", ".join(
        f'CASE WHEN "{n}" = \'-\' THEN NULL ELSE CAST("{n}" AS {parquet_type(n)}) END AS "{n}"'
        for n in names
    )
    types = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    duckdb.execute(
        f"COPY (SELECT {columns} FROM read_csv('{text}', delim=' ', header=true,"
        f" columns={types}, quote='', escape='')) TO '{out}' (FORMAT parquet, COMPRESSION gzip)"
    )
    return names


def measure(folder: Path, files: list[Path]) -> dict[str, float]:
    records = gz = raw = 0
    by_column: dict[str, int] = {}
    parquet_dir = folder / "parquet"
    parquet_dir.mkdir(exist_ok=True)
    for index, text in enumerate(files):
        gz += text.stat().st_size
        with gzip.open(text, "rb") as handle:
            for line in handle:
                raw += len(line)
                records += 1
        records -= 1  # the header
        out = parquet_dir / f"{index:05d}.parquet"
        to_parquet(text, out)
        meta = pq.ParquetFile(out).metadata
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            for c in range(group.num_columns):
                chunk = group.column(c)
                name = chunk.path_in_schema
                by_column[name] = by_column.get(name, 0) + chunk.total_compressed_size
    used = {c.name for c in USED_COLUMNS}
    parquet = sum(by_column.values())
    read = sum(size for name, size in by_column.items() if name in used)
    return {
        "records": records,
        "gz_per_record": gz / records,
        "raw_per_record": raw / records,
        "parquet_per_record": parquet / records,
        "parquet_read_per_record": read / records,
        "columns_read": float(sum(1 for name in by_column if name in used)),
        "columns": float(len(by_column)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-core", type=float, required=True, help="records/s per core")
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--distinct", type=int, default=250_000)
    parser.add_argument("--ip-ranges", type=Path, default=IP_RANGES)
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "flows" / "data")
    args = parser.parse_args()
    snapshot = with_ip_ranges(load_sample(), args.ip_ranges)
    print(
        "| logs | records | gzip text / record | text / record (ratio) |"
        " Parquet+gzip / record (vs gzip text) | columns read: bytes / record |"
    )
    print("|---|---|---|---|---|---|")
    sizes = {}
    for mode in ("v2-vpc", "v5-nat"):
        folder = args.data / f"capacity-{mode}"
        shutil.rmtree(folder, ignore_errors=True)
        truth, _ = generate_production(
            snapshot, folder, records=args.records, mode=mode, distinct=args.distinct
        )
        m = measure(folder, sorted(truth.files))
        sizes[mode] = m
        gz, raw, parquet = m["gz_per_record"], m["raw_per_record"], m["parquet_per_record"]
        print(
            f"| {mode} | {m['records']:,.0f} | {gz:.1f} B | {raw:.1f} B ({raw / gz:.1f}×) |"
            f" {parquet:.1f} B ({parquet / gz:.2f}×) |"
            f" {m['columns_read']:.0f} of {m['columns']:.0f}:"
            f" {m['parquet_read_per_record']:.1f} B |"
        )
        shutil.rmtree(folder, ignore_errors=True)
    print(
        "\n| logs | gzip'd text a day | records a day | core-hours a day |"
        " cores for 1 h (4-core nodes) | on 64 cores |"
        " Athena, text | Athena, Parquet |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for mode, m in sizes.items():
        for tib in (1, 10):
            records = tib * TIB / m["gz_per_record"]
            core_hours = records / args.per_core / 3600
            cores = int(-(-core_hours // 1))
            text_cost = tib * ATHENA_PER_TIB
            parquet_cost = tib * m["parquet_read_per_record"] / m["gz_per_record"] * ATHENA_PER_TIB
            print(
                f"| {mode} | {tib} TiB | {records / 1e9:,.1f} billion | {core_hours:,.0f} |"
                f" {cores:,} ({-(-cores // 4):,} nodes) | {core_hours / 64:,.1f} h |"
                f" ${text_cost:,.2f} | ${parquet_cost:,.2f} |"
            )


if __name__ == "__main__":
    main()
