"""Each audit check: a scenario that must trigger it and one that must not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit.scenarios import build, load
from tests.estate_builder import ACCOUNT
from tests.policy.endpoint_policies import ORG, S3_PERIMETER, filled
from vpcpath.audit.catalogue import CHECKS
from vpcpath.audit.context import build_context
from vpcpath.audit.engine import audit
from vpcpath.audit.findings import Severity
from vpcpath.audit.registry import Check, CheckInfo
from vpcpath.audit.run import run_checks
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()


def findings(tmp_path: Path, org_id: str | None = None, **knobs: object) -> dict[str, object]:
    built = build(**knobs)  # type: ignore[arg-type]
    report = audit(load(built, tmp_path), PRICES, org_id=org_id)
    return {f.id: f for f in report.findings} | {"_built": built}


def ids(result: dict[str, object], check: str) -> list[str]:
    return sorted(k for k in result if k.split(":")[0] == check)


def test_s3_via_nat(tmp_path: Path) -> None:
    bad = findings(tmp_path / "bad")
    built = bad["_built"]
    assert ids(bad, "s3-via-nat") == [f"s3-via-nat:{built.vpc}"]  # type: ignore[attr-defined]
    finding = bad[f"s3-via-nat:{built.vpc}"]  # type: ignore[attr-defined]
    assert finding.subnet_ids == (built.private, built.second)  # type: ignore[attr-defined]
    assert finding.severity is Severity.HIGH  # type: ignore[attr-defined]
    good = findings(tmp_path / "good", s3_endpoint=True)
    assert ids(good, "s3-via-nat") == []


def test_dynamodb_via_nat(tmp_path: Path) -> None:
    assert len(ids(findings(tmp_path / "bad"), "dynamodb-via-nat")) == 1
    assert ids(findings(tmp_path / "good", ddb_endpoint=True), "dynamodb-via-nat") == []


def test_s3_endpoint_not_associated_counts_the_main_table(tmp_path: Path) -> None:
    bad = findings(tmp_path / "bad", s3_endpoint=True, s3_on_main=False)
    built = bad["_built"]
    assert ids(bad, "s3-endpoint-not-associated") == [
        f"s3-endpoint-not-associated:{built.main_rt}"  # type: ignore[attr-defined]
    ]
    f = bad[f"s3-endpoint-not-associated:{built.main_rt}"]  # type: ignore[attr-defined]
    assert f.subnet_ids == (built.second,)  # type: ignore[attr-defined]
    assert "main route table" in f.title  # type: ignore[attr-defined]
    assert ids(bad, "s3-via-nat") == []  # the VPC has the endpoint: a different finding
    good = findings(tmp_path / "good", s3_endpoint=True, s3_on_main=True)
    assert ids(good, "s3-endpoint-not-associated") == []


def test_dynamodb_endpoint_not_associated(tmp_path: Path) -> None:
    good = findings(tmp_path / "good", ddb_endpoint=True)
    assert ids(good, "dynamodb-endpoint-not-associated") == []


def test_endpoint_route_overridden(tmp_path: Path) -> None:
    bad = findings(tmp_path / "bad", s3_endpoint=True, override="52.216.0.0/16")
    built = bad["_built"]
    key = f"endpoint-route-overridden:{built.private_rt}:s3"  # type: ignore[attr-defined]
    assert ids(bad, "endpoint-route-overridden") == [key]
    assert "52.216.0.0/16" in bad[key].explanation  # type: ignore[attr-defined]
    good = findings(tmp_path / "good", s3_endpoint=True, override="10.50.0.0/16")
    assert ids(good, "endpoint-route-overridden") == []


def test_ecr_pulls_via_nat(tmp_path: Path) -> None:
    bad = findings(tmp_path / "bad", containers=True)
    assert len(ids(bad, "ecr-pulls-via-nat")) == 1
    finding = bad[ids(bad, "ecr-pulls-via-nat")[0]]
    assert "starport-layer-bucket" in finding.explanation  # type: ignore[attr-defined]
    assert "pay for themselves above" in finding.explanation  # type: ignore[attr-defined]
    assert (
        ids(findings(tmp_path / "fixed", containers=True, s3_endpoint=True), "ecr-pulls-via-nat")
        == []
    )
    # No sign of containers: a layer path alone says nothing about pulls.
    assert ids(findings(tmp_path / "plain"), "ecr-pulls-via-nat") == []


def test_cross_az_nat(tmp_path: Path) -> None:
    bad = findings(tmp_path / "bad", nat_zone_for_second="a")
    built = bad["_built"]
    assert ids(bad, "cross-az-nat") == [f"cross-az-nat:{built.second}"]  # type: ignore[attr-defined]
    assert ids(findings(tmp_path / "good", nat_zone_for_second="b"), "cross-az-nat") == []


def test_s3_via_transit_gateway(tmp_path: Path) -> None:
    bad = findings(tmp_path / "bad", default_target={"TransitGatewayId": "tgw-0abc"})
    built = bad["_built"]
    assert ids(bad, "s3-via-transit-gateway") == [
        f"s3-via-transit-gateway:{built.private_rt}"  # type: ignore[attr-defined]
    ]
    good = findings(
        tmp_path / "good", default_target={"TransitGatewayId": "tgw-0abc"}, s3_endpoint=True
    )
    assert ids(good, "s3-via-transit-gateway") == []


RESOURCE_ACCOUNT_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceAccount": ACCOUNT}},
            }
        ],
    }
)


def test_endpoint_policy_blocks_ecr(tmp_path: Path) -> None:
    bad = findings(tmp_path / "bad", s3_endpoint=True, s3_policy=RESOURCE_ACCOUNT_ONLY)
    blocked = ids(bad, "endpoint-policy-blocks-ecr")
    assert len(blocked) == 1
    assert bad[blocked[0]].severity is Severity.HIGH  # type: ignore[attr-defined]
    assert ids(bad, "endpoint-policy-blocks-ssm-agent-updates")  # one per broken request
    perimeter = filled(S3_PERIMETER, "us-east-1")
    good = findings(tmp_path / "good", org_id=ORG, s3_endpoint=True, s3_policy=perimeter)
    assert [k for k in good if k.startswith("endpoint-policy-")] == []


def test_endpoint_policy_invalid_is_never_an_allow(tmp_path: Path) -> None:
    bad = findings(
        tmp_path / "bad", s3_endpoint=True, s3_policy='{"Statement": [{"Effect": "Perhaps"}]}'
    )
    assert len(ids(bad, "endpoint-policy-invalid")) == 1
    good = findings(tmp_path / "good", s3_endpoint=True)
    assert ids(good, "endpoint-policy-invalid") == []


def test_a_crashing_check_becomes_an_internal_error(tmp_path: Path) -> None:
    snapshot = load(build(), tmp_path)
    ctx = build_context(snapshot, PRICES)

    def boom(_: object) -> list[object]:
        raise KeyError("rtb-missing")

    broken = Check(
        CheckInfo(
            id="boom",
            title="t",
            severity=Severity.LOW,
            description="d",
            doc_url="u",
            remediation="r",
        ),
        boom,  # type: ignore[arg-type]
    )
    result = run_checks(ctx, (broken, *CHECKS))
    assert result[0].id == "internal-error:boom"
    assert "KeyError" in result[0].explanation
    assert any(f.check == "s3-via-nat" for f in result)  # the others still ran


def test_every_check_id_is_unique_and_documented() -> None:
    check_ids = [c.info.id for c in CHECKS]
    assert len(check_ids) == len(set(check_ids))
    for check in CHECKS:
        assert check.info.doc_url.startswith("https://"), check.info.id
        assert check.info.description and check.info.title


@pytest.mark.parametrize("subnet", ["subnet-04b48fe40f9d9fa52"])
def test_sample_headline_bug_is_found(sample: object, subnet: str) -> None:
    report = audit(sample, PRICES)  # type: ignore[arg-type]
    f = {x.id: x for x in report.findings}["s3-endpoint-not-associated:rtb-02852e1ef289c2429"]
    assert f.subnet_ids == (subnet,)
    assert f.nat_gateway_ids == ("nat-0f9c0b4f18fa0b021",)
