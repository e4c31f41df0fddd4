"""Load what attribution needs from the snapshot into DuckDB tables, and the address macros.

Addresses become integers inside DuckDB (``ip_value``): IPv4 in [0, 2^32), IPv6 as a 128-bit
UHUGEINT, always next to their family, so one range lookup serves both. The text → integer
conversion runs once per distinct address string, after the first aggregation, never per
record.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network
from typing import Any

from vpcpath.flows import range_tables
from vpcpath.flows.classify import AddressRange
from vpcpath.flows.route_ranges import RoutePiece, SubnetRoute
from vpcpath.model import NatAvailability, Snapshot
from vpcpath.pricing.table import PriceTable

# RFC 1918 and RFC 6598 (shared address space): where a public NAT gateway's clients live.
PRIVATE_RANGES = (
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.168.0.0/16"),
    IPv4Network("100.64.0.0/10"),
)

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
ADDRESS_MACROS = rf"""
CREATE OR REPLACE TEMP MACRO ip4_value(a) AS
  CASE WHEN regexp_full_match(a, '{_OCTET}(\.{_OCTET}){{3}}') THEN CAST(list_reduce(
    list_transform(string_split(a, '.'), lambda o: CAST(o AS UBIGINT)),
    lambda acc, o: acc * 256 + o) AS UHUGEINT)
  END;
CREATE OR REPLACE TEMP MACRO ip6_side(s) AS
  CASE WHEN s = '' THEN []::VARCHAR[] ELSE string_split(s, ':') END;
CREATE OR REPLACE TEMP MACRO ip6_groups(a) AS
  CASE WHEN strpos(a, '::') > 0 THEN list_concat(
      ip6_side(split_part(a, '::', 1)),
      list_transform(
        range(8 - len(ip6_side(split_part(a, '::', 1))) - len(ip6_side(split_part(a, '::', 2)))),
        lambda x: '0'),
      ip6_side(split_part(a, '::', 2)))
  ELSE string_split(a, ':') END;
CREATE OR REPLACE TEMP MACRO ip6_value(a) AS
  CASE WHEN regexp_full_match(a, '[0-9a-fA-F:]{{2,39}}') AND len(string_split(a, '::')) <= 2
        AND len(ip6_groups(a)) = 8
        AND list_bool_and(list_transform(ip6_groups(a),
                                         lambda g: regexp_full_match(g, '[0-9a-fA-F]{{1,4}}')))
  THEN list_reduce(list_transform(ip6_groups(a), lambda g: CAST('0x' || g AS UHUGEINT)),
                   lambda acc, g: (acc << 16) + g, CAST(0 AS UHUGEINT))
  END;
CREATE OR REPLACE TEMP MACRO ip_family(a) AS
  CASE WHEN strpos(a, ':') > 0 THEN 6 WHEN strpos(a, '.') > 0 THEN 4 END;
CREATE OR REPLACE TEMP MACRO ip_value(a) AS
  CASE ip_family(a) WHEN 4 THEN ip4_value(a) WHEN 6 THEN ip6_value(a) END;
