"""Entry points: write a snapshot folder (``vpcpath snapshot``), or read AWS for one analysis
(``--live``).

A snapshot is written into a hidden temporary folder beside ``--out`` and renamed into place only
when collection and manifest are complete, so Ctrl-C or a fatal error leaves no half-written
snapshot behind. ``--live`` collects into a temporary folder, loads it with the same loader as
``--snapshot`` (so both give the same answers) and removes it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from vpcpath.errors import AwsError, SourceError, UsageError
from vpcpath.model import Snapshot
from vpcpath.sources.folder import load_snapshot
from vpcpath.sources.live.collector import collect
from vpcpath.sources.live.guard import ReadOnlyGuard
from vpcpath.sources.live.manifest import write_manifest
from vpcpath.sources.live.progress import ProgressCallback
from vpcpath.sources.live.report import Collection, CollectOptions


def write_snapshot(
    options: CollectOptions,
    out: Path,
    *,
    force: bool = False,
    progress: ProgressCallback | None = None,
    guard: ReadOnlyGuard | None = None,
) -> Collection:
    """Collect into ``out`` (new, empty, or replaced with ``force``) with a manifest.json."""
    if out.exists():
        if not out.is_dir():
            raise UsageError(f"{out}: exists and is not a folder")
        if any(out.iterdir()) and not force:
            raise UsageError(f"{out}: exists and is not empty; name a new folder or add --force")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except OSError as exc:
        raise SourceError(f"{out}: cannot create the snapshot folder ({exc.strerror})") from exc
    try:
        collection = collect(options, staging, progress=progress, guard=guard)
        write_manifest(staging, collection)
        _move_into_place(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SourceError(f"{out}: cannot write the snapshot ({exc})") from exc
    except BaseException:  # Ctrl-C included: no half-written snapshot stays behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return collection


def _move_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    # Replace an existing folder: move it aside, move the new one in, then delete the old one,
    # so there is always a complete snapshot at ``out`` or a moment with none, never a mix.
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    aside.rmdir()
    out.rename(aside)
    try:
        staging.rename(out)
    except BaseException:
        aside.rename(out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def live_snapshot(
    options: CollectOptions,
    *,
    progress: ProgressCallback | None = None,
    guard: ReadOnlyGuard | None = None,
) -> tuple[Snapshot, Collection]:
    """Read AWS now and load the result as a Snapshot; the skips are in its notes too."""
    with tempfile.TemporaryDirectory(prefix="vpcpath-live-") as folder:
        root = Path(folder)
        collection = collect(options, root, progress=progress, guard=guard)
        if collection.files == 0:
            missing = "; ".join(s.describe() for s in collection.skips) or "no account or region"
            raise AwsError(f"nothing could be read from AWS: {missing}")
        snapshot = load_snapshot(root)
    accounts = ", ".join(a.account_id for a in collection.accounts if not a.skipped)
    notes = replace(
        snapshot.notes,
        root=f"live AWS (accounts {accounts}; regions {', '.join(collection.regions)})",
        skipped=(
            *snapshot.notes.skipped,
            *((f"{s.where} {s.action}", f"missing {s.missing}") for s in collection.skips),
        ),
    )
    return replace(snapshot, notes=notes), collection
