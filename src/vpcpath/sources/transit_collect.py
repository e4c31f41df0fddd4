"""Gather transit gateway answers from a snapshot folder into one ``TransitNetwork``.

The folder loader hands every transit gateway key here (``TRANSIT_KEYS``, and
``TransitGatewayAttachments``, which the loader also keeps as plain attachments). Pieces of one
attachment side come from several answers (attachments, VPC attachments, peering attachments,
association lists) and are merged field by field.

Propagated routes: ``search-transit-gateway-routes --filters Name=type,Values=propagated`` lists
them; Batfish's collector records only the propagations. Without the listing, a VPC
attachment's propagation stands for the VPC's CIDR blocks (Transit Gateway Guide, "Transit
gateway route tables" → "Route propagation": "the VPC CIDR blocks are propagated"); routes that
a VPN, Direct Connect or Connect attachment learns over BGP are not in any describe answer and
are reported as missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from vpcpath.errors import SourceError
from vpcpath.model import IPNetwork, RouteOrigin, Vpc
from vpcpath.model.transit import (
    AttachmentKind,
    TransitGateway,
    TransitGatewayAttachmentSide,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    TransitNetwork,
)
from vpcpath.sources import wire_transit as wt
from vpcpath.sources.wire import required_str

TRANSIT_KEYS = frozenset(
    {
        "TransitGateways",
        "TransitGatewayRouteTables",
        "TransitGatewayAttachments",
        "TransitGatewayVpcAttachments",
        "TransitGatewayPeeringAttachments",
        "TransitGatewayStaticRoutes",
        "TransitGatewayRoutes",
        "TransitGatewayPropagations",
    }
)
# Keys of the per-table answers that do not name their table (taken from the file name).
PER_TABLE_KEYS = frozenset(
    {
        "Routes",
        "AdditionalRoutesAvailable",
        "Associations",
        "TransitGatewayRouteTablePropagations",
    }
)
# A route search answer lists one type completely when its file says which (vpcpath snapshot
# names them ``search-transit-gateway-routes-static-<table>.json`` / ``-propagated-``).
_LISTED_BY_NAME = {"-static-": RouteOrigin.STATIC, "-propagated-": RouteOrigin.PROPAGATED}


def _vpc_cidrs(vpc: Vpc) -> tuple[IPNetwork, ...]:
    return (*vpc.cidrs, *vpc.ipv6_cidrs)


def _items(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SourceError(f"{where}: expected a list of objects")
    return value


@dataclass(slots=True)
class TransitCollector:
    """Mutable accumulator used only while loading."""

    gateways: dict[str, TransitGateway] = field(default_factory=dict)
    tables: dict[str, TransitGatewayRouteTable] = field(default_factory=dict)
    routes: dict[str, list[TransitGatewayRoute]] = field(default_factory=dict)
    listed: dict[str, set[RouteOrigin]] = field(default_factory=dict)
    propagations: dict[str, dict[str, tuple[AttachmentKind, str]]] = field(default_factory=dict)
    facts: list[tuple[wt.AttachmentFacts, str]] = field(default_factory=list)
    table_associations: list[tuple[str, wt.AttachmentFacts, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def accepts(self, key: str, rel: str) -> bool:
        """Whether ``key`` of file ``rel`` is a transit gateway answer this collector reads."""
        return key in TRANSIT_KEYS or (
            key in PER_TABLE_KEYS and wt.TABLE_ID_RE.search(rel) is not None
        )

    def add(self, key: str, value: Any, rel: str, account: str, region: str) -> None:
        if key == "AdditionalRoutesAvailable":
            if value is True:
                self.skipped.append(
                    (
                        rel,
                        "the route search was cut off (AdditionalRoutesAvailable): the table "
                        "has more routes than the snapshot holds",
                    )
                )
            return
        items = _items(value, f"{rel}: {key}")
        if key in PER_TABLE_KEYS:
            self._add_per_table(key, items, rel, f"{rel}: {key}")
            return
        for i, raw in enumerate(items):
            where = f"{rel}: {key}[{i}]"
            self._add_one(key, raw, rel, account, region, where)

    def _add_one(
        self, key: str, raw: dict[str, Any], rel: str, account: str, region: str, where: str
    ) -> None:
        if key == "TransitGateways":
            tgw = wt.parse_transit_gateway(raw, account, region, where)
            self.gateways.setdefault(tgw.id, tgw)
        elif key == "TransitGatewayRouteTables":
            table = wt.parse_tgw_route_table(raw, account, region, where)
            self.tables.setdefault(table.id, table)
        elif key == "TransitGatewayAttachments":
            self.facts.append((wt.facts_from_attachment(raw, account, where), region))
        elif key == "TransitGatewayVpcAttachments":
            self.facts.append((wt.facts_from_vpc_attachment(raw, account, where), region))
        elif key == "TransitGatewayPeeringAttachments":
            for facts in wt.facts_from_peering_attachment(raw, account, where):
                self.facts.append((facts, region))
        elif key in ("TransitGatewayStaticRoutes", "TransitGatewayRoutes"):
            table_id = required_str(raw, "TransitGatewayRouteTableId", where)
            # Batfish lists static routes only; vpcpath's own shape holds both searches.
            static_only = key == "TransitGatewayStaticRoutes"
            listed = {RouteOrigin.STATIC} if static_only else set(RouteOrigin)
            self._add_routes(table_id, raw.get("Routes") or [], where, listed)
        elif key == "TransitGatewayPropagations":
            table_id = required_str(raw, "TransitGatewayRouteTableId", where)
            props = raw.get("TransitGatewayRouteTablePropagations") or []
            self._add_propagations(table_id, _items(props, where), where)

    def _add_per_table(self, key: str, items: list[dict[str, Any]], rel: str, where: str) -> None:
        """A raw per-table answer (``Routes``, ``Associations``, propagations) of one file."""
        match = wt.TABLE_ID_RE.search(rel)
        if match is None:  # pragma: no cover - accepts() checked it
            return
        table_id = match.group(0)
        if key == "Routes":
            listed = {o for part, o in _LISTED_BY_NAME.items() if part in rel}
            self._add_routes(table_id, items, where, listed, nested=False)
        elif key == "TransitGatewayRouteTablePropagations":
            self._add_propagations(table_id, items, where)
        else:
            for i, raw in enumerate(items):
                facts = wt.association_facts(raw, table_id, "", f"{where}[{i}]")
                self.table_associations.append((table_id, facts, where))

    def _add_routes(
        self,
        table_id: str,
        raws: Any,
        where: str,
        listed: set[RouteOrigin],
        *,
        nested: bool = True,
    ) -> None:
        """Routes of a table; ``listed``: the kinds of route the answer lists completely."""
        found = self.routes.setdefault(table_id, [])
        kinds = self.listed.setdefault(table_id, set())
        kinds.update(listed)
        label = f"{where}.Routes" if nested else where
        for j, raw in enumerate(_items(raws, label)):
            route = wt.parse_tgw_route(raw, f"{label}[{j}]", RouteOrigin.STATIC)
            kinds.add(route.origin)
            if route not in found:
                found.append(route)

    def _add_propagations(self, table_id: str, raws: list[dict[str, Any]], where: str) -> None:
        props = self.propagations.setdefault(table_id, {})
        for j, raw in enumerate(raws):
            prop = wt.propagation_attachment(raw, f"{where}[{j}]")
            if prop is not None:
                props[prop[0]] = (prop[1], prop[2])

    def build(self, vpcs: Mapping[str, Vpc]) -> TransitNetwork:
        sides = self._sides()
        tables: dict[str, TransitGatewayRouteTable] = {}
        for table_id in sorted({*self.tables, *self.routes, *self.propagations}):
            table = self.tables.get(table_id)
            if table is None:
                self.skipped.append(
                    (
                        table_id,
                        "routes or propagations of a transit gateway route table that "
                        "describe-transit-gateway-route-tables did not list; not used",
                    )
                )
                continue
            props = self.propagations.get(table_id, {})
            routes = list(self.routes.get(table_id, []))
            listed = self.listed.get(table_id, set())
            if RouteOrigin.PROPAGATED not in listed:
                routes.extend(self._derived(table_id, props, vpcs))
            tables[table_id] = replace(
                table,
                routes=tuple(routes),
                propagating_attachment_ids=frozenset(props),
                routes_known=table_id in self.listed,
            )
            if table_id not in self.listed:
                self.skipped.append(
                    (table_id, "no search-transit-gateway-routes answer: its routes are unknown")
                )
        return TransitNetwork(
            transit_gateways=dict(self.gateways), route_tables=tables, attachments=sides
        )

    def _derived(
        self,
        table_id: str,
        props: Mapping[str, tuple[AttachmentKind, str]],
        vpcs: Mapping[str, Vpc],
    ) -> list[TransitGatewayRoute]:
        out: list[TransitGatewayRoute] = []
        for att_id, (kind, resource_id) in sorted(props.items()):
            vpc = vpcs.get(resource_id) if kind is AttachmentKind.VPC else None
            if vpc is None:
                why = (
                    f"{resource_id} is not in the snapshot"
                    if kind is AttachmentKind.VPC
                    else f"a {kind} attachment learns its routes over BGP"
                )
                self.skipped.append((f"{table_id}/{att_id}", f"propagated routes unknown: {why}"))
                continue
            out.extend(
                TransitGatewayRoute(
                    destination=cidr, attachment_ids=(att_id,), origin=RouteOrigin.PROPAGATED
                )
                for cidr in _vpc_cidrs(vpc)
            )
        return out

    def _sides(self) -> dict[tuple[str, str], TransitGatewayAttachmentSide]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        pending = [(f, r) for f, r in self.facts]
        for table_id, facts, _where in self.table_associations:
            table = self.tables.get(table_id)
            if table is None:
                continue
            pending.append(
                (replace(facts, transit_gateway_id=table.transit_gateway_id), table.region)
            )
        names = [f.name for f in fields(wt.AttachmentFacts)]
        for facts, region in pending:
            key = (facts.transit_gateway_id, facts.id)
            slot = merged.setdefault(key, {"region": region})
            for name in names:
                value = getattr(facts, name)
                if value not in (None, "") and slot.get(name) in (None, ""):
                    slot[name] = value
        sides: dict[tuple[str, str], TransitGatewayAttachmentSide] = {}
        for key, slot in sorted(merged.items()):
            tgw = self.gateways.get(key[0])
            peer = self.gateways.get(slot.get("peer_transit_gateway_id") or "")
            sides[key] = TransitGatewayAttachmentSide(
                id=slot["id"],
                transit_gateway_id=key[0],
                account_id=slot.get("account_id") or (tgw.account_id if tgw else "unknown"),
                region=tgw.region if tgw else slot["region"],
                kind=slot.get("kind") or AttachmentKind.OTHER,
                resource_id=slot.get("resource_id") or "",
                resource_owner_id=slot.get("resource_owner_id"),
                state=slot.get("state") or "available",
                association_route_table_id=slot.get("association_route_table_id"),
                subnet_ids=slot.get("subnet_ids") or (),
                appliance_mode=bool(slot.get("appliance_mode")),
                peer_transit_gateway_id=slot.get("peer_transit_gateway_id"),
                peer_region=slot.get("peer_region") or (peer.region if peer else None),
                peer_account_id=slot.get("peer_account_id") or (peer.account_id if peer else None),
            )
        return sides
