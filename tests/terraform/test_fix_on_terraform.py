"""`vpcpath fix` on a Terraform plan of new infrastructure: no account id yet, no endpoint yet."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.terraform.conftest import FIXTURES, run
from vpcpath.policy import DEFAULT_ENDPOINT_POLICY


def _fix(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code = run(
        ["fix", "--terraform", str(FIXTURES / "nested-plan.json"), "--format", "json", *extra]
    )
    assert code == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_unknown_account_gets_the_default_policy_and_the_proof_holds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = _fix(capsys)
    create = next(a for a in doc["actions"] if a["action"] == "create-gateway-endpoint")
    assert create["account_id"] == "unknown"
    assert create["service_name"] == "com.amazonaws.us-east-1.dynamodb"
    assert create["policy"] == DEFAULT_ENDPOINT_POLICY
    assert "is not known (pass --org-id" in create["policy_check"]["source"]
    # The plan has no DynamoDB endpoint, so the region's list comes from ip-ranges: the new
    # endpoint's routes can be traced, and every private subnet moves to it.
    assert doc["what_if"]["holds"] is True
    dynamodb = [c for c in doc["what_if"]["changes"] if c["leg"] == "dynamodb"]
    assert {(c["subnet_id"], c["from"], c["to"]) for c in dynamodb} == {
        ("subnet-tf855caafeb0f0ccf", "nat-gateway", "gateway-endpoint"),
        ("subnet-tfe39de67546dc508", "nat-gateway", "gateway-endpoint"),
    }


def test_an_organization_scopes_the_policy_even_without_an_account(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = _fix(capsys, "--org-id", "o-a1b2c3d4e5")
    create = next(a for a in doc["actions"] if a["action"] == "create-gateway-endpoint")
    assert create["policy"] != DEFAULT_ENDPOINT_POLICY
    assert "o-a1b2c3d4e5" in json.dumps(create["policy"])
    assert create["policy_check"]["passes"] is True
