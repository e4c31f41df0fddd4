"""Ctrl-C and SIGTERM during a flow-log scan: "vpcpath: interrupted", 130 / 143, nothing left.

The CLI runs as a separate process (``python -m vpcpath``, the entry point the ``vpcpath``
command uses) over a generated input large enough to take seconds to scan; the signal is sent
once the scan's private temporary folder exists, so it lands while DuckDB is reading.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HEADER = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status\n"
)
LINE = (
    "2 111122223333 eni-069bf417deb59f0da 10.0.70.12 52.216.10.10 40000 443 6 10 1000 "
    "1714521600 1714521660 ACCEPT OK\n"
)


@pytest.fixture(scope="module")
def large_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.log.gz"
    chunk = LINE * 10_000
    with gzip.open(path, "wt", compresslevel=1) as handle:
        handle.write(HEADER)
        for _ in range(400):  # 4,000,000 records
            handle.write(chunk)
    return path


def _default_sigint() -> None:
    # A test runner may start children with SIGINT ignored; a user's terminal does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("command", "signum", "code"),
    [
        ("flows", signal.SIGINT, 130),
        ("flows", signal.SIGTERM, 143),
        ("audit", signal.SIGINT, 130),
        ("audit", signal.SIGTERM, 143),
    ],
)
def test_signal_mid_scan_stops_cleanly(
    large_log: Path, tmp_path: Path, command: str, signum: int, code: int
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp))
    logs = [str(large_log)] if command == "flows" else ["--flow-logs", str(large_log)]
    argv = [sys.executable, "-m", "vpcpath", command, "--sample", "--offline", *logs]
    process = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 120
    while not any(temp.glob("vpcpath-flows-*")) and process.poll() is None:
        assert time.monotonic() < deadline, "the scan never started"
        time.sleep(0.05)
    assert process.poll() is None, "the scan ended before the signal could be sent"
    time.sleep(0.5)  # well inside the scan: DuckDB is reading the gzip stream
    process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, out, err) == (code, b"", b"vpcpath: interrupted\n")
    assert list(temp.iterdir()) == []
