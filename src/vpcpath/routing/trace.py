"""Follow traffic from a route table to where it leaves the VPC, hop by hop.

The rules, with their sources (docs/architecture.md "Routing rules"):
- Rule 2–3, longest prefix match and tie-breaks: see ``routing/lpm.py``.
- Rule 4, VPC User Guide "Route tables" → "Routes": a route whose target is deleted shows
  State ``blackhole`` and traffic matching it is dropped.
- Rule 5, VPC User Guide / PrivateLink Guide "Gateway endpoints": "Gateway endpoints …
  don't enable you to use AWS PrivateLink… Endpoint connections cannot be extended out of a
  VPC": resources across a VPC peering connection, Transit Gateway, Site-to-Site VPN or
  Direct Connect cannot use the endpoint; an endpoint serves its own region only.
- Rule 6, VPC User Guide "NAT gateways" → "NAT gateway basics" and "Private NAT gateway": a
  NAT gateway forwards with its own subnet's route table; "a private NAT gateway … traffic
  routed to an internet gateway is dropped by the internet gateway".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from vpcpath.model import (
    IPNetwork,
    NatAvailability,
    NatConnectivity,
    NatGateway,
    Route,
    RouteState,
    RouteTable,
    Snapshot,
    TargetKind,
    Verdict,
)
from vpcpath.model.enums import HopType
from vpcpath.model.paths import Hop, Path, PathFacts
from vpcpath.routing.lpm import Candidate, candidates_for, collapse, split_by_route, within
from vpcpath.routing.resolve import route_table_for_nat
from vpcpath.routing.steps import Step, TraceContext
from vpcpath.routing.transit import follow_transit_gateway

__all__ = ["Step", "TraceContext", "Tracer", "group_steps"]

_KIND_VERDICT = {
    TargetKind.LOCAL: Verdict.LOCAL,
    TargetKind.INTERNET_GATEWAY: Verdict.INTERNET_GATEWAY,
    TargetKind.EGRESS_ONLY_INTERNET_GATEWAY: Verdict.EGRESS_ONLY_INTERNET_GATEWAY,
    TargetKind.GATEWAY_ENDPOINT: Verdict.GATEWAY_ENDPOINT,
    TargetKind.TRANSIT_GATEWAY: Verdict.TRANSIT_GATEWAY,
    TargetKind.PEERING: Verdict.PEERING,
    TargetKind.VIRTUAL_PRIVATE_GATEWAY: Verdict.VIRTUAL_PRIVATE_GATEWAY,
    TargetKind.NETWORK_INTERFACE: Verdict.NETWORK_INTERFACE,
    TargetKind.INSTANCE: Verdict.NETWORK_INTERFACE,
    TargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT: Verdict.NETWORK_INTERFACE,
    # Outside the verdict vocabulary; mapped to the nearest kind, and the hop names the target.
    TargetKind.CARRIER_GATEWAY: Verdict.INTERNET_GATEWAY,
    TargetKind.LOCAL_GATEWAY: Verdict.VIRTUAL_PRIVATE_GATEWAY,
    TargetKind.CORE_NETWORK: Verdict.TRANSIT_GATEWAY,
}

_HOP_TYPE = {
    TargetKind.LOCAL: HopType.LOCAL,
    TargetKind.INTERNET_GATEWAY: HopType.INTERNET_GATEWAY,
    TargetKind.EGRESS_ONLY_INTERNET_GATEWAY: HopType.EGRESS_ONLY_INTERNET_GATEWAY,
    TargetKind.GATEWAY_ENDPOINT: HopType.GATEWAY_ENDPOINT,
    TargetKind.TRANSIT_GATEWAY: HopType.TRANSIT_GATEWAY,
    TargetKind.PEERING: HopType.PEERING_CONNECTION,
    TargetKind.VIRTUAL_PRIVATE_GATEWAY: HopType.VIRTUAL_PRIVATE_GATEWAY,
    TargetKind.NETWORK_INTERFACE: HopType.NETWORK_INTERFACE,
    TargetKind.INSTANCE: HopType.INSTANCE,
    TargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT: HopType.GATEWAY_LOAD_BALANCER_ENDPOINT,
    TargetKind.CARRIER_GATEWAY: HopType.CARRIER_GATEWAY,
    TargetKind.LOCAL_GATEWAY: HopType.LOCAL_GATEWAY,
    TargetKind.CORE_NETWORK: HopType.CORE_NETWORK,
    TargetKind.NAT_GATEWAY: HopType.NAT_GATEWAY,
    TargetKind.UNKNOWN: HopType.UNKNOWN,
}


class Tracer:
    """Traces ranges through route tables. Holds per-table candidate lists, built lazily."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._candidates: dict[str, tuple[Candidate, ...]] = {}

    def candidates(self, table: RouteTable) -> tuple[Candidate, ...]:
        found = self._candidates.get(table.id)
        if found is None:
            found = candidates_for(table, self.snapshot)
            self._candidates[table.id] = found
        return found

    def trace(
        self, table: RouteTable, target: IPNetwork, ctx: TraceContext, *, whole: bool = False
    ) -> list[Step]:
        """Every piece of ``target`` with its fate. ``whole``: one answer for the whole range,
        from the routes that contain it (used for "any public address")."""
        cands = self.candidates(table)
        if whole:
            covering = [c for c in cands if within(target, c.network)]
            best = max(covering, key=lambda c: (c.network.prefixlen, c.rank), default=None)
            pieces: list[tuple[IPNetwork, Candidate | None]] = [(target, best)]
        else:
            pieces = split_by_route(cands, target)
        steps: list[Step] = []
        for network, cand in pieces:
            steps.extend(self._follow(table, network, cand, ctx, whole=whole))
        return steps

    def _follow(
        self,
        table: RouteTable,
        network: IPNetwork,
        cand: Candidate | None,
        ctx: TraceContext,
        *,
        whole: bool,
    ) -> list[Step]:
        if cand is None:
            hop = Hop(id=table.id, type=HopType.ROUTE_TABLE, detail=f"{table.id}: no route matches")
            note = f"{table.id} has no route for {network}"
            return [Step(network, Verdict.NO_ROUTE, (hop,), (note,), PathFacts())]
        route = cand.route
        rt_hop = Hop(
            id=table.id,
            type=HopType.ROUTE_TABLE,
            route=route.destination_label,
            detail=f"{table.id}: {route.destination_label} → {route.target_id}",
        )
        if route.state is RouteState.BLACKHOLE:
            note = (
                f"{table.id} routes {route.destination_label} to {route.target_id}, "
                "which no longer exists (blackhole): traffic is dropped"
            )
            return [Step(network, Verdict.BLACKHOLE, (rt_hop,), (note,), PathFacts())]
        if route.target_kind is TargetKind.NAT_GATEWAY:
            return self._through_nat(rt_hop, route, network, ctx, whole=whole)
        if route.target_kind is TargetKind.TRANSIT_GATEWAY:
            return follow_transit_gateway(
                self.snapshot, self.trace, table, rt_hop, route, network, ctx, whole=whole
            )
        verdict = _KIND_VERDICT.get(route.target_kind)
        target_hop = Hop(id=route.target_id, type=_HOP_TYPE[route.target_kind])
        if verdict is None:
            note = (
                f"{table.id} routes {network} to {route.target_id}, a target vpcpath does not know"
            )
            return [Step(network, Verdict.NO_ROUTE, (rt_hop, target_hop), (note,), PathFacts())]
        facts = PathFacts(
            gateway_endpoint_id=route.target_id if verdict is Verdict.GATEWAY_ENDPOINT else None
        )
        note = f"{table.id} sends {network} via {route.destination_label} to {route.target_id}"
        return [Step(network, verdict, (rt_hop, target_hop), (note,), facts)]

    def _through_nat(
        self, rt_hop: Hop, route: Route, network: IPNetwork, ctx: TraceContext, *, whole: bool
    ) -> list[Step]:
        nat = self.snapshot.nat_gateways.get(route.target_id)
        if nat is None:
            hop = Hop(id=route.target_id, type=HopType.NAT_GATEWAY, detail="not in the snapshot")
            note = f"{route.target_id} is not in the snapshot, so its onward route is unchecked"
            facts = PathFacts(nat_gateway_ids=(route.target_id,))
            return [Step(network, Verdict.NAT_GATEWAY, (rt_hop, hop), (note,), facts)]
        cross_az = self._nat_crosses_zone(nat, ctx.source_zone)
        zone = self._nat_zone(nat)
        nat_hop = Hop(
            id=nat.id,
            type=HopType.NAT_GATEWAY,
            detail=f"{nat.connectivity} NAT gateway" + (f" in {zone}" if zone else ""),
        )
        first = f"{rt_hop.id} sends {network} via {route.destination_label} to {nat.id}" + (
            f" in {zone}, another zone than the source's {ctx.source_zone}" if cross_az else ""
        )
        facts = PathFacts(nat_gateway_ids=(nat.id,), nat_cross_az=cross_az)
        if nat.state.lower() not in ("available", "pending"):
            note = f"{nat.id} is {nat.state}: traffic is dropped"
            return [Step(network, Verdict.BLACKHOLE, (rt_hop, nat_hop), (first, note), facts)]
        if nat.id in ctx.visited_nats:
            note = f"routing loop back to {nat.id}: traffic is dropped"
            return [Step(network, Verdict.BLACKHOLE, (rt_hop, nat_hop), (first, note), facts)]
        onward = route_table_for_nat(self.snapshot, nat)
        if onward is None:
            note = f"{nat.id}'s route table is not in the snapshot; its onward path is unchecked"
            return [Step(network, Verdict.NAT_GATEWAY, (rt_hop, nat_hop), (first, note), facts)]
        inner_ctx = replace(ctx, visited_nats=ctx.visited_nats | {nat.id})
        steps: list[Step] = []
        for sub in self.trace(onward.table, network, inner_ctx, whole=whole):
            verdict, extra = _nat_outcome(nat, sub.verdict)
            merged = replace(
                sub.facts,
                nat_gateway_ids=(nat.id, *sub.facts.nat_gateway_ids),
                nat_cross_az=cross_az or sub.facts.nat_cross_az,
            )
            notes = (first, f"{nat.id} forwards with its subnet's table: " + "; ".join(sub.notes))
            steps.append(
                Step(sub.network, verdict, (rt_hop, nat_hop, *sub.hops), (*notes, *extra), merged)
            )
        return steps

    def _nat_zone(self, nat: NatGateway) -> str | None:
        if nat.availability is NatAvailability.REGIONAL:
            return None
        subnet = self.snapshot.subnets.get(nat.subnet_id or "")
        return subnet.availability_zone if subnet else None

    def _nat_crosses_zone(self, nat: NatGateway, source_zone: str) -> bool:
        # A regional NAT gateway serves each zone from that zone (VPC User Guide, "Regional
        # NAT gateways for automatic multi-AZ expansion"), so it never crosses.
        zone = self._nat_zone(nat)
        return zone is not None and bool(source_zone) and zone != source_zone


