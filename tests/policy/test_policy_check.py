"""``policy check`` against the project's hand-written policies (AWS's own samples are in
``tests/corpus/test_policy_aws_samples.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.policy.endpoint_policies import (
    ACCOUNT,
    ORG,
    ORG_ONLY,
    ORG_TO_AWS_ACCOUNT,
    S3_PERIMETER,
    check_s3,
    filled,
)
from vpcpath.errors import PolicyError
from vpcpath.policy.catalogue import GatewayService
from vpcpath.policy.check import check_endpoint_policy, gateway_service
from vpcpath.policy.document import parse_policy

S3 = "com.amazonaws.us-east-1.s3"
AWS_OWNED_NAMES = (
    "ecr-image-layers",
    "amazon-linux-2-repos",
    "amazon-linux-2-mirror-list",
    "amazon-linux-2023-repos",
    "ssm-agent-updates",
    "ssm-document-modules",
    "ssm-distributor",
    "ssm-document-attachments",
    "ssm-patch-baseline-snapshots",
    "ssm-packages-legacy",
    "ssm-windows-downloads",
    "cloudwatch-agent",
)

RESOURCE_ACCOUNT_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OnlyMyAccountsResources",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceAccount": ACCOUNT}},
            }
        ],
    }
)


def test_resource_account_only_policy_blocks_ecr() -> None:
    # The acceptance case: "only my account's resources" breaks every AWS-owned download.
    check = check_endpoint_policy(
        RESOURCE_ACCOUNT_ONLY, service_name=S3, region="us-east-1", account_id=ACCOUNT, org_id=ORG
    )
    assert check.breaks == AWS_OWNED_NAMES
    assert check.finding_ids[0] == "endpoint-policy-blocks-ecr"
    assert len(check.finding_ids) == len(AWS_OWNED_NAMES)
    assert check.perimeter_gaps == ()
    ecr = check.results[0]
    assert (ecr.name, ecr.allowed, ecr.decided_by) == ("ecr-image-layers", False, None)
    own = next(r for r in check.results if r.name == "own-bucket")
    assert (own.allowed, own.decided_by) == (True, "OnlyMyAccountsResources")


def test_org_perimeter_keeps_ecr_working() -> None:
    # The same estate with a data-perimeter S3 endpoint policy: nothing breaks, the foreign
    # bucket is denied, and the AWS-owned downloads pass by the AWS-owned-downloads statement.
    check = check_s3(filled(S3_PERIMETER, "us-east-1"), vpc_endpoint_id="vpce-0a1b2c3d")
    assert check.breaks == ()
    assert check.finding_ids == ()
    assert check.perimeter_gaps == ()
    decided = {r.name: (r.allowed, r.decided_by) for r in check.results}
    for name in AWS_OWNED_NAMES:
        assert decided[name] == (True, "AwsOwnedDownloads")
    assert decided["own-bucket"] == (True, "OrgPrincipalsToOrgResources")
    assert decided["foreign-bucket"] == (False, None)


@pytest.mark.parametrize("region", ["af-south-1", "me-south-1"])
def test_org_perimeter_in_regions_with_ssm_exceptions(region: str) -> None:
    check = check_s3(filled(S3_PERIMETER, region), region)
    # af-south-1 uses aws-ssm-distributor-file-<region>, which the policy lists; me-south-1's
    # patch-baseline-snapshot-me-south-1-uduvl7q8 is not matched by the policy's
    # patch-baseline-snapshot-<region>/* entry, so patching there breaks.
    expected = ("ssm-patch-baseline-snapshots",) if region == "me-south-1" else ()
    assert check.breaks == expected


def test_org_only_policy_on_s3_breaks_aws_owned_downloads() -> None:
    # A policy without an AWS-owned-downloads statement: on an S3 endpoint it lets the
    # organization work with its own buckets and blocks the rest.
    check = check_s3(filled(ORG_ONLY, "us-east-1"))
    assert check.breaks == AWS_OWNED_NAMES
    assert check.perimeter_gaps == ()


def test_ecr_api_policy_pattern_does_not_carry_over_to_s3() -> None:
    # An ecr.api-style policy allows AWS resources only to the organization's principals
    # (aws:ResourceAccount + aws:PrincipalOrgID). Copied onto the S3 endpoint, the layer
    # download — presigned by an ECR account outside the organization — is denied.
    check = check_s3(filled(ORG_TO_AWS_ACCOUNT, "us-east-1"))
    assert "ecr-image-layers" in check.breaks
    assert check.finding_ids[0] == "endpoint-policy-blocks-ecr"


def test_no_policy_means_the_default_full_access_policy() -> None:
    check = check_endpoint_policy(None, service_name=S3, region="us-east-1", account_id=ACCOUNT)
    assert check.default_policy is True
    assert check.breaks == ()
    assert check.perimeter_gaps == ("foreign-bucket",)
    assert {r.decided_by for r in check.results} == {"Statement[0]"}


def test_explicit_deny_is_reported_by_its_sid() -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {
                "Sid": "NoAnonymous",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Resource": "*",
                "Condition": {"Null": {"aws:PrincipalAccount": "true"}},
            },
        ],
    }
    check = check_endpoint_policy(policy, service_name=S3, region="us-east-1", account_id=ACCOUNT)
    denied = {r.name: r.decided_by for r in check.results if not r.allowed}
    # The anonymous downloads are denied; ECR (signed) and the workload's requests pass.
    assert set(denied) == set(AWS_OWNED_NAMES) - {"ecr-image-layers"}
    assert set(denied.values()) == {"NoAnonymous"}
    assert check.results[0].reason == "allowed by Statement[0]"


def test_dynamodb_endpoint() -> None:
    check = check_endpoint_policy(
        None,
        service_name="com.amazonaws.eu-west-1.dynamodb",
        region="eu-west-1",
        account_id=ACCOUNT,
        own_resources=("orders",),
    )
    assert [(r.name, r.allowed) for r in check.results] == [
        ("dynamodb-own-table:orders", True),
        ("dynamodb-foreign-table", True),
    ]
    assert check.perimeter_gaps == ("dynamodb-foreign-table",)


def test_gateway_service_names() -> None:
    assert gateway_service("com.amazonaws.us-east-1.s3") is GatewayService.S3
    assert gateway_service("com.amazonaws.us-east-1.dynamodb") is GatewayService.DYNAMODB
    with pytest.raises(PolicyError, match=r"com\.amazonaws\.us-east-1\.ecr\.api: not a gateway"):
        check_endpoint_policy(
            None,
            service_name="com.amazonaws.us-east-1.ecr.api",
            region="us-east-1",
            account_id=ACCOUNT,
        )


def test_malformed_endpoint_policy_is_an_error_not_an_allow() -> None:
    policy = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}]}
    with pytest.raises(PolicyError, match=r"^Statement\[0\]: needs Resource or NotResource$"):
        check_endpoint_policy(policy, service_name=S3, region="us-east-1", account_id=ACCOUNT)
    with pytest.raises(PolicyError, match="unfilled placeholder"):
        check_endpoint_policy(
            S3_PERIMETER.read_text(), service_name=S3, region="us-east-1", account_id=ACCOUNT
        )


@pytest.mark.parametrize(
    ("policy", "sids"),
    [
        (
            S3_PERIMETER,
            [
                "OrgPrincipalsToOrgResources",
                "AwsServicesActingForUs",
                "AwsOwnedDownloads",
                "OrgPrincipalsToPartnerExchange",
            ],
        ),
        (
            ORG_ONLY,
            ["OrgPrincipalsToOrgResources", "AwsServicesActingForUs", "TaggedPrincipalsAnywhere"],
        ),
    ],
)
def test_policies_parse_completely(policy: Path, sids: list[str]) -> None:
    text = filled(policy, "us-east-1")
    parsed = parse_policy(text)
    assert [s.label for s in parsed.statements] == sids
    raw_statements = json.loads(text)["Statement"]
    for statement, raw in zip(parsed.statements, raw_statements, strict=True):
        raw_resources = raw["Resource"]
        expected = (raw_resources,) if isinstance(raw_resources, str) else tuple(raw_resources)
        assert statement.resources == expected
        condition_keys = sum(len(keys) for keys in raw.get("Condition", {}).values())
        assert len(statement.conditions) == condition_keys


def test_org_only_policy_on_a_dynamodb_endpoint_is_a_perimeter() -> None:
    check = check_endpoint_policy(
        filled(ORG_ONLY, "eu-west-1"),
        service_name="com.amazonaws.eu-west-1.dynamodb",
        region="eu-west-1",
        account_id=ACCOUNT,
        org_id=ORG,
    )
    assert [(r.name, r.allowed, r.decided_by) for r in check.results] == [
        ("dynamodb-own-table", True, "OrgPrincipalsToOrgResources"),
        ("dynamodb-foreign-table", False, None),
    ]
