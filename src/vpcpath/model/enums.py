"""Closed vocabularies of the network model."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """How traffic leaves the VPC (the `verdict` of the explain contract)."""

    LOCAL = "local"
    GATEWAY_ENDPOINT = "gateway-endpoint"
    INTERFACE_ENDPOINT = "interface-endpoint"
    NAT_GATEWAY = "nat-gateway"
    INTERNET_GATEWAY = "internet-gateway"
    EGRESS_ONLY_INTERNET_GATEWAY = "egress-only-internet-gateway"
    TRANSIT_GATEWAY = "transit-gateway"
    PEERING = "peering"
    VIRTUAL_PRIVATE_GATEWAY = "virtual-private-gateway"
    NETWORK_INTERFACE = "network-interface"
    BLACKHOLE = "blackhole"
    NO_ROUTE = "no-route"
    MIXED = "mixed"


class TargetKind(StrEnum):
    """What a route points at."""

    LOCAL = "local"
    INTERNET_GATEWAY = "internet-gateway"
    EGRESS_ONLY_INTERNET_GATEWAY = "egress-only-internet-gateway"
    NAT_GATEWAY = "nat-gateway"
    GATEWAY_ENDPOINT = "gateway-endpoint"
    GATEWAY_LOAD_BALANCER_ENDPOINT = "gateway-load-balancer-endpoint"
    TRANSIT_GATEWAY = "transit-gateway"
    PEERING = "peering"
    VIRTUAL_PRIVATE_GATEWAY = "virtual-private-gateway"
    NETWORK_INTERFACE = "network-interface"
    INSTANCE = "instance"
    CARRIER_GATEWAY = "carrier-gateway"
    LOCAL_GATEWAY = "local-gateway"
    CORE_NETWORK = "core-network"
    UNKNOWN = "unknown"


class HopType(StrEnum):
    """What one hop of a traced path is (the ``type`` of a hop in the explain contract)."""

    ROUTE_TABLE = "route-table"
    LOCAL = "local"
    SUBNET = "subnet"
    INTERNET_GATEWAY = "internet-gateway"
    EGRESS_ONLY_INTERNET_GATEWAY = "egress-only-internet-gateway"
    NAT_GATEWAY = "nat-gateway"
    GATEWAY_ENDPOINT = "gateway-endpoint"
    INTERFACE_ENDPOINT = "interface-endpoint"
    GATEWAY_LOAD_BALANCER_ENDPOINT = "gateway-load-balancer-endpoint"
    PEERING_CONNECTION = "peering-connection"
    VIRTUAL_PRIVATE_GATEWAY = "virtual-private-gateway"
    NETWORK_INTERFACE = "network-interface"
    INSTANCE = "instance"
    CARRIER_GATEWAY = "carrier-gateway"
    LOCAL_GATEWAY = "local-gateway"
    CORE_NETWORK = "core-network"
    TRANSIT_GATEWAY = "transit-gateway"
    TRANSIT_GATEWAY_ROUTE_TABLE = "transit-gateway-route-table"
    TRANSIT_GATEWAY_ATTACHMENT = "transit-gateway-attachment"
    TRANSIT_GATEWAY_PEERING = "transit-gateway-peering"
    TRANSIT_GATEWAY_CONNECT = "transit-gateway-connect"
    VPN_CONNECTION = "vpn-connection"
    DIRECT_CONNECT_GATEWAY = "direct-connect-gateway"
    NETWORK_FUNCTION = "network-function"
    UNKNOWN = "unknown"

    @property
    def is_route_table(self) -> bool:
        """A hop that names the route it matched (``route`` in the contract)."""
        return self in (HopType.ROUTE_TABLE, HopType.TRANSIT_GATEWAY_ROUTE_TABLE)


class SourceKind(StrEnum):
    """What ``explain --from`` named: the ``source.type`` of the explain contract."""

    SUBNET = "subnet"
    NETWORK_INTERFACE = "network-interface"
    INSTANCE = "instance"
    IP = "ip"


class RouteOrigin(StrEnum):
    """Where a route came from; decides ties at equal prefix length."""

    STATIC = "static"  # CreateRoute / CreateRouteTable (the local route)
    PROPAGATED = "propagated"  # EnableVgwRoutePropagation
    ENDPOINT = "endpoint"  # added by a gateway endpoint's route-table association


class RouteState(StrEnum):
    ACTIVE = "active"
    BLACKHOLE = "blackhole"


class EndpointType(StrEnum):
    GATEWAY = "Gateway"
    INTERFACE = "Interface"
    GATEWAY_LOAD_BALANCER = "GatewayLoadBalancer"
    RESOURCE = "Resource"
    SERVICE_NETWORK = "ServiceNetwork"


class NatConnectivity(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class NatAvailability(StrEnum):
    ZONAL = "zonal"
    REGIONAL = "regional"


class InterfaceKind(StrEnum):
    """What owns a network interface (the AWS `InterfaceType`, normalised)."""

    INTERFACE = "interface"
    NAT_GATEWAY = "nat_gateway"
    VPC_ENDPOINT = "vpc_endpoint"
    TRANSIT_GATEWAY = "transit_gateway"
    LAMBDA = "lambda"
    LOAD_BALANCER = "network_load_balancer"
    OTHER = "other"


class Charge(StrEnum):
    """Which bill a finding's money comes from, so the summary never counts a byte twice."""

    NAT_PROCESSING = "nat-processing"
    CROSS_AZ = "cross-az"
    TRANSIT_GATEWAY = "transit-gateway"
