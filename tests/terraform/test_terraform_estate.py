"""`--terraform FILE` as an estate for `explain` and `audit`, beside `check`."""

from __future__ import annotations

import json

import pytest

from tests.contracts import assert_contract
from tests.terraform.conftest import FIXTURES, run

FLAT_STATE = str(FIXTURES / "flat-state.json")


def test_explain_a_subnet_of_a_state(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explain", "--terraform", FLAT_STATE, "--from", "subnet-0c0c0c0c0c0c0c0cb"]
    assert run([*argv, "--to", "s3", "--json"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert_contract(doc, "explain-1")
    (leg,) = doc["legs"]
    assert leg["verdict"] == "nat-gateway"
    assert [h["id"] for h in leg["paths"][0]["hops"]] == [
        "rtb-0202020202020202b",
        "nat-0f0f0f0f0f0f0f0f1",
        "rtb-01010101010101011",
        "igw-0e0e0e0e0e0e0e0e1",
    ]
    assert "vpcpath: note: AWS-managed prefix list com.amazonaws.us-east-1.s3" in captured.err
    # app["a"] is on the endpoint
    assert run([*argv[:-1], "subnet-0c0c0c0c0c0c0c0ca", "--to", "s3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["legs"][0]["verdict"] == "gateway-endpoint"


def test_audit_of_a_plan_finds_what_check_finds(capsys: pytest.CaptureFixture[str]) -> None:
    """ecr-pulls-via-nat, the one check `check` leaves out, looks for container hosts; the
    fixture has none, so `audit` finds the same."""
    assert run(["audit", "--terraform", str(FIXTURES / "flat-plan.json"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "audit-1")
    assert [f["id"] for f in doc["findings"]] == [
        "dynamodb-via-nat:vpc-0f1a2b3c4d5e6f701",
        "s3-endpoint-not-associated:rtb-0202020202020202b",
        "s3-endpoint-not-associated:rtb-0a0a0a0a0a0a0a0a1",
        "cross-az-nat:subnet-0c0c0c0c0c0c0c0cb",
    ]
