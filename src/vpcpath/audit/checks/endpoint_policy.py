"""Gateway endpoint policies that would deny requests the workloads need (ECR layers first).

ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)" → "Minimum Amazon S3
bucket permissions for Amazon ECR": the S3 endpoint policy must allow ``s3:GetObject`` on
``arn:aws:s3:::prod-<region>-starport-layer-bucket/*``, a bucket AWS owns — so a policy
limited to the organisation's own buckets breaks image pulls with 403. The request catalogue
(``vpcpath.policy.catalogue``) cites the sources of the other AWS-owned buckets.
"""

from __future__ import annotations

from collections.abc import Iterator

from vpcpath.audit.context import AuditContext
from vpcpath.audit.findings import Finding, Severity
from vpcpath.policy import CatalogueEntry, EndpointPolicyCheck


def endpoint_policy_blocks(ctx: AuditContext, entry: CatalogueEntry) -> Iterator[Finding]:
    for endpoint_id, check in sorted(ctx.policy_checks.items()):
        if not isinstance(check, EndpointPolicyCheck):
            continue
        broken = [r for r in check.results if r.breaks and r.finding_id == entry.finding_id]
        if not broken:
            continue
        endpoint = ctx.snapshot.endpoints[endpoint_id]
        result = broken[0]
        decided = (
            f"statement {result.decided_by}" if result.decided_by else "no statement allows it"
        )
        yield Finding(
            id=f"{entry.finding_id}:{endpoint_id}",
            check=entry.finding_id,
            severity=Severity.HIGH
            if entry.name in ("ecr-image-layers", "own-bucket")
            else Severity.MEDIUM,
            title=f"{endpoint_id}'s policy denies {entry.name} ({result.action} {result.resource})",
            region=endpoint.region,
            vpc_id=endpoint.vpc_id,
            route_table_ids=tuple(sorted(endpoint.route_table_ids)),
            endpoint_id=endpoint_id,
            explanation=(
                f"{entry.description} Through {endpoint_id} this request is denied "
                f"({decided}: {result.reason}); workloads on "
                f"{', '.join(sorted(endpoint.route_table_ids)) or 'its route tables'} get 403."
            ),
            remediation=(
                "allow the request in the endpoint policy; `vpcpath policy suggest --region "
                f"{endpoint.region}` prints a least-privilege policy that does"
            ),
        )


def endpoint_policy_invalid(ctx: AuditContext) -> Iterator[Finding]:
    for endpoint_id, check in sorted(ctx.policy_checks.items()):
        if isinstance(check, str):
            endpoint = ctx.snapshot.endpoints[endpoint_id]
            yield Finding(
                id=f"endpoint-policy-invalid:{endpoint_id}",
                check="endpoint-policy-invalid",
                severity=Severity.MEDIUM,
                title=f"{endpoint_id}'s policy could not be evaluated",
                region=endpoint.region,
                vpc_id=endpoint.vpc_id,
                endpoint_id=endpoint_id,
                explanation=f"vpcpath could not read the endpoint policy: {check}",
                remediation=(
                    "check the policy document; vpcpath never treats an unreadable policy as allow"
                ),
            )
