"""The memory bound of ``vpcpath flows`` at scale (issue 12 item 4): a >= 20 GB gzip input.

    .venv/bin/python benchmarks/flows/memory_run.py generate   # 20 GB (10^9 bytes) under --data
    .venv/bin/python benchmarks/flows/memory_run.py run        # the three runs, one table row each
    .venv/bin/python benchmarks/flows/memory_run.py clean      # delete the input

The input. Writing 20 GB with the pure-Python generator would take hours, so this script
derives it from the production-shaped v2 set (``production.py``: the sample estate, AWS's
full ip-ranges, 250,000 distinct remote addresses; generated first when missing). Each output
file holds one production file's records repeated for ``--copies-per-file`` consecutive copies
``c``, rewritten by DuckDB SQL per copy: start and end move on by ``300 * c`` seconds;
packets and bytes are multiplied by ``1 + (c + start) % 7`` (the same factor for every
record of one flow, so its legs stay equal); ports other than 443 move to
``1024 + (port + 7919 c) % 64000``; and the last octet of every remote IPv4 address (not the
estate's own ``10.*`` / ``172.16.*`` ones) is XORed with ``c % 4``, so the input holds four
times the set's remote addresses, each staying in its /30 (and so, but for a /31 or /32
range, in its ip-ranges entry). Files are written in AWS's S3 layout by two processes.

The files are gzip with **stored** (uncompressed) deflate blocks: valid gzip that every
reader inflates, written fast, but 20 GB of it holds about 200 million records, what roughly
2.5 GB of AWS's own gzip would hold. What it keeps of a real 20 GB input: ten 2 GiB scan
batches, every distinct flow pair in most batches, the pairs table growing batch by batch, the
spill; what it does not: the record count (and so the wall time) of 20 GB of real gzip.

The runs. ``vpcpath flows --sample --ip-ranges FILE --offline --json`` over the whole input
with the default memory limit and with ``--memory-limit 512MB``, and over ``--parts`` disjoint
parts (the files in order, cut into equal counts) with the default limit: one after another,
or side by side with ``--which`` (memory does not depend on how busy the CPUs are).
For each: wall time, peak RSS of the process (its ``ru_maxrss``, from ``wait4``), the
largest the DuckDB spill folder grew (sampled every 0.2 s), and the exit code. Then every
byte total of the whole-input run (each NAT traffic row's bytes both ways, each coverage row,
bytes by verdict, NAT and avoidable bytes, records, NODATA and malformed counts) is compared
with the sum over the parts; any difference is printed and voids the run.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from multiprocessing import Pool
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.flows.production_run import IP_RANGES, flows_command  # noqa: E402
from benchmarks.flows.run import machine  # noqa: E402

GIB = 1 << 30
T0 = 1793491200  # 2026-11-01T00:00:00Z, the production set's first five minutes
V2 = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status"
)
_MACROS = (
    # A remote IPv4 address (the estate's are 10.* and 172.16.*) with its last octet ^ c % 4.
    "CREATE MACRO remote(a, c) AS CASE WHEN a = '-' OR a LIKE '10.%' OR a LIKE '172.16.%'"
    " OR a NOT LIKE '%.%' THEN a ELSE regexp_extract(a, '^(.*\\.)', 1)"
    " || xor(CAST(regexp_extract(a, '(\\d+)$', 1) AS INTEGER), CAST(c % 4 AS INTEGER))::VARCHAR"
    " END",
    "CREATE MACRO port(x, c) AS CASE WHEN x = '-' OR x = '443' THEN x"
    " ELSE (1024 + (x::BIGINT + c * 7919) % 64000)::VARCHAR END",
    "CREATE MACRO times(x, m) AS CASE WHEN x = '-' THEN x ELSE (x::BIGINT * m)::VARCHAR END",
)
_LINES = """
SELECT string_agg(concat_ws(' ', version, "account-id", "interface-id", remote(srcaddr, c),
    remote(dstaddr, c), port(srcport, c), port(dstport, c), protocol, times(packets, m),
    times(bytes, m), (start::BIGINT + c * 300)::VARCHAR, ("end"::BIGINT + c * 300)::VARCHAR,
    action, "log-status"), chr(10))
