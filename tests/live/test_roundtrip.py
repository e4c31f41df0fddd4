"""`vpcpath snapshot` against a moto server: the folder explain reads, same answers as by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.live.estate import ACCOUNT, EstateBuilder
from tests.live.helpers import DESTINATIONS, answer, manifest, sources, tree, verdicts
from vpcpath.cli import main
from vpcpath.sources.folder import load_snapshot
from vpcpath.sources.live import CollectOptions, write_snapshot
from vpcpath.sources.live.fetch import merge_page

REGIONS = "us-east-1,eu-west-1"

# What the estate must give (estate.py builds it), by resource name; ECR is three legs.
EXPECTED = [
    ("prod-public-a", "s3", ["internet-gateway"]),
    ("prod-public-a", "ecr", ["interface-endpoint", "interface-endpoint", "internet-gateway"]),
    ("prod-app-a", "s3", ["gateway-endpoint"]),
    ("prod-app-a", "dynamodb", ["gateway-endpoint"]),
    ("prod-app-a", "ecr", ["interface-endpoint", "interface-endpoint", "gateway-endpoint"]),
    ("prod-app-a", "172.16.1.1", ["peering"]),
    ("prod-app-b", "s3", ["mixed"]),  # 52.216.0.0/16 → NAT beats the endpoint's /15
    ("prod-app-b", "52.216.10.10", ["nat-gateway"]),
    ("prod-app-b", "52.217.10.10", ["gateway-endpoint"]),
    ("prod-app-c", "s3", ["nat-gateway"]),  # its table has no S3 endpoint route
    ("prod-app-c", "dynamodb", ["gateway-endpoint"]),
    ("prod-batch", "s3", ["nat-gateway"]),  # the main table
    ("prod-batch-node", "dynamodb", ["nat-gateway"]),
    # The transit gateway's default table has no routes (nothing propagates into it): the
    # transit gateway drops the traffic, in the collected snapshot as in the handwritten one.
    ("prod-tgw-client", "s3", ["no-route"]),
    ("legacy-a", "s3", ["no-route"]),
    ("legacy-a", "10.0.16.5", ["peering"]),
    ("legacy-a-node", "172.16.1.1", ["local"]),
    ("analytics-a", "s3", ["gateway-endpoint"]),
    ("analytics-a", "dynamodb", ["nat-gateway"]),
    ("analytics-b", "s3", ["nat-gateway"]),
]


def take_snapshot(out: Path, *extra: str) -> int:
    return main(["snapshot", "--out", str(out), "--regions", REGIONS, *extra])


def test_snapshot_gives_the_same_answers_as_the_handwritten_estate(
    estate: EstateBuilder, handwritten: Path, aws_env: str, tmp_path: Path
) -> None:
    assert take_snapshot(tmp_path / "snap", "--quiet") == 0
    collected = load_snapshot(tmp_path / "snap")
    by_hand = load_snapshot(handwritten)

    for name, destination, expected in EXPECTED:
        assert verdicts(by_hand, estate.ids[name], destination) == expected, (name, destination)
    pairs = [(s, d) for s in sources(estate) for d in DESTINATIONS]
    assert len(pairs) == 250
    for source, destination in pairs:
        assert answer(collected, source, destination) == answer(by_hand, source, destination), (
            source,
            destination,
        )


def test_snapshot_folder_layout(estate: EstateBuilder, aws_env: str, tmp_path: Path) -> None:
    out = tmp_path / "snap"
    assert take_snapshot(out, "--quiet") == 0
    east = out / ACCOUNT / "us-east-1"
    names = sorted(p.name for p in east.iterdir())
    prod, legacy = estate.ids["prod"], estate.ids["legacy"]
    for expected in (
        "describe-vpcs.json",
        "describe-route-tables.json",
        "describe-managed-prefix-lists.json",
        "describe-instances.json",
        f"describe-vpc-attribute-{prod}-enable-dns-support.json",
        f"describe-vpc-attribute-{prod}-enable-dns-hostnames.json",
        f"describe-vpc-attribute-{legacy}-enable-dns-hostnames.json",
    ):
        assert expected in names
    assert len([n for n in names if n.startswith("describe-vpc-attribute-")]) == 6  # 3 VPCs

    hostnames = json.loads(
        (east / f"describe-vpc-attribute-{prod}-enable-dns-hostnames.json").read_text()
    )
    assert hostnames == {"EnableDnsHostnames": {"Value": True}, "VpcId": prod}
    for path in east.iterdir():
        body = json.loads(path.read_text())
        assert "ResponseMetadata" not in body and "NextToken" not in body, path.name

    # AWS-managed prefix lists: entries beside the list's id, name and owner.
    s3_list = next(
        json.loads(p.read_text())
        for p in east.glob("get-managed-prefix-list-entries-*.json")
        if json.loads(p.read_text())["PrefixListName"] == "com.amazonaws.us-east-1.s3"
    )
    assert s3_list["OwnerId"] == "AWS"
    assert {"Cidr": "52.216.0.0/15", "Description": "default"} in s3_list["Entries"]
    snapshot = load_snapshot(out)
    pl = snapshot.aws_prefix_list_for("s3", "us-east-1")
    assert pl is not None and pl.id == s3_list["PrefixListId"]
    assert [str(c) for c in pl.cidrs] == [e["Cidr"] for e in s3_list["Entries"]]
    assert snapshot.vpcs[prod].dns_hostnames is True
    assert snapshot.vpcs[legacy].dns_hostnames is False

    doc = manifest(out)
    assert doc["schema"] == "vpcpath.snapshot-manifest/1"
    assert doc["tool"] == {"name": "vpcpath", "version": "0.1.0"}
    assert doc["caller"] == {"account": ACCOUNT, "arn": f"arn:aws:sts::{ACCOUNT}:user/moto"}
    assert doc["regions"] == ["eu-west-1", "us-east-1"]
    assert doc["partial"] is False and doc["skipped"] == []
    assert doc["retries"] == {"mode": "standard", "max_attempts": 10}
    assert doc["started_at"].endswith("Z")
    subnets = next(
        c
        for c in doc["calls"]
        if c["action"] == "ec2:DescribeSubnets" and c["region"] == "us-east-1"
    )
    described = json.loads((east / "describe-subnets.json").read_text())["Subnets"]
    assert subnets == {
        "account": ACCOUNT,
        "region": "us-east-1",
        "action": "ec2:DescribeSubnets",
        "requests": 1,
        "items": len(described),
    }
    assert doc["resources"]["Instances"] == 7
    assert doc["resources"]["VpcEndpoints"] == 5


def test_snapshot_prints_a_summary(
    estate: EstateBuilder, aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert take_snapshot(tmp_path / "snap") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Wrote {tmp_path / 'snap'}"
    assert out[1].startswith("Read 1 account(s), 2 region(s) in ")
    assert "7 Instances" in out[2] and "5 VpcEndpoints" in out[2]


def test_snapshot_refuses_a_non_empty_folder_unless_forced(
    estate: EstateBuilder, aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snap"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert take_snapshot(out, "--quiet") == 2
    assert "exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert take_snapshot(out, "--quiet", "--force") == 0
    assert not (out / "notes.txt").exists() and (out / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]  # no staging left


def test_explain_live_answers_as_explain_on_a_snapshot(
    estate: EstateBuilder, aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert take_snapshot(tmp_path / "snap", "--quiet") == 0
    capsys.readouterr()
    source = estate.ids["prod-app-b-node"]
    query = ["--from", source, "--to", "ecr", "--json"]
    assert main(["explain", "--snapshot", str(tmp_path / "snap"), *query]) == 0
    offline = json.loads(capsys.readouterr().out)
    assert main(["explain", "--live", "--regions", REGIONS, *query]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == offline
    assert [leg["verdict"] for leg in offline["legs"]] == [
        "interface-endpoint",
        "interface-endpoint",
        "mixed",
    ]
    assert captured.err == ""  # not a terminal: no progress, no summary


def test_every_page_is_merged(
    estate: EstateBuilder, clean_snapshot: Path, aws_env: str, tmp_path: Path
) -> None:
    """Pages of 5: moto pages DescribeInstances (6 instances in us-east-1); same file."""
    out = tmp_path / "paged"
    write_snapshot(CollectOptions(regions=("us-east-1", "eu-west-1"), page_size=5), out)
    assert tree(out) == tree(clean_snapshot)
    calls = {(c["region"], c["action"]): c for c in manifest(out)["calls"]}
    assert calls[("us-east-1", "ec2:DescribeInstances")]["requests"] >= 2
    assert calls[("us-east-1", "ec2:DescribeInstances")]["items"] == 6


def test_merge_page_concatenates_lists_and_drops_tokens() -> None:
    merged: dict[str, object] = {}
    merge_page(merged, {"Reservations": [{"ReservationId": "r-1"}], "NextToken": "t"})
    merge_page(
        merged,
        {"Reservations": [{"ReservationId": "r-2"}], "ResponseMetadata": {"RequestId": "x"}},
    )
    assert merged == {"Reservations": [{"ReservationId": "r-1"}, {"ReservationId": "r-2"}]}
