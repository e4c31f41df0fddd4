"""Progress of a collection, as values: the collector reports, the CLI draws.

The collector calls the callback from its worker threads but never two at once (it holds a
lock around the call), so a renderer needs no locking of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionProgress:
    account: str
    region: str
    done: int  # calls finished in this account and region
    total: int  # calls planned so far (grows once the VPCs and prefix lists are known)
    operation: str | None  # the call running now
    finished: bool = False
    skipped: int = 0  # calls refused in this region


ProgressCallback = Callable[[RegionProgress], None]


def progress_line(progress: RegionProgress, *, width: int = 24) -> str:
    """``123456789012 us-east-1      [############............] 12/25 DescribeSubnets``."""
    total = max(progress.total, 1)
    filled = width if progress.finished else min(width, width * progress.done // total)
    bar = "#" * filled + "." * (width - filled)
    if progress.finished:
        status = "done" if not progress.skipped else f"done, {progress.skipped} refused"
    else:
        status = progress.operation or ""
        if progress.skipped:
            status += f" ({progress.skipped} refused)"
    return f"{progress.account} {progress.region:<15} [{bar}] {progress.done}/{total} {status}"
