"""Exit codes of `flows` and `audit` as README's table gives them, for the inputs and flags
that broke them: usage errors 2, DuckDB failures 3 (never a traceback, never 1), AWS refusal
or missing credentials 5; and `--output` through symlinks, to pipes, never leaving a .tmp."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from vpcpath.cli import main

DEFAULT = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status"
)
GOOD = (
    "2 111122223333 eni-069bf417deb59f0da 10.0.70.12 52.216.10.10 40000 443 6 10 1000 "
    "1714521600 1714521660 ACCEPT OK"
)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "flows.log"
    path.write_text(f"{DEFAULT}\n{GOOD}\n")
    return path


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials anywhere: no environment keys, no files, no instance metadata."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--top", "0"], "argument --top: '0': must be at least 1"),
        (["--top", "-3"], "argument --top: '-3': must be at least 1"),
        (["--threads", "0"], "argument --threads: '0': must be at least 1"),
        (
            ["--start", "2024-05-02", "--end", "2024-05-01"],
            "--start 2024-05-02 is not before --end 2024-05-01",
        ),
        (["--start", "2024-05-01", "--end", "2024-05-01"], "is not before --end"),
        (["--fields", "hello world"], "--fields 'hello world': expected flow-log field names"),
        (["--fields", "default", "--format", "default"], "give --fields or --format, not both"),
    ],
)
def test_flows_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], log: Path, flags: list[str], message: str
) -> None:
    code, out, err = run(capsys, "flows", "--sample", "--offline", *flags, str(log))
    assert (code, out) == (2, "")
    assert message in err


def test_flows_good_flags_answer(capsys: pytest.CaptureFixture[str], log: Path) -> None:
    flags = ["--top", "1", "--threads", "1", "--start", "2024-05-01", "--end", "2024-05-02"]
    code, out, err = run(capsys, "flows", "--sample", "--offline", "--json", *flags, str(log))
    assert (code, err) == (0, "")
    assert json.loads(out)["totals"]["nat_bytes"] == 1000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--records", "0"], "argument --records: '0': must be at least 1"),
        (["audit", "--sample", "--days", "-1"], "argument --days: '-1': must be at least 1"),
        (["audit", "--sample", "--output", ""], "argument --output: an empty file name"),
    ],
)
def test_other_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


def test_duckdb_out_of_memory_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], log: Path
) -> None:
    code, out, err = run(
        capsys, "flows", "--sample", "--offline", "--memory-limit", "1KB", str(log)
    )
    assert (code, out) == (3, "")
    assert err.startswith("vpcpath: error: DuckDB ran out of memory within --memory-limit 1KB (")
    assert err.endswith("give it more (e.g. --memory-limit 4GB) or fewer threads (--threads 1)\n")
    assert "Traceback" not in err


@pytest.mark.usefixtures("no_aws")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["flows", "--sample", "s3://flow-logs/AWSLogs/"],
            "vpcpath: error: s3://flow-logs/AWSLogs/: s3:ListBucket: Unable to locate "
            "credentials (set AWS_PROFILE or --profile, or the AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY variables)\n",
        ),
        (
            ["flows", "--sample", "--profile", "nope", "s3://flow-logs/AWSLogs/"],
            "vpcpath: error: AWS configuration: The config profile (nope) could not be found\n",
        ),
        (
            ["audit", "--sample", "--cloudwatch", "--profile", "nope"],
            "vpcpath: error: AWS configuration: The config profile (nope) could not be found\n",
        ),
    ],
)
def test_aws_refusal_exits_5(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (5, "", message)


@pytest.mark.usefixtures("no_aws")
def test_cloudwatch_without_credentials_is_no_upper_bound(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "audit", "--sample", "--cloudwatch", "--format", "json")
    assert (code, out) == (5, "")
    assert err == (
        "vpcpath: error: no NAT gateway metrics could be read from CloudWatch "
        "(nat-00bba9ec974400757 (us-east-1): cloudwatch:GetMetricStatistics: Unable to locate "
        "credentials (set AWS_PROFILE or --profile, or the AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY variables); and 7 more NAT gateways): without them there is no "
        "upper bound to report\n"
    )
    assert "$0" not in err


def test_output_writes_through_a_symlink(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "reports" / "audit.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    code, _, err = run(capsys, "audit", "--sample", "--format", "json", "--output", str(link))
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text())["schema"] == "vpcpath.audit/1"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["audit.json", "latest.json", "reports"]


def test_output_writes_to_a_pipe(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, err = run(capsys, "audit", "--sample", "--format", "json", "--output", str(fifo))
    reader.join(timeout=60)
    assert code == 0, err
    assert json.loads(received[0])["schema"] == "vpcpath.audit/1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.fifo"]


@pytest.mark.parametrize("where", ["missing-folder/audit.json", "a-folder"])
def test_output_that_cannot_be_written_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run(capsys, "audit", "--sample", "--output", str(tmp_path / where))
    assert (code, out) == (2, "")
    assert err.startswith(f"vpcpath: error: --output {tmp_path / where}: cannot write (")
    assert sorted(tmp_path.rglob("*")) == before
