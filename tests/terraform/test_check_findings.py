"""`vpcpath check`: exactly the findings each fixture's routing implies, in plan and state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.contracts import assert_contract
from tests.terraform.conftest import FIXTURES, check_json, run

INNER = "module.network.module.vpc[0]"
FLAT = [
    ("dynamodb-via-nat:vpc-0f1a2b3c4d5e6f701", "dynamodb-via-nat:aws_vpc.main"),
    (
        "s3-endpoint-not-associated:rtb-0202020202020202b",
        's3-endpoint-not-associated:aws_route_table.app["b"]',
    ),
    (
        "s3-endpoint-not-associated:rtb-0a0a0a0a0a0a0a0a1",
        "s3-endpoint-not-associated:aws_default_route_table.main",
    ),
    ("cross-az-nat:subnet-0c0c0c0c0c0c0c0cb", 'cross-az-nat:aws_subnet.app["b"]'),
]
NESTED = [
    f"dynamodb-via-nat:{INNER}.aws_vpc.this",
    f's3-endpoint-not-associated:{INNER}.aws_route_table.private["b"]',
    f'cross-az-nat:{INNER}.aws_subnet.private["b"]',
]


@pytest.mark.parametrize("name", ["flat-state.json", "flat-plan.json"])
def test_flat_findings(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = check_json(name, capsys=capsys)
    assert_contract(doc, "audit-1")
    assert [(f["id"], f["terraform_id"]) for f in doc["findings"]] == FLAT
    by_id = {f["id"]: f for f in doc["findings"]}
    main = by_id["s3-endpoint-not-associated:rtb-0a0a0a0a0a0a0a0a1"]
    assert main["title"] == (
        "vpce-03030303030303031 is not associated with rtb-0a0a0a0a0a0a0a0a1 (the main route table)"
    )
    assert main["addresses"] == [
        "aws_default_route_table.main",
        "aws_subnet.batch",
        "aws_nat_gateway.main",
        "aws_vpc_endpoint.s3",
        "aws_vpc.main",
    ]
    assert main["remediation_hcl"] == (
        'resource "aws_vpc_endpoint_route_table_association" "s3_rtb_0a0a0a0a0a0a0a0a1" {\n'
        "  vpc_endpoint_id = aws_vpc_endpoint.s3.id\n"
        "  route_table_id  = aws_default_route_table.main.id\n"
        "}"
    )
    assert by_id["dynamodb-via-nat:vpc-0f1a2b3c4d5e6f701"]["remediation_hcl"] == (
        'resource "aws_vpc_endpoint" "dynamodb_gateway_flat" {\n'
        "  vpc_id            = aws_vpc.main.id\n"
        '  service_name      = "com.amazonaws.us-east-1.dynamodb"\n'
        '  vpc_endpoint_type = "Gateway"\n'
        "  route_table_ids   = [\n"
        "    aws_default_route_table.main.id,\n"
        '    aws_route_table.app["a"].id,\n'
        '    aws_route_table.app["b"].id,\n'
        "  ]\n"
        "}"
    )
    cross = by_id["cross-az-nat:subnet-0c0c0c0c0c0c0c0cb"]
    assert cross["remediation_hcl"] is None  # no NAT gateway in us-east-1b to point at
    assert cross["usd_per_month"] is None and cross["money_basis"].startswith("not priced")
    assert doc["terraform"]["unmodelled"] == {
        "count": 2,
        "by_type": {"aws_eip": 1, "aws_security_group": 1},
        "addresses": ["aws_eip.nat", "aws_security_group.app"],
    }


def test_plan_and_state_give_the_same_findings(capsys: pytest.CaptureFixture[str]) -> None:
    plan = check_json("flat-plan.json", capsys=capsys)
    state = check_json("flat-state.json", capsys=capsys)
    assert plan["findings"] == state["findings"]


@pytest.mark.parametrize("name", ["nested-plan.json", "nested-state.json"])
def test_nested_modules_for_each_and_count(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = check_json(name, capsys=capsys)
    assert [f["terraform_id"] for f in doc["findings"]] == NESTED
    cross = doc["findings"][2]
    assert cross["addresses"] == [
        f'{INNER}.aws_route_table.private["b"]',
        f'{INNER}.aws_subnet.private["b"]',
        f"{INNER}.aws_nat_gateway.this[0]",
        f"{INNER}.aws_vpc.this",
    ]


def test_the_fix_makes_the_finding_go_away(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Must-not-trigger: the endpoint on both app tables and the main table, a NAT in zone b."""
    doc = json.loads((FIXTURES / "flat-state.json").read_text())
    resources = doc["values"]["root_module"]["resources"]
    for res in resources:
        if res["address"] == "aws_vpc_endpoint.s3":
            res["values"]["route_table_ids"] = [
                "rtb-0202020202020202a",
                "rtb-0202020202020202b",
                "rtb-0a0a0a0a0a0a0a0a1",
            ]
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(doc))
    assert run(["check", "--terraform", str(fixed), "--format", "json"]) == 0
    ids = [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert ids == [
        "dynamodb-via-nat:vpc-0f1a2b3c4d5e6f701",
        "cross-az-nat:subnet-0c0c0c0c0c0c0c0cb",
    ]


def test_spoke_sending_s3_to_a_transit_gateway(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """app["b"]'s default route goes to a transit gateway (centralised egress)."""
    doc = json.loads((FIXTURES / "flat-state.json").read_text())
    resources = doc["values"]["root_module"]["resources"]
    for res in resources:
        if res["address"] == 'aws_route_table.app["b"]':
            route = res["values"]["route"][0]
            route["nat_gateway_id"], route["transit_gateway_id"] = "", "tgw-0123456789abcdef0"
    resources.append(
        {
            "address": "aws_ec2_transit_gateway_vpc_attachment.spoke",
            "mode": "managed",
            "type": "aws_ec2_transit_gateway_vpc_attachment",
            "name": "spoke",
            "values": {
                "id": "tgw-attach-0123456789abcdef0",
                "transit_gateway_id": "tgw-0123456789abcdef0",
                "vpc_id": "vpc-0f1a2b3c4d5e6f701",
                "subnet_ids": ["subnet-0c0c0c0c0c0c0c0cb"],
            },
        }
    )
    spoke = tmp_path / "spoke.json"
    spoke.write_text(json.dumps(doc))
    assert run(["check", "--terraform", str(spoke), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["terraform_id"] for f in findings] == [
        "dynamodb-via-nat:aws_vpc.main",
        "s3-endpoint-not-associated:aws_default_route_table.main",
        'dynamodb-via-transit-gateway:aws_route_table.app["b"]',
        's3-via-transit-gateway:aws_route_table.app["b"]',
    ]
    assert findings[0]["subnet_ids"] == ["subnet-0c0c0c0c0c0c0c0ca", "subnet-0d0d0d0d0d0d0d0d1"]
    assert findings[2]["remediation_hcl"] == (
        'resource "aws_vpc_endpoint" "dynamodb_gateway_app_b" {\n'
        "  vpc_id            = aws_vpc.main.id\n"
        '  service_name      = "com.amazonaws.us-east-1.dynamodb"\n'
        '  vpc_endpoint_type = "Gateway"\n'
        '  route_table_ids   = [aws_route_table.app["b"].id]\n'
        "}"
    )
    assert findings[3]["remediation_hcl"] == (
        'resource "aws_vpc_endpoint_route_table_association" "s3_rtb_0202020202020202b" {\n'
        "  vpc_endpoint_id = aws_vpc_endpoint.s3.id\n"
        '  route_table_id  = aws_route_table.app["b"].id\n'
        "}"
    )


def test_endpoint_policy_that_blocks_ecr_layers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Must-trigger for the policy checks (the fixture's default policy is the must-not)."""
    doc = json.loads((FIXTURES / "flat-state.json").read_text())
    own_bucket_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::team-artifacts", "arn:aws:s3:::team-artifacts/*"],
            }
        ],
    }
    for res in doc["values"]["root_module"]["resources"]:
        if res["address"] == "aws_vpc_endpoint.s3":
            res["values"]["policy"] = json.dumps(own_bucket_only)
    tight = tmp_path / "tight.json"
    tight.write_text(json.dumps(doc))
    assert run(["check", "--terraform", str(tight), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    policy = {f["id"]: f for f in findings if f["check"].startswith("endpoint-policy-blocks-")}
    ecr = policy["endpoint-policy-blocks-ecr:vpce-03030303030303031"]
    assert ecr["severity"] == "high"
    assert ecr["addresses"] == ['aws_route_table.app["a"]', "aws_vpc_endpoint.s3", "aws_vpc.main"]
    assert "endpoint-policy-blocks-amazon-linux-2023-repos:vpce-03030303030303031" in policy
    # the rest is as without the policy
    others = [f["id"] for f in findings if f["id"] not in policy]
    assert others == [i for i, _ in FLAT]
