"""`vpcpath flows --emit-sql athena` and `--from-athena-csv FILE`: the flows answer computed
inside Amazon Athena, and read back from the CSV Athena writes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from vpcpath.cli.common import EXIT_OK, EXIT_PARTIAL, emit_json
from vpcpath.errors import UsageError
from vpcpath.model import Snapshot
from vpcpath.pricing.table import PriceTable
from vpcpath.report.style import Style


def add_athena_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--emit-sql",
        choices=("athena",),
        help="print one Athena (Trino) query that computes the NAT traffic rows over AWS's "
        "flow-log table, with the snapshot inlined; reads no flow logs",
    )
    p.add_argument(
        "--table", metavar="NAME", help="the flow-log table for --emit-sql (vpc_flow_logs)"
    )
    p.add_argument("--database", metavar="NAME", help="its database for --emit-sql")
    p.add_argument(
        "--from-athena-csv",
        type=Path,
        metavar="FILE",
        help="read the CSV result of the --emit-sql query instead of flow logs",
    )


# Flags that only mean something when vpcpath reads the flow logs itself.
_SCAN_FLAGS = (
    ("paths", "FLOW_LOG_PATH"),
    ("start", "--start"),
    ("end", "--end"),
    ("threads", "--threads"),
    ("fields", "--fields"),
    ("log_format", "--format"),
    ("spark_master", "--spark-master"),
    ("spark_parser", "--spark-parser"),
    ("profile", "--profile"),
)


def _given(args: argparse.Namespace) -> list[str]:
    found = [flag for name, flag in _SCAN_FLAGS if getattr(args, name, None)]
    if args.engine != "duckdb":
        found.append(f"--engine {args.engine}")
    if args.memory_limit != "1GB":
        found.append("--memory-limit")
    return found


def athena_mode(args: argparse.Namespace) -> bool:
    """Whether this run is an Athena one; UsageError when its flags do not go together."""
    if args.emit_sql is None and (args.table or args.database):
        raise UsageError("--table and --database are for --emit-sql athena")
    if args.emit_sql is None and args.from_athena_csv is None:
        if not args.paths:
            raise UsageError("name the flow logs to read (FLOW_LOG_PATH …)")
        return False
    mode = "--emit-sql" if args.emit_sql is not None else "--from-athena-csv"
    clashes = _given(args)
    if args.emit_sql is not None and args.from_athena_csv is not None:
        clashes.append("--from-athena-csv")
    if args.emit_sql is not None and args.json:
        clashes.append("--json")
    if args.from_athena_csv is not None and (args.ip_ranges or args.offline):
        clashes.append("--ip-ranges" if args.ip_ranges else "--offline")
    if clashes:
        raise UsageError(f"{mode} reads no flow logs: drop {', '.join(clashes)}")
    return True


def run_athena(args: argparse.Namespace, snapshot: Snapshot, style: Style, out: TextIO) -> int:
    from vpcpath.pricing.table import load_prices

    if args.emit_sql is not None:
        return _emit(args, snapshot, out, load_prices())
    from vpcpath.flows.athena_csv import read_athena_csv
    from vpcpath.report.flows_json import flows_to_json
    from vpcpath.report.flows_text import render_flows

    result = read_athena_csv(args.from_athena_csv, prices=load_prices())
    if args.json:
        emit_json(flows_to_json(result), out)
    else:
        print(render_flows(result, style, snapshot=snapshot, top=args.top), file=out)
    return EXIT_PARTIAL if getattr(args, "partial", False) else EXIT_OK


def _emit(args: argparse.Namespace, snapshot: Snapshot, out: TextIO, prices: PriceTable) -> int:
    from vpcpath.flows.athena_sql import ATHENA_MAX_QUERY_BYTES, athena_query
    from vpcpath.flows.ip_ranges_source import obtain_ip_ranges

    choice = obtain_ip_ranges(
        snapshot, path=args.ip_ranges, allow_download=not args.offline, cache_dir=None
    )
    if choice.note:
        print(f"vpcpath: note: {choice.note}", file=sys.stderr)
    query = athena_query(
        snapshot,
        choice.ranges,
        prices=prices,
        table=args.table or "vpc_flow_logs",
        database=args.database,
        ip_ranges_source=choice.source,
    )
    size = len(query.encode())
    if size > ATHENA_MAX_QUERY_BYTES:
        print(
            f"vpcpath: warning: the query is {size:,} bytes; Athena accepts at most "
            f"{ATHENA_MAX_QUERY_BYTES:,} (Service Quotas: query string length)",
            file=sys.stderr,
        )
    out.write(query)
    return EXIT_PARTIAL if getattr(args, "partial", False) else EXIT_OK
