"""The one action that fixes a group of findings (one check, one VPC), as words and commands.

Gateway endpoints: one ``modify-vpc-endpoint`` takes every route table to add
(``--add-route-table-ids`` is a list; EC2 API Reference, "ModifyVpcEndpoint",
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html), and one
``create-vpc-endpoint`` creates a gateway endpoint on every route table at once
(``--route-table-ids``; "CreateVpcEndpoint",
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html). Actions
that remove or replace routes get words, not commands: a person decides those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vpcpath.audit.findings import Finding

_LABEL = {"s3": "S3", "dynamodb": "DynamoDB"}


@dataclass(frozen=True, slots=True, kw_only=True)
class FixAction:
    summary: str  # "associate vpce-… with 38 route tables in vpc-…"
    commands: tuple[str, ...] = ()  # AWS CLI commands that carry it out, when safe to give


def fix_action(findings: Sequence[Finding]) -> FixAction:
    """The action for ``findings`` of one check in one VPC (``grouping.group_findings``)."""
    first = findings[0]
    check, vpc, region = first.check, first.vpc_id, first.region
    tables = sorted({t for f in findings for t in f.route_table_ids})
    endpoints = sorted({f.endpoint_id for f in findings if f.endpoint_id})
    if check.endswith("-endpoint-not-associated") and len(endpoints) == 1:
        return FixAction(
            summary=f"associate {endpoints[0]} with {_count(tables, 'route table')} in {vpc}",
            commands=(
                f"aws ec2 modify-vpc-endpoint --region {region} --vpc-endpoint-id "
                f"{endpoints[0]} --add-route-table-ids {' '.join(tables)}",
            ),
        )
    service = check.removesuffix("-via-nat").removesuffix("-via-transit-gateway")
    via_tgw = check.endswith("-via-transit-gateway")
    if (check in ("s3-via-nat", "dynamodb-via-nat") or via_tgw) and tables:
        # Behind a transit gateway the endpoint goes in the spoke: one in the egress VPC is
        # not reachable through the transit gateway (checks/transit.py).
        return FixAction(
            summary=(
                f"create {'an' if service == 's3' else 'a'} {_LABEL[service]} gateway endpoint "
                f"in {vpc}{' (the spoke)' if via_tgw else ''} on {_count(tables, 'route table')}"
            ),
            commands=(_create_endpoint(vpc, region, service, tables),),
        )
    if check == "endpoint-route-overridden":
        routes = sorted({p.hops[0].route or "" for f in findings for p in f.traces[:1]} - {""})
        return FixAction(
            summary=(
                f"delete or narrow route {', '.join(routes) or '(see findings)'} in "
                f"{_count(tables, 'route table')} of {vpc}"
            )
        )
    if check == "cross-az-nat" and len(findings) > 1:
        return FixAction(
            summary=(
                f"route the 0.0.0.0/0 of {_count(tables, 'route table')} in {vpc} to a NAT "
                "gateway in the subnet's own zone (or a regional NAT gateway)"
            )
        )
    if check == "ecr-pulls-via-nat" and len(findings) == 1 and first.remediation:
        # The advice on the endpoint policy stays with the finding; the action is the routing.
        return FixAction(summary=first.remediation.split(";")[0])
    remedies = list(dict.fromkeys(f.remediation for f in findings if f.remediation))
    if len(remedies) == 1:
        return FixAction(summary=remedies[0])
    if not remedies:
        return FixAction(summary="no automatic fix: see the findings")
    return FixAction(summary=f"apply each finding's fix ({len(findings)} findings)")


def _create_endpoint(vpc: str, region: str, service: str, tables: Sequence[str]) -> str:
    return (
        f"aws ec2 create-vpc-endpoint --region {region} --vpc-id {vpc} "
        f"--vpc-endpoint-type Gateway --service-name com.amazonaws.{region}.{service} "
        f"--route-table-ids {' '.join(tables)}"
    )


def _count(items: Sequence[str], noun: str) -> str:
    if len(items) == 1:
        return f"{noun} {items[0]}"
    return f"{len(items)} {noun}s"
