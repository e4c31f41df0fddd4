"""Benchmark ``vpcpath flows``: one command, results to paste into benchmarks/README.md.

    .venv/bin/python benchmarks/flows/run.py            # 4M records + a >= 2 GB run
    .venv/bin/python benchmarks/flows/run.py --skip-big  # the timing comparison only

In one run it measures, on the same gzip files of generated v2 VPC-level flow logs for the
sample estate (src/vpcpath/flows/synthetic/generator.py):

1. ``gzip -dc FILES > /dev/null``: the physical floor — every byte must be decompressed;
2. ``vpcpath flows --sample DIR --json > /dev/null``: end to end, process start included;
3. the pure-Python reference (benchmarks/flows/reference.py) on a subset of the files, scaled
   up linearly to the whole set — after checking that it agrees with vpcpath byte for byte;

rounds of (1) and (2) alternate so both see the same machine load; the medians and the
median of the per-round ratios are reported. With the big run, a second set of >= 2 GB of gzip
files is generated (in parallel, gzip level 1) and ``vpcpath flows`` is run on it under
``/usr/bin/time`` for its peak RSS, with one ``gzip -dc`` of the same files for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.flows.reference import reference  # noqa: E402

from vpcpath.flows import FlowsRequest, analyze_flows  # noqa: E402
from vpcpath.flows.synthetic.generator import generate  # noqa: E402
from vpcpath.pricing.table import load_prices  # noqa: E402
from vpcpath.sources.sample_estate import load_sample  # noqa: E402

VPCPATH = Path(sys.executable).parent / "vpcpath"


def machine() -> dict[str, str]:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    import duckdb

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "ram": f"{mem_kb / 2**20:.0f} GiB",
        "cpu": model,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "gzip": subprocess.run(
            ["gzip", "--version"], capture_output=True, text=True
        ).stdout.splitlines()[0],
    }


def gz_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.log.gz"))


def ensure_data(folder: Path, records: int, **options: object) -> list[Path]:
    stamp = folder / "generated.json"
    wanted = {"records": records, **{k: str(v) for k, v in options.items()}}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return gz_files(folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    generate(load_sample(), folder, records=records, extras=False, **options)  # type: ignore[arg-type]
    print(f"generated {records:,} records in {time.perf_counter() - started:.0f} s", flush=True)
    stamp.write_text(json.dumps(wanted))
    return gz_files(folder)


def timed(command: list[str] | str, *, shell: bool = False) -> float:
    started = time.perf_counter()
    subprocess.run(command, shell=shell, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def gzip_command(files: list[Path]) -> str:
    return "gzip -dc " + " ".join(f"'{f}'" for f in files) + " > /dev/null"


def count_records(files: list[Path]) -> int:
    total = 0
    for f in files:
        out = subprocess.run(f"gzip -dc '{f}' | wc -l", shell=True, capture_output=True, text=True)
        total += int(out.stdout) - 1
    return total


def compare(
    data: Path, files: list[Path], rounds: int, *, command: list[str] | None = None
) -> dict[str, float]:
    """Medians of ``gzip -dc`` and ``command`` (``vpcpath flows --sample DATA``), alternated."""
    flows = command or [str(VPCPATH), "flows", "--sample", str(data), "--json"]
    gz, vp = [], []
    timed(flows)  # warm the page cache and the imports once
    for _ in range(rounds):
        gz.append(timed(gzip_command(files), shell=True))
        vp.append(timed(flows))
    ratios = [v / g for v, g in zip(vp, gz, strict=True)]
    return {
        "gzip_s": statistics.median(gz),
        "vpcpath_s": statistics.median(vp),
        "ratio": statistics.median(ratios),
        "ratio_best": min(ratios),
        "ratio_worst": max(ratios),
    }


def reference_speed(files: list[Path], subset_records: int, *, cached: bool) -> dict[str, float]:
    """Time the reference on the first ``subset_records`` records (whole files, or the first
    lines of the first file: the straightforward script needs ~0.3 ms a record)."""
    snapshot = load_sample()
    subset: list[Path] = []
    for f in files:
        subset.append(f)
        if count_records(subset) >= subset_records:
            break
    if count_records(subset) > 2 * subset_records:
        head = Path(tempfile.mkdtemp(prefix="vpcpath-ref-")) / "head.log.gz"
        subprocess.run(
            f"gzip -dc '{subset[0]}' | head -n {subset_records + 1} | gzip -1 > '{head}'",
            shell=True,
            check=True,
        )
        subset = [head]
    n = count_records(subset)
    started = time.perf_counter()
    expected = reference(snapshot, subset, cached=cached)
    seconds = time.perf_counter() - started
    got: dict[tuple[str, str | None, str | None], tuple[int, int]] = {}
    result = analyze_flows(
        snapshot, FlowsRequest(inputs=tuple(map(str, subset))), prices=load_prices()
    )
    for row in result.nat_traffic:
        key = (row.source_subnet_id or "", row.service, row.service_region)
        to, back = got.get(key, (0, 0))
        got[key] = (to + row.bytes_to_destination, back + row.bytes_from_destination)
    if got != expected:
        raise SystemExit("the reference and vpcpath disagree: the benchmark is void")
    return {"subset_records": n, "subset_s": seconds, "per_record_us": seconds / n * 1e6}


def _generate_part(args: tuple[Path, int, int]) -> None:
    folder, records, seed = args
    generate(
        load_sample(),
        folder,
        records=records,
        seed=seed,
        extras=False,
        records_per_file=1_000_000,
        compresslevel=1,
        remotes_per_kind=200,
    )


def big_run(folder: Path, target_gb: float) -> dict[str, float]:
    stamp = folder / "generated.json"
    if not (stamp.exists() and json.loads(stamp.read_text()).get("gb") == target_gb):
        shutil.rmtree(folder, ignore_errors=True)
        probe = folder / "probe"
        _generate_part((probe, 200_000, 1))
        per_record = sum(f.stat().st_size for f in gz_files(probe)) / 200_000
        shutil.rmtree(probe)
        records = int(target_gb * 2**30 / per_record * 1.03)
        workers = os.cpu_count() or 1
        started = time.perf_counter()
        with Pool(workers) as pool:
            pool.map(
                _generate_part,
                [(folder / f"part-{i}", records // workers, 100 + i) for i in range(workers)],
            )
        print(f"generated {records:,} records in {time.perf_counter() - started:.0f} s")
        stamp.write_text(json.dumps({"gb": target_gb, "records": records}))
    files = gz_files(folder)
    size = sum(f.stat().st_size for f in files)
    records = json.loads(stamp.read_text())["records"]
    gz = timed(gzip_command(files), shell=True)
    command = ["/usr/bin/time", "-f", "%e %M", str(VPCPATH), "flows", "--sample", str(folder)]
    done = subprocess.run(
        [*command, "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall, rss_kb = done.stderr.strip().splitlines()[-1].split()
    return {
        "gb": size / 2**30,
        "records": records,
        "gzip_s": gz,
        "vpcpath_s": float(wall),
        "peak_rss_mb": int(rss_kb) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", default="2000000,4000000,10000000", help="sizes to time, comma-separated"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--straightforward-records", type=int, default=20_000)
    parser.add_argument("--cached-records", type=int, default=300_000)
    parser.add_argument("--big-gb", type=float, default=2.0)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--data", type=Path, default=Path("/tmp/vpcpath-bench"))
    args = parser.parse_args()
    info = machine()
    print(json.dumps(info, indent=2), flush=True)
    rows: list[str] = []
    reference_us: dict[str, float] = {}
    for records in (int(r) for r in args.records.split(",")):
        folder = args.data / f"v2-{records}"
        files = ensure_data(folder, records, records_per_file=250_000)
        size = sum(f.stat().st_size for f in files)
        if not reference_us:
            for name, cached, n in (
                ("straightforward", False, args.straightforward_records),
                ("cached", True, args.cached_records),
            ):
                ref = reference_speed(files, n, cached=cached)
                print(json.dumps({name: ref}), flush=True)
                reference_us[name] = ref["per_record_us"]
        t = compare(folder, files, args.rounds)
        print(json.dumps({"records": records, **t}), flush=True)
        plain = reference_us["straightforward"] * records / 1e6
        cached = reference_us["cached"] * records / 1e6
        rows.append(
            f"| {records:,} ({len(files)} files, {size / 2**20:.0f} MiB) |"
            f" {t['gzip_s']:.2f} s | {t['vpcpath_s']:.2f} s |"
            f" **{t['ratio']:.2f}×** ({t['ratio_best']:.2f}–{t['ratio_worst']:.2f}) |"
            f" {plain:,.0f} s / {cached:,.1f} s |"
            f" {plain / t['vpcpath_s']:,.0f}× / {cached / t['vpcpath_s']:.1f}× |"
        )
    print(
        f"\n{info['date']}; {info['cores']} cores, {info['ram']} RAM, {info['cpu']};"
        f" Python {info['python']}, DuckDB {info['duckdb']}, {info['gzip']}."
    )
    print(
        f"Pure Python per record: straightforward {reference_us['straightforward']:.0f} µs,"
        f" cached {reference_us['cached']:.1f} µs.\n"
    )
    print(
        "| records (gzip files) | gzip -dc | vpcpath flows | ratio: median (range) |"
        " pure Python, scaled: straightforward / cached | vpcpath speed-up |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if not args.skip_big:
        big = big_run(args.data / f"big-{args.big_gb}", args.big_gb)
        print(json.dumps(big, indent=2))
        print(
            f"\n| {big['gb']:.2f} GiB gzip, {big['records']:,} records |"
            f" gzip -dc {big['gzip_s']:.0f} s | vpcpath flows {big['vpcpath_s']:.0f} s"
            f" ({big['vpcpath_s'] / big['gzip_s']:.2f}×) | peak RSS {big['peak_rss_mb']:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
