"""Follow traffic that a VPC route table sends to a transit gateway, to where it finally leaves.

The rules, from the Transit Gateway Guide, "How AWS Transit Gateway works"
(https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html):
- "Resource attachments": a VPC attachment has a subnet per zone; "if the subnet route table
  includes a route to the transit gateway, traffic is only forwarded to the transit gateway if
  the transit gateway has an attachment in the subnet of the same Availability Zone".
- "Routing": the attachment's *associated* route table decides where its packets go; routes
  are static or propagated; a blackhole route drops.
- "Route evaluation order": the most specific route first; for the same destination, static
  routes, then prefix-list routes, then VPC-propagated, Direct Connect gateway-propagated,
  Connect-propagated and VPN-propagated routes.
- "Availability Zones": the transit gateway keeps traffic in the zone it came from when the
  target attachment has a subnet there, otherwise it picks one; with appliance mode
  ("Appliance in a shared services VPC" → "Appliance mode") it picks one ENI per flow by a hash,
  so a flow may land in any zone of the attachment.
And from the VPC User Guide, "Gateway endpoints" → "Considerations": gateway endpoints serve
only traffic from inside their VPC — not through a transit gateway.
Peering attachments are followed into the peer transit gateway when the snapshot holds it;
VPN, Direct Connect and Connect attachments end the path (verdict ``transit-gateway``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, replace

from vpcpath.errors import SnapshotError
from vpcpath.model import (
    IPNetwork,
    Route,
    RouteOrigin,
    RouteState,
    RouteTable,
    Snapshot,
    TargetKind,
    Verdict,
)
from vpcpath.model.enums import HopType
from vpcpath.model.paths import Hop, PathFacts
from vpcpath.model.transit import (
    AttachmentKind,
    TransitGatewayAttachmentSide,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)
from vpcpath.routing.lpm import Candidate, route_networks, split_by_route
from vpcpath.routing.resolve import route_table_for_subnet
from vpcpath.routing.steps import Step, TraceContext

TraceFn = Callable[..., list[Step]]

# "Route evaluation order": ranks at equal prefix length, highest wins.
_PROPAGATED_RANK = {
    AttachmentKind.VPC: 5,
    AttachmentKind.PEERING: 5,
    AttachmentKind.DIRECT_CONNECT_GATEWAY: 4,
    AttachmentKind.CONNECT: 3,
    AttachmentKind.VPN: 2,
}
_TERMINAL_HOP = {
    AttachmentKind.VPN: HopType.VPN_CONNECTION,
    AttachmentKind.DIRECT_CONNECT_GATEWAY: HopType.DIRECT_CONNECT_GATEWAY,
    AttachmentKind.CONNECT: HopType.TRANSIT_GATEWAY_CONNECT,
    AttachmentKind.NETWORK_FUNCTION: HopType.NETWORK_FUNCTION,
    AttachmentKind.OTHER: HopType.TRANSIT_GATEWAY_ATTACHMENT,
}


@dataclass(frozen=True, slots=True)
class _Walk:
    """A packet's way so far: the hops and notes behind it, what it costs, where it is."""

    snapshot: Snapshot
    trace: TraceFn
    whole: bool
    ctx: TraceContext
    hops: tuple[Hop, ...]
    notes: tuple[str, ...]
    facts: PathFacts

    def on(
        self,
        *hops: Hop,
        notes: tuple[str, ...] = (),
        ctx: TraceContext | None = None,
        facts: PathFacts | None = None,
    ) -> _Walk:
        """The walk one step further: more hops and notes, perhaps a new context or cost."""
        return replace(
            self,
            hops=(*self.hops, *hops),
            notes=(*self.notes, *notes),
            ctx=ctx or self.ctx,
            facts=facts or self.facts,
        )

    def end(self, network: IPNetwork, verdict: Verdict, *hops: Hop, note: str) -> list[Step]:
        return [Step(network, verdict, (*self.hops, *hops), (*self.notes, note), self.facts)]


