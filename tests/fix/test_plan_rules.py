"""The plan's rules, each with a case that must trigger it and one that must not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.audit.scenarios import build, load
from tests.estate_builder import S3_PL
from vpcpath.audit.context import build_context
from vpcpath.audit.engine import audit
from vpcpath.audit.findings import Finding, Severity
from vpcpath.fix.actions import ActionKind
from vpcpath.fix.plan import build_plan, table_refusal
from vpcpath.model import EndpointType, Route, RouteOrigin, Snapshot, TargetKind, VpcEndpoint
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()
PROD = "vpc-0b873741c03378b7d"
S3_PROD = "vpce-0ce063733efb53556"
PROD_C, PROD_MAIN = "rtb-02852e1ef289c2429", "rtb-0988c87cd1543c839"
PROD_PUBLIC, PROD_ISOLATED = "rtb-04c84553be6fccab4", "rtb-09f1bc3425cbe8a89"


def not_associated(table: str) -> Finding:
    return Finding(
        id=f"s3-endpoint-not-associated:{table}",
        check="s3-endpoint-not-associated",
        severity=Severity.HIGH,
        title="t",
        region="us-east-1",
        vpc_id=PROD,
        route_table_ids=(table,),
        explanation="e",
    )


def test_only_tables_on_a_paid_path_get_the_endpoint(sample: Snapshot) -> None:
    ctx = build_context(sample, PRICES)
    endpoint = sample.endpoints[S3_PROD]
    assert table_refusal(ctx, PROD_C, "s3", endpoint) is None  # NAT gateway: paid
    why = table_refusal(ctx, PROD_PUBLIC, "s3", endpoint)  # internet gateway: free already
    assert why == f"s3 from {PROD_PUBLIC} does not leave by a paid path today"
    plan = build_plan(ctx, [not_associated(PROD_C), not_associated(PROD_PUBLIC)], generated_at="t")
    assert [a.route_table_ids for a in plan.actions] == [(PROD_C,)]
    assert [n.finding_id for n in plan.not_fixed] == [f"s3-endpoint-not-associated:{PROD_PUBLIC}"]


def test_a_nat_instance_is_a_paid_path(tmp_path: Path) -> None:
    built = build(default_target={"NetworkInterfaceId": "eni-0abc00000000000aa"})
    ctx = build_context(load(built, tmp_path), PRICES)
    assert table_refusal(ctx, built.private_rt, "s3", None) is None


def test_never_gives_the_service_to_a_subnet_that_cannot_reach_it(sample: Snapshot) -> None:
    ctx = build_context(sample, PRICES)
    why = table_refusal(ctx, PROD_ISOLATED, "s3", sample.endpoints[S3_PROD])
    assert why == (
        f"subnets on {PROD_ISOLATED} cannot reach s3 today (blackhole): an endpoint would "
        "give them a path they do not have"
    )
    plan = build_plan(ctx, [not_associated(PROD_ISOLATED)], generated_at="t")
    assert plan.actions == ()
    assert [n.finding_id for n in plan.not_fixed] == [f"s3-endpoint-not-associated:{PROD_ISOLATED}"]


def test_never_a_second_endpoint_of_a_service_on_one_table(sample: Snapshot) -> None:
    other = VpcEndpoint(
        id="vpce-0fffffffffffffff1",
        vpc_id=PROD,
        account_id="111122223333",
        region="us-east-1",
        service_name="com.amazonaws.us-east-1.s3",
        endpoint_type=EndpointType.GATEWAY,
        route_table_ids=frozenset({PROD_C}),
    )
    table = sample.route_tables[PROD_C]
    held = Route(
        destination=None,
        prefix_list_id=S3_PL["us-east-1"],
        target_kind=TargetKind.GATEWAY_ENDPOINT,
        target_id=other.id,
        origin=RouteOrigin.ENDPOINT,
    )
    changed = replace(
        sample,
        endpoints={**sample.endpoints, other.id: other},
        route_tables={**sample.route_tables, PROD_C: replace(table, routes=(*table.routes, held))},
    )
    findings = audit(sample, PRICES).findings  # as the audit saw it before the change
    plan = build_plan(build_context(changed, PRICES), findings, generated_at="t")
    s3 = [a for a in plan.actions if a.service == "s3" and a.vpc_id == PROD]
    assert [(a.kind, a.vpc_endpoint_id, a.route_table_ids) for a in s3] == [
        (ActionKind.ASSOCIATE_ROUTE_TABLES, S3_PROD, (PROD_MAIN,))
    ]
    refused = [n for n in plan.not_fixed if n.finding_id.endswith(PROD_C)]
    assert [n.why for n in refused] == [
        f"{PROD_C} already holds gateway endpoint {other.id} for s3; AWS allows one endpoint "
        "of a service per route table"
    ]
