"""``policy suggest``: the data-perimeter policy it builds, proven by ``policy check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.policy.endpoint_policies import ACCOUNT, ORG
from vpcpath.errors import UsageError
from vpcpath.policy.check import check_endpoint_policy
from vpcpath.policy.document import parse_policy
from vpcpath.policy.evaluate import evaluate
from vpcpath.policy.requests import make_request, role_principal
from vpcpath.policy.suggest import suggest_endpoint_policy

PRICES = (
    Path(__file__).resolve().parents[2] / "src" / "vpcpath" / "pricing" / "data" / "prices.json"
)
# The commercial regions, should the bundled price table be missing.
COMMERCIAL_REGIONS = (
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
    "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
    "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
)  # fmt: skip


def price_table_regions() -> tuple[str, ...]:
    if PRICES.is_file():
        regions: dict[str, Any] = json.loads(PRICES.read_text())["regions"]
        return tuple(sorted(regions))
    return COMMERCIAL_REGIONS


REGIONS = price_table_regions()


def test_price_table_regions_are_read() -> None:
    assert len(REGIONS) >= 30
    assert {"us-east-1", "eu-west-1", "af-south-1", "me-south-1"} <= set(REGIONS)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("scope", ["org", "account"])
def test_suggested_policy_passes_check_in_every_region(region: str, scope: str) -> None:
    org_id = ORG if scope == "org" else None
    account_id = None if scope == "org" else ACCOUNT
    policy = suggest_endpoint_policy(region=region, org_id=org_id, account_id=account_id)
    check = check_endpoint_policy(
        json.dumps(policy),
        service_name=f"com.amazonaws.{region}.s3",
        region=region,
        account_id=ACCOUNT,
        org_id=org_id,
    )
    results = {r.name: r for r in check.results}
    assert check.breaks == ()
    assert check.perimeter_gaps == ()
    for name in (
        "ecr-image-layers",
        "amazon-linux-2-repos",
        "amazon-linux-2023-repos",
        "ssm-agent-updates",
        "ssm-distributor",
        "cloudwatch-agent",
    ):
        assert results[name].allowed
        assert results[name].decided_by == "AllowRequestsToAWSOwnedResources"
    assert results["foreign-bucket"].allowed is False
    assert results["own-bucket"].allowed is True


@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-2"])
def test_suggested_dynamodb_policy(region: str) -> None:
    policy = suggest_endpoint_policy(region=region, service="dynamodb", org_id=ORG)
    check = check_endpoint_policy(
        policy,
        service_name=f"com.amazonaws.{region}.dynamodb",
        region=region,
        account_id=ACCOUNT,
        org_id=ORG,
    )
    assert [(r.name, r.allowed) for r in check.results] == [
        ("dynamodb-own-table", True),
        ("dynamodb-foreign-table", False),
    ]


def test_suggested_s3_policy_for_an_organization() -> None:
    policy = suggest_endpoint_policy(region="eu-west-1", org_id=ORG)
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowRequestsByOrgsIdentitiesToOrgsResources",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "*",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:PrincipalOrgID": ORG, "aws:ResourceOrgID": ORG}
                },
            },
            {
                "Sid": "AllowRequestsByAWSServicePrincipals",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:PrincipalIsAWSService": "true"}},
            },
            {
                "Sid": "AllowRequestsToAWSOwnedResources",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [
                    "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*",
                    "arn:aws:s3:::amazonlinux-2-repos-eu-west-1/*",
                    "arn:aws:s3:::amazonlinux.eu-west-1.amazonaws.com/*",
                    "arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*",
                    "arn:aws:s3:::amazon-ssm-eu-west-1/*",
                    "arn:aws:s3:::aws-ssm-eu-west-1/*",
                    "arn:aws:s3:::eu-west-1-birdwatcher-prod/*",
                    "arn:aws:s3:::aws-ssm-document-attachments-eu-west-1/*",
                    "arn:aws:s3:::patch-baseline-snapshot-eu-west-1/*",
                    "arn:aws:s3:::amazon-ssm-packages-eu-west-1/*",
                    "arn:aws:s3:::aws-windows-downloads-eu-west-1/*",
                    "arn:aws:s3:::amazoncloudwatch-agent-eu-west-1/*",
                ],
            },
        ],
    }


def test_account_scope_uses_account_keys() -> None:
    statements = suggest_endpoint_policy(region="us-east-1", account_id=ACCOUNT)["Statement"]
    assert isinstance(statements, list)
    assert statements[0] == {
        "Sid": "AllowRequestsByAccountIdentitiesToAccountResources",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "*",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT}
        },
    }


def test_allowed_buckets_are_open_to_the_organization_only() -> None:
    document = suggest_endpoint_policy(
        region="us-east-1", org_id=ORG, allow_buckets=("partner-exchange",)
    )
    statements = document["Statement"]
    assert isinstance(statements, list)
    assert statements[-1] == {
        "Sid": "AllowRequestsByOrgsIdentitiesToListedBuckets",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::partner-exchange", "arn:aws:s3:::partner-exchange/*"],
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}},
    }
    policy = parse_policy(document)
    partner = {"aws:ResourceAccount": "222233334444"}
    insider = role_principal(account_id=ACCOUNT, role_name="app", org_id=ORG)
    outsider = role_principal(account_id="999988887777", role_name="app")
    put = "arn:aws:s3:::partner-exchange/report.csv"
    assert evaluate(
        policy, make_request(action="s3:PutObject", resource=put, principal=insider, keys=partner)
    ).allowed
    assert not evaluate(
        policy, make_request(action="s3:PutObject", resource=put, principal=outsider, keys=partner)
    ).allowed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "us-east-1"}, "give an organization id or an account id to scope the policy"),
        ({"region": "useast1", "org_id": ORG}, "region 'useast1' is not a region name"),
        ({"region": "us-east-1", "org_id": "org-1"}, "'org-1' is not an organization id"),
        ({"region": "us-east-1", "account_id": "1234"}, "'1234' is not a 12-digit account id"),
        ({"region": "us-east-1", "org_id": ORG, "service": "ecr"}, "service 'ecr': choose"),
        (
            {"region": "us-east-1", "org_id": ORG, "allow_buckets": ("Bad_Bucket",)},
            "'Bad_Bucket' is not a valid S3 bucket name",
        ),
        (
            {
                "region": "us-east-1",
                "org_id": ORG,
                "service": "dynamodb",
                "allow_buckets": ("data",),
            },
            "allowed buckets apply only to an S3 endpoint policy",
        ),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        suggest_endpoint_policy(**kwargs)
    assert str(caught.value).startswith(message)
