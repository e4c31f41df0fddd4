"""`fix` on the bundled sample: exactly the actions the README's bugs call for, proven."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.contracts import assert_contract
from vpcpath.audit.context import build_context
from vpcpath.audit.engine import audit
from vpcpath.audit.flow_evidence import flow_evidence
from vpcpath.audit.money import price_findings
from vpcpath.cli import main
from vpcpath.fix.actions import ActionKind, FixPlan
from vpcpath.fix.contract import plan_from_json, plan_to_json
from vpcpath.fix.money import moved_money
from vpcpath.fix.plan import Selection, build_plan
from vpcpath.fix.what_if import apply_to_model, prove
from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.synthetic.demo import demo_flow_logs
from vpcpath.model import Snapshot, Verdict
from vpcpath.model.evidence import Evidence
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.routing.explain import explain

PRICES = load_bundled_prices()
PROD, LEGACY = "vpc-0b873741c03378b7d", "vpc-031f551d7e78a5cdc"
ANALYTICS, CLIENT = "vpc-07b8cf2b7799e3b2e", "vpc-0e6b528d49c5745c9"
PLATFORM = "vpc-0a7b9c1d3e5f70812"
S3_PROD, DDB_PROD = "vpce-0ce063733efb53556", "vpce-0c6d71d308b1eb4ea"
S3_ANALYTICS = "vpce-0e38390a9aa3330fa"  # its policy forgets ECR's layer bucket
PROD_MAIN, PROD_C, PROD_B = (
    "rtb-0988c87cd1543c839",
    "rtb-02852e1ef289c2429",
    "rtb-0c9d384754630fd5d",
)
LEGACY_PRIVATE = "rtb-033605a83178fafd5"
EKS_C, BATCH, ISOLATED = (
    "subnet-04b48fe40f9d9fa52",
    "subnet-06a183592e89e1674",
    "subnet-0681f0396fae2649b",
)


def plan_for(snapshot: Snapshot, selection: Selection | None = None) -> FixPlan:
    report = audit(snapshot, PRICES)
    ctx = build_context(snapshot, PRICES)
    return build_plan(
        ctx,
        report.findings,
        selection=selection or Selection(),
        generated_at="2026-11-29T00:00:00Z",
    )


def test_sample_plan_is_exactly_the_missing_associations_and_endpoints(sample: Snapshot) -> None:
    plan = plan_for(sample)
    got = [
        (a.kind, a.vpc_id, a.service, a.vpc_endpoint_id, a.route_table_ids) for a in plan.actions
    ]
    spoke_tgw_tables = ("rtb-0a2b4c6d8e0f25d67",)  # the platform spoke (network account)
    assert got == [
        (ActionKind.CREATE_GATEWAY_ENDPOINT, LEGACY, "dynamodb", None, (LEGACY_PRIVATE,)),
        (ActionKind.CREATE_GATEWAY_ENDPOINT, LEGACY, "s3", None, (LEGACY_PRIVATE,)),
        (
            ActionKind.CREATE_GATEWAY_ENDPOINT,
            ANALYTICS,
            "dynamodb",
            None,
            ("rtb-06a6c50c5966b8b5c", "rtb-07f4439619c9fe4fc"),
        ),
        (ActionKind.CREATE_GATEWAY_ENDPOINT, PLATFORM, "dynamodb", None, spoke_tgw_tables),
        (ActionKind.CREATE_GATEWAY_ENDPOINT, PLATFORM, "s3", None, spoke_tgw_tables),
        (ActionKind.ASSOCIATE_ROUTE_TABLES, PROD, "dynamodb", DDB_PROD, (PROD_MAIN,)),
        (ActionKind.ASSOCIATE_ROUTE_TABLES, PROD, "s3", S3_PROD, (PROD_C, PROD_MAIN)),
        (ActionKind.CREATE_GATEWAY_ENDPOINT, CLIENT, "dynamodb", None, ("rtb-08d01c6ce918ae57a",)),
        (ActionKind.CREATE_GATEWAY_ENDPOINT, CLIENT, "s3", None, ("rtb-08d01c6ce918ae57a",)),
        (ActionKind.UPDATE_ENDPOINT_POLICY, ANALYTICS, "s3", S3_ANALYTICS, ()),
    ]
    assert plan.actions[4].account_id == "444455556666"  # the spoke's own account
    s3_assoc = plan.actions[6]
    assert s3_assoc.finding_ids == (
        f"ecr-pulls-via-nat:{PROD}",
        f"s3-endpoint-not-associated:{PROD_C}",
        f"s3-endpoint-not-associated:{PROD_MAIN}",
    )
    assert [(n.finding_id, n.command.split(" --")[0]) for n in plan.not_fixed] == [
        ("cross-az-nat:subnet-0cf2a5124e693498e", "aws ec2 create-nat-gateway"),
        (f"ecr-pulls-via-nat:{PROD}", "aws ec2 delete-route"),  # rtb-b's part: the override
        (f"endpoint-route-overridden:{PROD_B}:s3", "aws ec2 delete-route"),
    ]
    assert "52.216.0.0/16" in plan.not_fixed[2].command


def test_new_endpoints_take_the_accounts_policy_else_suggests(sample: Snapshot) -> None:
    plan = plan_for(sample)
    by_id = {a.id: a for a in plan.actions}
    legacy_s3 = by_id[f"create-gateway-endpoint:{LEGACY}:s3"]
    assert legacy_s3.policy == sample.endpoints[S3_PROD].policy_document  # same account, region
    assert legacy_s3.policy_verdict is not None and legacy_s3.policy_verdict.passes
    analytics_ddb = by_id[f"create-gateway-endpoint:{ANALYTICS}:dynamodb"]  # none in eu-west-1
    assert analytics_ddb.policy_verdict is not None
    assert (
        analytics_ddb.policy_verdict.source == "`vpcpath policy suggest` for account 111122223333"
    )
    assert analytics_ddb.policy_verdict.passes and analytics_ddb.policy_verdict.perimeter_gaps == ()
    assert json.loads(analytics_ddb.policy or "")["Statement"][0]["Condition"] == {
        "StringEquals": {
            "aws:PrincipalAccount": "111122223333",
            "aws:ResourceAccount": "111122223333",
        }
    }


def test_the_policy_that_blocks_ecr_layers_gets_one_allow_and_passes(sample: Snapshot) -> None:
    plan = plan_for(sample)
    update = next(a for a in plan.actions if a.kind is ActionKind.UPDATE_ENDPOINT_POLICY)
    assert update.finding_ids == (f"endpoint-policy-blocks-ecr:{S3_ANALYTICS}",)
    assert update.policy_changes == (
        "Allow s3:GetObject on arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/* "
        "(statement VpcpathAllowAWSOwnedResources)",
    )
    assert update.policy_verdict is not None and update.policy_verdict.passes
    old = json.loads(sample.endpoints[S3_ANALYTICS].policy_document or "")
    new = json.loads(update.policy or "")
    assert new["Statement"][: len(old["Statement"])] == old["Statement"]  # only added to
    added = new["Statement"][len(old["Statement"]) :]
    assert [(s["Effect"], s["Action"], s["Resource"]) for s in added] == [
        ("Allow", "s3:GetObject", ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"])
    ]


def test_a_new_endpoint_does_not_inherit_a_policy_that_breaks(sample: Snapshot) -> None:
    # The client spoke's new S3 endpoint copies the account's eu-west-1 S3 policy — the one that
    # forgets ECR's layer bucket — with the same one-statement repair, not the 403.
    plan = plan_for(sample)
    client_s3 = next(a for a in plan.actions if a.id == f"create-gateway-endpoint:{CLIENT}:s3")
    assert client_s3.policy_verdict is not None and client_s3.policy_verdict.passes
    assert client_s3.policy_verdict.source.startswith(
        f"the policy of {S3_ANALYTICS} (same account and region), changed as little as"
    )
    update = next(a for a in plan.actions if a.kind is ActionKind.UPDATE_ENDPOINT_POLICY)
    assert json.loads(client_s3.policy or "") == json.loads(update.policy or "")


def test_selection_by_finding_vpc_and_service(sample: Snapshot) -> None:
    only = plan_for(sample, Selection(finding_ids=(f"s3-endpoint-not-associated:{PROD_C}",)))
    assert [(a.id, a.route_table_ids) for a in only.actions] == [
        (f"associate-route-tables:{S3_PROD}", (PROD_C,))
    ]
    assert only.not_fixed == ()
    ddb = plan_for(sample, Selection(service="dynamodb", vpc_ids=(PROD,)))
    assert [a.id for a in ddb.actions] == [f"associate-route-tables:{DDB_PROD}"]


def test_what_if_holds_and_leaves_the_snapshot_untouched(sample: Snapshot) -> None:
    plan = plan_for(sample)
    before = dict(sample.route_tables)
    after, problems = apply_to_model(sample, plan)
    assert problems == ()
    assert dict(sample.route_tables) == before  # the old snapshot is not edited
    assert sample.endpoints[S3_PROD].route_table_ids == frozenset({"rtb-0c85b78dfcbed2d32", PROD_B})
    assert explain(sample, EKS_C, "s3").legs[0].verdict is Verdict.NAT_GATEWAY
    assert explain(after, EKS_C, "s3").legs[0].verdict is Verdict.GATEWAY_ENDPOINT
    proof = prove(sample, plan)
    assert proof.holds and proof.unexpected == ()
    assert len(proof.subnets) == 20  # every subnet of the 5 affected VPCs
    assert ISOLATED in proof.subnets  # traced, and nothing of it changes
    assert not [c for c in proof.changes if c.subnet_id == ISOLATED]
    assert {(c.leg, c.old_verdict, c.new_verdict) for c in proof.changes} == {
        ("s3", Verdict.NAT_GATEWAY, Verdict.GATEWAY_ENDPOINT),
        ("s3-layers", Verdict.NAT_GATEWAY, Verdict.GATEWAY_ENDPOINT),
        ("dynamodb", Verdict.NAT_GATEWAY, Verdict.GATEWAY_ENDPOINT),
    }  # the spokes' legs followed the transit gateway to the egress NAT gateway
    assert proof.moved_subnets(f"associate-route-tables:{S3_PROD}") == (EKS_C, BATCH)


def test_a_change_that_is_not_nat_to_endpoint_breaks_the_proof(sample: Snapshot) -> None:
    """Must-trigger: the endpoint on a public table moves internet-gateway legs, which no
    action may do (they were free), and changes the onward hops of every NAT path (the NAT
    gateways forward with that table): the proof fails and names them."""
    plan = plan_for(sample, Selection(finding_ids=(f"s3-endpoint-not-associated:{PROD_C}",)))
    public = "rtb-04c84553be6fccab4"
    wrong = replace(plan, actions=(replace(plan.actions[0], route_table_ids=(PROD_C, public)),))
    proof = prove(sample, wrong)
    assert not proof.holds
    assert {(c.leg, c.old_verdict, c.new_verdict) for c in proof.unexpected} == {
        ("s3", Verdict.INTERNET_GATEWAY, Verdict.GATEWAY_ENDPOINT),
        ("s3-layers", Verdict.INTERNET_GATEWAY, Verdict.GATEWAY_ENDPOINT),
        ("s3", Verdict.NAT_GATEWAY, Verdict.NAT_GATEWAY),
        ("s3-layers", Verdict.NAT_GATEWAY, Verdict.NAT_GATEWAY),
    }
    igw = {c.subnet_id for c in proof.unexpected if c.old_verdict is Verdict.INTERNET_GATEWAY}
    assert sorted(igw) == [
        "subnet-02953ff1844bb9311",
        "subnet-0696861e9575598a4",
        "subnet-0a3ed3cd903b4f150",
    ]


def test_json_contract_and_round_trip(sample: Snapshot) -> None:
    plan = plan_for(sample)
    doc = plan_to_json(plan, prove(sample, plan))
    assert_contract(doc, "fix-1")
    assert doc["what_if"]["holds"] is True and doc["what_if"]["money"] is None
    back = plan_from_json(json.loads(json.dumps(doc)), "plan.json")
    assert [a.id for a in back.actions] == [a.id for a in plan.actions]
    assert back.baseline == plan.baseline
    assert [json.loads(a.policy) if a.policy else None for a in back.actions] == [
        json.loads(a.policy) if a.policy else None for a in plan.actions
    ]
    table = next(t for t in doc["snapshot"]["route_tables"] if t["id"] == PROD_C)
    assert (
        table["routes"] == sorted(table["routes"])
        and "0.0.0.0/0 -> nat-0f9c0b4f18fa0b021" in (table["routes"])
    )


@pytest.fixture(scope="module")
def demo_evidence(sample: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> Evidence:
    logs = demo_flow_logs(sample, tmp_path_factory.mktemp("cache"), records=20_000)
    flows = analyze_flows(
        sample, FlowsRequest(inputs=(str(logs),), allow_download=False), prices=PRICES
    )
    return Evidence(flows=flow_evidence(flows))


def test_money_moved_equals_the_audits_avoidable_money_to_the_cent(
    sample: Snapshot, demo_evidence: Evidence
) -> None:
    report = audit(sample, PRICES, demo_evidence)
    plan = build_plan(
        build_context(sample, PRICES), report.findings, generated_at="2026-11-29T00:00:00Z"
    )
    money = moved_money(plan, prove(sample, plan), demo_evidence, PRICES)
    assert money is not None and not money.upper_bound
    not_fixed = {n.finding_id for n in plan.not_fixed}
    by_id = {f.id: f for f in report.findings}
    checked = 0
    for moved in money.actions:
        action = next(a for a in plan.actions if a.id == moved.action_id)
        fully_fixed = [by_id[f] for f in action.finding_ids if f not in not_fixed]
        expected = price_findings(fully_fixed, demo_evidence, PRICES)
        assert moved.usd_per_month == expected.usd_per_month_avoidable, action.id
        assert moved.bytes_per_month == expected.bytes_per_month_avoidable, action.id
        checked += 1
    assert checked == 9  # every action, the transit-gateway spokes' whole path included
    assert money.usd_per_month > 20  # the headline bug (zone c + batch through NAT) is in it


def test_fix_cli_formats_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--sample", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "fix-1")
    assert len(doc["actions"]) == 10
    assert main(["--color", "never", "fix", "--sample", "--format", "plan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("vpcpath fix: 10 action(s), 3 finding(s) not fixed — the proof holds\n")
    assert f"7. associate {S3_PROD} (S3, us-east-1, {PROD})" in out
    assert main(["fix", "--sample", "--finding", "no-such-finding"]) == 2