def follow_transit_gateway(
    snapshot: Snapshot,
    trace: TraceFn,
    table: RouteTable,
    rt_hop: Hop,
    route: Route,
    network: IPNetwork,
    ctx: TraceContext,
    *,
    whole: bool,
) -> list[Step]:
    """The fate of ``network``, sent by ``table`` (of a VPC) to transit gateway ``route``."""
    tgw_id = route.target_id
    walk = _Walk(
        snapshot=snapshot,
        trace=trace,
        whole=whole,
        ctx=ctx,
        hops=(rt_hop, Hop(id=tgw_id, type=HopType.TRANSIT_GATEWAY)),
        notes=(f"{table.id} sends {network} via {route.destination_label} to {tgw_id}",),
        facts=PathFacts(transit_gateway_ids=(tgw_id,)),
    )
    transit = snapshot.transit
    att_id = transit.attachment_for_vpc(tgw_id, table.vpc_id)
    side = transit.side(tgw_id, att_id) if att_id else None
    if side is None or not transit.tables_of(tgw_id):
        why = (
            "the snapshot holds no route tables of this transit gateway (collect them in the "
            "account that owns it), so the path ends at the transit gateway"
        )
        return walk.end(network, Verdict.TRANSIT_GATEWAY, note=why)
    zones = _zones(snapshot, side)
    if zones and ctx.source_zone and ctx.source_zone not in zones.values():
        note = (
            f"{side.id} has no subnet in {ctx.source_zone}: the transit gateway only takes "
            "traffic from zones where its attachment has a subnet, so it is dropped"
        )
        return walk.end(network, Verdict.BLACKHOLE, note=note)
    return _lookup(walk, side, network)


def _lookup(walk: _Walk, entering: TransitGatewayAttachmentSide, network: IPNetwork) -> list[Step]:
    """Look ``network`` up in the route table associated with ``entering``."""
    tgw_id = entering.transit_gateway_id
    table_id = entering.association_route_table_id
    if table_id is None:
        note = f"{entering.id} has no associated route table on {tgw_id}: its traffic is dropped"
        return walk.end(network, Verdict.NO_ROUTE, note=note)
    tgw_table = walk.snapshot.transit.route_tables.get(table_id)
    table_hop = Hop(id=table_id, type=HopType.TRANSIT_GATEWAY_ROUTE_TABLE)
    if tgw_table is None or not tgw_table.routes_known:
        note = f"the routes of {table_id} are not in the snapshot; the path ends at {tgw_id}"
        return walk.end(network, Verdict.TRANSIT_GATEWAY, table_hop, note=note)
    visit = f"{table_id}|{entering.id}"
    if visit in walk.ctx.visited_transit:
        note = f"routing loop: the traffic comes back to {table_id} from {entering.id}; dropped"
        return walk.end(network, Verdict.BLACKHOLE, table_hop, note=note)
    walk = walk.on(
        notes=(f"{tgw_id} looks {network} up in {table_id}, associated with {entering.id}",),
        ctx=replace(walk.ctx, visited_transit=walk.ctx.visited_transit | {visit}),
    )
    steps: list[Step] = []
    for piece, cand in split_by_route(_candidates(walk.snapshot, tgw_table), network):
        if cand is None:
            hop = replace(table_hop, detail=f"{table_id}: no route matches")
            note = f"{table_id} has no route for {piece}: the transit gateway drops it"
            steps.extend(walk.end(piece, Verdict.NO_ROUTE, hop, note=note))
            continue
        matched = cand.route
        hop = replace(table_hop, route=matched.destination_label, detail=_route_detail(matched))
        if matched.state is RouteState.BLACKHOLE:
            note = f"{table_id} has a blackhole route {matched.destination_label}: dropped"
            steps.extend(walk.end(piece, Verdict.BLACKHOLE, hop, note=note))
            continue
        said = (
            f"{table_id} sends {piece} via {matched.destination_label} ({matched.origin}) "
            f"to {matched.target_id}"
        )
        target = walk.snapshot.transit.side(tgw_id, matched.target_id)
        steps.extend(
            _into_attachment(walk.on(hop, notes=(said,)), target, matched.target_id, piece)
        )
    return steps


def _into_attachment(
    walk: _Walk, target: TransitGatewayAttachmentSide | None, target_id: str, network: IPNetwork
) -> list[Step]:
    if not target_id:
        note = "the matching route names no attachment; the path ends at the transit gateway"
        return walk.end(network, Verdict.TRANSIT_GATEWAY, note=note)
    if target is None:
        hop = Hop(
            id=target_id, type=HopType.TRANSIT_GATEWAY_ATTACHMENT, detail="not in the snapshot"
        )
        note = f"{target_id} is not in the snapshot; the path ends at the transit gateway"
        return walk.end(network, Verdict.TRANSIT_GATEWAY, hop, note=note)
    if not target.is_available:
        hop = Hop(id=target.id, type=HopType.TRANSIT_GATEWAY_ATTACHMENT, detail=target.state)
        return walk.end(
            network,
            Verdict.BLACKHOLE,
            hop,
            note=f"{target.id} is {target.state}: traffic is dropped",
        )
    if target.kind is AttachmentKind.VPC:
        return _into_vpc(walk, target, network)
    if target.kind is AttachmentKind.PEERING:
        return _into_peer(walk, target, network)
    hop = Hop(id=target.id, type=_TERMINAL_HOP[target.kind], detail=target.resource_id)
    note = f"{target.id} is a {target.kind} attachment ({target.resource_id}): the path leaves AWS"
    return walk.end(network, Verdict.TRANSIT_GATEWAY, hop, note=note)


