"""``policy check``: which catalogue requests a gateway endpoint's policy lets through.

A request the workloads need (``Expectation.ALLOW``) that the policy denies is a *break*
(after "just add the S3 endpoint", ECR pulls fail with 403 on the layer download, yum/dnf and
SSM stop); a request a data perimeter must stop (``Expectation.DENY``) that the policy
allows is a *perimeter gap*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vpcpath.errors import PolicyError
from vpcpath.policy.catalogue import Expectation, GatewayService
from vpcpath.policy.catalogue_requests import catalogue_requests
from vpcpath.policy.document import Policy, parse_policy
from vpcpath.policy.evaluate import evaluate
from vpcpath.policy.limits import over_limit_message, policy_characters

# "If you don't attach an endpoint policy, we attach the default endpoint policy", which
# allows full access (PrivateLink guide, "Control access to VPC endpoints using endpoint
# policies", "Default endpoint policy",
# https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
DEFAULT_ENDPOINT_POLICY: Mapping[str, object] = {
    "Version": "2008-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
}

PolicyInput = str | bytes | Mapping[str, object] | Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestResult:
    """One catalogue request and what the endpoint policy decided."""

    name: str
    action: str
    resource: str
    allowed: bool
    decided_by: str | None
    reason: str
    expectation: Expectation
    finding_id: str
    description: str

    @property
    def breaks(self) -> bool:
        return self.expectation is Expectation.ALLOW and not self.allowed

    @property
    def perimeter_gap(self) -> bool:
        return self.expectation is Expectation.DENY and self.allowed


@dataclass(frozen=True, slots=True, kw_only=True)
class EndpointPolicyCheck:
    service_name: str
    region: str
    vpc_endpoint_id: str | None
    default_policy: bool
    results: tuple[RequestResult, ...]
    # Characters of the policy text (policy/limits.py); None when it was given decoded.
    characters: int | None = None

    @property
    def size_problem(self) -> str | None:
        """Why AWS would refuse this policy for its size, or None."""
        return over_limit_message(self.characters) if self.characters is not None else None

    @property
    def breaks(self) -> tuple[str, ...]:
        """Names of the needed requests the policy denies, in catalogue order."""
        return tuple(result.name for result in self.results if result.breaks)

    @property
    def perimeter_gaps(self) -> tuple[str, ...]:
        """Names of the requests a data perimeter must stop that the policy lets through."""
        return tuple(result.name for result in self.results if result.perimeter_gap)

    @property
    def finding_ids(self) -> tuple[str, ...]:
        """Audit finding ids, one per broken catalogue entry (``endpoint-policy-blocks-ecr``…)."""
        ids: list[str] = []
        for result in self.results:
            if result.breaks and result.finding_id not in ids:
                ids.append(result.finding_id)
        return tuple(ids)


def gateway_service(service_name: str) -> GatewayService:
    """``com.amazonaws.<region>.s3`` → S3, ``….dynamodb`` → DynamoDB (the only gateway ones)."""
    last = service_name.rsplit(".", 1)[-1]
    for service in GatewayService:
        if last == service.value:
            return service
    raise PolicyError(
        f"{service_name}: not a gateway endpoint service (only S3 and DynamoDB have gateway "
        "endpoints); vpcpath has no request catalogue for it"
    )


def as_policy(policy: PolicyInput) -> Policy:
    return policy if isinstance(policy, Policy) else parse_policy(policy)


def check_endpoint_policy(
    policy: PolicyInput | None,
    *,
    service_name: str,
    region: str,
    account_id: str,
    org_id: str | None = None,
    vpc_endpoint_id: str | None = None,
    vpc_id: str | None = None,
    own_resources: Sequence[str] = (),
) -> EndpointPolicyCheck:
    """Evaluate every catalogue request of the endpoint's service against its policy.

    ``policy`` is the endpoint's PolicyDocument (text, as DescribeVpcEndpoints returns it, or
    decoded); None means the default full-access policy. A malformed policy raises
    PolicyError naming the element.
    """
    parsed = as_policy(DEFAULT_ENDPOINT_POLICY if policy is None else policy)
    requests = catalogue_requests(
        service=gateway_service(service_name),
        region=region,
        account_id=account_id,
        org_id=org_id,
        vpc_endpoint_id=vpc_endpoint_id,
        vpc_id=vpc_id,
        own_resources=own_resources,
    )
    results: list[RequestResult] = []
    for item in requests:
        decision = evaluate(parsed, item.request)
        results.append(
            RequestResult(
                name=item.name,
                action=item.request.action,
                resource=item.request.resource,
                allowed=decision.allowed,
                decided_by=decision.decided_by,
                reason=decision.reason,
                expectation=item.entry.expectation,
                finding_id=item.entry.finding_id,
                description=item.entry.description,
            )
        )
    return EndpointPolicyCheck(
        service_name=service_name,
        region=region,
        vpc_endpoint_id=vpc_endpoint_id,
        default_policy=policy is None,
        results=tuple(results),
        characters=policy_characters(policy) if isinstance(policy, str | bytes) else None,
    )
