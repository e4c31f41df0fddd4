"""Benchmark: load a 2,000-VPC / 20,000-subnet snapshot, then explain every subnet to s3.

Target (issue 2): explaining all subnets takes under 10× the load time, measured in the same
run (the load is the baseline). Peak RSS recorded.

    .venv/bin/python benchmarks/explain/run.py [--vpcs 2000] [--subnets-per-vpc 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from vpcpath.pricing.table import load_bundled_prices
from vpcpath.routing.explain import explain
from vpcpath.routing.trace import Tracer
from vpcpath.sources.folder import load_snapshot


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vpcs", type=int, default=2000)
    parser.add_argument("--subnets-per-vpc", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.vpcs, args.subnets_per_vpc)
        t0 = time.perf_counter()
        snapshot = load_snapshot(root)
        load_s = time.perf_counter() - t0
    prices = load_bundled_prices()
    tracer = Tracer(snapshot)
    verdicts: Counter[str] = Counter()
    t1 = time.perf_counter()
    for subnet_id in snapshot.subnets:
        result = explain(snapshot, subnet_id, "s3", prices=prices, tracer=tracer)
        verdicts[str(result.legs[0].verdict)] += 1
    explain_s = time.perf_counter() - t1
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = explain_s / load_s
    print(f"date (UTC)        {datetime.now(UTC):%Y-%m-%d %H:%M}")
    print(f"machine           {cpu_model()}, {os.cpu_count()} cores, {mem_gib():.0f} GiB RAM")
    print(
        f"snapshot          {len(snapshot.vpcs)} VPCs, {len(snapshot.subnets)} subnets, "
        f"{len(snapshot.route_tables)} route tables"
    )
    print(f"load              {load_s:.2f} s")
    print(
        f"explain all → s3  {explain_s:.2f} s ({len(snapshot.subnets) / explain_s:,.0f} subnets/s)"
    )
    print(f"ratio             {ratio:.2f}× load (target < 10×) {'PASS' if ratio < 10 else 'FAIL'}")
    print(f"peak RSS          {rss_mib:,.0f} MiB")
    print(f"verdicts          {dict(verdicts)}")


if __name__ == "__main__":
    main()
