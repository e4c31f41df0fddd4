"""S3 and DynamoDB through NAT when a free gateway endpoint would carry it.

PrivateLink Guide, "Gateway endpoints" (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html):
"There is no additional charge for using gateway endpoints"; an endpoint is used only by the
route tables it is associated with ("Routing", same page), and "a more specific route always
takes priority" (VPC User Guide, "Route priority"). Same-region only (rule 5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from vpcpath.audit.context import AuditContext, SubnetPaths
from vpcpath.audit.findings import Finding, Severity, TrafficSelector
from vpcpath.model import EndpointType, InterfaceKind, Verdict
from vpcpath.model.paths import Leg, Path

LABEL = {"s3": "S3", "dynamodb": "DynamoDB"}
RANGES_NAME = {"s3": "S3", "dynamodb": "DYNAMODB"}
# Verdicts of a path that pays instead of using the endpoint.
PAID = frozenset({Verdict.NAT_GATEWAY})


def paid_paths(leg: Leg | None) -> list[Path]:
    """Paths through a NAT gateway of the source's own VPC (a path that reaches another VPC's
    NAT through a transit gateway is the transit-gateway checks' finding)."""
    return [
        p
        for p in (leg.paths if leg else ())
        if p.verdict in PAID and not p.facts.transit_gateway_ids
    ]


def nat_ids(paths: list[Path]) -> tuple[str, ...]:
    return tuple(sorted({n for p in paths for n in p.facts.nat_gateway_ids}))


def gateway_endpoint(ctx: AuditContext, vpc_id: str, service: str, region: str) -> str | None:
    name = f"com.amazonaws.{region}.{service}"
    for endpoint in ctx.snapshot.endpoints_in_vpc(vpc_id):
        if endpoint.endpoint_type is EndpointType.GATEWAY and endpoint.service_name == name:
            return endpoint.id
    return None


def transit_only_subnets(ctx: AuditContext) -> frozenset[str]:
    """Subnets that hold only transit gateway attachment ENIs: their traffic is the spokes'
    (centralized egress), found and fixed in the spokes by the transit-gateway checks."""
    attachment = ctx.snapshot.transit.attachment_subnet_ids()
    used = {
        e.subnet_id
        for e in ctx.snapshot.network_interfaces.values()
        if e.kind is not InterfaceKind.TRANSIT_GATEWAY
    }
    return frozenset(attachment - used)


def _affected(ctx: AuditContext, service: str) -> dict[str, list[SubnetPaths]]:
    """VPC → its subnets whose same-region ``service`` traffic pays a NAT gateway."""
    by_vpc: dict[str, list[SubnetPaths]] = defaultdict(list)
    transit_only = transit_only_subnets(ctx)
    for paths in ctx.subnets.values():
        if paths.subnet.id in transit_only:
            continue
        if paid_paths(paths.legs.get(service)):
            by_vpc[paths.subnet.vpc_id].append(paths)
    return by_vpc


def _selector(
    subnets: list[SubnetPaths], service: str, region: str, nats: tuple[str, ...]
) -> TrafficSelector:
    return TrafficSelector(
        subnet_ids=frozenset(s.subnet.id for s in subnets),
        nat_gateway_ids=frozenset(nats),
        region=region,
        services=frozenset({RANGES_NAME[service]}),
        avoidable_only=True,
    )


def service_via_nat(ctx: AuditContext, service: str) -> Iterator[Finding]:
    """The VPC has no gateway endpoint for the service at all."""
    for vpc_id, subnets in sorted(_affected(ctx, service).items()):
        region = subnets[0].subnet.region
        if gateway_endpoint(ctx, vpc_id, service, region) is not None:
            continue
        paths = [p for s in subnets for p in paid_paths(s.legs.get(service))]
        nats = nat_ids(paths)
        tables = tuple(sorted({s.route_table_id for s in subnets}))
        label = LABEL[service]
        yield Finding(
            id=f"{service}-via-nat:{vpc_id}",
            check=f"{service}-via-nat",
            severity=Severity.HIGH,
            title=f"{label} traffic from {len(subnets)} subnet(s) of {vpc_id} goes through NAT",
            region=region,
            vpc_id=vpc_id,
            route_table_ids=tables,
            subnet_ids=tuple(s.subnet.id for s in subnets),
            nat_gateway_ids=nats,
            explanation=(
                f"{vpc_id} has no {label} gateway endpoint, so same-region {label} traffic from "
                f"these subnets follows the default route through {', '.join(nats)}, which bills "
                "every GiB in both directions; a gateway endpoint carries it for free"
            ),
            remediation=(
                f"create {'an' if label == 'S3' else 'a'} {label} gateway endpoint "
                f"(com.amazonaws.{region}.{service}) in "
                f"{vpc_id} and associate it with {', '.join(tables)}"
            ),
            traffic=_selector(subnets, service, region, nats),
            traces=tuple(paths[:1]),
        )


