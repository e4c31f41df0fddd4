"""update-endpoint-policy: the smallest change, proven by the policy engine, never a rewrite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.audit.scenarios import build, load
from tests.estate_builder import ACCOUNT
from vpcpath.audit.context import build_context
from vpcpath.audit.engine import audit
from vpcpath.fix.actions import ActionKind, FixPlan
from vpcpath.fix.plan import Selection, build_plan
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()
LAYERS = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"
ACCOUNT_ONLY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "OwnResources",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceAccount": ACCOUNT}},
        }
    ],
}
PERIMETER_DENY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "All", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {
            "Sid": "Perimeter",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:ResourceAccount": ACCOUNT}},
        },
    ],
}


def plan_with(tmp_path: Path, policy: dict[str, Any], *, only_ecr: bool = True) -> FixPlan:
    built = build(s3_endpoint=True, ddb_endpoint=True, s3_policy=json.dumps(policy))
    snapshot = load(built, tmp_path)
    findings = audit(snapshot, PRICES).findings
    ecr = [f.id for f in findings if f.check == "endpoint-policy-blocks-ecr"]
    assert len(ecr) == 1  # must trigger: the policy blocks the layer download
    selection = Selection(finding_ids=tuple(ecr)) if only_ecr else Selection()
    return build_plan(
        build_context(snapshot, PRICES), findings, selection=selection, generated_at="t"
    )


def test_an_implicit_deny_gets_one_added_allow_statement(tmp_path: Path) -> None:
    plan = plan_with(tmp_path, ACCOUNT_ONLY)
    [action] = plan.actions
    assert action.kind is ActionKind.UPDATE_ENDPOINT_POLICY
    assert action.policy is not None
    assert json.loads(action.policy)["Statement"] == [
        ACCOUNT_ONLY["Statement"][0],  # kept as it was
        {
            "Sid": "VpcpathAllowAWSOwnedResources",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": [LAYERS],
        },
    ]
    assert action.policy_changes == (
        f"Allow s3:GetObject on {LAYERS} (statement VpcpathAllowAWSOwnedResources)",
    )
    verdict = action.policy_verdict
    assert verdict is not None
    assert "ecr-image-layers" not in verdict.breaks  # fixed
    assert "ssm-agent-updates" in verdict.breaks  # not asked for: left as it was
    assert verdict.perimeter_gaps == ()  # the foreign bucket is still denied


def test_an_explicit_deny_gets_an_exception_not_a_rewrite(tmp_path: Path) -> None:
    plan = plan_with(tmp_path, PERIMETER_DENY, only_ecr=False)
    [action] = [a for a in plan.actions if a.kind is ActionKind.UPDATE_ENDPOINT_POLICY]
    assert action.policy is not None
    statements = json.loads(action.policy)["Statement"]
    assert statements[0] == PERIMETER_DENY["Statement"][0]
    deny = statements[1]
    assert list(deny) == ["Sid", "Effect", "Principal", "Action", "NotResource", "Condition"]
    assert deny["NotResource"][0] == LAYERS and len(deny["NotResource"]) == 12
    assert deny["Condition"] == PERIMETER_DENY["Statement"][1]["Condition"]
    assert action.policy_verdict is not None
    assert action.policy_verdict.breaks == () and action.policy_verdict.perimeter_gaps == ()


def test_a_deny_on_listed_resources_is_left_to_a_person(tmp_path: Path) -> None:
    listed = json.loads(json.dumps(PERIMETER_DENY))
    listed["Statement"][1]["Resource"] = [LAYERS, "arn:aws:s3:::other-bucket/*"]
    del listed["Statement"][1]["Condition"]
    plan = plan_with(tmp_path, listed)
    assert [a.kind for a in plan.actions] == []
    [item] = plan.not_fixed
    assert item.why == (
        "statement Perimeter denies ecr-image-layers for the resources it lists; an exception "
        f"would rewrite it: edit it by hand (keep the deny, exclude {LAYERS})"
    )
    assert item.command == "vpcpath policy suggest --region us-east-1 --service s3"


def test_a_policy_that_passes_gets_no_action(tmp_path: Path) -> None:
    built = build(s3_endpoint=True)  # default policy: must not trigger
    snapshot = load(built, tmp_path)
    findings = audit(snapshot, PRICES).findings
    plan = build_plan(build_context(snapshot, PRICES), findings, generated_at="t")
    assert [a for a in plan.actions if a.kind is ActionKind.UPDATE_ENDPOINT_POLICY] == []
