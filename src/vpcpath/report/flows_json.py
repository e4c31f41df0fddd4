"""``vpcpath.flows/1``: the JSON contract of docs/contracts.md, exactly; fields are only ever added.

Contract fields: ``input`` {files, records, malformed, nodata, skipdata}, ``window`` {start,
end}, ``nat_traffic`` [{nat_gateway_id, source_subnet_id, source_eni_id, service,
service_region, bytes_to_destination, bytes_from_destination, avoidable_by, usd}], ``totals``
{nat_bytes, avoidable_bytes, usd, avoidable_usd}. Added beside them: where prices and
ip-ranges came from, malformed examples, per-file errors (``input.partial``), the coverage
cross-check per NAT gateway, bytes by routing verdict, set-aside buckets and notes; the
workload records not attributed to the snapshot, per reason (``unattributed``: ACCEPT records
and bytes, and the ids they name), and how many records belong to the snapshot
(``matched_records``).
"""

from __future__ import annotations

from typing import Any

from vpcpath.flows.result import Coverage, FlowsResult, NatTraffic
from vpcpath.flows.workload_match import REASONS

SCHEMA = "vpcpath.flows/1"


def flows_to_json(result: FlowsResult) -> dict[str, Any]:
    summary = result.input
    return {
        "schema": SCHEMA,
        "input": {
            "files": summary.files,
            "records": summary.records,
            "malformed": summary.malformed,
            "nodata": summary.nodata,
            "skipdata": summary.skipdata,
            "bytes_read": summary.bytes_read,
            "partial": result.partial,
            "errors": [{"file": e.file, "message": e.message} for e in summary.errors],
            "malformed_examples": [
                {"file": m.file, "line": m.line, "reason": m.reason, "text": m.text}
                for m in summary.malformed_examples
            ],
            "formats": list(summary.formats),
        },
        "window": {"start": result.window_start, "end": result.window_end},
        "nat_traffic": [nat_traffic_to_json(row) for row in result.nat_traffic],
        "totals": {
            "nat_bytes": result.nat_bytes,
            "avoidable_bytes": result.avoidable_bytes,
            "usd": round(result.usd, 6),
            "avoidable_usd": round(result.avoidable_usd, 6),
        },
        "coverage": [coverage_to_json(c) for c in result.coverage],
        "bytes_by_verdict": dict(result.bytes_by_verdict),
        "buckets": [
            {"name": b.name, "records": b.records, "bytes": b.bytes, "detail": b.detail}
            for b in result.buckets
        ],
        "prices": {"source": result.price_source, "date": result.price_date},
        "ip_ranges": {"source": result.ip_ranges_source},
        "notes": list(result.notes),
        "unattributed": [
            {
                "reason": u.reason,
                "explanation": REASONS.get(u.reason, u.reason),
                "records": u.records,
                "bytes": u.bytes,
                "named": list(u.named),
            }
            for u in result.unattributed
        ],
        "matched_records": result.matched_records,
    }


def nat_traffic_to_json(row: NatTraffic) -> dict[str, Any]:
    return {
        "nat_gateway_id": row.nat_gateway_id,
        "source_subnet_id": row.source_subnet_id,
        "source_eni_id": row.source_eni_id,
        "service": row.service,
        "service_region": row.service_region,
        "bytes_to_destination": row.bytes_to_destination,
        "bytes_from_destination": row.bytes_from_destination,
        "avoidable_by": row.avoidable_by,
        "usd": row.usd,
        "nat_region": row.nat_region,
        "source_instance_id": row.source_instance_id,
        "evidence": str(row.evidence),
        "nat_cross_az": row.nat_cross_az,
        "transit_gateway_id": row.transit_gateway_id,
    }


def coverage_to_json(c: Coverage) -> dict[str, Any]:
    return {
        "nat_gateway_id": c.nat_gateway_id,
        "nat_eni_logged": c.nat_eni_logged,
        "client_leg_bytes": c.client_leg_bytes,
        "internet_leg_bytes": c.internet_leg_bytes,
        "attributed_bytes": c.attributed_bytes,
        "model_bytes": c.model_bytes,
        "direct": c.direct,
        "ratio": None if c.ratio is None else round(c.ratio, 6),
    }
