"""collect → fix → apply → collect → explain, against a moto server over HTTP.

Idempotent (a second apply changes nothing), resumable after an injected failure (no second
endpoint), stops on drift before touching the table, dry run sends DryRun=true on every write,
and every route that existed before is there after.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.contracts import assert_contract
from tests.fix.conftest import REGION
from tests.live.estate import EstateBuilder
from tests.live.fault_proxy import Fault, FaultProxy, FaultRule
from vpcpath.cli import main


def snapshot(root: Path) -> Path:
    assert main(["snapshot", "--out", str(root), "--regions", REGION, "--quiet"]) == 0
    return root


def make_plan(snap: Path, out: Path) -> dict[str, Any]:
    assert main(["fix", "--snapshot", str(snap), "--format", "json", "--output", str(out)]) == 0
    doc: dict[str, Any] = json.loads(out.read_text())
    assert_contract(doc, "fix-1")
    return doc


def routes(estate: EstateBuilder) -> dict[str, set[tuple[str, str]]]:
    """Every route of every table of the VPC, as (destination, target)."""
    answer = estate.ec2(REGION).describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [estate.ids["app"]]}]
    )
    out: dict[str, set[tuple[str, str]]] = {}
    for table in answer["RouteTables"]:
        out[table["RouteTableId"]] = {
            (
                r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId") or "",
                r.get("GatewayId") or r.get("NatGatewayId") or "",
            )
            for r in table["Routes"]
        }
    return out


def gateway_endpoints(estate: EstateBuilder) -> list[dict[str, Any]]:
    answer = estate.ec2(REGION).describe_vpc_endpoints(
        Filters=[{"Name": "vpc-id", "Values": [estate.ids["app"]]}]
    )
    return [e for e in answer["VpcEndpoints"] if e["VpcEndpointType"] == "Gateway"]


def leg_verdict(snap: Path, subnet: str, destination: str) -> str:
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert (
            main(
                [
                    "explain",
                    "--snapshot",
                    str(snap),
                    "--from",
                    subnet,
                    "--to",
                    destination,
                    "--json",
                ]
            )
            == 0
        )
    return str(json.loads(buffer.getvalue())["legs"][0]["verdict"])


def apply_yes(plan: Path, journal: Path) -> int:
    return main(["apply", str(plan), "--yes", "--journal", str(journal), "--wait", "10"])


def test_collect_fix_apply_collect_explain(
    apply_estate: EstateBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = apply_estate
    before_routes = routes(estate)
    snap = snapshot(tmp_path / "before")
    app_b = estate.ids["app-b"]
    assert leg_verdict(snap, app_b, "s3") == "nat-gateway"
    assert leg_verdict(snap, estate.ids["app-a"], "dynamodb") == "nat-gateway"
    plan = make_plan(snap, tmp_path / "plan.json")
    assert [(a["action"], a["route_table_ids"]) for a in plan["actions"]] == [
        (
            "create-gateway-endpoint",
            sorted([estate.ids["private-a"], estate.ids["private-b"]]),
        ),
        ("associate-route-tables", [estate.ids["private-b"]]),
    ]
    journal = tmp_path / "journal"
    capsys.readouterr()
    assert apply_yes(tmp_path / "plan.json", journal) == 0
    out = capsys.readouterr().out
    assert out.count("  done ") == 2
    [journal_file] = sorted(journal.glob("apply-*.json"))
    journal_doc = json.loads(journal_file.read_text())
    assert_contract(journal_doc, "apply-journal-1")
    entries = journal_doc["entries"]
    assert [e["status"] for e in entries] == ["done", "done"]
    assert entries[1]["request"] == {
        "call": "ModifyVpcEndpoint",
        "VpcEndpointId": estate.ids["s3"],
        "AddRouteTableIds": [estate.ids["private-b"]],
    }
    assert entries[0]["response"]["vpc_endpoint_id"].startswith("vpce-")

    after = snapshot(tmp_path / "after")
    assert leg_verdict(after, app_b, "s3") == "gateway-endpoint"
    assert leg_verdict(after, estate.ids["app-a"], "dynamodb") == "gateway-endpoint"
    after_routes = routes(estate)
    for table, kept in before_routes.items():
        assert kept <= after_routes[table], f"a route of {table} disappeared"
    added = {t: after_routes[t] - before_routes[t] for t in after_routes}
    assert {t: len(r) for t, r in added.items() if r} == {
        estate.ids["private-a"]: 1,  # the DynamoDB endpoint's prefix-list route
        estate.ids["private-b"]: 2,  # S3 and DynamoDB
    }
    assert len(gateway_endpoints(estate)) == 2

    # A second apply is a no-op: nothing written, nothing new in AWS.
    assert apply_yes(tmp_path / "plan.json", journal) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert routes(estate) == after_routes and len(gateway_endpoints(estate)) == 2
    # And a new plan from the fixed estate has nothing left to do for these findings.
    again = make_plan(snapshot(tmp_path / "again"), tmp_path / "plan2.json")
    assert again["actions"] == []


def test_a_failed_write_stops_part_way_and_a_rerun_completes(
    apply_proxy: FaultProxy,
    apply_estate: EstateBuilder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    estate = apply_estate
    plan_file = tmp_path / "plan.json"
    make_plan(snapshot(tmp_path / "before"), plan_file)
    # The second write (ModifyVpcEndpoint, after CreateVpcEndpoint) is refused once.
    apply_proxy.rules.append(
        FaultRule(fault=Fault.DENIED, operation="ModifyVpcEndpoint", service="ec2", times=1)
    )
    journal = tmp_path / "journal"
    assert apply_yes(plan_file, journal) == 4
    out = capsys.readouterr().out
    assert "stopped: associate-route-tables:" in out and "UnauthorizedOperation" in out
    [first] = sorted(journal.glob("apply-*.json"))
    assert [e["status"] for e in json.loads(first.read_text())["entries"]] == ["done", "failed"]
    assert len(gateway_endpoints(estate)) == 2  # the S3 one, and the DynamoDB one it created
    assert apply_yes(plan_file, journal) == 0
    second = sorted(journal.glob("apply-*.json"))[-1]
    assert second != first
    assert [e["status"] for e in json.loads(second.read_text())["entries"]] == ["done"]
    endpoints = gateway_endpoints(estate)
    assert len(endpoints) == 2  # no duplicate endpoint
    s3 = next(e for e in endpoints if e["ServiceName"].endswith(".s3"))
    assert sorted(s3["RouteTableIds"]) == sorted([estate.ids["private-a"], estate.ids["private-b"]])
    assert apply_proxy.received["CreateVpcEndpoint"] == 1


def test_drift_stops_before_the_changed_table(
    apply_estate: EstateBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = apply_estate
    plan_file = tmp_path / "plan.json"
    make_plan(snapshot(tmp_path / "before"), plan_file)
    # Someone adds a route to private-b between plan and apply.
    estate.ec2(REGION).create_route(
        RouteTableId=estate.ids["private-b"],
        DestinationCidrBlock="192.168.0.0/16",
        NatGatewayId=estate.ids["nat-a"],
    )
    before = routes(estate)
    endpoints_before = len(gateway_endpoints(estate))
    assert apply_yes(plan_file, tmp_path / "j") == 4
    out = capsys.readouterr().out
    assert (
        f"{estate.ids['private-b']} changed since the plan was made (route 192.168.0.0/16 -> "
        f"{estate.ids['nat-a']} was added)" in out
    )
    assert routes(estate) == before  # nothing touched: the first action needs private-b too
    assert len(gateway_endpoints(estate)) == endpoints_before


def test_dry_run_sends_dry_run_on_every_write_and_changes_nothing(
    apply_proxy: FaultProxy,
    apply_estate: EstateBuilder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    estate = apply_estate
    plan_file = tmp_path / "plan.json"
    make_plan(snapshot(tmp_path / "before"), plan_file)
    # moto ignores DryRun on CreateVpcEndpoint; the proxy answers as EC2 does.
    apply_proxy.rules.append(
        FaultRule(fault=Fault.DRY_RUN, service="ec2", body_contains="DryRun=true")
    )
    before = routes(estate)
    assert main(["apply", str(plan_file)]) == 0
    out = capsys.readouterr().out
    assert out.count("  dry-run ") == 2
    assert "What-if (holds): 3 subnet(s) traced; the legs that change:\n" in out
    assert "   s3: nat-gateway → gateway-endpoint from 1 subnet(s)\n" in out  # app-b
    assert "   dynamodb: nat-gateway → gateway-endpoint from 2 subnet(s)\n" in out
    writes = ("CreateVpcEndpoint", "ModifyVpcEndpoint")
    assert {w: apply_proxy.received[w] for w in writes} == dict.fromkeys(writes, 1)
    assert {w: apply_proxy.injected[(w, Fault.DRY_RUN)] for w in writes} == dict.fromkeys(writes, 1)
    assert routes(estate) == before and len(gateway_endpoints(estate)) == 1
    assert not list(Path.cwd().glob("apply-*.json"))  # a dry run writes no journal


def test_a_write_carried_out_despite_dry_run_is_reported(
    apply_estate: EstateBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Straight to moto, which ignores DryRun on CreateVpcEndpoint: apply must not call that
    a dry run."""
    plan_file = tmp_path / "plan.json"
    make_plan(snapshot(tmp_path / "before"), plan_file)
    assert main(["apply", str(plan_file)]) == 4
    out = capsys.readouterr().out
    assert "was sent with DryRun=True but EC2 carried it out" in out


