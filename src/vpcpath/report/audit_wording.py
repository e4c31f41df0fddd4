"""Words every audit format shares: group titles, money columns, the note on shared bytes."""

from __future__ import annotations

from collections.abc import Mapping

from vpcpath.audit.grouping import FindingGroup
from vpcpath.audit.report_model import AuditReport
from vpcpath.report.money_format import usd

SHARE_NOTE = (
    "Findings can name the same bytes (ECR image layers are S3 traffic too; a subnet can pay "
    "cross-AZ and NAT processing on one flow), so their own amounts add up to more than the "
    "headline, which counts each byte once. The share column splits each byte's cost evenly "
    "between the findings that name it: shares add up to the headline."
)
UPPER_BOUND_NOTE = (
    "≤ marks an upper bound from NAT gateway metrics (all the traffic of the NAT gateway)."
)


def priced(report: AuditReport) -> bool:
    return report.usd_per_month_avoidable is not None


def vpc_label(vpc_id: str, vpc_names: Mapping[str, str]) -> str:
    name = vpc_names.get(vpc_id)
    return f"{vpc_id} ({name})" if name else vpc_id or "(no VPC)"


def group_place(g: FindingGroup, vpc_names: Mapping[str, str]) -> str:
    """``vpc-… (name), 111122223333 us-east-1``."""
    where = " ".join(part for part in (g.account_id, g.region) if part)
    return vpc_label(g.vpc_id, vpc_names) + (f", {where}" if where else "")


def findings_count(n: int) -> str:
    return f"{n:,} finding" + ("" if n == 1 else "s")


def share_text(value: float | None, upper_bound: bool = False) -> str:
    return usd(value) + (" ≤" if upper_bound and value is not None else "")


def scope_line(report: AuditReport) -> str:
    """``5,750 findings in 1,912 groups: 2 accounts, 2 regions, 1,000 VPCs``."""
    groups = report.groups
    accounts = {g.account_id for g in groups if g.account_id}
    regions = {g.region for g in groups if g.region}
    vpcs = {g.vpc_id for g in groups if g.vpc_id}
    return (
        f"{findings_count(len(report.findings))} in {len(groups):,} group"
        + ("" if len(groups) == 1 else "s")
        + f" (one per check and VPC): {len(accounts):,} account(s), {len(regions):,} "
        f"region(s), {len(vpcs):,} VPC(s)"
    )


def price_line(report: AuditReport) -> str:
    return f"Prices: {report.price_source} ({report.price_date}); 1 GiB = 2^30 bytes."
