"""Findings grouped the way people act on them: check → account/region → VPC, one fix each.

An estate of 1,000 VPCs gives thousands of per-resource findings (one per route table, subnet
or endpoint) but a few dozen patterns. The API is three functions:

- ``group_findings(findings, vpc_accounts, shares)``: one ``FindingGroup`` per check and VPC
  (account and region included), with its findings' ids, counts, money and the ONE action
  that fixes them all — e.g. one ``modify-vpc-endpoint`` with all 38 route tables.
- ``by_check(groups)`` and ``by_account_region(groups)``: totals (``Rollup``) over groups.

Every renderer, the by-fix chart and the JSON ``groups`` field read the same groups; the
per-resource findings (and their stable ids) stay as they are. Pure: values in, values out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from vpcpath.audit.findings import Finding, Severity
from vpcpath.audit.group_actions import FixAction, fix_action


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingGroup:
    id: str  # "<check>:<account>:<region>:<vpc>", stable across runs
    check: str
    severity: Severity  # the highest of its findings
    account_id: str  # "" when the VPC is not in the snapshot
    region: str
    vpc_id: str
    finding_ids: tuple[str, ...]  # in report order (money, severity, id)
    route_table_ids: tuple[str, ...]
    subnet_ids: tuple[str, ...]
    bytes_per_month: int | None  # sum over its findings; None when none is priced
    usd_per_month: float | None  # sum of its findings' money (each counts what it names)
    usd_per_month_share: float | None  # its findings' shares of the deduplicated total
    upper_bound: bool  # some of the money is an upper bound (NAT gateway metrics)
    action: FixAction

    @property
    def size(self) -> int:
        return len(self.finding_ids)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rollup:
    """Totals over groups that share a key: ``(check,)`` or ``(account, region)``."""

    key: tuple[str, ...]
    severity: Severity
    groups: int
    findings: int
    vpcs: int
    usd_per_month_share: float | None


def group_findings(
    findings: Sequence[Finding],
    vpc_accounts: Mapping[str, str],
    shares: Mapping[str, float] | None = None,
) -> tuple[FindingGroup, ...]:
    """Group ``findings`` by check, account, region and VPC; biggest money (or count) first."""
    shares = shares or {}
    buckets: dict[tuple[str, str, str, str], list[Finding]] = {}
    for f in findings:
        key = (f.check, vpc_accounts.get(f.vpc_id, ""), f.region, f.vpc_id)
        buckets.setdefault(key, []).append(f)
    groups = [_group(key, members, shares) for key, members in buckets.items()]
    return tuple(sorted(groups, key=_rank))


def by_check(groups: Iterable[FindingGroup]) -> tuple[Rollup, ...]:
    return _rollup(groups, lambda g: (g.check,))


def by_account_region(groups: Iterable[FindingGroup]) -> tuple[Rollup, ...]:
    return _rollup(groups, lambda g: (g.account_id, g.region))


def _group(
    key: tuple[str, str, str, str], members: list[Finding], shares: Mapping[str, float]
) -> FindingGroup:
    check, account, region, vpc = key
    priced = [f for f in members if f.usd_per_month is not None]
    shared = [shares[f.id] for f in members if f.id in shares]
    return FindingGroup(
        id=":".join(key),
        check=check,
        severity=max((f.severity for f in members), key=lambda s: s.rank),
        account_id=account,
        region=region,
        vpc_id=vpc,
        finding_ids=tuple(f.id for f in members),
        route_table_ids=_union(f.route_table_ids for f in members),
        subnet_ids=_union(f.subnet_ids for f in members),
        bytes_per_month=sum(f.bytes_per_month or 0 for f in priced) if priced else None,
        usd_per_month=round(sum(f.usd_per_month or 0.0 for f in priced), 2) if priced else None,
        usd_per_month_share=round(sum(shared), 2) if shared else None,
        upper_bound=any(f.upper_bound for f in members),
        action=fix_action(members),
    )


def _union(parts: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(sorted({item for part in parts for item in part}))


def _rank(g: FindingGroup) -> tuple[float, float, int, int, str]:
    return (
        -(g.usd_per_month_share or 0.0),
        -(g.usd_per_month or 0.0),
        -g.severity.rank,
        -g.size,
        g.id,
    )


def _rollup(
    groups: Iterable[FindingGroup], key: Callable[[FindingGroup], tuple[str, ...]]
) -> tuple[Rollup, ...]:
    buckets: dict[tuple[str, ...], list[FindingGroup]] = {}
    for g in groups:
        buckets.setdefault(key(g), []).append(g)
    rows = []
    for k, members in buckets.items():
        shared = [g.usd_per_month_share for g in members if g.usd_per_month_share is not None]
        rows.append(
            Rollup(
                key=k,
                severity=max((g.severity for g in members), key=lambda s: s.rank),
                groups=len(members),
                findings=sum(g.size for g in members),
                vpcs=len({g.vpc_id for g in members if g.vpc_id}),
                usd_per_month_share=round(sum(shared), 2) if shared else None,
            )
        )
    return tuple(
        sorted(
            rows,
            key=lambda r: (-(r.usd_per_month_share or 0.0), -r.severity.rank, -r.findings, r.key),
        )
    )
