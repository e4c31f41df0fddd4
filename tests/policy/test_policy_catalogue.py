"""The request catalogue: region-specific names and the request context AWS documents."""

from __future__ import annotations

import pytest

from vpcpath.policy.catalogue import (
    CATALOGUE,
    Expectation,
    GatewayService,
    aws_owned_bucket_names,
    partition_for,
)
from vpcpath.policy.catalogue_requests import (
    AWS_OWNED_ACCOUNT,
    AWS_OWNED_ORG,
    FOREIGN_ORG,
    CatalogueRequest,
    catalogue_requests,
)
from vpcpath.policy.requests import PrincipalKind

ACCOUNT = "123456789012"
ORG = "o-a1b2c3d4e5"


def by_name(requests: tuple[CatalogueRequest, ...]) -> dict[str, CatalogueRequest]:
    return {item.name: item for item in requests}


def s3_requests(region: str = "eu-west-1", **kwargs: object) -> dict[str, CatalogueRequest]:
    return by_name(
        catalogue_requests(
            service=GatewayService.S3,
            region=region,
            account_id=ACCOUNT,
            org_id=ORG,
            vpc_endpoint_id="vpce-0a1b2c3d",
            vpc_id="vpc-0a1b2c3d",
            **kwargs,  # type: ignore[arg-type]
        )
    )


def test_aws_owned_buckets_in_a_region() -> None:
    # ECR: prod-<region>-starport-layer-bucket ("Create the Amazon S3 gateway endpoint");
    # Amazon Linux and SSM names from the yum knowledge-center article and "About minimum S3
    # bucket permissions for SSM Agent"; CloudWatch agent from its download page.
    assert aws_owned_bucket_names("eu-west-1") == (
        "prod-eu-west-1-starport-layer-bucket",
        "amazonlinux-2-repos-eu-west-1",
        "amazonlinux.eu-west-1.amazonaws.com",
        "al2023-repos-eu-west-1-de612dc2",
        "amazon-ssm-eu-west-1",
        "aws-ssm-eu-west-1",
        "eu-west-1-birdwatcher-prod",
        "aws-ssm-document-attachments-eu-west-1",
        "patch-baseline-snapshot-eu-west-1",
        "amazon-ssm-packages-eu-west-1",
        "aws-windows-downloads-eu-west-1",
        "amazoncloudwatch-agent-eu-west-1",
    )


@pytest.mark.parametrize("region", ["af-south-1", "eu-south-1"])
def test_distributor_bucket_exceptions(region: str) -> None:
    # "This permission is needed only for the Africa (Cape Town) Region (af-south-1) and the
    # Europe (Milan) Region (eu-south-1)" — birdwatcher everywhere else.
    names = aws_owned_bucket_names(region)
    assert f"aws-ssm-distributor-file-{region}" in names
    assert f"{region}-birdwatcher-prod" not in names


def test_patch_baseline_bucket_exception_in_bahrain() -> None:
    # "In the Middle East (Bahrain) Region (me-south-1) only, this S3 bucket uses a different
    # naming convention".
    assert "patch-baseline-snapshot-me-south-1-uduvl7q8" in aws_owned_bucket_names("me-south-1")


def test_ecr_layer_request_is_presigned_by_an_aws_account() -> None:
    ecr = s3_requests()["ecr-image-layers"].request
    assert ecr.action == "s3:GetObject"
    assert ecr.resource == "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/sha256/layer"
    assert ecr.principal.kind is PrincipalKind.AWS
    assert ecr.values("aws:PrincipalAccount") == (AWS_OWNED_ACCOUNT,)
    assert ecr.values("aws:PrincipalIsAWSService") == ("false",)  # not a service principal
    assert ecr.values("aws:PrincipalOrgID") is None  # not the customer's organization
    assert ecr.values("aws:ResourceAccount") == (AWS_OWNED_ACCOUNT,)
    assert ecr.values("aws:ResourceOrgID") == (AWS_OWNED_ORG,)


