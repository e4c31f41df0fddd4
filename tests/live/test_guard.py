"""The read-only guard: mutating calls are refused inside the process, before any request."""

from __future__ import annotations

import pytest

from tests.live.estate import EstateBuilder
from tests.live.fault_proxy import FaultProxy
from vpcpath.errors import ReadOnlyViolation
from vpcpath.sources.live.guard import ReadOnlyGuard, is_read_only
from vpcpath.sources.live.session import ReadOnlySession


@pytest.mark.parametrize(
    ("service", "operation", "allowed"),
    [
        ("ec2", "DescribeVpcs", True),
        ("ec2", "GetManagedPrefixListEntries", True),
        ("organizations", "ListAccounts", True),
        ("sts", "GetCallerIdentity", True),
        ("sts", "AssumeRole", True),
        ("ec2", "CreateVpc", False),
        ("ec2", "ModifyVpcEndpoint", False),
        ("ec2", "DeleteRoute", False),
        ("ec2", "ReplaceRoute", False),
        ("ec2", "AssumeRole", False),  # the exception is for STS only
        ("sts", "AssumeRoleWithWebIdentity", False),
        ("iam", "PutRolePolicy", False),
        ("s3", "PutBucketPolicy", False),
        ("ec2", "describeVpcs", False),  # prefixes are case-sensitive, as API names are
    ],
)
def test_guard_allows_only_read_operations(service: str, operation: str, allowed: bool) -> None:
    assert is_read_only(service, operation) is allowed


def test_mutating_call_is_refused_before_any_request_leaves(
    estate: EstateBuilder, via_proxy: FaultProxy
) -> None:
    guard = ReadOnlyGuard()
    session = ReadOnlySession.from_profile(None, guard=guard)  # the collector's own factory
    ec2 = session.client("ec2", "us-east-1")

    with pytest.raises(ReadOnlyViolation, match=r"refused ec2:CreateVpc"):
        ec2.create_vpc(CidrBlock="10.99.0.0/16")
    # Refused before parameter validation too: a malformed mutating call meets the guard first.
    with pytest.raises(ReadOnlyViolation, match=r"refused ec2:DeleteVpc"):
        ec2.delete_vpc()
    with pytest.raises(ReadOnlyViolation, match=r"refused sts:AssumeRoleWithWebIdentity"):
        session.client("sts", "us-east-1").assume_role_with_web_identity(
            RoleArn="arn:aws:iam::123456789012:role/x",
            RoleSessionName="xx",
            WebIdentityToken="token",
        )
    assert via_proxy.requests == 0
    assert guard.used_actions == frozenset()

    # The same client still reads, through the proxy, and the guard records the action.
    vpcs = ec2.describe_vpcs()["Vpcs"]
    assert {v["VpcId"] for v in vpcs} >= {estate.ids["prod"], estate.ids["legacy"]}
    assert "10.99.0.0/16" not in {v["CidrBlock"] for v in vpcs}
    assert via_proxy.received == {"DescribeVpcs": 1}
    assert guard.used_actions == frozenset({"ec2:DescribeVpcs"})


def test_assumed_role_sessions_are_guarded_too(aws_env: str) -> None:
    guard = ReadOnlyGuard()
    base = ReadOnlySession.from_profile(None, guard=guard)
    creds = base.client("sts", "us-east-1").assume_role(
        RoleArn="arn:aws:iam::210987654321:role/Reader", RoleSessionName="vpcpath-test"
    )["Credentials"]
    assumed = base.with_credentials(
        access_key=creds["AccessKeyId"],
        secret_key=creds["SecretAccessKey"],
        token=creds["SessionToken"],
        expires_at=creds["Expiration"],
    )
    with pytest.raises(ReadOnlyViolation):
        assumed.client("ec2", "eu-west-1").create_internet_gateway()
    assert guard.used_actions == frozenset({"sts:AssumeRole"})
