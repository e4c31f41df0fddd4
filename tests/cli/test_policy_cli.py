"""`vpcpath policy check | suggest` end to end: contract, exit codes, suggest then check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_explain_cli import run
from tests.contracts import assert_contract

RESOURCE_ACCOUNT_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}},
        }
    ],
}


def test_check_sample_passes_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    # Full-access policies break nothing; analytics' hand-written one forgets ECR's layer bucket.
    assert run(["policy", "check", "--sample", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "policy-1")
    assert {e["vpc_endpoint_id"] for e in doc["endpoints"]} == {
        "vpce-0c6d71d308b1eb4ea",
        "vpce-0ce063733efb53556",
        "vpce-0e38390a9aa3330fa",
    }
    s3 = next(e for e in doc["endpoints"] if e["vpc_endpoint_id"] == "vpce-0ce063733efb53556")
    assert s3["perimeter_gaps"] == ["foreign-bucket"]
    broken = {e["vpc_endpoint_id"]: e["breaks"] for e in doc["endpoints"] if e["breaks"]}
    assert broken == {"vpce-0e38390a9aa3330fa": ["ecr-image-layers"]}


def test_a_tight_policy_breaks_ecr_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps(RESOURCE_ACCOUNT_ONLY))
    argv = [
        "policy",
        "check",
        "--policy",
        str(policy),
        "--region",
        "eu-west-1",
        "--account",
        "111122223333",
        "--json",
    ]
    assert run(argv) == 1
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "policy-1")
    assert "ecr-image-layers" in doc["endpoints"][0]["breaks"]


def test_suggest_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["policy", "suggest", "--region", "ap-southeast-1", "--account", "111122223333"]) == 0
    )
    suggested = tmp_path / "suggested.json"
    suggested.write_text(capsys.readouterr().out)
    argv = [
        "policy",
        "check",
        "--policy",
        str(suggested),
        "--region",
        "ap-southeast-1",
        "--account",
        "111122223333",
        "--json",
    ]
    assert run(argv) == 0
    endpoint = json.loads(capsys.readouterr().out)["endpoints"][0]
    assert endpoint["breaks"] == [] and endpoint["perimeter_gaps"] == []


def test_malformed_policy_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "bad.json"
    policy.write_text(
        '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": 7, "Resource": "*"}]}'
    )
    code = run(
        [
            "policy",
            "check",
            "--policy",
            str(policy),
            "--region",
            "us-east-1",
            "--account",
            "111122223333",
        ]
    )
    assert code == 3
    assert f"{policy}: Statement[0].Action" in capsys.readouterr().err


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["policy", "check", "--policy", "x.json"]) == 2
    assert run(["policy", "suggest", "--region", "us-east-1"]) == 2
