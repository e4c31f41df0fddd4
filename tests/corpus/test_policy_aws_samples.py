"""``policy check``, ``policy suggest`` and the audit against AWS's data-perimeter samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit.test_checks import findings
from tests.corpus.aws_policy_samples import (
    DEFAULT_SAMPLE,
    ECR_API_SAMPLE,
    S3_SAMPLE,
    filled_sample,
)
from tests.policy.endpoint_policies import ACCOUNT, ORG, check_s3
from tests.policy.test_policy_check import AWS_OWNED_NAMES, S3
from vpcpath.errors import PolicyError
from vpcpath.policy.catalogue import aws_owned_bucket_names
from vpcpath.policy.check import check_endpoint_policy
from vpcpath.policy.document import parse_policy
from vpcpath.policy.suggest import suggest_endpoint_policy


def test_s3_sample_keeps_ecr_working(aws_policy_samples: Path) -> None:
    # Nothing breaks, the foreign bucket is denied, and the AWS-owned downloads pass by the
    # AWS-owned-resources statement.
    policy = filled_sample(aws_policy_samples / S3_SAMPLE, "us-east-1")
    check = check_s3(policy, vpc_endpoint_id="vpce-0a1b2c3d")
    assert check.breaks == ()
    assert check.finding_ids == ()
    assert check.perimeter_gaps == ()
    decided = {r.name: (r.allowed, r.decided_by) for r in check.results}
    for name in AWS_OWNED_NAMES:
        assert decided[name] == (True, "AllowRequestsToAWSOwnedResources")
    assert decided["own-bucket"] == (True, "AllowRequestsByOrgsIdentitiesToOrgsResources")
    assert decided["foreign-bucket"] == (False, None)


@pytest.mark.parametrize("region", ["af-south-1", "me-south-1"])
def test_s3_sample_in_regions_with_ssm_exceptions(aws_policy_samples: Path, region: str) -> None:
    check = check_s3(filled_sample(aws_policy_samples / S3_SAMPLE, region), region)
    # af-south-1 uses aws-ssm-distributor-file-<region>, which the sample lists; me-south-1's
    # patch-baseline-snapshot-me-south-1-uduvl7q8 is not matched by the sample's
    # patch-baseline-snapshot-<region>/* entry, so patching there breaks.
    expected = ("ssm-patch-baseline-snapshots",) if region == "me-south-1" else ()
    assert check.breaks == expected


def test_default_sample_on_s3_breaks_aws_owned_downloads(aws_policy_samples: Path) -> None:
    # No AWS-owned-resources statement: on an S3 endpoint it lets the organization work with
    # its own buckets and blocks the rest.
    check = check_s3(filled_sample(aws_policy_samples / DEFAULT_SAMPLE, "us-east-1"))
    assert check.breaks == AWS_OWNED_NAMES
    assert check.perimeter_gaps == ()


def test_ecr_api_sample_pattern_does_not_carry_over_to_s3(aws_policy_samples: Path) -> None:
    # The ecr.api sample allows AWS resources only to the organization's principals
    # (aws:ResourceAccount + aws:PrincipalOrgID). Copied onto the S3 endpoint, the layer
    # download — presigned by an ECR account outside the organization — is denied.
    check = check_s3(filled_sample(aws_policy_samples / ECR_API_SAMPLE, "us-east-1"))
    assert "ecr-image-layers" in check.breaks
    assert check.finding_ids[0] == "endpoint-policy-blocks-ecr"


def test_unfilled_sample_is_an_error(aws_policy_samples: Path) -> None:
    with pytest.raises(PolicyError, match="unfilled placeholder"):
        check_endpoint_policy(
            (aws_policy_samples / S3_SAMPLE).read_text(),
            service_name=S3,
            region="us-east-1",
            account_id=ACCOUNT,
        )


@pytest.mark.parametrize(
    ("sample", "sids"),
    [
        (
            S3_SAMPLE,
            [
                "AllowRequestsByOrgsIdentitiesToOrgsResources",
                "AllowRequestsByAWSServicePrincipals",
                "AllowRequestsByOrgsIdentitiesToAWSResources",
                "AllowRequestsToAWSOwnedResources",
                "AllowRequestsByThirdPartyIdentitiesToThirdPartyResources",
                "AllowRequestsByOrgsIdentitiesToThirdPartyResources",
                "AllowRequestsByOrgsIdentitiesToAnyResources",
            ],
        ),
        (
            DEFAULT_SAMPLE,
            [
                "AllowRequestsByOrgsIdentitiesToOrgsResources",
                "AllowRequestsByAWSServicePrincipals",
                "AllowRequestsByOrgsIdentitiesToAnyResources",
            ],
        ),
    ],
)
def test_samples_parse_completely(aws_policy_samples: Path, sample: str, sids: list[str]) -> None:
    text = filled_sample(aws_policy_samples / sample, "us-east-1")
    parsed = parse_policy(text)
    assert [s.label for s in parsed.statements] == sids
    raw_statements = json.loads(text)["Statement"]
    for statement, raw in zip(parsed.statements, raw_statements, strict=True):
        raw_resources = raw["Resource"]
        expected = (raw_resources,) if isinstance(raw_resources, str) else tuple(raw_resources)
        assert statement.resources == expected
        condition_keys = sum(len(keys) for keys in raw.get("Condition", {}).values())
        assert len(statement.conditions) == condition_keys


def test_default_sample_on_a_dynamodb_endpoint_is_a_perimeter(aws_policy_samples: Path) -> None:
    check = check_endpoint_policy(
        filled_sample(aws_policy_samples / DEFAULT_SAMPLE, "eu-west-1"),
        service_name="com.amazonaws.eu-west-1.dynamodb",
        region="eu-west-1",
        account_id=ACCOUNT,
        org_id=ORG,
    )
    assert [(r.name, r.allowed, r.decided_by) for r in check.results] == [
        ("dynamodb-own-table", True, "AllowRequestsByOrgsIdentitiesToOrgsResources"),
        ("dynamodb-foreign-table", False, None),
    ]


def test_suggested_statements_follow_the_s3_sample(aws_policy_samples: Path) -> None:
    # The suggestion's statements are the sample's, word for word, where they overlap.
    sample = json.loads(filled_sample(aws_policy_samples / S3_SAMPLE, "eu-west-1"))["Statement"]
    ours = suggest_endpoint_policy(region="eu-west-1", org_id=ORG)["Statement"]
    assert isinstance(ours, list)
    sample_by_sid = {s["Sid"]: s for s in sample}
    for statement in ours[:2]:
        assert statement == sample_by_sid[statement["Sid"]]
    sample_aws_owned = set(sample_by_sid["AllowRequestsToAWSOwnedResources"]["Resource"])
    assert {f"arn:aws:s3:::{b}/*" for b in aws_owned_bucket_names("eu-west-1")} <= (
        sample_aws_owned
    )


def test_audit_finds_nothing_wrong_with_the_s3_sample(
    aws_policy_samples: Path, tmp_path: Path
) -> None:
    perimeter = filled_sample(aws_policy_samples / S3_SAMPLE, "us-east-1")
    good = findings(tmp_path / "good", org_id=ORG, s3_endpoint=True, s3_policy=perimeter)
    assert [k for k in good if k.startswith("endpoint-policy-")] == []
