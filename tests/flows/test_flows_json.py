"""The vpcpath.flows/1 JSON contract (docs/contracts.md), exactly, on a small input of known bytes."""
# ruff: noqa: E501  (flow-log records are long lines, kept whole)

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices
from vpcpath.report.flows_json import flows_to_json

HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
# prod-eks-nodes-c (eni-01d9…, 10.0.52.23) reaches S3 (52.216.0.0/15 is in pl-63a5400a)
# through NAT c (nat-0f9c…, eni-0cc3…, 10.0.2.201): one flow, seen three times.
LINES = [
    "2 111122223333 eni-01d9b5870047c5e53 10.0.52.23 52.216.10.5 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK",
    "2 111122223333 eni-01d9b5870047c5e53 52.216.10.5 10.0.52.23 443 40000 6 40 1073741824 1700000000 1700000060 ACCEPT OK",
    "2 111122223333 eni-0cc379ad5e141f2a8 10.0.52.23 10.0.2.201 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK",
    "2 111122223333 eni-0cc379ad5e141f2a8 10.0.2.201 10.0.52.23 443 40000 6 40 1073741824 1700000000 1700000060 ACCEPT OK",
    "2 111122223333 eni-0cc379ad5e141f2a8 10.0.2.201 52.216.10.5 1024 443 6 10 1000 1700000000 1700000060 ACCEPT OK",
    "2 111122223333 eni-0cc379ad5e141f2a8 52.216.10.5 10.0.2.201 443 1024 6 40 1073741824 1700000000 1700000060 ACCEPT OK",
    # prod-batch (main table → NAT a) to the internet: not avoidable.
    "2 111122223333 eni-069bf417deb59f0da 10.0.70.12 151.101.1.69 40001 443 6 10 2048 1700000100 1700000160 ACCEPT OK",
    "2 111122223333 eni-069bf417deb59f0da 151.101.1.69 10.0.70.12 443 40001 6 10 4096 1700000100 1700086400 ACCEPT OK",
    "2 111122223333 eni-069bf417deb59f0da 10.0.70.12 151.101.1.69 40002 443 6 10 999999 1700000100 1700000160 REJECT OK",
    "2 111122223333 eni-01d9b5870047c5e53 - - - - - - - 1700000000 1700000060 - NODATA",
    "2 111122223333 eni-01d9b5870047c5e53 10.0.52.23 52.216.10.5 40000 443 6 10 12x 1700000000 1700000060 ACCEPT OK",
]


def write_input(folder: Path) -> Path:
    path = folder / "flows.log"
    path.write_text(HEADER + "\n" + "\n".join(LINES) + "\n", encoding="ascii")
    return path


def expected(path: Path) -> dict[str, Any]:
    prices = load_prices()
    per_gb = prices.for_region("us-east-1").nat_gateway_gb
    s3_bytes = 1000 + 1073741824
    s3_usd = round(s3_bytes / 2**30 * per_gb, 6)
    web_usd = round((2048 + 4096) / 2**30 * per_gb, 6)
    return {
        "schema": "vpcpath.flows/1",
        "input": {
            "files": 1,
            "records": 11,
            "malformed": 1,
            "nodata": 1,
            "skipdata": 0,
            "bytes_read": path.stat().st_size,
            "partial": False,
            "errors": [],
            "malformed_examples": [
                {
                    "file": str(path),
                    "line": 12,
                    "reason": "bytes is '12x', not an integer or '-'",
                    "text": LINES[-1],
                }
            ],
            "formats": [f"plain: {HEADER}"],
        },
        "window": {"start": 1700000000, "end": 1700086400},
        "nat_traffic": [
            {
                "nat_gateway_id": "nat-0f9c0b4f18fa0b021",
                "source_subnet_id": "subnet-04b48fe40f9d9fa52",
                "source_eni_id": "eni-01d9b5870047c5e53",
                "service": "S3",
                "service_region": "us-east-1",
                "bytes_to_destination": 1000,
                "bytes_from_destination": 1073741824,
                "avoidable_by": "s3-gateway-endpoint",
                "usd": s3_usd,
                "nat_region": "us-east-1",
                "source_instance_id": "i-0adb88ef665c97688",
                "evidence": "workload-eni",
                "nat_cross_az": False,
                "transit_gateway_id": None,
            },
            {
                "nat_gateway_id": "nat-02c7f1abd219e91b4",
                "source_subnet_id": "subnet-06a183592e89e1674",
                "source_eni_id": "eni-069bf417deb59f0da",
                "service": None,
                "service_region": None,
                "bytes_to_destination": 2048,
                "bytes_from_destination": 4096,
                "avoidable_by": None,
                "usd": web_usd,
                "nat_region": "us-east-1",
                "source_instance_id": "i-0522d0eb341b99c92",
                "evidence": "workload-eni",
                "nat_cross_az": False,
                "transit_gateway_id": None,
            },
        ],
        "totals": {
            "nat_bytes": s3_bytes + 2048 + 4096,
            "avoidable_bytes": s3_bytes,
            "usd": round(s3_usd + web_usd, 6),
            "avoidable_usd": s3_usd,
        },
        "coverage": [
            {
                "nat_gateway_id": "nat-02c7f1abd219e91b4",
                "nat_eni_logged": False,
                "client_leg_bytes": 0,
                "internet_leg_bytes": 0,
                "attributed_bytes": 6144,
                "model_bytes": 6144,
                "direct": False,
                "ratio": None,
            },
            {
                "nat_gateway_id": "nat-0f9c0b4f18fa0b021",
                "nat_eni_logged": True,
                "client_leg_bytes": s3_bytes,
                "internet_leg_bytes": s3_bytes,
                "attributed_bytes": s3_bytes,
                "model_bytes": s3_bytes,
                "direct": False,
                "ratio": 1.0,
            },
        ],
        "bytes_by_verdict": {"nat-gateway": s3_bytes + 6144},
        "buckets": [],
        "prices": {"source": prices.source, "date": prices.date},
        "ip_ranges": {"source": "the snapshot (syncToken 1784861225, created 2026-07-24-02-47-05)"},
        "notes": [],
        "unattributed": [],
        # Every well-formed record (the NODATA line too) is of an ENI of the snapshot.
        "matched_records": 10,
    }


def test_flows_json_contract_exactly(sample: Snapshot, tmp_path: Path) -> None:
    path = write_input(tmp_path)
    result = analyze_flows(sample, FlowsRequest(inputs=(str(path),)), prices=load_prices())
    doc = flows_to_json(result)
    assert doc == expected(path)
    # One JSON object, round-trips unchanged.
    assert json.loads(json.dumps(doc)) == doc


def test_contract_keys_of_design_md_are_all_present(sample: Snapshot, tmp_path: Path) -> None:
    path = write_input(tmp_path)
    doc = flows_to_json(
        analyze_flows(sample, FlowsRequest(inputs=(str(path),)), prices=load_prices())
    )
    assert {"schema", "input", "window", "nat_traffic", "totals"} <= set(doc)
    assert {"files", "records", "malformed", "nodata", "skipdata"} <= set(doc["input"])
    assert set(doc["window"]) == {"start", "end"}
    assert {"nat_bytes", "avoidable_bytes", "usd", "avoidable_usd"} <= set(doc["totals"])
    row_keys = {
        "nat_gateway_id",
        "source_subnet_id",
        "source_eni_id",
        "service",
        "service_region",
        "bytes_to_destination",
        "bytes_from_destination",
        "avoidable_by",
        "usd",
    }
    assert all(row_keys <= set(row) for row in doc["nat_traffic"])