FROM (SELECT *, 1 + (c + start::BIGINT) % 7 AS m
      FROM src, range(?, ?) AS copies(c) WHERE file_id = ?)
"""


def stored_gzip(data: bytes) -> bytes:
    """``data`` as one gzip member of stored (uncompressed) deflate blocks."""
    packer = zlib.compressobj(0, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def _source(con: Any, files: list[Path]) -> None:
    listed = ", ".join("'" + str(p) + "'" for p in files)
    con.execute(
        f"CREATE TABLE src AS SELECT * EXCLUDE (filename),"
        f" list_position([{listed}], filename) - 1 AS file_id"
        f" FROM read_csv([{listed}], delim=' ', header=true, all_varchar=true, filename=true)"
    )
    for macro in _MACROS:
        con.execute(macro)


def _origin(path: Path) -> tuple[str, str]:
    parts = path.parts
    at = parts.index("AWSLogs")
    return parts[at + 1], parts[at + 3]


def _write(job: tuple[list[Path], Path, int, list[int], bool]) -> int:
    import duckdb

    sources, out, per_file, indexes, resume = job
    con = duckdb.connect(":memory:")
    con.execute("SET threads = 1")
    _source(con, sources)
    written = 0
    for index in indexes:
        source, block = index % len(sources), index // len(sources)
        first = block * per_file
        account, region = _origin(sources[source])
        moment = time.gmtime(T0 + first * 300)
        stamp = time.strftime("%Y%m%dT%H%MZ", moment)
        digest = hashlib.sha1(f"{index}".encode()).hexdigest()[:8]
        folder = out / "AWSLogs" / account / "vpcflowlogs" / region
        folder = folder / time.strftime("%Y/%m/%d", moment)
        target = (
            folder / f"{account}_vpcflowlogs_{region}_fl-0a1b2c3d4e5f60718_{stamp}_{digest}.log.gz"
        )
        if resume and target.exists():
            written += target.stat().st_size
            continue
        text = con.execute(_LINES, [first, first + per_file, source]).fetchone()[0]
        folder.mkdir(parents=True, exist_ok=True)
        data = stored_gzip(f"{V2}\n{text}\n".encode("ascii"))
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        partial.rename(target)
        written += len(data)
    return written


def production_files(data: Path) -> list[Path]:
    folder = data / "production-v2-vpc"
    files = sorted(folder.rglob("*.log.gz"))
    if files:
        return files
    from benchmarks.flows.production import generate_production, with_ip_ranges

    from vpcpath.sources.sample_estate import load_sample

    snapshot = with_ip_ranges(load_sample(), IP_RANGES)
    truth, _ = generate_production(snapshot, folder, records=2_000_000, mode="v2-vpc")
    return sorted(truth.files)


def distinct_pairs(sources: list[Path]) -> dict[str, int]:
    """Distinct remote addresses and flow-pair keys (account, ENI, source, destination) the
    input holds: the set's, under the four address variants."""
    import duckdb

    con = duckdb.connect(":memory:")
    _source(con, sources)
    pairs, remotes = con.execute(
        'SELECT count(DISTINCT ("account-id", "interface-id", remote(srcaddr, c),'
        " remote(dstaddr, c))), count(DISTINCT remote(dstaddr, c))"
        " FROM src, range(4) AS copies(c)"
    ).fetchone()
    return {"distinct_pairs": int(pairs), "distinct_destinations": int(remotes)}


