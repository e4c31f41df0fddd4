"""SARIF 2.1.0 from `vpcpath check`: what GitHub code scanning reads, checked structurally.

The OASIS schema itself validates these in tests/corpus/test_terraform_sarif.py.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.terraform.conftest import FIXTURES, run
from vpcpath.audit.catalogue import CHECKS

LEVELS = {"error", "warning", "note", "none"}


def sarif(path: Path | str, *extra: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert run(["check", "--terraform", str(path), "--format", "sarif", *extra]) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_structure_rules_and_results(capsys: pytest.CaptureFixture[str]) -> None:
    doc = sarif(FIXTURES / "flat-state.json", capsys=capsys)
    assert doc["version"] == "2.1.0"
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run_,) = doc["runs"]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    docs = {c.info.id: c.info for c in CHECKS}
    assert "ecr-pulls-via-nat" not in ids  # needs traffic a plan does not have
    for rule in rules:
        if rule["id"] == "internal-error":
            continue
        info = docs[rule["id"]]
        assert rule["helpUri"] == info.doc_url and rule["helpUri"].startswith("https://")
        assert rule["shortDescription"]["text"] == info.title
        assert rule["fullDescription"]["text"] == info.description
        assert rule["defaultConfiguration"]["level"] in LEVELS
    by_rule = {r["id"]: r for r in rules}
    assert by_rule["s3-via-nat"]["defaultConfiguration"]["level"] == "error"
    assert by_rule["endpoint-route-overridden"]["defaultConfiguration"]["level"] == "warning"
    assert by_rule["cross-az-nat"]["defaultConfiguration"]["level"] == "note"
    results = run_["results"]
    assert [r["ruleId"] for r in results] == [
        "dynamodb-via-nat",
        "s3-endpoint-not-associated",
        "s3-endpoint-not-associated",
        "cross-az-nat",
    ]
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in LEVELS and result["message"]["text"]
        (location,) = result["locations"]
        # relative to the repository root; the tests run in a folder outside any repository
        assert location["physicalLocation"]["artifactLocation"]["uri"] == os.path.relpath(
            FIXTURES / "flat-state.json"
        )
        assert location["logicalLocations"][0]["kind"] == "resource"
        assert "suppressions" not in result
    cross = results[3]
    assert cross["level"] == "note"
    assert [x["fullyQualifiedName"] for x in cross["locations"][0]["logicalLocations"]][:2] == [
        'aws_route_table.app["b"]',
        'aws_subnet.app["b"]',
    ]


def test_fingerprints_are_stable_across_runs_and_across_apply(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def prints(name: str) -> list[str]:
        doc = sarif(FIXTURES / name, capsys=capsys)
        return [r["partialFingerprints"]["vpcpathFinding/v1"] for r in doc["runs"][0]["results"]]

    first = prints("nested-plan.json")
    assert len(set(first)) == 3
    assert prints("nested-plan.json") == first
    # after apply the ids are real, the addresses the same: code scanning sees the same alerts
    assert prints("nested-state.json") == first


def test_location_points_at_the_tf_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    infra = tmp_path / "infra"
    infra.mkdir()
    shutil.copy(FIXTURES / "flat-state.json", infra / "state.json")
    (infra / "network.tf").write_text(
        'resource "aws_vpc" "main" {\n  cidr_block = "10.20.0.0/16"\n}\n\n'
        'resource "aws_route_table" "app" {\n  for_each = local.zones\n}\n'
    )
    doc = sarif(infra / "state.json", capsys=capsys)
    results = doc["runs"][0]["results"]
    physical = [r["locations"][0]["physicalLocation"] for r in results]
    assert physical[1] == {
        "artifactLocation": {"uri": "infra/network.tf"},
        "region": {"startLine": 5},
    }
    # the main table is not in network.tf: its first address with a block is the VPC
    assert physical[2] == {
        "artifactLocation": {"uri": "infra/network.tf"},
        "region": {"startLine": 1},
    }


def test_uris_are_relative_to_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """upload-sarif resolves locations against the repository, not the job's folder."""
    repo = tmp_path / "repo"
    infra = repo / "infra"
    infra.mkdir(parents=True)
    (repo / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    shutil.copy(FIXTURES / "flat-state.json", infra / "plan.json")
    monkeypatch.chdir(infra)
    doc = sarif("plan.json", capsys=capsys)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
    }
    assert uris == {"infra/plan.json"}


def test_location_inside_local_modules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """module.network (./modules/network) → module.vpc[0] (./vpc): the inner module's file."""
    inner = tmp_path / "modules" / "network" / "vpc"
    inner.mkdir(parents=True)
    (inner / "tables.tf").write_text(
        '# private route tables\n\nresource "aws_route_table" "private" {\n'
        "  for_each = var.zones\n}\n"
    )
    shutil.copy(FIXTURES / "nested-plan.json", tmp_path / "plan.json")
    doc = sarif(tmp_path / "plan.json", capsys=capsys)
    by_rule = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    physical = by_rule["s3-endpoint-not-associated"]["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "modules/network/vpc/tables.tf"},
        "region": {"startLine": 3},
    }
