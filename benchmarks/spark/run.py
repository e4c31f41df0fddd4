"""Benchmark ``vpcpath flows --engine spark`` against the DuckDB engine (issue 10).

    .venv/bin/python benchmarks/spark/run.py                # 4M records, local[2], 3 rounds
    .venv/bin/python benchmarks/spark/run.py --code DIR --label NAME  # DIR/src instead

On the 4M-record v2 set of ``benchmarks/flows/run.py`` (generated into the same cache
folder when missing), rounds alternate, each a new process writing the JSON document:

1. ``vpcpath flows --sample DIR --json`` (DuckDB);
2. ``vpcpath flows --sample DIR --json --engine spark --spark-master local[2]``, with
   Spark's event log on, from which each job's and stage's time and the scan stage's task
   time are taken;
3. session start alone: a new process that imports the engine, starts the same session
   (``engine_spark.spark_session``) and stops it.

The Spark engine's own time is (2) minus (3); the target is at most 3x (1). Records per
second per core: records over the executors' CPU time, every task of the run summed.
``--parser`` (``jvm``, the default, or ``sql``) is the Spark engine's parser
(``VPCPATH_SPARK_PARSER``). Both JSON documents must be identical, else the run is void.
Load averages are printed with the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from vpcpath.flows.synthetic.generator import generate  # noqa: E402
from vpcpath.sources.sample_estate import load_sample  # noqa: E402

MASTER = "local[2]"
SESSION_ONLY = (
    "from vpcpath.flows.engine_spark import SparkOptions, spark_session\n"
    "spark, _ = spark_session(SparkOptions(master={master!r}))\n"
    "spark.stop()\n"
)


def ensure_data(folder: Path, records: int) -> None:
    """The set of ``benchmarks/flows/run.py`` (same folder, same stamp, reused)."""
    stamp = folder / "generated.json"
    wanted = {"records": records, "records_per_file": "250000"}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return
    folder.mkdir(parents=True, exist_ok=True)
    generate(load_sample(), folder, records=records, extras=False, records_per_file=250_000)
    stamp.write_text(json.dumps(wanted))


def run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def stages(event_dir: Path) -> dict[str, Any]:
    """Jobs, stages (time, tasks), and the executors' CPU time summed over every task (the
    scan is nearly all of it; with the JVM parser two stages read its cached rows, one
    waiting for the other, so a stage's run time would count the wait)."""
    log = max(event_dir.iterdir(), key=lambda p: p.stat().st_mtime)
    files = sorted(log.glob("events_*")) if log.is_dir() else [log]
    out: dict[str, Any] = {"jobs": 0, "stages": [], "cpu_s": 0.0}
    for path in files:
        for line in path.read_text().splitlines():
            event = json.loads(line)
            kind = event["Event"]
            if kind == "SparkListenerJobStart":
                out["jobs"] += 1
            elif kind == "SparkListenerStageCompleted":
                info = event["Stage Info"]
                seconds = (info["Completion Time"] - info["Submission Time"]) / 1000
                out["stages"].append((info["Stage ID"], info["Number of Tasks"], seconds))
            elif kind == "SparkListenerTaskEnd":
                metrics = event.get("Task Metrics") or {}
                out["cpu_s"] += metrics.get("Executor CPU Time", 0) / 1e9
    return out


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=4_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/vpcpath-bench"))
    parser.add_argument("--code", type=Path, help="a checkout whose src/ to time instead")
    parser.add_argument("--label", help="the code's name in the table (default: its commit)")
    parser.add_argument("--java-options", help="the driver JVM's options instead of vpcpath's")
    parser.add_argument("--parser", choices=("jvm", "sql"), default="jvm")
    args = parser.parse_args()
    folder = args.data / f"v2-{args.records}"
    ensure_data(folder, args.records)
    env = {**os.environ}
    env.pop("SPARK_MASTER", None)
    env["VPCPATH_SPARK_PARSER"] = args.parser
    if args.code is not None:
        env["PYTHONPATH"] = str(args.code.resolve() / "src")
    commit = (
        args.label
        or subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    )
    python = [sys.executable]
    flows = [*python, "-m", "vpcpath", "flows", "--sample", str(folder), "--json"]
    spark_flows = [*flows, "--engine", "spark", "--spark-master", MASTER]
    session = [*python, "-c", SESSION_ONLY.format(master=MASTER)]
    java = f"--driver-java-options '{args.java_options}' " if args.java_options else ""
    session_env = {**env, "PYSPARK_SUBMIT_ARGS": f"{java}pyspark-shell"} if java else env
    duck_s, spark_s, session_s, details = [], [], [], []
    loads = [load()]
    run(flows, env)  # warm the page cache and the imports once
    for _ in range(args.rounds):
        seconds, duck_doc = run(flows, env)
        duck_s.append(seconds)
        with tempfile.TemporaryDirectory() as events:
            logging = f"--conf spark.eventLog.enabled=true --conf spark.eventLog.dir={events}"
            submit = f"{logging} --conf spark.eventLog.compress=false {java}pyspark-shell"
            seconds, spark_doc = run(spark_flows, {**env, "PYSPARK_SUBMIT_ARGS": submit})
            details.append(stages(Path(events)))
        spark_s.append(seconds)
        if spark_doc != duck_doc:
            sys.exit("void: the Spark engine's JSON differs from DuckDB's")
        session_s.append(run(session, session_env)[0])
        print(json.dumps({"duckdb": duck_s[-1], "spark": spark_s[-1], "session": session_s[-1]}))
    loads.append(load())
    duck, spark, start = (statistics.median(x) for x in (duck_s, spark_s, session_s))
    own = statistics.median(s - t for s, t in zip(spark_s, session_s, strict=True))
    last = details[-1]
    records = json.loads(spark_doc)["input"]["records"]
    per_core = records / last["cpu_s"] if last["cpu_s"] else 0.0
    stage_text = ", ".join(f"{sid}: {n} tasks {s:.1f} s" for sid, n, s in last["stages"])
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"\n{date}; {os.cpu_count()} cores, Python {platform.python_version()};"
        f" commit {commit}; parser {args.parser}; load {loads[0]} -> {loads[1]};"
        f" medians of {args.rounds} rounds\n"
    )
    print(
        "| commit | DuckDB | Spark local[2] | session start | Spark less start | ratio |"
        " jobs / stages | records/s per core (executor CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {commit} | {duck:.2f} s | {spark:.1f} s | {start:.1f} s | {own:.1f} s |"
        f" **{own / duck:.1f}×** | {last['jobs']} / {len(last['stages'])} |"
        f" {per_core:,.0f} |"
    )
    print(f"\nstages of the last Spark run: {stage_text}")


if __name__ == "__main__":
    main()
