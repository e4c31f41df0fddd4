"""The demo's flow logs: generated once for the sample estate, kept in the user cache."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from vpcpath.flows.synthetic.generator import generate
from vpcpath.model import Snapshot

DEMO_RECORDS = 300_000
_MARKER = "vpcpath-demo-logs"


def demo_flow_logs(snapshot: Snapshot, cache_dir: Path, *, records: int = DEMO_RECORDS) -> Path:
    """A folder of VPC-level flow logs (one day, default format) for ``snapshot``.

    Generated on first use into ``cache_dir`` (written to a temporary folder and renamed, so
    an interrupted run leaves nothing half-written) and reused afterwards.
    """
    folder = cache_dir / f"demo-flow-logs-{records}-{_fingerprint(snapshot)}"
    if (folder / _MARKER).exists():
        return folder
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".demo-flow-logs-", dir=cache_dir))
    try:
        generate(snapshot, staging, records=records, mode="v2-vpc")
        (staging / _MARKER).write_text(f"{records} records for the sample estate\n")
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
    the sample (a new hub-and-spoke VPC must get traffic of its own, not last version's)."""
    parts = (
        GENERATOR_VERSION,
        sorted(snapshot.route_tables.items()),
        sorted(snapshot.network_interfaces.items()),
        sorted(snapshot.nat_gateways.items()),
        sorted(snapshot.transit.route_tables.items()),
        sorted(snapshot.transit.attachments.items()),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:12]
