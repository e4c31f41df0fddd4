"""``--baseline FILE``: accepted findings for `check` and `audit` (default ``.vpcpath.toml``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from vpcpath.audit.baseline import DEFAULT_BASELINE, Accepted, read_baseline


def add_baseline_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help=f"accepted findings (TOML; default: {DEFAULT_BASELINE} in the current folder, "
        "if there is one)",
    )


def accepted_findings(args: argparse.Namespace) -> tuple[tuple[Accepted, ...], str] | None:
    """The accepted entries and the file they came from, or None without a baseline."""
    path: Path | None = args.baseline
    if path is None:
        default = Path(DEFAULT_BASELINE)
        if not default.is_file():
            return None
        path = default
    return read_baseline(path), str(path)
