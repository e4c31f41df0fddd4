"""Faults injected between the collector and the moto server: throttling and 5xx are retried to
the same snapshot; refusals become recorded skips (exit 4), or fatal with --strict (exit 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.live.conftest import Organization
from tests.live.estate import ACCOUNT, EstateBuilder
from tests.live.fault_proxy import Fault, FaultProxy, FaultRule
from tests.live.helpers import DESTINATIONS, answer, manifest, sources, tree
from vpcpath.cli import main
from vpcpath.sources.folder import load_snapshot
from vpcpath.sources.live import CollectOptions, RegionProgress, write_snapshot

REGIONS = "us-east-1,eu-west-1"


def take_snapshot(out: Path, *extra: str) -> int:
    return main(["snapshot", "--out", str(out), "--regions", REGIONS, "--quiet", *extra])


@pytest.fixture
def clean(clean_snapshot: Path) -> Path:
    return clean_snapshot


@pytest.mark.usefixtures("fast_backoff")
def test_thirty_percent_throttled_gives_the_same_snapshot_and_verdicts(
    estate: EstateBuilder, handwritten: Path, clean: Path, via_proxy: FaultProxy, tmp_path: Path
) -> None:
    """Acceptance: 30 % of all requests (EC2 and STS) throttled; default retry settings."""
    via_proxy.rules = [FaultRule(fault=Fault.THROTTLE, probability=0.3)]
    out = tmp_path / "snap"
    assert take_snapshot(out) == 0

    throttled = sum(n for (_, fault), n in via_proxy.injected.items() if fault is Fault.THROTTLE)
    assert throttled >= 20
    assert 0.2 < throttled / via_proxy.requests < 0.4
    assert tree(out) == tree(clean)
    assert manifest(out)["retries"] == {"mode": "standard", "max_attempts": 10}

    collected, by_hand = load_snapshot(out), load_snapshot(handwritten)
    for source in sources(estate):
        for destination in DESTINATIONS:
            assert answer(collected, source, destination) == answer(by_hand, source, destination)


@pytest.mark.usefixtures("fast_backoff")
def test_server_errors_are_retried_to_the_same_snapshot(
    clean: Path, via_proxy: FaultProxy, tmp_path: Path
) -> None:
    via_proxy.rules = [FaultRule(fault=Fault.SERVER_ERROR, probability=0.25)]
    out = tmp_path / "snap"
    assert take_snapshot(out) == 0
    assert sum(via_proxy.injected.values()) >= 10
    assert tree(out) == tree(clean)


def test_a_refused_call_is_a_recorded_skip(
    clean: Path, via_proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    via_proxy.rules = [
        FaultRule(fault=Fault.DENIED, operation="DescribeNatGateways", region="eu-west-1")
    ]
    out = tmp_path / "snap"
    assert take_snapshot(out) == 4

    missing = f"{ACCOUNT}/eu-west-1/describe-nat-gateways.json"
    assert set(tree(clean)) - set(tree(out)) == {missing}
    assert tree(out) == {k: v for k, v in tree(clean).items() if k != missing}
    err = capsys.readouterr().err
    assert err == (
        "Partial snapshot: 1 part(s) could not be read:\n"
        f"  {ACCOUNT}/eu-west-1: missing describe-nat-gateways.json (NAT gateways, their "
        "subnets and ENIs) — ec2:DescribeNatGateways refused (UnauthorizedOperation: You are "
        "not authorized to perform this operation.)\n"
    )
    doc = manifest(out)
    assert doc["partial"] is True
    assert doc["skipped"] == [
        {
            "scope": "call",
            "account": ACCOUNT,
            "region": "eu-west-1",
            "action": "ec2:DescribeNatGateways",
            "error": "UnauthorizedOperation",
            "reason": "You are not authorized to perform this operation.",
            "missing": "describe-nat-gateways.json (NAT gateways, their subnets and ENIs)",
        }
    ]
    # The snapshot still loads; the NAT gateways of that region are simply absent.
    snapshot = load_snapshot(out)
    assert {n.region for n in snapshot.nat_gateways.values()} == {"us-east-1"}


def test_a_refused_region_is_skipped_whole(
    clean: Path, via_proxy: FaultProxy, tmp_path: Path
) -> None:
    """An SCP denying a region refuses every EC2 call there."""
    via_proxy.rules = [FaultRule(fault=Fault.DENIED, service="ec2", region="eu-west-1")]
    out = tmp_path / "snap"
    assert take_snapshot(out) == 4
    east = {k: v for k, v in tree(clean).items() if "/eu-west-1/" not in k}
    assert tree(out) == east
    assert via_proxy.injected == {("DescribeVpcs", Fault.DENIED): 1}  # nothing more is tried
    [skip] = manifest(out)["skipped"]
    assert (skip["scope"], skip["region"], skip["action"]) == (
        "region",
        "eu-west-1",
        "ec2:DescribeVpcs",
    )
    assert skip["missing"] == "the whole region (without its VPCs nothing in it can be placed)"


def test_refused_prefix_list_entries_and_vpc_attributes(
    clean: Path, via_proxy: FaultProxy, tmp_path: Path
) -> None:
    via_proxy.rules = [
        FaultRule(fault=Fault.DENIED, operation="GetManagedPrefixListEntries"),
        FaultRule(fault=Fault.DENIED, operation="DescribeVpcAttribute", region="us-east-1"),
    ]
    out = tmp_path / "snap"
    assert take_snapshot(out) == 4
    missing = {k for k in tree(clean) if "get-managed-prefix-list-entries-" in k} | {
        k for k in tree(clean) if "/us-east-1/describe-vpc-attribute-" in k
    }
    assert set(tree(clean)) - set(tree(out)) == missing
    # One refusal per kind and region is enough: the rest would be refused too.
    assert via_proxy.injected == {
        ("GetManagedPrefixListEntries", Fault.DENIED): 2,
        ("DescribeVpcAttribute", Fault.DENIED): 1,
    }
    assert [(s["region"], s["action"], s["missing"]) for s in manifest(out)["skipped"]] == [
        ("eu-west-1", "ec2:GetManagedPrefixListEntries", "the CIDRs of 6 managed prefix lists"),
        (
            "us-east-1",
            "ec2:DescribeVpcAttribute",
            "DNS attributes of 3 VPCs (vpcpath assumes both on)",
        ),
        ("us-east-1", "ec2:GetManagedPrefixListEntries", "the CIDRs of 6 managed prefix lists"),
    ]


def test_strict_makes_a_refusal_fatal_and_writes_nothing(
    estate: EstateBuilder,
    via_proxy: FaultProxy,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    via_proxy.rules = [FaultRule(fault=Fault.DENIED, operation="DescribeInstances")]
    out = tmp_path / "out" / "snap"
    assert take_snapshot(out, "--strict") == 5
    assert capsys.readouterr().err.startswith("vpcpath: error: --strict: 123456789012/")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.usefixtures("fast_backoff")
def test_throttling_that_outlasts_the_retries_fails_cleanly(
    estate: EstateBuilder,
    via_proxy: FaultProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    via_proxy.rules = [FaultRule(fault=Fault.THROTTLE, operation="DescribeSubnets")]
    out = tmp_path / "out" / "snap"
    assert take_snapshot(out) == 5
    err = capsys.readouterr().err
    assert "ec2:DescribeSubnets was still throttled after 3 attempts (RequestLimitExceeded)" in err
    assert via_proxy.received["DescribeSubnets"] in (3, 6)  # one or both regions got there
    assert list((tmp_path / "out").iterdir()) == []


def test_ctrl_c_leaves_no_half_written_snapshot(
    estate: EstateBuilder, aws_env: str, tmp_path: Path
) -> None:
    events: list[RegionProgress] = []

    def interrupt_midway(event: RegionProgress) -> None:
        events.append(event)
        if len(events) == 15:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_snapshot(
            CollectOptions(regions=("us-east-1", "eu-west-1")),
            tmp_path / "snap",
            progress=interrupt_midway,
        )
    assert list(tmp_path.iterdir()) == []


def test_a_refused_account_is_skipped_and_the_others_are_read(
    organization: Organization,
    via_proxy: FaultProxy,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    via_proxy.rules = [
        FaultRule(fault=Fault.DENIED, operation="AssumeRole", body_contains=organization.sandbox)
    ]
    out = tmp_path / "snap"
    code = main(
        [
            "snapshot",
            "--out",
            str(out),
            "--organization",
            "--role-arn",
            organization.role_template,
            "--regions",
            "us-east-1",
            "--quiet",
        ]
    )
    assert code == 4
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [ACCOUNT, organization.network, "manifest.json"]
    )
    role = organization.role_template.replace("{account}", organization.sandbox)
    assert f"{organization.sandbox}: missing the whole account (cannot assume {role})" in (
        capsys.readouterr().err
    )
    doc = json.loads((out / "manifest.json").read_text())
    accounts = {a["id"]: (a["role_arn"], a["skipped"]) for a in doc["accounts"]}
    assert accounts == {
        ACCOUNT: (None, False),
        organization.network: (
            organization.role_template.replace("{account}", organization.network),
            False,
        ),
        organization.sandbox: (role, True),
    }


@pytest.mark.usefixtures("fast_backoff")
def test_adaptive_retry_mode_from_the_aws_configuration(
    clean: Path, via_proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "12")
    # Adaptive mode also slows the client after a throttle (down to 0.5 requests/s), so one
    # late throttle shows it retries; the 30 % case runs in the default standard mode above.
    via_proxy.rules = [
        FaultRule(
            fault=Fault.THROTTLE,
            region="eu-west-1",
            operation="GetManagedPrefixListEntries",
            times=1,
        )
    ]
    out = tmp_path / "snap"
    assert take_snapshot(out) == 0
    assert via_proxy.injected == {("GetManagedPrefixListEntries", Fault.THROTTLE): 1}
    assert tree(out) == tree(clean)
    assert manifest(out)["retries"] == {"mode": "adaptive", "max_attempts": 12}
