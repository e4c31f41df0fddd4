"""The snapshot folder loader: recognition by key, regions and accounts, errors that point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.estate_builder import Estate
from vpcpath.errors import SourceError
from vpcpath.model import Snapshot, TargetKind
from vpcpath.sources.folder import load_snapshot


def test_sample_loads_everything(sample: Snapshot) -> None:
    assert len(sample.vpcs) == 6
    assert len(sample.subnets) == 24
    assert sample.regions == ("eu-west-1", "us-east-1")
    assert sample.accounts == ("111122223333", "444455556666")
    assert sorted(sample.transit.route_tables) == [
        "tgw-rtb-0a1e6c3d5f7b92e41",
        "tgw-rtb-0c2f8e4a6b1d73f50",
    ]
    assert sample.ip_ranges is not None and sample.ip_ranges.sync_token == "1784861225"
    s3 = sample.aws_prefix_list_for("s3", "us-east-1")
    assert s3 is not None and s3.id == "pl-63a5400a"
    vpc = sample.vpcs["vpc-0b873741c03378b7d"]
    assert (vpc.dns_support, vpc.dns_hostnames) == (True, True)
    assert sample.nat_gateway_by_eni["eni-06aa851dfa6bae02f"] == "nat-02c7f1abd219e91b4"


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "111122223333" / "us-east-1"
    folder.mkdir(parents=True)
    (folder / "vpcs.json").write_text('{"Vpcs": [\n  {"VpcId": "vpc-1",,}\n]}')
    with pytest.raises(SourceError) as info:
        load_snapshot(tmp_path)
    assert f"{folder / 'vpcs.json'}:2:" in str(info.value)
    assert "invalid JSON" in str(info.value)


def test_bad_value_names_the_element(tmp_path: Path) -> None:
    e = Estate()
    vpc = e.vpc()
    e.subnet(vpc, "10.0.0.0/24")
    e.docs["Subnets"][0]["CidrBlock"] = "10.0.0.0/33"
    with pytest.raises(SourceError, match=r"Subnets\[0\]\.CidrBlock: '10.0.0.0/33'"):
        load_snapshot(e.write(tmp_path))


def test_unknown_keys_are_listed_not_fatal(tmp_path: Path) -> None:
    e = Estate()
    e.vpc()
    e.extra_files["extra.json"] = {"LoadBalancerDescriptions": [], "Vpcs": []}
    snap = load_snapshot(e.write(tmp_path))
    assert (
        "111122223333/us-east-1/extra.json",
        "LoadBalancerDescriptions",
    ) in snap.notes.unknown_keys


def test_region_from_zones_without_region_folder(tmp_path: Path) -> None:
    e = Estate(region="eu-west-1")
    vpc = e.vpc()
    e.subnet(vpc, "10.0.0.0/24")
    e.write(tmp_path)
    flat = tmp_path / "flat"
    flat.mkdir()
    for f in (tmp_path / "111122223333" / "eu-west-1").glob("*.json"):
        (flat / f.name).write_text(f.read_text())
    snap = load_snapshot(flat)
    assert {v.region for v in snap.vpcs.values()} == {"eu-west-1"}
    assert {v.account_id for v in snap.vpcs.values()} == {"111122223333"}  # from OwnerId


def test_no_region_at_all_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "vpcs.json").write_text(
        json.dumps({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})
    )
    with pytest.raises(SourceError, match="cannot tell which region"):
        load_snapshot(tmp_path)


def test_duplicates_merge_and_prefix_list_entries_combine(tmp_path: Path) -> None:
    e = Estate()
    vpc = e.vpc()
    e.write(tmp_path)
    (tmp_path / "111122223333" / "us-east-1" / "again.json").write_text(
        json.dumps({"Vpcs": e.docs["Vpcs"]})
    )
    folder = tmp_path / "111122223333" / "us-east-1"
    (folder / "managed.json").write_text(
        json.dumps(
            {
                "ManagedPrefixLists": [
                    {
                        "PrefixListId": "pl-63a5400a",
                        "PrefixListName": "com.amazonaws.us-east-1.s3",
                        "OwnerId": "AWS",
                        "AddressFamily": "IPv4",
                    }
                ]
            }
        )
    )
    (folder / "entries.json").write_text(
        json.dumps(
            {
                "PrefixListId": "pl-63a5400a",
                "Entries": [{"Cidr": "52.216.0.0/15"}, {"Cidr": "3.5.0.0/19"}],
            }
        )
    )
    snap = load_snapshot(tmp_path)
    assert list(snap.vpcs) == [vpc]
    assert not snap.notes.skipped
    pl = snap.aws_prefix_list_for("s3", "us-east-1")
    assert pl is not None and [str(c) for c in pl.cidrs] == ["52.216.0.0/15", "3.5.0.0/19"]


def test_several_accounts_and_regions(tmp_path: Path) -> None:
    Estate(account="111111111111").write(tmp_path)
    a = Estate(account="111111111111")
    a.vpc()
    a.write(tmp_path)
    b = Estate(account="222222222222", region="eu-west-1")
    b.docs["Vpcs"] = [{"VpcId": "vpc-b", "CidrBlock": "10.1.0.0/16"}]  # no OwnerId: folder decides
    b.write(tmp_path)
    snap = load_snapshot(tmp_path)
    assert snap.vpcs["vpc-b"].account_id == "222222222222"
    assert snap.vpcs["vpc-b"].region == "eu-west-1"
    assert snap.accounts == ("111111111111", "222222222222")


def test_gateway_endpoint_route_kinds(sample: Snapshot) -> None:
    rt = sample.route_tables["rtb-0c85b78dfcbed2d32"]
    kinds = {r.destination_label: r.target_kind for r in rt.routes}
    assert kinds["pl-63a5400a"] is TargetKind.GATEWAY_ENDPOINT
    assert kinds["0.0.0.0/0"] is TargetKind.NAT_GATEWAY


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such snapshot folder"):
        load_snapshot(tmp_path / "nope")
    with pytest.raises(SourceError, match="no JSON files"):
        load_snapshot(tmp_path)


def test_a_partial_collection_stays_partial(tmp_path: Path) -> None:
    e = Estate()
    e.vpc()
    e.write(tmp_path)
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "schema": "vpcpath.snapshot-manifest/1",
                "skipped": [
                    {
                        "scope": "call",
                        "account": "111122223333",
                        "region": "eu-west-1",
                        "action": "ec2:DescribeNatGateways",
                        "error": "UnauthorizedOperation",
                        "reason": "not authorized",
                        "missing": "NAT gateways of eu-west-1",
                    }
                ],
            }
        )
    )
    snap = load_snapshot(tmp_path)
    assert snap.notes.skipped == (
        (
            "111122223333/eu-west-1/ec2:DescribeNatGateways",
            "UnauthorizedOperation: NAT gateways of eu-west-1",
        ),
    )
