"""Monthly bytes and dollars per finding, from the evidence at hand, never counted twice.

- Flow logs: the observed window scaled to 30 days (shown); each finding sums the traffic its
  selector names, priced per GB (2^30 bytes) with the region's price.
- NAT gateway metrics (CloudWatch, ``AWS/NATGateway``): an upper bound per NAT gateway — all
  the traffic it processed, not only the finding's service — labelled as such.
- Neither: money is null and the finding says what evidence would price it.
The summary adds each observed byte (or each NAT gateway's metric) once per kind of charge,
however many findings name it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from vpcpath.audit.findings import Finding, TrafficSelector
from vpcpath.model.enums import Charge, Verdict
from vpcpath.model.evidence import Evidence, FlowEvidence, TrafficRecord
from vpcpath.pricing.path_price import transit_charges, usd_per_gb, usd_per_gb_of
from vpcpath.pricing.table import GIB, PriceTable

MONTH_DAYS = 30
NO_EVIDENCE = (
    "not priced: no traffic evidence; run with --flow-logs PATH (exact) or --cloudwatch "
    "(upper bound from NAT gateway metrics)"
)

TGW_NOT_ATTRIBUTED = (
    "not priced: no flow-log bytes reached a NAT gateway through a transit gateway; the "
    "spokes' bytes need the spoke workloads' (or the egress NAT gateways') flow logs and a "
    "snapshot with the transit gateway's route tables"
)
WHOLE_PATH = (
    "each record's whole path (transit gateway + NAT gateway, + cross-AZ where the zones differ)"
)


@dataclass(frozen=True, slots=True)
class CostShare:
    """One deduplicated piece of the avoidable total: a kind of charge at one place."""

    charge: Charge
    vpc_id: str
    place: str  # the source subnet (flow logs) or the NAT gateway (metrics)
    usd_per_month: float


@dataclass(frozen=True, slots=True)
class PricedFindings:
    findings: tuple[Finding, ...]
    usd_per_month_avoidable: float | None
    bytes_per_month_avoidable: int | None
    scaling: str  # how observed numbers became monthly ones
    breakdown: tuple[CostShare, ...] = ()  # the total, split without double counting
    # finding id → its share of the deduplicated total: each piece of money is split evenly
    # between the findings that name it, so the shares add up to the total (to the cent each).
    shares: Mapping[str, float] = field(default_factory=dict)


def _shares(
    pieces: dict[tuple[object, Charge], tuple[int, float, str, str]], factor: float
) -> tuple[CostShare, ...]:
    """Sum deduplicated pieces (bytes, usd, vpc, place) by (charge, vpc, place)."""
    totals: dict[tuple[Charge, str, str], float] = {}
    for (_, charge), (_, usd, vpc, place) in pieces.items():
        key = (charge, vpc, place)
        totals[key] = totals.get(key, 0.0) + usd * factor
    return tuple(
        CostShare(charge=c, vpc_id=v, place=p, usd_per_month=round(u, 2))
        for (c, v, p), u in sorted(totals.items(), key=lambda kv: -kv[1])
    )


def _split(
    pieces: dict[tuple[object, Charge], tuple[int, float, str, str]],
    claimants: dict[tuple[object, Charge], list[str]],
    factor: float,
) -> dict[str, float]:
    """Each piece's money split evenly between the findings that name it."""
    shares: dict[str, float] = {}
    for key, names in claimants.items():
        part = pieces[key][1] * factor / len(names)
        for name in names:
            shares[name] = shares.get(name, 0.0) + part
    return {name: round(usd, 2) for name, usd in shares.items()}


def _matches(record: TrafficRecord, sel: TrafficSelector) -> bool:
    if record.source_subnet_id not in sel.subnet_ids:
        return False
    if sel.charge is Charge.TRANSIT_GATEWAY:
        if record.path is not Verdict.TRANSIT_GATEWAY:
            return False
    elif record.path is not Verdict.NAT_GATEWAY or (
        sel.nat_gateway_ids and record.nat_gateway_id not in sel.nat_gateway_ids
    ):
        return False
    if sel.services and (record.service not in sel.services or record.service_region != sel.region):
        return False
    return not (sel.avoidable_only and record.avoidable_by is None)


def price_findings(
    findings: Sequence[Finding], evidence: Evidence, prices: PriceTable
) -> PricedFindings:
    if evidence.flows is not None:
        return _from_flows(findings, evidence.flows, prices)
    if evidence.cloudwatch is not None:
        return _from_metrics(findings, evidence, prices)
    priced = tuple(replace(f, money_basis=NO_EVIDENCE) if f.traffic else f for f in findings)
    return PricedFindings(priced, None, None, "no traffic evidence")


