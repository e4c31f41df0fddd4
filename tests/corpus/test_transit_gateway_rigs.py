"""Batfish's transit gateway rigs load and trace as their topology says.

The rigs (batfish/batfish, `projects/batfish/src/test/resources/org/batfish/representation/aws/
test-transit-gateway*`) hold Batfish's collector shapes: `TransitGatewayStaticRoutes` and
`TransitGatewayPropagations` per table, no propagated routes (vpcpath derives them from the
propagating VPC's CIDRs). Each expectation says which raw record decides it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vpcpath.model import Snapshot, Verdict
from vpcpath.model.paths import Path as TracePath
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.routing.explain import explain
from vpcpath.sources.folder import load_snapshot

PRICES = load_bundled_prices()


def _rig(real_world: Path, name: str) -> Snapshot:
    return load_snapshot(real_world / "snapshots" / name)


def _path(snap: Snapshot, source: str, dest: str) -> TracePath:
    (leg,) = explain(snap, source, dest, prices=PRICES).legs
    assert len(leg.paths) == 1, [p.verdict for p in leg.paths]
    return leg.paths[0]


def _ids(path: TracePath, kind: str) -> list[str]:
    return [h.id for h in path.hops if h.type == kind]


def test_single_table_rig_loads_its_tables_and_attachments(real_world: Path) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway")
    # TransitGatewayRouteTables.json: one table, default for association and propagation;
    # TransitGatewayPropagations.json: both VPC attachments propagate into it, so it holds
    # both VPC CIDRs (Vpcs.json: 10.10.0.0/16 and 192.168.0.0/16) as propagated routes.
    (table,) = snap.transit.route_tables.values()
    assert table.id == "tgw-rtb-0fa40c8df355dce6e"
    assert sorted((str(r.destination), r.attachment_ids[0]) for r in table.routes) == [
        ("10.10.0.0/16", "tgw-attach-07f5ec59e9f540021"),
        ("192.168.0.0/16", "tgw-attach-0ae2696617bb06fb4"),
    ]
    # TransitGatewayAttachments.json: the VPN attachment is "deleted".
    vpn = snap.transit.side("tgw-044be4464fcc69aff", "tgw-attach-0d724909ecd7a5961")
    assert vpn is not None and vpn.state == "deleted" and not vpn.is_available


def test_single_table_rig_vpc_a_reaches_vpc_b(real_world: Path) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway")
    # subnet A (10.10.10.0/24, us-east-2c) uses main table rtb-0891861fffaea6d52:
    # 192.168.0.0/16 → tgw-044be4464fcc69aff; the attachment of VPC A is associated with
    # tgw-rtb-0fa40c8df355dce6e, whose propagated 192.168.0.0/16 leads to VPC B's attachment
    # (subnet B, us-east-2b), whose main table rtb-017c36290c9baf017 delivers it locally.
    path = _path(snap, "subnet-006a19c846f047bd7", "192.168.1.10")
    assert path.verdict is Verdict.LOCAL
    assert _ids(path, "transit-gateway-route-table") == ["tgw-rtb-0fa40c8df355dce6e"]
    assert _ids(path, "transit-gateway-attachment") == ["tgw-attach-0ae2696617bb06fb4"]
    assert _ids(path, "route-table") == ["rtb-0891861fffaea6d52", "rtb-017c36290c9baf017"]
    # VPC B's attachment has a subnet in us-east-2b only: the transit gateway crosses zones.
    assert path.facts.transit_cross_az and path.facts.transit_zone_assumed


def test_single_table_rig_vpc_b_reaches_vpc_a(real_world: Path) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway")
    # rtb-017c36290c9baf017: 10.10.0.0/16 → the transit gateway; same table, VPC A's CIDR.
    path = _path(snap, "subnet-0ebf6378a79a3e534", "10.10.10.5")
    assert path.verdict is Verdict.LOCAL
    assert _ids(path, "transit-gateway-attachment") == ["tgw-attach-07f5ec59e9f540021"]


def test_single_table_rig_zone_without_attachment_subnet_is_dropped(real_world: Path) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway")
    # subnet-A2 is in us-east-2a; TransitGatewayVpcAttachments.json gives VPC A's attachment
    # only subnet-006a19c846f047bd7 (us-east-2c): the transit gateway takes nothing from 2a.
    path = _path(snap, "subnet-0b5b8ddd5a69fcfcd", "192.168.1.10")
    assert path.verdict is Verdict.BLACKHOLE
    assert path.hops[-1].id == "tgw-044be4464fcc69aff"


def test_multi_table_rig_each_direction_uses_its_association(real_world: Path) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway-multi-table")
    # TransitGatewayAttachments.json: VPC A's attachment is associated with
    # tgw-rtb-0fa40c8df355dce6e, which only VPC B propagates into; VPC B's with
    # tgw-rtb-096a7119299ab1c42, which only VPC A propagates into.
    a_to_b = _path(snap, "subnet-006a19c846f047bd7", "192.168.1.10")
    b_to_a = _path(snap, "subnet-0ebf6378a79a3e534", "10.10.10.5")
    assert (a_to_b.verdict, b_to_a.verdict) == (Verdict.LOCAL, Verdict.LOCAL)
    assert _ids(a_to_b, "transit-gateway-route-table") == ["tgw-rtb-0fa40c8df355dce6e"]
    assert _ids(b_to_a, "transit-gateway-route-table") == ["tgw-rtb-096a7119299ab1c42"]


def test_asymmetric_rig_goes_and_comes_back_through_different_gateways(
    real_world: Path,
) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway-asymmetric-paths")
    # RouteTables.json: VPC 10.1 sends 10.2.0.0/16 to tgw-01e19888e3ba041ac, VPC 10.2 sends
    # 10.1.0.0/16 to tgw-0a33c739a4f8978a8; each gateway's table associated with the sender
    # holds the other VPC's propagation.
    there = _path(snap, "subnet-0156c57e17070dd17", "10.2.1.9")
    back = _path(snap, "subnet-0b7957a706be58c47", "10.1.1.9")
    assert (there.verdict, back.verdict) == (Verdict.LOCAL, Verdict.LOCAL)
    assert there.facts.transit_gateway_ids == ("tgw-01e19888e3ba041ac",)
    assert back.facts.transit_gateway_ids == ("tgw-0a33c739a4f8978a8",)
    assert _ids(there, "transit-gateway-route-table") == ["tgw-rtb-0ac69a6cb81e20019"]
    assert _ids(back, "transit-gateway-route-table") == ["tgw-rtb-061e69b98b99d5da8"]


def test_multi_account_rig_crosses_accounts(real_world: Path) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway-multi-account")
    # Account 951601349076's VPC (10.2.0.0/16) is attached to 028403472736's transit gateway;
    # the association and the table are in 028403472736's files only.
    path = _path(snap, "subnet-0c2cb08833b3c9921", "10.1.1.9")
    assert path.verdict is Verdict.LOCAL
    assert _ids(path, "transit-gateway-route-table") == ["tgw-rtb-0b2c8eeefcf19371b"]
    assert _ids(path, "transit-gateway-attachment") == ["tgw-attach-0f832eb2ca4a975a4"]
    assert path.hops[-2].id == "rtb-0fef69d4490091932"  # VPC 10.1's table, local route


@pytest.mark.parametrize(
    ("source", "dest", "verdict", "last_table"),
    [
        # us-east-1 tgw-rtb-018a5e572ec3088d1 (associated with VPC 10.20's attachment): static
        # 192.168.0.0/16 → the peering attachment; on us-west-1's side that attachment is
        # associated with tgw-rtb-00be87593fb2cd0ae, where 192.168.0.0/16 is propagated.
        ("subnet-0934a46c6eb5542d9", "192.168.1.10", Verdict.LOCAL, "tgw-rtb-00be87593fb2cd0ae"),
        # VPC 10.10's attachment uses tgw-rtb-05d2952671d1f460a: only 10.10.0.0/16 there.
        ("subnet-06818d8a511df9b3d", "192.168.1.10", Verdict.NO_ROUTE, "tgw-rtb-05d2952671d1f460a"),
        # Back from us-west-1 to 10.20: the peering attachment's us-east-1 side is associated
        # with tgw-rtb-05d2952671d1f460a, which has no route for 10.20.0.0/16.
        ("subnet-0080bd39fe3626e89", "10.20.1.5", Verdict.NO_ROUTE, "tgw-rtb-05d2952671d1f460a"),
        # us-west-1 to 10.10: tgw-rtb-00be87593fb2cd0ae has no route for it.
        ("subnet-0080bd39fe3626e89", "10.10.1.5", Verdict.NO_ROUTE, "tgw-rtb-00be87593fb2cd0ae"),
    ],
)
def test_peering_rig_follows_the_peer_where_its_tables_say(
    real_world: Path, source: str, dest: str, verdict: Verdict, last_table: str
) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway-peering")
    path = _path(snap, source, dest)
    assert path.verdict is verdict
    assert _ids(path, "transit-gateway-route-table")[-1] == last_table


def test_peering_rig_prices_the_inter_region_crossing(real_world: Path) -> None:
    snap = _rig(real_world, "batfish-test-transit-gateway-peering")
    path = _path(snap, "subnet-0934a46c6eb5542d9", "192.168.1.10")
    assert path.facts.transit_inter_region
    region = PRICES.for_region("us-east-1")
    expected = round(region.transit_gateway_gb + region.inter_region_gb, 6)
    assert (path.usd_per_gb_in, path.usd_per_gb_out) == (expected, expected)
