"""``policy suggest``: a least-privilege gateway endpoint policy in the data-perimeter style.

Modelled on AWS's sample S3 endpoint policy (aws-samples/data-perimeter-policy-examples,
``vpc_endpoint_policies/s3_endpoint_policy.json``, statement by statement):

- ``AllowRequestsByOrgsIdentitiesToOrgsResources``: the organization's principals to the
  organization's resources (aws:PrincipalOrgID and aws:ResourceOrgID). With only an account,
  the same with aws:PrincipalAccount and aws:ResourceAccount.
- ``AllowRequestsByAWSServicePrincipals``: AWS service principals (aws:PrincipalIsAWSService).
- ``AllowRequestsToAWSOwnedResources``: the AWS-owned buckets the workloads read, for any
  principal (the Amazon Linux, SSM and CloudWatch agent downloads are unsigned and the ECR
  layer URL is presigned by an ECR account), s3:GetObject only.
- ``AllowRequestsByOrgsIdentitiesToListedBuckets`` (only with ``allow_buckets``): the
  organization's (or account's) principals to buckets outside it, the sample's
  "…ToThirdPartyResources" pattern.

The sample's ``AllowRequestsByOrgsIdentitiesToAnyResources`` (tag-based exception) is left
out: it is not least privilege. ``policy check`` proves the result: every needed catalogue
request passes and the foreign bucket is denied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vpcpath.errors import UsageError
from vpcpath.model.regions import REGION_RE
from vpcpath.policy.catalogue import GatewayService, aws_owned_bucket_names, partition_for
from vpcpath.policy.limits import over_limit_message, policy_characters

_ACCOUNT = re.compile(r"^\d{12}$")
_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")
# "Bucket naming rules" (S3 User Guide): 3-63 characters of lowercase letters, digits, dots
# and hyphens, beginning and ending with a letter or digit.
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def suggest_endpoint_policy(
    *,
    region: str,
    service: str = "s3",
    org_id: str | None = None,
    account_id: str | None = None,
    allow_buckets: Sequence[str] = (),
) -> dict[str, object]:
    """The policy document as a JSON-ready dict. Needs ``org_id`` or ``account_id``."""
    gateway = _gateway(service)
    _validate(region, org_id, account_id, allow_buckets, gateway)
    if org_id is not None:
        sid = "AllowRequestsByOrgsIdentitiesToOrgsResources"
        perimeter = {"aws:PrincipalOrgID": org_id, "aws:ResourceOrgID": org_id}
        principal_condition = {"aws:PrincipalOrgID": org_id}
        listed_sid = "AllowRequestsByOrgsIdentitiesToListedBuckets"
    else:
        assert account_id is not None
        sid = "AllowRequestsByAccountIdentitiesToAccountResources"
        perimeter = {"aws:PrincipalAccount": account_id, "aws:ResourceAccount": account_id}
        principal_condition = {"aws:PrincipalAccount": account_id}
        listed_sid = "AllowRequestsByAccountIdentitiesToListedBuckets"
    statements: list[dict[str, object]] = [
        {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringEquals": perimeter},
        },
        {
            "Sid": "AllowRequestsByAWSServicePrincipals",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:PrincipalIsAWSService": "true"}},
        },
    ]
    if gateway is GatewayService.S3:
        partition = partition_for(region)
        statements.append(
            {
                "Sid": "AllowRequestsToAWSOwnedResources",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [
                    f"arn:{partition}:s3:::{bucket}/*" for bucket in aws_owned_bucket_names(region)
                ],
            }
        )
        if allow_buckets:
            resources: list[str] = []
            for bucket in allow_buckets:
                resources += [f"arn:{partition}:s3:::{bucket}", f"arn:{partition}:s3:::{bucket}/*"]
            statements.append(
                {
                    "Sid": listed_sid,
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": resources,
                    "Condition": {"StringEquals": principal_condition},
                }
            )
    policy: dict[str, object] = {"Version": "2012-10-17", "Statement": statements}
    too_large = over_limit_message(policy_characters(policy))
    if too_large is not None:
        # Never hand out a policy AWS would refuse (policy/limits.py).
        raise UsageError(
            f"{too_large}; allow fewer buckets ({len(allow_buckets)} given) or name them with "
            "a wildcard (arn:aws:s3:::prefix-*)"
        )
    return policy


def _gateway(service: str) -> GatewayService:
    try:
        return GatewayService(service)
    except ValueError as exc:
        raise UsageError(f"service {service!r}: choose 's3' or 'dynamodb'") from exc


def _validate(
    region: str,
    org_id: str | None,
    account_id: str | None,
    allow_buckets: Sequence[str],
    gateway: GatewayService,
) -> None:
    if not REGION_RE.match(region):
        raise UsageError(f"region {region!r} is not a region name such as 'us-east-1'")
    if org_id is None and account_id is None:
        raise UsageError("give an organization id or an account id to scope the policy")
    if org_id is not None and not _ORG.match(org_id):
        raise UsageError(f"{org_id!r} is not an organization id such as 'o-a1b2c3d4e5'")
    if account_id is not None and not _ACCOUNT.match(account_id):
        raise UsageError(f"{account_id!r} is not a 12-digit account id")
    if allow_buckets and gateway is not GatewayService.S3:
        raise UsageError("allowed buckets apply only to an S3 endpoint policy")
    for bucket in allow_buckets:
        if not _BUCKET.match(bucket):
            raise UsageError(f"{bucket!r} is not a valid S3 bucket name")
