"""The answer of a trace: hops, paths, legs — plain values the renderers turn into text/JSON."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vpcpath.model.enums import HopType, SourceKind, Verdict
from vpcpath.model.network import IPNetwork


class Scope(StrEnum):
    """Where a destination is, for pricing: same-region AWS, another region, internet, private."""

    AWS_SAME_REGION = "aws-same-region"
    AWS_OTHER_REGION = "aws-other-region"
    INTERNET = "internet"
    PRIVATE = "private"


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop:
    """One step of a path: a route table (with the route that matched) or a gateway."""

    id: str
    type: HopType
    route: str | None = None  # route tables only: the matched route's destination (CIDR or pl-)
    detail: str = ""  # one sentence for people: "0.0.0.0/0 → nat-0ab… (us-east-1c)"


@dataclass(frozen=True, slots=True, kw_only=True)
class PathFacts:
    """What pricing and the audit need to know about a path beyond its verdict."""

    nat_gateway_ids: tuple[str, ...] = ()
    nat_cross_az: bool = False
    interface_endpoint_id: str | None = None
    endpoint_cross_az: bool = False
    gateway_endpoint_id: str | None = None
    # Transit gateways crossed, in order, and what crossing them costs beyond processing.
    transit_gateway_ids: tuple[str, ...] = ()
    transit_cross_az: bool = False  # delivered into another zone than the packet came from
    transit_inter_region: bool = False  # crossed a transit gateway peering between regions
    transit_zone_assumed: bool = False  # AWS picks the zone; vpcpath named one and said so


@dataclass(frozen=True, slots=True, kw_only=True)
class Path:
    cidrs: tuple[IPNetwork, ...]
    verdict: Verdict
    hops: tuple[Hop, ...]
    explanation: str
    facts: PathFacts = PathFacts()
    usd_per_gb_in: float | None = None
    usd_per_gb_out: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Leg:
    name: str
    destination: str
    service: str | None
    region: str
    verdict: Verdict
    paths: tuple[Path, ...]
    cidr_source: str
    usd_per_gb_in: float | None = None
    usd_per_gb_out: float | None = None
    hint: str | None = None
    # Caveats on the answer that are not one path's: a prefix list the snapshot lacks, or
    # whose addresses were taken from ip-ranges.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceInfo:
    id: str
    type: SourceKind
    vpc_id: str
    region: str
    account_id: str
    availability_zone: str
    subnet_id: str
    route_table_id: str
    association: str  # explicit or main
    address: str | None = None
    name: str | None = None  # the subnet's Name tag


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    source: SourceInfo
    destination_query: str
    legs: tuple[Leg, ...]
    price_source: str | None = None
    price_date: str | None = None
    # What the snapshot lacks for a complete answer (a prefix list a route names, …): a
    # non-empty tuple makes the answer partial.
    missing: tuple[str, ...] = ()
