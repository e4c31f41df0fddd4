"""Every command's text output fits the terminal, and colour follows NO_COLOR / FORCE_COLOR."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vpcpath.cli import main
from vpcpath.flows.synthetic.demo import demo_flow_logs
from vpcpath.model import Snapshot

LONGEST_SUBNET = "subnet-0317bf03de44a62f8"  # three ECR legs, a mixed path, a long hint


@pytest.fixture(scope="module")
def flow_logs(tmp_path_factory: pytest.TempPathFactory, sample: Snapshot) -> Path:
    return demo_flow_logs(sample, tmp_path_factory.mktemp("logs"), records=20_000)


def commands(logs: Path) -> dict[str, list[str]]:
    return {
        "explain": ["explain", "--sample", "--from", LONGEST_SUBNET, "--to", "ecr"],
        "audit": ["audit", "--sample", "--format", "table", "--flow-logs", str(logs)],
        "audit --details": ["audit", "--sample", "--format", "table", "--details"],
        "flows": ["flows", "--sample", str(logs)],
        "policy check": ["policy", "check", "--sample"],
        "prices show": ["prices", "show"],
        "fix": ["fix", "--sample", "--format", "plan"],
        "explain --help": ["explain", "--help"],
    }


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize(
    "name",
    [
        "explain",
        "audit",
        "audit --details",
        "flows",
        "policy check",
        "prices show",
        "explain --help",
    ],
)
def test_text_output_fits_the_width(
    name: str,
    columns: int,
    flow_logs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    try:
        main(commands(flow_logs)[name])
    except SystemExit as done:  # --help
        assert done.code == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) > 5, out
    too_long = [line for line in lines if len(line) > columns]
    assert too_long == []
    assert "\033[" not in out  # piped: no colour
    if not name.endswith("--help"):
        # One unit convention: 2^30 bytes is a GiB wherever vpcpath prints it.
        assert re.findall(r"\b[KMGT]B\b", out) == []


def test_piped_output_is_not_wrapped(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--sample", "--from", LONGEST_SUBNET, "--to", "ecr"]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) > 100


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_follows_the_environment_when_piped(
    env: dict[str, str],
    coloured: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["explain", "--sample", "--from", LONGEST_SUBNET, "--to", "s3"]) == 0
    assert ("\033[" in capsys.readouterr().out) is coloured
