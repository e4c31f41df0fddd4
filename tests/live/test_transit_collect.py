"""`vpcpath snapshot` collects transit gateway route tables (through moto over HTTP) and the
snapshot it writes follows a spoke's traffic through the transit gateway to the egress NAT.

Built in its own region (ca-central-1) so the shared estate of the other live tests is not
touched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from tests.live.estate import ACCOUNT, KEYS
from vpcpath.cli import main
from vpcpath.model import Verdict
from vpcpath.routing.explain import explain
from vpcpath.sources.folder import load_snapshot

REGION = "ca-central-1"


def _hub_and_spoke(moto_url: str) -> dict[str, str]:
    ec2: Any = boto3.client("ec2", region_name=REGION, endpoint_url=moto_url, **KEYS)
    ids: dict[str, str] = {}

    def vpc(cidr: str) -> str:
        return str(ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"])

    def subnet(vpc_id: str, cidr: str) -> str:
        return str(
            ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=f"{REGION}a")[
                "Subnet"
            ]["SubnetId"]
        )

    def table(vpc_id: str, subnet_id: str) -> str:
        rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet_id)
        return str(rt)

    egress = ids["egress"] = vpc("10.40.0.0/16")
    public = subnet(egress, "10.40.0.0/24")
    ids["egress_att_subnet"] = att_subnet = subnet(egress, "10.40.100.0/28")
    igw = ids["igw"] = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=egress)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ids["nat"] = ec2.create_nat_gateway(SubnetId=public, AllocationId=eip)["NatGateway"][
        "NatGatewayId"
    ]
    public_rt = table(egress, public)
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    att_rt = ids["egress_att_rt"] = table(egress, att_subnet)
    ec2.create_route(RouteTableId=att_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)

    spoke = ids["spoke"] = vpc("10.1.0.0/16")
    ids["spoke_subnet"] = spoke_subnet = subnet(spoke, "10.1.0.0/24")
    spoke_rt = ids["spoke_rt"] = table(spoke, spoke_subnet)

    created = ec2.create_transit_gateway()["TransitGateway"]
    tgw = ids["tgw"] = created["TransitGatewayId"]
    ids["tgw_table"] = default = created["Options"]["AssociationDefaultRouteTableId"]

    def attach(vpc_id: str, subnet_id: str) -> str:
        return str(
            ec2.create_transit_gateway_vpc_attachment(
                TransitGatewayId=tgw, VpcId=vpc_id, SubnetIds=[subnet_id]
            )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        )

    ids["spoke_att"] = attach(spoke, spoke_subnet)
    ids["egress_att"] = egress_att = attach(egress, att_subnet)
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="0.0.0.0/0",
        TransitGatewayRouteTableId=default,
        TransitGatewayAttachmentId=egress_att,
    )
    ec2.create_route(RouteTableId=spoke_rt, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=tgw)
    return ids


def test_snapshot_collects_the_tables_and_follows_the_spoke_to_the_egress_nat(
    moto_url: str, aws_env: str, tmp_path: Path
) -> None:
    ids = _hub_and_spoke(moto_url)
    out = tmp_path / "snap"
    assert main(["snapshot", "--out", str(out), "--regions", REGION, "--quiet"]) == 0
    folder = out / ACCOUNT / REGION
    table = ids["tgw_table"]
    static_file = folder / f"search-transit-gateway-routes-static-{table}.json"
    static = json.loads(static_file.read_text())
    assert [r["DestinationCidrBlock"] for r in static["Routes"]] == ["0.0.0.0/0"]
    # moto 5.2.5 stores a static route's attachment as an object, so its answer lists none
    # (AWS lists the route's attachments). Said here so a moto fix is noticed; the file is
    # then given the attachment as AWS would, to trace the collected snapshot end to end.
    assert static["Routes"][0]["TransitGatewayAttachments"] == []
    static["Routes"][0]["TransitGatewayAttachments"] = [
        {
            "ResourceId": ids["egress"],
            "TransitGatewayAttachmentId": ids["egress_att"],
            "ResourceType": "vpc",
        }
    ]
    static_file.write_text(json.dumps(static))
    assert (folder / f"search-transit-gateway-routes-propagated-{table}.json").exists()
    associations = json.loads(
        (folder / f"get-transit-gateway-route-table-associations-{table}.json").read_text()
    )
    assert {a["TransitGatewayAttachmentId"] for a in associations["Associations"]} == {
        ids["spoke_att"],
        ids["egress_att"],
    }
    assert (folder / f"get-transit-gateway-route-table-propagations-{table}.json").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert "ec2:SearchTransitGatewayRoutes" in manifest["iam_actions"]

    snapshot = load_snapshot(out)
    (leg,) = explain(snapshot, ids["spoke_subnet"], "8.8.8.8").legs
    (path,) = leg.paths
    assert path.verdict is Verdict.NAT_GATEWAY
    assert [(h.type, h.id) for h in path.hops] == [
        ("route-table", ids["spoke_rt"]),
        ("transit-gateway", ids["tgw"]),
        ("transit-gateway-route-table", table),
        ("transit-gateway-attachment", ids["egress_att"]),
        ("subnet", ids["egress_att_subnet"]),
        ("route-table", ids["egress_att_rt"]),
        ("nat-gateway", ids["nat"]),
        (path.hops[7].type, path.hops[7].id),  # the egress public table
        ("internet-gateway", ids["igw"]),
    ]
