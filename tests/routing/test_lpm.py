"""Longest-prefix match and route priority (VPC User Guide, "Route priority")."""

from __future__ import annotations

from ipaddress import ip_network

from vpcpath.model import (
    PrefixList,
    Route,
    RouteOrigin,
    RouteState,
    RouteTable,
    Snapshot,
    TargetKind,
)
from vpcpath.routing.lpm import candidates_for, split_by_route

REGION = "us-east-1"


def _route(
    dest: str | None,
    target: str,
    kind: TargetKind,
    *,
    pl: str | None = None,
    origin: RouteOrigin = RouteOrigin.STATIC,
) -> Route:
    return Route(
        destination=ip_network(dest) if dest else None,
        prefix_list_id=pl,
        target_kind=kind,
        target_id=target,
        origin=origin,
        state=RouteState.ACTIVE,
    )


def _winners(
    routes: list[Route], target: str, pls: tuple[PrefixList, ...] = ()
) -> list[tuple[str, str | None]]:
    table = RouteTable(
        id="rtb-1", vpc_id="vpc-1", account_id="1", region=REGION, routes=tuple(routes)
    )
    snap = Snapshot(route_tables={"rtb-1": table}, prefix_lists={(REGION, p.id): p for p in pls})
    pieces = split_by_route(candidates_for(table, snap), ip_network(target))
    return [(str(net), cand.route.target_id if cand else None) for net, cand in pieces]


S3_PL = PrefixList(
    id="pl-s3",
    region=REGION,
    name="com.amazonaws.us-east-1.s3",
    cidrs=(ip_network("52.216.0.0/15"), ip_network("54.231.0.0/16")),
)
DEFAULT_NAT = _route("0.0.0.0/0", "nat-1", TargetKind.NAT_GATEWAY)
ENDPOINT = _route(
    None, "vpce-1", TargetKind.GATEWAY_ENDPOINT, pl="pl-s3", origin=RouteOrigin.ENDPOINT
)


def test_longest_prefix_wins_over_default_route() -> None:
    assert _winners([DEFAULT_NAT, ENDPOINT], "52.216.0.0/15", (S3_PL,)) == [
        ("52.216.0.0/15", "vpce-1")
    ]


def test_more_specific_static_route_carves_the_endpoint_range() -> None:
    override = _route("52.216.0.0/16", "nat-2", TargetKind.NAT_GATEWAY)
    assert _winners([DEFAULT_NAT, ENDPOINT, override], "52.216.0.0/15", (S3_PL,)) == [
        ("52.216.0.0/16", "nat-2"),
        ("52.217.0.0/16", "vpce-1"),
    ]


def test_more_specific_propagated_route_still_wins() -> None:
    prop = _route(
        "54.231.128.0/17",
        "vgw-1",
        TargetKind.VIRTUAL_PRIVATE_GATEWAY,
        origin=RouteOrigin.PROPAGATED,
    )
    assert _winners([ENDPOINT, prop], "54.231.0.0/16", (S3_PL,)) == [
        ("54.231.0.0/17", "vpce-1"),
        ("54.231.128.0/17", "vgw-1"),
    ]


def test_static_cidr_beats_prefix_list_at_equal_length() -> None:
    static = _route("52.216.0.0/15", "nat-9", TargetKind.NAT_GATEWAY)
    assert _winners([ENDPOINT, static], "52.216.0.0/15", (S3_PL,)) == [("52.216.0.0/15", "nat-9")]
    # …whatever order the routes are listed in.
    assert _winners([static, ENDPOINT], "52.216.0.0/15", (S3_PL,)) == [("52.216.0.0/15", "nat-9")]


def test_prefix_list_beats_propagated_at_equal_length() -> None:
    prop = _route(
        "52.216.0.0/15", "vgw-1", TargetKind.VIRTUAL_PRIVATE_GATEWAY, origin=RouteOrigin.PROPAGATED
    )
    assert _winners([prop, ENDPOINT], "52.216.0.0/15", (S3_PL,)) == [("52.216.0.0/15", "vpce-1")]


