"""The immutable snapshot of an estate, with the indexes the engines need.

Indexes are computed once at construction from the resources themselves, so a snapshot and
its indexes can never disagree; a what-if is a new snapshot, never an edit of this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address
from types import MappingProxyType
from typing import TypeVar

from vpcpath.model.ipranges import IpRanges
from vpcpath.model.network import (
    EgressOnlyInternetGateway,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkInterface,
    PeeringConnection,
    PrefixList,
    RouteTable,
    Subnet,
    TransitGatewayAttachment,
    Vpc,
    VpcEndpoint,
)
from vpcpath.model.transit import TransitNetwork

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotNotes:
    """What the loader saw besides resources: files, keys it ignored, what it skipped."""

    root: str = ""
    files: tuple[str, ...] = ()
    unknown_keys: tuple[tuple[str, str], ...] = ()  # (file, key)
    skipped: tuple[tuple[str, str], ...] = ()  # (what, why)
    recognised_only: tuple[tuple[str, int], ...] = ()  # (key, count) read but not modelled
    # (what, why): read and deliberately left out, not a gap (a terminated instance, …).
    ignored: tuple[tuple[str, str], ...] = ()
    # (file, why): files in the folder of which vpcpath understood nothing.
    not_understood: tuple[tuple[str, str], ...] = ()


def _frozen(d: dict[K, V]) -> Mapping[K, V]:
    return MappingProxyType(d)


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    vpcs: Mapping[str, Vpc] = field(default_factory=dict)
    subnets: Mapping[str, Subnet] = field(default_factory=dict)
    route_tables: Mapping[str, RouteTable] = field(default_factory=dict)
    internet_gateways: Mapping[str, InternetGateway] = field(default_factory=dict)
    egress_only_internet_gateways: Mapping[str, EgressOnlyInternetGateway] = field(
        default_factory=dict
    )
    nat_gateways: Mapping[str, NatGateway] = field(default_factory=dict)
    endpoints: Mapping[str, VpcEndpoint] = field(default_factory=dict)
    # Prefix lists are regional: key (region, id). AWS-managed lists share ids across accounts.
    prefix_lists: Mapping[tuple[str, str], PrefixList] = field(default_factory=dict)
    network_interfaces: Mapping[str, NetworkInterface] = field(default_factory=dict)
    instances: Mapping[str, Instance] = field(default_factory=dict)
    peering_connections: Mapping[str, PeeringConnection] = field(default_factory=dict)
    transit_gateway_attachments: Mapping[str, TransitGatewayAttachment] = field(
        default_factory=dict
    )
    # Transit gateways, their route tables and attachments (routing across them).
    transit: TransitNetwork = field(default_factory=TransitNetwork)
    ip_ranges: IpRanges | None = None
    notes: SnapshotNotes = field(default_factory=SnapshotNotes)

    # Indexes, derived in __post_init__.
    subnet_route_table: Mapping[str, str] = field(init=False)
    main_route_table: Mapping[str, str] = field(init=False)
    subnets_by_vpc: Mapping[str, tuple[str, ...]] = field(init=False)
    route_tables_by_vpc: Mapping[str, tuple[str, ...]] = field(init=False)
    endpoints_by_vpc: Mapping[str, tuple[str, ...]] = field(init=False)
    nat_gateways_by_vpc: Mapping[str, tuple[str, ...]] = field(init=False)
    eni_by_private_ip: Mapping[tuple[str, IPv4Address | IPv6Address], str] = field(init=False)
    nat_gateway_by_eni: Mapping[str, str] = field(init=False)
    endpoint_by_eni: Mapping[str, str] = field(init=False)

    def __post_init__(self) -> None:
        subnet_rt: dict[str, str] = {}
        main_rt: dict[str, str] = {}
        rts_by_vpc: dict[str, list[str]] = {}
        for rt in sorted(self.route_tables.values(), key=lambda r: r.id):
            rts_by_vpc.setdefault(rt.vpc_id, []).append(rt.id)
            if rt.is_main:
                main_rt[rt.vpc_id] = rt.id
            for subnet_id in rt.subnet_ids:
                subnet_rt[subnet_id] = rt.id
        subnets_by_vpc: dict[str, list[str]] = {}
        for subnet in sorted(self.subnets.values(), key=lambda s: s.id):
            subnets_by_vpc.setdefault(subnet.vpc_id, []).append(subnet.id)
        eps_by_vpc: dict[str, list[str]] = {}
        endpoint_by_eni: dict[str, str] = {}
        for ep in sorted(self.endpoints.values(), key=lambda e: e.id):
            eps_by_vpc.setdefault(ep.vpc_id, []).append(ep.id)
            for eni in ep.network_interface_ids:
                endpoint_by_eni[eni] = ep.id
        nats_by_vpc: dict[str, list[str]] = {}
        nat_by_eni: dict[str, str] = {}
        for nat in sorted(self.nat_gateways.values(), key=lambda n: n.id):
            nats_by_vpc.setdefault(nat.vpc_id, []).append(nat.id)
            for eni in nat.network_interface_ids:
                nat_by_eni[eni] = nat.id
        by_ip: dict[tuple[str, IPv4Address | IPv6Address], str] = {}
        for iface in self.network_interfaces.values():
            for ip4 in iface.private_ips:
                by_ip[(iface.vpc_id, ip4)] = iface.id
            for ip6 in iface.ipv6_addresses:
                by_ip[(iface.vpc_id, ip6)] = iface.id
        setattr_ = object.__setattr__
        setattr_(self, "subnet_route_table", _frozen(subnet_rt))
        setattr_(self, "main_route_table", _frozen(main_rt))
        setattr_(self, "subnets_by_vpc", _frozen({k: tuple(v) for k, v in subnets_by_vpc.items()}))
        setattr_(self, "route_tables_by_vpc", _frozen({k: tuple(v) for k, v in rts_by_vpc.items()}))
        setattr_(self, "endpoints_by_vpc", _frozen({k: tuple(v) for k, v in eps_by_vpc.items()}))
        setattr_(
            self, "nat_gateways_by_vpc", _frozen({k: tuple(v) for k, v in nats_by_vpc.items()})
        )
        setattr_(self, "eni_by_private_ip", _frozen(by_ip))
        setattr_(self, "nat_gateway_by_eni", _frozen(nat_by_eni))
        setattr_(self, "endpoint_by_eni", _frozen(endpoint_by_eni))

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({v.region for v in self.vpcs.values()}))

    @property
    def accounts(self) -> tuple[str, ...]:
        return tuple(sorted({v.account_id for v in self.vpcs.values()}))

    def prefix_list(self, region: str, prefix_list_id: str) -> PrefixList | None:
        return self.prefix_lists.get((region, prefix_list_id))

    def aws_prefix_list_for(self, service: str, region: str) -> PrefixList | None:
        """The AWS-managed prefix list ``com.amazonaws.<region>.<service>``, if recorded."""
        name = f"com.amazonaws.{region}.{service}"
        for (pl_region, _), pl in sorted(self.prefix_lists.items()):
            if pl_region == region and pl.name == name and pl.cidrs_known:
                return pl
        return None

    def endpoints_in_vpc(self, vpc_id: str) -> tuple[VpcEndpoint, ...]:
        return tuple(self.endpoints[e] for e in self.endpoints_by_vpc.get(vpc_id, ()))

    def subnets_in_vpc(self, vpc_id: str) -> tuple[Subnet, ...]:
        return tuple(self.subnets[s] for s in self.subnets_by_vpc.get(vpc_id, ()))
