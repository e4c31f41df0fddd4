"""Which route table a subnet (or a NAT gateway) uses.

AWS VPC User Guide, "Route tables" → "Main route tables" / "Subnet route tables"
(https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html): "Each subnet in your VPC
must be associated with a route table… If you don't explicitly associate a subnet with a
particular route table, the subnet is implicitly associated with the main route table."
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vpcpath.errors import SnapshotError
from vpcpath.model import NatAvailability, NatGateway, RouteTable, Snapshot


class Association(StrEnum):
    EXPLICIT = "explicit"
    MAIN = "main"
    NAT_GATEWAY = "nat-gateway"  # a regional NAT gateway's own table


@dataclass(frozen=True, slots=True)
class ResolvedTable:
    table: RouteTable
    association: Association


def route_table_for_subnet(snapshot: Snapshot, subnet_id: str) -> ResolvedTable:
    subnet = snapshot.subnets.get(subnet_id)
    if subnet is None:
        raise SnapshotError(f"subnet {subnet_id} is not in the snapshot")
    explicit = snapshot.subnet_route_table.get(subnet_id)
    if explicit is not None and explicit in snapshot.route_tables:
        return ResolvedTable(snapshot.route_tables[explicit], Association.EXPLICIT)
    main = snapshot.main_route_table.get(subnet.vpc_id)
    if main is not None:
        return ResolvedTable(snapshot.route_tables[main], Association.MAIN)
    raise SnapshotError(
        f"subnet {subnet_id} has no explicit route table association and the snapshot has no "
        f"main route table for {subnet.vpc_id}; include describe-route-tables for that VPC"
    )


def route_table_for_nat(snapshot: Snapshot, nat: NatGateway) -> ResolvedTable | None:
    """A NAT gateway forwards with its own subnet's table (docs/architecture.md, rule 6).

    VPC User Guide, "NAT gateways" → "NAT gateway basics": a public NAT gateway in a public
    subnet sends traffic to the internet gateway through that subnet's route table; a regional
    NAT gateway ("Regional NAT gateways for automatic multi-AZ expansion") has a route table of
    its own (``RouteTableId``).
    """
    if nat.availability is NatAvailability.REGIONAL and nat.route_table_id:
        table = snapshot.route_tables.get(nat.route_table_id)
        return ResolvedTable(table, Association.NAT_GATEWAY) if table else None
    if nat.subnet_id is None or nat.subnet_id not in snapshot.subnets:
        return None
    return route_table_for_subnet(snapshot, nat.subnet_id)
