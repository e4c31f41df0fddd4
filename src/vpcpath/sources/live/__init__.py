"""Live, read-only collection from AWS into the snapshot folder layout.

``write_snapshot`` backs ``vpcpath snapshot``; ``live_snapshot`` backs ``--live``. Every client
comes from ``session.AwsSession`` and carries the read-only guard (``guard.py``); every call
is listed in ``calls.py``.
"""

from vpcpath.sources.live.calls import required_actions
from vpcpath.sources.live.guard import CallGuard, ReadOnlyGuard
from vpcpath.sources.live.manifest import MANIFEST_NAME, manifest_document
from vpcpath.sources.live.progress import ProgressCallback, RegionProgress, progress_line
from vpcpath.sources.live.report import (
    Collection,
    CollectOptions,
    Skip,
    SkipScope,
    missing_lines,
    summary_lines,
)
from vpcpath.sources.live.session import AwsSession, RetrySettings
from vpcpath.sources.live.snapshot import live_snapshot, write_snapshot

__all__ = [
    "MANIFEST_NAME",
    "AwsSession",
    "CallGuard",
    "CollectOptions",
    "Collection",
    "ProgressCallback",
    "ReadOnlyGuard",
    "RegionProgress",
    "RetrySettings",
    "Skip",
    "SkipScope",
    "live_snapshot",
    "manifest_document",
    "missing_lines",
    "progress_line",
    "required_actions",
    "summary_lines",
    "write_snapshot",
]