@pytest.mark.parametrize(
    "name",
    ["amazon-linux-2-repos", "amazon-linux-2023-repos", "ssm-agent-updates", "cloudwatch-agent"],
)
def test_agent_and_repository_downloads_are_anonymous(name: str) -> None:
    request = s3_requests()[name].request
    assert request.principal.kind is PrincipalKind.ANONYMOUS
    for key in ("aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalIsAWSService"):
        assert request.values(key) is None
    assert request.values("aws:ResourceOrgID") == (AWS_OWNED_ORG,)


def test_every_request_travels_through_the_endpoint() -> None:
    for item in s3_requests().values():
        assert item.request.values("aws:SourceVpce") == ("vpce-0a1b2c3d",)
        assert item.request.values("aws:SourceVpc") == ("vpc-0a1b2c3d",)
        assert item.request.values("aws:SourceIp") is None  # absent through a VPC endpoint
        assert item.request.values("aws:RequestedRegion") == ("eu-west-1",)


def test_own_and_foreign_buckets() -> None:
    requests = s3_requests()
    own = requests["own-bucket"].request
    assert own.resource == f"arn:aws:s3:::vpcpath-example-bucket-{ACCOUNT}/object"
    assert own.values("aws:PrincipalOrgID") == (ORG,)
    assert own.values("aws:ResourceAccount") == (ACCOUNT,)
    assert own.values("aws:ResourceOrgID") == (ORG,)
    foreign = requests["foreign-bucket"]
    assert foreign.entry.expectation is Expectation.DENY
    assert foreign.request.action == "s3:PutObject"
    assert foreign.request.values("aws:PrincipalAccount") == (ACCOUNT,)
    assert foreign.request.values("aws:ResourceAccount") == ("111122223333",)
    assert foreign.request.values("aws:ResourceOrgID") == (FOREIGN_ORG,)


def test_named_own_buckets_replace_the_representative_one() -> None:
    requests = s3_requests(own_resources=("data-lake", "logs"))
    assert [name for name in requests if name.startswith("own-bucket")] == [
        "own-bucket:data-lake",
        "own-bucket:logs",
    ]
    assert requests["own-bucket:logs"].request.resource == "arn:aws:s3:::logs/object"


def test_dynamodb_requests() -> None:
    requests = by_name(
        catalogue_requests(
            service=GatewayService.DYNAMODB, region="us-west-2", account_id=ACCOUNT, org_id=None
        )
    )
    assert list(requests) == ["dynamodb-own-table", "dynamodb-foreign-table"]
    own = requests["dynamodb-own-table"].request
    assert own.resource == (
        f"arn:aws:dynamodb:us-west-2:{ACCOUNT}:table/vpcpath-example-table-{ACCOUNT}"
    )
    assert own.values("aws:ResourceOrgID") is None  # no organization given
    assert requests["dynamodb-foreign-table"].request.resource == (
        "arn:aws:dynamodb:us-west-2:111122223333:table/vpcpath-foreign-table-111122223333"
    )


def test_foreign_account_differs_from_the_checked_account() -> None:
    requests = by_name(
        catalogue_requests(service=GatewayService.S3, region="us-east-1", account_id="111122223333")
    )
    assert requests["foreign-bucket"].request.values("aws:ResourceAccount") == ("444455556666",)


def test_partitions() -> None:
    assert partition_for("cn-north-1") == "aws-cn"
    assert partition_for("us-gov-west-1") == "aws-us-gov"
    assert partition_for("eu-west-1") == "aws"
    requests = by_name(
        catalogue_requests(service=GatewayService.S3, region="cn-north-1", account_id=ACCOUNT)
    )
    assert requests["ecr-image-layers"].request.resource.startswith("arn:aws-cn:s3:::")


def test_every_entry_cites_its_sources_and_has_a_finding_id() -> None:
    assert len({entry.name for entry in CATALOGUE}) == len(CATALOGUE)
    for entry in CATALOGUE:
        assert entry.citations and all(c.url.startswith("https://") for c in entry.citations)
    ids = {entry.name: entry.finding_id for entry in CATALOGUE}
    assert ids["ecr-image-layers"] == "endpoint-policy-blocks-ecr"
    assert ids["amazon-linux-2023-repos"] == "endpoint-policy-blocks-amazon-linux-2023-repos"
