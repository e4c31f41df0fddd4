"""The ``vpcpath.policy/1`` JSON contract produced by ``to_json``."""

from __future__ import annotations

import json

from vpcpath.policy.check import check_endpoint_policy
from vpcpath.policy.contract import to_json
from vpcpath.policy.source_ip import source_ip_conditions

ACCOUNT = "123456789012"
TABLE_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "OrdersTable",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "dynamodb:*",
            "Resource": f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/orders",
        }
    ],
}


def test_endpoint_checks_as_json() -> None:
    dynamodb = check_endpoint_policy(
        TABLE_ONLY,
        service_name="com.amazonaws.eu-west-1.dynamodb",
        region="eu-west-1",
        account_id=ACCOUNT,
        vpc_endpoint_id="vpce-0123",
        own_resources=("orders", "users"),
    )
    document = to_json([dynamodb])
    assert document == {
        "schema": "vpcpath.policy/1",
        "endpoints": [
            {
                "vpc_endpoint_id": "vpce-0123",
                "service_name": "com.amazonaws.eu-west-1.dynamodb",
                "region": "eu-west-1",
                "default_policy": False,
                "requests": [
                    {
                        "name": "dynamodb-own-table:orders",
                        "action": "dynamodb:GetItem",
                        "resource": f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/orders",
                        "allowed": True,
                        "decided_by": "OrdersTable",
                        "expected": "allow",
                        "reason": "allowed by OrdersTable",
                    },
                    {
                        "name": "dynamodb-own-table:users",
                        "action": "dynamodb:GetItem",
                        "resource": f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/users",
                        "allowed": False,
                        "decided_by": None,
                        "expected": "allow",
                        "reason": "implicitly denied: no statement allows dynamodb:GetItem on "
                        f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/users for a workload role "
                        f"of account {ACCOUNT}",
                    },
                    {
                        "name": "dynamodb-foreign-table",
                        "action": "dynamodb:PutItem",
                        "resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/"
                        "vpcpath-foreign-table-111122223333",
                        "allowed": False,
                        "decided_by": None,
                        "expected": "deny",
                        "reason": "implicitly denied: no statement allows dynamodb:PutItem on "
                        "arn:aws:dynamodb:eu-west-1:111122223333:table/"
                        "vpcpath-foreign-table-111122223333 for a workload role of account "
                        f"{ACCOUNT}",
                    },
                ],
                "breaks": ["dynamodb-own-table:users"],
                "perimeter_gaps": [],
                "findings": ["endpoint-policy-blocks-dynamodb-own-table"],
                "characters": None,  # given decoded: no text to count
                "size_problem": None,
            }
        ],
    }
    assert json.loads(json.dumps(document)) == document  # plain JSON values only


def test_source_ip_conditions_are_added_when_given() -> None:
    bucket_policy = {
        "Statement": [
            {
                "Sid": "DenyOutsideNat",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::data/*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": "198.51.100.10/32"}},
            }
        ]
    }
    conditions = source_ip_conditions(bucket_policy, ["198.51.100.10"])
    document = to_json([], source_ip={"data": conditions})
    assert document == {
        "schema": "vpcpath.policy/1",
        "endpoints": [],
        "source_ip_conditions": [
            {
                "bucket": "data",
                "statement": "DenyOutsideNat",
                "effect": "Deny",
                "operator": "NotIpAddress",
                "values": ["198.51.100.10/32"],
                "nat_ip": "198.51.100.10",
                "holds_via_nat": False,
                "holds_via_endpoint": True,
                "change": "deny-starts-matching",
                "breaks_access": True,
            }
        ],
    }
    assert "source_ip_conditions" not in to_json([])
