"""The folder loader reads transit gateway answers in AWS's and Batfish's shapes."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import pytest

from tests.estate_builder import Estate
from tests.transit_builder import propagation, tgw, tgw_route, tgw_table, vpc_attachment
from vpcpath.errors import SourceError
from vpcpath.model import RouteOrigin, RouteState
from vpcpath.model.transit import AttachmentKind, TransitGatewayRoute
from vpcpath.sources.folder import load_snapshot


def _estate() -> tuple[Estate, str, str, str, str]:
    e = Estate()
    tgw_id = tgw(e)
    table = tgw_table(e, tgw_id)
    vpc = e.vpc("10.1.0.0/16", ipv6="2600:1f18:aaaa:bb00::/56")
    sub = e.subnet(vpc, "10.1.0.0/24", "a")
    att = vpc_attachment(e, tgw_id, vpc, (sub,), table=table, appliance_mode=True)
    return e, tgw_id, table, vpc, att


def test_batfish_shapes_give_static_and_derived_propagated_routes(tmp_path: Path) -> None:
    e, tgw_id, table, vpc, att = _estate()
    tgw_route(e, table, "0.0.0.0/0", att)
    tgw_route(e, table, "192.168.0.0/16", None)
    propagation(e, table, att, vpc)
    snap = load_snapshot(e.write(tmp_path))
    rt = snap.transit.route_tables[table]
    assert rt.transit_gateway_id == tgw_id and rt.routes_known
    assert rt.routes == (
        TransitGatewayRoute(destination=ip_network("0.0.0.0/0"), attachment_ids=(att,)),
        TransitGatewayRoute(destination=ip_network("192.168.0.0/16"), state=RouteState.BLACKHOLE),
        TransitGatewayRoute(
            destination=ip_network("10.1.0.0/16"),
            attachment_ids=(att,),
            origin=RouteOrigin.PROPAGATED,
        ),
        TransitGatewayRoute(
            destination=ip_network("2600:1f18:aaaa:bb00::/56"),
            attachment_ids=(att,),
            origin=RouteOrigin.PROPAGATED,
        ),
    )
    side = snap.transit.side(tgw_id, att)
    assert side is not None
    assert (side.kind, side.resource_id, side.association_route_table_id) == (
        AttachmentKind.VPC,
        vpc,
        table,
    )
    assert side.appliance_mode and side.subnet_ids == (e.docs["Subnets"][0]["SubnetId"],)
    assert snap.transit.attachment_for_vpc(tgw_id, vpc) == att


def test_propagation_from_a_vpc_outside_the_snapshot_is_reported(tmp_path: Path) -> None:
    e, _, table, _, _ = _estate()
    propagation(e, table, "tgw-attach-0ffffffffffffffff", "vpc-0ffffffffffffffff")
    snap = load_snapshot(e.write(tmp_path))
    assert (
        f"{table}/tgw-attach-0ffffffffffffffff",
        "propagated routes unknown: vpc-0ffffffffffffffff is not in the snapshot",
    ) in snap.notes.skipped
    assert snap.transit.route_tables[table].routes == ()


def test_vpcpath_shape_lists_propagated_routes_so_none_are_derived(tmp_path: Path) -> None:
    e, _, table, vpc, att = _estate()
    propagation(e, table, att, vpc)
    del e.docs["TransitGatewayStaticRoutes"]
    e.docs["TransitGatewayRoutes"] = [{"TransitGatewayRouteTableId": table, "Routes": []}]
    snap = load_snapshot(e.write(tmp_path))
    rt = snap.transit.route_tables[table]
    assert rt.routes == () and rt.routes_known
    assert rt.propagating_attachment_ids == frozenset({att})


def test_table_without_route_answer_is_unknown_not_empty(tmp_path: Path) -> None:
    e, _, table, _, _ = _estate()
    del e.docs["TransitGatewayStaticRoutes"]
    snap = load_snapshot(e.write(tmp_path))
    assert not snap.transit.route_tables[table].routes_known
    assert (table, "no search-transit-gateway-routes answer: its routes are unknown") in (
        snap.notes.skipped
    )


def test_bad_cidr_names_the_file_and_place(tmp_path: Path) -> None:
    e, _, table, _, att = _estate()
    tgw_route(e, table, "10.300.0.0/16", att)
    with pytest.raises(
        SourceError,
        match=r"TransitGatewayStaticRoutes\.json: "
        r"TransitGatewayStaticRoutes\[0\]\.Routes\[0\]\.DestinationCidrBlock",
    ):
        load_snapshot(e.write(tmp_path))


def test_peering_attachment_has_one_side_per_transit_gateway(tmp_path: Path) -> None:
    e = Estate()
    tgw_id = tgw(e)
    e.docs["TransitGatewayPeeringAttachments"] = [
        {
            "TransitGatewayAttachmentId": "tgw-attach-0123456789abcdef0",
            "RequesterTgwInfo": {"TransitGatewayId": tgw_id, "Region": "us-east-1"},
            "AccepterTgwInfo": {"TransitGatewayId": "tgw-0bbbbbbbbbbbbbbbb", "Region": "eu-west-1"},
            "State": "available",
        }
    ]
    e.vpc("10.0.0.0/16")
    snap = load_snapshot(e.write(tmp_path))
    here = snap.transit.side(tgw_id, "tgw-attach-0123456789abcdef0")
    there = snap.transit.side("tgw-0bbbbbbbbbbbbbbbb", "tgw-attach-0123456789abcdef0")
    assert here is not None and there is not None
    assert (here.peer_transit_gateway_id, here.peer_region) == (
        "tgw-0bbbbbbbbbbbbbbbb",
        "eu-west-1",
    )
    assert (there.peer_transit_gateway_id, there.peer_region) == (tgw_id, "us-east-1")
