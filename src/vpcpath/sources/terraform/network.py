"""VPCs, subnets, gateways, NAT gateways, endpoints and the rest, from Terraform instances.

Attribute names are the AWS provider's (registry.terraform.io/providers/hashicorp/aws, each
resource's "Argument Reference" and "Attribute Reference").
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Network
from typing import Any

from vpcpath.model import (
    EgressOnlyInternetGateway,
    EndpointType,
    InternetGateway,
    IPNetwork,
    NatAvailability,
    NatConnectivity,
    NatGateway,
    PeeringConnection,
    PrefixList,
    Subnet,
    TransitGatewayAttachment,
    Vpc,
)
from vpcpath.sources.terraform.context import BuildContext, known_text, tags_of, value_at
from vpcpath.sources.terraform.document import TfInstance

VPC_TYPES = ("aws_vpc",)
SUBNET_TYPES = ("aws_subnet",)


def network(value: Any, inst: TfInstance, attr: str, ctx: BuildContext) -> IPNetwork | None:
    text = known_text(value)
    if text is None:
        return None
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        ctx.notes.append(f"{inst.address}: {attr} {text!r} is not a CIDR; ignored")
        return None


def build_vpc(inst: TfInstance, ctx: BuildContext) -> Vpc:
    vpc_id = ctx.id_of(inst)
    ctx.register(vpc_id, inst.address)
    v4 = network(inst.values.get("cidr_block"), inst, "cidr_block", ctx)
    v6 = network(inst.values.get("ipv6_cidr_block"), inst, "ipv6_cidr_block", ctx)
    if v4 is None:
        ctx.notes.append(f"{inst.address}: cidr_block is known only after apply (IPAM?)")
    dns_support = inst.values.get("enable_dns_support")
    dns_hostnames = inst.values.get("enable_dns_hostnames")
    return Vpc(
        id=vpc_id,
        account_id=ctx.account_of(inst),
        region=ctx.region_of(inst),
        cidrs=(v4,) if isinstance(v4, IPv4Network) else (),
        ipv6_cidrs=(v6,) if isinstance(v6, IPv6Network) else (),
        dns_support=dns_support if isinstance(dns_support, bool) else None,
        dns_hostnames=dns_hostnames if isinstance(dns_hostnames, bool) else None,
        tags=tags_of(inst.values),
    )


@dataclass(slots=True)
class VpcLinker:
    """A resource's VPC: its vpc_id, else the only VPC of its module (or of the whole file).

    terraform-aws-modules/vpc passes ``vpc_id = local.vpc_id``; locals are not in Terraform's
    JSON, so the module's one VPC is the answer there.
    """

    ctx: BuildContext
    vpcs: dict[str, str] = field(default_factory=dict)  # VPC address → id
    by_module: dict[str, list[str]] = field(default_factory=dict)
    guessed: list[str] = field(default_factory=list)

    def add(self, inst: TfInstance, vpc_id: str) -> None:
        self.vpcs[inst.address] = vpc_id
        self.by_module.setdefault(inst.module, []).append(vpc_id)

    def vpc_of(self, inst: TfInstance, path: tuple[str | int, ...] = ("vpc_id",)) -> str | None:
        unknown = value_at(inst.unknown, path) is True
        if not unknown and known_text(value_at(inst.values, path)):
            return str(value_at(inst.values, path))
        targets = self.ctx.refs.targets(inst, path, VPC_TYPES)
        if targets:
            return self.ctx.target_id(targets[0])
        candidates = self.by_module.get(inst.module) or (
            [v for ids in self.by_module.values() for v in ids]
        )
        if len(candidates) == 1:
            self.guessed.append(inst.address)
            return candidates[0]
        self.ctx.notes.append(f"{inst.address}: cannot tell which VPC it belongs to; left out")
        return None


def build_subnet(inst: TfInstance, ctx: BuildContext, vpcs: VpcLinker) -> Subnet | None:
    vpc_id = vpcs.vpc_of(inst)
    if vpc_id is None:
        return None
    subnet_id = ctx.id_of(inst)
    ctx.register(subnet_id, inst.address)
    zone = known_text(inst.values.get("availability_zone")) or ""
    if not zone:
        ctx.notes.append(
            f"{inst.address}: availability_zone is known only after apply; cross-zone checks "
            "cannot place it"
        )
    cidr = network(inst.values.get("cidr_block"), inst, "cidr_block", ctx)
    v6 = network(inst.values.get("ipv6_cidr_block"), inst, "ipv6_cidr_block", ctx)
    return Subnet(
        id=subnet_id,
        vpc_id=vpc_id,
        account_id=ctx.account_of(inst),
        region=ctx.region_of(inst),
        availability_zone=zone,
        availability_zone_id=known_text(inst.values.get("availability_zone_id")),
        cidr=cidr if isinstance(cidr, IPv4Network) else None,
        ipv6_cidrs=(v6,) if isinstance(v6, IPv6Network) else (),
        map_public_ip_on_launch=inst.values.get("map_public_ip_on_launch") is True,
        tags=tags_of(inst.values),
    )


def build_gateway(
    inst: TfInstance, ctx: BuildContext, vpcs: VpcLinker
) -> InternetGateway | EgressOnlyInternetGateway:
    vpc_id = vpcs.vpc_of(inst)
    gateway_id = ctx.id_of(inst)
    ctx.register(gateway_id, inst.address)
    cls = InternetGateway if inst.type == "aws_internet_gateway" else EgressOnlyInternetGateway
    return cls(
        id=gateway_id,
        account_id=ctx.account_of(inst),
        region=ctx.region_of(inst),
        vpc_ids=frozenset({vpc_id} if vpc_id else ()),
        tags=tags_of(inst.values),
    )


def build_nat_gateway(
    inst: TfInstance, ctx: BuildContext, subnet_vpc: dict[str, str], vpcs: VpcLinker
) -> NatGateway | None:
    regional = inst.values.get("availability_mode") == "regional"
    subnet_id = None if regional else ctx.link(inst, ("subnet_id",), SUBNET_TYPES, what="subnet_id")
    vpc_id = subnet_vpc.get(subnet_id or "") or vpcs.vpc_of(inst)
    if vpc_id is None:
        return None
    nat_id = ctx.id_of(inst)
    ctx.register(nat_id, inst.address)
    private_ip = _address(inst, "private_ip", ctx)
    public_ip = _address(inst, "public_ip", ctx)
    eni = known_text(inst.values.get("network_interface_id"))
    connectivity = inst.values.get("connectivity_type") or "public"
    return NatGateway(
        id=nat_id,
        vpc_id=vpc_id,
        account_id=ctx.account_of(inst),
        region=ctx.region_of(inst),
        subnet_id=subnet_id,
        connectivity=NatConnectivity(connectivity)
        if connectivity in ("public", "private")
        else NatConnectivity.PUBLIC,
        availability=NatAvailability.REGIONAL if regional else NatAvailability.ZONAL,
        network_interface_ids=(eni,) if eni else (),
        private_ips=(private_ip,) if private_ip else (),
        public_ips=(public_ip,) if public_ip else (),
        tags=tags_of(inst.values),
    )


def _address(inst: TfInstance, attr: str, ctx: BuildContext) -> IPv4Address | None:
    text = known_text(inst.values.get(attr))
    if text is None:
        return None
    try:
        return IPv4Address(text)
    except ValueError:
        ctx.notes.append(f"{inst.address}: {attr} {text!r} is not an IPv4 address; ignored")
        return None


def build_peering(inst: TfInstance, ctx: BuildContext, vpcs: VpcLinker) -> PeeringConnection | None:
    vpc_id = vpcs.vpc_of(inst)
    peer = ctx.link(inst, ("peer_vpc_id",), VPC_TYPES, what="peer_vpc_id")
    if vpc_id is None or peer is None:
        return None
    pcx_id = ctx.id_of(inst)
    ctx.register(pcx_id, inst.address)
    region = ctx.region_of(inst)
    return PeeringConnection(
        id=pcx_id,
        account_id=ctx.account_of(inst),
        region=region,
        requester_vpc_id=vpc_id,
        requester_region=region,
        accepter_vpc_id=peer,
        accepter_region=known_text(inst.values.get("peer_region")) or region,
    )


def build_tgw_attachment(
    inst: TfInstance, ctx: BuildContext, vpcs: VpcLinker
) -> TransitGatewayAttachment | None:
    vpc_id = vpcs.vpc_of(inst)
    tgw = ctx.link(
        inst, ("transit_gateway_id",), ("aws_ec2_transit_gateway",), what="transit_gateway_id"
    )
    if vpc_id is None or tgw is None:
        return None
    attachment_id = ctx.id_of(inst)
    ctx.register(attachment_id, inst.address)
    return TransitGatewayAttachment(
        id=attachment_id,
        account_id=ctx.account_of(inst),
        region=ctx.region_of(inst),
        transit_gateway_id=tgw,
        resource_type="vpc",
        resource_id=vpc_id,
    )


def build_managed_prefix_list(inst: TfInstance, ctx: BuildContext) -> PrefixList:
    pl_id = ctx.id_of(inst)
    ctx.register(pl_id, inst.address)
    entries = inst.values.get("entry")
    cidrs = [
        net
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
        and (net := network(entry.get("cidr"), inst, "entry.cidr", ctx)) is not None
    ]
    known = not inst.is_unknown("entry")
    if not known:
        ctx.notes.append(f"{inst.address}: entries known only after apply")
    return PrefixList(
        id=pl_id,
        region=ctx.region_of(inst),
        name=known_text(inst.values.get("name")) or inst.address,
        cidrs=tuple(cidrs),
        owner_id=ctx.account_of(inst),
        cidrs_known=known,
    )


@dataclass(slots=True)
class EndpointDraft:
    """A VPC endpoint before its route-table associations are all known."""

    inst: TfInstance
    id: str
    vpc_id: str
    service_name: str
    endpoint_type: EndpointType
    route_table_ids: list[str]
    subnet_ids: tuple[str, ...]
    policy: str | None
    private_dns: bool
    prefix_list_id: str | None


_ENDPOINT_TYPES = {t.value.lower(): t for t in EndpointType}
ROUTE_TABLE_TYPES = ("aws_route_table", "aws_default_route_table", "aws_vpc")


def build_endpoint(inst: TfInstance, ctx: BuildContext, vpcs: VpcLinker) -> EndpointDraft | None:
    service = known_text(inst.values.get("service_name"))
    if service is None:
        ctx.notes.append(f"{inst.address}: service_name is known only after apply; left out")
        return None
    vpc_id = vpcs.vpc_of(inst)
    if vpc_id is None:
        return None
    endpoint_id = ctx.id_of(inst)
    ctx.register(endpoint_id, inst.address)
    kind = _ENDPOINT_TYPES.get(str(inst.values.get("vpc_endpoint_type") or "gateway").lower())
    tables = ctx.links(inst, ("route_table_ids",), ROUTE_TABLE_TYPES, what="route_table_ids")
    subnets = ctx.links(inst, ("subnet_ids",), SUBNET_TYPES, what="subnet_ids")
    policy = known_text(inst.values.get("policy"))
    if inst.is_unknown("policy"):
        ctx.notes.append(
            f"{inst.address}: the endpoint policy is known only after apply; the policy checks "
            "read it as AWS's default (full access)"
        )
    pl = (
        None if inst.is_unknown("prefix_list_id") else known_text(inst.values.get("prefix_list_id"))
    )
    return EndpointDraft(
        inst=inst,
        id=endpoint_id,
        vpc_id=vpc_id,
        service_name=service,
        endpoint_type=kind or EndpointType.GATEWAY,
        route_table_ids=tables,
        subnet_ids=tuple(subnets),
        policy=policy,
        private_dns=inst.values.get("private_dns_enabled") is True,
        prefix_list_id=pl,
    )
