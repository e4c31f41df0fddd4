"""The demo's cached flow logs: one stable folder, reused for the same estate, regenerated when
the estate changes."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from vpcpath.flows.synthetic.demo import demo_flow_logs
from vpcpath.model import Snapshot


def test_one_folder_reused_for_the_same_estate_and_redone_for_another(
    sample: Snapshot, tmp_path: Path
) -> None:
    first = demo_flow_logs(sample, tmp_path, records=2_000)
    assert first == tmp_path / "demo-flow-logs-2000"
    marker = first / "vpcpath-demo-logs"
    stamp, written = marker.read_text(), marker.stat().st_mtime_ns
    assert demo_flow_logs(sample, tmp_path, records=2_000) == first
    assert marker.stat().st_mtime_ns == written  # reused, not rewritten
    rt_id, table = sorted(sample.route_tables.items())[0]
    retagged = replace(table, tags=(*table.tags, ("Owner", "someone-else")))
    changed = replace(sample, route_tables={**sample.route_tables, rt_id: retagged})
    assert demo_flow_logs(changed, tmp_path, records=2_000) == first  # same name
    assert marker.read_text() != stamp  # regenerated for the changed estate
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-flow-logs-2000"]  # no leftovers


def test_the_fingerprint_is_the_same_in_every_process() -> None:
    # Set order in repr() changes with string-hash randomisation between processes.
    code = (
        "from vpcpath.sources.sample_estate import load_sample;"
        "from vpcpath.flows.synthetic.demo import _fingerprint;"
        "print(_fingerprint(load_sample()))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
