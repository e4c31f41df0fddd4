"""The whole answer of an audit, ready for any renderer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from vpcpath.audit.baseline import Accepted, BaselineOutcome, apply_baseline
from vpcpath.audit.findings import Finding, Severity
from vpcpath.audit.grouping import FindingGroup, group_findings
from vpcpath.audit.money import CostShare
from vpcpath.model.evidence import Evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class Workload:
    """An instance in an affected subnet, for people to recognise: id and tags (from AWS)."""

    instance_id: str
    tags: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SubnetSummary:
    subnet_id: str
    name: str | None
    availability_zone: str
    vpc_name: str | None
    workloads: tuple[Workload, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditReport:
    generated_at: str  # ISO 8601, UTC
    price_source: str
    price_date: str
    evidence: Evidence
    findings: tuple[Finding, ...]  # sorted: money first, then severity, then id
    usd_per_month_avoidable: float | None
    bytes_per_month_avoidable: int | None
    scaling: str
    skipped: tuple[tuple[str, str], ...] = ()  # (what, why) the audit could not cover
    subnets: Mapping[str, SubnetSummary] = field(default_factory=dict)  # for reports
    breakdown: tuple[CostShare, ...] = ()  # the avoidable total split without double counting
    vpc_names: Mapping[str, str] = field(default_factory=dict)  # Name tags, for reports
    vpc_accounts: Mapping[str, str] = field(default_factory=dict)  # VPC id → account id
    # finding id → its share of the deduplicated total (money.PricedFindings.shares)
    shares: Mapping[str, float] = field(default_factory=dict)
    groups: tuple[FindingGroup, ...] = ()  # grouping.group_findings(findings, ...)
    # Accepted findings (.vpcpath.toml / --baseline): ``findings`` holds the rest.
    baseline: BaselineOutcome | None = None

    def at_or_above(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity.rank >= severity.rank]


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(
        sorted(
            findings,
            key=lambda f: (-(f.usd_per_month or 0.0), -f.severity.rank, f.id),
        )
    )


def apply_to_report(
    report: AuditReport,
    accepted: Sequence[Accepted],
    today: date,
    source: str,
    aliases: Mapping[str, str] | None = None,
) -> AuditReport:
    """The report with accepted findings moved aside (the money totals still include them:
    accepting a finding does not make its cost go away)."""
    outcome = apply_baseline(report.findings, accepted, today, source, aliases)
    return replace(
        report,
        findings=outcome.findings,
        groups=group_findings(outcome.findings, report.vpc_accounts, report.shares),
        baseline=outcome,
    )
