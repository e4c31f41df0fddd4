"""apply refuses plans it must not make: an unproven what-if, a file that is not a plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpcpath.cli import main


def test_apply_refuses_a_plan_whose_proof_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fix", "--sample", "--format", "json", "--output", str(tmp_path / "p.json")]) == 0
    doc = json.loads((tmp_path / "p.json").read_text())
    doc["what_if"]["holds"] = False
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    assert main(["apply", str(tmp_path / "bad.json")]) == 3
    assert "its what-if does not prove the plan" in capsys.readouterr().err


def test_apply_refuses_a_file_that_is_not_a_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "audit.json").write_text(json.dumps({"schema": "vpcpath.audit/1"}))
    assert main(["apply", str(tmp_path / "audit.json")]) == 3
    err = capsys.readouterr().err
    assert "not a vpcpath.fix/1 plan (schema 'vpcpath.audit/1')" in err
    (tmp_path / "broken.json").write_text("{")
    assert main(["apply", str(tmp_path / "broken.json")]) == 3
