"""The read-only guard: mutating calls are refused inside the process, before any request."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import boto3
import pytest

from tests.live.estate import EstateBuilder
from tests.live.fault_proxy import FaultProxy
from vpcpath.errors import ReadOnlyViolation, UndeclaredAwsCall
from vpcpath.sources.live.guard import ReadOnlyGuard, is_read_only
from vpcpath.sources.live.session import AwsSession

if TYPE_CHECKING:
    from mypy_boto3_ec2 import EC2Client
    from mypy_boto3_sts import STSClient


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
    session = AwsSession.from_profile(None, guard=guard)  # the collector's own factory
    ec2 = cast("EC2Client", session.client("ec2", "us-east-1"))

    with pytest.raises(ReadOnlyViolation, match=r"refused ec2:CreateVpc"):
        ec2.create_vpc(CidrBlock="10.99.0.0/16")
    # Refused before parameter validation too: a malformed mutating call meets the guard first.
    with pytest.raises(ReadOnlyViolation, match=r"refused ec2:DeleteVpc"):
        ec2.delete_vpc()  # type: ignore[call-arg]  # the missing VpcId is the point
    with pytest.raises(ReadOnlyViolation, match=r"refused sts:AssumeRoleWithWebIdentity"):
        cast("STSClient", session.client("sts", "us-east-1")).assume_role_with_web_identity(
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
    base = AwsSession.from_profile(None, guard=guard)
    creds = cast("STSClient", base.client("sts", "us-east-1")).assume_role(
        RoleArn="arn:aws:iam::210987654321:role/Reader", RoleSessionName="vpcpath-test"
    )["Credentials"]
    assumed = base.with_credentials(
        access_key=creds["AccessKeyId"],
        secret_key=creds["SecretAccessKey"],
        token=creds["SessionToken"],
        expires_at=creds["Expiration"],
    )
    with pytest.raises(ReadOnlyViolation):
        cast("EC2Client", assumed.client("ec2", "eu-west-1")).create_internet_gateway()
    assert guard.used_actions == frozenset({"sts:AssumeRole"})


def test_a_read_no_list_declares_is_refused_before_it_is_sent(
    estate: EstateBuilder, via_proxy: FaultProxy
) -> None:
    """So required-permissions.json cannot miss a call: the guard only lets declared ones out."""
    guard = ReadOnlyGuard()
    ec2 = cast("EC2Client", AwsSession.from_profile(None, guard=guard).client("ec2", "us-east-1"))
    with pytest.raises(UndeclaredAwsCall, match=r"refused ec2:DescribeAvailabilityZones"):
        ec2.describe_availability_zones()
    assert via_proxy.requests == 0
    assert guard.used_actions == frozenset()


def test_the_apply_session_lets_through_only_the_declared_writes(
    aws_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Writes go to an account of their own (moto keeps an assumed role's resources in the
    # role's account), so the estate the other tests read stays as it was.
    creds = boto3.client("sts").assume_role(
        RoleArn="arn:aws:iam::444455556666:role/ApplyTest", RoleSessionName="apply-test"
    )["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", creds["SessionToken"])
    session = AwsSession.for_apply(None)
    ec2 = cast("EC2Client", session.client("ec2", "us-east-1"))
    refused: dict[str, Callable[[], object]] = {
        "DeleteRoute": lambda: ec2.delete_route(RouteTableId="rtb-1", DestinationCidrBlock="::/0"),
        "ReplaceRoute": lambda: ec2.replace_route(RouteTableId="rtb-1"),
        "CreateRoute": lambda: ec2.create_route(RouteTableId="rtb-1"),
        "DeleteVpcEndpoints": lambda: ec2.delete_vpc_endpoints(VpcEndpointIds=["vpce-1"]),
        "CreateVpc": lambda: ec2.create_vpc(CidrBlock="10.0.0.0/16"),
    }
    for operation, call in refused.items():
        with pytest.raises(ReadOnlyViolation, match=rf"refused ec2:{operation}: apply only adds"):
            call()
    assert session.guard.used_actions == frozenset()

    setup = boto3.Session().client("ec2", region_name="us-east-1")  # the test's own hands
    vpc_id = setup.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    table_id = setup.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    endpoint_id = ec2.create_vpc_endpoint(
        VpcId=vpc_id, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway"
    )["VpcEndpoint"]["VpcEndpointId"]
    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint_id, AddRouteTableIds=[table_id])
    (described,) = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"]
    assert described["RouteTableIds"] == [table_id]
    assert described["OwnerId"] == "444455556666"
    assert session.guard.used_actions == frozenset(
        {"ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DescribeVpcEndpoints"}
    )
    reader = cast("EC2Client", AwsSession.from_profile(None).client("ec2", "us-east-1"))
    with pytest.raises(ReadOnlyViolation, match=r"refused ec2:CreateVpcEndpoint: vpcpath reads"):
        reader.create_vpc_endpoint(VpcId=vpc_id, ServiceName="com.amazonaws.us-east-1.s3")
