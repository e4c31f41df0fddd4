"""Flow-log attribution (``vpcpath.flows``) as audit evidence."""

from __future__ import annotations

from vpcpath.flows import FlowsResult
from vpcpath.model.enums import Verdict
from vpcpath.model.evidence import FlowEvidence, TrafficRecord


def flow_evidence(result: FlowsResult) -> FlowEvidence:
    """Every attributed NAT row becomes a traffic record; nothing is dropped or merged. Rows
    of spokes that reached the NAT gateway through a transit gateway are ``transit-gateway``
    records, priced with their whole path."""
    notes = list(result.notes)
    notes += [
        f"{b.name}: {b.records:,} records, {b.bytes:,} bytes ({b.detail})" for b in result.buckets
    ]
    notes += [f"{e.file}: {e.message}" for e in result.input.errors]
    return FlowEvidence(
        files=result.input.files,
        records=result.input.records,
        window_start=result.window_start or 0,
        window_end=result.window_end or 0,
        traffic=tuple(
            TrafficRecord(
                source_subnet_id=row.source_subnet_id,
                nat_gateway_id=row.nat_gateway_id,
                service=row.service,
                service_region=row.service_region,
                bytes_to_destination=row.bytes_to_destination,
                bytes_from_destination=row.bytes_from_destination,
                avoidable_by=row.avoidable_by,
                path=Verdict.TRANSIT_GATEWAY if row.transit_gateway_id else Verdict.NAT_GATEWAY,
                transit_gateway_id=row.transit_gateway_id,
                usd=row.usd,
            )
            for row in result.nat_traffic
        ),
        notes=tuple(notes),
    )
