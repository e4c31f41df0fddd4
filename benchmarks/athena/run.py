"""Benchmark ``vpcpath flows --emit-sql athena``: one command, rows for benchmarks/README.md.

    .venv/bin/python benchmarks/athena/run.py [--records 30000,1000000] [--ip-ranges FILE]

For each size, generated v2 (VPC-level) and v5 (NAT ENI) logs of the sample estate
(src/vpcpath/flows/synthetic/generator.py) are attributed twice: by the DuckDB engine
(``analyze_flows``) and by the Athena query, transpiled to DuckDB with sqlglot and run over the
logs loaded as AWS's Athena table holds them (tests/flows/athena_table.py). It prints the
query's size, how long it takes to build, both run times (the table load apart), whether the
rows are equal, and how often the query reads the table when Trino inlines every WITH query.
With ``--ip-ranges``, also the size of the query with that file's ranges (Athena's limit is
262,144 bytes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402
import sqlglot  # noqa: E402
from tests.flows.athena_table import load_athena_table  # noqa: E402
from tests.flows.test_athena_sql import table_scans  # noqa: E402

from vpcpath.flows import FlowsRequest, analyze_flows  # noqa: E402
from vpcpath.flows.athena_sql import ROW_COLUMNS, athena_query  # noqa: E402
from vpcpath.flows.ip_ranges_source import obtain_ip_ranges  # noqa: E402
from vpcpath.flows.synthetic import generate  # noqa: E402
from vpcpath.pricing.table import load_prices  # noqa: E402
from vpcpath.sources.ipranges import parse_ip_ranges  # noqa: E402
from vpcpath.sources.sample_estate import load_sample  # noqa: E402


def machine() -> str:
    model = platform.processor() or "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{model}, {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="30000,1000000")
    parser.add_argument("--ip-ranges", type=Path)
    args = parser.parse_args()
    sample = load_sample()
    prices = load_prices()
    ranges = obtain_ip_ranges(sample, path=None, allow_download=False, cache_dir=None).ranges
    started = time.perf_counter()
    query = athena_query(sample, ranges, prices=prices)
    build = time.perf_counter() - started
    duck = sqlglot.transpile(query, read="trino", write="duckdb")[0]
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, commit {commit}")
    print(
        f"query: {len(query.encode()):,} bytes (ranges of the snapshot), built in {build:.2f} s,"
        f" reads the table {table_scans(query, 'vpc_flow_logs')} time(s)"
    )
    if args.ip_ranges:
        full = parse_ip_ranges(json.loads(args.ip_ranges.read_text()), str(args.ip_ranges))
        size = len(athena_query(sample, full, prices=prices).encode())
        print(f"query with {args.ip_ranges.name}: {size:,} bytes")
    print()
    print("| logs | records | engine | Athena SQL in DuckDB (load) | rows | equal | load avg |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="athena-bench-") as tmp:
        for records in (int(n) for n in args.records.split(",")):
            for mode in ("v2-vpc", "v5-nat"):
                folder = Path(tmp) / f"{mode}-{records}"
                folder.mkdir()
                generate(sample, folder, records=records, mode=mode, records_per_file=250_000)
                started = time.perf_counter()
                result = analyze_flows(sample, FlowsRequest(inputs=(str(folder),)), prices=prices)
                engine = time.perf_counter() - started
                expected = [
                    tuple(
                        str(getattr(r, c)) if c == "evidence" else getattr(r, c)
                        for c in ROW_COLUMNS
                    )
                    for r in result.nat_traffic
                ]
                con = duckdb.connect(":memory:")
                started = time.perf_counter()
                load_athena_table(con, folder)
                load = time.perf_counter() - started
                started = time.perf_counter()
                rows = [tuple(r) for r in con.execute(duck).fetchall()]
                run = time.perf_counter() - started
                con.close()
                load_avg = " ".join(f"{x:.2f}" for x in os.getloadavg())
                print(
                    f"| {mode} | {records:,} | {engine:.2f} s | {run:.2f} s ({load:.1f} s) |"
                    f" {len(rows)} | {'yes' if rows == expected else 'NO'} | {load_avg} |"
                )


if __name__ == "__main__":
    main()