"""


def load_rows(
    con: Any, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]
) -> None:
    """``CREATE TEMP TABLE name`` from Python rows, column by column (one statement).

    UHUGEINT columns travel as text: Python ints beyond 64 bits have no DuckDB parameter type.
    """
    selects: list[str] = []
    params: list[list[Any]] = []
    for i, (column, sql_type) in enumerate(columns):
        values = [row[i] for row in rows]
        if sql_type == "UHUGEINT":
            params.append([None if v is None else str(v) for v in values])
            selects.append(f"CAST(unnest(?::VARCHAR[]) AS UHUGEINT) AS {column}")
        else:
            params.append(values)
            selects.append(f"unnest(?::{sql_type}[]) AS {column}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(selects)}", params)


def _nets(*groups: Sequence[IPv4Network | IPv6Network]) -> list[tuple[int, int, int]]:
    return [
        (n.version, int(n.network_address), int(n.broadcast_address))
        for group in groups
        for n in group
    ]


def load_snapshot_tables(
    con: Any,
    snapshot: Snapshot,
    *,
    subnets: Sequence[SubnetRoute],
    pieces: Sequence[RoutePiece],
    classes: Sequence[AddressRange] | None,
    prices: PriceTable,
) -> None:
    """The snapshot's tables; ``s_classes`` from ``classes`` unless None (then the caller
    has loaded it, from ``prepared_ranges``)."""
    con.execute(ADDRESS_MACROS)
    nat_enis = dict(snapshot.nat_gateway_by_eni)
    load_rows(
        con,
        "s_enis",
        (("eni_id", "VARCHAR"), ("subnet_id", "VARCHAR"), ("instance_id", "VARCHAR")),
        [
            (e.id, e.subnet_id, e.instance_id)
            for e in snapshot.network_interfaces.values()
            if e.id not in nat_enis
        ],
    )
    load_rows(
        con,
        "s_nat_enis",
        (("eni_id", "VARCHAR"), ("nat_gateway_id", "VARCHAR")),
        sorted(nat_enis.items()),
    )
    ip_rows = [
        (ip.version, int(ip), e.id, e.vpc_id, e.subnet_id, e.instance_id, e.region)
        for e in snapshot.network_interfaces.values()
        if e.id not in nat_enis
        for ip in (*e.private_ips, *e.ipv6_addresses)
    ]
    load_rows(
        con,
        "s_eni_ips",
        (
            ("family", "INTEGER"),
            ("addr", "UHUGEINT"),
            ("eni_id", "VARCHAR"),
            ("vpc_id", "VARCHAR"),
            ("subnet_id", "VARCHAR"),
            ("instance_id", "VARCHAR"),
            ("region", "VARCHAR"),
        ),
        ip_rows,
    )
    # The accounts a VPC's records may name: its owner's, and those of the accounts that
    # read its subnets and ENIs (a shared VPC's participants own ENIs in it).
    vpc_accounts = {(v.id, v.account_id, v.region) for v in snapshot.vpcs.values()}
    vpc_accounts |= {(s.vpc_id, s.account_id, s.region) for s in snapshot.subnets.values()}
    vpc_accounts |= {
        (e.vpc_id, e.account_id, e.region) for e in snapshot.network_interfaces.values()
    }
    load_rows(
        con,
        "s_vpc_accounts",
        (("vpc_id", "VARCHAR"), ("account_id", "VARCHAR"), ("region", "VARCHAR")),
        sorted(vpc_accounts),
    )
    route_of = {s.subnet_id: s.route_table_id for s in subnets}
    load_rows(
        con,
        "s_subnets",
        (
            ("subnet_id", "VARCHAR"),
            ("vpc_id", "VARCHAR"),
            ("region", "VARCHAR"),
            ("zone", "VARCHAR"),
            ("route_table_id", "VARCHAR"),
        ),
        [
            (s.id, s.vpc_id, s.region, s.availability_zone, route_of.get(s.id))
            for s in snapshot.subnets.values()
        ],
    )
    cidr_rows = [
        (s.id, s.vpc_id, fam, lo, hi)
        for s in snapshot.subnets.values()
        for fam, lo, hi in _nets((s.cidr,) if s.cidr else (), s.ipv6_cidrs)
    ]
    load_rows(
        con,
        "s_subnet_cidrs",
        (
            ("subnet_id", "VARCHAR"),
            ("vpc_id", "VARCHAR"),
            ("family", "INTEGER"),
            ("lo", "UHUGEINT"),
            ("hi", "UHUGEINT"),
        ),
        cidr_rows,
    )
    vpc_nets = [r for v in snapshot.vpcs.values() for r in _nets(v.cidrs, v.ipv6_cidrs)]
    load_rows(
        con,
        "s_vpc_cidrs",
        (("family", "INTEGER"), ("lo", "UHUGEINT"), ("hi", "UHUGEINT")),
        vpc_nets,
    )
    # The same as disjoint range tables (``range_tables``; d_*, for the engine's ASOF joins):
    # which subnets hold an address — the members of its one piece —, and which addresses are
    # in a VPC — the union of the VPCs' CIDRs.
    piece_rows: list[tuple[int, int, int, int]] = []
    member_rows: list[tuple[int, str, str]] = []
    vpc_rows: list[tuple[int, int, int]] = []
    for family in (4, 6):
        cidrs = [(lo, hi, (sid, vpc)) for sid, vpc, fam, lo, hi in cidr_rows if fam == family]
        for lo, hi, members in range_tables.pieces(cidrs):
            piece = len(piece_rows)
            piece_rows.append((family, lo, hi, piece))
            member_rows.extend((piece, subnet_id, vpc_id) for subnet_id, vpc_id in members)
        in_family = [(lo, hi) for f, lo, hi in vpc_nets if f == family]
        vpc_rows.extend((family, lo, hi) for lo, hi in range_tables.covered(in_family))
    load_rows(
        con,
        "d_subnet_pieces",
        (("family", "INTEGER"), ("lo", "UHUGEINT"), ("hi", "UHUGEINT"), ("piece", "INTEGER")),
        piece_rows,
    )
    load_rows(
        con,
        "d_subnet_members",
        (("piece", "INTEGER"), ("subnet_id", "VARCHAR"), ("vpc_id", "VARCHAR")),
        member_rows,
    )
    load_rows(
        con,
        "d_vpc_ranges",
        (("family", "INTEGER"), ("lo", "UHUGEINT"), ("hi", "UHUGEINT")),
        vpc_rows,
    )
    load_rows(
        con,
        "s_private_ranges",
        (("family", "INTEGER"), ("lo", "UHUGEINT"), ("hi", "UHUGEINT")),
        _nets(PRIVATE_RANGES),
    )
    nat_rows = []
    for nat in snapshot.nat_gateways.values():
        subnet = snapshot.subnets.get(nat.subnet_id or "")
        zonal = nat.availability is not NatAvailability.REGIONAL
        zone = subnet.availability_zone if (subnet is not None and zonal) else None
        nat_rows.append((nat.id, nat.vpc_id, nat.region, zone, str(nat.connectivity)))
    load_rows(
        con,
        "s_nats",
        (
            ("nat_gateway_id", "VARCHAR"),
            ("vpc_id", "VARCHAR"),
            ("region", "VARCHAR"),
            ("zone", "VARCHAR"),
            ("connectivity", "VARCHAR"),
        ),
        nat_rows,
    )
    load_rows(
        con,
        "s_nat_ips",
        (("nat_gateway_id", "VARCHAR"), ("family", "INTEGER"), ("addr", "UHUGEINT")),
        [
            (nat.id, ip.version, int(ip))
            for nat in snapshot.nat_gateways.values()
            for ip in nat.private_ips
        ],
    )
    load_rows(
        con,
        "s_routes",
        (
            ("route_table_id", "VARCHAR"),
            ("family", "INTEGER"),
            ("lo", "UHUGEINT"),
            ("hi", "UHUGEINT"),
            ("verdict", "VARCHAR"),
            ("nat_gateway_id", "VARCHAR"),
            ("transit_gateway_id", "VARCHAR"),
        ),
        [
            (
                p.route_table_id,
                p.family,
                p.lo,
                p.hi,
                str(p.verdict),
                p.nat_gateway_id,
                p.transit_gateway_id,
            )
            for p in pieces
        ],
    )
    if classes is not None:
        load_rows(
            con,
            "s_classes",
            (
                ("family", "INTEGER"),
                ("lo", "UHUGEINT"),
                ("hi", "UHUGEINT"),
                ("service", "VARCHAR"),
                ("region", "VARCHAR"),
                ("gateway_service", "VARCHAR"),
                ("gateway_region", "VARCHAR"),
            ),
            [
                (
                    r.family,
                    r.lo,
                    r.hi,
                    r.value.service,
                    r.value.region,
                    r.value.gateway_service,
                    r.value.gateway_region,
                )
                for r in classes
            ],
        )
    load_rows(
        con,
        "s_prices",
        (("region", "VARCHAR"), ("nat_gateway_gb", "DOUBLE")),
        sorted((region, p.nat_gateway_gb) for region, p in prices.regions.items()),
    )