def _nat_outcome(nat: NatGateway, onward: Verdict) -> tuple[Verdict, tuple[str, ...]]:
    """The verdict of a path through ``nat``, given what its own table does (rule 6)."""
    if onward in (Verdict.NO_ROUTE, Verdict.BLACKHOLE):
        return onward, (f"{nat.id} cannot forward it: the verdict is its own lookup's",)
    if onward is Verdict.INTERNET_GATEWAY and nat.connectivity is NatConnectivity.PRIVATE:
        return Verdict.BLACKHOLE, (
            f"{nat.id} is a private NAT gateway; the internet gateway drops its traffic",
        )
    if onward is Verdict.GATEWAY_ENDPOINT:
        return Verdict.NAT_GATEWAY, (
            "the NAT gateway's table reaches the gateway endpoint, but the NAT still processes "
            "(and bills) every byte",
        )
    return Verdict.NAT_GATEWAY, ()


def group_steps(steps: Iterable[Step]) -> list[Path]:
    """One Path per distinct (verdict, hops): pieces that share a path share an entry."""
    groups: dict[tuple[Verdict, tuple[Hop, ...]], list[Step]] = {}
    for step in steps:
        groups.setdefault((step.verdict, step.hops), []).append(step)
    paths: list[Path] = []
    for (verdict, hops), members in groups.items():
        notes = tuple(dict.fromkeys(n for s in members for n in s.notes))
        paths.append(
            Path(
                cidrs=collapse(s.network for s in members),
                verdict=verdict,
                hops=hops,
                explanation="; ".join(notes),
                facts=members[0].facts,
            )
        )
    return paths
