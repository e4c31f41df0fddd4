"""``audit()``: every check on a snapshot, priced with the evidence at hand."""

from __future__ import annotations

from datetime import UTC, datetime

from vpcpath.audit.checks.ecr import with_observed_api_traffic
from vpcpath.audit.context import build_context
from vpcpath.audit.grouping import group_findings
from vpcpath.audit.money import price_findings
from vpcpath.audit.report_model import (
    AuditReport,
    SubnetSummary,
    Workload,
    sort_findings,
)
from vpcpath.audit.run import run_checks
from vpcpath.model import Snapshot
from vpcpath.model.evidence import Evidence
from vpcpath.pricing.table import PriceTable
from vpcpath.routing.prefix_lists import unresolved_routes
from vpcpath.routing.sources import require_something_to_trace


def audit(
    snapshot: Snapshot,
    prices: PriceTable,
    evidence: Evidence | None = None,
    *,
    org_id: str | None = None,
    now: datetime | None = None,
) -> AuditReport:
    """Run every check on ``snapshot`` and price the findings with ``evidence``."""
    evidence = evidence or Evidence()
    require_something_to_trace(snapshot, doing="audit")
    ctx = build_context(snapshot, prices, org_id=org_id)
    priced = price_findings(run_checks(ctx), evidence, prices)
    findings = list(priced.findings)
    if evidence.flows is not None:
        findings = [with_observed_api_traffic(f, evidence.flows) for f in findings]
    skipped = tuple(ctx.skipped) + tuple(snapshot.notes.skipped) + unresolved_routes(snapshot)
    vpc_accounts = {v.id: v.account_id for v in snapshot.vpcs.values()}
    ordered = sort_findings(findings)
    return AuditReport(
        generated_at=(now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        price_source=prices.source,
        price_date=prices.date,
        evidence=evidence,
        findings=ordered,
        usd_per_month_avoidable=priced.usd_per_month_avoidable,
        bytes_per_month_avoidable=priced.bytes_per_month_avoidable,
        scaling=priced.scaling,
        skipped=skipped,
        breakdown=priced.breakdown,
        vpc_names={v.id: v.name for v in snapshot.vpcs.values() if v.name},
        vpc_accounts=vpc_accounts,
        shares=priced.shares,
        groups=group_findings(ordered, vpc_accounts, priced.shares),
        subnets=summarise_subnets(snapshot, {s for f in priced.findings for s in f.subnet_ids}),
    )


def summarise_subnets(snapshot: Snapshot, subnet_ids: set[str]) -> dict[str, SubnetSummary]:
    workloads: dict[str, list[Workload]] = {}
    for inst in sorted(snapshot.instances.values(), key=lambda i: i.id):
        if inst.subnet_id in subnet_ids:
            workloads.setdefault(inst.subnet_id, []).append(
                Workload(instance_id=inst.id, tags=inst.tags)
            )
    out: dict[str, SubnetSummary] = {}
    for subnet_id in sorted(subnet_ids):
        subnet = snapshot.subnets.get(subnet_id)
        if subnet is None:
            continue
        vpc = snapshot.vpcs.get(subnet.vpc_id)
        out[subnet_id] = SubnetSummary(
            subnet_id=subnet_id,
            name=subnet.name,
            availability_zone=subnet.availability_zone,
            vpc_name=vpc.name if vpc else None,
            workloads=tuple(workloads.get(subnet_id, ())),
        )
    return out
