"""`vpcpath flows`: attribute flow-log bytes; the flow-reading flags `audit` shares."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpcpath.cli.common import EXIT_OK, EXIT_PARTIAL, emit_json, positive_int
from vpcpath.cli.estate import add_estate_flags, load_estate
from vpcpath.cli.flows_athena import add_athena_flags, athena_mode, run_athena
from vpcpath.model import Snapshot
from vpcpath.report.style import Style

if TYPE_CHECKING:  # DuckDB loads only when flow logs are read
    from vpcpath.flows import FlowsResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("flows", help="attribute flow-log bytes to NAT gateways, sources, services")
    add_estate_flags(p)
    add_flows_flags(p)
    p.set_defaults(handler=cmd_flows)


def add_flows_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        metavar="FLOW_LOG_PATH",
        help="flow-log files, folders, globs or s3://bucket/prefix (text, gzip or Parquet)",
    )
    p.add_argument("--json", action="store_true", help="print the vpcpath.flows/1 JSON")
    p.add_argument("--top", type=positive_int, default=10, metavar="N", help="rows per table (10)")
    add_flow_reading_flags(p)
    p.add_argument(
        "--format",
        choices=("default",),
        dest="log_format",
        help="the format of flow logs without a header line: default (AWS's default format; "
        "the same as --fields default)",
    )
    p.add_argument("--profile", help="AWS profile for s3:// inputs and --live")
    add_athena_flags(p)


def add_flow_reading_flags(p: argparse.ArgumentParser) -> None:
    """How flow logs are selected and read; shared by `flows` and `audit --flow-logs`."""
    p.add_argument("--start", metavar="TIME", help="first UTC date/time to read (2024-05-01)")
    p.add_argument("--end", metavar="TIME", help="UTC date/time to stop before (exclusive)")
    p.add_argument("--ip-ranges", type=Path, metavar="FILE", help="AWS's ip-ranges.json to use")
    p.add_argument("--offline", action="store_true", help="never download ip-ranges.json from AWS")
    p.add_argument("--threads", type=positive_int, metavar="N", help="DuckDB threads (every core)")
    p.add_argument(
        "--fields",
        metavar='"F1 F2 …"',
        help="the fields, in order, of flow logs without a header line (CloudWatch Logs "
        'exports), e.g. "version account-id interface-id srcaddr dstaddr …"; default: AWS\'s '
        "default format. Files with a header are read by their header",
    )
    p.add_argument(
        "--memory-limit", default="1GB", metavar="SIZE", help="DuckDB memory limit (1GB)"
    )
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="what reads the records: DuckDB in process (default) or Apache Spark (extra 'spark')",
    )
    p.add_argument(
        "--spark-master",
        metavar="URL",
        help="Spark master for --engine spark ($SPARK_MASTER, else local[*])",
    )
    p.add_argument(
        "--spark-parser",
        choices=("auto", "jvm", "sql"),
        help="how --engine spark reads text: its JVM parser (built with javac), its SQL rules, "
        "or auto: the JVM parser when a JDK can build it ($VPCPATH_SPARK_PARSER, else auto)",
    )


def analyze_flow_logs(
    args: argparse.Namespace, snapshot: Snapshot, paths: Sequence[str]
) -> FlowsResult:
    from vpcpath.errors import UsageError
    from vpcpath.flows import EngineOptions, FlowsRequest, analyze_flows
    from vpcpath.flows.engine_spark import SparkOptions
    from vpcpath.flows.inputs import parse_time
    from vpcpath.flows.readers import parse_fields_option
    from vpcpath.pricing.table import load_prices

    engine = args.engine
    for name, flag in (("spark_master", "--spark-master"), ("spark_parser", "--spark-parser")):
        if getattr(args, name) and engine != "spark":
            raise UsageError(f"{flag} is for --engine spark")
    start = parse_time(args.start, option="--start") if args.start else None
    end = parse_time(args.end, option="--end") if args.end else None
    if start is not None and end is not None and start >= end:
        raise UsageError(f"--start {args.start} is not before --end {args.end}")
    fields_text = args.fields
    if getattr(args, "log_format", None) is not None:
        if fields_text is not None:
            raise UsageError("give --fields or --format, not both")
        fields_text = args.log_format
    request = FlowsRequest(
        inputs=tuple(paths),
        start=start,
        end=end,
        fields=parse_fields_option(fields_text) if fields_text is not None else None,
        ip_ranges_path=args.ip_ranges,
        allow_download=not args.offline,
        engine=EngineOptions(threads=args.threads, memory_limit=args.memory_limit),
        spark=(
            SparkOptions(master=args.spark_master, parser=args.spark_parser)
            if engine == "spark"
            else None
        ),
    )
    s3 = None
    if args.profile and any(p.startswith("s3://") for p in paths):
        from vpcpath.sources.live.s3_objects import S3Objects

        s3 = S3Objects.from_profile(args.profile)
    quiet = getattr(args, "quiet", False)
    bar = ByteProgress(sys.stderr, enabled=sys.stderr.isatty() and not quiet)
    try:
        result = analyze_flows(snapshot, request, prices=load_prices(), progress=bar, s3=s3)
    finally:
        bar.close()
    for error in result.input.errors:
        print(f"vpcpath: error: {error.file}: {error.message}", file=sys.stderr)
    return result


def cmd_flows(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.report.flows_json import flows_to_json
    from vpcpath.report.flows_text import render_flows

    athena = athena_mode(args)
    snapshot = load_estate(args)
    if athena:
        return run_athena(args, snapshot, style, out)
    result = analyze_flow_logs(args, snapshot, args.paths)
    if args.json:
        emit_json(flows_to_json(result), out)
    else:
        print(render_flows(result, style, snapshot=snapshot, top=args.top), file=out)
    partial = result.partial or getattr(args, "partial", False)
    return EXIT_PARTIAL if partial else EXIT_OK


class ByteProgress:
    """``reading flow logs: 1.2 GiB of 4.5 GiB (27%)`` on stderr, redrawn at most 10×/s."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream, self._enabled, self._last, self._drawn = stream, enabled, 0.0, False

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if not self._enabled or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        gib = 1 << 30
        percent = 100 * done / total if total else 100.0
        self._stream.write(
            f"\rreading flow logs: {done / gib:.2f} GiB of {total / gib:.2f} GiB ({percent:.0f}%)"
        )
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\r\033[K")
            self._stream.flush()
