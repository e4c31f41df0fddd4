"""Classification of remote addresses and the address arithmetic inside DuckDB."""

from __future__ import annotations

import ipaddress
import random

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vpcpath.flows.classify import AddressClass, address_partition, classify_address
from vpcpath.flows.route_ranges import route_pieces, subnet_routes
from vpcpath.flows.snapshot_tables import ADDRESS_MACROS
from vpcpath.flows.synthetic.truth import Estate
from vpcpath.model import IPNetwork, IpRanges, Snapshot


@pytest.fixture(scope="module")
def trimmed_ranges(sample: Snapshot) -> IpRanges:
    """The sample's trimmed copy of AWS's ip-ranges.json (its README says which entries)."""
    assert sample.ip_ranges is not None
    return sample.ip_ranges


def lookup(partition: object, address: str) -> AddressClass | None:
    ip = ipaddress.ip_address(address)
    return classify_address(partition, ip.version, int(ip))  # type: ignore[arg-type]


def brute_force(ranges: IpRanges, address: str) -> tuple[str, str] | None:
    """Longest prefix, then a specific service (S3, DYNAMODB, …) over EC2 over AMAZON."""
    ip = ipaddress.ip_address(address)
    rank = {"AMAZON": 0, "EC2": 1}
    best = max(
        (
            ((p.network.prefixlen, rank.get(p.service, 2)), (p.service, p.region))
            for p in ranges.prefixes
            if p.network.version == ip.version and ip in p.network
        ),
        default=None,
    )
    return best[1] if best else None


def test_prefix_list_beats_ip_ranges(sample: Snapshot) -> None:
    partition = address_partition(sample, sample.ip_ranges)
    # In pl-63a5400a (com.amazonaws.us-east-1.s3): avoidable by the us-east-1 S3 endpoint.
    assert lookup(partition, "52.216.10.5") == AddressClass("S3", "us-east-1", "s3", "us-east-1")
    # 3.2.64.0/24 is S3 in ip-ranges but left out of the prefix list: not endpoint-able.
    assert lookup(partition, "3.2.64.9") == AddressClass("S3", "us-east-1", None, None)
    assert lookup(partition, "151.101.1.69") is None


def test_without_a_prefix_list_ip_ranges_decide_the_endpoint(sample: Snapshot) -> None:
    from dataclasses import replace

    bare = replace(sample, prefix_lists={})
    partition = address_partition(bare, sample.ip_ranges)
    assert lookup(partition, "3.2.64.9") == AddressClass("S3", "us-east-1", "s3", "us-east-1")


def test_ip_ranges_match_a_brute_force_lookup(trimmed_ranges: IpRanges, sample: Snapshot) -> None:
    assert_matches_brute_force(trimmed_ranges, sample, v4=150, v6=50)


def test_specific_service_beats_ec2_beats_amazon(
    trimmed_ranges: IpRanges, sample: Snapshot
) -> None:
    assert_specific_service_wins(trimmed_ranges, sample)


def assert_matches_brute_force(ranges: IpRanges, sample: Snapshot, *, v4: int, v6: int) -> None:
    from dataclasses import replace

    partition = address_partition(replace(sample, prefix_lists={}), ranges)
    rng = random.Random(4)
    v4_nets = [p.network for p in ranges.prefixes if p.network.version == 4]
    v6_nets = [p.network for p in ranges.prefixes if p.network.version == 6]
    addresses = [
        str(net.network_address + rng.randrange(net.num_addresses))
        for net in rng.sample(v4_nets, v4) + rng.sample(v6_nets, v6)
    ]
    for address in addresses:
        found = lookup(partition, address)
        got = (found.service, found.region) if found else None
        assert got == brute_force(ranges, address), address


def assert_specific_service_wins(ranges: IpRanges, sample: Snapshot) -> None:
    """A CIDR listed under S3, EC2 and AMAZON at once (AWS's file has 169) classifies as S3."""
    from dataclasses import replace

    by_net: dict[tuple[IPNetwork, str], set[str]] = {}
    for p in ranges.prefixes:
        by_net.setdefault((p.network, p.region), set()).add(p.service)
    triple = next(k for k, v in by_net.items() if {"S3", "EC2", "AMAZON"} <= v)
    network, region = triple
    partition = address_partition(replace(sample, prefix_lists={}), ranges)
    found = lookup(partition, str(network.network_address))
    assert found is not None and (found.service, found.region) == ("S3", region)


_CON = duckdb.connect()
_CON.execute(ADDRESS_MACROS)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.ip_addresses(), min_size=1, max_size=80))
def test_address_macros_agree_with_ipaddress(
    addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address],
) -> None:
    texts = [t for a in addresses for t in (str(a), a.exploded)]
    rows = _CON.execute(
        "SELECT t, ip_family(t), CAST(ip_value(t) AS VARCHAR) FROM unnest(?::VARCHAR[]) u(t)",
        [texts],
    ).fetchall()
    for text, family, value in rows:
        address = ipaddress.ip_address(text)
        assert (family, int(value)) == (address.version, int(address)), text


@pytest.mark.parametrize(
    "bad", ["256.1.1.1", "1.2.3", "01.2.3.4", "1::2::3", "zz::1", "1:2:3:4:5:6:7:8:9"]
)
def test_address_macros_refuse_malformed_text(bad: str) -> None:
    assert _CON.execute("SELECT ip_value(?)", [bad]).fetchone() == (None,)


def test_route_pieces_agree_with_a_per_address_lookup(sample: Snapshot) -> None:
    """The vectorised routing partition against the generator's brute-force LPM."""
    estate = Estate(sample)
    routes = {r.subnet_id: r.route_table_id for r in subnet_routes(sample)}
    pieces = route_pieces(sample, [t for t in routes.values() if t])
    rng = random.Random(9)
    pool = [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(300)]
    for pl in sample.prefix_lists.values():
        pool += [str(c.network_address + rng.randrange(c.num_addresses)) for c in pl.cidrs]
    for subnet_id, table in sorted(routes.items()):
        if table is None or subnet_id == "subnet-0681f0396fae2649b":
            continue  # prod-isolated: a blackhole route, no NAT to compare
        for address in pool:
            value = int(ipaddress.ip_address(address))
            piece = next(
                p
                for p in pieces
                if p.route_table_id == table and p.family == 4 and p.lo <= value <= p.hi
            )
            kind, nat = estate.route(subnet_id, address)
            assert piece.nat_gateway_id == (nat if kind == "nat" else None), (subnet_id, address)
