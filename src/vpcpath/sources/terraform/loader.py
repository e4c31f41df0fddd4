"""``load_terraform``: a ``terraform show -json`` plan or state as a Snapshot, with addresses.

AWS-managed prefix lists (``com.amazonaws.<region>.s3``/``.dynamodb``) are AWS's, not
Terraform's: a gateway endpoint's list is built from the region's service ranges in
ip-ranges (the bundled sample or ``--ip-ranges FILE``), and the result says so. What a
gateway endpoint carries is exactly that prefix list (DESIGN rule 5; PrivateLink Guide,
"Gateway endpoints").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vpcpath.model import (
    EgressOnlyInternetGateway,
    EndpointType,
    InternetGateway,
    IpRanges,
    NatGateway,
    PeeringConnection,
    PrefixList,
    Route,
    RouteOrigin,
    Snapshot,
    SnapshotNotes,
    Subnet,
    TargetKind,
    TransitGatewayAttachment,
    Vpc,
    VpcEndpoint,
)
from vpcpath.sources.terraform.context import BuildContext, synthetic_id, tags_of
from vpcpath.sources.terraform.document import TfDocument, TfInstance, read_document
from vpcpath.sources.terraform.network import (
    ROUTE_TABLE_TYPES,
    EndpointDraft,
    VpcLinker,
    build_endpoint,
    build_gateway,
    build_managed_prefix_list,
    build_nat_gateway,
    build_peering,
    build_subnet,
    build_tgw_attachment,
    build_vpc,
)
from vpcpath.sources.terraform.routes import (
    TableDraft,
    association,
    inline_routes,
    main_association,
    route_resource,
    table_draft,
)

MODELLED = frozenset(
    {
        "aws_vpc",
        "aws_subnet",
        "aws_route_table",
        "aws_route",
        "aws_route_table_association",
        "aws_main_route_table_association",
        "aws_default_route_table",
        "aws_internet_gateway",
        "aws_egress_only_internet_gateway",
        "aws_nat_gateway",
        "aws_vpc_endpoint",
        "aws_vpc_endpoint_route_table_association",
        "aws_vpc_peering_connection",
        "aws_ec2_transit_gateway_vpc_attachment",
        "aws_ec2_managed_prefix_list",
    }
)
_GATEWAY_SERVICES = {"s3": "S3", "dynamodb": "DYNAMODB"}


@dataclass(frozen=True, slots=True, kw_only=True)
class TerraformSource:
    """The model of a plan or state, and what ties it back to the Terraform code."""

    snapshot: Snapshot
    path: str
    kind: str  # plan | state
    terraform_version: str
    region: str
    addresses: Mapping[str, str] = field(default_factory=dict)  # model id → address
    notes: tuple[str, ...] = ()
    unmodelled: tuple[tuple[str, str], ...] = ()  # (address, type) of resources not modelled
    document: TfDocument | None = None

    def addresses_of(self, ids: list[str] | tuple[str, ...]) -> list[str]:
        found: list[str] = []
        for ident in ids:
            address = self.addresses.get(ident)
            if address and address not in found:
                found.append(address)
        return found


def load_terraform(path: Path, ip_ranges: IpRanges, ip_ranges_source: str) -> TerraformSource:
    """Read ``path`` (``terraform show -json`` output); SourceError when it is not that."""
    return build_source(read_document(path), ip_ranges, ip_ranges_source)


def build_source(doc: TfDocument, ip_ranges: IpRanges, ip_ranges_source: str) -> TerraformSource:
    ctx = BuildContext(doc)
    if doc.errored:
        ctx.notes.append(
            "Terraform marked this plan as errored: it could not finish planning, so resources "
            "may be missing"
        )
    if not doc.complete:
        ctx.notes.append(
            "Terraform marked this plan as incomplete (deferred changes): another plan after "
            "apply may add resources"
        )
    managed = [i for i in doc.instances if i.mode == "managed"]
    by_type: dict[str, list[TfInstance]] = {}
    for inst in managed:
        by_type.setdefault(inst.type, []).append(inst)

    vpcs = VpcLinker(ctx)
    vpc_models: dict[str, Vpc] = {}
    for inst in by_type.get("aws_vpc", []):
        vpc = build_vpc(inst, ctx)
        vpc_models[vpc.id] = vpc
        vpcs.add(inst, vpc.id)
    subnets: dict[str, Subnet] = {}
    for inst in by_type.get("aws_subnet", []):
        subnet = build_subnet(inst, ctx, vpcs)
        if subnet is not None:
            subnets[subnet.id] = subnet
    subnet_vpc = {s.id: s.vpc_id for s in subnets.values()}
    igws: dict[str, InternetGateway] = {}
    eigws: dict[str, EgressOnlyInternetGateway] = {}
    for inst in by_type.get("aws_internet_gateway", []) + by_type.get(
        "aws_egress_only_internet_gateway", []
    ):
        gateway = build_gateway(inst, ctx, vpcs)
        if isinstance(gateway, InternetGateway):
            igws[gateway.id] = gateway
        else:
            eigws[gateway.id] = gateway
    nats: dict[str, NatGateway] = {}
    for inst in by_type.get("aws_nat_gateway", []):
        nat = build_nat_gateway(inst, ctx, subnet_vpc, vpcs)
        if nat is not None:
            nats[nat.id] = nat
    peerings: dict[str, PeeringConnection] = {}
    for inst in by_type.get("aws_vpc_peering_connection", []):
        pcx = build_peering(inst, ctx, vpcs)
        if pcx is not None:
            peerings[pcx.id] = pcx
    attachments: dict[str, TransitGatewayAttachment] = {}
    for inst in by_type.get("aws_ec2_transit_gateway_vpc_attachment", []):
        attachment = build_tgw_attachment(inst, ctx, vpcs)
        if attachment is not None:
            attachments[attachment.id] = attachment
    prefix_lists: dict[tuple[str, str], PrefixList] = {}
    for inst in by_type.get("aws_ec2_managed_prefix_list", []):
        pl = build_managed_prefix_list(inst, ctx)
        prefix_lists[(pl.region, pl.id)] = pl

    tables = _route_tables(ctx, by_type, vpcs, vpc_models)
    drafts = [
        d
        for inst in by_type.get("aws_vpc_endpoint", [])
        if (d := build_endpoint(inst, ctx, vpcs)) is not None
    ]
    for inst in by_type.get("aws_vpc_endpoint_route_table_association", []):
        endpoint = ctx.link(
            inst, ("vpc_endpoint_id",), ("aws_vpc_endpoint",), what="vpc_endpoint_id"
        )
        table = ctx.link(inst, ("route_table_id",), ROUTE_TABLE_TYPES, what="route_table_id")
        for draft in drafts:
            if draft.id == endpoint and table and table not in draft.route_table_ids:
                draft.route_table_ids.append(table)
                ctx.register(f"{draft.id}:{table}", inst.address)
    endpoints = _endpoints(ctx, drafts, tables, prefix_lists, ip_ranges, ip_ranges_source)
    # A plan without an endpoint still needs the region's lists, so that `fix` can trace what a
    # new gateway endpoint would carry (its routes use exactly the AWS-managed prefix list).
    for region in sorted({v.region for v in vpc_models.values()}):
        for service in _GATEWAY_SERVICES:
            _aws_prefix_list(ctx, region, service, prefix_lists, ip_ranges, ip_ranges_source, None)

    unmodelled = tuple(sorted((i.address, i.type) for i in managed if i.type not in MODELLED))
    if vpcs.guessed:
        ctx.notes.append(
            f"{len(vpcs.guessed)} resource(s) name their VPC through a local value, which "
            "Terraform's JSON does not show: each was placed in the only VPC of its module"
        )
    vpc_of_table = {t.id: vpc_models.get(t.vpc_id) for t in tables.values()}
    snapshot = Snapshot(
        vpcs=vpc_models,
        subnets=subnets,
        route_tables={t.id: t.freeze(vpc_of_table[t.id]) for t in tables.values()},
        internet_gateways=igws,
        egress_only_internet_gateways=eigws,
        nat_gateways=nats,
        endpoints=endpoints,
        prefix_lists=prefix_lists,
        peering_connections=peerings,
        transit_gateway_attachments=attachments,
        ip_ranges=ip_ranges,
        notes=SnapshotNotes(
            root=doc.path,
            files=(doc.path,),
            recognised_only=tuple(_counts(unmodelled)),
        ),
    )
    return TerraformSource(
        snapshot=snapshot,
        path=doc.path,
        kind=doc.kind,
        terraform_version=doc.terraform_version,
        region=ctx.region,
        addresses=dict(ctx.addresses),
        notes=tuple(dict.fromkeys(ctx.notes)),
        unmodelled=unmodelled,
        document=doc,
    )


def _counts(unmodelled: tuple[tuple[str, str], ...]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for _, rtype in unmodelled:
        counts[rtype] = counts.get(rtype, 0) + 1
    return sorted(counts.items())


def _route_tables(
    ctx: BuildContext,
    by_type: dict[str, list[TfInstance]],
    vpcs: VpcLinker,
    vpc_models: dict[str, Vpc],
) -> dict[str, TableDraft]:
    tables: dict[str, TableDraft] = {}
    for inst in by_type.get("aws_default_route_table", []) + by_type.get("aws_route_table", []):
        draft = table_draft(inst, ctx, vpcs)
        if draft is None:
            continue
        tables[draft.id] = draft
        inline_routes(inst, ctx, draft)
    # AWS creates a main table with every VPC; Terraform manages it only when asked to.
    for vpc_inst in by_type.get("aws_vpc", []):
        vpc_id = vpcs.vpcs[vpc_inst.address]
        main_id = ctx.main_table_id(vpc_inst)
        if main_id not in tables:
            vpc = vpc_models[vpc_id]
            address = f"{vpc_inst.address}.main_route_table_id"
            ctx.register(main_id, address)
            tables[main_id] = TableDraft(
                id=main_id,
                vpc_id=vpc_id,
                account_id=vpc.account_id,
                region=vpc.region,
                address=address,
                is_main=True,
                implicit=True,
            )
    for inst in by_type.get("aws_main_route_table_association", []):
        main_association(inst, ctx, tables, vpcs)
    for inst in by_type.get("aws_route", []):
        route_resource(inst, ctx, tables)
    for inst in by_type.get("aws_route_table_association", []):
        association(inst, ctx, tables)
    return {
        k: t
        for k, t in tables.items()
        if not (t.implicit and not t.is_main and not t.subnet_ids and not t.routes)
    }


def _endpoints(
    ctx: BuildContext,
    drafts: list[EndpointDraft],
    tables: dict[str, TableDraft],
    prefix_lists: dict[tuple[str, str], PrefixList],
    ip_ranges: IpRanges,
    ip_ranges_source: str,
) -> dict[str, VpcEndpoint]:
    endpoints: dict[str, VpcEndpoint] = {}
    for d in drafts:
        region = ctx.region_of(d.inst)
        service = d.service_name.removeprefix(f"com.amazonaws.{region}.")
        if d.endpoint_type is EndpointType.GATEWAY and service in _GATEWAY_SERVICES:
            pl_id = _aws_prefix_list(
                ctx, region, service, prefix_lists, ip_ranges, ip_ranges_source, d.prefix_list_id
            )
            for table_id in d.route_table_ids:
                table = tables.get(table_id)
                if table is None:
                    ctx.notes.append(f"{d.inst.address}: route table {table_id} is not in the plan")
                    continue
                table.routes[pl_id] = Route(
                    destination=None,
                    prefix_list_id=pl_id,
                    target_kind=TargetKind.GATEWAY_ENDPOINT,
                    target_id=d.id,
                    origin=RouteOrigin.ENDPOINT,
                )
        endpoints[d.id] = VpcEndpoint(
            id=d.id,
            vpc_id=d.vpc_id,
            account_id=ctx.account_of(d.inst),
            region=region,
            service_name=d.service_name,
            endpoint_type=d.endpoint_type,
            route_table_ids=frozenset(d.route_table_ids),
            subnet_ids=d.subnet_ids,
            private_dns_enabled=d.private_dns,
            policy_document=d.policy,
            tags=tags_of(d.inst.values),
        )
    return endpoints


def _aws_prefix_list(
    ctx: BuildContext,
    region: str,
    service: str,
    prefix_lists: dict[tuple[str, str], PrefixList],
    ip_ranges: IpRanges,
    ip_ranges_source: str,
    known_id: str | None,
) -> str:
    """The id of ``com.amazonaws.<region>.<service>``, built from ip-ranges when first needed.

    AWS-managed prefix lists are not Terraform resources; a gateway endpoint's routes use exactly
    that list (VPC User Guide, "Gateway endpoints" → "Routing").
    """
    name = f"com.amazonaws.{region}.{service}"
    for (pl_region, pl_id), pl in prefix_lists.items():
        if pl_region == region and pl.name == name and known_id in (None, pl_id):
            return pl_id
    pl_id = known_id or synthetic_id("pl", name)
    if (region, pl_id) in prefix_lists:
        return pl_id
    nets = tuple(
        n for n in ip_ranges.networks(_GATEWAY_SERVICES[service], region) if n.version == 4
    )
    prefix_lists[(region, pl_id)] = PrefixList(
        id=pl_id, region=region, name=name, cidrs=nets, cidrs_known=bool(nets)
    )
    ctx.notes.append(
        f"AWS-managed prefix list {name} ({pl_id}) is not in Terraform: its {len(nets)} IPv4 "
        f"range(s) are {_GATEWAY_SERVICES[service]} {region} from {ip_ranges_source}"
        + ("" if nets else "; none there, so a gateway endpoint's routes would match nothing")
    )
    return pl_id
