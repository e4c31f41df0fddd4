"""A judge of the generator's truth that reads the sample's raw describe JSON and ip-ranges.json
itself — no vpcpath loader, no Snapshot — so a parser bug cannot fool both sides.

The generator decides, for every flow, which way it goes (route) and what the remote is
(classification), and records those decisions in its ``Truth``; the byte-exact flows tests
then judge the engine with that truth. This module decides the same questions again from the
raw files, by the AWS rules written out here, and the truth is trusted only where both agree.

Routing: a subnet uses its explicitly associated route table, else its VPC's main table; the
longest prefix wins, and at equal length a static route beats a prefix-list route, which beats
a propagated one (VPC User Guide, "Route priority",
https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html#route-tables-priority).
Classification: a region's AWS-managed prefix lists first (what a gateway endpoint carries),
then the longest ip-ranges prefix holding the address, a specific service before EC2 before
AMAZON (AWS General Reference, "AWS IP address ranges").
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
GENERAL_RANK = {"AMAZON": 0, "EC2": 1}  # any other service ranks 2
GATEWAY_SERVICES = {"S3": "s3", "DYNAMODB": "dynamodb"}


@dataclass(frozen=True)
class RawRoute:
    networks: tuple[Network, ...]
    rank: int  # 2 static, 1 prefix list, 0 propagated
    nat_gateway_id: str | None
    transit_gateway_id: str | None
    blackhole: bool


def _network(prefix: dict[str, Any]) -> Network:
    return ipaddress.ip_network(prefix.get("ip_prefix") or prefix["ipv6_prefix"])


def _docs(root: Path, name: str, key: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(root.rglob(name)):
        found.extend(json.loads(path.read_text())[key])
    return found


class RawEstate:
    def __init__(self, root: Path) -> None:
        self.prefix_lists: dict[str, tuple[str, str, tuple[Network, ...]]] = {}
        for path in sorted(root.rglob("describe-prefix-lists.json")):
            for pl in json.loads(path.read_text())["PrefixLists"]:
                # com.amazonaws.<region>.<service>
                _, _, region, service = pl["PrefixListName"].split(".", 3)
                cidrs = tuple(ipaddress.ip_network(c) for c in pl["Cidrs"])
                self.prefix_lists[pl["PrefixListId"]] = (service, region, cidrs)
        self.subnet_vpc = {
            s["SubnetId"]: s["VpcId"] for s in _docs(root, "describe-subnets.json", "Subnets")
        }
        self.table_of: dict[str, str] = {}
        self.main_of: dict[str, str] = {}
        self.routes: dict[str, list[RawRoute]] = {}
        for table in _docs(root, "describe-route-tables.json", "RouteTables"):
            for assoc in table.get("Associations", []):
                if assoc.get("Main"):
                    self.main_of[table["VpcId"]] = table["RouteTableId"]
                elif assoc.get("SubnetId"):
                    self.table_of[assoc["SubnetId"]] = table["RouteTableId"]
            self.routes[table["RouteTableId"]] = [self._route(r) for r in table["Routes"]]
        ranges = json.loads((root / "ip-ranges.json").read_text())
        self.ranges = [
            (
                ipaddress.ip_network(p.get("ip_prefix") or p["ipv6_prefix"]),
                p["service"],
                p["region"],
            )
            for p in [*ranges["prefixes"], *ranges.get("ipv6_prefixes", [])]
        ]

    def _route(self, raw: dict[str, Any]) -> RawRoute:
        cidr = raw.get("DestinationCidrBlock") or raw.get("DestinationIpv6CidrBlock")
        if cidr:
            networks: tuple[Network, ...] = (ipaddress.ip_network(cidr),)
            rank = 0 if raw.get("Origin") == "EnableVgwRoutePropagation" else 2
        else:
            listed = self.prefix_lists.get(raw.get("DestinationPrefixListId", ""))
            networks, rank = (listed[2] if listed else ()), 1
        return RawRoute(
            networks=networks,
            rank=rank,
            nat_gateway_id=raw.get("NatGatewayId"),
            transit_gateway_id=raw.get("TransitGatewayId"),
            blackhole=raw.get("State") == "blackhole",
        )

    def nat_for(self, subnet_id: str, address: str) -> str | None:
        """The NAT gateway the subnet's table sends ``address`` to, or None; ``tgw:<id>`` when
        the table sends it to a transit gateway (this judge does not follow transit gateways:
        the tests leave those decisions to tests/routing/test_transit.py)."""
        table = self.table_of.get(subnet_id) or self.main_of[self.subnet_vpc[subnet_id]]
        ip = ipaddress.ip_address(address)
        best: tuple[int, int] | None = None
        chosen: RawRoute | None = None
        for route in self.routes[table]:
            for net in route.networks:
                if net.version == ip.version and ip in net:
                    key = (net.prefixlen, route.rank)
                    if best is None or key > best:
                        best, chosen = key, route
        if chosen is None or chosen.blackhole:
            return None
        if chosen.transit_gateway_id:
            return f"tgw:{chosen.transit_gateway_id}"
        return chosen.nat_gateway_id

    def classify(self, address: str) -> tuple[str | None, str | None, tuple[str, str] | None]:
        """(ip-ranges service, region, the gateway endpoint (service, region) that carries it)."""
        ip = ipaddress.ip_address(address)
        for _id, (service, region, cidrs) in sorted(self.prefix_lists.items()):
            if any(c.version == ip.version and ip in c for c in cidrs):
                return service.upper(), region, (service, region)
        best: tuple[tuple[int, int], str, str] | None = None
        for net, service, region in self.ranges:
            if net.version == ip.version and ip in net:
                key = (net.prefixlen, GENERAL_RANK.get(service, 2))
                if best is None or key > best[0]:
                    best = (key, service, region)
        if best is None:
            return None, None, None
        _, service, region = best
        short = GATEWAY_SERVICES.get(service)
        listed = any(s == short and r == region for s, r, _ in self.prefix_lists.values())
        gateway = (short, region) if short and not listed else None
        return service, region, gateway
