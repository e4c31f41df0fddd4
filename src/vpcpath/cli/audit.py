"""`vpcpath audit`: findings with dollars, in four formats, with --fail-on for CI."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpcpath.audit.findings import Severity
from vpcpath.cli.accepted import accepted_findings, add_baseline_flag
from vpcpath.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_PARTIAL,
    add_report_flags,
    positive_int,
    write_output,
)
from vpcpath.cli.estate import add_estate_flags, load_estate
from vpcpath.cli.flows import add_flow_reading_flags, analyze_flow_logs
from vpcpath.errors import UsageError
from vpcpath.model import Snapshot
from vpcpath.report.style import Style

if TYPE_CHECKING:
    from vpcpath.audit.report_model import AuditReport
    from vpcpath.model.evidence import CloudWatchEvidence


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="find what costs money or breaks, with dollars and fixes")
    add_estate_flags(p)
    p.add_argument(
        "--flow-logs",
        nargs="+",
        metavar="PATH",
        help="price findings exactly from flow logs (files, folders, globs, s3://)",
    )
    add_flow_reading_flags(p)
    p.add_argument(
        "--cloudwatch",
        action="store_true",
        help="price findings from NAT gateway metrics (an upper bound); needs AWS access",
    )
    p.add_argument(
        "--days",
        type=positive_int,
        default=14,
        metavar="N",
        help="days of NAT gateway metrics to read with --cloudwatch (default 14)",
    )
    p.add_argument("--profile", help="AWS profile for --live and --cloudwatch")
    p.add_argument(
        "--format",
        choices=("table", "json", "markdown", "html"),
        help="output format (default: table on a terminal, json otherwise)",
    )
    p.add_argument(
        "--details",
        "--all",
        action="store_true",
        help="table format: every finding with its explanation and fix, after the summary",
    )
    add_report_flags(p)
    add_baseline_flag(p)
    p.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.audit.engine import audit
    from vpcpath.audit.flow_evidence import flow_evidence
    from vpcpath.model.evidence import Evidence
    from vpcpath.pricing.table import load_prices
    from vpcpath.report.audit_text import headline

    if args.days < 1:
        raise UsageError("--days must be at least 1")
    snapshot = load_estate(args)
    prices = load_prices()
    if args.flow_logs and args.cloudwatch:
        raise UsageError("give --flow-logs (exact) or --cloudwatch (upper bound), not both")
    flows_partial = False
    if args.flow_logs:
        flows = analyze_flow_logs(args, snapshot, args.flow_logs)
        flows_partial = flows.partial
        evidence = Evidence(flows=flow_evidence(flows))
    else:
        evidence = Evidence(
            cloudwatch=cloudwatch_evidence(args, snapshot) if args.cloudwatch else None
        )
    now = report_time()
    report = audit(snapshot, prices, evidence, org_id=args.org_id, now=now)
    baseline = accepted_findings(args)
    if baseline is not None:
        from vpcpath.audit.report_model import apply_to_report

        report = apply_to_report(report, baseline[0], now.date(), baseline[1])
    fmt = args.format or ("table" if (args.output is None and out.isatty()) else "json")
    text = render_audit_as(
        report,
        fmt,
        style if args.output is None else Style(color=False),
        details=args.details,
    )
    deliver_report(text, args.output, out, headline(report))
    if args.fail_on and report.at_or_above(Severity(args.fail_on)):
        return EXIT_FINDINGS
    if report.skipped or flows_partial or getattr(args, "partial", False):
        return EXIT_PARTIAL
    return EXIT_OK


def report_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible reports, as reproducible builds do)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError as exc:
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not an integer") from exc
    return datetime.now(UTC)


def render_audit_as(report: AuditReport, fmt: str, style: Style, *, details: bool = False) -> str:
    import json

    from vpcpath.report.audit_html import render_audit_html
    from vpcpath.report.audit_json import audit_to_json
    from vpcpath.report.audit_markdown import render_audit_markdown
    from vpcpath.report.audit_text import render_audit

    if fmt == "json":
        return json.dumps(audit_to_json(report), indent=2)
    if fmt == "markdown":
        return render_audit_markdown(report)
    if fmt == "html":
        return render_audit_html(report)
    return render_audit(report, style, details=details)


def deliver_report(text: str, output: Path | None, out: TextIO, headline: str) -> None:
    """To ``output`` (and the headline to stderr), else to ``out``."""
    if output is not None:
        write_report(output, text)
        print(f"{headline} — wrote {output}", file=sys.stderr)
    else:
        out.write(text if text.endswith("\n") else text + "\n")


def write_report(path: Path, text: str) -> None:
    """``--output FILE`` of the report commands (``common.write_output``)."""
    write_output(path, text, option="--output")


def cloudwatch_evidence(args: argparse.Namespace, snapshot: Snapshot) -> CloudWatchEvidence:
    from vpcpath.flows.evidence_check import require_metrics
    from vpcpath.sources.live import ReadOnlyGuard
    from vpcpath.sources.live.session import AwsSession
    from vpcpath.sources.nat_metrics import collect_nat_metrics

    session = AwsSession.from_profile(args.profile, guard=ReadOnlyGuard())
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    evidence = collect_nat_metrics(
        snapshot.nat_gateways.values(),
        lambda region: session.client("cloudwatch", region),
        days=args.days,
        now=now,
    )
    if require_metrics(evidence):
        args.partial = True
    for nat_id, why in evidence.missing:
        print(f"vpcpath: warning: no metrics for {nat_id}: {why}", file=sys.stderr)
    return evidence
