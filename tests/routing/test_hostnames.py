"""Hostname → (service, region), no DNS (docs/architecture.md, rule 7)."""

from __future__ import annotations

import pytest

from vpcpath.routing.hostnames import layer_bucket, parse_hostname


@pytest.mark.parametrize(
    ("host", "service", "region", "bucket", "endpoint", "dualstack"),
    [
        ("s3.amazonaws.com", "s3", "us-east-1", None, None, False),
        ("s3.eu-west-1.amazonaws.com", "s3", "eu-west-1", None, None, False),
        ("mybucket.s3.eu-west-1.amazonaws.com", "s3", "eu-west-1", "mybucket", None, False),
        (
            "my.dotted.bucket.s3.us-east-1.amazonaws.com",
            "s3",
            "us-east-1",
            "my.dotted.bucket",
            None,
            False,
        ),
        ("b.s3-eu-west-1.amazonaws.com", "s3", "eu-west-1", "b", None, False),
        ("b.s3.amazonaws.com", "s3", "us-east-1", "b", None, False),
        ("s3.dualstack.us-west-2.amazonaws.com", "s3", "us-west-2", None, None, True),
        ("b.s3.dualstack.us-west-2.amazonaws.com", "s3", "us-west-2", "b", None, True),
        (
            "https://s3.us-east-1.amazonaws.com/pathbucket/key.txt",
            "s3",
            "us-east-1",
            "pathbucket",
            None,
            False,
        ),
        ("dynamodb.ap-southeast-1.amazonaws.com", "dynamodb", "ap-southeast-1", None, None, False),
        (
            "streams.dynamodb.us-east-1.amazonaws.com",
            "streams.dynamodb",
            "us-east-1",
            None,
            None,
            False,
        ),
        ("api.ecr.us-east-1.amazonaws.com", "ecr.api", "us-east-1", None, None, False),
        ("ecr.us-east-1.amazonaws.com", "ecr.api", "us-east-1", None, None, False),
        ("111122223333.dkr.ecr.eu-west-1.amazonaws.com", "ecr.dkr", "eu-west-1", None, None, False),
        (
            "prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com",
            "s3",
            "us-east-1",
            "prod-us-east-1-starport-layer-bucket",
            None,
            False,
        ),
        (
            "vpce-0abc123-x1y2.s3.us-east-1.vpce.amazonaws.com",
            "s3",
            "us-east-1",
            None,
            "vpce-0abc123",
            False,
        ),
        (
            "bkt.vpce-0abc-x1.s3.us-east-1.vpce.amazonaws.com",
            "s3",
            "us-east-1",
            "bkt",
            "vpce-0abc",
            False,
        ),
        (
            "vpce-01-abc.api.ecr.us-east-1.vpce.amazonaws.com",
            "ecr.api",
            "us-east-1",
            None,
            "vpce-01",
            False,
        ),
        ("sts.amazonaws.com", "sts", "us-east-1", None, None, False),
        ("ssm.eu-central-1.amazonaws.com", "ssm", "eu-central-1", None, None, False),
        ("S3.EU-WEST-1.AMAZONAWS.COM.", "s3", "eu-west-1", None, None, False),
    ],
)
def test_hostnames(
    host: str, service: str, region: str, bucket: str | None, endpoint: str | None, dualstack: bool
) -> None:
    target = parse_hostname(host)
    assert target is not None
    assert (target.service, target.region, target.bucket, target.endpoint_id, target.dualstack) == (
        service,
        region,
        bucket,
        endpoint,
        dualstack,
    )


@pytest.mark.parametrize("host", ["example.com", "amazonaws.com.evil.example", "localhost", ""])
def test_non_aws_hostnames(host: str) -> None:
    assert parse_hostname(host) is None


def test_layer_bucket_name() -> None:
    assert layer_bucket("eu-central-1") == "prod-eu-central-1-starport-layer-bucket"
