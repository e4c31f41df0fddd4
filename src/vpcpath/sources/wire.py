"""AWS wire shapes (describe-* responses) → model records.

This module and the live collector are the only code that knows AWS field names. Each parser
takes one raw item, the account and region it was found under, and a ``where`` label
(``file: Key[i]``) used in errors, so a bad value is reported at its exact place.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Any, TypeVar

from vpcpath.errors import SourceError
from vpcpath.model import (
    EgressOnlyInternetGateway,
    EndpointType,
    Instance,
    InterfaceKind,
    InternetGateway,
    IPNetwork,
    NatAvailability,
    NatConnectivity,
    NatGateway,
    NetworkInterface,
    PeeringConnection,
    PrefixList,
    Route,
    RouteOrigin,
    RouteState,
    RouteTable,
    Subnet,
    Tags,
    TargetKind,
    TransitGatewayAttachment,
    Vpc,
    VpcEndpoint,
)

Raw = Mapping[str, Any]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NotModelled:
    """An item AWS lists that has no place in the network model: skipped, with the reason."""

    id: str
    why: str


def _convert(where: str, field: str, value: Any, fn: Callable[[Any], T]) -> T:
    try:
        return fn(value)
    except (ValueError, TypeError) as exc:
        raise SourceError(f"{where}.{field}: {value!r} is not valid ({exc})") from exc


def required_str(raw: Raw, key: str, where: str) -> str:
    """A non-empty string field, or a SourceError naming the file, the element and the key."""
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise SourceError(f"{where}: missing or non-string {key!r}")
    return value


def _v4net(raw: Raw, key: str, where: str) -> IPv4Network:
    return _convert(where, key, raw.get(key), lambda v: IPv4Network(v, strict=False))


def _v6net(value: Any, where: str, field: str) -> IPv6Network:
    return _convert(where, field, value, lambda v: IPv6Network(v, strict=False))


def _net(value: Any, where: str, field: str) -> IPNetwork:
    return _convert(where, field, value, lambda v: ipaddress.ip_network(v, strict=False))


def _v4addr(value: Any, where: str, field: str) -> IPv4Address:
    return _convert(where, field, value, IPv4Address)


def tags_of(raw: Raw, key: str = "Tags") -> Tags:
    items = raw.get(key) or []
    return tuple(
        (str(t.get("Key", "")), str(t.get("Value", ""))) for t in items if isinstance(t, dict)
    )


def _is_associated(assoc: Raw) -> bool:
    state = assoc.get("AssociationState") or {}
    return str(state.get("State", "associated")) == "associated"


def parse_vpc(raw: Raw, account: str, region: str, where: str) -> Vpc:
    cidrs = [_v4net(raw, "CidrBlock", where)] if raw.get("CidrBlock") else []
    for i, assoc in enumerate(raw.get("CidrBlockAssociationSet") or []):
        if _is_associated_cidr(assoc):
            net = _v4net(assoc, "CidrBlock", f"{where}.CidrBlockAssociationSet[{i}]")
            if net not in cidrs:
                cidrs.append(net)
    v6 = [
        _v6net(a.get("Ipv6CidrBlock"), where, f"Ipv6CidrBlockAssociationSet[{i}]")
        for i, a in enumerate(raw.get("Ipv6CidrBlockAssociationSet") or [])
        if _is_associated_cidr(a)
    ]
    return Vpc(
        id=required_str(raw, "VpcId", where),
        account_id=str(raw.get("OwnerId") or account),
        region=region,
        cidrs=tuple(cidrs),
        ipv6_cidrs=tuple(v6),
        is_default=bool(raw.get("IsDefault", False)),
        tags=tags_of(raw),
    )


def _is_associated_cidr(assoc: Raw) -> bool:
    state = (assoc.get("CidrBlockState") or assoc.get("Ipv6CidrBlockState") or {}).get("State")
    return state is None or state == "associated"


def parse_subnet(raw: Raw, account: str, region: str, where: str) -> Subnet:
    v6 = [
        _v6net(a.get("Ipv6CidrBlock"), where, f"Ipv6CidrBlockAssociationSet[{i}]")
        for i, a in enumerate(raw.get("Ipv6CidrBlockAssociationSet") or [])
        if _is_associated_cidr(a)
    ]
    return Subnet(
        id=required_str(raw, "SubnetId", where),
        vpc_id=required_str(raw, "VpcId", where),
        account_id=str(raw.get("OwnerId") or account),
        region=region,
        availability_zone=required_str(raw, "AvailabilityZone", where),
        availability_zone_id=raw.get("AvailabilityZoneId"),
        cidr=_v4net(raw, "CidrBlock", where) if raw.get("CidrBlock") else None,
        ipv6_cidrs=tuple(v6),
        map_public_ip_on_launch=bool(raw.get("MapPublicIpOnLaunch", False)),
        tags=tags_of(raw),
    )


# Route targets in the order AWS fills them; an instance route also carries its ENI, and the
# instance is the more useful name for a person reading the trace.
_TARGET_KEYS: tuple[tuple[str, TargetKind], ...] = (
    ("NatGatewayId", TargetKind.NAT_GATEWAY),
    ("TransitGatewayId", TargetKind.TRANSIT_GATEWAY),
    ("VpcPeeringConnectionId", TargetKind.PEERING),
    ("EgressOnlyInternetGatewayId", TargetKind.EGRESS_ONLY_INTERNET_GATEWAY),
    ("CarrierGatewayId", TargetKind.CARRIER_GATEWAY),
    ("LocalGatewayId", TargetKind.LOCAL_GATEWAY),
    ("CoreNetworkArn", TargetKind.CORE_NETWORK),
    ("InstanceId", TargetKind.INSTANCE),
    ("NetworkInterfaceId", TargetKind.NETWORK_INTERFACE),
)


def _gateway_kind(gateway_id: str, has_prefix_list: bool) -> TargetKind:
    if gateway_id == "local":
        return TargetKind.LOCAL
    if gateway_id.startswith("igw-"):
        return TargetKind.INTERNET_GATEWAY
    if gateway_id.startswith("vgw-"):
        return TargetKind.VIRTUAL_PRIVATE_GATEWAY
    if gateway_id.startswith("vpce-"):
        # A gateway endpoint's route has the service's prefix list as destination; a
        # Gateway Load Balancer endpoint is a plain CIDR route to a vpce- id.
        if has_prefix_list:
            return TargetKind.GATEWAY_ENDPOINT
        return TargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT
    return TargetKind.UNKNOWN


def parse_route(raw: Raw, where: str) -> Route:
    destination: IPNetwork | None = None
    prefix_list_id = raw.get("DestinationPrefixListId")
    if raw.get("DestinationCidrBlock"):
        destination = _net(raw["DestinationCidrBlock"], where, "DestinationCidrBlock")
    elif raw.get("DestinationIpv6CidrBlock"):
        destination = _net(raw["DestinationIpv6CidrBlock"], where, "DestinationIpv6CidrBlock")
    elif not prefix_list_id:
        raise SourceError(f"{where}: route has no destination")
    kind, target = TargetKind.UNKNOWN, ""
    for key, key_kind in _TARGET_KEYS:
        if raw.get(key):
            kind, target = key_kind, str(raw[key])
            break
    else:
        if raw.get("GatewayId"):
            target = str(raw["GatewayId"])
            kind = _gateway_kind(target, prefix_list_id is not None)
    origin = {
        "EnableVgwRoutePropagation": RouteOrigin.PROPAGATED,
    }.get(str(raw.get("Origin")), RouteOrigin.STATIC)
    if kind is TargetKind.GATEWAY_ENDPOINT:
        origin = RouteOrigin.ENDPOINT
    state = RouteState.BLACKHOLE if raw.get("State") == "blackhole" else RouteState.ACTIVE
    return Route(
        destination=destination,
        prefix_list_id=prefix_list_id,
        target_kind=kind,
        target_id=target,
        origin=origin,
        state=state,
    )


def parse_route_table(raw: Raw, account: str, region: str, where: str) -> RouteTable:
    routes = tuple(
        parse_route(r, f"{where}.Routes[{i}]") for i, r in enumerate(raw.get("Routes") or [])
    )
    assocs = [a for a in raw.get("Associations") or [] if _is_associated(a)]
    return RouteTable(
        id=required_str(raw, "RouteTableId", where),
        vpc_id=required_str(raw, "VpcId", where),
        account_id=str(raw.get("OwnerId") or account),
        region=region,
        routes=routes,
        subnet_ids=frozenset(str(a["SubnetId"]) for a in assocs if a.get("SubnetId")),
        gateway_ids=frozenset(str(a["GatewayId"]) for a in assocs if a.get("GatewayId")),
        is_main=any(bool(a.get("Main")) for a in assocs),
        tags=tags_of(raw),
    )


def _attached_vpcs(raw: Raw) -> frozenset[str]:
    return frozenset(
        str(a["VpcId"])
        for a in raw.get("Attachments") or []
        if a.get("VpcId") and a.get("State", "available") in ("available", "attached")
    )


def parse_internet_gateway(raw: Raw, account: str, region: str, where: str) -> InternetGateway:
    return InternetGateway(
        id=required_str(raw, "InternetGatewayId", where),
        account_id=str(raw.get("OwnerId") or account),
        region=region,
        vpc_ids=_attached_vpcs(raw),
        tags=tags_of(raw),
    )


def parse_egress_only_gateway(
    raw: Raw, account: str, region: str, where: str
) -> EgressOnlyInternetGateway:
    return EgressOnlyInternetGateway(
        id=required_str(raw, "EgressOnlyInternetGatewayId", where),
        account_id=account,
        region=region,
        vpc_ids=_attached_vpcs(raw),
        tags=tags_of(raw),
    )


def parse_nat_gateway(raw: Raw, account: str, region: str, where: str) -> NatGateway:
    addresses = raw.get("NatGatewayAddresses") or []
    private = [
        _v4addr(a["PrivateIp"], where, f"NatGatewayAddresses[{i}].PrivateIp")
        for i, a in enumerate(addresses)
        if a.get("PrivateIp")
    ]
    public = [
        _v4addr(a["PublicIp"], where, f"NatGatewayAddresses[{i}].PublicIp")
        for i, a in enumerate(addresses)
        if a.get("PublicIp")
    ]
    connectivity = (
        NatConnectivity.PRIVATE
        if raw.get("ConnectivityType") == "private"
        else NatConnectivity.PUBLIC
    )
    availability = (
        NatAvailability.REGIONAL
        if raw.get("AvailabilityMode") == "regional"
        else NatAvailability.ZONAL
    )
    return NatGateway(
        id=required_str(raw, "NatGatewayId", where),
        vpc_id=required_str(raw, "VpcId", where),
        account_id=account,
        region=region,
        subnet_id=raw.get("SubnetId"),
        connectivity=connectivity,
        availability=availability,
        state=str(raw.get("State", "available")),
        network_interface_ids=tuple(
            dict.fromkeys(
                str(a["NetworkInterfaceId"]) for a in addresses if a.get("NetworkInterfaceId")
            )
        ),
        private_ips=tuple(private),
        public_ips=tuple(public),
        route_table_id=raw.get("RouteTableId"),
        availability_zones=tuple(
            dict.fromkeys(
                str(a["AvailabilityZone"]) for a in addresses if a.get("AvailabilityZone")
            )
        ),
        tags=tags_of(raw),
    )


def _endpoint_type(value: Any, where: str) -> EndpointType:
    try:
        return EndpointType(str(value))
    except ValueError as exc:
        raise SourceError(f"{where}.VpcEndpointType: unknown type {value!r}") from exc


# Endpoint types that reach VPC Lattice and carry no ServiceName (PrivateLink Guide,
# https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-resources.html
# "Access VPC resources through AWS PrivateLink" and .../privatelink-access-service-networks.html
# "Access service networks through AWS PrivateLink").
_LATTICE_TYPES = frozenset({EndpointType.RESOURCE, EndpointType.SERVICE_NETWORK})


def parse_vpc_endpoint(raw: Raw, account: str, region: str, where: str) -> VpcEndpoint:
    policy = raw.get("PolicyDocument")
    dns_options = raw.get("DnsOptions") or {}
    endpoint_type = _endpoint_type(raw.get("VpcEndpointType"), where)
    if endpoint_type in _LATTICE_TYPES:
        service_name = str(raw.get("ServiceName") or "")
    else:
        service_name = required_str(raw, "ServiceName", where)
    return VpcEndpoint(
        id=required_str(raw, "VpcEndpointId", where),
        vpc_id=required_str(raw, "VpcId", where),
        account_id=str(raw.get("OwnerId") or account),
        region=region,
        service_name=service_name,
        endpoint_type=endpoint_type,
        state=str(raw.get("State", "available")),
        route_table_ids=frozenset(str(r) for r in raw.get("RouteTableIds") or []),
        subnet_ids=tuple(str(s) for s in raw.get("SubnetIds") or []),
        network_interface_ids=tuple(str(e) for e in raw.get("NetworkInterfaceIds") or []),
        private_dns_enabled=bool(raw.get("PrivateDnsEnabled", False)),
        private_dns_only_for_inbound_resolver_endpoint=bool(
            dns_options.get("PrivateDnsOnlyForInboundResolverEndpoint", False)
        ),
        policy_document=policy if isinstance(policy, str) else None,
        dns_names=tuple(str(d["DnsName"]) for d in raw.get("DnsEntries") or [] if d.get("DnsName")),
        tags=tags_of(raw),
        resource_configuration_arn=raw.get("ResourceConfigurationArn") or None,
        service_network_arn=raw.get("ServiceNetworkArn") or None,
    )


def parse_prefix_list(raw: Raw, region: str, where: str) -> PrefixList:
    cidrs = raw.get("Cidrs")
    return PrefixList(
        id=required_str(raw, "PrefixListId", where),
        region=region,
        name=str(raw.get("PrefixListName", "")),
        cidrs=tuple(_net(c, where, f"Cidrs[{i}]") for i, c in enumerate(cidrs or [])),
        owner_id=str(raw.get("OwnerId", "AWS")),
        cidrs_known=bool(cidrs),
    )


def parse_prefix_list_entries(raw: Raw, region: str, where: str) -> PrefixList:
    """``get-managed-prefix-list-entries`` output with its ``PrefixListId`` beside it."""
    entries = raw.get("Entries") or []
    return PrefixList(
        id=required_str(raw, "PrefixListId", where),
        region=region,
        name=str(raw.get("PrefixListName", "")),
        cidrs=tuple(
            _net(e.get("Cidr"), where, f"Entries[{i}].Cidr") for i, e in enumerate(entries)
        ),
        owner_id=str(raw.get("OwnerId", "")),
        cidrs_known=True,
    )


_INTERFACE_KINDS = {
    "interface": InterfaceKind.INTERFACE,
    "nat_gateway": InterfaceKind.NAT_GATEWAY,
    "natGateway": InterfaceKind.NAT_GATEWAY,
    "vpc_endpoint": InterfaceKind.VPC_ENDPOINT,
    "transit_gateway": InterfaceKind.TRANSIT_GATEWAY,
    "lambda": InterfaceKind.LAMBDA,
    "network_load_balancer": InterfaceKind.LOAD_BALANCER,
}


def parse_network_interface(raw: Raw, account: str, region: str, where: str) -> NetworkInterface:
    ips: list[IPv4Address] = []
    for i, entry in enumerate(raw.get("PrivateIpAddresses") or []):
        if entry.get("PrivateIpAddress"):
            ips.append(_v4addr(entry["PrivateIpAddress"], where, f"PrivateIpAddresses[{i}]"))
    if raw.get("PrivateIpAddress"):
        primary = _v4addr(raw["PrivateIpAddress"], where, "PrivateIpAddress")
        if primary not in ips:
            ips.insert(0, primary)
    v6 = [
        _convert(where, f"Ipv6Addresses[{i}]", e.get("Ipv6Address"), IPv6Address)
        for i, e in enumerate(raw.get("Ipv6Addresses") or [])
    ]
    attachment = raw.get("Attachment") or {}
    return NetworkInterface(
        id=required_str(raw, "NetworkInterfaceId", where),
        account_id=str(raw.get("OwnerId") or account),
        region=region,
        subnet_id=required_str(raw, "SubnetId", where),
        vpc_id=required_str(raw, "VpcId", where),
        availability_zone=str(raw.get("AvailabilityZone", "")),
        kind=_INTERFACE_KINDS.get(str(raw.get("InterfaceType", "interface")), InterfaceKind.OTHER),
        private_ips=tuple(ips),
        ipv6_addresses=tuple(v6),
        instance_id=attachment.get("InstanceId"),
        description=str(raw.get("Description", "")),
        tags=tags_of(raw, "TagSet"),
    )


def parse_instance(raw: Raw, account: str, region: str, where: str) -> Instance | NotModelled:
    placement = raw.get("Placement") or {}
    state = str((raw.get("State") or {}).get("Name", "running"))
    if not raw.get("SubnetId") or not raw.get("VpcId"):
        # EC2 User Guide, "Terminate Amazon EC2 instances" → "How instance termination works"
        # (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html):
        # a terminated instance stays listed for about an hour, without its network interfaces,
        # so without SubnetId/VpcId. It sends no traffic: skip it and say so.
        instance_id = required_str(raw, "InstanceId", where)
        why = f"{state} instance without SubnetId/VpcId: not in any VPC of the snapshot"
        return NotModelled(instance_id, why)
    return Instance(
        id=required_str(raw, "InstanceId", where),
        account_id=account,
        region=region,
        subnet_id=required_str(raw, "SubnetId", where),
        vpc_id=required_str(raw, "VpcId", where),
        availability_zone=str(placement.get("AvailabilityZone", "")),
        private_ip=(
            _v4addr(raw["PrivateIpAddress"], where, "PrivateIpAddress")
            if raw.get("PrivateIpAddress")
            else None
        ),
        network_interface_ids=tuple(
            str(n["NetworkInterfaceId"])
            for n in raw.get("NetworkInterfaces") or []
            if n.get("NetworkInterfaceId")
        ),
        state=state,
        tags=tags_of(raw),
    )


def parse_peering(raw: Raw, account: str, region: str, where: str) -> PeeringConnection:
    # The record describes the connection, not who listed it: the requester's account and
    # region, so the requester's and the accepter's copies are one record (VPC Peering Guide,
    # "VPC peering process": the requester VPC owner sends the request, the accepter accepts).
    requester = raw.get("RequesterVpcInfo") or {}
    accepter = raw.get("AccepterVpcInfo") or {}
    requester_region = str(requester.get("Region") or region)
    return PeeringConnection(
        id=required_str(raw, "VpcPeeringConnectionId", where),
        account_id=str(requester.get("OwnerId") or account),
        region=requester_region,
        requester_vpc_id=str(requester.get("VpcId", "")),
        requester_region=requester_region,
        accepter_vpc_id=str(accepter.get("VpcId", "")),
        accepter_region=str(accepter.get("Region") or region),
        status=str((raw.get("Status") or {}).get("Code", "active")),
        requester_account_id=str(requester["OwnerId"]) if requester.get("OwnerId") else None,
        accepter_account_id=str(accepter["OwnerId"]) if accepter.get("OwnerId") else None,
    )


def parse_tgw_attachment(
    raw: Raw, account: str, region: str, where: str
) -> TransitGatewayAttachment:
    return TransitGatewayAttachment(
        id=required_str(raw, "TransitGatewayAttachmentId", where),
        account_id=str(raw.get("ResourceOwnerId") or account),
        region=region,
        transit_gateway_id=required_str(raw, "TransitGatewayId", where),
        resource_type=str(raw.get("ResourceType", "")),
        resource_id=str(raw.get("ResourceId", "")),
        state=str(raw.get("State", "available")),
    )
