"""Bucket policies keyed on the NAT's public address, once traffic moves to the endpoint.

S3 User Guide, "Controlling access from VPC endpoints with bucket policies"; IAM User Guide,
"AWS global condition context keys": aws:SourceIp is absent for requests through a VPC
endpoint.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from vpcpath.errors import UsageError
from vpcpath.policy.document import Effect
from vpcpath.policy.source_ip import SourceIpChange, SourceIpCondition, source_ip_conditions

NAT_IP = "198.51.100.10"


def bucket_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def statement(sid: str, effect: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": effect,
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
        "Condition": condition,
    }


def test_deny_unless_from_the_nat_starts_denying() -> None:
    policy = bucket_policy(
        statement(
            "DenyOutsideOffice",
            "Deny",
            {"NotIpAddress": {"aws:SourceIp": ["198.51.100.10/32", "203.0.113.0/24"]}},
        )
    )
    [found] = source_ip_conditions(policy, [NAT_IP])
    assert found == SourceIpCondition(
        statement="DenyOutsideOffice",
        effect=Effect.DENY,
        operator="NotIpAddress",
        values=("198.51.100.10/32", "203.0.113.0/24"),
        nat_ip=NAT_IP,
        holds_via_nat=False,
        holds_via_endpoint=True,
        change=SourceIpChange.DENY_STARTS_MATCHING,
    )
    assert found.breaks_access is True
    assert found.explanation == (
        "DenyOutsideOffice (Deny): NotIpAddress aws:SourceIp ['198.51.100.10/32', "
        "'203.0.113.0/24'] does not hold for NAT address 198.51.100.10 but holds through the "
        "gateway endpoint, where aws:SourceIp is absent; key the statement on aws:SourceVpce "
        "or aws:SourceVpc instead"
    )


def test_allow_for_the_nat_stops_granting() -> None:
    policy = bucket_policy(
        statement("AllowFromNat", "Allow", {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}})
    )
    [found] = source_ip_conditions(policy, [NAT_IP, "192.0.2.1"])
    # Only the NAT address inside the range changes; the other never matched.
    assert (found.nat_ip, found.change, found.breaks_access) == (
        NAT_IP,
        SourceIpChange.ALLOW_STOPS_MATCHING,
        True,
    )


def test_deny_for_the_nat_stops_denying() -> None:
    policy = bucket_policy(
        statement("DenyNat", "Deny", {"IpAddress": {"aws:SourceIp": "198.51.100.10"}})
    )
    [found] = source_ip_conditions(policy, [NAT_IP])
    assert (found.change, found.breaks_access) == (SourceIpChange.DENY_STOPS_MATCHING, False)


def test_allow_unless_from_nat_starts_granting() -> None:
    policy = bucket_policy(
        statement("AllowElsewhere", "Allow", {"NotIpAddress": {"aws:SourceIp": "198.51.100.10"}})
    )
    [found] = source_ip_conditions(policy, [NAT_IP])
    assert (found.change, found.breaks_access) == (SourceIpChange.ALLOW_STARTS_MATCHING, False)


def test_if_exists_deny_starts_matching_without_the_key() -> None:
    # NotIpAddressIfExists with the key absent is true ("...IfExists condition operators").
    policy = bucket_policy(
        statement(
            "DenyIfExists", "Deny", {"NotIpAddressIfExists": {"aws:SourceIp": "198.51.100.10/32"}}
        )
    )
    [found] = source_ip_conditions(policy, [NAT_IP])
    assert found.change is SourceIpChange.DENY_STARTS_MATCHING


@pytest.mark.parametrize(
    "condition",
    [
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},  # never the NAT: false both ways
        {"StringEquals": {"aws:SourceVpce": "vpce-1"}},  # not keyed on aws:SourceIp
    ],
)
def test_conditions_that_do_not_change(condition: dict[str, Any]) -> None:
    assert source_ip_conditions(bucket_policy(statement("S", "Deny", condition)), [NAT_IP]) == ()


def test_positive_if_exists_starts_matching_without_the_key() -> None:
    # IpAddressIfExists on another range: false for the NAT, true once the key is absent.
    condition = {"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}
    found = source_ip_conditions(bucket_policy(statement("S", "Deny", condition)), [NAT_IP])
    assert [f.change for f in found] == [SourceIpChange.DENY_STARTS_MATCHING]


def test_key_name_is_case_insensitive_and_text_policies_parse() -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", '
        '"Action": "s3:*", "Resource": "*", '
        '"Condition": {"NotIpAddress": {"AWS:SOURCEIP": "198.51.100.10"}}}]}'
    )
    [found] = source_ip_conditions(text, [NAT_IP])
    assert found.statement == "Statement[0]"


def test_nat_addresses_may_be_ip_objects() -> None:
    policy = bucket_policy(
        statement("AllowFromNat", "Allow", {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}})
    )
    [found] = source_ip_conditions(policy, [ipaddress.IPv4Address(NAT_IP)])
    assert found.nat_ip == NAT_IP


def test_bad_nat_address() -> None:
    with pytest.raises(UsageError, match="'nat-1' is not an IP address"):
        source_ip_conditions(bucket_policy(), ["nat-1"])
