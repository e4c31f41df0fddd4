"""`vpcpath demo`: the main job on the bundled sample estate — paths, the audit priced from
generated flow logs, and the fix plan that would remove the waste."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpcpath.cli.common import EXIT_OK, invoked_as, positive_int, price_note
from vpcpath.report.style import Style
from vpcpath.report.terminal import wrap_command

if TYPE_CHECKING:
    from vpcpath.audit.report_model import AuditReport
    from vpcpath.model import Snapshot
    from vpcpath.pricing.table import PriceTable


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="audit the bundled sample estate with generated flow logs")
    p.add_argument(
        "--records",
        type=positive_int,
        default=300_000,
        metavar="N",
        help="flow-log records to generate for the sample (300,000)",
    )
    p.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.audit.engine import audit
    from vpcpath.audit.flow_evidence import flow_evidence
    from vpcpath.cli.audit import report_time
    from vpcpath.flows import FlowsRequest, analyze_flows
    from vpcpath.flows.synthetic.demo import demo_flow_logs
    from vpcpath.model.evidence import Evidence
    from vpcpath.pricing.table import default_cache_dir, load_prices
    from vpcpath.report.audit_text import render_audit
    from vpcpath.report.overview_text import render_overview
    from vpcpath.routing.overview import private_subnet_overview
    from vpcpath.sources.sample_estate import load_sample, sample_path

    snapshot = load_sample()
    prices = load_prices()
    print(style.paint("vpcpath demo: the bundled sample estate", "bold"), file=out)
    print(
        style.fit(
            f"{len(snapshot.accounts)} accounts, {len(snapshot.vpcs)} VPCs in "
            f"{', '.join(snapshot.regions)} "
            f"({sample_path()}).\n\n"
            "1. Where each private subnet's traffic leaves the VPC, and the price of each GiB:\n"
        ),
        file=out,
    )
    rows = private_subnet_overview(snapshot, prices)
    print(render_overview(rows, style, price_note(prices), hints=False), file=out)
    print(
        f"(generating or reusing {args.records:,} records of flow logs for the sample …)",
        file=sys.stderr,
    )
    logs = demo_flow_logs(snapshot, default_cache_dir(), records=args.records)
    flows = analyze_flows(
        snapshot, FlowsRequest(inputs=(str(logs),), allow_download=False), prices=prices
    )
    report = audit(snapshot, prices, Evidence(flows=flow_evidence(flows)), now=report_time())
    print(
        style.fit(
            f"\n2. The audit, priced from a day of generated flow logs ({home_relative(logs)}):\n"
        ),
        file=out,
    )
    print(render_audit(report, style), file=out)
    print(
        style.fit(
            "\n3. The fix: what would change, what it saves, what is not fixed and why "
            "(proven on a copy of the model):\n"
        ),
        file=out,
    )
    print(render_sample_fix(snapshot, prices, report, style), file=out)
    me, shown_logs = invoked_as(), home_relative(logs)
    print("\nNext:", file=out)
    for command in (
        f"{me} explain --sample --from {rows[0].subnet.id} --to ecr",
        f"{me} audit --sample --flow-logs {shown_logs} --format html --output audit.html",
        f"{me} flows --sample {shown_logs}",
        f"{me} fix --sample --flow-logs {shown_logs} --format terraform",
    ):
        print("\n".join(wrap_command(command, style.width, indent="  ")), file=out)
    return EXIT_OK


def render_sample_fix(
    snapshot: Snapshot, prices: PriceTable, report: AuditReport, style: Style
) -> str:
    """The fix plan of the audited findings, with the money each action moves off NAT."""
    from vpcpath.audit.context import build_context
    from vpcpath.fix.money import moved_money
    from vpcpath.fix.plan import build_plan
    from vpcpath.fix.what_if import prove
    from vpcpath.report.fix_text import render_fix_plan

    plan = build_plan(
        build_context(snapshot, prices), report.findings, generated_at=report.generated_at
    )
    proof = prove(snapshot, plan)
    return render_fix_plan(plan, proof, moved_money(plan, proof, report.evidence, prices), style)


def home_relative(path: Path) -> str:
    """``~/…`` for a path in the home folder (shorter, and the shell expands it back)."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)
