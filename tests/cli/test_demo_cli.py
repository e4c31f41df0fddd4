"""`vpcpath demo` (what `make demo` runs): the sample's paths, the audit with money, the fix."""

from __future__ import annotations

import re

import pytest

from vpcpath.cli import main


def test_demo_shows_paths_and_a_priced_audit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--color", "never", "demo", "--records", "20000"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"prod-eks-nodes-c\s+us-east-1c\s+nat-gateway \$0\.045/GiB", out)
    # The seed is fixed: the generated day of flow logs, and so the money, are always the same.
    headline = re.search(r"^\$41\.30/month avoidable, 14 findings$", out, re.M)
    assert headline is not None
    assert "s3-endpoint-not-associated: 2 findings — $" in out  # the top groups, priced
    # The hub-and-spoke part: spokes' S3 through the transit gateway to the egress NAT.
    assert re.search(r"platform-c\s+eu-west-1c\s+nat-gateway \$0\.088/GiB", out)
    assert re.search(r"^s3-via-transit-gateway\s+medium\s+2\s+2\s+\$8\.50$", out, re.M)
    assert " audit --sample --flow-logs " in out  # the next step, with the cached logs
    # It ends with the fix plan: proven, priced from the same logs, what is left and why.
    assert "\nvpcpath fix: 10 action(s), 3 finding(s) not fixed — the proof holds\n" in out
    assert "\nMoney: $39.28/month (758.5 GiB/month) moves from NAT to gateway endpoints" in out
    assert "  - endpoint-route-overridden:rtb-0c9d384754630fd5d:s3: route 52.216.0.0/16" in out
    # A second run reuses the generated logs (same numbers).
    assert main(["--color", "never", "demo", "--records", "20000"]) == 0
    assert headline.group(0) in capsys.readouterr().out


@pytest.mark.parametrize("columns", [80, 100])
def test_demo_fits_the_terminal_width(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["demo", "--records", "20000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert max(len(line) for line in lines) > columns - 10  # it uses the width it has
    assert "\033[" not in "".join(lines)  # piped: no colour