def _into_peer(walk: _Walk, side: TransitGatewayAttachmentSide, network: IPNetwork) -> list[Step]:
    peer_id = side.peer_transit_gateway_id or side.resource_id
    inter_region = side.peer_region is not None and side.peer_region != side.region
    where = f"{peer_id} in {side.peer_region}" if side.peer_region else peer_id
    crossing = f"{side.id} peers with {where}" + (
        f": inter-region transfer {side.region} → {side.peer_region}" if inter_region else ""
    )
    walk = walk.on(
        Hop(id=side.id, type=HopType.TRANSIT_GATEWAY_PEERING, detail=where),
        notes=(crossing,),
        facts=replace(
            walk.facts,
            transit_inter_region=walk.facts.transit_inter_region or inter_region,
            transit_gateway_ids=(*walk.facts.transit_gateway_ids, peer_id),
        ),
    )
    far = walk.snapshot.transit.side(peer_id, side.id)
    if far is None or not walk.snapshot.transit.tables_of(peer_id):
        note = f"{peer_id} is not in the snapshot; the path ends at the peering attachment"
        return walk.end(network, Verdict.TRANSIT_GATEWAY, note=note)
    # Zones are per region: on the far side the transit gateway picks the zone.
    ctx = replace(walk.ctx, source_zone="" if inter_region else walk.ctx.source_zone)
    return _lookup(walk.on(Hop(id=peer_id, type=HopType.TRANSIT_GATEWAY), ctx=ctx), far, network)


def _into_vpc(walk: _Walk, side: TransitGatewayAttachmentSide, network: IPNetwork) -> list[Step]:
    att_hop = Hop(id=side.id, type=HopType.TRANSIT_GATEWAY_ATTACHMENT, detail=side.resource_id)
    zones = _zones(walk.snapshot, side)
    if not zones:
        note = (
            f"{side.id} leads to {side.resource_id}, whose attachment subnets are not in the "
            "snapshot; the path ends at the transit gateway"
        )
        return walk.end(network, Verdict.TRANSIT_GATEWAY, att_hop, note=note)
    source_zone = walk.ctx.source_zone
    same = [s for s, z in sorted(zones.items()) if z == source_zone]
    subnet_id = same[0] if same else min(zones, key=lambda s: (zones[s], s))
    zone = zones[subnet_id]
    zone_note = (
        f"it enters {side.resource_id} through {subnet_id} in {zone}, the packet's zone"
        if same
        else (
            f"{side.id} has no subnet in {source_zone or 'the source zone'}: AWS picks one "
            f"of its zones — vpcpath assumes {zone} ({subnet_id}), so the bytes cross zones"
        )
    )
    if side.appliance_mode:
        zone_note += (
            " (appliance mode is on: the transit gateway picks the zone per flow by a hash, "
            "so a flow may enter in any zone of the attachment)"
        )
    facts = replace(
        walk.facts,
        transit_cross_az=walk.facts.transit_cross_az or (bool(source_zone) and zone != source_zone),
        transit_zone_assumed=walk.facts.transit_zone_assumed or not same or side.appliance_mode,
    )
    walk = walk.on(
        att_hop,
        Hop(id=subnet_id, type=HopType.SUBNET, detail=f"attachment subnet in {zone}"),
        notes=(zone_note,),
        facts=facts,
    )
    try:
        onward = route_table_for_subnet(walk.snapshot, subnet_id)
    except SnapshotError as exc:
        return walk.end(network, Verdict.TRANSIT_GATEWAY, note=f"{exc}; the path ends here")
    steps: list[Step] = []
    inner_ctx = replace(walk.ctx, source_zone=zone)
    for sub in walk.trace(onward.table, network, inner_ctx, whole=walk.whole):
        verdict, extra, sub_facts = _arrival(walk.snapshot, side, sub)
        merged = replace(
            sub_facts,
            transit_gateway_ids=(*facts.transit_gateway_ids, *sub_facts.transit_gateway_ids),
            transit_cross_az=facts.transit_cross_az or sub_facts.transit_cross_az,
            transit_inter_region=facts.transit_inter_region or sub_facts.transit_inter_region,
            transit_zone_assumed=facts.transit_zone_assumed or sub_facts.transit_zone_assumed,
        )
        inside = f"in {side.resource_id}, {subnet_id} uses {onward.table.id}: " + "; ".join(
            sub.notes
        )
        notes = (*walk.notes, inside, *extra)
        steps.append(Step(sub.network, verdict, (*walk.hops, *sub.hops), notes, merged))
    return steps


