"""Route tables, their routes and associations, as AWS will hold them after apply.

- Every route table has the ``local`` route for the VPC's CIDRs, and every VPC a main route
  table, created by AWS whether or not Terraform manages it (VPC User Guide, "Route tables" →
  "Main route tables", https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html):
  an ``aws_default_route_table`` adopts it (AWS provider docs, "aws_default_route_table"), an
  ``aws_main_route_table_association`` makes another table the main one. Subnets without an
  explicit association use the main table.
- Routes come from ``route`` blocks of ``aws_route_table``/``aws_default_route_table`` and from
  ``aws_route`` resources (in a state the provider lists the latter in the table's ``route``
  too, so a destination is kept once; AWS provider docs, "aws_route_table": "Terraform
  currently provides both a standalone Route resource and a Route Table resource with routes
  defined in-line").
- A gateway endpoint adds a route to its service's prefix list in each route table it is
  associated with (PrivateLink Guide, "Gateway endpoints" → "Routing",
  https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html), through its
  ``route_table_ids`` or ``aws_vpc_endpoint_route_table_association``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from vpcpath.model import Route, RouteTable, TargetKind, Vpc
from vpcpath.model.network import IPNetwork, Tags
from vpcpath.sources.terraform.context import BuildContext, known_text, tags_of, value_at
from vpcpath.sources.terraform.document import TfInstance
from vpcpath.sources.terraform.network import ROUTE_TABLE_TYPES, VpcLinker, network

# The provider's target attributes, in the order AWS's own describe output is read.
_TARGETS: tuple[tuple[str, TargetKind, tuple[str, ...]], ...] = (
    ("nat_gateway_id", TargetKind.NAT_GATEWAY, ("aws_nat_gateway",)),
    ("transit_gateway_id", TargetKind.TRANSIT_GATEWAY, ("aws_ec2_transit_gateway",)),
    ("vpc_peering_connection_id", TargetKind.PEERING, ("aws_vpc_peering_connection",)),
    (
        "egress_only_gateway_id",
        TargetKind.EGRESS_ONLY_INTERNET_GATEWAY,
        ("aws_egress_only_internet_gateway",),
    ),
    ("network_interface_id", TargetKind.NETWORK_INTERFACE, ("aws_network_interface",)),
    ("vpc_endpoint_id", TargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT, ("aws_vpc_endpoint",)),
    ("instance_id", TargetKind.INSTANCE, ("aws_instance",)),
    ("carrier_gateway_id", TargetKind.CARRIER_GATEWAY, ("aws_ec2_carrier_gateway",)),
    ("local_gateway_id", TargetKind.LOCAL_GATEWAY, ()),
    ("core_network_arn", TargetKind.CORE_NETWORK, ()),
)
_GATEWAY_TYPES = {
    "aws_internet_gateway": TargetKind.INTERNET_GATEWAY,
    "aws_vpn_gateway": TargetKind.VIRTUAL_PRIVATE_GATEWAY,
    "aws_vpc_endpoint": TargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT,
}
_GATEWAY_PREFIX = {
    "local": TargetKind.LOCAL,
    "igw-": TargetKind.INTERNET_GATEWAY,
    "vgw-": TargetKind.VIRTUAL_PRIVATE_GATEWAY,
    "vpce-": TargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT,
}


@dataclass(slots=True)
class TableDraft:
    id: str
    vpc_id: str
    account_id: str
    region: str
    address: str
    routes: dict[str, Route] = field(default_factory=dict)  # destination label → route
    subnet_ids: set[str] = field(default_factory=set)
    gateway_ids: set[str] = field(default_factory=set)
    is_main: bool = False
    implicit: bool = False  # AWS's main table, not a Terraform resource
    tags: Tags = ()

    def add(self, route: Route) -> None:
        self.routes.setdefault(route.destination_label, route)

    def freeze(self, vpc: Vpc | None) -> RouteTable:
        cidrs: tuple[IPNetwork, ...] = (*vpc.cidrs, *vpc.ipv6_cidrs) if vpc else ()
        local = tuple(
            Route(
                destination=c, prefix_list_id=None, target_kind=TargetKind.LOCAL, target_id="local"
            )
            for c in cidrs
        )
        return RouteTable(
            id=self.id,
            vpc_id=self.vpc_id,
            account_id=self.account_id,
            region=self.region,
            routes=local
            + tuple(r for r in self.routes.values() if r.target_kind is not TargetKind.LOCAL),
            subnet_ids=frozenset(self.subnet_ids),
            gateway_ids=frozenset(self.gateway_ids),
            is_main=self.is_main,
            tags=self.tags,
        )


def read_route(
    inst: TfInstance,
    ctx: BuildContext,
    base: Sequence[str | int],
    *,
    cidr_attrs: tuple[str, str, str],
) -> Route | None:
    """One route from the attributes under ``base`` (a ``route`` block, or the resource)."""
    v4, v6, pl_attr = cidr_attrs
    destination: IPNetwork | None = None
    prefix_list: str | None = None
    if ctx.is_set(inst, (*base, v4)):
        destination = network(value_at(inst.values, (*base, v4)), inst, v4, ctx)
    if destination is None and ctx.is_set(inst, (*base, v6)):
        destination = network(value_at(inst.values, (*base, v6)), inst, v6, ctx)
    if destination is None and ctx.is_set(inst, (*base, pl_attr)):
        prefix_list = ctx.link(
            inst, (*base, pl_attr), ("aws_ec2_managed_prefix_list",), what=pl_attr
        )
    if destination is None and prefix_list is None:
        ctx.notes.append(f"{inst.address}: a route whose destination is unknown; left out")
        return None
    kind, target = TargetKind.UNKNOWN, ""
    for attr, attr_kind, types in _TARGETS:
        if ctx.is_set(inst, (*base, attr)):
            kind = attr_kind
            target = ctx.link(inst, (*base, attr), types, what=attr) or ""
            break
    else:
        if ctx.is_set(inst, (*base, "gateway_id")):
            kind, target = _gateway_target(inst, ctx, (*base, "gateway_id"))
    if not target:
        ctx.notes.append(
            f"{inst.address}: route to {destination or prefix_list} has a target vpcpath cannot "
            "resolve; left out"
        )
        return None
    return Route(
        destination=destination, prefix_list_id=prefix_list, target_kind=kind, target_id=target
    )


def _gateway_target(
    inst: TfInstance, ctx: BuildContext, path: tuple[str | int, ...]
) -> tuple[TargetKind, str]:
    value = known_text(value_at(inst.values, path))
    if value is not None and value_at(inst.unknown, path) is not True:
        for prefix, kind in _GATEWAY_PREFIX.items():
            if value.startswith(prefix):
                return kind, value
        return TargetKind.UNKNOWN, value
    for target in ctx.refs.targets(inst, path, tuple(_GATEWAY_TYPES)):
        return _GATEWAY_TYPES[target.instance.type], ctx.target_id(target)
    return TargetKind.UNKNOWN, ""


def inline_routes(inst: TfInstance, ctx: BuildContext, table: TableDraft) -> None:
    """``route`` blocks; each is matched to its configuration block by destination, since
    Terraform stores the blocks as a set whose order need not be the source order."""
    blocks = inst.values.get("route")
    unknown = inst.unknown.get("route")
    config_blocks = ((inst.config or {}).get("expressions") or {}).get("route")
    configs = (
        [b for b in config_blocks if isinstance(b, dict)] if isinstance(config_blocks, list) else []
    )
    if not isinstance(blocks, list):
        # The whole set is unknown: its configuration blocks still say what it will hold.
        blocks, unknowns = [], []
        for config in configs if unknown is True else []:
            blocks.append(
                {k: v["constant_value"] for k, v in config.items() if "constant_value" in v}
            )
            unknowns.append({k: True for k, v in config.items() if v.get("references")})
    else:
        unknowns = unknown if isinstance(unknown, list) else []
    for i, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        config = _matching_block(block, configs, i)
        view = replace(
            inst,
            values=block,
            unknown=unknowns[i] if i < len(unknowns) and isinstance(unknowns[i], dict) else {},
            config={"expressions": config},
        )
        route = read_route(view, ctx, (), cidr_attrs=_BLOCK_ATTRS)
        if route:
            table.add(route)


def _matching_block(
    block: Mapping[str, Any], configs: list[dict[str, Any]], i: int
) -> dict[str, Any]:
    for config in configs:
        for attr in _BLOCK_ATTRS:
            constant = (config.get(attr) or {}).get("constant_value")
            if constant and constant == block.get(attr):
                return config
    return configs[i] if i < len(configs) else {}


_BLOCK_ATTRS = ("cidr_block", "ipv6_cidr_block", "destination_prefix_list_id")
_ROUTE_ATTRS = (
    "destination_cidr_block",
    "destination_ipv6_cidr_block",
    "destination_prefix_list_id",
)


def route_resource(inst: TfInstance, ctx: BuildContext, tables: Mapping[str, TableDraft]) -> None:
    table_id = ctx.link(inst, ("route_table_id",), ROUTE_TABLE_TYPES, what="route_table_id")
    table = tables.get(table_id or "")
    if table is None:
        ctx.notes.append(f"{inst.address}: its route table is not in the plan; left out")
        return
    route = read_route(inst, ctx, (), cidr_attrs=_ROUTE_ATTRS)
    if route is not None:
        ctx.register(f"{table.id}:{route.destination_label}", inst.address)
        table.routes[route.destination_label] = route


def association(inst: TfInstance, ctx: BuildContext, tables: Mapping[str, TableDraft]) -> None:
    table_id = ctx.link(inst, ("route_table_id",), ROUTE_TABLE_TYPES, what="route_table_id")
    table = tables.get(table_id or "")
    if table is None:
        ctx.notes.append(f"{inst.address}: its route table is not in the plan; left out")
        return
    if ctx.is_set(inst, ("subnet_id",)):
        subnet = ctx.link(inst, ("subnet_id",), ("aws_subnet",), what="subnet_id")
        if subnet:
            ctx.register(f"{table.id}:{subnet}", inst.address)
            table.subnet_ids.add(subnet)
    elif ctx.is_set(inst, ("gateway_id",)):
        gateway = ctx.link(
            inst, ("gateway_id",), ("aws_internet_gateway", "aws_vpn_gateway"), what="gateway_id"
        )
        if gateway:
            table.gateway_ids.add(gateway)


def table_draft(inst: TfInstance, ctx: BuildContext, vpcs: VpcLinker) -> TableDraft | None:
    if inst.type == "aws_default_route_table":
        table_id = ctx.default_table_id(inst)
        vpc_id = known_text(inst.values.get("vpc_id"))
        if vpc_id is None:
            targets = ctx.refs.targets(inst, ("default_route_table_id",), ("aws_vpc",))
            vpc_id = vpcs.vpcs.get(targets[0].instance.address) if targets else None
        if vpc_id is None:
            vpc_id = vpcs.vpc_of(inst)
    else:
        table_id = ctx.id_of(inst)
        vpc_id = vpcs.vpc_of(inst)
    if vpc_id is None:
        return None
    ctx.register(table_id, inst.address)
    return TableDraft(
        id=table_id,
        vpc_id=vpc_id,
        account_id=ctx.account_of(inst),
        region=ctx.region_of(inst),
        address=inst.address,
        is_main=inst.type == "aws_default_route_table",
        tags=tags_of(inst.values),
    )


def main_association(
    inst: TfInstance, ctx: BuildContext, tables: dict[str, TableDraft], vpcs: VpcLinker
) -> None:
    vpc_id = vpcs.vpc_of(inst)
    table_id = ctx.link(inst, ("route_table_id",), ROUTE_TABLE_TYPES, what="route_table_id")
    table = tables.get(table_id or "")
    if vpc_id is None or table is None:
        return
    for other in tables.values():
        if other.vpc_id == vpc_id and other.is_main:
            other.is_main = False
    table.is_main = True
