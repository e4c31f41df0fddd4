"""A gateway-endpoint route whose prefix list the snapshot lacks: resolved from ip-ranges (and
said), or a partial answer naming the list — never a silent `no-route`/`internet-gateway`.

The fixture reproduces a snapshot made without `aws ec2 describe-prefix-lists`: the route
table holds `pl-63a5400a → vpce-…` and the endpoint names `com.amazonaws.us-east-1.s3`.
"""

from __future__ import annotations

import json
from ipaddress import ip_network
from pathlib import Path

from tests.contracts import assert_contract
from tests.estate_builder import S3_PL, Estate, to_endpoint, to_igw
from vpcpath.model import Verdict
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.report.explain_json import explanation_to_json
from vpcpath.report.explain_text import render_explanation
from vpcpath.report.style import Style
from vpcpath.routing.explain import explain
from vpcpath.routing.prefix_lists import unresolved_routes
from vpcpath.sources.folder import load_snapshot

PL = S3_PL["us-east-1"]
# A two-entry ip-ranges document: one S3 range of us-east-1, one of another region.
IP_RANGES = {
    "syncToken": "1700000000",
    "createDate": "2023-11-14-22-13-20",
    "prefixes": [
        {
            "ip_prefix": "52.216.0.0/15",
            "region": "us-east-1",
            "service": "S3",
            "network_border_group": "us-east-1",
        },
        {
            "ip_prefix": "52.218.0.0/17",
            "region": "eu-west-1",
            "service": "S3",
            "network_border_group": "eu-west-1",
        },
    ],
    "ipv6_prefixes": [],
}


def _estate(*, with_list: bool, with_ip_ranges: bool) -> tuple[Estate, str, str, str]:
    """A subnet whose table has the S3 endpoint route and a default route to an IGW."""
    e = Estate()
    if with_list:
        e.prefix_lists()
    vpc = e.vpc()
    subnet = e.subnet(vpc, "10.0.0.0/24")
    igw = e.igw(vpc)
    table = e.route_table(vpc, [to_igw("0.0.0.0/0", igw)], subnets=(subnet,))
    vpce = e.gateway_endpoint(vpc, "s3", (table,))
    e.docs["RouteTables"][0]["Routes"].append(to_endpoint(PL, vpce))
    if with_ip_ranges:
        e.extra_files["ip-ranges.json"] = IP_RANGES
    return e, subnet, table, vpce


def test_missing_list_without_ip_ranges_is_partial_and_names_the_list(tmp_path: Path) -> None:
    e, subnet, table, vpce = _estate(with_list=False, with_ip_ranges=False)
    snapshot = load_snapshot(e.write(tmp_path))
    result = explain(snapshot, subnet, "s3", prices=load_bundled_prices())
    leg = result.legs[0]
    # S3 of the table's own region is, by definition, the endpoint's prefix list (DESIGN rule
    # 5), so S3 traffic takes the endpoint even though the list's CIDRs are unknown.
    assert leg.verdict is Verdict.GATEWAY_ENDPOINT
    assert [(h.id, h.type, h.route) for h in leg.paths[0].hops] == [
        (table, "route-table", PL),
        (vpce, "gateway-endpoint", None),
    ]
    expected = (
        f"prefix list {PL} of {vpce} (com.amazonaws.us-east-1.s3) is not in the snapshot, nor "
        "ip-ranges to stand in for it: save `aws ec2 describe-prefix-lists` in us-east-1 (or "
        f"add ip-ranges.json) to know which s3 addresses the route {PL} → {vpce} carries"
    )
    assert result.missing == (expected,)
    assert expected in leg.paths[0].explanation
    doc = explanation_to_json(result)
    assert_contract(doc, "explain-1")
    assert doc["missing"] == [expected]
    assert unresolved_routes(snapshot) == ((table, expected),)


def test_missing_list_makes_an_address_answer_partial_too(tmp_path: Path) -> None:
    e, subnet, _, _ = _estate(with_list=False, with_ip_ranges=False)
    result = explain(load_snapshot(e.write(tmp_path)), subnet, "52.216.8.1")
    # Without the list the address can only be matched against the default route, and the
    # answer says it is incomplete instead of passing that verdict off as certain.
    assert result.legs[0].verdict is Verdict.INTERNET_GATEWAY
    assert len(result.missing) == 1 and PL in result.missing[0]


def test_missing_list_is_resolved_from_ip_ranges_and_said(tmp_path: Path) -> None:
    e, subnet, _, vpce = _estate(with_list=False, with_ip_ranges=True)
    snapshot = load_snapshot(e.write(tmp_path))
    result = explain(snapshot, subnet, "s3")
    leg = result.legs[0]
    assert leg.verdict is Verdict.GATEWAY_ENDPOINT
    assert leg.paths[0].cidrs == (ip_network("52.216.0.0/15"),)
    assert result.missing == ()
    note = (
        f"prefix list {PL} of {vpce} (com.amazonaws.us-east-1.s3) is not in the snapshot: its "
        "addresses are taken from ip-ranges S3 us-east-1 (sync 1700000000), which may list a "
        "few ranges the list lacks"
    )
    assert note in leg.paths[0].explanation
    assert leg.notes == (note,)
    assert f"  note: {note}" in render_explanation(result, Style(color=False)).splitlines()
    # Another region's S3 range is not in this region's list: the default route takes it.
    other = explain(snapshot, subnet, "52.218.1.1").legs[0]
    assert other.verdict is Verdict.INTERNET_GATEWAY
    assert unresolved_routes(snapshot) == ()


def test_saved_list_needs_no_note(tmp_path: Path) -> None:
    e, subnet, _, _ = _estate(with_list=True, with_ip_ranges=False)
    result = explain(load_snapshot(e.write(tmp_path)), subnet, "s3")
    leg = result.legs[0]
    assert leg.verdict is Verdict.GATEWAY_ENDPOINT
    assert result.missing == () and leg.notes == ()
    assert "not in the snapshot" not in leg.paths[0].explanation


def test_customer_list_missing_is_partial(tmp_path: Path) -> None:
    e = Estate()
    vpc = e.vpc()
    subnet = e.subnet(vpc, "10.0.0.0/24")
    igw = e.igw(vpc)
    table = e.route_table(vpc, [to_igw("0.0.0.0/0", igw)], subnets=(subnet,))
    e.docs["RouteTables"][0]["Routes"].append(
        {"DestinationPrefixListId": "pl-0123456abcabcabc1", "GatewayId": igw, "State": "active"}
    )
    snapshot = load_snapshot(e.write(tmp_path))
    result = explain(snapshot, subnet, "10.2.0.1")
    expected = (
        "prefix list pl-0123456abcabcabc1 is not in the snapshot (save `aws ec2 "
        "get-managed-prefix-list-entries --prefix-list-id pl-0123456abcabcabc1` in us-east-1), "
        f"so the route pl-0123456abcabcabc1 → {igw} could not be matched"
    )
    assert result.missing == (expected,)
    assert unresolved_routes(snapshot) == ((table, expected),)
    assert json.dumps(explanation_to_json(result)["missing"]) == json.dumps([expected])
