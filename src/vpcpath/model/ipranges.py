"""AWS's published IP ranges (``ip-ranges.json``) as a value."""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.model.network import IPNetwork


@dataclass(frozen=True, slots=True, kw_only=True)
class IpPrefix:
    network: IPNetwork
    region: str
    service: str
    network_border_group: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IpRanges:
    sync_token: str
    create_date: str
    prefixes: tuple[IpPrefix, ...]

    def networks(self, service: str, region: str) -> tuple[IPNetwork, ...]:
        """Every prefix AWS lists for ``service`` in ``region`` (IPv4 first, then IPv6)."""
        found = [p.network for p in self.prefixes if p.service == service and p.region == region]
        return tuple(sorted(set(found), key=lambda n: (n.version, n)))