def endpoint_not_associated(ctx: AuditContext, service: str) -> Iterator[Finding]:
    """The VPC has the endpoint, but a route table its subnets use lacks it (main included)."""
    for vpc_id, subnets in sorted(_affected(ctx, service).items()):
        region = subnets[0].subnet.region
        endpoint_id = gateway_endpoint(ctx, vpc_id, service, region)
        if endpoint_id is None:
            continue
        endpoint = ctx.snapshot.endpoints[endpoint_id]
        by_table: dict[str, list[SubnetPaths]] = defaultdict(list)
        for s in subnets:
            if s.route_table_id not in endpoint.route_table_ids:
                by_table[s.route_table_id].append(s)
        for table_id, members in sorted(by_table.items()):
            paths = [p for s in members for p in paid_paths(s.legs.get(service))]
            nats = nat_ids(paths)
            label = LABEL[service]
            is_main = ctx.snapshot.route_tables[table_id].is_main
            yield Finding(
                id=f"{service}-endpoint-not-associated:{table_id}",
                check=f"{service}-endpoint-not-associated",
                severity=Severity.HIGH,
                title=(
                    f"{endpoint_id} is not associated with {table_id}"
                    + (" (the main route table)" if is_main else "")
                ),
                region=region,
                vpc_id=vpc_id,
                route_table_ids=(table_id,),
                subnet_ids=tuple(s.subnet.id for s in members),
                nat_gateway_ids=nats,
                endpoint_id=endpoint_id,
                explanation=(
                    f"{vpc_id} has {label} gateway endpoint {endpoint_id}, but {table_id}"
                    + (", the main route table these subnets use implicitly," if is_main else "")
                    + f" has no route to it, so {label} from {len(members)} subnet(s) goes "
                    f"through {', '.join(nats)} instead"
                ),
                remediation=(
                    f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint_id} "
                    f"--add-route-table-ids {table_id}"
                ),
                traffic=_selector(members, service, region, nats),
                traces=tuple(paths[:1]),
            )


def endpoint_route_overridden(ctx: AuditContext) -> Iterator[Finding]:
    """A more specific route beats the endpoint's prefix list for part of the range."""
    for service in ("s3", "dynamodb"):
        by_table: dict[str, list[SubnetPaths]] = defaultdict(list)
        for s in ctx.subnets.values():
            leg = s.legs.get(service)
            if leg is None or leg.verdict is not Verdict.MIXED:
                continue
            if any(p.verdict is Verdict.GATEWAY_ENDPOINT for p in leg.paths) and paid_paths(leg):
                by_table[s.route_table_id].append(s)
        for table_id, members in sorted(by_table.items()):
            leg = members[0].legs[service]
            paths = paid_paths(leg)
            routes = sorted({p.hops[0].route or "" for p in paths})
            cidrs = sorted({str(c) for p in paths for c in p.cidrs})
            nats = nat_ids(paths)
            region = members[0].subnet.region
            yield Finding(
                id=f"endpoint-route-overridden:{table_id}:{service}",
                check="endpoint-route-overridden",
                severity=Severity.MEDIUM,
                title=(
                    f"route {', '.join(routes)} in {table_id} takes {LABEL[service]} ranges "
                    "off the endpoint"
                ),
                region=region,
                vpc_id=members[0].subnet.vpc_id,
                route_table_ids=(table_id,),
                subnet_ids=tuple(s.subnet.id for s in members),
                nat_gateway_ids=nats,
                explanation=(
                    f"{table_id} routes to the {LABEL[service]} gateway endpoint, but "
                    f"{', '.join(routes)} is more specific than the endpoint's prefix-list "
                    f"entries, so {', '.join(cidrs)} goes through {', '.join(nats)}"
                ),
                remediation=f"delete or narrow route {', '.join(routes)} in {table_id}",
                traffic=_selector(members, service, region, nats),
                traces=tuple(paths[:1]),
            )