def generate(args: argparse.Namespace) -> None:
    sources = production_files(args.data)
    out = args.data / "memory"
    if not args.resume:
        shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    target = int(args.gb * 1e9)
    probe = _write((sources, out, args.copies_per_file, [0], args.resume))
    count = -(-target // probe)
    count += count // 50  # files differ in size: a margin, trimmed below
    chunks = [list(range(w + 1, count, args.workers)) for w in range(args.workers)]
    jobs = [(sources, out, args.copies_per_file, c, args.resume) for c in chunks]
    with Pool(args.workers) as pool:
        total = probe + sum(pool.map(_write, jobs))
    files = sorted(out.rglob("*.log.gz"), key=lambda f: f.stat().st_mtime)
    while total - files[-1].stat().st_size >= target:  # drop the margin not needed
        total -= files[-1].stat().st_size
        files.pop().unlink()
    records = len(files) * args.copies_per_file * 20_000  # approximate: production files vary
    row = {
        "files": len(files),
        "gb": round(total / 1e9, 2),
        "gib": round(total / GIB, 2),
        "approx_records": records,
        "generated_s": round(time.perf_counter() - started, 1),
        **distinct_pairs(sources),
    }
    print(json.dumps(row), flush=True)


def _tree_size(folder: Path) -> int:
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):  # deleted while summed
                total += (Path(root) / name).stat().st_size
    return total


