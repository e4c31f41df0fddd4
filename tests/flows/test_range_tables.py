"""The disjoint range tables (``range_tables``) against brute force, and the ASOF lookup the
attribution makes in them."""

from __future__ import annotations

import ipaddress
import itertools
from collections import Counter

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vpcpath.flows import range_tables
from vpcpath.flows.snapshot_tables import ADDRESS_MACROS

# Handcrafted overlapping CIDRs: nested, repeated (a CIDR reused by two VPCs), adjacent, and
# the edges of each family's space.
V4 = (
    ("10.0.0.0/16", "vpc-a"),
    ("10.0.1.0/24", "subnet-a1"),
    ("10.0.1.0/24", "subnet-b1"),  # the same CIDR in another VPC
    ("10.0.1.128/25", "inner"),
    ("10.0.2.0/24", "subnet-a2"),  # adjacent to 10.0.1.0/24
    ("10.1.0.0/16", "vpc-c"),  # adjacent to 10.0.0.0/16
    ("0.0.0.0/32", "first"),
    ("255.255.255.0/24", "last"),
)
V6 = (
    ("2600:1f18::/36", "vpc6"),
    ("2600:1f18:0:100::/56", "subnet6"),
    ("2600:1f18:0:100::/64", "subnet6-inner"),
    ("2600:1f18:0:100::/64", "subnet6-again"),
    ("ffff:ffff:ffff:ffff::/64", "last6"),
)


def _bounds(cidr: str) -> tuple[int, int]:
    net = ipaddress.ip_network(cidr)
    return int(net.network_address), int(net.broadcast_address)


def _ranges(entries: tuple[tuple[str, str], ...]) -> list[tuple[int, int, str]]:
    return [(*_bounds(cidr), name) for cidr, name in entries]


def _probes(ranges: list[tuple[int, int, str]], top: int) -> set[int]:
    """Every edge of every range, and the addresses either side of it."""
    points = {0, top}
    for lo, hi, _ in ranges:
        points |= {lo - 1, lo, lo + 1, hi - 1, hi, hi + 1}
    return {p for p in points if 0 <= p <= top}


def ip(address: str) -> int:
    return int(ipaddress.ip_address(address))


def _holding(ranges: list[tuple[int, int, str]], address: int) -> Counter[str]:
    return Counter(name for lo, hi, name in ranges if lo <= address <= hi)


@pytest.mark.parametrize(("entries", "top"), [(V4, 2**32 - 1), (V6, 2**128 - 1)])
def test_pieces_hold_exactly_the_ranges_holding_each_address(
    entries: tuple[tuple[str, str], ...], top: int
) -> None:
    ranges = _ranges(entries)
    table = range_tables.pieces(ranges)
    # Sorted, non-overlapping, and adjacent pieces differ (else they would be one piece).
    for (lo, hi, members), (next_lo, _, next_members) in itertools.pairwise(table):
        assert lo <= hi < next_lo
        assert hi + 1 < next_lo or members != next_members
    for address in _probes(ranges, top):
        found = [members for lo, hi, members in table if lo <= address <= hi]
        expected = _holding(ranges, address)
        if not expected:
            assert found == []
        else:
            assert len(found) == 1
            assert Counter(found[0]) == expected


def test_pieces_of_the_handcrafted_v4_cidrs() -> None:
    table = range_tables.pieces(_ranges(V4))
    assert table == [
        (0, 0, ("first",)),
        (ip("10.0.0.0"), ip("10.0.0.255"), ("vpc-a",)),
        (ip("10.0.1.0"), ip("10.0.1.127"), ("subnet-a1", "subnet-b1", "vpc-a")),
        (ip("10.0.1.128"), ip("10.0.1.255"), ("inner", "subnet-a1", "subnet-b1", "vpc-a")),
        (ip("10.0.2.0"), ip("10.0.2.255"), ("subnet-a2", "vpc-a")),
        (ip("10.0.3.0"), ip("10.0.255.255"), ("vpc-a",)),
        (ip("10.1.0.0"), ip("10.1.255.255"), ("vpc-c",)),
        (ip("255.255.255.0"), ip("255.255.255.255"), ("last",)),
    ]


def test_a_range_given_twice_is_a_member_twice() -> None:
    assert range_tables.pieces([(5, 9, "x"), (5, 9, "x"), (7, 12, "y")]) == [
        (5, 6, ("x", "x")),
        (7, 9, ("x", "x", "y")),
        (10, 12, ("y",)),
    ]


def test_covered_merges_overlapping_and_adjacent_ranges() -> None:
    v4 = [(lo, hi) for lo, hi, _ in _ranges(V4)]
    assert range_tables.covered(v4) == [
        (0, 0),
        (ip("10.0.0.0"), ip("10.1.255.255")),
        (ip("255.255.255.0"), ip("255.255.255.255")),
    ]
    assert range_tables.covered([(1, 3), (7, 9), (4, 5)]) == [(1, 5), (7, 9)]
    assert range_tables.covered([]) == []


def test_an_empty_range_is_refused() -> None:
    with pytest.raises(ValueError, match="empty range"):
        range_tables.pieces([(5, 4, "x")])
    with pytest.raises(ValueError, match="empty range"):
        range_tables.covered([(5, 4)])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 64), st.integers(0, 16), st.sampled_from("abc")),
        max_size=12,
    )
)
def test_pieces_and_covered_agree_with_brute_force(raw: list[tuple[int, int, str]]) -> None:
    ranges = [(lo, lo + width, name) for lo, width, name in raw]
    table = range_tables.pieces(ranges)
    union = range_tables.covered([(lo, hi) for lo, hi, _ in ranges])
    for address in range(0, 90):
        expected = _holding(ranges, address)
        found = [Counter(m) for lo, hi, m in table if lo <= address <= hi]
        assert found == ([expected] if expected else [])
        assert any(lo <= address <= hi for lo, hi in union) == bool(expected)


def test_asof_lookup_in_a_disjoint_table_finds_the_holding_piece() -> None:
    """The lookup ``attribution`` makes: last piece starting at or below, then its end."""
    ranges = _ranges(V4) + _ranges(V6)
    con = duckdb.connect()
    con.execute(ADDRESS_MACROS)
    rows = [
        (family, str(lo), str(hi), i)
        for family, part in ((4, _ranges(V4)), (6, _ranges(V6)))
        for i, (lo, hi, _) in enumerate(range_tables.pieces(part))
    ]
    con.execute("CREATE TABLE t (family INTEGER, lo UHUGEINT, hi UHUGEINT, piece INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    addresses = ["10.0.1.130", "10.0.0.5", "10.2.0.0", "0.0.0.0", "2600:1f18:0:100::1", "::1"]
    con.execute("CREATE TABLE a (a VARCHAR)")
    con.executemany("INSERT INTO a VALUES (?)", [(x,) for x in addresses])
    got = dict(
        con.execute(
            "SELECT a.a, CASE WHEN t.hi >= ip_value(a.a) THEN t.piece END FROM a "
            "ASOF LEFT JOIN t ON t.family = ip_family(a.a) AND ip_value(a.a) >= t.lo"
        ).fetchall()
    )
    for address in addresses:
        ip = ipaddress.ip_address(address)
        part = _ranges(V4) if ip.version == 4 else _ranges(V6)
        table = range_tables.pieces(part)
        expected = next((i for i, (lo, hi, _) in enumerate(table) if lo <= int(ip) <= hi), None)
        assert got[address] == expected, address
    assert ranges  # both families were exercised
    assert got["10.0.1.130"] is not None and got["::1"] is None
