"""``explain``: how traffic from one source reaches one destination, leg by leg, with prices."""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from vpcpath.model import IPNetwork, RouteTable, Snapshot, Verdict, VpcEndpoint
from vpcpath.model.enums import HopType
from vpcpath.model.paths import Explanation, Hop, Leg, Path, PathFacts, Scope, SourceInfo
from vpcpath.pricing.path_price import price_path
from vpcpath.pricing.table import PriceTable, RegionPrices
from vpcpath.routing.destinations import (
    GATEWAY_SERVICES,
    LegSpec,
    classify_scope,
    parse_destination,
)
from vpcpath.routing.hints import leg_hint
from vpcpath.routing.interface_endpoints import interface_endpoint_for, nearest_endpoint_subnet
from vpcpath.routing.prefix_lists import (
    gateway_endpoint_service,
    prefix_list_cidrs,
    table_prefix_list_notes,
)
from vpcpath.routing.sources import resolve_source
from vpcpath.routing.trace import Step, TraceContext, Tracer, group_steps
from vpcpath.routing.transit import transit_notes


def explain(
    snapshot: Snapshot,
    source: str,
    destination: str,
    *,
    prices: PriceTable | None = None,
    tracer: Tracer | None = None,
) -> Explanation:
    src = resolve_source(snapshot, source)
    specs = parse_destination(
        destination, source_region=src.region, source_account=src.account_id, snapshot=snapshot
    )
    tracer = tracer or Tracer(snapshot)
    region_prices = prices.for_region(src.region) if prices is not None else None
    legs = tuple(trace_leg(snapshot, tracer, src, spec, region_prices) for spec in specs)
    tables = {h.id for leg in legs for p in leg.paths for h in p.hops if h.type == "route-table"}
    _, missing = table_prefix_list_notes(snapshot, sorted(tables))
    return Explanation(
        source=src,
        destination_query=destination,
        legs=legs,
        price_source=prices.source if prices else None,
        price_date=prices.date if prices else None,
        missing=missing,
    )


def trace_leg(
    snapshot: Snapshot,
    tracer: Tracer,
    source: SourceInfo,
    spec: LegSpec,
    prices: RegionPrices | None,
) -> Leg:
    table = snapshot.route_tables[source.route_table_id]
    ctx = TraceContext(source_zone=source.availability_zone)
    preface = f"{source.subnet_id} uses {table.id} ({source.association} association)"
    choice = interface_endpoint_for(snapshot, source.vpc_id, spec)
    if choice.endpoint is None:
        preface += f"; addresses of {spec.label}: {spec.cidr_source}"
    notes = [preface] + ([choice.note] if choice.note else [])
    unmatched = _unmatched_endpoint_route(snapshot, table, spec)
    if choice.endpoint is not None:
        paths = _interface_paths(snapshot, tracer, table.id, choice.endpoint, ctx)
    elif unmatched is not None:
        paths = [unmatched]
    else:
        steps: list[Step] = []
        for cidr in spec.cidrs:
            steps.extend(tracer.trace(table, cidr, ctx, whole=spec.generic_public))
        paths = group_steps(steps)
        if spec.service in GATEWAY_SERVICES and spec.region != source.region:
            notes.append(
                f"gateway endpoints serve their own region only: {spec.service} in {spec.region} "
                f"cannot use an endpoint of {source.region}"
            )
    paths = [_with_notes(p, [*notes, *_prefix_list_notes(snapshot, p)]) for p in paths]
    if prices is not None:
        paths = [_priced(p, _scope(spec, source, p, snapshot), prices) for p in paths]
    verdict = paths[0].verdict if len(paths) == 1 else Verdict.MIXED
    leg = Leg(
        name=spec.name,
        destination=spec.label,
        service=spec.service,
        region=spec.region,
        verdict=verdict,
        paths=tuple(paths),
        cidr_source=spec.cidr_source,
        usd_per_gb_in=max((p.usd_per_gb_in or 0.0 for p in paths), default=0.0) if prices else None,
        usd_per_gb_out=max((p.usd_per_gb_out or 0.0 for p in paths), default=0.0)
        if prices
        else None,
        notes=tuple(
            dict.fromkeys(
                n
                for p in paths
                for n in (*_prefix_list_notes(snapshot, p), *transit_notes(p.explanation))
            )
        ),
    )
    return replace(leg, hint=leg_hint(snapshot, source, leg, prices))


def _prefix_list_notes(snapshot: Snapshot, path: Path) -> list[str]:
    tables = [h.id for h in path.hops if h.type == "route-table"]
    return list(table_prefix_list_notes(snapshot, tables)[0])


