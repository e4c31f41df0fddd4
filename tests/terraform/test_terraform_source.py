"""The Terraform source: the model a plan or state becomes, link by link."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest

from tests.terraform.conftest import FIXTURES
from vpcpath.errors import SourceError
from vpcpath.model import TargetKind
from vpcpath.sources.ipranges import read_ip_ranges
from vpcpath.sources.sample_estate import sample_path
from vpcpath.sources.terraform import TerraformSource, build_source, load_terraform
from vpcpath.sources.terraform.document import parse_document

RANGES = read_ip_ranges(sample_path() / "ip-ranges.json")
INNER = "module.network.module.vpc[0]"


def load(name: str) -> TerraformSource:
    return load_terraform(FIXTURES / name, RANGES, "sample")


def by_address(source: TerraformSource) -> dict[str, str]:
    return {address: ident for ident, address in source.addresses.items()}


def test_state_model_has_main_table_associations_and_endpoint_routes() -> None:
    src = load("flat-state.json")
    s = src.snapshot
    assert src.kind == "state" and src.region == "us-east-1"
    assert sorted(s.route_tables) == [
        "rtb-01010101010101011",
        "rtb-0202020202020202a",
        "rtb-0202020202020202b",
        "rtb-0a0a0a0a0a0a0a0a1",
    ]
    main = s.route_tables["rtb-0a0a0a0a0a0a0a0a1"]
    assert main.is_main and main.subnet_ids == frozenset()  # batch uses it implicitly
    assert s.main_route_table["vpc-0f1a2b3c4d5e6f701"] == "rtb-0a0a0a0a0a0a0a0a1"
    assert [(str(r.destination), r.target_kind, r.target_id) for r in main.routes] == [
        ("10.20.0.0/16", TargetKind.LOCAL, "local"),
        ("0.0.0.0/0", TargetKind.NAT_GATEWAY, "nat-0f0f0f0f0f0f0f0f1"),
    ]
    app_a = s.route_tables["rtb-0202020202020202a"]
    assert app_a.subnet_ids == frozenset({"subnet-0c0c0c0c0c0c0c0ca"})
    assert [(r.destination_label, r.target_kind) for r in app_a.routes] == [
        ("10.20.0.0/16", TargetKind.LOCAL),
        ("0.0.0.0/0", TargetKind.NAT_GATEWAY),
        ("pl-63a5400a", TargetKind.GATEWAY_ENDPOINT),
    ]
    pl = s.prefix_list("us-east-1", "pl-63a5400a")
    assert pl is not None and pl.name == "com.amazonaws.us-east-1.s3"
    assert pl.cidrs == RANGES.networks("S3", "us-east-1")[: len(pl.cidrs)]
    assert all(c.version == 4 for c in pl.cidrs) and len(pl.cidrs) == 21
    assert s.nat_gateways["nat-0f0f0f0f0f0f0f0f1"].subnet_id == "subnet-0b0b0b0b0b0b0b0b1"
    assert src.unmodelled == (
        ("aws_eip.nat", "aws_eip"),
        ("aws_security_group.app", "aws_security_group"),
    )
    assert src.addresses["subnet-0c0c0c0c0c0c0c0cb"] == 'aws_subnet.app["b"]'


def test_plan_ids_unknown_get_stable_synthetic_ids() -> None:
    src = load("nested-plan.json")
    ids = by_address(src)
    address = f'{INNER}.aws_route_table.private["b"]'
    digest = hashlib.sha256(address.encode()).hexdigest()[:15]
    assert ids[address] == f"rtb-tf{digest}"
    assert load("nested-plan.json").addresses == src.addresses  # same run after run


def test_plan_links_follow_references_through_modules_count_and_for_each() -> None:
    src = load("nested-plan.json")
    s, ids = src.snapshot, by_address(src)
    nat = ids[f"{INNER}.aws_nat_gateway.this[0]"]
    for key in ("a", "b"):
        table = s.route_tables[ids[f'{INNER}.aws_route_table.private["{key}"]']]
        # each.key association; aws_route[count.index] → element() wrap-around to the one NAT
        assert table.subnet_ids == frozenset({ids[f'{INNER}.aws_subnet.private["{key}"]']})
        assert [(r.destination_label, r.target_id) for r in table.routes][:2] == [
            ("10.30.0.0/16", "local"),
            ("0.0.0.0/0", nat),
        ]
    endpoint = s.endpoints[ids["module.network.aws_vpc_endpoint.s3"]]
    # through module.vpc[0]'s outputs: only the table the output names
    assert endpoint.route_table_ids == frozenset({ids[f'{INNER}.aws_route_table.private["a"]']})
    assert endpoint.vpc_id == ids[f"{INNER}.aws_vpc.this"]
    public = s.route_tables[ids[f"{INNER}.aws_route_table.public"]]
    assert public.routes[1].target_kind is TargetKind.INTERNET_GATEWAY
    assert public.routes[1].target_id == ids[f"{INNER}.aws_internet_gateway.this"]
    assert src.region == "us-east-1"  # provider region = var.region, from the plan's variables


def test_plan_and_state_of_one_configuration_give_the_same_model() -> None:
    plan, state = load("flat-plan.json"), load("flat-state.json")
    assert plan.kind == "plan"
    assert plan.snapshot.route_tables == state.snapshot.route_tables
    assert plan.snapshot.subnets == state.snapshot.subnets
    assert plan.snapshot.endpoints == state.snapshot.endpoints
    assert plan.addresses == state.addresses


def test_planned_values_win_over_prior_state() -> None:
    doc = json.loads((FIXTURES / "flat-plan.json").read_text())
    for res in doc["planned_values"]["root_module"]["resources"]:
        if res["address"] == 'aws_subnet.app["b"]':
            res["values"]["availability_zone"] = "us-east-1a"
    src = build_source(parse_document(doc, "mutated"), RANGES, "sample")
    assert src.snapshot.subnets["subnet-0c0c0c0c0c0c0c0cb"].availability_zone == "us-east-1a"


def test_unresolvable_value_is_a_note_not_a_crash() -> None:
    doc = json.loads((FIXTURES / "nested-plan.json").read_text())
    doc = copy.deepcopy(doc)
    config = doc["configuration"]["root_module"]["module_calls"]["network"]["module"]
    inner = config["module_calls"]["vpc"]["module"]
    for block in inner["resources"]:
        if block["address"] == "aws_nat_gateway.this":
            block["expressions"]["subnet_id"] = {"references": ["local.public_subnet_id"]}
    src = build_source(parse_document(doc, "mutated"), RANGES, "sample")
    nat_address = f"{INNER}.aws_nat_gateway.this[0]"
    assert (
        f"{nat_address}: subnet_id is known only after apply and its expression names no "
        "resource vpcpath can follow"
    ) in src.notes
    assert by_address(src)[nat_address] in src.snapshot.nat_gateways


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[1, 2]", "the top level is a list; expected the JSON that `terraform show -json` prints"),
        ('{"a": 1}', "no format_version key; expected the JSON that `terraform show -json` prints"),
        (
            '{"version": 4, "serial": 3, "lineage": "x", "resources": []}',
            "this is a raw state file (terraform.tfstate), not `terraform show -json` output",
        ),
        ("{not json", "1:2: invalid JSON"),
    ],
)
def test_what_is_not_terraform_show_output_is_a_source_error(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(body)
    with pytest.raises(SourceError, match=None) as raised:
        load_terraform(path, RANGES, "sample")
    assert message in str(raised.value)
    assert str(path) in str(raised.value)


def test_empty_state_is_an_empty_model() -> None:
    src = build_source(parse_document({"format_version": "1.0"}, "empty"), RANGES, "sample")
    assert src.kind == "state" and not src.snapshot.vpcs and not src.unmodelled


def test_errored_and_incomplete_plans_are_said() -> None:
    doc = json.loads((FIXTURES / "flat-plan.json").read_text())
    doc["errored"], doc["complete"] = True, False
    src = build_source(parse_document(doc, "errored"), RANGES, "sample")
    assert src.notes[:2] == (
        "Terraform marked this plan as errored: it could not finish planning, so resources "
        "may be missing",
        "Terraform marked this plan as incomplete (deferred changes): another plan after "
        "apply may add resources",
    )
    assert len(src.snapshot.route_tables) == 4  # what it holds is still read
