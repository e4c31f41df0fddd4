"""Longest-prefix match over one route table, splitting a destination range where routes do.

AWS VPC User Guide, "Route priority"
(https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html#route-tables-priority):

- "We use the most specific route in your route table that matches the traffic to determine
  how to route the traffic (longest prefix match)."
- "Routes to IPv4 and IPv6 addresses or CIDR blocks are independent of each other."
- Prefix lists: "If your route table contains a static route that overlaps with another route
  that references a prefix list, the static route with the destination CIDR block takes
  priority. If your route table contains a propagated route that matches a route that
  references a prefix list, the route that references the prefix list takes priority. Note
  that for routes that overlap, more specific routes always take priority irrespective of
  whether they're propagated routes, static routes, or routes that reference prefix lists."
- A prefix-list route takes part in matching with each CIDR of the list (same section).

A destination is a range (a service's CIDR), not one address, so the answer is a partition of
the range into pieces, each with the route that wins for every address of that piece.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vpcpath.model import IPNetwork, Route, RouteOrigin, RouteTable, Snapshot
from vpcpath.routing.prefix_lists import prefix_list_cidrs


@dataclass(frozen=True, slots=True)
class Candidate:
    """One CIDR a route matches, with its tie-break rank at equal prefix length."""

    network: IPNetwork
    route: Route
    rank: int


def route_rank(route: Route) -> int:
    """Tie-break at equal prefix length: static CIDR > prefix list > propagated."""
    if route.prefix_list_id is not None:
        return 1
    if route.origin is RouteOrigin.PROPAGATED:
        return 0
    return 2


def route_networks(route: Route, snapshot: Snapshot, region: str) -> tuple[IPNetwork, ...]:
    """The CIDRs a route matches: its CIDR, or every CIDR of its prefix list."""
    if route.destination is not None:
        return (route.destination,)
    if route.prefix_list_id is None:
        return ()
    return prefix_list_cidrs(route, snapshot, region).cidrs


def candidates_for(table: RouteTable, snapshot: Snapshot) -> tuple[Candidate, ...]:
    found: list[Candidate] = []
    for route in table.routes:
        rank = route_rank(route)
        found.extend(
            Candidate(network=n, route=route, rank=rank)
            for n in route_networks(route, snapshot, table.region)
        )
    return tuple(found)


def within(inner: IPNetwork, outer: IPNetwork) -> bool:
    """Whether ``inner`` lies inside ``outer``; False across IPv4/IPv6."""
    if isinstance(inner, ipaddress.IPv4Network) and isinstance(outer, ipaddress.IPv4Network):
        return inner.subnet_of(outer)
    if isinstance(inner, ipaddress.IPv6Network) and isinstance(outer, ipaddress.IPv6Network):
        return inner.subnet_of(outer)
    return False


def _best(covering: Iterable[Candidate]) -> Candidate | None:
    best: Candidate | None = None
    for cand in covering:
        key = (cand.network.prefixlen, cand.rank)
        if best is None or key > (best.network.prefixlen, best.rank):
            best = cand
    return best


def split_by_route(
    candidates: Sequence[Candidate], target: IPNetwork
) -> list[tuple[IPNetwork, Candidate | None]]:
    """Partition ``target`` into pieces, each with its winning route (None = no route).

    Pieces are returned in address order; adjacent pieces may share a route (callers group
    them). Recursion halves the range only where a more specific route starts inside it, so the
    work grows with the number of overlapping routes, not with the size of the range. Ranges
    are compared as integers (two CIDRs either nest or are disjoint), and a half is only
    handed the candidates that overlap it.
    """
    spans = [
        _Span(int(c.network.network_address), int(c.network.broadcast_address), c)
        for c in candidates
        if c.network.version == target.version
    ]
    pieces: list[tuple[IPNetwork, Candidate | None]] = []
    _split(spans, int(target.network_address), target.prefixlen, target, pieces)
    return pieces


@dataclass(frozen=True, slots=True)
class _Span:
    lo: int
    hi: int
    candidate: Candidate


def _split(
    spans: list[_Span],
    lo: int,
    prefixlen: int,
    like: IPNetwork,
    pieces: list[tuple[IPNetwork, Candidate | None]],
) -> None:
    size = 1 << (like.max_prefixlen - prefixlen)
    hi = lo + size - 1
    overlapping = [s for s in spans if s.lo <= hi and s.hi >= lo]
    covering = [s.candidate for s in overlapping if s.lo <= lo and s.hi >= hi]
    if len(covering) == len(overlapping):  # no more specific route starts inside
        network = type(like)((lo, prefixlen))
        pieces.append((network, _best(covering)))
        return
    half = size >> 1
    _split(overlapping, lo, prefixlen + 1, like, pieces)
    _split(overlapping, lo + half, prefixlen + 1, like, pieces)


def collapse(networks: Iterable[IPNetwork]) -> tuple[IPNetwork, ...]:
    """Merge adjacent networks; IPv4 first, then IPv6."""
    nets = list(networks)
    v4 = [n for n in nets if n.version == 4]
    v6 = [n for n in nets if n.version == 6]
    return (*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6))
