"""The three renderers: Terraform parses with the exact resources and references,
CloudFormation passes cfn-lint, the CLI script passes shellcheck."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.fix.test_plan_sample import plan_for
from tests.fix.test_policy_change import ACCOUNT_ONLY, PERIMETER_DENY, plan_with
from vpcpath.fix.actions import ActionKind, FixPlan
from vpcpath.fix.money import ActionMoney
from vpcpath.fix.render_cfn import render_cloudformation
from vpcpath.fix.render_cli import render_cli
from vpcpath.fix.render_terraform import render_action_hcl, render_terraform
from vpcpath.model import Snapshot


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def resources(text: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(type, name) → attributes, with python-hcl2's quoting removed."""
    parsed = hcl2.loads(text)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for block in parsed.get("resource", []):
        for rtype, named in block.items():
            for name, attrs in named.items():
                out[(_unquote(rtype), _unquote(name))] = {
                    k: _unquote(v) for k, v in attrs.items() if k != "__is_block__"
                }
    return out


def heredoc_json(value: str) -> Any:
    head, _, rest = value.partition("\n")
    assert head == "<<-POLICY"
    body, _, tail = rest.rpartition("\n")
    assert tail.strip() == "POLICY"
    return json.loads(body.replace("$${", "${"))


def test_terraform_has_exactly_the_resources_and_references(sample: Snapshot) -> None:
    plan = plan_for(sample)
    assoc = "associate-route-tables:vpce-0ce063733efb53556"
    money = {assoc: ActionMoney(action_id="x", bytes_per_month=1, usd_per_month=20.86)}
    text = render_terraform(plan, money)
    got = resources(text)
    # What the plan asks for, restated: an endpoint per create, an association per table.
    expected = set()
    for action in plan.actions:
        owner = (
            f"{action.service}_{action.vpc_id.replace('-', '_')}"
            if action.vpc_endpoint_id is None
            else action.vpc_endpoint_id.replace("-", "_")
        )
        if action.vpc_endpoint_id is None:
            expected.add(("aws_vpc_endpoint", owner))
        elif action.kind is ActionKind.UPDATE_ENDPOINT_POLICY:
            expected.add(("aws_vpc_endpoint_policy", owner))
        for table in action.route_table_ids:
            expected.add(
                ("aws_vpc_endpoint_route_table_association", f"{owner}_{table.replace('-', '_')}")
            )
    assert set(got) == expected and len(got) == 19
    # The sample's one policy update: the ECR layer bucket added to analytics' S3 endpoint.
    assert ("aws_vpc_endpoint_policy", "vpce_0e38390a9aa3330fa") in got
    assert (
        "aws_vpc_endpoint_route_table_association",
        "vpce_0ce063733efb53556_rtb_02852e1ef289c2429",
    ) in got
    new = got[("aws_vpc_endpoint", "s3_vpc_031f551d7e78a5cdc")]
    assert new["provider"] == "${aws.us_east_1_111122223333}"  # two accounts: one per account
    assert new["vpc_id"] == "${local.vpc_031f551d7e78a5cdc}"
    assert new["service_name"] == "com.amazonaws.us-east-1.s3"
    assert new["vpc_endpoint_type"] == "Gateway"
    assert "route_table_ids" not in new  # one association resource per table instead
    legacy_s3 = next(
        a for a in plan.actions if a.id == "create-gateway-endpoint:vpc-031f551d7e78a5cdc:s3"
    )
    assert heredoc_json(new["policy"]) == json.loads(legacy_s3.policy or "")
    association = got[
        (
            "aws_vpc_endpoint_route_table_association",
            "s3_vpc_031f551d7e78a5cdc_rtb_033605a83178fafd5",
        )
    ]
    assert association["vpc_endpoint_id"] == "${aws_vpc_endpoint.s3_vpc_031f551d7e78a5cdc.id}"
    assert association["route_table_id"] == "${local.rtb_033605a83178fafd5}"
    existing = got[
        ("aws_vpc_endpoint_route_table_association", "vpce_0ce063733efb53556_rtb_02852e1ef289c2429")
    ]
    assert existing["vpc_endpoint_id"] == "${local.vpce_0ce063733efb53556}"
    parsed = hcl2.loads(text)
    local_names = {k for block in parsed["locals"] for k in block if k != "__is_block__"}
    assert "vpce_0ce063733efb53556" in local_names and "rtb_02852e1ef289c2429" in local_names
    assert sorted(_unquote(p['"aws"']["alias"]) for p in parsed["provider"]) == [
        "eu_west_1_111122223333",
        "eu_west_1_444455556666",
        "us_east_1_111122223333",
    ]
    assert (
        "# associate-route-tables:vpce-0ce063733efb53556: fixes ecr-pulls-via-nat:"
        "vpc-0b873741c03378b7d, s3-endpoint-not-associated:rtb-02852e1ef289c2429, "
        "s3-endpoint-not-associated:rtb-0988c87cd1543c839; moves $20.86/month from NAT to the "
        "endpoint\n" in text
    )


