"""The ground truth side of the generator: the estate's facts, computed by brute force.

Independent of vpcpath's engine on purpose: a per-address longest-prefix match over the
snapshot's route tables (static > prefix list > propagated at equal length; VPC User Guide,
"Route priority") and a classification that tries every AWS-managed prefix list, then every
ip-ranges entry holding the address (longest prefix, then specific service > EC2 > AMAZON).
"""

from __future__ import annotations

import ipaddress
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from vpcpath.model import NetworkInterface, RouteOrigin, RouteState, Snapshot, TargetKind

RANK = {"AMAZON": 0, "EC2": 1}
GATEWAY = {"S3": "s3", "DYNAMODB": "dynamodb"}
# Public addresses outside the sample's (trimmed) ip-ranges: "the internet".
INTERNET = ("151.101.1.69", "140.82.112.3", "104.16.132.229", "185.199.108.153", "1.1.1.1")
INTERNET6 = ("2606:4700::6810:84e5", "2a04:4e42::645", "2001:4860:4860::8888")


@dataclass(frozen=True, slots=True)
class Remote:
    address: str
    service: str | None
    region: str | None
    gateway: tuple[str, str] | None  # (service, region) of the endpoint that could carry it


@dataclass(frozen=True, slots=True)
class Workload:
    eni: NetworkInterface
    address: str
    region: str


@dataclass(slots=True)
class Truth:
    """What the engine must find: NAT bytes by (nat, subnet, eni, service, region, avoid)."""

    nat: Counter[tuple[str, str, str, str | None, str | None, str | None]] = field(
        default_factory=Counter
    )
    nat_from: Counter[tuple[str, str, str, str | None, str | None, str | None]] = field(
        default_factory=Counter
    )
    records: int = 0
    window_start: int | None = None
    window_end: int | None = None
    nodata: int = 0
    skipdata: int = 0
    malformed: int = 0
    files: list[Path] = field(default_factory=list)
    # The decisions the truth rests on, for a judge that reads the raw files to check them:
    # (subnet, remote address) → the NAT gateway it went through (None: not through NAT), and
    # remote address → (service, region, the gateway endpoint that could carry it).
    routes: dict[tuple[str, str], str | None] = field(default_factory=dict)
    classes: dict[str, tuple[str | None, str | None, tuple[str, str] | None]] = field(
        default_factory=dict
    )

    def by_subnet_service(self) -> dict[tuple[str, str | None, str | None], tuple[int, int]]:
        out: dict[tuple[str, str | None, str | None], tuple[int, int]] = {}
        for key in set(self.nat) | set(self.nat_from):
            k = (key[1], key[3], key[4])
            to, fr = out.get(k, (0, 0))
            out[k] = (to + self.nat[key], fr + self.nat_from[key])
        return out

    @property
    def nat_bytes(self) -> int:
        return sum(self.nat.values()) + sum(self.nat_from.values())

    @property
    def avoidable_bytes(self) -> int:
        keys = set(self.nat) | set(self.nat_from)
        return sum(self.nat[k] + self.nat_from[k] for k in keys if k[5] is not None)


