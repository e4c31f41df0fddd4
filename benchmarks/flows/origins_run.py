"""Flow logs of many accounts in one bucket: the same files placed under one account or
under one account each (issue 12; DESIGN "Flow-log inputs": AWS's S3 layout names the account
and region in each path).

    .venv/bin/python benchmarks/flows/origins_run.py        # --accounts 100 --rounds 3

Organisations deliver every account's flow logs to one central bucket
(``AWSLogs/<account>/vpcflowlogs/<region>/…``), and a file's path is what supplies the
account (and region) of records that lack those fields. The set: ``--accounts`` files of
20,000 records each (v2 default format, the sample estate's generator), written
twice — all under the sample's account, and each under an account of its own. Both folders
hold the same bytes; a scan that treats each account as its own statement reads the second
one file at a time. Rounds alternate, each a new ``vpcpath flows --sample --json`` process;
medians. The target: the many-account folder within 1.2× of the one-account folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.flows.run import machine  # noqa: E402

from vpcpath.flows.synthetic.generator import generate  # noqa: E402
from vpcpath.sources.sample_estate import load_sample  # noqa: E402

VPCPATH = Path(sys.executable).with_name("vpcpath")
ACCOUNT = "111122223333"  # the sample's


def place(files: list[Path], out: Path, *, one_account: bool) -> Path:
    """Copy ``files`` into ``out`` in AWS's S3 layout, one account or one account each."""
    for n, source in enumerate(files):
        account = ACCOUNT if one_account else f"{900000000000 + n:012d}"
        folder = out / "AWSLogs" / account / "vpcflowlogs" / "eu-west-1" / "2026" / "11" / "01"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{account}_vpcflowlogs_eu-west-1_fl-0a1b2c3d4e5f60718_20261101T0000Z_{n:04d}.log.gz"
        shutil.copyfile(source, folder / name)
    return out


def timed(folder: Path) -> float:
    started = time.perf_counter()
    command = [str(VPCPATH), "flows", "--sample", "--offline", "--json", str(folder)]
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "flows" / "data")
    args = parser.parse_args()
    info = machine()
    info["load_before"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(json.dumps(info), flush=True)
    source = args.data / "origins-source"
    shutil.rmtree(source, ignore_errors=True)
    generate(
        load_sample(), source, records=args.accounts * 20_000, records_per_file=20_000, extras=False
    )
    files = sorted(source.rglob("*.log.gz"))[: args.accounts]
    one = place(files, args.data / "origins-one", one_account=True)
    many = place(files, args.data / "origins-many", one_account=False)
    timed(one)  # warm the page cache and the imports once
    times: dict[str, list[float]] = {"one": [], "many": []}
    for _ in range(args.rounds):
        times["one"].append(timed(one))
        times["many"].append(timed(many))
    one_s, many_s = (statistics.median(times[k]) for k in ("one", "many"))
    row = {
        "files": len(files),
        "accounts": len(files),
        "one_account_s": round(one_s, 2),
        "one_account_each_s": round(many_s, 2),
        "ratio": round(many_s / one_s, 2),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    print(json.dumps(row), flush=True)
    for folder in (source, one, many):
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