def _unmatched_endpoint_route(snapshot: Snapshot, table: RouteTable, spec: LegSpec) -> Path | None:
    """S3/DynamoDB of the table's region, and the table's endpoint route names a list the
    snapshot lacks: the service's addresses in the region are that list (DESIGN rule 5), so
    the traffic takes the endpoint; only a more specific route, which cannot be checked
    without the list's CIDRs, could take part of it elsewhere — said, and the answer partial."""
    if spec.service not in GATEWAY_SERVICES or spec.region != table.region:
        return None
    for route in table.routes:
        endpoint = snapshot.endpoints.get(route.target_id)
        if route.prefix_list_id is None or endpoint is None:
            continue
        if gateway_endpoint_service(endpoint) != spec.service:
            continue
        if not prefix_list_cidrs(route, snapshot, table.region).missing:
            return None
        return Path(
            cidrs=(),
            verdict=Verdict.GATEWAY_ENDPOINT,
            hops=(
                Hop(
                    id=table.id,
                    type=HopType.ROUTE_TABLE,
                    route=route.prefix_list_id,
                    detail=f"{table.id}: {route.prefix_list_id} → {endpoint.id}",
                ),
                Hop(id=endpoint.id, type=HopType.GATEWAY_ENDPOINT),
            ),
            explanation=(
                f"{table.id} sends {endpoint.service_name} ({route.prefix_list_id}) to "
                f"{endpoint.id}; a more specific route for part of its addresses cannot be "
                "ruled out without the list's CIDRs"
            ),
            facts=PathFacts(gateway_endpoint_id=endpoint.id),
        )
    return None


def _with_notes(path: Path, notes: list[str]) -> Path:
    text = "; ".join([*notes, path.explanation] if path.explanation else notes)
    return replace(path, explanation=text)


def _scope(spec: LegSpec, source: SourceInfo, path: Path, snapshot: Snapshot) -> Scope:
    if spec.other_partition is not None:
        return Scope.INTERNET
    if spec.service is not None:
        return Scope.AWS_SAME_REGION if spec.region == source.region else Scope.AWS_OTHER_REGION
    first: IPNetwork | None = path.cidrs[0] if path.cidrs else None
    if first is None:
        return Scope.INTERNET
    return classify_scope(first, source.region, snapshot)[0]


def _priced(path: Path, scope: Scope, prices: RegionPrices) -> Path:
    per_gb = price_path(path, scope, prices)
    return replace(path, usd_per_gb_in=per_gb.usd_in, usd_per_gb_out=per_gb.usd_out)


def _interface_paths(
    snapshot: Snapshot, tracer: Tracer, table_id: str, endpoint: VpcEndpoint, ctx: TraceContext
) -> list[Path]:
    """The hostname resolves to the nearest endpoint ENI; trace the route to that address."""
    subnet, crosses = nearest_endpoint_subnet(snapshot, endpoint, ctx.source_zone)
    eni = next(
        (
            snapshot.network_interfaces[e]
            for e in endpoint.network_interface_ids
            if e in snapshot.network_interfaces
            and subnet is not None
            and snapshot.network_interfaces[e].subnet_id == subnet.id
        ),
        None,
    )
    facts = PathFacts(interface_endpoint_id=endpoint.id, endpoint_cross_az=crosses)
    where = (
        f"ENI {eni.id} in {subnet.availability_zone}"
        if eni and subnet
        else (
            f"subnet {subnet.id} ({subnet.availability_zone})"
            if subnet
            else "ENIs not in the snapshot"
        )
    )
    ep_hop = Hop(id=endpoint.id, type=HopType.INTERFACE_ENDPOINT, detail=where)
    target: IPNetwork | None = None
    if eni is not None and eni.private_ips:
        target = ipaddress.ip_network(eni.private_ips[0])
    elif subnet is not None and subnet.cidr is not None:
        target = subnet.cidr
    cross_note = (
        f"the nearest endpoint ENI is in {subnet.availability_zone}, another zone than "
        f"{ctx.source_zone}"
        if crosses and subnet
        else None
    )
    note = f"private DNS resolves the name to interface endpoint {endpoint.id} ({where})"
    if target is None:
        return [
            Path(
                cidrs=(),
                verdict=Verdict.INTERFACE_ENDPOINT,
                hops=(ep_hop,),
                explanation=note,
                facts=facts,
            )
        ]
    paths: list[Path] = []
    for step in tracer.trace(snapshot.route_tables[table_id], target, ctx):
        if step.verdict is Verdict.LOCAL:
            notes = [note] + ([cross_note] if cross_note else [])
            paths.append(
                Path(
                    cidrs=(step.network,),
                    verdict=Verdict.INTERFACE_ENDPOINT,
                    hops=(step.hops[0], ep_hop),
                    explanation="; ".join(notes),
                    facts=facts,
                )
            )
        else:
            paths.extend(group_steps([step]))
    return paths
