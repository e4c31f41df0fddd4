"""What ``--from`` names: a subnet, an ENI, an instance or a private IP."""

from __future__ import annotations

import ipaddress

from vpcpath.errors import SnapshotError, UsageError
from vpcpath.model import Snapshot
from vpcpath.model.enums import SourceKind
from vpcpath.model.paths import SourceInfo
from vpcpath.routing.resolve import route_table_for_subnet


def resolve_source(snapshot: Snapshot, text: str) -> SourceInfo:
    require_something_to_trace(snapshot)
    value = text.strip()
    if value.startswith("subnet-"):
        return _from_subnet(snapshot, value, SourceKind.SUBNET, value, None)
    if value.startswith("eni-"):
        eni = snapshot.network_interfaces.get(value)
        if eni is None:
            raise SnapshotError(_unknown(value, "network interface", "describe-network-interfaces"))
        address = str(eni.private_ips[0]) if eni.private_ips else None
        return _from_subnet(snapshot, eni.subnet_id, SourceKind.NETWORK_INTERFACE, value, address)
    if value.startswith("i-"):
        inst = snapshot.instances.get(value)
        if inst is None:
            raise SnapshotError(_unknown(value, "instance", "describe-instances"))
        address = str(inst.private_ip) if inst.private_ip else None
        return _from_subnet(snapshot, inst.subnet_id, SourceKind.INSTANCE, value, address)
    try:
        ip = ipaddress.ip_address(value)
    except ValueError as exc:
        raise UsageError(
            f"--from {text!r}: give a subnet-…, eni-…, i-… id or a private IP address"
        ) from exc
    owners = sorted(
        {eni_id for (vpc, addr), eni_id in snapshot.eni_by_private_ip.items() if addr == ip}
    )
    if len(owners) == 1:
        eni = snapshot.network_interfaces[owners[0]]
        return _from_subnet(snapshot, eni.subnet_id, SourceKind.IP, value, value)
    if len(owners) > 1:
        raise SnapshotError(
            f"--from {value}: the address belongs to several interfaces ({', '.join(owners)}) "
            "in different VPCs; give the eni- id instead"
        )
    subnets = sorted(
        s.id
        for s in snapshot.subnets.values()
        if (s.cidr is not None and ip in s.cidr) or any(ip in n for n in s.ipv6_cidrs)
    )
    if len(subnets) == 1:
        return _from_subnet(snapshot, subnets[0], SourceKind.IP, value, value)
    if not subnets:
        raise SnapshotError(f"--from {value}: no subnet in the snapshot contains this address")
    raise SnapshotError(
        f"--from {value}: several subnets contain this address ({', '.join(subnets)}); "
        "give the subnet id instead"
    )


def require_something_to_trace(snapshot: Snapshot, *, doing: str = "trace") -> None:
    """No subnets means no path: an error naming what is missing, never an empty all-clear."""
    if snapshot.subnets:
        return
    have = ", ".join(
        f"{len(items)} {name if len(items) != 1 else name[:-1]}"
        for name, items in (
            ("VPCs", snapshot.vpcs),
            ("route tables", snapshot.route_tables),
            ("VPC endpoints", snapshot.endpoints),
        )
        if items
    )
    raise SnapshotError(
        f"nothing to {doing}: the snapshot has no subnets"
        + (f" (it has {have})" if have else "")
        + "; vpcpath needs `aws ec2 describe-subnets` and `describe-route-tables` output "
        "(and describe-vpcs, describe-nat-gateways, describe-vpc-endpoints, …) to trace paths"
    )


def _unknown(value: str, what: str, call: str) -> str:
    return (
        f"{what} {value} is not in the snapshot; check the id, or add the output of "
        f"`aws ec2 {call}` to the snapshot folder"
    )


def _from_subnet(
    snapshot: Snapshot, subnet_id: str, kind: SourceKind, ident: str, address: str | None
) -> SourceInfo:
    subnet = snapshot.subnets.get(subnet_id)
    if subnet is None:
        raise SnapshotError(_unknown(subnet_id, "subnet", "describe-subnets"))
    resolved = route_table_for_subnet(snapshot, subnet_id)
    return SourceInfo(
        id=ident,
        type=kind,
        vpc_id=subnet.vpc_id,
        region=subnet.region,
        account_id=subnet.account_id,
        availability_zone=subnet.availability_zone,
        subnet_id=subnet.id,
        route_table_id=resolved.table.id,
        association=str(resolved.association),
        address=address,
        name=subnet.name,
    )
