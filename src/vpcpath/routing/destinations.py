"""What ``--to`` means: one leg, or the three legs of an ECR image pull, each with CIDRs.

A service's address set in a region is its AWS-managed prefix list when the snapshot has it,
else the ip-ranges entries (docs/architecture.md, rule 5: what a gateway endpoint carries is
exactly its
prefix list; ip-ranges lists S3 ranges that are not in it). A service with no ranges of its
own (the ECR API and most AWS APIs are published only under ``AMAZON``) is traced as a public
address of its region outside the S3 and DynamoDB ranges (docs/architecture.md, rule 7).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace

from vpcpath.errors import UsageError
from vpcpath.model import IPNetwork, Snapshot
from vpcpath.model.paths import Scope
from vpcpath.model.regions import KNOWN_REGIONS, REGION_RE, partition_name, partition_of
from vpcpath.routing.hostnames import HostTarget, hostname_suffix, layer_bucket, parse_hostname
from vpcpath.routing.lpm import within
from vpcpath.routing.prefix_lists import GATEWAY_SERVICES as GATEWAY_SERVICES

_SERVICE_QUERY = re.compile(r"^(s3|dynamodb|ecr)(?::([a-z0-9-]+))?$")
ANY_PUBLIC_V4 = ipaddress.IPv4Network("0.0.0.0/0")


@dataclass(frozen=True, slots=True)
class LegSpec:
    name: str
    label: str  # what the destination is, for people: a hostname, bucket or address
    service: str | None  # s3, dynamodb, ecr.api, …; None for a bare address
    region: str
    cidrs: tuple[IPNetwork, ...]
    cidr_source: str  # where the CIDRs came from: "prefix list pl-…", "ip-ranges …", …
    hostname: str | None = None
    endpoint_id: str | None = None
    generic_public: bool = False  # no ranges known: traced as "any public address"
    # The destination's partition when it is not the source's (aws-cn, aws-us-gov, …): reached
    # over the internet, never through an endpoint, and not priced as inter-region.
    other_partition: str | None = None


def parse_destination(
    query: str, *, source_region: str, source_account: str, snapshot: Snapshot
) -> tuple[LegSpec, ...]:
    """Legs for a ``--to`` value; raises UsageError for a value vpcpath cannot interpret."""
    legs = _legs_for(
        query, source_region=source_region, source_account=source_account, snapshot=snapshot
    )
    for leg in legs:
        if leg.service is not None:
            _check_region(leg.region, query, source_region, snapshot)
    return tuple(_across_partitions(leg, source_region) for leg in legs)


def _legs_for(
    query: str, *, source_region: str, source_account: str, snapshot: Snapshot
) -> tuple[LegSpec, ...]:
    text = query.strip()
    match = _SERVICE_QUERY.match(text.lower())
    if match:
        service, region = match.group(1), match.group(2) or source_region
        if not REGION_RE.match(region):
            raise UsageError(f"--to {query!r}: {region!r} is not a region name like us-east-1")
        if service == "ecr":
            return ecr_pull_legs(region, source_account, snapshot)
        host = f"{service}.{region}.{hostname_suffix(region)}"
        return (service_leg(service, service, region, snapshot, host=host),)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        net = ipaddress.ip_network(address)
        return (
            LegSpec(
                name="ip",
                label=text,
                service=None,
                region=source_region,
                cidrs=(net,),
                cidr_source="address",
            ),
        )
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        pass
    else:
        return (
            LegSpec(
                name="ip",
                label=text,
                service=None,
                region=source_region,
                cidrs=(network,),
                cidr_source="address range",
            ),
        )
    target = parse_hostname(text)
    if target is None:
        raise UsageError(
            f"--to {query!r}: not a service (s3, dynamodb, ecr[:region]), an IP address or an "
            "AWS hostname; vpcpath does not resolve DNS, so give the address for other hosts"
        )
    return (hostname_leg(target, source_region, snapshot),)


def _check_region(region: str, query: str, source_region: str, snapshot: Snapshot) -> None:
    """A region that AWS does not have is named as such, not traced as another region."""
    known = set(KNOWN_REGIONS) | {source_region} | set(snapshot.regions)
    if snapshot.ip_ranges is not None:
        known |= {p.region for p in snapshot.ip_ranges.prefixes}
    if region not in known:
        raise UsageError(
            f"--to {query!r}: {region} is not an AWS region (not in AWS's list of regions"
            + (" nor in the snapshot's ip-ranges" if snapshot.ip_ranges is not None else "")
            + "); check the region name"
        )


def _across_partitions(leg: LegSpec, source_region: str) -> LegSpec:
    """A destination in another partition is reached over the internet (model/regions.py)."""
    theirs, ours = partition_of(leg.region), partition_of(source_region)
    if leg.service is None or theirs == ours:
        return leg
    source = (
        f"{leg.region} is in the {partition_name(theirs)} partition ({theirs}), not the "
        f"source's {partition_name(ours)} ({ours}): reached over the internet, as any public "
        "address (no endpoint serves it, and it is not inter-region traffic)"
    )
    return replace(
        leg,
        cidrs=(ANY_PUBLIC_V4,),
        cidr_source=source,
        generic_public=True,
        endpoint_id=None,
        other_partition=theirs,
    )


def ecr_pull_legs(region: str, account: str, snapshot: Snapshot) -> tuple[LegSpec, ...]:
    """An image pull: auth on the ECR API, manifests on ECR Docker, layers from S3 (rule 8)."""
    bucket = layer_bucket(region)
    suffix = hostname_suffix(region)
    return (
        service_leg("ecr.api", "ecr.api", region, snapshot, host=f"api.ecr.{region}.{suffix}"),
        service_leg(
            "ecr.dkr", "ecr.dkr", region, snapshot, host=f"{account}.dkr.ecr.{region}.{suffix}"
        ),
        service_leg(
            "s3-layers",
            "s3",
            region,
            snapshot,
            host=f"{bucket}.s3.{region}.{suffix}",
            label=f"{bucket} (s3.{region}.{suffix})",
        ),
    )


def hostname_leg(target: HostTarget, source_region: str, snapshot: Snapshot) -> LegSpec:
    region = target.region or source_region
    return service_leg(
        target.service,
        target.service,
        region,
        snapshot,
        host=target.hostname,
        endpoint_id=target.endpoint_id,
        dualstack=target.dualstack,
    )


def service_leg(
    name: str,
    service: str,
    region: str,
    snapshot: Snapshot,
    *,
    host: str,
    label: str | None = None,
    endpoint_id: str | None = None,
    dualstack: bool = False,
) -> LegSpec:
    cidrs, source, generic = service_cidrs(service, region, snapshot, dualstack=dualstack)
    return LegSpec(
        name=name,
        label=label or host,
        service=service,
        region=region,
        cidrs=cidrs,
        cidr_source=source,
        hostname=host,
        endpoint_id=endpoint_id,
        generic_public=generic,
    )


def service_cidrs(
    service: str, region: str, snapshot: Snapshot, *, dualstack: bool = False
) -> tuple[tuple[IPNetwork, ...], str, bool]:
    """(CIDRs, where they came from, whether they are the generic 'any public address')."""
    ranges_name = GATEWAY_SERVICES.get(service)
    if ranges_name is not None:
        prefix_list = snapshot.aws_prefix_list_for(service, region)
        if prefix_list is not None and prefix_list.cidrs:
            return prefix_list.cidrs, f"prefix list {prefix_list.id} ({prefix_list.name})", False
        if snapshot.ip_ranges is not None:
            nets = snapshot.ip_ranges.networks(ranges_name, region)
            if not dualstack:
                # The default hostnames resolve to IPv4 only; IPv6 needs the dual-stack names
                # (S3 User Guide, "Making requests over IPv6").
                nets = tuple(n for n in nets if n.version == 4)
            if nets:
                return (
                    nets,
                    f"ip-ranges {ranges_name} {region} (sync {snapshot.ip_ranges.sync_token})",
                    False,
                )
    elif snapshot.ip_ranges is not None:
        nets = _public_aws_ranges(region, snapshot)
        if nets:
            return nets, f"ip-ranges AMAZON {region} outside S3/DynamoDB ranges", False
    return (ANY_PUBLIC_V4,), "no address ranges in the snapshot: traced as any public address", True


def _public_aws_ranges(region: str, snapshot: Snapshot) -> tuple[IPNetwork, ...]:
    assert snapshot.ip_ranges is not None
    excluded: list[IPNetwork] = []
    for service, ranges_name in GATEWAY_SERVICES.items():
        pl = snapshot.aws_prefix_list_for(service, region)
        excluded.extend(pl.cidrs if pl else ())
        excluded.extend(snapshot.ip_ranges.networks(ranges_name, region))
    amazon = snapshot.ip_ranges.networks("AMAZON", region)
    return tuple(
        n
        for n in amazon
        if n.version == 4 and not any(n.overlaps(x) for x in excluded if x.version == 4)
    )


def classify_scope(
    network: IPNetwork, source_region: str, snapshot: Snapshot
) -> tuple[Scope, str | None]:
    """Where an address range is: private, an AWS region's public range, or the internet."""
    if network.is_private and not network.is_global:
        return Scope.PRIVATE, None
    for (region, _), pl in snapshot.prefix_lists.items():
        if pl.is_aws_managed and any(within(network, c) for c in pl.cidrs):
            return (
                Scope.AWS_SAME_REGION if region == source_region else Scope.AWS_OTHER_REGION
            ), region
    if snapshot.ip_ranges is not None:
        for prefix in snapshot.ip_ranges.prefixes:
            net = prefix.network
            if within(network, net) and prefix.region not in ("GLOBAL", ""):
                if partition_of(prefix.region) != partition_of(source_region):
                    return Scope.INTERNET, prefix.region  # another partition: the internet
                same = prefix.region == source_region
                return (Scope.AWS_SAME_REGION if same else Scope.AWS_OTHER_REGION), prefix.region
    return Scope.INTERNET, None