def test_a_policy_update_is_applied_and_then_in_place(
    apply_estate: EstateBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = apply_estate
    tight = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceAccount": estate.account}},
            }
        ],
    }
    s3 = estate.ids["s3"]
    estate.ec2(REGION).modify_vpc_endpoint(VpcEndpointId=s3, PolicyDocument=json.dumps(tight))
    plan_file = tmp_path / "plan.json"
    plan = make_plan(snapshot(tmp_path / "before"), plan_file)
    [update] = [a for a in plan["actions"] if a["action"] == "update-endpoint-policy"]
    assert update["vpc_endpoint_id"] == s3
    assert update["policy"]["Statement"][0] == tight["Statement"][0]  # kept, only added to
    journal = tmp_path / "journal"
    assert apply_yes(plan_file, journal) == 0
    live = estate.ec2(REGION).describe_vpc_endpoints(VpcEndpointIds=[s3])["VpcEndpoints"][0]
    assert json.loads(live["PolicyDocument"]) == update["policy"]
    again = make_plan(snapshot(tmp_path / "after"), tmp_path / "plan2.json")
    assert [a["action"] for a in again["actions"]] == []  # policy check passes now
    capsys.readouterr()
    assert apply_yes(plan_file, journal) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_actions_of_another_account_are_left_for_its_credentials(
    apply_estate: EstateBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = apply_estate
    plan_file = tmp_path / "plan.json"
    doc = make_plan(snapshot(tmp_path / "before"), plan_file)
    doc["actions"][0]["account_id"] = "999988887777"  # as in a plan over two accounts
    plan_file.write_text(json.dumps(doc))
    before = routes(estate)
    assert apply_yes(plan_file, tmp_path / "journal") == 4
    out = capsys.readouterr().out
    assert f"as account {estate.account}" in out
    assert "  other-account " in out and "  done " in out  # the other action is made
    assert "is in account 999988887777; these credentials are account" in out
    assert len(gateway_endpoints(estate)) == 1  # the DynamoDB endpoint was not created
    assert routes(estate)[estate.ids["private-a"]] == before[estate.ids["private-a"]]
