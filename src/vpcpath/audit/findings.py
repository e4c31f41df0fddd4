"""Findings: what an audit check reports, with stable ids and (optionally) money."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vpcpath.model.enums import Charge
from vpcpath.model.paths import Path


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TrafficSelector:
    """Which observed traffic a finding is about: priced from flow logs or metrics.

    ``services`` are ip-ranges names (S3, DYNAMODB); empty means every service, including
    internet destinations. ``avoidable_only`` keeps the bytes a gateway endpoint would carry.
    """

    subnet_ids: frozenset[str]
    nat_gateway_ids: frozenset[str]
    region: str
    services: frozenset[str] = frozenset()
    avoidable_only: bool = False
    charge: Charge = Charge.NAT_PROCESSING


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    id: str  # "<check>:<resource>", stable across runs
    check: str
    severity: Severity
    title: str
    region: str
    vpc_id: str
    route_table_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    nat_gateway_ids: tuple[str, ...] = ()
    endpoint_id: str | None = None  # the endpoint the finding is about, when there is one
    explanation: str
    remediation: str = ""
    traffic: TrafficSelector | None = None
    traces: tuple[Path, ...] = ()  # representative paths, for reports
    bytes_per_month: int | None = None
    usd_per_month: float | None = None
    money_basis: str = ""  # how the money was computed, or what evidence would price it
    upper_bound: bool = False  # money from NAT gateway metrics covers all its traffic
    # ecr-pulls-via-nat: GiB/month of ECR API/registry traffic above which interface endpoints
    # pay for themselves (None when the API calls do not go through NAT).
    interface_endpoint_break_even_gb: float | None = None
