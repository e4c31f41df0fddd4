"""Every verdict of the vocabulary, each from a purpose-built snapshot read by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contracts import assert_contract
from tests.estate_builder import (
    DDB_PL,
    S3_PL,
    Estate,
    route,
    to_endpoint,
    to_igw,
    to_nat,
)
from vpcpath.model import Verdict
from vpcpath.model.paths import Explanation
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.report.explain_json import explanation_to_json
from vpcpath.routing.explain import explain
from vpcpath.sources.folder import load_snapshot

PRICES = load_bundled_prices()
USE1 = PRICES.for_region("us-east-1")


def _base() -> tuple[Estate, str, str, str, str, str]:
    """A VPC with a public subnet (IGW, NAT in zone a) and a private subnet in zone a."""
    e = Estate()
    e.prefix_lists()
    vpc = e.vpc("10.0.0.0/16", ipv6="2600:1f18:aaaa:bb00::/56")
    public = e.subnet(vpc, "10.0.0.0/24", "a")
    private = e.subnet(vpc, "10.0.16.0/20", "a", ipv6="2600:1f18:aaaa:bb01::/64")
    igw = e.igw(vpc)
    nat = e.nat(vpc, public, "10.0.0.10")
    e.route_table(vpc, [to_igw("0.0.0.0/0", igw)], subnets=(public,))
    return e, vpc, public, private, igw, nat


SEEN: set[Verdict] = set()


def _explain(e: Estate, tmp_path: Path, source: str, dest: str) -> Explanation:
    """Explain, check the JSON contract, and note the verdicts seen."""
    snapshot = load_snapshot(e.write(tmp_path))
    result = explain(snapshot, source, dest, prices=PRICES)
    assert_contract(explanation_to_json(result), "explain-1")
    SEEN.update(leg.verdict for leg in result.legs)
    return result


def test_nat_gateway_verdict_and_price(tmp_path: Path) -> None:
    e, vpc, _, private, igw, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert leg.verdict is Verdict.NAT_GATEWAY
    assert [h.id for h in leg.paths[0].hops][1:] == [nat, leg.paths[0].hops[2].id, igw]
    assert leg.paths[0].hops[1].type == "nat-gateway"
    assert leg.usd_per_gb_in == USE1.nat_gateway_gb
    assert leg.usd_per_gb_out == USE1.nat_gateway_gb  # same-region S3: no egress charge
    assert "gateway endpoint" in (leg.hint or "")


def test_gateway_endpoint_verdict(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    rt = e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    vpce = e.gateway_endpoint(vpc, "s3", (rt,))
    e.docs["RouteTables"][-1]["Routes"].append(to_endpoint(S3_PL["us-east-1"], vpce))
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert leg.verdict is Verdict.GATEWAY_ENDPOINT
    assert [(h.id, h.type) for h in leg.paths[0].hops] == [
        (rt, "route-table"),
        (vpce, "gateway-endpoint"),
    ]
    assert leg.paths[0].hops[0].route == S3_PL["us-east-1"]
    assert (leg.usd_per_gb_in, leg.usd_per_gb_out) == (0.0, 0.0)
    assert leg.hint is None


def test_mixed_when_a_static_route_overrides_part_of_the_endpoint(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    rt = e.route_table(
        vpc, [to_nat("0.0.0.0/0", nat), to_nat("52.216.0.0/16", nat)], subnets=(private,)
    )
    vpce = e.gateway_endpoint(vpc, "s3", (rt,))
    e.docs["RouteTables"][-1]["Routes"].append(to_endpoint(S3_PL["us-east-1"], vpce))
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert leg.verdict is Verdict.MIXED
    by_verdict = {p.verdict: [str(c) for c in p.cidrs] for p in leg.paths}
    assert by_verdict[Verdict.NAT_GATEWAY] == ["52.216.0.0/16"]
    assert by_verdict[Verdict.GATEWAY_ENDPOINT] == ["3.5.0.0/19", "52.217.0.0/16", "54.231.0.0/16"]
    assert leg.usd_per_gb_out == USE1.nat_gateway_gb  # a mixed leg carries its highest price
    assert "52.216.0.0/16" in (leg.hint or "")


def test_main_table_fallback(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    main = e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], main=True)
    result = _explain(e, tmp_path, private, "dynamodb")
    assert result.source.route_table_id == main
    assert result.source.association == "main"
    assert result.legs[0].verdict is Verdict.NAT_GATEWAY


def test_explicit_association_beats_main(tmp_path: Path) -> None:
    e, vpc, _, private, _igw, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], main=True)
    rt = e.route_table(vpc, [], subnets=(private,))
    result = _explain(e, tmp_path, private, "s3")
    assert result.source.route_table_id == rt
    assert result.legs[0].verdict is Verdict.NO_ROUTE


def test_blackhole(tmp_path: Path) -> None:
    e, vpc, _, private, _, _ = _base()
    e.route_table(
        vpc,
        [route("0.0.0.0/0", NatGatewayId="nat-0deleted", State="blackhole")],
        subnets=(private,),
    )
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert leg.verdict is Verdict.BLACKHOLE
    assert leg.usd_per_gb_out == 0.0


def test_public_subnet_to_same_region_s3_is_free(tmp_path: Path) -> None:
    e, _, public, _, _igw, _ = _base()
    leg = _explain(e, tmp_path, public, "s3").legs[0]
    assert leg.verdict is Verdict.INTERNET_GATEWAY
    assert (leg.usd_per_gb_in, leg.usd_per_gb_out) == (0.0, 0.0)  # rule 9


def test_internet_destination_pays_egress(tmp_path: Path) -> None:
    e, vpc, _public, private, _, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    snap_leg = _explain(e, tmp_path, private, "1.1.1.1").legs[0]
    assert snap_leg.name == "ip"
    assert snap_leg.verdict is Verdict.NAT_GATEWAY
    assert snap_leg.usd_per_gb_out == pytest.approx(USE1.nat_gateway_gb + USE1.internet_egress_gb)
    assert snap_leg.usd_per_gb_in == USE1.nat_gateway_gb


def test_local(tmp_path: Path) -> None:
    e, _, public, _, _, _ = _base()
    leg = _explain(e, tmp_path, public, "10.0.20.5").legs[0]
    assert leg.verdict is Verdict.LOCAL


def test_egress_only_internet_gateway_for_ipv6(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    e.route_table(
        vpc,
        [to_nat("0.0.0.0/0", nat), route("::/0", EgressOnlyInternetGatewayId="eigw-1")],
        subnets=(private,),
    )
    leg = _explain(e, tmp_path, private, "2a00:1450:4001::1").legs[0]
    assert leg.verdict is Verdict.EGRESS_ONLY_INTERNET_GATEWAY
    assert leg.usd_per_gb_out == USE1.internet_egress_gb


@pytest.mark.parametrize(
    ("target", "verdict", "last_hop"),
    [
        ({"TransitGatewayId": "tgw-1"}, Verdict.TRANSIT_GATEWAY, ("tgw-1", "transit-gateway")),
        ({"VpcPeeringConnectionId": "pcx-1"}, Verdict.PEERING, ("pcx-1", "peering-connection")),
        (
            {"GatewayId": "vgw-1"},
            Verdict.VIRTUAL_PRIVATE_GATEWAY,
            ("vgw-1", "virtual-private-gateway"),
        ),
        (
            {"NetworkInterfaceId": "eni-0appliance"},
            Verdict.NETWORK_INTERFACE,
            ("eni-0appliance", "network-interface"),
        ),
        # AWS reports an instance route with its ENI too; the instance names it for people.
        (
            {"InstanceId": "i-0firewall", "NetworkInterfaceId": "eni-0fw"},
            Verdict.NETWORK_INTERFACE,
            ("i-0firewall", "instance"),
        ),
        # A vpce- target on a CIDR route is a Gateway Load Balancer endpoint (an appliance).
        (
            {"GatewayId": "vpce-0gwlb"},
            Verdict.NETWORK_INTERFACE,
            ("vpce-0gwlb", "gateway-load-balancer-endpoint"),
        ),
    ],
)
def test_other_targets(
    tmp_path: Path, target: dict[str, str], verdict: Verdict, last_hop: tuple[str, str]
) -> None:
    e, vpc, _, private, _, _ = _base()
    e.route_table(vpc, [route("0.0.0.0/0", **target)], subnets=(private,))
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert leg.verdict is verdict
    hop = leg.paths[0].hops[-1]
    assert (hop.id, hop.type) == last_hop


def test_transit_gateway_is_priced(tmp_path: Path) -> None:
    e, vpc, _, private, _, _ = _base()
    e.route_table(vpc, [route("0.0.0.0/0", TransitGatewayId="tgw-1")], subnets=(private,))
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert (leg.usd_per_gb_in, leg.usd_per_gb_out) == (
        USE1.transit_gateway_gb,
        USE1.transit_gateway_gb,
    )
    assert "gateway endpoint" in (leg.hint or "")


def test_nat_without_onward_route_takes_the_nat_lookup_verdict(tmp_path: Path) -> None:
    e = Estate()
    e.prefix_lists()
    vpc = e.vpc()
    public = e.subnet(vpc, "10.0.0.0/24", "a")
    private = e.subnet(vpc, "10.0.16.0/20", "a")
    nat = e.nat(vpc, public, "10.0.0.10")
    e.route_table(vpc, [], subnets=(public,))  # the NAT's subnet has no default route
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert leg.verdict is Verdict.NO_ROUTE  # rule 6: the NAT's own lookup decides


def test_private_nat_to_internet_gateway_is_dropped(tmp_path: Path) -> None:
    e = Estate()
    e.prefix_lists()
    vpc = e.vpc()
    public = e.subnet(vpc, "10.0.0.0/24", "a")
    private = e.subnet(vpc, "10.0.16.0/20", "a")
    igw = e.igw(vpc)
    nat = e.nat(vpc, public, "10.0.0.10", private=True)
    e.route_table(vpc, [to_igw("0.0.0.0/0", igw)], subnets=(public,))
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    leg = _explain(e, tmp_path, private, "s3").legs[0]
    assert leg.verdict is Verdict.BLACKHOLE
    assert "private NAT gateway" in leg.paths[0].explanation


def test_private_nat_to_transit_gateway_forwards(tmp_path: Path) -> None:
    e = Estate()
    e.prefix_lists()
    vpc = e.vpc()
    nat_subnet = e.subnet(vpc, "10.0.0.0/24", "a")
    private = e.subnet(vpc, "10.0.16.0/20", "a")
    nat = e.nat(vpc, nat_subnet, "10.0.0.10", private=True)
    e.route_table(vpc, [route("0.0.0.0/0", TransitGatewayId="tgw-1")], subnets=(nat_subnet,))
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    leg = _explain(e, tmp_path, private, "192.168.5.5").legs[0]
    assert leg.verdict is Verdict.NAT_GATEWAY
    assert [h.type for h in leg.paths[0].hops] == [
        "route-table",
        "nat-gateway",
        "route-table",
        "transit-gateway",
    ]


def test_cross_az_nat_adds_two_cents(tmp_path: Path) -> None:
    e, vpc, _, _, _, nat = _base()
    other_zone = e.subnet(vpc, "10.0.32.0/20", "b")
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(other_zone,))
    leg = _explain(e, tmp_path, other_zone, "s3").legs[0]
    assert leg.paths[0].facts.nat_cross_az
    assert leg.usd_per_gb_out == pytest.approx(USE1.nat_gateway_gb + 2 * USE1.cross_az_gb)


def test_other_region_s3_falls_to_the_default_route(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    rt = e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    vpce = e.gateway_endpoint(vpc, "s3", (rt,))
    e.docs["RouteTables"][-1]["Routes"].append(to_endpoint(S3_PL["us-east-1"], vpce))
    eu = Estate(region="eu-west-1")
    eu.prefix_lists()
    eu.write(tmp_path)
    leg = _explain(e, tmp_path, private, "s3:eu-west-1").legs[0]
    assert leg.verdict is Verdict.NAT_GATEWAY
    assert "own region only" in leg.paths[0].explanation
    assert leg.usd_per_gb_out == pytest.approx(USE1.nat_gateway_gb + USE1.inter_region_gb)


def test_interface_endpoint_with_private_dns(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    other = e.subnet(vpc, "10.0.32.0/20", "b")
    vpce = e.interface_endpoint(vpc, "ecr.api", {private: "10.0.16.20", other: "10.0.32.20"})
    leg = _explain(e, tmp_path, private, "api.ecr.us-east-1.amazonaws.com").legs[0]
    assert leg.verdict is Verdict.INTERFACE_ENDPOINT
    assert [str(c) for c in leg.paths[0].cidrs] == ["10.0.16.20/32"]  # the ENI in the same zone
    assert leg.paths[0].hops[-1].id == vpce
    assert leg.usd_per_gb_out == USE1.interface_endpoint_gb


def test_interface_endpoint_in_another_zone_pays_cross_az(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    other = e.subnet(vpc, "10.0.32.0/20", "b")
    e.interface_endpoint(vpc, "ecr.dkr", {other: "10.0.32.20"})
    leg = _explain(e, tmp_path, private, "111122223333.dkr.ecr.us-east-1.amazonaws.com").legs[0]
    assert leg.paths[0].facts.endpoint_cross_az
    assert leg.usd_per_gb_out == pytest.approx(USE1.interface_endpoint_gb + 2 * USE1.cross_az_gb)


def test_interface_endpoint_without_private_dns_is_not_used(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    vpce = e.interface_endpoint(vpc, "ecr.api", {private: "10.0.16.20"}, private_dns=False)
    result = _explain(e, tmp_path, private, "ecr")
    assert result.legs[0].verdict is Verdict.NAT_GATEWAY
    assert "private DNS off" in result.legs[0].paths[0].explanation
    # …but its endpoint-specific name reaches it.
    specific = f"{vpce}-abcd1234.api.ecr.us-east-1.vpce.amazonaws.com"
    assert _explain(e, tmp_path, private, specific).legs[0].verdict is Verdict.INTERFACE_ENDPOINT


def test_vpc_dns_attributes_off_disable_private_dns(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    e.interface_endpoint(vpc, "ecr.api", {private: "10.0.16.20"})
    e.extra_files["attr.json"] = {"VpcId": vpc, "EnableDnsHostnames": {"Value": False}}
    leg = _explain(e, tmp_path, private, "api.ecr.us-east-1.amazonaws.com").legs[0]
    assert leg.verdict is Verdict.NAT_GATEWAY


def test_s3_interface_endpoint_inbound_only_keeps_gateway_path(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    rt = e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    vpce = e.gateway_endpoint(vpc, "s3", (rt,))
    e.docs["RouteTables"][-1]["Routes"].append(to_endpoint(S3_PL["us-east-1"], vpce))
    e.interface_endpoint(vpc, "s3", {private: "10.0.16.30"}, inbound_only=True)
    assert _explain(e, tmp_path, private, "s3").legs[0].verdict is Verdict.GATEWAY_ENDPOINT


def test_ecr_is_three_legs(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    rt = e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    vpce = e.gateway_endpoint(vpc, "s3", (rt,))
    e.docs["RouteTables"][-1]["Routes"].append(to_endpoint(S3_PL["us-east-1"], vpce))
    legs = _explain(e, tmp_path, private, "ecr").legs
    assert [(leg.name, leg.verdict) for leg in legs] == [
        ("ecr.api", Verdict.NAT_GATEWAY),
        ("ecr.dkr", Verdict.NAT_GATEWAY),
        ("s3-layers", Verdict.GATEWAY_ENDPOINT),
    ]
    assert legs[1].destination == "111122223333.dkr.ecr.us-east-1.amazonaws.com"
    assert legs[2].destination.startswith("prod-us-east-1-starport-layer-bucket")


def test_dynamodb_prefix_list_route(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    rt = e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    vpce = e.gateway_endpoint(vpc, "dynamodb", (rt,))
    e.docs["RouteTables"][-1]["Routes"].append(to_endpoint(DDB_PL["us-east-1"], vpce))
    leg = _explain(e, tmp_path, private, "dynamodb.us-east-1.amazonaws.com").legs[0]
    assert leg.name == "dynamodb"
    assert leg.verdict is Verdict.GATEWAY_ENDPOINT


def test_sources_eni_instance_and_ip(tmp_path: Path) -> None:
    e, vpc, _, private, _, nat = _base()
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    inst, eni = e.instance(vpc, private, "10.0.17.5")
    root = e.write(tmp_path)
    snapshot = load_snapshot(root)
    for source, kind in (
        (inst, "instance"),
        (eni, "network-interface"),
        ("10.0.17.5", "ip"),
        ("10.0.20.99", "ip"),
    ):
        result = explain(snapshot, source, "s3", prices=PRICES)
        assert (result.source.type, result.source.subnet_id) == (kind, private)


def test_every_verdict_is_produced_by_a_scenario_above() -> None:
    # Runs last in this module (pytest keeps file order): each verdict of the contract's
    # vocabulary came out of at least one purpose-built snapshot.
    assert set(Verdict) == SEEN
