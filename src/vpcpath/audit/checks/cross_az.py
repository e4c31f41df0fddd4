"""Subnets whose default route uses a NAT gateway in another availability zone.

Amazon EC2 pricing, "Data Transfer within the same AWS Region"
(https://aws.amazon.com/ec2/pricing/on-demand/): transfer between zones is billed per GB in
each direction on both sides. VPC User Guide, "NAT gateways" → "Best practices"
(https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html): "create a NAT
gateway in each Availability Zone and configure your routing to ensure that resources use the
NAT gateway in the same Availability Zone".
"""

from __future__ import annotations

from collections.abc import Iterator

from vpcpath.audit.context import AuditContext
from vpcpath.audit.findings import Finding, Severity, TrafficSelector
from vpcpath.model import Verdict
from vpcpath.model.enums import Charge


def cross_az_nat(ctx: AuditContext) -> Iterator[Finding]:
    for s in sorted(ctx.subnets.values(), key=lambda x: x.subnet.id):
        crossing = [
            p for p in s.default_paths if p.verdict is Verdict.NAT_GATEWAY and p.facts.nat_cross_az
        ]
        if not crossing:
            continue
        nat_id = crossing[0].facts.nat_gateway_ids[0]
        nat = ctx.snapshot.nat_gateways[nat_id]
        nat_subnet = ctx.snapshot.subnets.get(nat.subnet_id or "")
        nat_zone = nat_subnet.availability_zone if nat_subnet else "another zone"
        same_zone = sorted(
            n.id
            for n in ctx.snapshot.nat_gateways.values()
            if n.vpc_id == s.subnet.vpc_id
            and n.subnet_id is not None
            and n.subnet_id in ctx.snapshot.subnets
            and ctx.snapshot.subnets[n.subnet_id].availability_zone == s.subnet.availability_zone
        )
        fix = (
            f"route {s.route_table_id}'s 0.0.0.0/0 to {same_zone[0]} (same zone)"
            if same_zone
            else f"add a NAT gateway in {s.subnet.availability_zone} and route "
            f"{s.route_table_id}'s 0.0.0.0/0 to it (or use a regional NAT gateway)"
        )
        yield Finding(
            id=f"cross-az-nat:{s.subnet.id}",
            check="cross-az-nat",
            severity=Severity.LOW,
            title=f"{s.subnet.id} ({s.subnet.availability_zone}) uses {nat_id} in {nat_zone}",
            region=s.subnet.region,
            vpc_id=s.subnet.vpc_id,
            route_table_ids=(s.route_table_id,),
            subnet_ids=(s.subnet.id,),
            nat_gateway_ids=(nat_id,),
            explanation=(
                f"Every byte {s.subnet.id} sends or receives through {nat_id} crosses from "
                f"{s.subnet.availability_zone} to {nat_zone}: $0.01/GiB on each side, in each "
                "direction, on top of NAT processing — and the subnet loses internet access "
                f"when {nat_zone} fails"
            ),
            remediation=fix,
            traffic=TrafficSelector(
                subnet_ids=frozenset({s.subnet.id}),
                nat_gateway_ids=frozenset({nat_id}),
                region=s.subnet.region,
                charge=Charge.CROSS_AZ,
            ),
            traces=tuple(crossing[:1]),
        )
