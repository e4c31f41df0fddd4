"""`vpcpath check` on three plans real Terraform versions (0.12, 1.3, 1.13) wrote in public
repositories (../shared/data/terraform, see its README): exactly the findings their routing
implies, nothing else, in every format; SARIF valid against the OASIS 2.1.0 schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.contracts import assert_contract
from vpcpath.cli import main

# The three plans, and what their routing implies (issue 11, "Acceptance"):
# - vpcmod-3nat (terraform-aws-modules/vpc v2, eu-west-1, one NAT gateway per zone, no
#   endpoint): S3 and DynamoDB through NAT on each of the three private tables, no cross-AZ;
# - eks-vpcmod-single-nat (the module with single_nat_gateway = true, us-east-2): the same on
#   the one shared private table, plus cross-AZ NAT for the private subnets in zones b and c;
# - ssm-2nat-noop (applied infrastructure, us-east-1, a NAT gateway per zone, SSM interface
#   endpoints only): S3 and DynamoDB through NAT on its two private tables.
PRIVATE3 = [f"module.vpc.aws_route_table.private[{i}]" for i in range(3)]
EXPECTED: dict[str, list[tuple[str, list[str]]]] = {
    "vpcmod-3nat-plan.json": [
        ("dynamodb-via-nat:module.vpc.aws_vpc.this[0]", PRIVATE3),
        ("s3-via-nat:module.vpc.aws_vpc.this[0]", PRIVATE3),
    ],
    "eks-vpcmod-single-nat-plan.json": [
        ("dynamodb-via-nat:module.vpc.aws_vpc.this[0]", ["module.vpc.aws_route_table.private[0]"]),
        ("s3-via-nat:module.vpc.aws_vpc.this[0]", ["module.vpc.aws_route_table.private[0]"]),
        (
            "cross-az-nat:module.vpc.aws_subnet.private[1]",
            ["module.vpc.aws_route_table.private[0]"],
        ),
        (
            "cross-az-nat:module.vpc.aws_subnet.private[2]",
            ["module.vpc.aws_route_table.private[0]"],
        ),
    ],
    "ssm-2nat-noop-plan.json": [
        (
            "dynamodb-via-nat:module.networking.aws_vpc.vpc",
            [f"module.networking.aws_route_table.private[{i}]" for i in range(2)],
        ),
        (
            "s3-via-nat:module.networking.aws_vpc.vpc",
            [f"module.networking.aws_route_table.private[{i}]" for i in range(2)],
        ),
    ],
}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def check(corpus: Path, name: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    argv = [
        "check",
        "--terraform",
        str(corpus / "terraform" / name),
        "--ip-ranges",
        str(corpus / "ip-ranges-2026-07-24.json"),
        "--format",
        fmt,
        "--fail-on",
        "high",
    ]
    assert main(argv) == 1
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_findings(corpus: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(check(corpus, name, "json", capsys))
    assert_contract(doc, "audit-1")
    found = [
        (f["terraform_id"], [a for a in f["addresses"] if ".aws_route_table." in a])
        for f in doc["findings"]
    ]
    assert found == EXPECTED[name]
    assert doc["terraform"]["kind"] == "plan"


def test_single_nat_cross_az_names_the_zones(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(check(corpus, "eks-vpcmod-single-nat-plan.json", "json", capsys))
    titles = [f["title"] for f in doc["findings"] if f["check"] == "cross-az-nat"]
    assert [t.split(" ", 1)[1] for t in titles] == [
        f"(us-east-2b) uses {doc['findings'][2]['nat_gateway_ids'][0]} in us-east-2a",
        f"(us-east-2c) uses {doc['findings'][2]['nat_gateway_ids'][0]} in us-east-2a",
    ]
    fix = doc["findings"][2]["remediation_hcl"]
    assert "single_nat_gateway     = false" in fix and "one_nat_gateway_per_az = true" in fix
    s3 = doc["findings"][1]["remediation_hcl"]
    assert "vpc_id            = module.vpc.vpc_id" in s3
    assert "route_table_ids   = [module.vpc.private_route_table_ids[0]]" in s3


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_text_and_markdown(corpus: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    count = len(EXPECTED[name])
    text = check(corpus, name, "text", capsys)
    assert text.startswith(f"vpcpath check: {count} findings")
    markdown = check(corpus, name, "markdown", capsys)
    assert markdown.startswith(f"# vpcpath check: {count} findings")
    assert markdown.count("```hcl") == count


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sarif_validates_against_the_oasis_schema(
    corpus: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    schema: dict[str, Any] = json.loads((corpus / "sarif-schema-2.1.0.json").read_text())
    doc = json.loads(check(corpus, name, "sarif", capsys))
    jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    assert [r["properties"]["terraformId"] for r in results] == [i for i, _ in EXPECTED[name]]


def test_sarif_with_suppressions_validates(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema: dict[str, Any] = json.loads((corpus / "sarif-schema-2.1.0.json").read_text())
    baseline = tmp_path / ".vpcpath.toml"
    baseline.write_text(
        "[[accepted]]\nid = 'cross-az-nat:module.vpc.aws_subnet.private[1]'\n"
        "reason = 'zone b shares the NAT gateway until the next release'\nexpires = 2027-03-01\n"
    )
    out = check(corpus, "eks-vpcmod-single-nat-plan.json", "sarif", capsys)
    doc = json.loads(out)
    jsonschema.Draft4Validator(schema).validate(doc)
    suppressed = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
    assert [r["properties"]["terraformId"] for r in suppressed] == [
        "cross-az-nat:module.vpc.aws_subnet.private[1]"
    ]