# Parts of a path's explanation that qualify the whole answer (shown as notes under the leg).
_CAVEATS = (
    "AWS picks one of its zones",
    "appliance mode is on",
    "holds no route tables of this transit gateway",
)


def transit_notes(explanation: str) -> list[str]:
    """The caveats of a path through a transit gateway: a zone AWS picks, appliance mode, a
    transit gateway whose route tables were not collected."""
    return [
        part
        for piece in explanation.split("; ")
        for part in [piece.strip()]
        if any(c in part for c in _CAVEATS)
    ]


def _arrival(
    snapshot: Snapshot, side: TransitGatewayAttachmentSide, sub: Step
) -> tuple[Verdict, tuple[str, ...], PathFacts]:
    """What a verdict inside the attached VPC means for traffic that came through the TGW."""
    if sub.verdict is Verdict.GATEWAY_ENDPOINT and not sub.facts.nat_gateway_ids:
        return (
            Verdict.BLACKHOLE,
            (
                f"{sub.facts.gateway_endpoint_id} is a gateway endpoint of {side.resource_id}: "
                "gateway endpoints do not serve traffic from outside their VPC (through a "
                "transit gateway), so it is dropped; only an endpoint in the sending VPC helps",
            ),
            replace(sub.facts, gateway_endpoint_id=None),
        )
    if sub.verdict is Verdict.LOCAL and sub.network.num_addresses == 1:
        address = ipaddress.ip_address(sub.network.network_address)
        eni = snapshot.eni_by_private_ip.get((side.resource_id, address))
        endpoint_id = snapshot.endpoint_by_eni.get(eni or "")
        if endpoint_id is not None:
            return (
                Verdict.INTERFACE_ENDPOINT,
                (f"{address} is an ENI of interface endpoint {endpoint_id} in {side.resource_id}",),
                replace(sub.facts, interface_endpoint_id=endpoint_id),
            )
    return sub.verdict, (), sub.facts


def _zones(snapshot: Snapshot, side: TransitGatewayAttachmentSide) -> dict[str, str]:
    """subnet id → zone, for the attachment's subnets the snapshot holds."""
    return {
        s: snapshot.subnets[s].availability_zone for s in side.subnet_ids if s in snapshot.subnets
    }


def _candidates(snapshot: Snapshot, table: TransitGatewayRouteTable) -> tuple[Candidate, ...]:
    found: list[Candidate] = []
    for tgw_route in table.routes:
        route = _as_route(tgw_route)
        rank = _rank(snapshot, table, tgw_route)
        found.extend(
            Candidate(network=n, route=route, rank=rank)
            for n in route_networks(route, snapshot, table.region)
        )
    return tuple(found)


def _as_route(tgw_route: TransitGatewayRoute) -> Route:
    return Route(
        destination=tgw_route.destination,
        prefix_list_id=tgw_route.prefix_list_id,
        target_kind=TargetKind.TRANSIT_GATEWAY,
        target_id=tgw_route.attachment_ids[0] if tgw_route.attachment_ids else "",
        origin=tgw_route.origin,
        state=tgw_route.state,
    )


def _rank(snapshot: Snapshot, table: TransitGatewayRouteTable, route: TransitGatewayRoute) -> int:
    if route.origin is RouteOrigin.PROPAGATED:
        target = (
            snapshot.transit.side(table.transit_gateway_id, route.attachment_ids[0])
            if route.attachment_ids
            else None
        )
        return _PROPAGATED_RANK.get(target.kind, 1) if target else 1
    return 7 if route.prefix_list_id is not None else 8


def _route_detail(route: Route) -> str:
    target = route.target_id or "blackhole"
    return f"{route.destination_label} → {target} ({route.origin})"
