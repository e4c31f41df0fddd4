"""The bytes and dollars each action moves from NAT to the endpoint, from the evidence.

With flow logs: the NAT traffic of the subnets the what-if moved, to the action's service in
its region, to addresses the gateway endpoint carries (``avoidable_by``) — scaled to 30 days
and priced at the region's NAT processing rate, exactly as the audit prices the same findings
(audit/money.py). With NAT gateway metrics: all the bytes the moved paths' NAT gateways
processed, an upper bound, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.audit.money import MONTH_DAYS
from vpcpath.fix.actions import FixPlan
from vpcpath.fix.what_if import WhatIf
from vpcpath.model.enums import Charge
from vpcpath.model.evidence import Evidence, TrafficRecord
from vpcpath.pricing.path_price import usd_per_gb
from vpcpath.pricing.table import GIB, PriceTable

RANGES_NAME = {"s3": "S3", "dynamodb": "DYNAMODB"}
# The flow-log paths that pay for what an endpoint would carry for free.
_PAID_PATHS = frozenset({"nat-gateway", "transit-gateway"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionMoney:
    action_id: str
    bytes_per_month: int
    usd_per_month: float


@dataclass(frozen=True, slots=True, kw_only=True)
class MovedMoney:
    basis: str
    upper_bound: bool
    actions: tuple[ActionMoney, ...]
    usd_per_month: float
    bytes_per_month: int


def moved_money(
    plan: FixPlan, what_if: WhatIf, evidence: Evidence, prices: PriceTable
) -> MovedMoney | None:
    if evidence.flows is not None and evidence.flows.window_days > 0:
        return _from_flows(plan, what_if, evidence, prices)
    if evidence.cloudwatch is not None:
        return _from_metrics(plan, what_if, evidence, prices)
    return None


def _from_flows(
    plan: FixPlan, what_if: WhatIf, evidence: Evidence, prices: PriceTable
) -> MovedMoney:
    flows = evidence.flows
    assert flows is not None
    factor = MONTH_DAYS / flows.window_days
    out: list[ActionMoney] = []
    total_bytes, total_usd = 0, 0.0
    for action in plan.actions:
        moved = set(what_if.moved_subnets(action.id))
        if not moved:
            continue
        nat_per_gb = usd_per_gb(Charge.NAT_PROCESSING, prices.for_region(action.region))
        records = [
            r
            for r in flows.traffic
            if r.source_subnet_id in moved
            and r.path in _PAID_PATHS
            and r.service == RANGES_NAME[action.service]
            and r.service_region == action.region
            and r.avoidable_by is not None  # addresses the endpoint's prefix list carries
        ]
        observed = sum(r.bytes for r in records)
        usd = sum(_record_usd(r, nat_per_gb) for r in records) * factor
        total_bytes += observed
        total_usd += usd
        out.append(
            ActionMoney(
                action_id=action.id,
                bytes_per_month=round(observed * factor),
                usd_per_month=round(usd, 2),
            )
        )
    return MovedMoney(
        basis=(
            f"flow logs: observed {flows.window_days:.3f} days × {factor:.4f} = 30 days; NAT "
            "processing per GiB, or a transit gateway path's whole price (transit gateway + NAT "
            "+ cross-AZ) as the flow analysis priced it"
        ),
        upper_bound=False,
        actions=tuple(out),
        usd_per_month=round(total_usd, 2),
        bytes_per_month=round(total_bytes * factor),
    )


def _record_usd(record: TrafficRecord, nat_per_gb: float) -> float:
    if record.path == "transit-gateway" and record.usd is not None:
        return record.usd
    return record.bytes / GIB * nat_per_gb


def _from_metrics(
    plan: FixPlan, what_if: WhatIf, evidence: Evidence, prices: PriceTable
) -> MovedMoney:
    cw = evidence.cloudwatch
    assert cw is not None
    factor = MONTH_DAYS / cw.days
    out: list[ActionMoney] = []
    counted: set[str] = set()
    total_bytes, total_usd = 0, 0.0
    for action in plan.actions:
        nats = sorted(
            {
                nat
                for change in what_if.changes
                if change.action_id == action.id
                for nat in change.nat_gateway_ids
                if nat in cw.nat_gateways
            }
        )
        if not nats:
            continue
        per_gb = usd_per_gb(Charge.NAT_PROCESSING, prices.for_region(action.region))
        observed = sum(cw.nat_gateways[n].processed_bytes for n in nats)
        out.append(
            ActionMoney(
                action_id=action.id,
                bytes_per_month=round(observed * factor),
                usd_per_month=round(observed / GIB * per_gb * factor, 2),
            )
        )
        for nat in nats:
            if nat not in counted:
                counted.add(nat)
                processed = cw.nat_gateways[nat].processed_bytes
                total_bytes += processed
                total_usd += processed / GIB * per_gb * factor
    return MovedMoney(
        basis=(
            f"upper bound: all bytes the moved paths' NAT gateways processed over {cw.days} "
            f"days × {factor:.4f} = 30 days, not only the fixed service's"
        ),
        upper_bound=True,
        actions=tuple(out),
        usd_per_month=round(total_usd, 2),
        bytes_per_month=round(total_bytes * factor),
    )
