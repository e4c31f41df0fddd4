"""A large estate for report tests and benchmarks: the explain benchmark's generator, priced.

``large_estate(folder, vpcs)`` writes ``benchmarks/explain/generate.py``'s snapshot (N VPCs,
10 subnets each, two accounts, two regions) and returns it loaded; ``nat_evidence(snapshot)``
makes flow-log evidence for it without flow-log files: every private subnet sends S3 and
DynamoDB traffic through the NAT gateway its route table names, a few GiB a day each, so
every finding has money and several findings share bytes (as in real estates).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import REPO
from vpcpath.model import Snapshot
from vpcpath.model.evidence import FlowEvidence, TrafficRecord
from vpcpath.sources.folder import load_snapshot

GIB = 2**30
DAY = 86400


def large_estate(folder: Path, vpcs: int) -> Snapshot:
    spec = importlib.util.spec_from_file_location(
        "explain_generate", REPO / "benchmarks" / "explain" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not (folder / "done").exists():
        module.generate(folder, vpcs, 10)
        (folder / "done").write_text("")
    return load_snapshot(folder)


def nat_evidence(snapshot: Snapshot) -> FlowEvidence:
    records: list[TrafficRecord] = []
    for n, subnet in enumerate(sorted(snapshot.subnets.values(), key=lambda s: s.id)):
        table_id = _table_of(snapshot, subnet.id, subnet.vpc_id)
        nat = _default_nat(snapshot, table_id)
        if nat is None:
            continue
        for service in ("S3", "DYNAMODB"):
            records.append(
                TrafficRecord(
                    source_subnet_id=subnet.id,
                    nat_gateway_id=nat,
                    service=service,
                    service_region=subnet.region,
                    bytes_to_destination=(n % 3 + 1) * GIB,
                    bytes_from_destination=(n % 5 + 1) * GIB,
                    avoidable_by=f"{service.lower()}-gateway-endpoint",
                )
            )
    return FlowEvidence(
        files=len(records),
        records=len(records),
        window_start=0,
        window_end=DAY,
        traffic=tuple(records),
    )


def _table_of(snapshot: Snapshot, subnet_id: str, vpc_id: str) -> str | None:
    for table in snapshot.route_tables.values():
        if subnet_id in table.subnet_ids:
            return table.id
    return snapshot.main_route_table.get(vpc_id)


def _default_nat(snapshot: Snapshot, table_id: str | None) -> str | None:
    table = snapshot.route_tables.get(table_id or "")
    for route in table.routes if table else ():
        if str(route.destination) == "0.0.0.0/0" and route.target_id.startswith("nat-"):
            return route.target_id
    return None
