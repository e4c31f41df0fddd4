"""Progress: a bar per account/region on a terminal, nothing with --quiet, then a summary."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.live.estate import ACCOUNT, EstateBuilder
from vpcpath.cli import main
from vpcpath.sources.live import RegionProgress, progress_line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line() -> None:
    running = RegionProgress(
        account=ACCOUNT, region="eu-west-1", done=5, total=20, operation="DescribeSubnets"
    )
    assert progress_line(running, width=8) == (
        "123456789012 eu-west-1       [##......] 5/20 DescribeSubnets"
    )
    finished = RegionProgress(
        account=ACCOUNT,
        region="us-east-1",
        done=31,
        total=31,
        operation=None,
        finished=True,
        skipped=2,
    )
    assert progress_line(finished, width=8) == (
        "123456789012 us-east-1       [########] 31/31 done, 2 refused"
    )


def test_bars_on_a_terminal(
    estate: EstateBuilder,
    aws_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    out = tmp_path / "snap"
    assert main(["snapshot", "--out", str(out), "--regions", "us-east-1,eu-west-1"]) == 0
    drawn = terminal.getvalue()
    assert "\x1b[1F\x1b[J" in drawn  # running bars are redrawn in place
    plain = re.sub(r"\x1b\[\d*[FJ]", "", drawn)
    finals = [line for line in plain.splitlines() if line.endswith(" done")]
    assert sorted(line.split()[1] for line in finals) == ["eu-west-1", "us-east-1"]
    for line in finals:
        assert re.fullmatch(rf"{ACCOUNT} \S+ +\[#{{24}}\] (\d+)/\1 done", line), line
    summary = capsys.readouterr().out.splitlines()
    assert summary[0] == f"Wrote {out}"
    assert re.fullmatch(
        r"Read 1 account\(s\), 2 region\(s\) in \d+\.\d s: \d+ requests, \d+ files\.", summary[1]
    )


def test_quiet_draws_nothing(
    estate: EstateBuilder,
    aws_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    out = tmp_path / "snap"
    assert main(["snapshot", "--out", str(out), "--regions", "us-east-1", "--quiet"]) == 0
    assert terminal.getvalue() == ""
    assert capsys.readouterr().out == ""


def test_live_progress_goes_to_stderr_and_the_answer_to_stdout(
    estate: EstateBuilder,
    aws_env: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    source = estate.ids["prod-app-c"]
    code = main(["explain", "--live", "--regions", "us-east-1", "--from", source, "--to", "s3"])
    assert code == 0
    assert "us-east-1" in terminal.getvalue() and "Read 1 account(s)" in terminal.getvalue()
    answer = capsys.readouterr().out
    assert "verdict  nat-gateway" in answer


def test_bars_fit_a_narrow_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A wrapped bar would take two rows and break the "up N lines" redraw: bars are cut.
    from vpcpath.cli.live import ProgressBars

    monkeypatch.setenv("COLUMNS", "40")
    terminal = Terminal()
    bars = ProgressBars(terminal, enabled=True)
    for region in ("us-east-1", "eu-west-1"):
        bars(
            RegionProgress(
                account=ACCOUNT, region=region, done=3, total=9, operation="DescribeRouteTables"
            )
        )
    plain = re.sub(r"\x1b\[\d*[FJ]", "", terminal.getvalue())
    assert plain.splitlines() == [
        "123456789012 us-east-1       [########.…",
        "123456789012 us-east-1       [########.…",
        "123456789012 eu-west-1       [########.…",
    ]
