"""`vpcpath explain` end to end: golden JSON, human output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.cases import EXPLAIN_CASES, GOLDEN
from tests.contracts import assert_contract
from vpcpath.cli import main


def run(argv: list[str]) -> int:
    """The exit code, whether main returns it or argparse exits with it."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize("name", sorted(EXPLAIN_CASES))
def test_explain_json_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(EXPLAIN_CASES[name]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out)
    assert_contract(doc, "explain-1")
    golden = (GOLDEN / "explain" / f"{name}.json").read_text()
    assert doc == json.loads(golden), f"differs from golden {name}; run `make golden` and review"


def test_human_output_numbers_hops_and_hints(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "--color",
            "never",
            "explain",
            "--sample",
            "--from",
            "subnet-04b48fe40f9d9fa52",
            "--to",
            "s3",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "verdict  nat-gateway   $0.045/GiB in · $0.045/GiB out" in out
    assert "1. rtb-02852e1ef289c2429  route 0.0.0.0/0 → nat-0f9c0b4f18fa0b021" in out
    assert "2. nat-0f9c0b4f18fa0b021  nat gateway (public NAT gateway in us-east-1c)" in out
    assert "4. igw-078739b2f97530d9a  internet gateway" in out
    assert "hint: associate vpce-0ce063733efb53556 with rtb-02852e1ef289c2429" in out
    assert "\033[" not in out  # no colour unless asked


def test_colour_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "--color",
            "always",
            "explain",
            "--sample",
            "--from",
            "subnet-04b48fe40f9d9fa52",
            "--to",
            "s3",
        ]
    )
    assert "\033[31;1mnat-gateway\033[0m" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["explain", "--sample", "--from", "subnet-0000000000000000", "--to", "s3"],
            3,
            "subnet subnet-0000000000000000 is not in the snapshot",
        ),
        (
            ["explain", "--sample", "--from", "i-0nope", "--to", "s3"],
            3,
            "instance i-0nope is not in the snapshot",
        ),
        (
            ["explain", "--sample", "--from", "subnet-04b48fe40f9d9fa52", "--to", "example.com"],
            2,
            "vpcpath does not resolve DNS",
        ),
        (["explain", "--sample", "--from", "bogus", "--to", "s3"], 2, "give a subnet-"),
        (
            ["explain", "--sample", "--from", "subnet-04b48fe40f9d9fa52", "--to", "s3:moon"],
            2,
            "not a region name",
        ),
        (["explain", "--sample", "--from", "subnet-04b48fe40f9d9fa52"], 2, "--to"),
        (["explain", "--from", "subnet-1", "--to", "s3"], 2, "--snapshot"),
        (
            ["explain", "--sample", "--from", "10.99.0.1", "--to", "s3"],
            3,
            "no subnet in the snapshot contains",
        ),
    ],
)
def test_exit_codes(
    argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == code
    assert message in capsys.readouterr().err


def test_unreadable_snapshot_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    assert main(["explain", "--snapshot", str(tmp_path), "--from", "subnet-1", "--to", "s3"]) == 3
    err = capsys.readouterr().err
    assert f"{tmp_path / 'bad.json'}:1:2: invalid JSON" in err
