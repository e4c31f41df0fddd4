"""The pieces a trace is made of: the fate of one range (``Step``) and what the trace carries
along (``TraceContext``), shared by the VPC tracer and the transit gateway follower."""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.model import IPNetwork, Verdict
from vpcpath.model.paths import Hop, PathFacts


@dataclass(frozen=True, slots=True)
class Step:
    """The fate of one piece of the destination range."""

    network: IPNetwork
    verdict: Verdict
    hops: tuple[Hop, ...]
    notes: tuple[str, ...]
    facts: PathFacts


@dataclass(frozen=True, slots=True)
class TraceContext:
    # The zone the packet is in: the source's, then the zone a transit gateway delivered it to.
    source_zone: str
    visited_nats: frozenset[str] = frozenset()
    # Transit gateway route tables (with the attachment that entered them) already crossed.
    visited_transit: frozenset[str] = frozenset()
