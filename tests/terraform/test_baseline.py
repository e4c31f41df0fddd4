"""Accepted findings (.vpcpath.toml / --baseline) in `check` and `audit`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.contracts import assert_contract
from tests.terraform.conftest import FIXTURES, run

FLAT_STATE = str(FIXTURES / "flat-state.json")
BASELINE = """
[[accepted]]
id = "cross-az-nat:subnet-0c0c0c0c0c0c0c0cb"
reason = "dev VPC: one NAT gateway on purpose"

[[accepted]]
id = 'dynamodb-via-nat:aws_vpc.main'
reason = "DynamoDB endpoint comes with the next release"
expires = 2026-12-31

[[accepted]]
id = "s3-via-nat:vpc-0000000000000000"
reason = "that VPC is gone"
"""


def test_check_with_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".vpcpath.toml").write_text(BASELINE)  # the default file, in the working folder
    assert run(["check", "--terraform", FLAT_STATE, "--format", "json", "--fail-on", "low"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "audit-1")
    assert [f["id"] for f in doc["findings"]] == [
        "dynamodb-via-nat:vpc-0f1a2b3c4d5e6f701",  # accepted by address, but expired (2027)
        "s3-endpoint-not-associated:rtb-0202020202020202b",
        "s3-endpoint-not-associated:rtb-0a0a0a0a0a0a0a0a1",
    ]
    assert doc["summary"]["suppressed"] == 1
    assert doc["baseline"] == {
        "file": ".vpcpath.toml",
        "suppressed": [
            {
                "id": "cross-az-nat:subnet-0c0c0c0c0c0c0c0cb",
                "reason": "dev VPC: one NAT gateway on purpose",
                "expires": None,
                "finding_id": "cross-az-nat:subnet-0c0c0c0c0c0c0c0cb",
                "title": (
                    "subnet-0c0c0c0c0c0c0c0cb (us-east-1b) uses nat-0f0f0f0f0f0f0f0f1 in us-east-1a"
                ),
            }
        ],
        "expired": [
            {
                "id": "dynamodb-via-nat:aws_vpc.main",
                "reason": "DynamoDB endpoint comes with the next release",
                "expires": "2026-12-31",
            }
        ],
        "stale": [
            {"id": "s3-via-nat:vpc-0000000000000000", "reason": "that VPC is gone", "expires": None}
        ],
    }


def test_only_accepted_findings_left_pass_fail_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "accepted.toml"
    baseline.write_text(
        "".join(
            f"[[accepted]]\nid = '{i}'\nreason = 'accepted'\nexpires = 2027-06-30\n"
            for i in (
                "dynamodb-via-nat:vpc-0f1a2b3c4d5e6f701",
                "s3-endpoint-not-associated:rtb-0202020202020202b",
                "s3-endpoint-not-associated:aws_default_route_table.main",
                'cross-az-nat:aws_subnet.app["b"]',
            )
        )
    )
    argv = ["check", "--terraform", FLAT_STATE, "--baseline", str(baseline), "--fail-on", "low"]
    assert run([*argv, "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "4 accepted finding(s), suppressed by " in out
    assert run([*argv, "--format", "sarif"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert len(results) == 4
    assert results[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "accepted (until 2027-06-30)",
            "location": {"physicalLocation": {"artifactLocation": {"uri": "accepted.toml"}}},
        }
    ]


def test_audit_honours_the_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "b.toml"
    baseline.write_text(
        '[[accepted]]\nid = "s3-endpoint-not-associated:rtb-02852e1ef289c2429"\n'
        'reason = "legacy table, migrating"\n'
    )
    assert run(["audit", "--sample", "--format", "json"]) == 0  # no baseline: every finding
    every = [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    accepted = "s3-endpoint-not-associated:rtb-02852e1ef289c2429"
    assert accepted in every
    argv = ["audit", "--sample", "--format", "json", "--baseline", str(baseline)]
    assert run(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "audit-1")
    assert [f["id"] for f in doc["findings"]] == [i for i in every if i != accepted]
    assert doc["summary"]["suppressed"] == 1
    assert [s["finding_id"] for s in doc["baseline"]["suppressed"]] == [accepted]
    assert doc["baseline"]["stale"] == []
    assert accepted not in {i for g in doc["groups"] for i in g["finding_ids"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[accepted]]\nid = 'x:y'\n", "entry 1 (x:y): `reason` is required"),
        ("[[accepted]]\nid = 'nothing'\nreason = 'r'\n", "entry 1: `id` must be a finding id"),
        ("[[accepted]]\nid = 'x:y'\nreason = 'r'\nexpires = 'soon'\n", "`expires` must be a date"),
        ("[[accepted]]\nid = 'x:y'\nreason = 'r'\nowner = 'me'\n", "unknown key(s) owner"),
        ("accepted = [", "not valid TOML"),
    ],
)
def test_malformed_baseline_exits_3(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "bad.toml"
    baseline.write_text(text)
    assert run(["check", "--terraform", FLAT_STATE, "--baseline", str(baseline)]) == 3
    err = capsys.readouterr().err
    assert str(baseline) in err and message in err