def test_static_beats_propagated_at_equal_length() -> None:
    prop = _route(
        "10.9.0.0/16", "vgw-1", TargetKind.VIRTUAL_PRIVATE_GATEWAY, origin=RouteOrigin.PROPAGATED
    )
    static = _route("10.9.0.0/16", "pcx-1", TargetKind.PEERING)
    assert _winners([prop, static], "10.9.0.0/16") == [("10.9.0.0/16", "pcx-1")]


def test_uncovered_range_has_no_route() -> None:
    local = _route("10.0.0.0/16", "local", TargetKind.LOCAL)
    assert _winners([local], "8.8.8.8/32") == [("8.8.8.8/32", None)]


def test_ipv4_and_ipv6_routes_are_independent() -> None:
    v6_default = _route("::/0", "eigw-1", TargetKind.EGRESS_ONLY_INTERNET_GATEWAY)
    assert _winners([v6_default], "52.216.0.0/15") == [("52.216.0.0/15", None)]
    assert _winners([DEFAULT_NAT, v6_default], "2600:1f18::/32") == [("2600:1f18::/32", "eigw-1")]


def test_nested_routes_split_recursively() -> None:
    routes = [
        DEFAULT_NAT,
        _route("52.0.0.0/8", "tgw-1", TargetKind.TRANSIT_GATEWAY),
        _route("52.216.0.0/16", "pcx-1", TargetKind.PEERING),
        _route("52.216.128.0/24", "igw-1", TargetKind.INTERNET_GATEWAY),
    ]
    pieces = _winners(routes, "52.216.0.0/16")
    assert ("52.216.128.0/24", "igw-1") in pieces
    assert {t for _, t in pieces} == {"pcx-1", "igw-1"}
    total = sum(ip_network(n).num_addresses for n, _ in pieces)
    assert total == 65536  # the pieces partition the range exactly


def _brute_winner(routes: list[Route], address: int, version: int) -> str | None:
    """The route for one address, straight from the rule: longest prefix, then rank."""
    from vpcpath.routing.lpm import route_rank

    best: tuple[int, int] | None = None
    found: str | None = None
    for route in routes:
        net = route.destination
        if net is None or net.version != version:
            continue
        if int(net.network_address) <= address <= int(net.broadcast_address):
            key = (net.prefixlen, route_rank(route))
            if best is None or key > best:
                best, found = key, route.target_id
    return found


def test_the_partition_agrees_with_the_rule_address_by_address() -> None:
    # Nested, adjacent and disjoint routes of both families, all tie-break ranks; every piece
    # must be a whole CIDR, the pieces must tile the target in order, and the winner of each
    # piece must be the rule's answer at its first, last and middle address.
    import random

    rng = random.Random(7)
    for version, bits, base in ((4, 32, "10.0.0.0/8"), (6, 128, "2600:1f00::/24")):
        root = ip_network(base)
        for _ in range(40):
            routes = []
            for i in range(rng.randint(1, 9)):
                plen = rng.randint(root.prefixlen, min(root.prefixlen + 16, bits))
                offset = rng.getrandbits(bits - root.prefixlen) & ~((1 << (bits - plen)) - 1)
                net = ip_network((int(root.network_address) + offset, plen))
                origin = rng.choice((RouteOrigin.STATIC, RouteOrigin.PROPAGATED))
                routes.append(_route(str(net), f"t{i}", TargetKind.NAT_GATEWAY, origin=origin))
            table = RouteTable(
                id="rtb-1", vpc_id="vpc-1", account_id="1", region=REGION, routes=tuple(routes)
            )
            snap = Snapshot(route_tables={"rtb-1": table})
            pieces = split_by_route(candidates_for(table, snap), root)
            expected_lo = int(root.network_address)
            for net, cand in pieces:
                lo, hi = int(net.network_address), int(net.broadcast_address)
                assert lo == expected_lo and net.version == version
                expected_lo = hi + 1
                got = cand.route.target_id if cand else None
                for address in (lo, (lo + hi) // 2, hi):
                    assert _brute_winner(routes, address, version) == got
            assert expected_lo == int(root.broadcast_address) + 1
