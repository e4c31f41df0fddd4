"""The catalogue's entries as request contexts for one region, account and endpoint.

Who signs and who owns decides the context keys a policy can test:

- AWS-owned buckets (ECR layers, Amazon Linux repositories, SSM and CloudWatch agent buckets)
  are not in the customer's organization, so aws:ResourceAccount and aws:ResourceOrgID are
  AWS's, never the customer's. AWS does not publish those ids; vpcpath uses the sentinels
  ``AWS_OWNED_ACCOUNT`` and ``AWS_OWNED_ORG``, which can never equal a real account or
  organization id, so every operator compares them as a foreign value would be compared.
- ECR layer downloads use "a presigned URL, which is created by an Amazon ECR account and not
  the service principal" (aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies
  README): a signed request from a foreign account, aws:PrincipalIsAWSService false, and no
  aws:PrincipalOrgID of the customer's.
- Amazon Linux repositories, SSM Agent and CloudWatch agent downloads are unauthenticated
  calls from the instance ("makes an unauthenticated call to Amazon S3", same README): no
  principal keys at all.
- The workload's own buckets and tables: a role of the account (and organization) calling a
  resource of the account (and organization).
- A foreign bucket or table: the same role writing to another account's resource, which a
  data-perimeter endpoint policy must deny.

Every request travels through the gateway endpoint, so aws:SourceVpce and aws:SourceVpc are
set and aws:SourceIp is absent ("AWS global condition context keys": aws:SourceIp "is
included in the request context, except when the requester uses a VPC endpoint").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vpcpath.policy.catalogue import (
    CATALOGUE,
    Caller,
    CatalogueEntry,
    GatewayService,
    Owner,
    partition_for,
)
from vpcpath.policy.requests import (
    RequestContext,
    RequestPrincipal,
    anonymous_principal,
    make_request,
    role_principal,
)

AWS_OWNED_ACCOUNT = "aws-owned-account"
AWS_OWNED_ORG = "o-aws-owned"
FOREIGN_ORG = "o-foreign"
WORKLOAD_ROLE = "vpcpath-workload"
ECR_PRESIGNER_ROLE = "ecr-layer-presigner"


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueRequest:
    """An entry instantiated for one region: its request context and display name."""

    name: str
    entry: CatalogueEntry
    request: RequestContext


def foreign_account_for(account_id: str) -> str:
    """A well-formed account id (AWS's documentation example) that is not ``account_id``."""
    return "111122223333" if account_id != "111122223333" else "444455556666"


def catalogue_requests(
    *,
    service: GatewayService,
    region: str,
    account_id: str,
    org_id: str | None = None,
    vpc_endpoint_id: str | None = None,
    vpc_id: str | None = None,
    own_resources: Sequence[str] = (),
) -> tuple[CatalogueRequest, ...]:
    """Every catalogue request for ``service`` in ``region``, as seen through the endpoint.

    ``own_resources`` names the account's buckets (or tables); without names, one
    representative resource of the account stands for them.
    """
    partition = partition_for(region)
    foreign_account = foreign_account_for(account_id)
    endpoint_keys = {
        "aws:SourceVpce": vpc_endpoint_id,
        "aws:SourceVpc": vpc_id,
        "aws:RequestedRegion": region,
        "aws:SecureTransport": "true",
    }
    workload = role_principal(
        account_id=account_id,
        role_name=WORKLOAD_ROLE,
        org_id=org_id,
        partition=partition,
        description=f"a workload role of account {account_id}",
    )
    presigner = role_principal(
        account_id=AWS_OWNED_ACCOUNT,
        role_name=ECR_PRESIGNER_ROLE,
        partition=partition,
        description="the ECR service account that presigned the layer URL",
    )
    callers: dict[Caller, RequestPrincipal] = {
        Caller.ANONYMOUS: anonymous_principal(),
        Caller.AWS_PRESIGNED: presigner,
        Caller.WORKLOAD: workload,
    }
    owners = {
        Owner.AWS: (AWS_OWNED_ACCOUNT, AWS_OWNED_ORG),
        Owner.CUSTOMER: (account_id, org_id),
        Owner.FOREIGN: (foreign_account, FOREIGN_ORG),
    }
    requests: list[CatalogueRequest] = []
    for entry in CATALOGUE:
        if entry.service is not service:
            continue
        resource_account, resource_org = owners[entry.owner]
        keys = {
            **endpoint_keys,
            "aws:ResourceAccount": resource_account,
            "aws:ResourceOrgID": resource_org,
        }
        for display_name, resource_name in _resource_names(
            entry, region, account_id, foreign_account, own_resources
        ):
            arn = _resource_arn(entry, partition, region, resource_account, resource_name)
            request = make_request(
                action=entry.action, resource=arn, principal=callers[entry.caller], keys=keys
            )
            requests.append(CatalogueRequest(name=display_name, entry=entry, request=request))
    return tuple(requests)


def _resource_names(
    entry: CatalogueEntry,
    region: str,
    account_id: str,
    foreign_account: str,
    own_resources: Sequence[str],
) -> tuple[tuple[str, str], ...]:
    noun = "bucket" if entry.service is GatewayService.S3 else "table"
    if entry.owner is Owner.CUSTOMER:
        if own_resources:
            return tuple((f"{entry.name}:{name}", name) for name in own_resources)
        return ((entry.name, f"vpcpath-example-{noun}-{account_id}"),)
    if entry.owner is Owner.FOREIGN:
        return ((entry.name, f"vpcpath-foreign-{noun}-{foreign_account}"),)
    return ((entry.name, entry.name_in(region)),)


def _resource_arn(
    entry: CatalogueEntry, partition: str, region: str, account: str, name: str
) -> str:
    if entry.service is GatewayService.S3:
        return f"arn:{partition}:s3:::{name}/{entry.object_key}"
    return f"arn:{partition}:dynamodb:{region}:{account}:table/{name}"
