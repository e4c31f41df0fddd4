"""Frozen records of transit gateways: their route tables, routes and attachments.

A transit gateway attachment is seen from one transit gateway: a peering attachment has two
sides (one per transit gateway, each with its own association), so attachments are keyed by
``(transit_gateway_id, attachment_id)``. Python names only; the wire names live in
``vpcpath.sources.wire_transit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from vpcpath.model.enums import RouteOrigin, RouteState
from vpcpath.model.network import IPNetwork, Tags


class AttachmentKind(StrEnum):
    """The ``ResourceType`` of a transit gateway attachment."""

    VPC = "vpc"
    PEERING = "peering"
    VPN = "vpn"
    DIRECT_CONNECT_GATEWAY = "direct-connect-gateway"
    CONNECT = "connect"
    NETWORK_FUNCTION = "network-function"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGateway:
    id: str
    account_id: str
    region: str
    state: str = "available"
    default_association_route_table_id: str | None = None
    default_propagation_route_table_id: str | None = None
    tags: Tags = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayRoute:
    """One route of a transit gateway route table: a CIDR or a prefix list, and attachments.

    ``attachment_ids`` holds more than one id only for equal-cost routes (VPN ECMP); it is
    empty for a blackhole route.
    """

    destination: IPNetwork | None
    prefix_list_id: str | None = None
    attachment_ids: tuple[str, ...] = ()
    origin: RouteOrigin = RouteOrigin.STATIC
    state: RouteState = RouteState.ACTIVE

    @property
    def destination_label(self) -> str:
        if self.prefix_list_id is not None:
            return self.prefix_list_id
        return str(self.destination)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayRouteTable:
    id: str
    transit_gateway_id: str
    account_id: str
    region: str
    routes: tuple[TransitGatewayRoute, ...] = ()
    # Attachments whose routes propagate into this table (enabled propagations only).
    propagating_attachment_ids: frozenset[str] = frozenset()
    # False when the snapshot holds the table but not its routes (no static-route answer):
    # a miss in such a table is "unknown", not "no route".
    routes_known: bool = True
    state: str = "available"
    tags: Tags = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayAttachmentSide:
    """An attachment as one transit gateway sees it (a peering attachment has two sides)."""

    id: str
    transit_gateway_id: str
    account_id: str
    region: str
    kind: AttachmentKind
    resource_id: str = ""  # vpc-…, vpn-…, the peer tgw-…, the Direct Connect gateway id
    resource_owner_id: str | None = None
    state: str = "available"
    association_route_table_id: str | None = None
    # VPC attachments: the subnets holding the attachment's ENIs (one per zone).
    subnet_ids: tuple[str, ...] = ()
    appliance_mode: bool = False
    # Peering attachments: where the other transit gateway is.
    peer_transit_gateway_id: str | None = None
    peer_region: str | None = None
    peer_account_id: str | None = None

    @property
    def is_available(self) -> bool:
        return self.state.lower() in ("available", "modifying", "pendingacceptance", "")


def _frozen_map(d: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(d)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitNetwork:
    """Every transit gateway record of a snapshot, with the lookups routing needs."""

    transit_gateways: Mapping[str, TransitGateway] = field(default_factory=dict)
    route_tables: Mapping[str, TransitGatewayRouteTable] = field(default_factory=dict)
    attachments: Mapping[tuple[str, str], TransitGatewayAttachmentSide] = field(
        default_factory=dict
    )

    # (transit gateway, VPC) → attachment id, derived.
    vpc_attachment: Mapping[str, str] = field(init=False)

    def __post_init__(self) -> None:
        by_vpc: dict[str, str] = {}
        for (tgw_id, att_id), side in sorted(self.attachments.items()):
            if side.kind is AttachmentKind.VPC and side.resource_id and side.is_available:
                by_vpc.setdefault(f"{tgw_id}|{side.resource_id}", att_id)
        object.__setattr__(self, "vpc_attachment", _frozen_map(by_vpc))

    @property
    def collected(self) -> bool:
        """Whether the snapshot holds any transit gateway route table."""
        return bool(self.route_tables)

    def attachment_for_vpc(self, transit_gateway_id: str, vpc_id: str) -> str | None:
        return self.vpc_attachment.get(f"{transit_gateway_id}|{vpc_id}")

    def side(
        self, transit_gateway_id: str, attachment_id: str
    ) -> TransitGatewayAttachmentSide | None:
        return self.attachments.get((transit_gateway_id, attachment_id))

    def tables_of(self, transit_gateway_id: str) -> tuple[TransitGatewayRouteTable, ...]:
        return tuple(
            t
            for _, t in sorted(self.route_tables.items())
            if t.transit_gateway_id == transit_gateway_id
        )

    def attachment_subnet_ids(self) -> frozenset[str]:
        """Every subnet that holds a transit gateway attachment's ENI."""
        return frozenset(s for side in self.attachments.values() for s in side.subnet_ids)

    def sides_in_vpc(self, vpc_id: str) -> tuple[TransitGatewayAttachmentSide, ...]:
        return tuple(
            s
            for _, s in sorted(self.attachments.items())
            if s.kind is AttachmentKind.VPC and s.resource_id == vpc_id
        )
