"""Findings a plan leaves to a person: why, and the command they would run.

vpcpath only adds (endpoints, associations, policy statements); a fix that deletes or
replaces a route changes where other traffic goes, so it is shown, never made.
"""

from __future__ import annotations

from vpcpath.audit.findings import Finding
from vpcpath.fix.actions import NotFixed
from vpcpath.model import Snapshot


def explain_not_fixed(finding: Finding, snapshot: Snapshot) -> NotFixed:
    if finding.check == "endpoint-route-overridden":
        return _overridden(finding)
    if finding.check == "cross-az-nat":
        return _cross_az(finding, snapshot)
    if finding.check == "endpoint-policy-invalid":
        endpoint_id = finding.id.rsplit(":", 1)[-1]
        return NotFixed(
            finding_id=finding.id,
            why="the endpoint policy cannot be read, so no change to it can be proven safe",
            command=(
                f"aws ec2 describe-vpc-endpoints --region {finding.region} --vpc-endpoint-ids "
                f"{endpoint_id} --query 'VpcEndpoints[0].PolicyDocument' --output text"
            ),
        )
    return NotFixed(
        finding_id=finding.id,
        why=f"vpcpath has no automatic fix for {finding.check}",
        command=f"# {finding.remediation}" if finding.remediation else "",
    )


def _overridden(finding: Finding) -> NotFixed:
    table = finding.route_table_ids[0]
    routes = sorted({p.hops[0].route or "" for p in finding.traces if p.hops})
    cidr = routes[0] if routes else "<the more specific route>"
    return NotFixed(
        finding_id=finding.id,
        why=(
            f"route {', '.join(routes) or cidr} in {table} is more specific than the endpoint's "
            "prefix list; removing it changes where that range goes, and vpcpath never deletes "
            "or replaces a route: check why it exists (a firewall, an appliance) first"
        ),
        command=(
            f"aws ec2 delete-route --region {finding.region} --route-table-id {table} "
            f"--destination-cidr-block {cidr}"
        ),
    )


def _cross_az(finding: Finding, snapshot: Snapshot) -> NotFixed:
    table = finding.route_table_ids[0]
    subnet = snapshot.subnets.get(finding.subnet_ids[0]) if finding.subnet_ids else None
    zone = subnet.availability_zone if subnet else ""
    same_zone = sorted(
        nat.id
        for nat in snapshot.nat_gateways.values()
        if nat.vpc_id == finding.vpc_id
        and nat.subnet_id in snapshot.subnets
        and snapshot.subnets[nat.subnet_id or ""].availability_zone == zone
    )
    why = (
        "the subnet's default route goes to a NAT gateway in another zone; the fix replaces "
        "that route (or adds a NAT gateway), which changes all its internet traffic, and "
        "vpcpath never replaces a route"
    )
    users = snapshot.route_tables[table].subnet_ids if table in snapshot.route_tables else ()
    shared = any(
        snapshot.subnets[s].availability_zone != zone for s in users if s in snapshot.subnets
    )
    if same_zone and not shared:
        command = (
            f"aws ec2 replace-route --region {finding.region} --route-table-id {table} "
            f"--destination-cidr-block 0.0.0.0/0 --nat-gateway-id {same_zone[0]}"
        )
    elif same_zone:
        command = (
            f"aws ec2 create-route-table --region {finding.region} --vpc-id {finding.vpc_id}  "
            f"# {table} is shared with other zones: give {finding.subnet_ids[0]} a table of "
            f"its own whose 0.0.0.0/0 goes to {same_zone[0]}"
        )
    else:
        command = (
            f"aws ec2 create-nat-gateway --region {finding.region} --subnet-id "
            f"<a public subnet in {zone}> --allocation-id <an Elastic IP>  # then give "
            f"{finding.subnet_ids[0] if finding.subnet_ids else 'the subnet'} a route table "
            "of its own whose 0.0.0.0/0 goes to it"
        )
    return NotFixed(finding_id=finding.id, why=why, command=command)
