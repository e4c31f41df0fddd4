"""The ``nested`` Terraform fixture: module.network.module.vpc[0], for_each and count.

The same configuration as a plan that creates it (ids unknown, links only in the
configuration's references) and as the state after apply (real-looking ids).
"""

from __future__ import annotations

import json
from typing import Any

from tests.terraform.build_fixtures import DEFAULT_POLICY, REGION, block, const, refs

OUTER = "module.network"
INNER = "module.network.module.vpc[0]"
ZONES = {"a": "us-east-1a", "b": "us-east-1b"}
# Ids after apply, by address.
APPLIED = {
    f"{INNER}.aws_vpc.this": "vpc-0123456789abcdef0",
    f"{INNER}.aws_subnet.public": "subnet-0aaa0000000000001",
    f'{INNER}.aws_subnet.private["a"]': "subnet-0bbb00000000000a",
    f'{INNER}.aws_subnet.private["b"]': "subnet-0bbb00000000000b",
    f"{INNER}.aws_internet_gateway.this": "igw-0ccc0000000000001",
    f"{INNER}.aws_nat_gateway.this[0]": "nat-0ddd0000000000001",
    f"{INNER}.aws_route_table.public": "rtb-0eee0000000000001",
    f'{INNER}.aws_route_table.private["a"]': "rtb-0fff00000000000a",
    f'{INNER}.aws_route_table.private["b"]': "rtb-0fff00000000000b",
    f"{INNER}.aws_route.private_nat[0]": "r-rtb-0fff00000000000a1080289494",
    f"{INNER}.aws_route.private_nat[1]": "r-rtb-0fff00000000000b1080289494",
    f"{INNER}.aws_route_table_association.public": "rtbassoc-0000000000000001",
    f'{INNER}.aws_route_table_association.private["a"]': "rtbassoc-000000000000000a",
    f'{INNER}.aws_route_table_association.private["b"]': "rtbassoc-000000000000000b",
    f"{OUTER}.aws_vpc_endpoint.s3": "vpce-0123456789abcdef1",
}


