"""The demo's flow logs: generated once for the sample estate, kept in the user cache."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path

from vpcpath.flows.synthetic.generator import generate
from vpcpath.model import Snapshot

DEMO_RECORDS = 300_000
_MARKER = "vpcpath-demo-logs"


def demo_flow_logs(snapshot: Snapshot, cache_dir: Path, *, records: int = DEMO_RECORDS) -> Path:
    """A folder of VPC-level flow logs (one day, default format) for ``snapshot``.

    Generated on first use into ``cache_dir`` (written to a temporary folder and renamed, so
    an interrupted run leaves nothing half-written) and reused while the estate's fingerprint,
    kept in the folder's marker file, stays the same. The folder's name does not change with
    the estate, so the commands the demo and README print stay valid.
    """
    folder = cache_dir / f"demo-flow-logs-{records}"
    stamp = f"{records} records for the sample estate {_fingerprint(snapshot)}\n"
    marker = folder / _MARKER
    if marker.exists() and marker.read_text(encoding="utf-8") == stamp:
        return folder
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".demo-flow-logs-", dir=cache_dir))
    try:
        generate(snapshot, staging, records=records, mode="v2-vpc")
        (staging / _MARKER).write_text(stamp, encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


# Raised when the generator writes different logs for the same estate (2: each record carries
# its ENI owner's account), so a cache written by an older generator is not reused.
GENERATOR_VERSION = 2


def _fingerprint(snapshot: Snapshot) -> str:
    """Changes whenever the estate's routing or workloads change, so the cached logs follow
    the sample (a new hub-and-spoke VPC must get traffic of its own, not last version's).
    The same estate gives the same fingerprint in every run (sets are sorted first)."""
    parts = (
        GENERATOR_VERSION,
        snapshot.route_tables,
        snapshot.network_interfaces,
        snapshot.nat_gateways,
        snapshot.transit.route_tables,
        snapshot.transit.attachments,
    )
    return hashlib.sha256(_canonical(parts).encode()).hexdigest()[:12]


def _canonical(value: object) -> str:
    """A text of ``value`` that does not depend on set order (``repr`` of a frozenset does,
    with string hashing randomised per process)."""
    if isinstance(value, Mapping):
        items = sorted((_canonical(k), _canonical(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if is_dataclass(value) and not isinstance(value, type):
        fields_text = ",".join(
            f"{f.name}={_canonical(getattr(value, f.name))}" for f in fields(value)
        )
        return f"{type(value).__name__}({fields_text})"
    return repr(value)
