"""The command line: argument parsing, exit codes, progress; the only code that prints.

Exit codes (documented in README.md):
  0  answered
  1  findings at or above --fail-on
  2  usage error (bad flags or values)
  3  bad input (unreadable snapshot, unknown id, malformed file)
  4  partial result (something was skipped; the output says what)
  5  AWS refused or failed (credentials, permissions, API errors)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from vpcpath import __version__
from vpcpath.audit import AuditReport, audit
from vpcpath.audit.evidence import CloudWatchEvidence, Evidence
from vpcpath.audit.findings import Severity
from vpcpath.audit.flow_evidence import flow_evidence
from vpcpath.errors import (
    ApplyError,
    AwsError,
    FlowLogError,
    PolicyError,
    PricingError,
    ReadOnlyViolation,
    SnapshotError,
    SourceError,
    UsageError,
    VpcpathError,
)
from vpcpath.model import Snapshot
from vpcpath.pricing.table import PriceTable, load_prices
from vpcpath.report.audit_html import render_audit_html
from vpcpath.report.audit_json import audit_to_json
from vpcpath.report.audit_markdown import render_audit_markdown
from vpcpath.report.audit_text import headline, render_audit
from vpcpath.report.explain_json import explanation_to_json
from vpcpath.report.explain_text import render_explanation
from vpcpath.report.overview_text import render_overview
from vpcpath.report.style import Style
from vpcpath.routing.explain import explain
from vpcpath.routing.overview import private_subnet_overview
from vpcpath.sources.folder import load_snapshot
from vpcpath.sources.sample_estate import load_sample

if TYPE_CHECKING:  # imported where used: botocore loads only for live collection
    from mypy_boto3_pricing import PricingClient

    from vpcpath.flows import FlowsResult
    from vpcpath.sources.live import Collection, CollectOptions, RegionProgress

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_PARTIAL, EXIT_AWS = 0, 1, 2, 3, 4, 5


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"vpcpath: error: {message}\n")


def _add_estate_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--snapshot", type=Path, metavar="DIR", help="a snapshot folder")
    group.add_argument("--sample", action="store_true", help="the bundled sample estate")
    group.add_argument(
        "--live",
        action="store_true",
        help="read AWS now, read-only (as `vpcpath snapshot` does) and analyse that",
    )
    _add_collection_flags(parser.add_argument_group("with --live"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vpcpath",
        description="Which way VPC traffic to S3, DynamoDB and ECR goes, and what it costs.",
    )
    parser.add_argument("--version", action="version", version=f"vpcpath {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more about inputs")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour output"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("explain", help="trace traffic from a source to a destination")
    _add_estate_flags(p)
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="SRC",
        help="subnet-…, eni-…, i-… or a private IP",
    )
    p.add_argument(
        "--to",
        dest="destination",
        required=True,
        metavar="DST",
        help="s3[:region], dynamodb[:region], ecr[:region], an IP or an AWS hostname",
    )
    p.add_argument("--json", action="store_true", help="print the vpcpath.explain/1 JSON")
    p.add_argument("--profile", help="AWS profile for --live (default: the usual AWS config)")
    p.set_defaults(handler=_cmd_explain)

    p = sub.add_parser("flows", help="attribute flow-log bytes to NAT gateways, sources, services")
    _add_estate_flags(p)
    _add_flows_flags(p)
    p.set_defaults(handler=_cmd_flows)

    p = sub.add_parser("audit", help="find what costs money or breaks, with dollars and fixes")
    _add_estate_flags(p)
    p.add_argument(
        "--flow-logs",
        nargs="+",
        metavar="PATH",
        help="price findings exactly from flow logs (files, folders, globs, s3://)",
    )
    _add_flow_reading_flags(p)
    p.add_argument(
        "--cloudwatch",
        action="store_true",
        help="price findings from NAT gateway metrics (an upper bound); needs AWS access",
    )
    p.add_argument(
        "--days",
        type=int,
        default=14,
        metavar="N",
        help="days of NAT gateway metrics to read with --cloudwatch (default 14)",
    )
    p.add_argument("--profile", help="AWS profile for --live and --cloudwatch")
    p.add_argument(
        "--org-id",
        metavar="o-…",
        help="your AWS Organizations id, for endpoint-policy checks (default: none)",
    )
    p.add_argument(
        "--format",
        choices=("table", "json", "markdown", "html"),
        help="output format (default: table on a terminal, json otherwise)",
    )
    p.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE")
    p.add_argument(
        "--fail-on",
        choices=[str(s) for s in Severity],
        metavar="SEVERITY",
        help="exit 1 when a finding at or above SEVERITY exists "
        "(critical, high, medium, low, info)",
    )
    p.set_defaults(handler=_cmd_audit)

    p = sub.add_parser("policy", help="check or suggest gateway endpoint policies")
    policy_sub = p.add_subparsers(dest="policy_command", required=True, parser_class=_Parser)
    check = policy_sub.add_parser(
        "check", help="which needed requests each gateway endpoint policy allows or breaks"
    )
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--snapshot", type=Path, metavar="DIR", help="a snapshot folder")
    source.add_argument("--sample", action="store_true", help="the bundled sample estate")
    source.add_argument("--policy", type=Path, metavar="FILE", help="one policy document")
    check.add_argument("--region", help="with --policy: the endpoint's region")
    check.add_argument(
        "--service",
        choices=("s3", "dynamodb"),
        default="s3",
        help="with --policy: the endpoint's service (default s3)",
    )
    check.add_argument("--account", metavar="ID", help="with --policy: your account id")
    check.add_argument("--org-id", metavar="o-…", help="your AWS Organizations id")
    check.add_argument(
        "--own-bucket",
        action="append",
        default=[],
        metavar="NAME",
        help="a bucket of yours that must stay reachable (repeatable)",
    )
    check.add_argument(
        "--bucket-policy",
        action="append",
        default=[],
        metavar="BUCKET=FILE",
        help="a bucket policy to test for aws:SourceIp conditions on NAT IPs",
    )
    check.add_argument("--json", action="store_true", help="print the vpcpath.policy/1 JSON")
    check.set_defaults(handler=_cmd_policy_check)
    suggest = policy_sub.add_parser("suggest", help="print a least-privilege endpoint policy")
    suggest.add_argument("--region", required=True)
    suggest.add_argument("--service", choices=("s3", "dynamodb"), default="s3")
    who = suggest.add_mutually_exclusive_group(required=True)
    who.add_argument("--org-id", metavar="o-…")
    who.add_argument("--account", metavar="ID")
    suggest.add_argument(
        "--allow-bucket",
        action="append",
        default=[],
        metavar="NAME",
        help="another bucket your principals may use (repeatable)",
    )
    suggest.set_defaults(handler=_cmd_policy_suggest)

    p = sub.add_parser("snapshot", help="read AWS (read-only) into a snapshot folder")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write")
    p.add_argument("--profile", help="AWS profile (default: the usual AWS configuration)")
    p.add_argument("--force", action="store_true", help="replace DIR when it is not empty")
    _add_collection_flags(p)
    p.set_defaults(handler=_cmd_snapshot)

    p = sub.add_parser("demo", help="show the sample estate's private subnets and their paths")
    p.set_defaults(handler=_cmd_demo)

    p = sub.add_parser("prices", help="show or refresh the price table")
    prices_sub = p.add_subparsers(dest="prices_command", required=True, parser_class=_Parser)
    show = prices_sub.add_parser("show", help="print the price table in use")
    show.add_argument("--region", action="append", help="only these regions")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_cmd_prices_show)
    refresh = prices_sub.add_parser("refresh", help="update prices from the AWS Price List API")
    refresh.add_argument("--profile", help="AWS profile to use")
    refresh.set_defaults(handler=_cmd_prices_refresh)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    color = args.color == "always" or (args.color == "auto" and out.isatty())
    handler: Callable[[argparse.Namespace, Style, TextIO], int] = args.handler
    try:
        return handler(args, Style(color=color), out)
    except UsageError as exc:
        return _fail(EXIT_USAGE, exc)
    except (SourceError, SnapshotError, FlowLogError, PolicyError, PricingError) as exc:
        return _fail(EXIT_INPUT, exc)
    except (ApplyError, AwsError, ReadOnlyViolation) as exc:
        return _fail(EXIT_AWS, exc)
    except VpcpathError as exc:
        return _fail(EXIT_INPUT, exc)
    except KeyboardInterrupt:
        print("vpcpath: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`vpcpath … | head`): not an error, and nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _fail(code: int, exc: Exception) -> int:
    print(f"vpcpath: error: {exc}", file=sys.stderr)
    return code


def _load_estate(args: argparse.Namespace) -> Snapshot:
    if getattr(args, "live", False):
        snapshot = _load_live(args)
    else:
        snapshot = load_sample() if args.sample else load_snapshot(args.snapshot)
        if snapshot.notes.skipped:
            # A partial snapshot gives a partial answer (exit 4), and says what is missing.
            args.partial = True
            if not args.verbose:
                for what, why in snapshot.notes.skipped:
                    print(f"vpcpath: warning: snapshot is missing {what}: {why}", file=sys.stderr)
    if args.verbose:
        _print_notes(snapshot)
    return snapshot


def _print_notes(snapshot: Snapshot) -> None:
    notes = snapshot.notes
    print(f"read {len(notes.files)} files from {notes.root}", file=sys.stderr)
    for file, key in notes.unknown_keys:
        print(f"  ignored key {key!r} in {file}", file=sys.stderr)
    for key, count in notes.recognised_only:
        print(f"  read {count} {key} (not used by any analysis yet)", file=sys.stderr)
    for what, why in notes.skipped:
        print(f"  skipped {what}: {why}", file=sys.stderr)


def _emit_json(doc: dict[str, Any], out: TextIO) -> None:
    json.dump(doc, out, indent=2)
    out.write("\n")


def _cmd_explain(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    snapshot = _load_estate(args)
    prices = load_prices()
    result = explain(snapshot, args.source, args.destination, prices=prices)
    if args.json:
        _emit_json(explanation_to_json(result), out)
    else:
        print(render_explanation(result, style), file=out)
    return EXIT_PARTIAL if getattr(args, "partial", False) else EXIT_OK


def _add_flows_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        metavar="FLOW_LOG_PATH",
        help="flow-log files, folders, globs or s3://bucket/prefix (text, gzip or Parquet)",
    )
    p.add_argument("--json", action="store_true", help="print the vpcpath.flows/1 JSON")
    p.add_argument("--top", type=int, default=10, metavar="N", help="rows per table (10)")
    _add_flow_reading_flags(p)
    p.add_argument("--profile", help="AWS profile for s3:// inputs and --live")


def _add_flow_reading_flags(p: argparse.ArgumentParser) -> None:
    """How flow logs are selected and read; shared by `flows` and `audit --flow-logs`."""
    p.add_argument("--start", metavar="TIME", help="first UTC date/time to read (2024-05-01)")
    p.add_argument("--end", metavar="TIME", help="UTC date/time to stop before (exclusive)")
    p.add_argument("--ip-ranges", type=Path, metavar="FILE", help="AWS's ip-ranges.json to use")
    p.add_argument("--offline", action="store_true", help="never download ip-ranges.json from AWS")
    p.add_argument("--threads", type=int, metavar="N", help="DuckDB threads (every core)")
    p.add_argument(
        "--memory-limit", default="1GB", metavar="SIZE", help="DuckDB memory limit (1GB)"
    )


def _analyze_flow_logs(
    args: argparse.Namespace, snapshot: Snapshot, paths: Sequence[str]
) -> FlowsResult:
    from vpcpath.flows import EngineOptions, FlowsRequest, analyze_flows
    from vpcpath.flows.inputs import parse_time

    request = FlowsRequest(
        inputs=tuple(paths),
        start=parse_time(args.start, option="--start") if args.start else None,
        end=parse_time(args.end, option="--end") if args.end else None,
        ip_ranges_path=args.ip_ranges,
        allow_download=not args.offline,
        engine=EngineOptions(threads=args.threads, memory_limit=args.memory_limit),
    )
    s3_client = None
    if args.profile and any(p.startswith("s3://") for p in paths):
        import boto3

        s3_client = boto3.Session(profile_name=args.profile).client("s3")
    quiet = getattr(args, "quiet", False)
    bar = _ByteProgress(sys.stderr, enabled=sys.stderr.isatty() and not quiet)
    try:
        result = analyze_flows(
            snapshot, request, prices=load_prices(), progress=bar, s3_client=s3_client
        )
    finally:
        bar.close()
    for error in result.input.errors:
        print(f"vpcpath: error: {error.file}: {error.message}", file=sys.stderr)
    return result


def _cmd_flows(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.report.flows_json import flows_to_json
    from vpcpath.report.flows_text import render_flows

    snapshot = _load_estate(args)
    result = _analyze_flow_logs(args, snapshot, args.paths)
    if args.json:
        _emit_json(flows_to_json(result), out)
    else:
        print(render_flows(result, style, snapshot=snapshot, top=args.top), file=out)
    partial = result.partial or getattr(args, "partial", False)
    return EXIT_PARTIAL if partial else EXIT_OK


class _ByteProgress:
    """``reading flow logs: 1.2 GB of 4.5 GB (27%)`` on stderr, redrawn at most 10×/s."""

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
            f"\rreading flow logs: {done / gib:.2f} GB of {total / gib:.2f} GB ({percent:.0f}%)"
        )
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\r\033[K")
            self._stream.flush()


def _cmd_audit(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    if args.days < 1:
        raise UsageError("--days must be at least 1")
    snapshot = _load_estate(args)
    prices = load_prices()
    if args.flow_logs and args.cloudwatch:
        raise UsageError("give --flow-logs (exact) or --cloudwatch (upper bound), not both")
    flows_partial = False
    if args.flow_logs:
        flows = _analyze_flow_logs(args, snapshot, args.flow_logs)
        flows_partial = flows.partial
        evidence = Evidence(flows=flow_evidence(flows))
    else:
        evidence = Evidence(
            cloudwatch=_cloudwatch_evidence(args, snapshot) if args.cloudwatch else None
        )
    report = audit(snapshot, prices, evidence, org_id=args.org_id, now=_report_time())
    fmt = args.format or ("table" if (args.output is None and out.isatty()) else "json")
    text = _render_audit(report, fmt, style if args.output is None else Style(color=False))
    if args.output is not None:
        _write_report(args.output, text)
        print(f"{headline(report)} — wrote {args.output}", file=sys.stderr)
    else:
        out.write(text if text.endswith("\n") else text + "\n")
    if args.fail_on and report.at_or_above(Severity(args.fail_on)):
        return EXIT_FINDINGS
    if report.skipped or flows_partial or getattr(args, "partial", False):
        return EXIT_PARTIAL
    return EXIT_OK


def _report_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible reports, as reproducible builds do)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError as exc:
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not an integer") from exc
    return datetime.now(UTC)


def _render_audit(report: AuditReport, fmt: str, style: Style) -> str:
    if fmt == "json":
        return json.dumps(audit_to_json(report), indent=2)
    if fmt == "markdown":
        return render_audit_markdown(report)
    if fmt == "html":
        return render_audit_html(report)
    return render_audit(report, style)


def _write_report(path: Path, text: str) -> None:
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write ({exc.strerror})") from exc


def _cloudwatch_evidence(args: argparse.Namespace, snapshot: Snapshot) -> CloudWatchEvidence:
    from vpcpath.sources.live import ReadOnlyGuard
    from vpcpath.sources.live.session import ReadOnlySession
    from vpcpath.sources.nat_metrics import collect_nat_metrics

    session = ReadOnlySession.from_profile(args.profile, guard=ReadOnlyGuard())
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    evidence = collect_nat_metrics(
        snapshot.nat_gateways.values(),
        lambda region: session.client("cloudwatch", region),
        days=args.days,
        now=now,
    )
    for nat_id, why in evidence.missing:
        print(f"vpcpath: warning: no metrics for {nat_id}: {why}", file=sys.stderr)
    return evidence


def _cmd_policy_check(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.policy import (
        EndpointPolicyCheck,
        SourceIpCondition,
        check_endpoint_policy,
        source_ip_conditions,
        to_json,
    )
    from vpcpath.report.policy_text import render_policy_checks

    checks: list[EndpointPolicyCheck] = []
    errors: dict[str, str] = {}
    nat_ips: list[str] = []
    if args.policy is not None:
        if not args.region or not args.account:
            raise UsageError("--policy needs --region and --account")
        text = _read_text(args.policy)
        checks.append(
            check_endpoint_policy(
                text,
                service_name=f"com.amazonaws.{args.region}.{args.service}",
                region=args.region,
                account_id=args.account,
                org_id=args.org_id,
                own_resources=args.own_bucket,
            )
        )
    else:
        snapshot = _load_estate(args)
        nat_ips = sorted({str(ip) for n in snapshot.nat_gateways.values() for ip in n.public_ips})
        for ep in sorted(snapshot.endpoints.values(), key=lambda e: e.id):
            if ep.endpoint_type.value != "Gateway":
                continue
            try:
                checks.append(
                    check_endpoint_policy(
                        ep.policy_document,
                        service_name=ep.service_name,
                        region=ep.region,
                        account_id=ep.account_id,
                        org_id=args.org_id,
                        vpc_endpoint_id=ep.id,
                        vpc_id=ep.vpc_id,
                        own_resources=args.own_bucket if ep.service_name.endswith(".s3") else (),
                    )
                )
            except PolicyError as exc:
                errors[ep.id] = str(exc)
    source_ip: dict[str, tuple[SourceIpCondition, ...]] = {}
    for item in args.bucket_policy:
        bucket, sep, file = item.partition("=")
        if not sep or not bucket or not file:
            raise UsageError(f"--bucket-policy {item!r}: expected BUCKET=FILE")
        source_ip[bucket] = source_ip_conditions(_read_text(Path(file)), nat_ips)
    if args.json:
        doc = to_json(checks, source_ip=source_ip if args.bucket_policy else None)
        if errors:
            doc["errors"] = [{"vpc_endpoint_id": k, "error": v} for k, v in errors.items()]
        _emit_json(doc, out)
    else:
        if not checks and not errors:
            print("no gateway endpoints in the snapshot", file=out)
        print(render_policy_checks(checks, style, errors=errors, source_ip=source_ip), file=out)
    if errors:
        return EXIT_PARTIAL
    broken = any(c.breaks for c in checks) or any(
        c.breaks_access for conds in source_ip.values() for c in conds
    )
    return EXIT_FINDINGS if broken else EXIT_OK


def _cmd_policy_suggest(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.policy import suggest_endpoint_policy

    policy = suggest_endpoint_policy(
        region=args.region,
        service=args.service,
        org_id=args.org_id,
        account_id=args.account,
        allow_buckets=args.allow_bucket,
    )
    _emit_json(dict(policy), out)
    return EXIT_OK


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc


def _price_note(prices: PriceTable) -> str:
    return f"Prices: {prices.source} ({prices.date}); 1 GB = 2^30 bytes."


def _cmd_demo(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    snapshot = load_sample()
    prices = load_prices()
    print(style.paint("vpcpath demo: the bundled sample estate", "bold"), file=out)
    print(
        "Private subnets, how their traffic to each destination leaves the VPC, and the "
        "price of each GB sent.\n",
        file=out,
    )
    rows = private_subnet_overview(snapshot, prices)
    print(render_overview(rows, style, _price_note(prices)), file=out)
    print(
        "\nTrace one path hop by hop:\n  vpcpath explain --sample --from "
        f"{rows[0].subnet.id} --to ecr"
        if rows
        else "",
        file=out,
    )
    return EXIT_OK


def _cmd_prices_show(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    prices = load_prices(on_unreadable=lambda e: print(f"vpcpath: warning: {e}", file=sys.stderr))
    regions = args.region or sorted(prices.regions)
    rows = {r: prices.for_region(r) for r in regions}
    if args.json:
        _emit_json(
            {
                "schema": "vpcpath.prices/1",
                "source": prices.source,
                "date": prices.date,
                "origin": prices.origin,
                "regions": {
                    r: {k: getattr(p, k) for k in p.__dataclass_fields__} for r, p in rows.items()
                },
            },
            out,
        )
        return EXIT_OK
    from vpcpath.report.style import table

    headers = [
        "region",
        "NAT $/h",
        "NAT $/GB",
        "VPCE $/AZ-h",
        "VPCE $/GB",
        "cross-AZ $/GB",
        "internet $/GB",
        "TGW $/GB",
        "inter-region $/GB",
    ]
    body = [
        [
            r,
            f"{p.nat_gateway_hour:.4f}",
            f"{p.nat_gateway_gb:.4f}",
            f"{p.interface_endpoint_az_hour:.4f}",
            f"{p.interface_endpoint_gb:.4f}",
            f"{p.cross_az_gb:.4f}",
            f"{p.internet_egress_gb:.4f}",
            f"{p.transit_gateway_gb:.4f}",
            f"{p.inter_region_gb:.4f}",
        ]
        for r, p in rows.items()
    ]
    print(table(body, headers), file=out)
    print(f"\n{_price_note(prices)} Origin: {prices.origin}.", file=out)
    return EXIT_OK


def _cmd_prices_refresh(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.pricing.refresh import refresh_prices
    from vpcpath.pricing.table import cached_prices_path, write_price_table
    from vpcpath.sources.live import ReadOnlyGuard
    from vpcpath.sources.live.session import ReadOnlySession

    # The Price List Query API answers in us-east-1; its prices cover every region. The
    # client is guarded like the collector's: GetProducts is a read.
    session = ReadOnlySession.from_profile(args.profile, guard=ReadOnlyGuard())
    client = cast("PricingClient", session.client("pricing", "us-east-1"))
    table = refresh_prices(client, progress=lambda msg: print(msg, file=sys.stderr))
    path = cached_prices_path()
    write_price_table(table, path)
    count = sum(len(v) for v in table.refreshed.values())
    print(
        f"wrote {path}: {count} prices refreshed in {len(table.refreshed)} regions, "
        f"as of {table.date}",
        file=out,
    )
    for note in table.notes:
        print(f"  note: {note}", file=out)
    return EXIT_OK


# -- live collection: `vpcpath snapshot` and `--live` ---------------------------------------------


def _add_collection_flags(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--regions",
        action="append",
        metavar="R1,R2",
        help="regions to read (default: every region enabled in each account)",
    )
    parser.add_argument(
        "--role-arn",
        metavar="ARN",
        help="read through this role; with --accounts/--organization put {account} in its id",
    )
    accounts = parser.add_mutually_exclusive_group()
    accounts.add_argument("--accounts", action="append", metavar="ID1,ID2", help="accounts to read")
    accounts.add_argument(
        "--organization",
        action="store_true",
        help="read every active account of your AWS Organization",
    )
    parser.add_argument("--external-id", metavar="ID", help="the ExternalId the role requires")
    parser.add_argument(
        "--strict", action="store_true", help="fail when any call, region or account is refused"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars or summary")
    parser.add_argument(
        "--workers", type=int, default=8, metavar="N", help="account/regions read at once (8)"
    )


def _listed(values: Sequence[str] | None) -> tuple[str, ...]:
    """Repeatable, comma-separated flag values as one tuple."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def _collect_options(args: argparse.Namespace) -> CollectOptions:
    from vpcpath.sources.live import CollectOptions

    return CollectOptions(
        profile=getattr(args, "profile", None),
        regions=_listed(args.regions),
        role_arn=args.role_arn,
        accounts=_listed(args.accounts),
        organization=args.organization,
        external_id=args.external_id,
        strict=args.strict,
        workers=args.workers,
    )


