"""required-permissions.json is exact: what the collector declares, and what it really calls."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.session
import pytest

from tests.live.conftest import Organization
from vpcpath.sources.live import CollectOptions, ReadOnlyGuard, required_actions, write_snapshot
from vpcpath.sources.live.calls import (
    ALL_CALLS,
    ANALYSIS_CALLS,
    APPLY_CALLS,
    AwsCall,
    CallScope,
    all_required_actions,
    apply_actions,
)
from vpcpath.sources.live.guard import COLLECTION_EXCEPTIONS, is_read_only

REPO = Path(__file__).resolve().parents[2]


def policy_actions(name: str = "required-permissions.json") -> set[str]:
    doc = json.loads((REPO / name).read_text())
    assert doc["Version"] == "2012-10-17"
    actions: list[str] = []
    for statement in doc["Statement"]:
        assert statement["Effect"] == "Allow"
        assert statement["Resource"] == "*"
        actions.extend(statement["Action"])
    assert len(actions) == len(set(actions)), "an action is listed twice"
    return set(actions)


def test_file_lists_exactly_the_declared_calls() -> None:
    assert policy_actions() == set(all_required_actions())
    assert len(required_actions()) == 31
    assert all_required_actions() - required_actions() == {
        "cloudwatch:GetMetricStatistics",
        "pricing:GetProducts",
        "s3:GetObject",
        "s3:ListBucket",
    }


def test_apply_file_lists_exactly_the_declared_writes() -> None:
    assert policy_actions("required-permissions-apply.json") == set(apply_actions())
    assert apply_actions() == {"ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint"}
    assert not any(is_read_only(c.service, c.operation) for c in APPLY_CALLS)


def test_declared_calls_match_the_aws_api_models() -> None:
    """Each call exists, paginates as declared, and answers with its declared result key."""
    session = botocore.session.get_session()
    for call in (*ALL_CALLS, *ANALYSIS_CALLS, *APPLY_CALLS):
        client = session.create_client(
            call.service,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        model = client.meta.service_model.operation_model(call.operation)
        assert call.method in dir(client), call.operation
        assert client.can_paginate(call.method) is call.paginated, call.operation
        if call.result_key is not None:
            assert model.output_shape is not None, call.operation
            assert call.result_key in model.output_shape.members, call.operation
        if call.scope not in (CallScope.SETUP, CallScope.APPLY, CallScope.FLOW_LOGS):
            assert (
                call.operation.startswith(("Describe", "Get"))
                or (
                    call.service,
                    call.operation,
                )
                in COLLECTION_EXCEPTIONS
            ), call.operation


def test_a_full_collection_uses_exactly_the_listed_actions(
    organization: Organization, aws_env: str, tmp_path: Path
) -> None:
    """An organization-wide run exercises every call: identity, ListAccounts, AssumeRole,
    DescribeRegions and every per-region, per-VPC and per-prefix-list call."""
    guard = ReadOnlyGuard()
    collection = write_snapshot(
        CollectOptions(
            organization=True,
            role_arn=organization.role_template,
            regions=("us-east-1",),
        ),
        tmp_path / "org",
        guard=guard,
    )
    assert set(collection.iam_actions) == set(required_actions())
    assert guard.used_actions == frozenset(collection.iam_actions)
    manifest = json.loads((tmp_path / "org" / "manifest.json").read_text())
    assert set(manifest["iam_actions"]) == set(required_actions())


@pytest.mark.parametrize("call", (*ALL_CALLS, *ANALYSIS_CALLS), ids=lambda c: c.iam_action)
def test_every_read_call_is_read_only(call: AwsCall) -> None:
    assert is_read_only(call.service, call.operation)
    service, action = call.iam_action.split(":")
    assert is_read_only(service, action)
