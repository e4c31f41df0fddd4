"""Flow-log attribution: which sources send how many bytes through which NAT gateway.

The public API (what ``vpcpath flows`` and the audit call):

- ``analyze_flows(snapshot, FlowsRequest(inputs=(...)), prices=load_prices(), progress=cb)``
  → ``FlowsResult`` with ``nat_traffic`` rows (bytes per NAT gateway, source subnet/ENI,
  service, region; ``avoidable_by``; ``usd``), the input summary, the time window and the
  coverage cross-check.
- ``FlowsResult.window_start`` / ``window_end`` (epoch seconds) give the span the bytes cover,
  so a caller can scale them to a month.
"""

from vpcpath.flows.analysis import FlowsRequest, analyze_flows
from vpcpath.flows.engine_duckdb import EngineOptions
from vpcpath.flows.result import (
    Bucket,
    Coverage,
    Evidence,
    FlowsResult,
    InputError,
    InputSummary,
    MalformedLine,
    NatTraffic,
)

__all__ = [
    "Bucket",
    "Coverage",
    "EngineOptions",
    "Evidence",
    "FlowsRequest",
    "FlowsResult",
    "InputError",
    "InputSummary",
    "MalformedLine",
    "NatTraffic",
    "analyze_flows",
]
