"""Transit gateway routing, scenario by scenario, from snapshot folders read by the loader.

Prices are read from the bundled price table file itself (not through the product's rate
functions), so a pricing bug cannot hide behind the code it would be judged by.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tests.contracts import assert_contract
from tests.estate_builder import S3_PL, Estate, to_endpoint
from tests.routing.hub_and_spoke import hub_and_spoke
from tests.transit_builder import (
    other_attachment,
    propagation,
    tgw,
    tgw_route,
    tgw_table,
    to_tgw,
    vpc_attachment,
)
from vpcpath.model import Verdict
from vpcpath.model.enums import HopType
from vpcpath.model.paths import Explanation
from vpcpath.model.paths import Path as TracePath
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.report.explain_json import explanation_to_json
from vpcpath.routing.explain import explain
from vpcpath.sources.folder import load_snapshot

PRICES = load_bundled_prices()
_RAW = json.loads(
    (resources.files("vpcpath.pricing") / "data" / "prices.json").read_text(encoding="utf-8")
)["regions"]["us-east-1"]
NAT = _RAW["nat_gateway_gb"]
TGW = _RAW["transit_gateway_gb"]
CROSS = 2 * _RAW["cross_az_gb"]  # billed on each side of the crossing
INTER_REGION = _RAW["inter_region_gb"]


def _explain(e: Estate, tmp_path: Path, source: str, dest: str) -> Explanation:
    snapshot = load_snapshot(e.write(tmp_path))
    result = explain(snapshot, source, dest, prices=PRICES)
    assert_contract(explanation_to_json(result), "explain-1")
    return result


def _only(result: Explanation) -> TracePath:
    (leg,) = result.legs
    assert len(leg.paths) == 1, [p.verdict for p in leg.paths]
    return leg.paths[0]


def _s3_endpoint(e: Estate, vpc: str, table: str) -> str:
    vpce = e.gateway_endpoint(vpc, "s3", (table,))
    rt = next(t for t in e.docs["RouteTables"] if t["RouteTableId"] == table)
    rt["Routes"].append(to_endpoint(S3_PL[e.region], vpce))
    return vpce


def _hops(path: TracePath) -> list[tuple[str, str]]:
    return [(h.type, h.id) for h in path.hops]


def test_centralized_egress_s3_goes_through_tgw_and_the_egress_nat(tmp_path: Path) -> None:
    h = hub_and_spoke()
    path = _only(_explain(h.estate, tmp_path, h.spoke1_a, "s3"))
    assert path.verdict is Verdict.NAT_GATEWAY
    assert _hops(path) == [
        ("route-table", h.spoke1_rt),
        ("transit-gateway", h.tgw),
        ("transit-gateway-route-table", h.spokes_table),
        ("transit-gateway-attachment", h.egress_att),
        ("subnet", h.egress_att_subnets["a"]),
        ("route-table", h.egress_att_tables["a"]),
        ("nat-gateway", h.nats["a"]),
        ("route-table", h.public_table),
        ("internet-gateway", h.igw),
    ]
    assert path.hops[2].route == "0.0.0.0/0"
    assert path.facts.transit_gateway_ids == (h.tgw,)
    assert not path.facts.transit_cross_az and not path.facts.nat_cross_az
    assert (path.usd_per_gb_in, path.usd_per_gb_out) == (round(NAT + TGW, 6),) * 2


def test_zone_affinity_same_zone_costs_no_crossing(tmp_path: Path) -> None:
    h = hub_and_spoke()
    path = _only(_explain(h.estate, tmp_path, h.spoke2_b, "s3"))
    assert path.verdict is Verdict.NAT_GATEWAY
    assert ("subnet", h.egress_att_subnets["b"]) in _hops(path)
    assert ("nat-gateway", h.nats["b"]) in _hops(path)
    assert not path.facts.transit_zone_assumed
    assert path.usd_per_gb_out == round(NAT + TGW, 6)


def test_zone_without_egress_subnet_crosses_zones_and_says_aws_picks(tmp_path: Path) -> None:
    h = hub_and_spoke()
    result = _explain(h.estate, tmp_path, h.spoke2_c, "s3")
    path = _only(result)
    assert path.verdict is Verdict.NAT_GATEWAY
    # Said under the leg too, not only in the path's explanation.
    assert result.legs[0].notes == (
        f"{h.egress_att} has no subnet in us-east-1c: AWS picks one of its zones — vpcpath "
        f"assumes us-east-1a ({h.egress_att_subnets['a']}), so the bytes cross zones",
    )
    # The egress attachment has subnets in a and b only: AWS picks; vpcpath names zone a.
    assert ("subnet", h.egress_att_subnets["a"]) in _hops(path)
    assert path.facts.transit_cross_az and path.facts.transit_zone_assumed
    assert not path.facts.nat_cross_az  # NAT a serves the zone-a attachment subnet
    assert "AWS picks one of its zones" in path.explanation
    assert (path.usd_per_gb_in, path.usd_per_gb_out) == (round(NAT + TGW + CROSS, 6),) * 2


def test_appliance_mode_is_said_and_keeps_the_same_zone_answer(tmp_path: Path) -> None:
    h = hub_and_spoke(appliance_mode=True)
    path = _only(_explain(h.estate, tmp_path, h.spoke2_b, "s3"))
    assert ("subnet", h.egress_att_subnets["b"]) in _hops(path)
    assert path.facts.transit_zone_assumed
    assert "appliance mode is on" in path.explanation
    without = hub_and_spoke()
    plain = _only(_explain(without.estate, tmp_path / "plain", without.spoke2_b, "s3"))
    assert "appliance mode" not in plain.explanation
    assert not plain.facts.transit_zone_assumed


def test_gateway_endpoint_in_the_egress_vpc_does_not_serve_spoke_traffic(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    vpce = _s3_endpoint(e, h.egress, h.egress_att_tables["a"])
    path = _only(_explain(e, tmp_path, h.spoke1_a, "s3"))
    assert path.verdict is Verdict.BLACKHOLE
    assert path.hops[-1].id == vpce
    assert "do not serve traffic from outside their VPC" in path.explanation


def test_gateway_endpoint_on_the_nat_table_still_pays_nat_and_tgw(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    _s3_endpoint(e, h.egress, h.public_table)
    path = _only(_explain(e, tmp_path, h.spoke1_a, "s3"))
    assert path.verdict is Verdict.NAT_GATEWAY
    assert path.usd_per_gb_out == round(NAT + TGW, 6)


def test_gateway_endpoint_in_the_spoke_is_free(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    vpce = _s3_endpoint(e, h.spoke1, h.spoke1_rt)
    path = _only(_explain(e, tmp_path, h.spoke1_a, "s3"))
    assert path.verdict is Verdict.GATEWAY_ENDPOINT
    assert path.hops[-1].id == vpce
    assert (path.usd_per_gb_in, path.usd_per_gb_out) == (0.0, 0.0)


def test_association_not_propagation_decides_the_lookup(tmp_path: Path) -> None:
    """The spoke's attachment propagates into the egress table, but is associated with the
    spokes table: its packets are looked up there, not in the table it propagates to."""
    h = hub_and_spoke()
    path = _only(_explain(h.estate, tmp_path, h.spoke1_a, "10.2.16.5"))
    # The spokes table has only 0.0.0.0/0 → egress; spoke-2's CIDR is in the egress table.
    assert path.hops[2].id == h.spokes_table
    assert path.hops[2].route == "0.0.0.0/0"
    assert ("transit-gateway-attachment", h.egress_att) in _hops(path)


def test_propagated_route_reaches_the_spoke_from_the_egress_vpc(tmp_path: Path) -> None:
    h = hub_and_spoke()
    public_subnet = h.estate.docs["Subnets"][0]["SubnetId"]  # egress public subnet, zone a
    path = _only(_explain(h.estate, tmp_path, public_subnet, "10.1.0.9"))
    assert path.verdict is Verdict.LOCAL
    assert path.hops[2] == path.hops[2].__class__(
        id=h.egress_table,
        type=HopType.TRANSIT_GATEWAY_ROUTE_TABLE,
        route="10.1.0.0/16",
        detail=f"10.1.0.0/16 → {h.spoke1_att} (propagated)",
    )
    assert path.usd_per_gb_out == round(TGW, 6)


def test_static_beats_propagated_for_the_same_cidr(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    # Egress table: static 10.1.0.0/16 → spoke-2's attachment beats spoke-1's propagation.
    tgw_route(e, h.egress_table, "10.1.0.0/16", h.spoke2_att)
    public_subnet = e.docs["Subnets"][0]["SubnetId"]
    path = _only(_explain(e, tmp_path, public_subnet, "10.1.0.9"))
    assert path.hops[2].detail == f"10.1.0.0/16 → {h.spoke2_att} (static)"
    assert ("transit-gateway-attachment", h.spoke2_att) in _hops(path)
    # The packet lands in spoke-2, which has no route for 10.1.0.9 but its 0.0.0.0/0 → tgw:
    # back to the spokes table → egress again, the egress table again: a loop.
    assert path.verdict is Verdict.BLACKHOLE
    assert "routing loop" in path.explanation


def test_more_specific_propagated_beats_static_default(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    propagation(e, h.spokes_table, h.spoke2_att, h.spoke2)
    path = _only(_explain(e, tmp_path, h.spoke1_a, "10.2.16.5"))
    assert path.hops[2].route == "10.2.0.0/16"
    assert path.verdict is Verdict.LOCAL
    assert ("transit-gateway-attachment", h.spoke2_att) in _hops(path)


def test_blackhole_route_in_the_tgw_table_drops(tmp_path: Path) -> None:
    h = hub_and_spoke()
    tgw_route(h.estate, h.spokes_table, "52.216.0.0/15", None)
    leg = _explain(h.estate, tmp_path, h.spoke1_a, "52.216.10.10").legs[0]
    assert leg.verdict is Verdict.BLACKHOLE
    assert leg.paths[0].hops[-1].type == "transit-gateway-route-table"
    assert leg.paths[0].hops[-1].route == "52.216.0.0/15"


def test_tgw_table_without_a_default_route_has_no_route_for_s3(tmp_path: Path) -> None:
    e = Estate()
    e.prefix_lists()
    tgw_id = tgw(e)
    table = tgw_table(e, tgw_id)
    a = e.vpc("10.1.0.0/16")
    a_sub = e.subnet(a, "10.1.0.0/24", "a")
    e.route_table(a, [to_tgw("0.0.0.0/0", tgw_id)], subnets=(a_sub,), vpc_cidr="10.1.0.0/16")
    b = e.vpc("10.2.0.0/16")
    b_sub = e.subnet(b, "10.2.0.0/24", "a")
    e.route_table(b, [], subnets=(b_sub,), vpc_cidr="10.2.0.0/16")
    att_a = vpc_attachment(e, tgw_id, a, (a_sub,), table=table)
    att_b = vpc_attachment(e, tgw_id, b, (b_sub,), table=table)
    propagation(e, table, att_a, a)
    propagation(e, table, att_b, b)
    s3 = _explain(e, tmp_path, a_sub, "s3").legs[0]
    assert s3.verdict is Verdict.NO_ROUTE
    assert s3.paths[0].hops[-1].id == table and s3.paths[0].hops[-1].route is None
    assert "has no route for" in s3.paths[0].explanation
    # The same table carries VPC to VPC traffic by propagation.
    assert _only(_explain(e, tmp_path / "2", a_sub, "10.2.0.7")).verdict is Verdict.LOCAL


def test_source_zone_without_attachment_subnet_is_dropped(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    stray = e.subnet(h.spoke1, "10.1.64.0/20", "b")  # spoke-1 attaches in zone a only
    e.route_table(h.spoke1, [to_tgw("0.0.0.0/0", h.tgw)], subnets=(stray,), vpc_cidr="10.1.0.0/16")
    path = _only(_explain(e, tmp_path, stray, "s3"))
    assert path.verdict is Verdict.BLACKHOLE
    assert "has no subnet in us-east-1b" in path.explanation


def test_vpn_attachment_is_a_terminal_hop(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    vpn_att = other_attachment(e, h.tgw, "vpn", "vpn-0123456789abcdef0")
    tgw_route(e, h.spokes_table, "192.168.0.0/16", vpn_att, resource_type="vpn")
    path = _only(_explain(e, tmp_path, h.spoke1_a, "192.168.4.4"))
    assert path.verdict is Verdict.TRANSIT_GATEWAY
    assert path.hops[-1].type == "vpn-connection" and path.hops[-1].id == vpn_att
    assert path.usd_per_gb_out == round(TGW, 6)


def test_peering_attachment_without_the_peer_is_terminal(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    peer_att = other_attachment(e, h.tgw, "peering", "tgw-0aaaaaaaaaaaaaaaa")
    e.docs.setdefault("TransitGatewayPeeringAttachments", []).append(
        {
            "TransitGatewayAttachmentId": peer_att,
            "RequesterTgwInfo": {"TransitGatewayId": h.tgw, "Region": "us-east-1"},
            "AccepterTgwInfo": {
                "TransitGatewayId": "tgw-0aaaaaaaaaaaaaaaa",
                "Region": "eu-west-1",
                "OwnerId": "999988887777",
            },
            "State": "available",
        }
    )
    tgw_route(e, h.spokes_table, "172.31.0.0/16", peer_att, resource_type="peering")
    path = _only(_explain(e, tmp_path, h.spoke1_a, "172.31.0.1"))
    assert path.verdict is Verdict.TRANSIT_GATEWAY
    assert path.hops[-1].type == "transit-gateway-peering"
    assert path.hops[-1].detail == "tgw-0aaaaaaaaaaaaaaaa in eu-west-1"
    assert path.facts.transit_inter_region
    expected = round(TGW + INTER_REGION, 6)
    assert (path.usd_per_gb_in, path.usd_per_gb_out) == (expected, expected)


def test_raw_per_table_answers_named_after_their_table(tmp_path: Path) -> None:
    """`search-transit-gateway-routes` and `get-…-associations` as the AWS CLI prints them."""
    e = Estate()
    tgw_id = tgw(e)
    table = "tgw-rtb-0123456789abcdef0"
    e._add(
        "TransitGatewayRouteTables",
        {"TransitGatewayRouteTableId": table, "TransitGatewayId": tgw_id, "State": "available"},
    )
    a = e.vpc("10.1.0.0/16")
    a_sub = e.subnet(a, "10.1.0.0/24", "a")
    e.route_table(a, [to_tgw("10.2.0.0/16", tgw_id)], subnets=(a_sub,), vpc_cidr="10.1.0.0/16")
    b = e.vpc("10.2.0.0/16")
    b_sub = e.subnet(b, "10.2.0.0/24", "a")
    e.route_table(b, [], subnets=(b_sub,), vpc_cidr="10.2.0.0/16")
    att_a = vpc_attachment(e, tgw_id, a, (a_sub,))  # no Association in the attachment list
    att_b = vpc_attachment(e, tgw_id, b, (b_sub,))
    e.extra_files[f"search-transit-gateway-routes-{table}.json"] = {
        "Routes": [
            {
                "DestinationCidrBlock": "10.2.0.0/16",
                "TransitGatewayAttachments": [
                    {"ResourceId": b, "TransitGatewayAttachmentId": att_b, "ResourceType": "vpc"}
                ],
                "Type": "propagated",
                "State": "active",
            }
        ],
        "AdditionalRoutesAvailable": False,
    }
    e.extra_files[f"get-transit-gateway-route-table-associations-{table}.json"] = {
        "Associations": [
            {
                "TransitGatewayAttachmentId": att_a,
                "ResourceId": a,
                "ResourceType": "vpc",
                "State": "associated",
            }
        ]
    }
    path = _only(_explain(e, tmp_path, a_sub, "10.2.0.7"))
    assert path.verdict is Verdict.LOCAL
    assert path.hops[2].id == table and path.hops[2].route == "10.2.0.0/16"
    assert path.hops[3].id == att_b


def test_prefix_list_route_in_a_tgw_table(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    vpn_att = other_attachment(e, h.tgw, "vpn", "vpn-0123456789abcdef0")
    entry = next(
        t
        for t in e.docs["TransitGatewayStaticRoutes"]
        if t["TransitGatewayRouteTableId"] == h.spokes_table
    )
    entry["Routes"].append(
        {
            "PrefixListId": S3_PL["us-east-1"],
            "Type": "static",
            "State": "active",
            "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": vpn_att}],
        }
    )
    leg = _explain(e, tmp_path, h.spoke1_a, "s3").legs[0]
    assert leg.verdict is Verdict.TRANSIT_GATEWAY
    assert {p.hops[2].route for p in leg.paths} == {S3_PL["us-east-1"]}
    assert leg.paths[0].hops[-1].id == vpn_att