class _ProgressBars:
    """One bar per account/region on a terminal: finished ones scroll up, running ones are
    redrawn in place below them."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._running: dict[tuple[str, str], str] = {}
        self._drawn = 0

    def __call__(self, event: RegionProgress) -> None:
        if not self._enabled:
            return
        from vpcpath.sources.live import progress_line

        if self._drawn:
            self._stream.write(f"\x1b[{self._drawn}F\x1b[J")  # up N lines, clear below
        key = (event.account, event.region)
        if event.finished:
            self._running.pop(key, None)
            self._stream.write(progress_line(event) + "\n")
        else:
            self._running[key] = progress_line(event)
        for line in self._running.values():
            self._stream.write(line + "\n")
        self._drawn = len(self._running)
        self._stream.flush()


def _print_collection(collection: Collection, *, quiet: bool, out: TextIO) -> None:
    from vpcpath.sources.live import missing_lines, summary_lines

    if not quiet:
        for line in summary_lines(collection):
            print(line, file=out)
    for line in missing_lines(collection):
        print(line, file=sys.stderr)


def _load_live(args: argparse.Namespace) -> Snapshot:
    """--live: collect into a temporary snapshot, load it, note whether it is partial."""
    from vpcpath.sources.live import live_snapshot

    bars = _ProgressBars(sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    snapshot, collection = live_snapshot(_collect_options(args), progress=bars)
    _print_collection(collection, quiet=args.quiet or not sys.stderr.isatty(), out=sys.stderr)
    args.partial = collection.partial
    return snapshot


def _cmd_snapshot(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.sources.live import write_snapshot

    bars = _ProgressBars(sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    collection = write_snapshot(_collect_options(args), args.out, force=args.force, progress=bars)
    if not args.quiet:
        print(f"Wrote {args.out}", file=out)
    _print_collection(collection, quiet=args.quiet, out=out)
    return EXIT_PARTIAL if collection.partial else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
