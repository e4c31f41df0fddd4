"""Same-region S3 sent to a centralised egress VPC through a transit gateway.

PrivateLink Guide, "Gateway endpoints" → "Considerations": gateway endpoints are not
reachable from outside their VPC (not through peering, VPN, Direct Connect or a transit
gateway), so S3 from a spoke VPC pays transit-gateway processing and the egress VPC's NAT
processing (https://aws.amazon.com/transit-gateway/pricing/), although a gateway endpoint in
the spoke VPC would carry it for free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from vpcpath.audit.context import AuditContext, SubnetPaths
from vpcpath.audit.findings import Finding, Severity, TrafficSelector
from vpcpath.model import Verdict
from vpcpath.model.enums import Charge


def s3_via_transit_gateway(ctx: AuditContext) -> Iterator[Finding]:
    by_table: dict[str, list[SubnetPaths]] = defaultdict(list)
    for s in ctx.subnets.values():
        leg = s.legs.get("s3")
        if leg is not None and any(p.verdict is Verdict.TRANSIT_GATEWAY for p in leg.paths):
            by_table[s.route_table_id].append(s)
    for table_id, members in sorted(by_table.items()):
        paths = [p for p in members[0].legs["s3"].paths if p.verdict is Verdict.TRANSIT_GATEWAY]
        tgw = paths[0].hops[-1].id
        region = members[0].subnet.region
        vpc_id = members[0].subnet.vpc_id
        yield Finding(
            id=f"s3-via-transit-gateway:{table_id}",
            check="s3-via-transit-gateway",
            severity=Severity.MEDIUM,
            title=f"S3 from {len(members)} subnet(s) of {vpc_id} goes to {tgw}",
            region=region,
            vpc_id=vpc_id,
            route_table_ids=(table_id,),
            subnet_ids=tuple(s.subnet.id for s in members),
            explanation=(
                f"{table_id} sends same-region S3 from {vpc_id} (a spoke VPC) to transit "
                f"gateway {tgw}: it pays transit gateway processing on the way out and back, "
                "then the NAT gateway of the VPC the transit gateway sends it to; a gateway "
                "endpoint in that VPC cannot be reached through the transit gateway, but one "
                f"in {vpc_id} itself would carry the traffic for free"
            ),
            remediation=(
                f"create an S3 gateway endpoint in {vpc_id} and associate it with {table_id}"
            ),
            traffic=TrafficSelector(
                subnet_ids=frozenset(s.subnet.id for s in members),
                nat_gateway_ids=frozenset(),
                region=region,
                services=frozenset({"S3"}),
                charge=Charge.TRANSIT_GATEWAY,
            ),
            traces=tuple(paths[:1]),
        )
