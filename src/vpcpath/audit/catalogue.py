"""Every audit check, registered explicitly (no discovery, no dotted-string dispatch)."""

from __future__ import annotations

from functools import partial

from vpcpath.audit.checks.cross_az import cross_az_nat
from vpcpath.audit.checks.ecr import ecr_pulls_via_nat
from vpcpath.audit.checks.endpoint_policy import endpoint_policy_blocks, endpoint_policy_invalid
from vpcpath.audit.checks.gateway_endpoints import (
    endpoint_not_associated,
    endpoint_route_overridden,
    service_via_nat,
)
from vpcpath.audit.checks.transit import service_via_transit_gateway
from vpcpath.audit.findings import Severity
from vpcpath.audit.registry import Check, CheckInfo
from vpcpath.policy import CATALOGUE, Expectation

_GATEWAY_DOC = "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html"
_ROUTE_PRIORITY_DOC = (
    "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html#route-tables-priority"
)

CHECKS: tuple[Check, ...] = (
    Check(
        CheckInfo(
            id="s3-via-nat",
            title="S3 traffic through NAT, no S3 gateway endpoint in the VPC",
            severity=Severity.HIGH,
            description=(
                "Subnets whose same-region S3 traffic leaves through a NAT gateway, in a VPC "
                "that has no S3 gateway endpoint. NAT bills every GiB in both directions; the "
                "gateway endpoint is free."
            ),
            doc_url=_GATEWAY_DOC,
            remediation="Create an S3 gateway endpoint and associate it with the route tables.",
        ),
        partial(service_via_nat, service="s3"),
    ),
    Check(
        CheckInfo(
            id="dynamodb-via-nat",
            title="DynamoDB traffic through NAT, no DynamoDB gateway endpoint in the VPC",
            severity=Severity.HIGH,
            description=(
                "Subnets whose same-region DynamoDB traffic leaves through a NAT gateway, in a "
                "VPC that has no DynamoDB gateway endpoint."
            ),
            doc_url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/vpc-endpoints-dynamodb.html",
            remediation=(
                "Create a DynamoDB gateway endpoint and associate it with the route tables."
            ),
        ),
        partial(service_via_nat, service="dynamodb"),
    ),
    Check(
        CheckInfo(
            id="s3-endpoint-not-associated",
            title="S3 gateway endpoint missing from a route table its subnets use",
            severity=Severity.HIGH,
            description=(
                "The VPC has an S3 gateway endpoint, but a route table that subnets use "
                "(explicitly, or implicitly as the main table) is not associated with it, so "
                "their S3 traffic still goes through NAT."
            ),
            doc_url=_GATEWAY_DOC,
            remediation=(
                "Associate the endpoint with the route table "
                "(modify-vpc-endpoint --add-route-table-ids)."
            ),
        ),
        partial(endpoint_not_associated, service="s3"),
    ),
    Check(
        CheckInfo(
            id="dynamodb-endpoint-not-associated",
            title="DynamoDB gateway endpoint missing from a route table its subnets use",
            severity=Severity.HIGH,
            description=(
                "The VPC has a DynamoDB gateway endpoint, but a route table that subnets use is "
                "not associated with it."
            ),
            doc_url=_GATEWAY_DOC,
            remediation="Associate the endpoint with the route table.",
        ),
        partial(endpoint_not_associated, service="dynamodb"),
    ),
    Check(
        CheckInfo(
            id="endpoint-route-overridden",
            title="A more specific route takes part of S3/DynamoDB away from the endpoint",
            severity=Severity.MEDIUM,
            description=(
                "The route table routes to the gateway endpoint, but a more specific static or "
                "propagated route wins for part of the service's prefix list (longest prefix "
                "match), sending that part through NAT."
            ),
            doc_url=_ROUTE_PRIORITY_DOC,
            remediation="Delete or narrow the more specific route.",
        ),
        endpoint_route_overridden,
    ),
    Check(
        CheckInfo(
            id="ecr-pulls-via-nat",
            title="ECR image layers download through NAT",
            severity=Severity.HIGH,
            description=(
                "Container hosts pull image layers from the AWS-owned S3 bucket "
                "prod-<region>-starport-layer-bucket; without an S3 gateway endpoint on their "
                "route table every pull pays NAT processing. Also says whether ECR interface "
                "endpoints would pay for themselves for the API calls."
            ),
            doc_url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
            remediation=(
                "Put the S3 gateway endpoint on the hosts' route tables; keep its policy open "
                "to the layer bucket."
            ),
        ),
        ecr_pulls_via_nat,
    ),
    Check(
        CheckInfo(
            id="cross-az-nat",
            title="Subnet uses a NAT gateway in another availability zone",
            severity=Severity.LOW,
            description=(
                "The subnet's default route goes to a NAT gateway in another zone: cross-AZ "
                "transfer is billed on both sides in both directions, and the subnet depends "
                "on the other zone."
            ),
            doc_url="https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html",
            remediation="Route to a NAT gateway in the same zone (or use a regional NAT gateway).",
        ),
        cross_az_nat,
    ),
    Check(
        CheckInfo(
            id="s3-via-transit-gateway",
            title="Same-region S3 sent to a centralised egress VPC through a transit gateway",
            severity=Severity.MEDIUM,
            description=(
                "S3 traffic goes through a transit gateway to another VPC's NAT: transit "
                "gateway processing plus NAT processing (plus cross-AZ where the zones differ), "
                "where a gateway endpoint in this VPC would be free (gateway endpoints are not "
                "reachable through a transit gateway, so one in the egress VPC cannot help)."
            ),
            doc_url=_GATEWAY_DOC,
            remediation="Create an S3 gateway endpoint in the spoke VPC, on its route tables.",
        ),
        partial(service_via_transit_gateway, service="s3"),
    ),
    Check(
        CheckInfo(
            id="dynamodb-via-transit-gateway",
            title="Same-region DynamoDB sent to a centralised egress VPC through a transit gateway",
            severity=Severity.MEDIUM,
            description=(
                "DynamoDB traffic goes through a transit gateway to another VPC's NAT: transit "
                "gateway processing plus NAT processing (plus cross-AZ where the zones differ), "
                "where a DynamoDB gateway endpoint in this VPC would be free."
            ),
            doc_url=_GATEWAY_DOC,
            remediation="Create a DynamoDB gateway endpoint in the spoke VPC, on its route tables.",
        ),
        partial(service_via_transit_gateway, service="dynamodb"),
    ),
    Check(
        CheckInfo(
            id="endpoint-policy-invalid",
            title="Gateway endpoint policy that vpcpath cannot evaluate",
            severity=Severity.MEDIUM,
            description=(
                "The endpoint's policy document is malformed or uses an element vpcpath does "
                "not understand; its effect on the workloads' requests is unknown."
            ),
            doc_url="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
            remediation="Fix the policy document.",
        ),
        endpoint_policy_invalid,
    ),
    # One check per request the workloads need through the endpoint (the request catalogue).
    *(
        Check(
            CheckInfo(
                id=entry.finding_id,
                title=f"Endpoint policy blocks {entry.name}",
                severity=Severity.HIGH
                if entry.name in ("ecr-image-layers", "own-bucket")
                else Severity.MEDIUM,
                description=entry.description,
                doc_url=entry.citations[0].url if entry.citations else "",
                remediation="Allow the request in the endpoint policy (vpcpath policy suggest).",
            ),
            partial(endpoint_policy_blocks, entry=entry),
        )
        for entry in CATALOGUE
        if entry.expectation is Expectation.ALLOW
    ),
)
