"""Transit gateways for `tests.estate_builder.Estate`, in the wire shapes AWS and Batfish write.

Route tables, attachments and propagations go into the estate's documents as
`describe-transit-gateway-*` answers; routes and propagations in Batfish's per-table shapes
(`TransitGatewayStaticRoutes`, `TransitGatewayPropagations`). Tests of the other shapes
(vpcpath's `TransitGatewayRoutes`, raw per-table answers) write those files themselves.
"""

from __future__ import annotations

from typing import Any

from tests.estate_builder import Estate, new_id, route


def tgw(e: Estate, *, account: str | None = None) -> str:
    tgw_id = new_id("tgw")
    e._add(
        "TransitGateways",
        {
            "TransitGatewayId": tgw_id,
            "OwnerId": account or e.account,
            "State": "available",
            "Options": {"DefaultRouteTableAssociation": "disable"},
        },
    )
    return tgw_id


def tgw_table(e: Estate, tgw_id: str) -> str:
    table_id = new_id("tgw-rtb")
    e._add(
        "TransitGatewayRouteTables",
        {"TransitGatewayRouteTableId": table_id, "TransitGatewayId": tgw_id, "State": "available"},
    )
    e._add("TransitGatewayStaticRoutes", {"TransitGatewayRouteTableId": table_id, "Routes": []})
    return table_id


def vpc_attachment(
    e: Estate,
    tgw_id: str,
    vpc_id: str,
    subnets: tuple[str, ...],
    *,
    table: str | None = None,
    appliance_mode: bool = False,
    state: str = "available",
) -> str:
    att = new_id("tgw-attach")
    item: dict[str, Any] = {
        "TransitGatewayAttachmentId": att,
        "TransitGatewayId": tgw_id,
        "TransitGatewayOwnerId": e.account,
        "ResourceOwnerId": e.account,
        "ResourceType": "vpc",
        "ResourceId": vpc_id,
        "State": state,
    }
    if table:
        item["Association"] = {"TransitGatewayRouteTableId": table, "State": "associated"}
    e._add("TransitGatewayAttachments", item)
    e._add(
        "TransitGatewayVpcAttachments",
        {
            "TransitGatewayAttachmentId": att,
            "TransitGatewayId": tgw_id,
            "VpcId": vpc_id,
            "VpcOwnerId": e.account,
            "State": state,
            "SubnetIds": list(subnets),
            "Options": {
                "DnsSupport": "enable",
                "ApplianceModeSupport": "enable" if appliance_mode else "disable",
            },
        },
    )
    return att


def other_attachment(
    e: Estate, tgw_id: str, kind: str, resource: str, *, table: str | None = None
) -> str:
    """A VPN, Direct Connect gateway, Connect or peering attachment (as AWS lists it)."""
    att = new_id("tgw-attach")
    item: dict[str, Any] = {
        "TransitGatewayAttachmentId": att,
        "TransitGatewayId": tgw_id,
        "TransitGatewayOwnerId": e.account,
        "ResourceType": kind,
        "ResourceId": resource,
        "State": "available",
    }
    if table:
        item["Association"] = {"TransitGatewayRouteTableId": table, "State": "associated"}
    e._add("TransitGatewayAttachments", item)
    return att


def tgw_route(
    e: Estate,
    table: str,
    cidr: str,
    attachment: str | None,
    *,
    kind: str = "static",
    resource_type: str = "vpc",
) -> None:
    """A route in Batfish's static-route shape; ``attachment=None`` makes a blackhole."""
    entry = next(
        t for t in e.docs["TransitGatewayStaticRoutes"] if t["TransitGatewayRouteTableId"] == table
    )
    item: dict[str, Any] = {
        "DestinationCidrBlock": cidr,
        "Type": kind,
        "State": "active" if attachment else "blackhole",
    }
    if attachment:
        item["TransitGatewayAttachments"] = [
            {"TransitGatewayAttachmentId": attachment, "ResourceType": resource_type}
        ]
    entry["Routes"].append(item)


def propagation(e: Estate, table: str, attachment: str, vpc_id: str) -> None:
    """A propagation in Batfish's shape (the routes are then the VPC's CIDRs)."""
    for entry in e.docs.setdefault("TransitGatewayPropagations", []):
        if entry["TransitGatewayRouteTableId"] == table:
            break
    else:
        entry = {"TransitGatewayRouteTableId": table, "TransitGatewayRouteTablePropagations": []}
        e.docs["TransitGatewayPropagations"].append(entry)
    entry["TransitGatewayRouteTablePropagations"].append(
        {
            "TransitGatewayAttachmentId": attachment,
            "ResourceId": vpc_id,
            "ResourceType": "vpc",
            "State": "enabled",
        }
    )


def to_tgw(cidr: str, tgw_id: str) -> dict[str, Any]:
    return route(cidr, TransitGatewayId=tgw_id)
