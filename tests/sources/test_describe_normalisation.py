"""Describe output as real accounts give it: optional fields, every endpoint type, the same
object listed from two sides, entries-only prefix-list files, and every file accounted for.

Each fixture reproduces one shape seen in real snapshots (the AWS CLI documentation's
examples and Batfish's AWS test rigs), written here in a few lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.estate_builder import ACCOUNT, Estate
from vpcpath.errors import SourceError
from vpcpath.model import EndpointType
from vpcpath.sources.folder import load_snapshot

OTHER_ACCOUNT = "444455556666"


def _write(root: Path, account: str, region: str, name: str, body: Any) -> None:
    folder = root / account / region
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body if isinstance(body, str) else json.dumps(body))


# --- optional fields: terminated instances -----------------------------------------------


def _terminated(instance_id: str) -> dict[str, Any]:
    # As describe-instances lists an instance for about an hour after termination: no
    # SubnetId, VpcId, PrivateIpAddress or NetworkInterfaces.
    return {
        "InstanceId": instance_id,
        "State": {"Code": 48, "Name": "terminated"},
        "Placement": {"AvailabilityZone": "us-east-1a"},
        "NetworkInterfaces": [],
    }


def test_terminated_instance_is_left_out_with_a_note_and_the_rest_is_read(tmp_path: Path) -> None:
    e = Estate()
    vpc = e.vpc()
    subnet = e.subnet(vpc, "10.0.0.0/24")
    running, _ = e.instance(vpc, subnet, "10.0.0.10")
    e.docs["Reservations"][0]["Instances"].append(_terminated("i-0dead00000000000a"))
    snap = load_snapshot(e.write(tmp_path))
    assert set(snap.instances) == {running}
    assert snap.notes.ignored == (
        (
            "i-0dead00000000000a",
            "terminated instance without SubnetId/VpcId: not in any VPC of the snapshot",
        ),
    )
    assert snap.notes.skipped == ()  # nothing is missing: the answer is not partial


def test_running_instance_keeps_its_place(tmp_path: Path) -> None:
    e = Estate()
    vpc = e.vpc()
    subnet = e.subnet(vpc, "10.0.0.0/24")
    running, _ = e.instance(vpc, subnet, "10.0.0.10")
    snap = load_snapshot(e.write(tmp_path))
    assert snap.instances[running].subnet_id == subnet
    assert snap.notes.ignored == ()


# --- every endpoint type ---------------------------------------------------------------------


def _lattice_endpoints() -> dict[str, Any]:
    # The shapes of `aws ec2 create-vpc-endpoint` examples 4 and 5 (Resource, ServiceNetwork).
    return {
        "VpcEndpoints": [
            {
                "VpcEndpointId": "vpce-00939a7ed9example",
                "VpcEndpointType": "Resource",
                "VpcId": "vpc-111122223333aabbc",
                "State": "Pending",
                "SubnetIds": ["subnet-0011aabbcc2233445"],
                "OwnerId": ACCOUNT,
                "ResourceConfigurationArn": "arn:aws:vpc-lattice:us-east-1:111122223333:"
                "resourceconfiguration/rcfg-0123abcde98765432",
            },
            {
                "VpcEndpointId": "vpce-0f00567fa8example",
                "VpcEndpointType": "ServiceNetwork",
                "VpcId": "vpc-111122223333aabbc",
                "State": "Pending",
                "SubnetIds": ["subnet-0011aabbcc2233445"],
                "OwnerId": ACCOUNT,
                "ServiceNetworkArn": "arn:aws:vpc-lattice:us-east-1:111122223333:"
                "servicenetwork/sn-0101abcd5432abcd0",
            },
        ]
    }


def test_lattice_endpoints_without_service_name_are_modelled_as_such(tmp_path: Path) -> None:
    _write(tmp_path, ACCOUNT, "us-east-1", "describe-vpc-endpoints.json", _lattice_endpoints())
    snap = load_snapshot(tmp_path)
    resource = snap.endpoints["vpce-00939a7ed9example"]
    network = snap.endpoints["vpce-0f00567fa8example"]
    assert resource.endpoint_type is EndpointType.RESOURCE
    assert resource.service_name == "" and not resource.serves_aws_service
    assert resource.resource_configuration_arn is not None
    assert resource.resource_configuration_arn.endswith("rcfg-0123abcde98765432")
    assert network.endpoint_type is EndpointType.SERVICE_NETWORK
    assert network.service_network_arn is not None
    assert network.service_network_arn.endswith("sn-0101abcd5432abcd0")
    assert not network.serves_aws_service


def test_gateway_endpoint_without_service_name_is_still_refused(tmp_path: Path) -> None:
    body = _lattice_endpoints()
    body["VpcEndpoints"][0]["VpcEndpointType"] = "Gateway"
    _write(tmp_path, ACCOUNT, "us-east-1", "describe-vpc-endpoints.json", body)
    with pytest.raises(
        SourceError, match=r"VpcEndpoints\[0\]: missing or non-string 'ServiceName'"
    ):
        load_snapshot(tmp_path)


# --- the same object seen from two sides -----------------------------------------------------


def _peering(*, accepter_vpc: str = "vpc-0accepter000000001", name: str) -> dict[str, Any]:
    return {
        "VpcPeeringConnections": [
            {
                "VpcPeeringConnectionId": "pcx-0040f7640e10191f4",
                "RequesterVpcInfo": {
                    "OwnerId": ACCOUNT,
                    "Region": "us-east-1",
                    "VpcId": "vpc-0requester00000001",
                    "CidrBlock": "10.1.0.0/16",
                },
                "AccepterVpcInfo": {
                    "OwnerId": OTHER_ACCOUNT,
                    "Region": "us-east-1",
                    "VpcId": accepter_vpc,
                    "CidrBlock": "10.2.0.0/16",
                },
                "Status": {"Code": "active", "Message": "Active"},
                # Each account tags its side differently: tags are not the connection.
                "Tags": [{"Key": "Name", "Value": name}],
            }
        ]
    }


def test_peering_listed_by_both_accounts_is_one_connection(tmp_path: Path) -> None:
    _write(tmp_path, ACCOUNT, "us-east-1", "pcx.json", _peering(name="pcx-r"))
    _write(tmp_path, OTHER_ACCOUNT, "us-east-1", "pcx.json", _peering(name="pcx-a"))
    snap = load_snapshot(tmp_path)
    pcx = snap.peering_connections["pcx-0040f7640e10191f4"]
    assert (pcx.account_id, pcx.requester_account_id, pcx.accepter_account_id) == (
        ACCOUNT,
        ACCOUNT,
        OTHER_ACCOUNT,
    )
    assert snap.notes.skipped == ()


def test_peering_copies_that_contradict_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, ACCOUNT, "us-east-1", "pcx.json", _peering(name="r"))
    other = _peering(name="a", accepter_vpc="vpc-0somethingelse0001")
    _write(tmp_path, OTHER_ACCOUNT, "us-east-1", "pcx.json", other)
    snap = load_snapshot(tmp_path)
    assert snap.peering_connections["pcx-0040f7640e10191f4"].accepter_vpc_id == (
        "vpc-0accepter000000001"
    )
    assert snap.notes.skipped == (
        (
            "pcx-0040f7640e10191f4",
            "listed twice with different accepter_vpc_id (vpc-0accepter000000001 vs "
            "vpc-0somethingelse0001); kept the first copy",
        ),
    )


def _tgw_peering(tgw: str, peer: str, *, state: str = "available") -> dict[str, Any]:
    return {
        "TransitGatewayAttachments": [
            {
                "TransitGatewayAttachmentId": "tgw-attach-012e5d602f859dd80",
                "TransitGatewayId": tgw,
                "ResourceId": peer,
                "ResourceOwnerId": ACCOUNT,
                "ResourceType": "peering",
                "State": state,
            }
        ]
    }


def test_tgw_peering_attachment_seen_from_both_regions_is_one_attachment(tmp_path: Path) -> None:
    east, west = "tgw-0e20010ebf43d07a2", "tgw-03201f1960ddb0c25"
    _write(tmp_path, ACCOUNT, "us-east-1", "tgwa.json", _tgw_peering(east, west))
    _write(tmp_path, ACCOUNT, "us-west-1", "tgwa.json", _tgw_peering(west, east))
    snap = load_snapshot(tmp_path)
    attachment = snap.transit_gateway_attachments["tgw-attach-012e5d602f859dd80"]
    assert (attachment.transit_gateway_id, attachment.resource_id) == (east, west)
    assert (attachment.region, attachment.peer_region) == ("us-east-1", "us-west-1")
    assert snap.notes.skipped == ()


def test_tgw_peering_attachment_with_contradicting_states_is_reported(tmp_path: Path) -> None:
    east, west = "tgw-0e20010ebf43d07a2", "tgw-03201f1960ddb0c25"
    _write(tmp_path, ACCOUNT, "us-east-1", "tgwa.json", _tgw_peering(east, west))
    _write(tmp_path, ACCOUNT, "us-west-1", "tgwa.json", _tgw_peering(west, east, state="deleted"))
    snap = load_snapshot(tmp_path)
    assert snap.notes.skipped == (
        (
            "tgw-attach-012e5d602f859dd80",
            "listed twice with different region (us-east-1 vs us-west-1), transit_gateway_id "
            f"({east} vs {west}), resource_id ({west} vs {east}) and 1 more fields; "
            "kept the first copy",
        ),
    )


# --- saved get-managed-prefix-list-entries output --------------------------------------------


_ENTRIES = {
    "Entries": [
        {"Cidr": "10.0.0.0/16", "Description": "vpc-a"},
        {"Cidr": "10.2.0.0/16", "Description": "vpc-b"},
    ]
}


def test_entries_file_named_after_its_list_gives_the_list_its_cidrs(tmp_path: Path) -> None:
    listed = {
        "PrefixLists": [
            {
                "PrefixListId": "pl-0123456abcabcabc1",
                "PrefixListName": "vpc-cidrs",
                "OwnerId": ACCOUNT,
            }
        ]
    }
    _write(tmp_path, ACCOUNT, "us-west-2", "describe-managed-prefix-lists.json", listed)
    _write(tmp_path, ACCOUNT, "us-west-2", "pl-0123456abcabcabc1.json", _ENTRIES)
    snap = load_snapshot(tmp_path)
    pl = snap.prefix_list("us-west-2", "pl-0123456abcabcabc1")
    assert pl is not None and pl.cidrs_known and pl.name == "vpc-cidrs"
    assert [str(c) for c in pl.cidrs] == ["10.0.0.0/16", "10.2.0.0/16"]
    assert snap.notes.skipped == () and snap.notes.not_understood == ()


def test_entries_file_that_names_no_list_is_listed_as_not_understood(tmp_path: Path) -> None:
    e = Estate(region="us-west-2")
    e.vpc()
    e.extra_files["entries.json"] = _ENTRIES
    snap = load_snapshot(e.write(tmp_path))
    assert snap.prefix_lists == {}
    assert snap.notes.not_understood == (
        (
            f"{ACCOUNT}/us-west-2/entries.json",
            "get-managed-prefix-list-entries output that names no list: save it as "
            'pl-<id>.json or add "PrefixListId" beside "Entries"',
        ),
    )


# --- every file accounted for ----------------------------------------------------------------


def test_every_file_is_understood_or_listed(tmp_path: Path) -> None:
    e = Estate()
    e.vpc()
    e.extra_files["Addresses.json"] = {"Addresses": []}
    e.extra_files["empty.json"] = {}
    e.extra_files["notes.txt"] = "made with the AWS CLI"
    e.extra_files["peerings.json"] = {"VpcPeeringConnections": []}  # empty, but understood
    snap = load_snapshot(e.write(tmp_path))
    where = f"{ACCOUNT}/us-east-1"
    assert snap.notes.not_understood == (
        (f"{where}/notes.txt", "not a .json file"),
        (f"{where}/Addresses.json", "no describe output vpcpath reads (keys: Addresses)"),
        (f"{where}/empty.json", "no describe output in it (empty)"),
    )
    assert f"{where}/peerings.json" in snap.notes.files


def test_folder_with_nothing_understood_is_refused_naming_the_files(tmp_path: Path) -> None:
    _write(tmp_path, ACCOUNT, "us-east-1", "Addresses.json", {"Addresses": []})
    _write(tmp_path, ACCOUNT, "us-east-1", "CustomerGateways.json", {"CustomerGateways": []})
    with pytest.raises(SourceError) as info:
        load_snapshot(tmp_path)
    message = str(info.value)
    assert "no describe output vpcpath understands in 2 JSON files" in message
    assert "CustomerGateways.json: no describe output vpcpath reads (keys: CustomerGateways)" in (
        message
    )


def test_folder_without_json_names_what_it_found(tmp_path: Path) -> None:
    (tmp_path / "flow.log").write_text("version account-id\n")
    with pytest.raises(SourceError, match=r"no JSON files found \(flow.log: not a .json file\)"):
        load_snapshot(tmp_path)
