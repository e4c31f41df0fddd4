"""The audit of infrastructure that carries no traffic yet (a Terraform plan or state).

Only the checks that read routing and policies run: ``ecr-pulls-via-nat`` is about container
hosts pulling images, which a plan cannot show. Money is null unless the user states an
assumption (``assume_gb_per_month`` GiB a month through each affected subnet), and then it
says it is assumed, with the rate, the price table and its date.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from vpcpath.audit.catalogue import CHECKS
from vpcpath.audit.context import build_context
from vpcpath.audit.engine import summarise_subnets
from vpcpath.audit.findings import Finding
from vpcpath.audit.grouping import group_findings
from vpcpath.audit.registry import Check
from vpcpath.audit.report_model import AuditReport, sort_findings
from vpcpath.audit.run import run_checks
from vpcpath.model import Snapshot
from vpcpath.model.evidence import Evidence
from vpcpath.pricing.path_price import usd_per_gb
from vpcpath.pricing.table import GIB, PriceTable

# Checks whose findings are about traffic a plan cannot show.
NEEDS_TRAFFIC = frozenset({"ecr-pulls-via-nat"})
STATIC_CHECKS: tuple[Check, ...] = tuple(c for c in CHECKS if c.info.id not in NEEDS_TRAFFIC)
NOT_PRICED = (
    "not priced: a plan or state carries no traffic; give --assume-gb-per-month N to price an "
    "assumed N GiB a month through each affected subnet"
)


def check_infrastructure(
    snapshot: Snapshot,
    prices: PriceTable,
    *,
    assume_gb_per_month: float | None = None,
    org_id: str | None = None,
    now: datetime | None = None,
) -> AuditReport:
    ctx = build_context(snapshot, prices, org_id=org_id)
    findings = run_checks(ctx, STATIC_CHECKS)
    if assume_gb_per_month is None:
        findings = [replace(f, money_basis=NOT_PRICED) if f.traffic else f for f in findings]
        total_usd: float | None = None
        total_bytes: int | None = None
        scaling = "no traffic evidence"
    else:
        findings = [_assumed(f, assume_gb_per_month, prices) for f in findings]
        priced = [f for f in findings if f.usd_per_month is not None]
        total_usd = round(sum(f.usd_per_month or 0.0 for f in priced), 2)
        total_bytes = sum(f.bytes_per_month or 0 for f in priced)
        scaling = (
            f"assumed {assume_gb_per_month:g} GiB a month through each affected subnet "
            "(--assume-gb-per-month), not observed"
        )
    affected = {s for f in findings for s in f.subnet_ids}
    # A plan of new infrastructure does not know its account: no account in the group id.
    vpc_accounts = {
        v.id: v.account_id if v.account_id.isdigit() else "" for v in snapshot.vpcs.values()
    }
    # Assumed money is per finding, never shared: each finding's share is its own money.
    shares = {f.id: f.usd_per_month for f in findings if f.usd_per_month is not None}
    ordered = sort_findings(findings)
    return AuditReport(
        generated_at=(now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        price_source=prices.source,
        price_date=prices.date,
        evidence=Evidence(),
        findings=ordered,
        usd_per_month_avoidable=total_usd,
        bytes_per_month_avoidable=total_bytes,
        scaling=scaling,
        skipped=tuple(ctx.skipped) + tuple(snapshot.notes.skipped),
        vpc_names={v.id: v.name for v in snapshot.vpcs.values() if v.name},
        vpc_accounts=vpc_accounts,
        shares=shares,
        groups=group_findings(ordered, vpc_accounts, shares),
        subnets=summarise_subnets(snapshot, affected),
    )


def _assumed(finding: Finding, gib: float, prices: PriceTable) -> Finding:
    sel = finding.traffic
    if sel is None:
        return finding
    subnets = len(sel.subnet_ids)
    rate = usd_per_gb(sel.charge, prices.for_region(sel.region))
    usd = round(gib * subnets * rate, 2)
    return replace(
        finding,
        bytes_per_month=round(gib * GIB) * subnets,
        usd_per_month=usd,
        money_basis=(
            f"assumed, not observed: {gib:g} GiB/month × {subnets} subnet(s) × ${rate:g}/GiB "
            f"({sel.charge}, {sel.region}; {prices.source}, {prices.date})"
        ),
    )