def measured(command: list[str], out: Path) -> dict[str, Any]:
    """Run ``command`` with TMPDIR pointed at a fresh folder (DuckDB spills in the engine's
    temp folder under it): wall time, peak RSS, largest spill, exit code."""
    scratch = Path(tempfile.mkdtemp(prefix="memory-run-", dir=out.parent))
    env = {**os.environ, "TMPDIR": str(scratch)}
    peak_spill = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_spill
        while not done.wait(0.2):
            peak_spill = max(peak_spill, _tree_size(scratch))

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    with out.open("wb") as handle:
        process = subprocess.Popen(command, stdout=handle, env=env)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    shutil.rmtree(scratch, ignore_errors=True)
    return {
        "wall_s": round(wall, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        "peak_spill_mib": round(peak_spill / 2**20),
        "exit": os.waitstatus_to_exitcode(status),
    }


def totals(result: dict[str, Any]) -> Counter[str]:
    """Every byte total and count of a ``vpcpath.flows/1`` JSON, by a key naming it."""
    found: Counter[str] = Counter()
    for row in result["nat_traffic"]:
        key = (
            "|".join(
                str(row[k])
                for k in ("nat_gateway_id", "source_subnet_id", "source_eni_id", "service")
            )
            + f"|{row['service_region']}|{row['avoidable_by']}"
        )
        found[f"nat {key} to"] += row["bytes_to_destination"]
        found[f"nat {key} from"] += row["bytes_from_destination"]
    for row in result["coverage"]:
        for field in ("client_leg_bytes", "internet_leg_bytes", "attributed_bytes", "model_bytes"):
            found[f"coverage {row['nat_gateway_id']} {field}"] += row[field]
    for verdict, value in result["bytes_by_verdict"].items():
        found[f"verdict {verdict}"] += value
    for field in ("nat_bytes", "avoidable_bytes"):
        found[f"total {field}"] += result["totals"][field]
    for field in ("records", "nodata", "malformed", "skipdata"):
        found[f"input {field}"] += result["input"][field]
    found["matched_records"] += result["matched_records"]
    return found


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run_whole(base: list[str], results: Path, limit: str | None) -> None:
    extra = ["--memory-limit", limit] if limit else []
    out = results / f"whole-{limit or 'default'}.json"
    label = f"--memory-limit {limit}" if limit else "default limit"
    row = {"run": f"whole input, {label}", "load_before": _load(), **measured([*base, *extra], out)}
    row["load"] = _load()
    print(json.dumps(row), flush=True)


def time_parts(files: list[Path], parts: int) -> list[list[Path]]:
    """``files`` cut into at most ``parts`` runs of whole time windows (the file names'
    stamps), in time order. A flow's records are in several accounts' files of one window (the
    workload's, and the NAT gateway's two legs), and attribution matches them: a cut between
    files of one window would separate them and change the attribution."""
    from vpcpath.flows.inputs import file_interval

    windows: dict[Any, list[Path]] = {}
    for f in files:
        interval = file_interval(str(f))
        windows.setdefault(interval[0] if interval else None, []).append(f)
    stamps = sorted(windows, key=str)
    count = min(parts, len(stamps))
    cut: list[list[Path]] = [[] for _ in range(count)]
    for index, stamp in enumerate(stamps):
        cut[index * count // len(stamps)].extend(windows[stamp])
    return cut


def run_parts(base: list[str], results: Path, files: list[Path], parts: int) -> None:
    cut = time_parts(files, parts)
    row: dict[str, Any] = {
        "run": f"{len(cut)} parts by time, default limit",
        "load_before": _load(),
    }
    runs = []
    for number, part in enumerate(cut):
        out = results / f"part-{number}.json"
        runs.append(measured([*base[:-1], *(str(f) for f in part)], out))
    row["files"] = [len(part) for part in cut]
    row["wall_s"] = round(sum(p["wall_s"] for p in runs), 1)
    row["peak_rss_mib"] = max(p["peak_rss_mib"] for p in runs)
    row["peak_spill_mib"] = max(p["peak_spill_mib"] for p in runs)
    row["exits"] = sorted({p["exit"] for p in runs})
    row["load"] = _load()
    print(json.dumps(row), flush=True)


def compare(results: Path) -> None:
    whole = totals(json.loads((results / "whole-default.json").read_text()))
    summed: Counter[str] = Counter()
    for part in sorted(results.glob("part-*.json")):
        summed.update(totals(json.loads(part.read_text())))
    keys = sorted(set(whole) | set(summed))
    differ = [(k, whole[k], summed[k]) for k in keys if whole[k] != summed[k]]
    row = {
        "compared_totals": len(keys),
        "equal": not differ,
        "nat_bytes": whole["total nat_bytes"],
        "records": whole["input records"],
        "nat_traffic_rows": sum(1 for k in whole if k.startswith("nat ") and k.endswith(" to")),
        "differences": differ[:20],
    }
    print(json.dumps(row), flush=True)


def run(args: argparse.Namespace) -> None:
    folder = args.data / "memory"
    files = sorted(folder.rglob("*.log.gz"))
    if not files:
        raise SystemExit(f"{folder}: no input; run `generate` first")
    results = args.data / "memory-results"
    results.mkdir(exist_ok=True)
    base = flows_command(folder, args.ip_ranges)
    if args.which in ("all", "default", "512MB"):
        info = machine()
        info["load_before"] = _load()
        info["input_gb"] = round(sum(f.stat().st_size for f in files) / 1e9, 2)
        info["files"] = len(files)
        print(json.dumps(info), flush=True)
    if args.which in ("all", "default"):
        run_whole(base, results, None)
    if args.which in ("all", "512MB"):
        run_whole(base, results, "512MB")
    if args.which in ("all", "parts"):
        run_parts(base, results, files, args.parts)
    if args.which in ("all", "compare"):
        compare(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("generate", "run", "clean"))
    parser.add_argument(
        "--which",
        choices=("all", "default", "512MB", "parts", "compare"),
        default="all",
        help="run: one of the runs (to run them side by side), or the comparison",
    )
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "flows" / "data")
    parser.add_argument("--gb", type=float, default=20.0, help="input size to write (10^9 bytes)")
    parser.add_argument("--resume", action="store_true", help="keep the files written already")
    parser.add_argument("--copies-per-file", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--parts", type=int, default=10)
    parser.add_argument("--ip-ranges", type=Path, default=IP_RANGES)
    args = parser.parse_args()
    if args.step == "generate":
        generate(args)
    elif args.step == "run":
        run(args)
    else:
        shutil.rmtree(args.data / "memory", ignore_errors=True)


if __name__ == "__main__":
    main()
