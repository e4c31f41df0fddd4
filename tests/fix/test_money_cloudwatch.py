"""With NAT gateway metrics, each action's money is the labelled upper bound: every byte its
moved paths' NAT gateways processed, each NAT gateway counted once in the total."""

from __future__ import annotations

from vpcpath.audit.context import build_context
from vpcpath.audit.engine import audit
from vpcpath.fix.money import moved_money
from vpcpath.fix.plan import build_plan
from vpcpath.fix.what_if import prove
from vpcpath.model import Snapshot
from vpcpath.model.evidence import CloudWatchEvidence, Evidence, NatMetrics
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()
GIB = 2**30
NAT_A, NAT_C = "nat-02c7f1abd219e91b4", "nat-0f9c0b4f18fa0b021"  # prod, zones a and c


def metrics(nat: str, gib_each_way: int) -> NatMetrics:
    return NatMetrics(
        nat_gateway_id=nat,
        region="us-east-1",
        bytes_out_to_destination=gib_each_way * GIB,
        bytes_in_from_destination=gib_each_way * GIB,
        bytes_in_from_source=1,  # the client leg is not what NAT processing bills
        bytes_out_to_source=1,
    )


def test_cloudwatch_money_is_a_labelled_upper_bound(sample: Snapshot) -> None:
    evidence = Evidence(
        cloudwatch=CloudWatchEvidence(
            days=14,
            start="2026-11-15T00:00:00Z",
            end="2026-11-29T00:00:00Z",
            nat_gateways={NAT_A: metrics(NAT_A, 7), NAT_C: metrics(NAT_C, 14)},
        )
    )
    report = audit(sample, PRICES, evidence)
    plan = build_plan(
        build_context(sample, PRICES), report.findings, generated_at="2026-11-29T00:00:00Z"
    )
    money = moved_money(plan, prove(sample, plan), evidence, PRICES)
    assert money is not None and money.upper_bound
    assert money.basis.startswith("upper bound: all bytes the moved paths' NAT gateways")
    # 14 days → 30: NAT a 14 GiB → 30 GiB/month, NAT c 28 GiB → 60 GiB/month; $0.045/GB.
    by_action = {m.action_id: (m.bytes_per_month, m.usd_per_month) for m in money.actions}
    assert by_action == {
        "associate-route-tables:vpce-0c6d71d308b1eb4ea": (30 * GIB, 1.35),  # batch, NAT a
        "associate-route-tables:vpce-0ce063733efb53556": (90 * GIB, 4.05),  # eks-c + batch
    }
    assert (money.bytes_per_month, money.usd_per_month) == (90 * GIB, 4.05)  # NAT a once


def test_no_evidence_no_money(sample: Snapshot) -> None:
    report = audit(sample, PRICES)
    plan = build_plan(build_context(sample, PRICES), report.findings, generated_at="t")
    assert moved_money(plan, prove(sample, plan), Evidence(), PRICES) is None