def _resources(known: bool) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(module, instance without values, values) with ``unknown`` marks under key "?"."""
    a = APPLIED
    vpc, igw, nat = (
        a[f"{INNER}.aws_vpc.this"],
        a[f"{INNER}.aws_internet_gateway.this"],
        a[f"{INNER}.aws_nat_gateway.this[0]"],
    )
    sub = {k: a[f'{INNER}.aws_subnet.private["{k}"]'] for k in ZONES}
    rtb = {k: a[f'{INNER}.aws_route_table.private["{k}"]'] for k in ZONES}
    public_subnet, public_rtb = (
        a[f"{INNER}.aws_subnet.public"],
        a[f"{INNER}.aws_route_table.public"],
    )

    def ids(**values: Any) -> dict[str, Any]:
        return values if known else {}

    out: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    def add(
        module: str, rtype: str, name: str, index: Any, values: dict[str, Any], unknown: list[str]
    ) -> None:
        key = "" if index is None else (f'["{index}"]' if isinstance(index, str) else f"[{index}]")
        address = f"{module}.{rtype}.{name}{key}"
        meta = {
            "address": address,
            "mode": "managed",
            "type": rtype,
            "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
        }
        if index is not None:
            meta["index"] = index
        if known:
            values = {"id": a.get(address, f"id-of-{address}"), **values}
        out.append((module, meta, {"values": values, "unknown": [] if known else ["id", *unknown]}))

    add(
        INNER,
        "aws_vpc",
        "this",
        None,
        {
            "cidr_block": "10.30.0.0/16",
            "enable_dns_support": True,
            "tags": {"Name": "nested"},
            **ids(main_route_table_id="rtb-0999000000000001", owner_id="111122223333"),
        },
        ["main_route_table_id", "default_route_table_id", "owner_id"],
    )
    add(
        INNER,
        "aws_subnet",
        "public",
        None,
        {
            "availability_zone": "us-east-1a",
            "cidr_block": "10.30.0.0/24",
            "map_public_ip_on_launch": True,
            **ids(vpc_id=vpc),
        },
        ["vpc_id"],
    )
    for k, zone in ZONES.items():
        add(
            INNER,
            "aws_subnet",
            "private",
            k,
            {
                "availability_zone": zone,
                "cidr_block": f"10.30.{ord(k) - 96}.0/24",
                **ids(vpc_id=vpc),
            },
            ["vpc_id"],
        )
    add(INNER, "aws_internet_gateway", "this", None, ids(vpc_id=vpc), ["vpc_id"])
    add(
        INNER,
        "aws_nat_gateway",
        "this",
        0,
        {"connectivity_type": "public", **ids(subnet_id=public_subnet)},
        ["subnet_id"],
    )
    add(
        INNER,
        "aws_route_table",
        "public",
        None,
        {
            **ids(vpc_id=vpc),
            "route": [{"cidr_block": "0.0.0.0/0", **({"gateway_id": igw} if known else {})}],
        },
        ["vpc_id", "route.0.gateway_id"],
    )
    for k in ZONES:
        add(
            INNER,
            "aws_route_table",
            "private",
            k,
            {
                **ids(vpc_id=vpc),
                **(
                    {"route": [{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat}]} if known else {}
                ),
            },
            ["vpc_id", "route"],
        )
    for i, k in enumerate(ZONES):
        add(
            INNER,
            "aws_route",
            "private_nat",
            i,
            {
                "destination_cidr_block": "0.0.0.0/0",
                **ids(route_table_id=rtb[k], nat_gateway_id=nat),
            },
            ["route_table_id", "nat_gateway_id", "gateway_id"],
        )
    add(
        INNER,
        "aws_route_table_association",
        "public",
        None,
        ids(subnet_id=public_subnet, route_table_id=public_rtb),
        ["subnet_id", "route_table_id"],
    )
    for k in ZONES:
        add(
            INNER,
            "aws_route_table_association",
            "private",
            k,
            ids(subnet_id=sub[k], route_table_id=rtb[k]),
            ["subnet_id", "route_table_id"],
        )
    add(
        OUTER,
        "aws_vpc_endpoint",
        "s3",
        None,
        {
            "service_name": f"com.amazonaws.{REGION}.s3",
            "vpc_endpoint_type": "Gateway",
            **ids(
                vpc_id=vpc,
                route_table_ids=[rtb["a"]],
                policy=DEFAULT_POLICY,
                prefix_list_id="pl-63a5400a",
            ),
        },
        ["vpc_id", "route_table_ids", "policy", "prefix_list_id"],
    )
    add(OUTER, "aws_cloudwatch_log_group", "flow", None, {"name": "flow"}, [])
    return out


def _tree(known: bool) -> dict[str, Any]:
    modules: dict[str, list[dict[str, Any]]] = {OUTER: [], INNER: []}
    for module, meta, body in _resources(known):
        modules[module].append({**meta, "values": body["values"]})
    inner = {"address": INNER, "resources": modules[INNER]}
    outer = {"address": OUTER, "resources": modules[OUTER], "child_modules": [inner]}
    return {"root_module": {"child_modules": [outer]}}


def _after_unknown(marks: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mark in marks:
        if mark.startswith("route."):
            _, index, attr = mark.split(".")
            out["route"] = [{attr: True}] if int(index) == 0 else out.get("route", [])
        else:
            out[mark] = True
    return out


def nested_configuration() -> dict[str, Any]:
    each = ("each.key",)
    inner_resources = [
        block("aws_vpc", "this", {"cidr_block": refs("var.cidr")}),
        block("aws_subnet", "public", {"vpc_id": refs("aws_vpc.this.id", "aws_vpc.this")}),
        block(
            "aws_subnet",
            "private",
            {
                "vpc_id": refs("aws_vpc.this.id", "aws_vpc.this"),
                "availability_zone": refs("each.value"),
            },
            for_each_expression=refs("var.zones"),
        ),
        block("aws_internet_gateway", "this", {"vpc_id": refs("aws_vpc.this.id", "aws_vpc.this")}),
        block(
            "aws_nat_gateway",
            "this",
            {"subnet_id": refs("aws_subnet.public.id", "aws_subnet.public")},
            count_expression=const(1),
        ),
        block(
            "aws_route_table",
            "public",
            {
                "vpc_id": refs("aws_vpc.this.id", "aws_vpc.this"),
                "route": [
                    {
                        "cidr_block": const("0.0.0.0/0"),
                        "gateway_id": refs(
                            "aws_internet_gateway.this.id", "aws_internet_gateway.this"
                        ),
                    }
                ],
            },
        ),
        block(
            "aws_route_table",
            "private",
            {"vpc_id": refs("aws_vpc.this.id", "aws_vpc.this")},
            for_each_expression=refs("var.zones"),
        ),
        # element(values(aws_route_table.private)[*].id, count.index) and one shared NAT gateway:
        # element() wraps around, so every route gets aws_nat_gateway.this[0].
        block(
            "aws_route",
            "private_nat",
            {
                "destination_cidr_block": const("0.0.0.0/0"),
                "route_table_id": refs("aws_route_table.private", "count.index"),
                "nat_gateway_id": refs("aws_nat_gateway.this", "count.index"),
            },
            count_expression=refs("var.zones"),
        ),
        block(
            "aws_route_table_association",
            "public",
            {
                "subnet_id": refs("aws_subnet.public.id", "aws_subnet.public"),
                "route_table_id": refs("aws_route_table.public.id", "aws_route_table.public"),
            },
        ),
        block(
            "aws_route_table_association",
            "private",
            {
                "subnet_id": refs(
                    "aws_subnet.private[each.key].id",
                    "aws_subnet.private[each.key]",
                    "aws_subnet.private",
                    *each,
                ),
                "route_table_id": refs(
                    "aws_route_table.private[each.key].id",
                    "aws_route_table.private[each.key]",
                    "aws_route_table.private",
                    *each,
                ),
            },
            for_each_expression=refs("var.zones"),
        ),
    ]
    outputs = {
        "vpc_id": {"expression": refs("aws_vpc.this.id", "aws_vpc.this")},
        "app_a_route_table_id": {
            "expression": refs(
                'aws_route_table.private["a"].id',
                'aws_route_table.private["a"]',
                "aws_route_table.private",
            )
        },
    }
    outer_resources = [
        block(
            "aws_vpc_endpoint",
            "s3",
            {
                "vpc_id": refs("module.vpc[0].vpc_id", "module.vpc[0]", "module.vpc"),
                "service_name": const(f"com.amazonaws.{REGION}.s3"),
                "route_table_ids": refs(
                    "module.vpc[0].app_a_route_table_id", "module.vpc[0]", "module.vpc"
                ),
            },
        ),
        block("aws_cloudwatch_log_group", "flow", {"name": const("flow")}),
    ]
    return {
        "provider_config": {"aws": {"name": "aws", "expressions": {"region": refs("var.region")}}},
        "root_module": {
            "module_calls": {
                "network": {
                    "source": "./modules/network",
                    "module": {
                        "resources": outer_resources,
                        "module_calls": {
                            "vpc": {
                                "source": "./vpc",
                                "count_expression": const(1),
                                "expressions": {
                                    "cidr": const("10.30.0.0/16"),
                                    "zones": const(ZONES),
                                },
                                "module": {"resources": inner_resources, "outputs": outputs},
                            }
                        },
                    },
                }
            },
            "variables": {"region": {"default": REGION}},
        },
    }


def nested_plan() -> dict[str, Any]:
    changes = []
    for _, meta, body in _resources(known=False):
        changes.append(
            {
                **meta,
                "module_address": meta["address"].rsplit(f".{meta['type']}.", 1)[0],
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": body["values"],
                    "after_unknown": _after_unknown(body["unknown"]),
                },
            }
        )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {"region": {"value": REGION}},
        "planned_values": _tree(known=False),
        "resource_changes": changes,
        "configuration": nested_configuration(),
    }


def nested_state() -> dict[str, Any]:
    return {
        "format_version": "1.0",
        "terraform_version": "1.9.8",
        "values": {"outputs": {}, **json.loads(json.dumps(_tree(known=True)))},
    }
