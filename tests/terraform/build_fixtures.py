"""Write the Terraform fixtures in tests/terraform/fixtures (run once; review the diff).

Two configurations, each as `terraform show -json` would print it for a state and for a plan:

- ``flat``: one root module, ``for_each`` subnets and route tables, an S3 gateway endpoint on
  only one of the two private tables (the wrong table), a subnet that uses the main table
  (adopted with ``aws_default_route_table``, default route to the NAT gateway), one NAT
  gateway in zone a, no DynamoDB endpoint. The plan is of the applied state (ids known, a tag
  change), so both give the very same findings.
- ``nested``: ``module.network.module.vpc[0]`` (a module with ``count`` inside a module),
  ``for_each`` subnets and tables, ``aws_route`` resources with ``count`` sharing one NAT
  gateway through ``element()``'s wrap-around, an endpoint in the outer module that reaches the
  tables through the inner module's outputs. The plan creates everything (every id unknown);
  the state is after apply.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "fixtures"
REGION = "us-east-1"
ACCOUNT = "111122223333"
DEFAULT_POLICY = json.dumps(
    {
        "Version": "2008-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
    }
)


def refs(*names: str) -> dict[str, Any]:
    return {"references": list(names)}


def const(value: Any) -> dict[str, Any]:
    return {"constant_value": value}


def instance(
    module: str, rtype: str, name: str, index: Any, values: dict[str, Any]
) -> dict[str, Any]:
    key = "" if index is None else (f'["{index}"]' if isinstance(index, str) else f"[{index}]")
    prefix = f"{module}." if module else ""
    out = {
        "address": f"{prefix}{rtype}.{name}{key}",
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": values,
    }
    if index is not None:
        out["index"] = index
    return out


def block(rtype: str, name: str, expressions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "address": f"{rtype}.{name}",
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_config_key": "aws",
        "expressions": expressions,
        "schema_version": 0,
        **extra,
    }


def route_block(**target: str) -> dict[str, Any]:
    base = {
        "carrier_gateway_id": "",
        "cidr_block": "0.0.0.0/0",
        "core_network_arn": "",
        "destination_prefix_list_id": "",
        "egress_only_gateway_id": "",
        "gateway_id": "",
        "ipv6_cidr_block": "",
        "local_gateway_id": "",
        "nat_gateway_id": "",
        "network_interface_id": "",
        "transit_gateway_id": "",
        "vpc_endpoint_id": "",
        "vpc_peering_connection_id": "",
    }
    return {**base, **target}


def arn(kind: str, ident: str) -> str:
    return f"arn:aws:ec2:{REGION}:{ACCOUNT}:{kind}/{ident}"


# ---- flat -------------------------------------------------------------------------------
FLAT_IDS = {
    "vpc": "vpc-0f1a2b3c4d5e6f701",
    "main": "rtb-0a0a0a0a0a0a0a0a1",
    "public_subnet": "subnet-0b0b0b0b0b0b0b0b1",
    "app_a": "subnet-0c0c0c0c0c0c0c0ca",
    "app_b": "subnet-0c0c0c0c0c0c0c0cb",
    "batch": "subnet-0d0d0d0d0d0d0d0d1",
    "igw": "igw-0e0e0e0e0e0e0e0e1",
    "nat": "nat-0f0f0f0f0f0f0f0f1",
    "rt_public": "rtb-01010101010101011",
    "rt_app_a": "rtb-0202020202020202a",
    "rt_app_b": "rtb-0202020202020202b",
    "vpce_s3": "vpce-03030303030303031",
}


def flat_values() -> list[dict[str, Any]]:
    i = FLAT_IDS
    vpc = {
        "id": i["vpc"],
        "arn": arn("vpc", i["vpc"]),
        "cidr_block": "10.20.0.0/16",
        "default_route_table_id": i["main"],
        "main_route_table_id": i["main"],
        "enable_dns_support": True,
        "enable_dns_hostnames": True,
        "owner_id": ACCOUNT,
        "tags": {"Name": "flat"},
    }

    def subnet(ident: str, cidr: str, zone: str, name: str, public: bool = False) -> dict[str, Any]:
        return {
            "id": ident,
            "arn": arn("subnet", ident),
            "availability_zone": zone,
            "cidr_block": cidr,
            "map_public_ip_on_launch": public,
            "owner_id": ACCOUNT,
            "vpc_id": i["vpc"],
            "tags": {"Name": name},
        }

    def table(ident: str, routes: list[dict[str, Any]], name: str) -> dict[str, Any]:
        return {
            "id": ident,
            "owner_id": ACCOUNT,
            "vpc_id": i["vpc"],
            "route": routes,
            "tags": {"Name": name},
        }

    def assoc(ident: str, subnet_id: str, table_id: str) -> dict[str, Any]:
        return {"id": ident, "gateway_id": "", "subnet_id": subnet_id, "route_table_id": table_id}

    return [
        instance("", "aws_vpc", "main", None, vpc),
        instance(
            "",
            "aws_default_route_table",
            "main",
            None,
            {
                "id": i["main"],
                "default_route_table_id": i["main"],
                "owner_id": ACCOUNT,
                "vpc_id": i["vpc"],
                "route": [route_block(nat_gateway_id=i["nat"])],
                "tags": {"Name": "flat-main"},
            },
        ),
        instance(
            "",
            "aws_subnet",
            "public",
            None,
            subnet(i["public_subnet"], "10.20.0.0/24", "us-east-1a", "public", True),
        ),
        instance(
            "", "aws_subnet", "app", "a", subnet(i["app_a"], "10.20.1.0/24", "us-east-1a", "app-a")
        ),
        instance(
            "", "aws_subnet", "app", "b", subnet(i["app_b"], "10.20.2.0/24", "us-east-1b", "app-b")
        ),
        instance(
            "",
            "aws_subnet",
            "batch",
            None,
            subnet(i["batch"], "10.20.3.0/24", "us-east-1a", "batch"),
        ),
        instance(
            "",
            "aws_internet_gateway",
            "main",
            None,
            {"id": i["igw"], "owner_id": ACCOUNT, "vpc_id": i["vpc"], "tags": {}},
        ),
        instance("", "aws_eip", "nat", None, {"id": "eipalloc-0123", "domain": "vpc"}),
        instance(
            "",
            "aws_nat_gateway",
            "main",
            None,
            {
                "id": i["nat"],
                "allocation_id": "eipalloc-0123",
                "connectivity_type": "public",
                "subnet_id": i["public_subnet"],
                "private_ip": "10.20.0.10",
                "public_ip": "198.51.100.10",
                "network_interface_id": "eni-0aaaaaaaaaaaaaaa1",
                "tags": {"Name": "nat-a"},
            },
        ),
        instance(
            "",
            "aws_route_table",
            "public",
            None,
            table(i["rt_public"], [route_block(gateway_id=i["igw"])], "public"),
        ),
        instance(
            "",
            "aws_route_table",
            "app",
            "a",
            table(i["rt_app_a"], [route_block(nat_gateway_id=i["nat"])], "app-a"),
        ),
        instance(
            "",
            "aws_route_table",
            "app",
            "b",
            table(i["rt_app_b"], [route_block(nat_gateway_id=i["nat"])], "app-b"),
        ),
        instance(
            "",
            "aws_route_table_association",
            "public",
            None,
            assoc("rtbassoc-01", i["public_subnet"], i["rt_public"]),
        ),
        instance(
            "",
            "aws_route_table_association",
            "app",
            "a",
            assoc("rtbassoc-0a", i["app_a"], i["rt_app_a"]),
        ),
        instance(
            "",
            "aws_route_table_association",
            "app",
            "b",
            assoc("rtbassoc-0b", i["app_b"], i["rt_app_b"]),
        ),
        instance(
            "",
            "aws_vpc_endpoint",
            "s3",
            None,
            {
                "id": i["vpce_s3"],
                "arn": arn("vpc-endpoint", i["vpce_s3"]),
                "vpc_id": i["vpc"],
                "service_name": f"com.amazonaws.{REGION}.s3",
                "vpc_endpoint_type": "Gateway",
                "route_table_ids": [i["rt_app_a"]],
                "subnet_ids": [],
                "policy": DEFAULT_POLICY,
                "prefix_list_id": "pl-63a5400a",
                "private_dns_enabled": False,
                "state": "available",
                "tags": {"Name": "s3"},
            },
        ),
        instance("", "aws_security_group", "app", None, {"id": "sg-0123", "vpc_id": i["vpc"]}),
    ]


def flat_configuration() -> dict[str, Any]:
    return {
        "provider_config": {"aws": {"name": "aws", "expressions": {"region": const(REGION)}}},
        "root_module": {
            "resources": [
                block("aws_vpc", "main", {"cidr_block": const("10.20.0.0/16")}),
                block(
                    "aws_default_route_table",
                    "main",
                    {
                        "default_route_table_id": refs(
                            "aws_vpc.main.default_route_table_id", "aws_vpc.main"
                        ),
                        "route": [
                            {
                                "cidr_block": const("0.0.0.0/0"),
                                "nat_gateway_id": refs(
                                    "aws_nat_gateway.main.id", "aws_nat_gateway.main"
                                ),
                            }
                        ],
                    },
                ),
                block(
                    "aws_subnet",
                    "public",
                    {
                        "vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"),
                        "cidr_block": const("10.20.0.0/24"),
                    },
                ),
                block(
                    "aws_subnet",
                    "app",
                    {
                        "vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"),
                        "availability_zone": refs("each.value"),
                    },
                    for_each_expression=refs("local.zones"),
                ),
                block("aws_subnet", "batch", {"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")}),
                block(
                    "aws_internet_gateway",
                    "main",
                    {"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")},
                ),
                block("aws_eip", "nat", {"domain": const("vpc")}),
                block(
                    "aws_nat_gateway",
                    "main",
                    {
                        "subnet_id": refs("aws_subnet.public.id", "aws_subnet.public"),
                        "allocation_id": refs("aws_eip.nat.id", "aws_eip.nat"),
                    },
                ),
                block(
                    "aws_route_table",
                    "public",
                    {
                        "vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"),
                        "route": [
                            {
                                "cidr_block": const("0.0.0.0/0"),
                                "gateway_id": refs(
                                    "aws_internet_gateway.main.id", "aws_internet_gateway.main"
                                ),
                            }
                        ],
                    },
                ),
                block(
                    "aws_route_table",
                    "app",
                    {
                        "vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"),
                        "route": [
                            {
                                "cidr_block": const("0.0.0.0/0"),
                                "nat_gateway_id": refs(
                                    "aws_nat_gateway.main.id", "aws_nat_gateway.main"
                                ),
                            }
                        ],
                    },
                    for_each_expression=refs("local.zones"),
                ),
                block(
                    "aws_route_table_association",
                    "public",
                    {
                        "subnet_id": refs("aws_subnet.public.id", "aws_subnet.public"),
                        "route_table_id": refs(
                            "aws_route_table.public.id", "aws_route_table.public"
                        ),
                    },
                ),
                block(
                    "aws_route_table_association",
                    "app",
                    {
                        "subnet_id": refs(
                            "aws_subnet.app[each.key].id",
                            "aws_subnet.app[each.key]",
                            "aws_subnet.app",
                            "each.key",
                        ),
                        "route_table_id": refs(
                            "aws_route_table.app[each.key].id",
                            "aws_route_table.app[each.key]",
                            "aws_route_table.app",
                            "each.key",
                        ),
                    },
                    for_each_expression=refs("local.zones"),
                ),
                block(
                    "aws_vpc_endpoint",
                    "s3",
                    {
                        "vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"),
                        "service_name": const(f"com.amazonaws.{REGION}.s3"),
                        "route_table_ids": refs(
                            'aws_route_table.app["a"].id',
                            'aws_route_table.app["a"]',
                            "aws_route_table.app",
                        ),
                    },
                ),
                block(
                    "aws_security_group", "app", {"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")}
                ),
            ],
            "variables": {},
        },
    }


def state(
    values: list[dict[str, Any]], child_modules: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    root: dict[str, Any] = {"resources": values}
    if child_modules:
        root["child_modules"] = child_modules
    return {
        "format_version": "1.0",
        "terraform_version": "1.9.8",
        "values": {"outputs": {}, "root_module": root},
    }


def plan_of_applied(values: list[dict[str, Any]], configuration: dict[str, Any]) -> dict[str, Any]:
    """A plan that only changes a tag on the VPC: every id known."""
    planned = json.loads(json.dumps(values))
    changes = []
    for before, after in zip(values, planned, strict=True):
        action = "no-op"
        if after["type"] == "aws_vpc":
            after["values"]["tags"] = {**after["values"]["tags"], "CostCenter": "42"}
            action = "update"
        changes.append(
            {
                "address": after["address"],
                "mode": "managed",
                "type": after["type"],
                "name": after["name"],
                **({"index": after["index"]} if "index" in after else {}),
                "provider_name": after["provider_name"],
                "change": {
                    "actions": [action],
                    "before": before["values"],
                    "after": after["values"],
                    "after_unknown": {},
                },
            }
        )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "prior_state": state(values),
        "configuration": configuration,
    }


def main() -> None:
    HERE.mkdir(exist_ok=True)
    values = flat_values()
    write("flat-state.json", state(values))
    write("flat-plan.json", plan_of_applied(values, flat_configuration()))
    from tests.terraform.nested_fixture import nested_plan, nested_state

    write("nested-plan.json", nested_plan())
    write("nested-state.json", nested_state())


def write(name: str, doc: dict[str, Any]) -> None:
    (HERE / name).write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
