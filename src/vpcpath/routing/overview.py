"""Every private subnet's S3 and ECR paths at once: the picture ``demo`` shows."""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.model import Snapshot, Subnet, TargetKind
from vpcpath.model.paths import Leg
from vpcpath.pricing.table import PriceTable
from vpcpath.routing.explain import explain
from vpcpath.routing.resolve import route_table_for_subnet
from vpcpath.routing.trace import Tracer


@dataclass(frozen=True, slots=True)
class SubnetOverview:
    subnet: Subnet
    route_table_id: str
    legs: tuple[Leg, ...]  # s3, dynamodb, ecr.api, ecr.dkr, s3-layers


def is_private(snapshot: Snapshot, subnet: Subnet) -> bool:
    """A subnet is public when its table sends the IPv4 default route to an internet gateway
    (VPC User Guide, "Subnet types")."""
    table = route_table_for_subnet(snapshot, subnet.id).table
    return not any(
        r.target_kind is TargetKind.INTERNET_GATEWAY and str(r.destination) == "0.0.0.0/0"
        for r in table.routes
    )


def private_subnet_overview(snapshot: Snapshot, prices: PriceTable | None) -> list[SubnetOverview]:
    tracer = Tracer(snapshot)
    rows: list[SubnetOverview] = []
    subnets = sorted(
        snapshot.subnets.values(), key=lambda s: (s.region, s.vpc_id, s.availability_zone, s.id)
    )
    for subnet in subnets:
        if not is_private(snapshot, subnet):
            continue
        legs: list[Leg] = []
        for dest in ("s3", "dynamodb", "ecr"):
            legs.extend(explain(snapshot, subnet.id, dest, prices=prices, tracer=tracer).legs)
        table_id = route_table_for_subnet(snapshot, subnet.id).table.id
        rows.append(SubnetOverview(subnet=subnet, route_table_id=table_id, legs=tuple(legs)))
    return rows