def test_terraform_policy_update_escapes_policy_variables(tmp_path: Path) -> None:
    policy = json.loads(json.dumps(ACCOUNT_ONLY))
    policy["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalTag/team"] = "${aws:username}"
    plan = plan_with(tmp_path, policy)
    [action] = plan.actions
    got = resources(render_action_hcl(action))
    key = (
        "aws_vpc_endpoint_policy",
        action.vpc_endpoint_id.replace("-", "_") if action.vpc_endpoint_id else "",
    )
    assert list(got) == [key]
    assert got[key]["vpc_endpoint_id"] == f"${{local.{key[1]}}}"
    assert heredoc_json(got[key]["policy"]) == json.loads(action.policy or "")
    assert "$${aws:username}" in render_action_hcl(action)


_CFN_LINT = (
    "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"
)


def cfn_lint(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    template = tmp_path / "template.yaml"
    template.write_text(text)
    return subprocess.run(
        [sys.executable, "-c", _CFN_LINT, str(template)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("case", ["sample", "policy-only"])
def test_cloudformation_passes_cfn_lint(sample: Snapshot, tmp_path: Path, case: str) -> None:
    plan = plan_for(sample) if case == "sample" else plan_with(tmp_path, PERIMETER_DENY)
    text = render_cloudformation(plan)
    result = cfn_lint(tmp_path, text)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    if case == "sample":
        assert text.count("Type: AWS::EC2::VPCEndpoint\n") == 7
        assert "CloudFormation cannot add route tables" in text
    else:
        assert "AWS::CloudFormation::WaitConditionHandle" in text


def test_cfn_lint_catches_a_broken_template(tmp_path: Path) -> None:
    """Must-trigger for the lint check itself: a template without ServiceName fails."""
    broken = (
        "Resources:\n  E:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      VpcId: vpc-1\n"
    )
    assert cfn_lint(tmp_path, broken).returncode != 0


def shellcheck(script: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("shellcheck")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("shellcheck is missing; .ci/run installs the Debian package")
        pytest.skip("shellcheck is not installed (Debian package `shellcheck`)")
    return subprocess.run([binary, "-"], input=script, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("case", ["sample", "policy"])
def test_cli_script_passes_shellcheck(sample: Snapshot, tmp_path: Path, case: str) -> None:
    plan: FixPlan = plan_for(sample) if case == "sample" else plan_with(tmp_path, ACCOUNT_ONLY)
    script = render_cli(plan)
    result = shellcheck(script)
    assert (result.returncode, result.stdout) == (0, "")
    assert script.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail\n" in script
    calls = [line.strip() for line in script.splitlines() if line.strip().startswith("aws ec2 ")]
    writes = [c for c in calls if c.startswith(("aws ec2 create-", "aws ec2 modify-"))]
    assert len(writes) == len(plan.actions)  # one write per action
    assert not [c for c in calls if "delete" in c or "replace" in c]


def test_shellcheck_catches_a_bad_script() -> None:
    result = shellcheck("#!/usr/bin/env bash\nfor f in $(ls); do echo $f; done\n")
    assert result.returncode != 0
