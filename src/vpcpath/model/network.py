"""Frozen records of the VPC resources that decide where traffic goes.

Python names only; the AWS wire names live in ``vpcpath.sources``. Addresses are ``ipaddress``
values. Every resource knows the account and region it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import TypeAlias

from vpcpath.model.enums import (
    EndpointType,
    InterfaceKind,
    NatAvailability,
    NatConnectivity,
    RouteOrigin,
    RouteState,
    TargetKind,
)

IPNetwork: TypeAlias = IPv4Network | IPv6Network
IPAddress: TypeAlias = IPv4Address | IPv6Address
Tags: TypeAlias = tuple[tuple[str, str], ...]


def tag_value(tags: Tags, key: str) -> str | None:
    """The value of tag ``key``, or None."""
    for k, v in tags:
        if k == key:
            return v
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Vpc:
    id: str
    account_id: str
    region: str
    cidrs: tuple[IPv4Network, ...]
    ipv6_cidrs: tuple[IPv6Network, ...] = ()
    is_default: bool = False
    # None = the snapshot does not record the attribute; AWS's default is on for both
    # when the VPC was created by the console wizard, and vpcpath assumes on (docs/architecture.md,
    # rule 7).
    dns_support: bool | None = None
    dns_hostnames: bool | None = None
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_value(self.tags, "Name")


@dataclass(frozen=True, slots=True, kw_only=True)
class Subnet:
    id: str
    vpc_id: str
    account_id: str
    region: str
    availability_zone: str
    availability_zone_id: str | None = None
    cidr: IPv4Network | None = None
    ipv6_cidrs: tuple[IPv6Network, ...] = ()
    map_public_ip_on_launch: bool = False
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_value(self.tags, "Name")


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """One entry of a route table: a CIDR or a prefix list, and a target."""

    destination: IPNetwork | None
    prefix_list_id: str | None
    target_kind: TargetKind
    target_id: str
    origin: RouteOrigin = RouteOrigin.STATIC
    state: RouteState = RouteState.ACTIVE

    @property
    def destination_label(self) -> str:
        """The route's destination as AWS shows it: a CIDR or a prefix-list id."""
        if self.prefix_list_id is not None:
            return self.prefix_list_id
        return str(self.destination)


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteTable:
    id: str
    vpc_id: str
    account_id: str
    region: str
    routes: tuple[Route, ...]
    subnet_ids: frozenset[str] = frozenset()
    gateway_ids: frozenset[str] = frozenset()
    is_main: bool = False
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_value(self.tags, "Name")


@dataclass(frozen=True, slots=True, kw_only=True)
class InternetGateway:
    id: str
    account_id: str
    region: str
    vpc_ids: frozenset[str] = frozenset()
    tags: Tags = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EgressOnlyInternetGateway:
    id: str
    account_id: str
    region: str
    vpc_ids: frozenset[str] = frozenset()
    tags: Tags = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class NatGateway:
    id: str
    vpc_id: str
    account_id: str
    region: str
    subnet_id: str | None
    connectivity: NatConnectivity = NatConnectivity.PUBLIC
    availability: NatAvailability = NatAvailability.ZONAL
    state: str = "available"
    network_interface_ids: tuple[str, ...] = ()
    private_ips: tuple[IPv4Address, ...] = ()
    public_ips: tuple[IPv4Address, ...] = ()
    # A regional NAT gateway has a route table of its own and addresses in several zones
    # (VPC User Guide, "Regional NAT gateways for automatic multi-AZ expansion").
    route_table_id: str | None = None
    availability_zones: tuple[str, ...] = ()
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_value(self.tags, "Name")


@dataclass(frozen=True, slots=True, kw_only=True)
class VpcEndpoint:
    id: str
    vpc_id: str
    account_id: str
    region: str
    service_name: str
    endpoint_type: EndpointType
    state: str = "available"
    route_table_ids: frozenset[str] = frozenset()
    subnet_ids: tuple[str, ...] = ()
    network_interface_ids: tuple[str, ...] = ()
    private_dns_enabled: bool = False
    # S3 interface endpoints: with this on, clients inside the VPC keep using the gateway
    # endpoint and only on-premises resolvers get the interface endpoint's addresses.
    private_dns_only_for_inbound_resolver_endpoint: bool = False
    policy_document: str | None = None
    dns_names: tuple[str, ...] = ()
    tags: Tags = ()
    # VPC Lattice endpoints (types Resource and ServiceNetwork) name no service: they reach a
    # resource configuration or a service network, never S3/DynamoDB/ECR (PrivateLink Guide,
    # "Access VPC resources" and "Access service networks"). ``service_name`` is "" for them.
    resource_configuration_arn: str | None = None
    service_network_arn: str | None = None

    @property
    def serves_aws_service(self) -> bool:
        """Whether the endpoint carries traffic for a named endpoint service (not Lattice)."""
        return bool(self.service_name)

    @property
    def service(self) -> str:
        """The short service name: ``com.amazonaws.us-east-1.ecr.api`` → ``ecr.api``."""
        prefix = f"com.amazonaws.{self.region}."
        if self.service_name.startswith(prefix):
            return self.service_name[len(prefix) :]
        return self.service_name.rsplit(".", 1)[-1]

    @property
    def is_available(self) -> bool:
        return self.state.lower() == "available"


@dataclass(frozen=True, slots=True, kw_only=True)
class PrefixList:
    id: str
    region: str
    name: str
    cidrs: tuple[IPNetwork, ...]
    owner_id: str = "AWS"
    # False when the snapshot named the list but not its entries.
    cidrs_known: bool = True

    @property
    def is_aws_managed(self) -> bool:
        return self.owner_id == "AWS" or self.name.startswith("com.amazonaws.")

    @property
    def service_region(self) -> tuple[str, str] | None:
        """``com.amazonaws.us-east-1.s3`` → (``s3``, ``us-east-1``), for AWS-managed lists."""
        parts = self.name.split(".")
        if len(parts) >= 4 and parts[0] == "com" and parts[1] == "amazonaws":
            return ".".join(parts[3:]), parts[2]
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkInterface:
    id: str
    account_id: str
    region: str
    subnet_id: str
    vpc_id: str
    availability_zone: str
    kind: InterfaceKind = InterfaceKind.INTERFACE
    private_ips: tuple[IPv4Address, ...] = ()
    ipv6_addresses: tuple[IPv6Address, ...] = ()
    instance_id: str | None = None
    description: str = ""
    tags: Tags = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Instance:
    id: str
    account_id: str
    region: str
    subnet_id: str
    vpc_id: str
    availability_zone: str
    private_ip: IPv4Address | None = None
    network_interface_ids: tuple[str, ...] = ()
    state: str = "running"
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_value(self.tags, "Name")


@dataclass(frozen=True, slots=True, kw_only=True)
class PeeringConnection:
    """One VPC peering connection. Its account and region are the requester's, so the copies
    that the two accounts (or regions) list are the same record."""

    id: str
    account_id: str
    region: str
    requester_vpc_id: str
    requester_region: str
    accepter_vpc_id: str
    accepter_region: str
    status: str = "active"
    requester_account_id: str | None = None
    accepter_account_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayAttachment:
    id: str
    account_id: str
    region: str
    transit_gateway_id: str
    resource_type: str
    resource_id: str
    state: str = "available"
    # A peering attachment has one id on both transit gateways: listed from the other side,
    # ``resource_id`` is this record's ``transit_gateway_id``. The region of that other side,
    # when the snapshot saw the attachment from there too.
    peer_region: str | None = None
