"""`vpcpath fix`: the smallest change that fixes the findings, proven on a copy of the model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpcpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, price_note
from vpcpath.cli.estate import add_estate_flags, load_estate
from vpcpath.cli.flows import add_flow_reading_flags, analyze_flow_logs
from vpcpath.errors import UsageError
from vpcpath.report.style import Style

if TYPE_CHECKING:
    from vpcpath.fix.actions import FixPlan
    from vpcpath.fix.money import MovedMoney
    from vpcpath.fix.what_if import WhatIf

FORMATS = ("plan", "json", "terraform", "cloudformation", "cli")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "fix", help="the change that fixes the findings, proven, as a plan, Terraform, CFN or CLI"
    )
    add_estate_flags(p)
    p.add_argument("--finding", action="append", metavar="ID", help="fix only these findings")
    p.add_argument("--vpc", action="append", metavar="ID", help="fix only these VPCs")
    p.add_argument("--service", choices=("s3", "dynamodb"), help="fix only this service")
    p.add_argument(
        "--flow-logs", nargs="+", metavar="PATH", help="price what moves exactly from flow logs"
    )
    add_flow_reading_flags(p)
    p.add_argument(
        "--cloudwatch", action="store_true", help="price from NAT gateway metrics (upper bound)"
    )
    p.add_argument("--days", type=int, default=14, metavar="N", help="days of metrics (14)")
    p.add_argument("--profile", help="AWS profile for --live and --cloudwatch")
    p.add_argument("--org-id", metavar="o-…", help="your AWS Organizations id, for policies")
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="plan (for people), json (vpcpath.fix/1, what `apply` reads), terraform, "
        "cloudformation or cli (default: plan on a terminal, json otherwise)",
    )
    p.add_argument("--output", type=Path, metavar="FILE", help="write to FILE")
    p.set_defaults(handler=cmd_fix)


def cmd_fix(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.audit.context import build_context
    from vpcpath.audit.engine import audit
    from vpcpath.audit.flow_evidence import flow_evidence
    from vpcpath.cli.audit import cloudwatch_evidence, report_time, write_report
    from vpcpath.fix.money import moved_money
    from vpcpath.fix.plan import Selection, build_plan
    from vpcpath.fix.what_if import prove
    from vpcpath.model.evidence import Evidence
    from vpcpath.pricing.table import load_prices

    if args.flow_logs and args.cloudwatch:
        raise UsageError("give --flow-logs (exact) or --cloudwatch (upper bound), not both")
    if args.days < 1:
        raise UsageError("--days must be at least 1")
    snapshot = load_estate(args)
    prices = load_prices()
    flows_partial = False
    evidence = Evidence()
    if args.flow_logs:
        flows = analyze_flow_logs(args, snapshot, args.flow_logs)
        flows_partial = flows.partial
        evidence = Evidence(flows=flow_evidence(flows))
    elif args.cloudwatch:
        evidence = Evidence(cloudwatch=cloudwatch_evidence(args, snapshot))
    now = report_time()
    report = audit(snapshot, prices, evidence, org_id=args.org_id, now=now)
    ctx = build_context(snapshot, prices, org_id=args.org_id)
    plan = build_plan(
        ctx,
        report.findings,
        selection=Selection(
            finding_ids=tuple(args.finding or ()),
            vpc_ids=tuple(args.vpc or ()),
            service=args.service,
        ),
        org_id=args.org_id,
        generated_at=report.generated_at,
    )
    what_if = prove(snapshot, plan)
    money = moved_money(plan, what_if, evidence, prices)
    fmt = args.format or ("plan" if (args.output is None and out.isatty()) else "json")
    text = render_fix_as(
        fmt, plan, what_if, money, style if args.output is None else Style(), price_note(prices)
    )
    if args.output is not None:
        write_report(args.output, text)
        print(
            f"{len(plan.actions)} action(s), {len(plan.not_fixed)} not fixed — wrote {args.output}",
            file=sys.stderr,
        )
    else:
        out.write(text if text.endswith("\n") else text + "\n")
    if not what_if.holds:
        print("vpcpath: the what-if does not prove the plan (see above)", file=sys.stderr)
        return EXIT_FINDINGS
    if report.skipped or flows_partial or getattr(args, "partial", False):
        return EXIT_PARTIAL
    return EXIT_OK


def render_fix_as(
    fmt: str,
    plan: FixPlan,
    what_if: WhatIf,
    money: MovedMoney | None,
    style: Style,
    note: str,
) -> str:
    import json

    from vpcpath.fix.contract import plan_to_json
    from vpcpath.fix.render_cfn import render_cloudformation
    from vpcpath.fix.render_cli import render_cli
    from vpcpath.fix.render_terraform import render_terraform
    from vpcpath.report.fix_text import render_fix_plan

    per_action = {m.action_id: m for m in money.actions} if money else {}
    if fmt == "json":
        return json.dumps(plan_to_json(plan, what_if, money), indent=2)
    if fmt == "terraform":
        return render_terraform(plan, per_action)
    if fmt == "cloudformation":
        return render_cloudformation(plan, per_action)
    if fmt == "cli":
        return render_cli(plan)
    return render_fix_plan(plan, what_if, money, style, note)
