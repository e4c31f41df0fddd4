"""Grouping: check → account/region → VPC, one action per group, shares of the total."""

from __future__ import annotations

from pathlib import Path

from tests.audit.scenarios import build, load
from tests.audit.test_money import DAY, GIB, PRICES, USE1, record
from vpcpath.audit.engine import audit
from vpcpath.audit.findings import Finding, Severity
from vpcpath.audit.grouping import by_account_region, by_check, group_findings
from vpcpath.model import Verdict
from vpcpath.model.enums import HopType
from vpcpath.model.evidence import Evidence, FlowEvidence
from vpcpath.model.paths import Hop
from vpcpath.model.paths import Path as TracePath

ACCOUNTS = {"vpc-a": "111111111111", "vpc-b": "111111111111", "vpc-c": "222222222222"}


def not_associated(
    table: str, vpc: str = "vpc-a", endpoint: str = "vpce-1", **kw: object
) -> Finding:
    return Finding(
        id=f"s3-endpoint-not-associated:{table}",
        check="s3-endpoint-not-associated",
        severity=Severity.HIGH,
        title=f"{endpoint} is not associated with {table}",
        region="us-east-1",
        vpc_id=vpc,
        route_table_ids=(table,),
        subnet_ids=(f"subnet-{table[4:]}",),
        endpoint_id=endpoint,
        explanation="…",
        remediation=f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint} "
        f"--add-route-table-ids {table}",
        **kw,  # type: ignore[arg-type]
    )


def test_one_group_per_check_and_vpc_with_one_modify_command() -> None:
    findings = [
        not_associated("rtb-3"),
        not_associated("rtb-1"),
        not_associated("rtb-2"),
        not_associated("rtb-9", vpc="vpc-c", endpoint="vpce-9"),
    ]
    groups = group_findings(findings, ACCOUNTS)
    assert [(g.id, g.size) for g in groups] == [
        ("s3-endpoint-not-associated:111111111111:us-east-1:vpc-a", 3),
        ("s3-endpoint-not-associated:222222222222:us-east-1:vpc-c", 1),
    ]
    big = groups[0]
    assert big.finding_ids == (
        "s3-endpoint-not-associated:rtb-3",
        "s3-endpoint-not-associated:rtb-1",
        "s3-endpoint-not-associated:rtb-2",
    )  # report order kept
    assert big.route_table_ids == ("rtb-1", "rtb-2", "rtb-3")
    assert big.action.summary == "associate vpce-1 with 3 route tables in vpc-a"
    assert big.action.commands == (
        "aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id vpce-1 "
        "--add-route-table-ids rtb-1 rtb-2 rtb-3",
    )
    assert groups[1].action.summary == "associate vpce-9 with route table rtb-9 in vpc-c"
    assert big.usd_per_month is None and big.usd_per_month_share is None


def test_different_checks_and_vpcs_never_share_a_group() -> None:
    via_nat = Finding(
        id="s3-via-nat:vpc-b",
        check="s3-via-nat",
        severity=Severity.HIGH,
        title="t",
        region="eu-west-1",
        vpc_id="vpc-b",
        route_table_ids=("rtb-7", "rtb-5"),
        explanation="…",
    )
    groups = group_findings(
        [not_associated("rtb-1"), not_associated("rtb-2", "vpc-b"), via_nat], ACCOUNTS
    )
    assert sorted(g.id for g in groups) == [
        "s3-endpoint-not-associated:111111111111:us-east-1:vpc-a",
        "s3-endpoint-not-associated:111111111111:us-east-1:vpc-b",
        "s3-via-nat:111111111111:eu-west-1:vpc-b",
    ]
    create = next(g for g in groups if g.check == "s3-via-nat")
    assert create.action.summary == "create an S3 gateway endpoint in vpc-b on 2 route tables"
    assert create.action.commands == (
        "aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-b --vpc-endpoint-type "
        "Gateway --service-name com.amazonaws.eu-west-1.s3 --route-table-ids rtb-5 rtb-7",
    )


