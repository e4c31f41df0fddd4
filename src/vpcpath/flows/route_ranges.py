"""The routing model as integer ranges: for each route table, where every address goes.

``Tracer.trace(table, 0.0.0.0/0)`` (and ``::/0``) partitions the whole address space into
pieces with one fate each — longest prefix match, prefix-list routes, the NAT gateway's own
table (docs/architecture.md "Routing rules", rules 2–6). Loaded into DuckDB as ranges, the question
"which path does this source take to this remote?" becomes one range lookup per
(route table, remote address) instead of a trace per record.

The trace runs without a source zone: whether a NAT gateway sits in another zone than the
source is decided in SQL from the subnet's and the NAT gateway's zones, so one partition
serves every subnet that shares the table. Except behind a transit gateway: which attachment
subnet, and so which egress NAT gateway, a packet reaches depends on the zone it comes from
(Transit Gateway Guide, "How AWS Transit Gateway works" → "Availability Zones"), so a table
that sends anything to a transit gateway gets one partition per zone of its subnets, keyed
``<table>@<zone>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network

from vpcpath.errors import SnapshotError
from vpcpath.model import Snapshot, TargetKind, Verdict
from vpcpath.routing.resolve import route_table_for_subnet
from vpcpath.routing.trace import TraceContext, Tracer

_WHOLE_SPACE = (IPv4Network("0.0.0.0/0"), IPv6Network("::/0"))


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutePiece:
    route_table_id: str
    family: int
    lo: int
    hi: int  # inclusive
    verdict: Verdict
    nat_gateway_id: str | None  # the NAT gateway that processes the bytes (verdict nat-gateway)
    transit_gateway_id: str | None = None  # the first transit gateway the bytes cross


@dataclass(frozen=True, slots=True, kw_only=True)
class SubnetRoute:
    subnet_id: str
    route_table_id: str | None  # None: the snapshot cannot say (no association, no main table)


ZONE_SEPARATOR = "@"


def _sends_to_transit_gateway(snapshot: Snapshot, table_id: str) -> bool:
    table = snapshot.route_tables[table_id]
    return snapshot.transit.collected and any(
        r.target_kind is TargetKind.TRANSIT_GATEWAY for r in table.routes
    )


def subnet_routes(snapshot: Snapshot) -> tuple[SubnetRoute, ...]:
    found: list[SubnetRoute] = []
    for subnet_id in sorted(snapshot.subnets):
        try:
            table: str | None = route_table_for_subnet(snapshot, subnet_id).table.id
        except SnapshotError:
            table = None
        if table is not None and _sends_to_transit_gateway(snapshot, table):
            zone = snapshot.subnets[subnet_id].availability_zone
            table = f"{table}{ZONE_SEPARATOR}{zone}"
        found.append(SubnetRoute(subnet_id=subnet_id, route_table_id=table))
    return tuple(found)


def route_pieces(snapshot: Snapshot, table_ids: Iterable[str]) -> tuple[RoutePiece, ...]:
    """The partition of the IPv4 and IPv6 space for each route table, adjacent pieces merged."""
    tracer = Tracer(snapshot)
    pieces: list[RoutePiece] = []
    for table_id in sorted(set(table_ids)):
        table = snapshot.route_tables[table_id.split(ZONE_SEPARATOR)[0]]
        _, _, zone = table_id.partition(ZONE_SEPARATOR)
        for space in _WHOLE_SPACE:
            steps = tracer.trace(table, space, TraceContext(source_zone=zone))
            ordered = sorted(steps, key=lambda s: int(s.network.network_address))
            merged: list[RoutePiece] = []
            for step in ordered:
                nat = step.facts.nat_gateway_ids[0] if step.facts.nat_gateway_ids else None
                if step.verdict is not Verdict.NAT_GATEWAY:
                    # Only a NAT gateway that forwards the traffic bills it; a dropped path
                    # (blackhole, no-route) is not attributed to the NAT it names.
                    nat = None
                tgw = step.facts.transit_gateway_ids[0] if step.facts.transit_gateway_ids else None
                lo = int(step.network.network_address)
                hi = int(step.network.broadcast_address)
                last = merged[-1] if merged else None
                if (
                    last is not None
                    and last.hi + 1 == lo
                    and last.verdict is step.verdict
                    and last.nat_gateway_id == nat
                    and last.transit_gateway_id == tgw
                ):
                    merged[-1] = RoutePiece(
                        route_table_id=table_id,
                        family=space.version,
                        lo=last.lo,
                        hi=hi,
                        verdict=step.verdict,
                        nat_gateway_id=nat,
                        transit_gateway_id=tgw,
                    )
                else:
                    merged.append(
                        RoutePiece(
                            route_table_id=table_id,
                            family=space.version,
                            lo=lo,
                            hi=hi,
                            verdict=step.verdict,
                            nat_gateway_id=nat,
                            transit_gateway_id=tgw,
                        )
                    )
            pieces.extend(merged)
    return tuple(pieces)
