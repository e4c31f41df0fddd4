"""`vpcpath check --terraform FILE`: the checks that need no traffic, on a plan or state, for CI."""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpcpath.audit.findings import Severity
from vpcpath.cli.accepted import accepted_findings, add_baseline_flag
from vpcpath.cli.audit import deliver_report, report_time
from vpcpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, add_report_flags
from vpcpath.cli.estate import terraform_ip_ranges
from vpcpath.errors import UsageError
from vpcpath.report.style import Style

if TYPE_CHECKING:
    from vpcpath.report.check_model import CheckResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="check a Terraform plan or state before apply (for CI; SARIF for code scanning)",
    )
    p.add_argument(
        "--terraform",
        type=Path,
        required=True,
        metavar="FILE",
        help="`terraform show -json` output of a saved plan or of the state",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif", "markdown"),
        default="text",
        help="output format (default: text)",
    )
    add_report_flags(p, "; accepted findings do not count")
    p.add_argument(
        "--assume-gb-per-month",
        type=float,
        metavar="N",
        help="price findings assuming N GiB a month through each affected subnet "
        "(labelled as assumed)",
    )
    add_baseline_flag(p)
    p.add_argument(
        "--ip-ranges",
        type=Path,
        metavar="FILE",
        help="AWS's ip-ranges.json, for the S3/DynamoDB prefix lists of gateway endpoints "
        "(default: the bundled sample, which covers us-east-1 and eu-west-1)",
    )
    p.add_argument(
        "--source-dir",
        type=Path,
        metavar="DIR",
        help="the root module's folder, to point findings at .tf lines (default: the plan "
        "file's folder)",
    )
    p.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.audit.plan_check import check_infrastructure
    from vpcpath.audit.report_model import apply_to_report
    from vpcpath.pricing.table import load_prices
    from vpcpath.report.check_model import CheckResult
    from vpcpath.report.check_text import check_headline
    from vpcpath.sources.terraform import load_terraform
    from vpcpath.sources.terraform.locations import resource_locations

    gib = args.assume_gb_per_month
    if gib is not None and not (math.isfinite(gib) and gib > 0):
        raise UsageError("--assume-gb-per-month must be a positive number of GiB")
    ranges, ranges_source = terraform_ip_ranges(args.ip_ranges)
    source = load_terraform(args.terraform, ranges, ranges_source)
    now = report_time()
    report = check_infrastructure(
        source.snapshot,
        load_prices(),
        assume_gb_per_month=args.assume_gb_per_month,
        org_id=args.org_id,
        now=now,
    )
    root = args.source_dir or args.terraform.parent
    result = CheckResult(
        report=report,
        source=source,
        ip_ranges_source=ranges_source,
        locations=resource_locations(source.document, root) if source.document else {},
    )
    baseline = accepted_findings(args)
    if baseline is not None:
        accepted, where = baseline
        report = apply_to_report(report, accepted, now.date(), where, result.aliases())
        result = replace(result, report=report)
    text = render_check_as(
        result,
        args.format,
        style if args.output is None else Style(color=False),
        verbose=args.verbose,
    )
    deliver_report(text, args.output, out, f"vpcpath check: {check_headline(result)}")
    if args.fail_on and report.at_or_above(Severity(args.fail_on)):
        return EXIT_FINDINGS
    if report.skipped:
        return EXIT_PARTIAL
    return EXIT_OK


def render_check_as(result: CheckResult, fmt: str, style: Style, *, verbose: bool = False) -> str:
    from vpcpath.report.check_json import check_to_json
    from vpcpath.report.check_text import render_check_markdown, render_check_text
    from vpcpath.report.sarif import check_to_sarif

    if fmt == "json":
        return json.dumps(check_to_json(result), indent=2)
    if fmt == "sarif":
        return json.dumps(check_to_sarif(result), indent=2)
    if fmt == "markdown":
        return render_check_markdown(result)
    return render_check_text(result, style, verbose=verbose)
