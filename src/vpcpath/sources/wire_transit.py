"""Transit gateway wire shapes → model records.

Two families of shapes are read:
- the raw AWS CLI / boto3 answers: ``describe-transit-gateways``,
  ``describe-transit-gateway-route-tables``, ``describe-transit-gateway-attachments`` (whose
  ``Association`` names each attachment's route table), ``describe-transit-gateway-vpc-
  attachments``, ``describe-transit-gateway-peering-attachments``, and the per-table answers
  ``search-transit-gateway-routes`` (``Routes``), ``get-transit-gateway-route-table-
  associations`` (``Associations``) and ``-propagations``
  (``TransitGatewayRouteTablePropagations``), which do not name their table: the table id is
  taken from the file name (``…tgw-rtb-0123….json``);
- the per-table shapes Batfish's AWS collector writes and ``vpcpath snapshot`` writes too:
  ``TransitGatewayStaticRoutes`` / ``TransitGatewayRoutes`` and ``TransitGatewayPropagations``,
  lists of ``{"TransitGatewayRouteTableId": …, "Routes" | "TransitGatewayRouteTablePropagations":
  […]}``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from vpcpath.errors import SourceError
from vpcpath.model import IPNetwork, RouteOrigin, RouteState
from vpcpath.model.transit import (
    AttachmentKind,
    TransitGateway,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)
from vpcpath.sources.wire import Raw, required_str, tags_of

TABLE_ID_RE = re.compile(r"tgw-rtb-[0-9a-f]+")

_KINDS = {k.value: k for k in AttachmentKind}


def _network(value: Any, where: str, field: str) -> IPNetwork:
    try:
        return ipaddress.ip_network(value, strict=False)
    except (ValueError, TypeError) as exc:
        raise SourceError(f"{where}.{field}: {value!r} is not valid ({exc})") from exc


def attachment_kind(value: Any) -> AttachmentKind:
    return _KINDS.get(str(value or "").lower(), AttachmentKind.OTHER)


def parse_transit_gateway(raw: Raw, account: str, region: str, where: str) -> TransitGateway:
    options = raw.get("Options") or {}
    return TransitGateway(
        id=required_str(raw, "TransitGatewayId", where),
        account_id=str(raw.get("OwnerId") or account),
        region=region,
        state=str(raw.get("State", "available")),
        default_association_route_table_id=options.get("AssociationDefaultRouteTableId"),
        default_propagation_route_table_id=options.get("PropagationDefaultRouteTableId"),
        tags=tags_of(raw),
    )


def parse_tgw_route_table(
    raw: Raw, account: str, region: str, where: str
) -> TransitGatewayRouteTable:
    return TransitGatewayRouteTable(
        id=required_str(raw, "TransitGatewayRouteTableId", where),
        transit_gateway_id=required_str(raw, "TransitGatewayId", where),
        account_id=account,
        region=region,
        state=str(raw.get("State", "available")),
        routes_known=False,  # until a route answer for the table is read
        tags=tags_of(raw),
    )


def parse_tgw_route(raw: Raw, where: str, default_origin: RouteOrigin) -> TransitGatewayRoute:
    """One route of ``search-transit-gateway-routes`` (or Batfish's static-route list)."""
    destination: IPNetwork | None = None
    prefix_list_id = raw.get("PrefixListId")
    if raw.get("DestinationCidrBlock"):
        destination = _network(raw["DestinationCidrBlock"], where, "DestinationCidrBlock")
    elif not prefix_list_id:
        raise SourceError(f"{where}: transit gateway route has no destination")
    kind = str(raw.get("Type") or default_origin.value).lower()
    origin = RouteOrigin.PROPAGATED if kind == "propagated" else RouteOrigin.STATIC
    state = RouteState.BLACKHOLE if raw.get("State") == "blackhole" else RouteState.ACTIVE
    targets = raw.get("TransitGatewayAttachments") or []
    attachment_ids = tuple(
        str(t["TransitGatewayAttachmentId"])
        for t in targets
        if isinstance(t, dict) and t.get("TransitGatewayAttachmentId")
    )
    return TransitGatewayRoute(
        destination=destination,
        prefix_list_id=str(prefix_list_id) if prefix_list_id else None,
        attachment_ids=attachment_ids if state is RouteState.ACTIVE else (),
        origin=origin,
        state=state,
    )


@dataclass(frozen=True, slots=True)
class AttachmentFacts:
    """What one wire item says about one side of an attachment; merged by the collector."""

    id: str
    transit_gateway_id: str
    account_id: str
    kind: AttachmentKind | None = None
    resource_id: str | None = None
    resource_owner_id: str | None = None
    state: str | None = None
    association_route_table_id: str | None = None
    subnet_ids: tuple[str, ...] | None = None
    appliance_mode: bool | None = None
    peer_transit_gateway_id: str | None = None
    peer_region: str | None = None
    peer_account_id: str | None = None


def facts_from_attachment(raw: Raw, account: str, where: str) -> AttachmentFacts:
    """An item of ``describe-transit-gateway-attachments``."""
    association = raw.get("Association") or {}
    associated = str(association.get("State", "associated")) == "associated"
    kind = attachment_kind(raw.get("ResourceType"))
    resource_id = str(raw.get("ResourceId") or "")
    return AttachmentFacts(
        id=required_str(raw, "TransitGatewayAttachmentId", where),
        transit_gateway_id=required_str(raw, "TransitGatewayId", where),
        account_id=str(raw.get("TransitGatewayOwnerId") or account),
        kind=kind,
        resource_id=resource_id,
        resource_owner_id=raw.get("ResourceOwnerId"),
        state=str(raw.get("State", "available")),
        association_route_table_id=(
            association.get("TransitGatewayRouteTableId") if associated else None
        ),
        peer_transit_gateway_id=resource_id if kind is AttachmentKind.PEERING else None,
        peer_account_id=raw.get("ResourceOwnerId") if kind is AttachmentKind.PEERING else None,
    )


def facts_from_vpc_attachment(raw: Raw, account: str, where: str) -> AttachmentFacts:
    """An item of ``describe-transit-gateway-vpc-attachments``."""
    options = raw.get("Options") or {}
    return AttachmentFacts(
        id=required_str(raw, "TransitGatewayAttachmentId", where),
        transit_gateway_id=required_str(raw, "TransitGatewayId", where),
        account_id=account,
        kind=AttachmentKind.VPC,
        resource_id=required_str(raw, "VpcId", where),
        resource_owner_id=raw.get("VpcOwnerId"),
        state=str(raw.get("State", "available")),
        subnet_ids=tuple(str(s) for s in raw.get("SubnetIds") or []),
        # Transit Gateway Guide, "Appliance in a shared services VPC" → "Appliance mode".
        appliance_mode=str(options.get("ApplianceModeSupport", "disable")) == "enable",
    )


def facts_from_peering_attachment(raw: Raw, account: str, where: str) -> list[AttachmentFacts]:
    """An item of ``describe-transit-gateway-peering-attachments``: both sides at once."""
    att_id = required_str(raw, "TransitGatewayAttachmentId", where)
    state = str(raw.get("State", "available"))
    sides: list[AttachmentFacts] = []
    infos = (raw.get("RequesterTgwInfo") or {}, raw.get("AccepterTgwInfo") or {})
    for here, there in (infos, infos[::-1]):
        if not here.get("TransitGatewayId"):
            continue
        sides.append(
            AttachmentFacts(
                id=att_id,
                transit_gateway_id=str(here["TransitGatewayId"]),
                account_id=str(here.get("OwnerId") or account),
                kind=AttachmentKind.PEERING,
                resource_id=there.get("TransitGatewayId"),
                resource_owner_id=there.get("OwnerId"),
                state=state,
                peer_transit_gateway_id=there.get("TransitGatewayId"),
                peer_region=there.get("Region"),
                peer_account_id=there.get("OwnerId"),
            )
        )
    return sides


def association_facts(
    raw: Raw, table_id: str, transit_gateway_id: str, where: str
) -> AttachmentFacts:
    """An item of ``get-transit-gateway-route-table-associations`` for ``table_id``."""
    return AttachmentFacts(
        id=required_str(raw, "TransitGatewayAttachmentId", where),
        transit_gateway_id=transit_gateway_id,
        account_id="",
        kind=attachment_kind(raw.get("ResourceType")) if raw.get("ResourceType") else None,
        resource_id=raw.get("ResourceId"),
        association_route_table_id=table_id
        if str(raw.get("State", "associated")) == "associated"
        else None,
    )


def propagation_attachment(raw: Raw, where: str) -> tuple[str, AttachmentKind, str] | None:
    """An enabled propagation: (attachment id, kind, resource id); None when disabled."""
    if str(raw.get("State", "enabled")) != "enabled":
        return None
    return (
        required_str(raw, "TransitGatewayAttachmentId", where),
        attachment_kind(raw.get("ResourceType")),
        str(raw.get("ResourceId") or ""),
    )
