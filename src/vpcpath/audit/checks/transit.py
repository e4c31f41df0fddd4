"""Same-region S3 / DynamoDB sent to a centralised egress VPC through a transit gateway.

VPC User Guide / PrivateLink Guide, "Gateway endpoints" → "Considerations"
(https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html): a gateway
endpoint is not reachable from outside its VPC — not through a transit gateway — so one in
the egress VPC cannot carry a spoke's bytes. Every such byte pays transit gateway processing
(https://aws.amazon.com/transit-gateway/pricing/) and the egress VPC's NAT gateway processing
(https://aws.amazon.com/vpc/pricing/), plus cross-AZ transfer where the transit gateway
delivers into another zone; a gateway endpoint in the spoke VPC, on the spoke's route tables,
carries it for free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from vpcpath.audit.checks.gateway_endpoints import transit_only_subnets
from vpcpath.audit.context import AuditContext, SubnetPaths
from vpcpath.audit.findings import Finding, Severity, TrafficSelector
from vpcpath.model import Verdict
from vpcpath.model.enums import Charge
from vpcpath.model.paths import Leg, Path

LABEL = {"s3": "S3", "dynamodb": "DynamoDB"}
RANGES_NAME = {"s3": "S3", "dynamodb": "DYNAMODB"}
# Verdicts of a path that delivers the bytes (and so bills them); dropped paths cost nothing.
_DELIVERED = frozenset(
    {Verdict.NAT_GATEWAY, Verdict.INTERNET_GATEWAY, Verdict.TRANSIT_GATEWAY, Verdict.LOCAL}
)


def transit_paths(leg: Leg | None) -> list[Path]:
    return [
        p
        for p in (leg.paths if leg else ())
        if p.facts.transit_gateway_ids and p.verdict in _DELIVERED
    ]


def service_via_transit_gateway(ctx: AuditContext, service: str) -> Iterator[Finding]:
    by_table: dict[str, list[SubnetPaths]] = defaultdict(list)
    transit_only = transit_only_subnets(ctx)
    for s in ctx.subnets.values():
        if s.subnet.id in transit_only:
            continue
        leg = s.legs.get(service)
        if leg is not None and leg.region == s.subnet.region and transit_paths(leg):
            by_table[s.route_table_id].append(s)
    label = LABEL[service]
    article = "an" if label == "S3" else "a"
    for table_id, members in sorted(by_table.items()):
        paths = [p for s in members for p in transit_paths(s.legs[service])]
        tgws = sorted({t for p in paths for t in p.facts.transit_gateway_ids})
        nats = tuple(sorted({n for p in paths for n in p.facts.nat_gateway_ids}))
        region = members[0].subnet.region
        vpc_id = members[0].subnet.vpc_id
        egress = sorted(
            {ctx.snapshot.nat_gateways[n].vpc_id for n in nats if n in ctx.snapshot.nat_gateways}
        )
        beyond = (
            f"the NAT gateway(s) {', '.join(nats)} of {', '.join(egress) or 'the egress VPC'}"
            if nats
            else "whatever lies beyond the transit gateway"
        )
        cross = any(p.facts.transit_cross_az for p in paths)
        yield Finding(
            id=f"{service}-via-transit-gateway:{table_id}",
            check=f"{service}-via-transit-gateway",
            severity=Severity.MEDIUM,
            title=f"{label} from {len(members)} subnet(s) of {vpc_id} goes to {', '.join(tgws)}",
            region=region,
            vpc_id=vpc_id,
            route_table_ids=(table_id,),
            subnet_ids=tuple(s.subnet.id for s in members),
            nat_gateway_ids=nats,
            explanation=(
                f"{table_id} sends same-region {label} to transit gateway {', '.join(tgws)}: "
                f"every GiB pays transit gateway processing and then {beyond}"
                + (
                    ", and crosses zones where the egress VPC has no subnet in the spoke's"
                    if cross
                    else ""
                )
                + f". A gateway endpoint in the egress VPC cannot help (gateway endpoints do "
                "not serve traffic that arrives through a transit gateway); one in "
                f"{vpc_id} carries the traffic for free"
            ),
            remediation=(
                f"create {article} {label} gateway endpoint (com.amazonaws.{region}.{service}) in "
                f"{vpc_id} — the spoke, not the egress VPC — and associate it with {table_id}"
            ),
            traffic=TrafficSelector(
                subnet_ids=frozenset(s.subnet.id for s in members),
                nat_gateway_ids=frozenset(nats),
                region=region,
                services=frozenset({RANGES_NAME[service]}),
                avoidable_only=True,
                charge=Charge.TRANSIT_GATEWAY,
            ),
            traces=tuple(paths[:1]),
        )
