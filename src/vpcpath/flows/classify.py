"""Classify remote addresses: which AWS service and region, and which gateway endpoint could
carry them — precomputed as a partition of the address space into integer ranges.

Order of evidence (docs/architecture.md "Flow-log semantics"): a record's ``pkt-dst-aws-service`` /
``pkt-src-aws-service`` when present (applied in the engine); else the snapshot's AWS-managed
prefix lists; else AWS's ``ip-ranges.json`` by longest prefix, preferring a specific service
over ``EC2`` over ``AMAZON`` (an address is often listed under all three; see AWS General
Reference, "AWS IP address ranges" → "Syntax": ``AMAZON`` "contains all IP address ranges",
``EC2`` overlaps the service ranges).

``avoidable_by``: a gateway endpoint carries exactly its region's AWS-managed prefix list
(VPC User Guide / PrivateLink Guide, "Gateway endpoints"; docs/architecture.md, rule 5), so an
address is
avoidable when it is in that list — or, when the snapshot lacks the list, in ip-ranges'
entries for that service and region — and that region is the NAT gateway's.

CIDRs form a laminar family (two CIDRs are nested or disjoint), so one sweep with a stack of
the CIDRs that contain the current address yields a partition in which every range has one
answer; the engine then needs a single range lookup (an ASOF join) per distinct address.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vpcpath.model import IPNetwork, IpRanges, Snapshot
from vpcpath.routing.destinations import GATEWAY_SERVICES

_RANK_GENERIC = {"AMAZON": 0, "EC2": 1}


@dataclass(frozen=True, slots=True)
class AddressClass:
    service: str | None
    region: str | None
    gateway_service: str | None  # "s3" / "dynamodb": the endpoint that could carry it
    gateway_region: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressRange:
    family: int  # 4 or 6
    lo: int
    hi: int  # inclusive
    value: AddressClass


@dataclass(frozen=True, slots=True)
class _Entry:
    lo: int
    hi: int
    key: tuple[int, int, int]  # (tier, prefix length, service rank): larger wins
    service: str | None
    region: str | None
    gateway: tuple[str, str] | None


def _bounds(network: IPNetwork) -> tuple[int, int]:
    return int(network.network_address), int(network.broadcast_address)


def _service_name(short: str) -> str:
    return GATEWAY_SERVICES.get(short, short.upper().replace(".", "_").replace("-", "_"))


def _entries(snapshot: Snapshot, ip_ranges: IpRanges | None) -> dict[int, list[_Entry]]:
    by_family: dict[int, list[_Entry]] = {4: [], 6: []}
    listed: set[tuple[str, str]] = set()  # (short service, region) with a prefix list
    for (region, _), pl in sorted(snapshot.prefix_lists.items()):
        named = pl.service_region
        if not pl.is_aws_managed or not pl.cidrs_known or named is None:
            continue
        short, pl_region = named
        gateway = (short, pl_region) if short in GATEWAY_SERVICES else None
        if gateway:
            listed.add(gateway)
        for cidr in pl.cidrs:
            lo, hi = _bounds(cidr)
            key = (2, cidr.prefixlen, 2)
            by_family[cidr.version].append(
                _Entry(lo, hi, key, _service_name(short), pl_region or region, gateway)
            )
    if ip_ranges is not None:
        gateway_names = {v: k for k, v in GATEWAY_SERVICES.items()}
        for prefix in ip_ranges.prefixes:
            gateway_short = gateway_names.get(prefix.service)
            gateway = (gateway_short, prefix.region) if gateway_short is not None else None
            if gateway in listed:
                gateway = None  # the prefix list decides what the endpoint carries
            lo, hi = _bounds(prefix.network)
            rank = _RANK_GENERIC.get(prefix.service, 2)
            key = (1, prefix.network.prefixlen, rank)
            by_family[prefix.network.version].append(
                _Entry(lo, hi, key, prefix.service, prefix.region, gateway)
            )
    return by_family


def _state(stack: Sequence[_Entry]) -> AddressClass | None:
    if not stack:
        return None
    best = max(stack, key=lambda e: e.key)
    gateway = next((e.gateway for e in reversed(stack) if e.gateway is not None), None)
    return AddressClass(
        best.service,
        best.region,
        gateway[0] if gateway else None,
        gateway[1] if gateway else None,
    )


def _sweep(entries: Iterable[_Entry], family: int) -> list[AddressRange]:
    ordered = sorted(entries, key=lambda e: (e.lo, -e.hi, e.key))
    out: list[AddressRange] = []
    stack: list[_Entry] = []
    cursor = 0

    def emit(upto: int) -> None:
        nonlocal cursor
        if cursor <= upto:
            value = _state(stack)
            if value is not None:
                if out and out[-1].value == value and out[-1].hi + 1 == cursor:
                    out[-1] = AddressRange(family=family, lo=out[-1].lo, hi=upto, value=value)
                else:
                    out.append(AddressRange(family=family, lo=cursor, hi=upto, value=value))
            cursor = upto + 1

    for entry in ordered:
        while stack and stack[-1].hi < entry.lo:
            emit(stack[-1].hi)
            stack.pop()
        emit(entry.lo - 1)
        stack.append(entry)
    while stack:
        emit(stack[-1].hi)
        stack.pop()
    return out


def address_partition(snapshot: Snapshot, ip_ranges: IpRanges | None) -> tuple[AddressRange, ...]:
    """Non-overlapping ranges (IPv4 then IPv6), each with its classification."""
    by_family = _entries(snapshot, ip_ranges)
    return (*_sweep(by_family[4], 4), *_sweep(by_family[6], 6))


def classify_address(
    partition: Sequence[AddressRange], family: int, value: int
) -> AddressClass | None:
    """Look one address up (for tests and small callers; the engine joins in SQL)."""
    for r in partition:
        if r.family == family and r.lo <= value <= r.hi:
            return r.value
    return None
