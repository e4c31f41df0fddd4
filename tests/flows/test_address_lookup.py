"""The attribution's one address lookup (``attribution``: ``addr_pieces``, then ``addr``)
against a lookup in each range table on its own, at every edge of every range."""

from __future__ import annotations

import ipaddress
from typing import Any

import duckdb
import pytest

from vpcpath.flows.attribution import STEPS
from vpcpath.flows.classify import address_partition
from vpcpath.flows.engine_duckdb import PAIRS_DDL
from vpcpath.flows.ip_ranges_source import obtain_ip_ranges
from vpcpath.flows.route_ranges import route_pieces, subnet_routes
from vpcpath.flows.snapshot_tables import load_snapshot_tables
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices

_TABLES = ("d_vpc_ranges", "s_private_ranges", "d_subnet_pieces", "s_classes", "s_routes")
_TOP = {4: 2**32 - 1, 6: 2**128 - 1}

# Each table looked up on its own: the last range starting at or below the address, then
# its end checked (the lookup the attribution made before the tables were cut together).
_ONE_TABLE_AT_A_TIME = """
WITH v AS (SELECT a, ip_family(a) AS fam, ip_value(a) AS v FROM probes)
SELECT v.a, coalesce(vr.hi >= v.v, false), coalesce(pr.hi >= v.v, false),
  CASE WHEN sp.hi >= v.v THEN sp.piece END, rs.seg,
  CASE WHEN cl.hi >= v.v THEN cl.service END, CASE WHEN cl.hi >= v.v THEN cl.region END,
  CASE WHEN cl.hi >= v.v THEN cl.gateway_service END,
  CASE WHEN cl.hi >= v.v THEN cl.gateway_region END
FROM v
ASOF LEFT JOIN d_vpc_ranges vr ON vr.family = v.fam AND v.v >= vr.lo
ASOF LEFT JOIN s_private_ranges pr ON pr.family = v.fam AND v.v >= pr.lo
ASOF LEFT JOIN d_subnet_pieces sp ON sp.family = v.fam AND v.v >= sp.lo
ASOF LEFT JOIN s_classes cl ON cl.family = v.fam AND v.v >= cl.lo
ASOF LEFT JOIN route_starts rs ON rs.family = v.fam AND v.v >= rs.seg
"""

_ONE_LOOKUP = """
SELECT a.a, a.in_vpc, a.is_private, a.subnet_piece, a.route_seg, k.cls_service, k.cls_region,
  k.gateway_service, k.gateway_region
FROM addr a LEFT JOIN addr_classes k USING (cls_id)
"""


def _edges(con: Any) -> list[str]:
    """Every range's first and last address and the addresses just outside, both families'
    first and last addresses, and text that is no address."""
    values: set[tuple[int, int]] = {(4, 0), (4, _TOP[4]), (6, 0), (6, _TOP[6])}
    for table in _TABLES:
        rows = con.execute(
            f"SELECT family, CAST(lo AS VARCHAR), CAST(hi AS VARCHAR) FROM {table}"
        ).fetchall()
        for family, lo, hi in rows:
            for value in (int(lo) - 1, int(lo), int(hi), int(hi) + 1):
                if 0 <= value <= _TOP[family]:
                    values.add((family, value))
    texts = [
        str(ipaddress.IPv4Address(v) if f == 4 else ipaddress.IPv6Address(v)) for f, v in values
    ]
    return [*texts, "not-an-address", "10.0.0.256"]


@pytest.fixture(scope="module")
def looked_up(sample: Snapshot) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]:
    con = duckdb.connect()
    routes = subnet_routes(sample)
    pieces = route_pieces(sample, [r.route_table_id for r in routes if r.route_table_id])
    ranges = obtain_ip_ranges(sample, path=None, allow_download=False, cache_dir=None).ranges
    load_snapshot_tables(
        con,
        sample,
        subnets=routes,
        pieces=pieces,
        classes=address_partition(sample, ranges),
        prices=load_prices(),
    )
    con.execute(PAIRS_DDL)
    probes = _edges(con)
    con.execute("CREATE TEMP TABLE probes AS SELECT unnest(?::VARCHAR[]) AS a", [probes])
    con.execute("INSERT INTO pairs (srcaddr, bytes) SELECT a, 0 FROM probes")
    last = next(i for i, sql in enumerate(STEPS) if "TEMP TABLE addr AS" in sql)
    for sql in STEPS[: last + 1]:
        con.execute(sql)
    one = sorted(con.execute(_ONE_LOOKUP).fetchall(), key=repr)
    each = sorted(con.execute(_ONE_TABLE_AT_A_TIME).fetchall(), key=repr)
    return one, each, len(probes)


def test_one_lookup_gives_every_edge_what_each_table_gives(
    looked_up: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int],
) -> None:
    one, each, probes = looked_up
    assert len(one) == probes
    assert one == each


def test_the_edges_reach_every_kind_of_answer(
    looked_up: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int],
) -> None:
    one, _, _ = looked_up
    by_address = {row[0]: row for row in one}
    assert by_address["10.0.0.256"][1:] == (False, False, None, None, None, None, None, None)
    assert any(row[1] for row in one) and any(not row[1] for row in one)  # in a VPC or not
    assert any(row[2] for row in one) and any(row[3] is not None for row in one)
    assert any(row[5] == "S3" for row in one) and any(row[7] is not None for row in one)
    assert any(":" in row[0] and row[4] is not None for row in one)  # IPv6 routes too