def _from_flows(
    findings: Sequence[Finding], flows: FlowEvidence, prices: PriceTable
) -> PricedFindings:
    days = flows.window_days
    if days <= 0:
        note = "flow logs cover no time window (no records with start/end): not priced"
        return PricedFindings(
            tuple(replace(f, money_basis=note) for f in findings), None, None, note
        )
    factor = MONTH_DAYS / days
    scaling = f"observed {days:.3f} days of flow logs × {factor:.4f} = 30 days"
    contributions: dict[tuple[object, Charge], tuple[int, float, str, str]] = {}
    claimants: dict[tuple[object, Charge], list[str]] = {}
    priced: list[Finding] = []
    paths_seen = {record.path for record in flows.traffic}
    # Records by source subnet: each finding looks only at its own subnets' records, so an
    # estate with thousands of findings and records is not priced in F × R steps.
    by_subnet: dict[str | None, list[int]] = {}
    for index, record in enumerate(flows.traffic):
        by_subnet.setdefault(record.source_subnet_id, []).append(index)
    for finding in findings:
        sel = finding.traffic
        if sel is None:
            priced.append(finding)
            continue
        if sel.charge is Charge.TRANSIT_GATEWAY and Verdict.TRANSIT_GATEWAY not in paths_seen:
            # The flows engine attributes NAT traffic; zero here would claim "no cost".
            priced.append(replace(finding, money_basis=TGW_NOT_ATTRIBUTED))
            continue
        per_gb = usd_per_gb(sel.charge, prices.for_region(sel.region))
        whole_path = sel.charge is Charge.TRANSIT_GATEWAY
        total_bytes = 0
        total_usd = 0.0
        candidates = sorted(i for subnet in sel.subnet_ids for i in by_subnet.get(subnet, ()))
        for index in candidates:
            record = flows.traffic[index]
            if _matches(record, sel):
                usd = (
                    record.usd
                    if whole_path and record.usd is not None
                    else record.bytes / GIB * per_gb
                )
                total_bytes += record.bytes
                claimants.setdefault((index, sel.charge), []).append(finding.id)
                total_usd += usd
                contributions[(index, sel.charge)] = (
                    record.bytes,
                    usd,
                    finding.vpc_id,
                    record.source_subnet_id or "",
                )
        basis = WHOLE_PATH if whole_path else f"${per_gb:g}/GiB ({sel.charge})"
        priced.append(
            replace(
                finding,
                bytes_per_month=round(total_bytes * factor),
                usd_per_month=round(
                    total_usd * factor if whole_path else total_bytes * factor / GIB * per_gb, 2
                ),
                money_basis=f"{scaling}; {basis}",
            )
        )
    total_usd = sum(piece[1] for piece in contributions.values()) * factor
    total_bytes_all = sum(piece[0] for piece in contributions.values()) * factor
    return PricedFindings(
        tuple(priced),
        round(total_usd, 2),
        round(total_bytes_all),
        scaling,
        _shares(contributions, factor),
        _split(contributions, claimants, factor),
    )


def _from_metrics(
    findings: Sequence[Finding], evidence: Evidence, prices: PriceTable
) -> PricedFindings:
    cw = evidence.cloudwatch
    assert cw is not None
    factor = MONTH_DAYS / cw.days
    scaling = f"NAT gateway metrics over {cw.days} days × {factor:.4f} = 30 days (upper bound)"
    contributions: dict[tuple[object, Charge], tuple[int, float, str, str]] = {}
    claimants: dict[tuple[object, Charge], list[str]] = {}
    priced: list[Finding] = []
    for finding in findings:
        sel = finding.traffic
        if sel is None or not finding.nat_gateway_ids:
            priced.append(replace(finding, money_basis=NO_EVIDENCE) if sel else finding)
            continue
        region = prices.for_region(sel.region)
        # Centralized egress: the egress NAT gateways' bytes all came through the transit
        # gateway, so each pays both (an upper bound: every spoke's bytes, every service).
        per_gb = (
            usd_per_gb_of(transit_charges(cross_az=False), region)
            if sel.charge is Charge.TRANSIT_GATEWAY
            else usd_per_gb(sel.charge, region)
        )
        known = [cw.nat_gateways[n] for n in finding.nat_gateway_ids if n in cw.nat_gateways]
        if not known:
            priced.append(replace(finding, money_basis="no metrics for its NAT gateways"))
            continue
        nat_bytes = sum(m.processed_bytes for m in known) * factor
        for m in known:
            claimants.setdefault((m.nat_gateway_id, sel.charge), []).append(finding.id)
            contributions[(m.nat_gateway_id, sel.charge)] = (
                m.processed_bytes,
                m.processed_bytes / GIB * per_gb,
                finding.vpc_id,
                m.nat_gateway_id,
            )
        priced.append(
            replace(
                finding,
                bytes_per_month=round(nat_bytes),
                usd_per_month=round(nat_bytes / GIB * per_gb, 2),
                upper_bound=True,
                money_basis=(
                    f"upper bound: all bytes {', '.join(m.nat_gateway_id for m in known)} "
                    f"processed ({scaling}), not only this finding's traffic; "
                    f"${per_gb:g}/GiB ({_rate_label(sel.charge)})"
                ),
            )
        )
    total = sum(piece[1] for piece in contributions.values()) * factor
    return PricedFindings(
        tuple(priced),
        round(total, 2),
        round(sum(piece[0] for piece in contributions.values()) * factor),
        scaling,
        _shares(contributions, factor),
        _split(contributions, claimants, factor),
    )


def _rate_label(charge: Charge) -> str:
    if charge is Charge.TRANSIT_GATEWAY:
        return "transit gateway + NAT processing, from every spoke behind these NAT gateways"
    return str(charge)