def test_two_endpoints_in_one_group_get_no_single_command() -> None:
    groups = group_findings(
        [not_associated("rtb-1", endpoint="vpce-1"), not_associated("rtb-2", endpoint="vpce-2")],
        ACCOUNTS,
    )
    assert len(groups) == 1
    assert groups[0].action.commands == ()
    assert groups[0].action.summary == "apply each finding's fix (2 findings)"


def test_route_removals_are_words_not_commands() -> None:
    hop = Hop(id="rtb-1", type=HopType.ROUTE_TABLE, route="52.216.0.0/16")
    trace = TracePath(cidrs=(), verdict=Verdict.NAT_GATEWAY, hops=(hop,), explanation="")
    overridden = [
        Finding(
            id=f"endpoint-route-overridden:{t}:s3",
            check="endpoint-route-overridden",
            severity=Severity.MEDIUM,
            title="t",
            region="us-east-1",
            vpc_id="vpc-a",
            route_table_ids=(t,),
            explanation="…",
            traces=(trace,),
        )
        for t in ("rtb-1", "rtb-2")
    ]
    (group,) = group_findings(overridden, ACCOUNTS)
    assert group.action.summary == "delete or narrow route 52.216.0.0/16 in 2 route tables of vpc-a"
    assert group.action.commands == ()


def test_groups_rank_by_share_and_roll_up() -> None:
    findings = [
        not_associated("rtb-1", usd_per_month=10.0, bytes_per_month=GIB),
        not_associated("rtb-2", usd_per_month=5.0, bytes_per_month=GIB),
        not_associated("rtb-9", vpc="vpc-c", endpoint="vpce-9", usd_per_month=12.0),
    ]
    shares = {findings[0].id: 6.0, findings[1].id: 5.0, findings[2].id: 12.0}
    groups = group_findings(findings, ACCOUNTS, shares)
    assert [(g.vpc_id, g.usd_per_month, g.usd_per_month_share) for g in groups] == [
        ("vpc-c", 12.0, 12.0),  # the biggest share first, although vpc-a names more money
        ("vpc-a", 15.0, 11.0),
    ]
    assert groups[1].bytes_per_month == 2 * GIB
    (check,) = by_check(groups)
    assert (check.key, check.groups, check.findings, check.vpcs, check.usd_per_month_share) == (
        ("s3-endpoint-not-associated",),
        2,
        3,
        2,
        23.0,
    )
    assert [(r.key, r.findings, r.usd_per_month_share) for r in by_account_region(groups)] == [
        (("222222222222", "us-east-1"), 1, 12.0),
        (("111111111111", "us-east-1"), 2, 11.0),
    ]


def test_shares_split_shared_bytes_and_add_up_to_the_headline(tmp_path: Path) -> None:
    built = build(containers=True)
    snapshot = load(built, tmp_path)
    # 10 GiB of S3 named by both s3-via-nat and ecr-pulls-via-nat (layers are S3), and 2 GiB of
    # DynamoDB named by dynamodb-via-nat alone; one day observed → × 30.
    traffic = (
        record(built.private, built.nat, "S3", 3 * GIB, 7 * GIB),
        record(built.private, built.nat, "DYNAMODB", GIB, GIB),
    )
    flows = FlowEvidence(files=1, records=2, window_start=0, window_end=DAY, traffic=traffic)
    report = audit(snapshot, PRICES, Evidence(flows=flows))
    s3_usd = round(300 * USE1.nat_gateway_gb, 2)
    ddb_usd = round(60 * USE1.nat_gateway_gb, 2)
    assert report.usd_per_month_avoidable == round(s3_usd + ddb_usd, 2)
    assert report.shares == {
        f"s3-via-nat:{built.vpc}": round(s3_usd / 2, 2),
        f"ecr-pulls-via-nat:{built.vpc}": round(s3_usd / 2, 2),
        f"dynamodb-via-nat:{built.vpc}": ddb_usd,
    }
    named = sum(f.usd_per_month or 0.0 for f in report.findings)
    assert named > report.usd_per_month_avoidable  # what the share column is for
    shared = sum(g.usd_per_month_share or 0.0 for g in report.groups)
    assert round(shared, 2) == report.usd_per_month_avoidable
    assert {fid for g in report.groups for fid in g.finding_ids} == {f.id for f in report.findings}
