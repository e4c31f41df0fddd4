"""The CIDRs a prefix-list route matches, and what to say when the snapshot lacks the list.

VPC User Guide, "Gateway endpoints" → "Routing"
(https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing):
a gateway endpoint adds a route whose destination is the service's AWS-managed prefix list
(``com.amazonaws.<region>.<service>``) and whose target is the endpoint. A snapshot made
without ``describe-prefix-lists`` has the route but not the list. The list is then resolved
from the endpoint's ``ServiceName`` and the region's ranges in ip-ranges, when the snapshot has
ip-ranges (an approximation: ip-ranges lists S3 ranges the list does not hold, DESIGN rule 5,
so it is said); otherwise the route cannot be matched and the answer is partial.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vpcpath.model import EndpointType, IPNetwork, Route, Snapshot, VpcEndpoint

# Services with a gateway endpoint and an AWS-managed prefix list, and their ip-ranges name.
GATEWAY_SERVICES = {"s3": "S3", "dynamodb": "DYNAMODB"}


@dataclass(frozen=True, slots=True)
class PrefixListCidrs:
    """What a prefix-list route stands for: its CIDRs, and how they were found."""

    prefix_list_id: str
    cidrs: tuple[IPNetwork, ...]
    # None: the snapshot holds the list. Otherwise one sentence: where the CIDRs came from
    # (ip-ranges), or why there are none (the list is missing and nothing stands in for it).
    note: str | None = None
    missing: bool = False


def gateway_endpoint_service(endpoint: VpcEndpoint) -> str | None:
    """``s3`` / ``dynamodb`` for a gateway endpoint of its own region's service, else None."""
    if endpoint.endpoint_type is not EndpointType.GATEWAY:
        return None
    service = endpoint.service
    if endpoint.service_name != f"com.amazonaws.{endpoint.region}.{service}":
        return None
    return service if service in GATEWAY_SERVICES else None


def prefix_list_cidrs(route: Route, snapshot: Snapshot, region: str) -> PrefixListCidrs:
    """The CIDRs of a route's prefix list (``route.prefix_list_id`` must be set)."""
    pl_id = route.prefix_list_id or ""
    recorded = snapshot.prefix_list(region, pl_id)
    if recorded is not None and recorded.cidrs_known:
        return PrefixListCidrs(pl_id, recorded.cidrs)
    endpoint = snapshot.endpoints.get(route.target_id)
    service = gateway_endpoint_service(endpoint) if endpoint is not None else None
    if endpoint is None or service is None:
        return PrefixListCidrs(
            pl_id,
            (),
            f"prefix list {pl_id} is not in the snapshot (save `aws ec2 "
            f"get-managed-prefix-list-entries --prefix-list-id {pl_id}` in {region}), so the "
            f"route {pl_id} → {route.target_id} could not be matched",
            missing=True,
        )
    ranges_name = GATEWAY_SERVICES[service]
    nets: tuple[IPNetwork, ...] = ()
    if snapshot.ip_ranges is not None:
        # Gateway endpoints carry IPv4 only (the AWS-managed lists of S3 and DynamoDB hold IPv4
        # CIDRs), so the IPv6 ranges do not stand in for the list.
        nets = tuple(n for n in snapshot.ip_ranges.networks(ranges_name, region) if n.version == 4)
    if nets:
        assert snapshot.ip_ranges is not None
        return PrefixListCidrs(
            pl_id,
            nets,
            f"prefix list {pl_id} of {endpoint.id} ({endpoint.service_name}) is not in the "
            f"snapshot: its addresses are taken from ip-ranges {ranges_name} {region} "
            f"(sync {snapshot.ip_ranges.sync_token}), which may list a few ranges the list lacks",
        )
    return PrefixListCidrs(
        pl_id,
        (),
        f"prefix list {pl_id} of {endpoint.id} ({endpoint.service_name}) is not in the "
        f"snapshot, nor ip-ranges to stand in for it: save `aws ec2 describe-prefix-lists` in "
        f"{region} (or add ip-ranges.json) to know which {service} addresses the route "
        f"{pl_id} → {endpoint.id} carries",
        missing=True,
    )


def table_prefix_list_notes(
    snapshot: Snapshot, table_ids: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(notes, missing) for the prefix-list routes of these tables that the snapshot lacks."""
    notes: dict[str, None] = {}
    missing: dict[str, None] = {}
    tables = (snapshot.route_tables.get(t) for t in table_ids)
    for table in (t for t in tables if t is not None):
        for route in table.routes:
            if route.prefix_list_id is None:
                continue
            resolved = prefix_list_cidrs(route, snapshot, table.region)
            if resolved.note:
                notes[resolved.note] = None
                if resolved.missing:
                    missing[resolved.note] = None
    return tuple(notes), tuple(missing)


def unresolved_routes(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    """(route table, why) for every prefix-list route whose list the snapshot cannot give."""
    found: list[tuple[str, str]] = []
    for table in sorted(snapshot.route_tables.values(), key=lambda t: t.id):
        for route in table.routes:
            if route.prefix_list_id is None:
                continue
            resolved = prefix_list_cidrs(route, snapshot, table.region)
            if resolved.missing and resolved.note:
                found.append((table.id, resolved.note))
    return tuple(found)