class Estate:
    """The sample estate's facts the generator needs, computed without vpcpath's engine."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.nat_ip = {n.id: str(n.private_ips[0]) for n in snapshot.nat_gateways.values()}
        self.nat_eni = {n.id: n.network_interface_ids[0] for n in snapshot.nat_gateways.values()}
        # A record's account-id is its ENI owner's; its file is that account's flow log.
        self.account_of = {e.id: e.account_id for e in snapshot.network_interfaces.values()}
        self.account_of.update(
            {n.network_interface_ids[0]: n.account_id for n in snapshot.nat_gateways.values()}
        )
        self.workloads = [
            Workload(eni=eni, address=str(ip), region=eni.region)
            for eni in sorted(snapshot.network_interfaces.values(), key=lambda e: e.id)
            if eni.instance_id is not None
            for ip in eni.private_ips
        ]

    def route(self, subnet_id: str, address: str) -> tuple[str, str | None]:
        """(target kind, NAT gateway id) for one address, by brute-force longest prefix.

        A route to a transit gateway is followed (``via_transit``): the attachment's associated
        table, then the target VPC's attachment subnet of the same zone (else the first zone)
        and that subnet's table; kind ``nat`` when that reaches a NAT gateway.
        """
        kind, target = self._lookup(subnet_id, ipaddress.ip_address(address))
        if kind == str(TargetKind.TRANSIT_GATEWAY) and target is not None:
            return self.via_transit(subnet_id, target, address)
        return kind, target if kind == "nat" else None

    def via_transit(self, subnet_id: str, tgw_id: str, address: str) -> tuple[str, str | None]:
        snap = self.snapshot
        subnet = snap.subnets[subnet_id]
        ip = ipaddress.ip_address(address)
        sides = [
            s
            for (tgw, _), s in sorted(snap.transit.attachments.items())
            if tgw == tgw_id and s.resource_id == subnet.vpc_id
        ]
        table = snap.transit.route_tables.get(
            sides[0].association_route_table_id or "" if sides else ""
        )
        if table is None:
            return str(TargetKind.TRANSIT_GATEWAY), None
        best: tuple[int, int] | None = None
        chosen = None
        for route in table.routes:
            if route.destination is None or route.destination.version != ip.version:
                continue
            if ip in route.destination:
                key = (
                    route.destination.prefixlen,
                    0 if route.origin is RouteOrigin.PROPAGATED else 1,
                )
                if best is None or key > best:
                    best, chosen = key, route
        if chosen is None or not chosen.attachment_ids:
            return "blackhole", None
        target = snap.transit.attachments.get((tgw_id, chosen.attachment_ids[0]))
        if target is None or not target.subnet_ids:
            return str(TargetKind.TRANSIT_GATEWAY), None
        zones = {s: snap.subnets[s].availability_zone for s in target.subnet_ids}
        same = sorted(s for s, z in zones.items() if z == subnet.availability_zone)
        entry = same[0] if same else min(zones, key=lambda s: (zones[s], s))
        kind, nat = self._lookup(entry, ip)
        return ("nat", nat) if kind == "nat" else (kind, None)

    def _lookup(
        self, subnet_id: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address
    ) -> tuple[str, str | None]:
        snap = self.snapshot
        subnet = snap.subnets[subnet_id]
        table_id = snap.subnet_route_table.get(subnet_id) or snap.main_route_table[subnet.vpc_id]
        table = snap.route_tables[table_id]
        best: tuple[int, int] | None = None
        chosen = None
        for route in table.routes:
            if route.destination is not None:
                nets = [route.destination]
                rank = 0 if route.origin is RouteOrigin.PROPAGATED else 2
            else:
                pl = snap.prefix_list(table.region, route.prefix_list_id or "")
                nets = list(pl.cidrs) if pl else []
                rank = 1
            for net in nets:
                if net.version == ip.version and ip in net:
                    key = (net.prefixlen, rank)
                    if best is None or key > best:
                        best, chosen = key, route
        if chosen is None:
            return "no-route", None
        if chosen.state is RouteState.BLACKHOLE:
            return "blackhole", None
        if chosen.target_kind is TargetKind.NAT_GATEWAY:
            return "nat", chosen.target_id
        return str(chosen.target_kind), chosen.target_id

    def classify(self, address: str) -> Remote:
        snap = self.snapshot
        ip = ipaddress.ip_address(address)
        for _key, pl in sorted(snap.prefix_lists.items()):
            named = pl.service_region
            if named and any(c.version == ip.version and ip in c for c in pl.cidrs):
                service = named[0].upper()
                return Remote(address, service, named[1], (named[0], named[1]))
        best = None
        assert snap.ip_ranges is not None
        for p in snap.ip_ranges.prefixes:
            if p.network.version == ip.version and ip in p.network:
                key = (p.network.prefixlen, RANK.get(p.service, 2))
                if best is None or key > best[0]:
                    best = (key, p)
        if best is None:
            return Remote(address, None, None, None)
        prefix = best[1]
        gateway = None
        short = GATEWAY.get(prefix.service)
        if short and snap.aws_prefix_list_for(short, prefix.region) is None:
            gateway = (short, prefix.region)
        return Remote(address, prefix.service, prefix.region, gateway)

    def remotes(self, rng: random.Random, per_kind: int) -> list[Remote]:
        """A pool of remote addresses of every kind, classified."""
        snap = self.snapshot
        assert snap.ip_ranges is not None
        pool: list[str] = []
        for _key, pl in sorted(snap.prefix_lists.items()):
            for cidr in pl.cidrs[:40]:
                pool.extend(pick(cidr, rng, max(1, per_kind // 10)))
        by_service: dict[str, list[ipaddress.IPv4Network]] = {}
        for p in snap.ip_ranges.prefixes:
            if isinstance(p.network, ipaddress.IPv4Network):
                by_service.setdefault(p.service, []).append(p.network)
        for service in ("S3", "EC2", "AMAZON"):
            nets = by_service.get(service, [])
            for net in rng.sample(nets, min(len(nets), 30)):
                pool.extend(pick(net, rng, max(1, per_kind // 10)))
        pool.extend(INTERNET)
        unique = sorted(set(pool))
        return [self.classify(a) for a in unique]


def pick(
    net: ipaddress.IPv4Network | ipaddress.IPv6Network, rng: random.Random, n: int
) -> list[str]:
    size = net.num_addresses
    return [str(net.network_address + rng.randrange(size)) for _ in range(n)]
