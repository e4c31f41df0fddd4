"""Benchmark ``vpcpath flows`` on production-shaped logs (issue 12): results for the README.

    .venv/bin/python benchmarks/flows/production_run.py     # 2M records, both variants

For each variant (v2 VPC-level, v5 NAT-ENI-only) it generates the set of
``benchmarks/flows/production.py`` (AWS's full ip-ranges.json from ``../shared/data``,
>= 200,000 distinct remote addresses, 5-minute files, REJECT and NODATA noise), then:

1. checks ``analyze_flows`` against the pure-Python truth, byte for byte (else the run is void),
   timing the attribution SQL inside it (its share of the in-process wall time);
2. alternates ``gzip -dc FILES > /dev/null`` (single thread) with ``vpcpath flows --sample
   --ip-ranges FILE --json DIR > /dev/null`` (a new process: start-up included), ``--rounds``
   times after a warm-up, and reports medians and the median per-round ratio;
3. times ``vpcpath flows`` on a 1 KB input (the first lines of one file): the fixed cost.

The machine's load average is printed before and after: compare runs only at equal load.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.flows.production import generate_production, with_ip_ranges  # noqa: E402
from benchmarks.flows.run import compare, machine  # noqa: E402
from tests.flows.test_ground_truth import by_full_key, truth_by_full_key  # noqa: E402

import vpcpath.flows.analysis as analysis  # noqa: E402
from vpcpath.flows import FlowsRequest, analyze_flows  # noqa: E402
from vpcpath.flows.synthetic.truth import Truth  # noqa: E402
from vpcpath.pricing.table import load_prices  # noqa: E402
from vpcpath.sources.sample_estate import load_sample  # noqa: E402

VPCPATH = Path(sys.executable).parent / "vpcpath"
IP_RANGES = REPO.parent / "shared" / "data" / "ip-ranges-2026-07-24.json"


def check(folder: Path, truth: Truth, ip_ranges: Path) -> dict[str, float]:
    spent: list[float] = []
    original: Callable[[Any], None] = analysis.run_attribution

    def timed_attribution(con: Any) -> None:
        started = time.perf_counter()
        original(con)
        spent.append(time.perf_counter() - started)

    analysis.run_attribution = timed_attribution  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        result = analyze_flows(
            load_sample(),
            FlowsRequest(inputs=(str(folder),), ip_ranges_path=ip_ranges, allow_download=False),
            prices=load_prices(),
        )
        wall = time.perf_counter() - started
    finally:
        analysis.run_attribution = original  # type: ignore[assignment]
    exact = (
        by_full_key(result) == truth_by_full_key(truth)
        and result.nat_bytes == truth.nat_bytes
        and result.avoidable_bytes == truth.avoidable_bytes
        and (result.input.records, result.input.nodata) == (truth.records, truth.nodata)
    )
    if not exact:
        raise SystemExit(f"{folder}: vpcpath and the pure-Python truth disagree: run void")
    return {"in_process_s": wall, "attribution_s": sum(spent), "nat_bytes": truth.nat_bytes}


def flows_command(folder: Path, ip_ranges: Path) -> list[str]:
    options = ["--sample", "--ip-ranges", str(ip_ranges), "--offline", "--json"]
    return [str(VPCPATH), "flows", *options, str(folder)]


def fixed_cost(first: Path, folder: Path, ip_ranges: Path, rounds: int) -> dict[str, float]:
    small = folder / "small" / first.name
    small.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(first, "rt") as handle:
        lines = [handle.readline() for _ in range(10)]
    with gzip.open(small, "wt") as handle:
        handle.writelines(lines)
    command = flows_command(small.parent, ip_ranges)
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)  # exit 1: findings
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return {"bytes": small.stat().st_size, "median_s": statistics.median(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--distinct", type=int, default=250_000)
    parser.add_argument("--records-per-file", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ip-ranges", type=Path, default=IP_RANGES)
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "flows" / "data")
    args = parser.parse_args()
    info = machine()
    info["load_before"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(json.dumps(info), flush=True)
    snapshot = with_ip_ranges(load_sample(), args.ip_ranges)
    for mode in ("v2-vpc", "v5-nat"):
        folder = args.data / f"production-{mode}"
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        truth, distinct = generate_production(
            snapshot,
            folder,
            records=args.records,
            mode=mode,
            distinct=args.distinct,
            records_per_file=args.records_per_file,
        )
        files = sorted(truth.files)
        size = sum(f.stat().st_size for f in files)
        row: dict[str, Any] = {
            "mode": mode,
            "records": truth.records,
            "files": len(files),
            "mib": round(size / 2**20, 1),
            "distinct_remotes": distinct,
            "generated_s": round(time.perf_counter() - started, 1),
        }
        row.update(check(folder, truth, args.ip_ranges))
        command = flows_command(folder, args.ip_ranges)
        row.update(compare(folder, files, args.rounds, command=command))
        row["attribution_share"] = row["attribution_s"] / row["in_process_s"]
        row["fixed"] = fixed_cost(files[0], args.data, args.ip_ranges, args.rounds)
        row["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
