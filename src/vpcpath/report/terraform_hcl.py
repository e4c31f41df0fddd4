"""A finding's remediation as the Terraform (HCL) to add, with references into the user's code.

References are what the user can write where the fix goes (the root module): a root resource
by its address (``aws_route_table.private[0].id``); a resource inside a module through the
module's output that exposes it (``module.vpc.private_route_table_ids[0]``, the outputs come
from the plan's ``configuration``); else the literal id with a comment naming the address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from vpcpath.audit.findings import Finding
from vpcpath.model import EndpointType
from vpcpath.sources.terraform import TerraformSource, TfInstance
from vpcpath.sources.terraform.document import module_calls

_SERVICES = {"s3": "s3", "dynamodb": "dynamodb"}
_CREATE_ENDPOINT = frozenset(
    {"s3-via-nat", "dynamodb-via-nat", "s3-via-transit-gateway", "dynamodb-via-transit-gateway"}
)
# terraform-aws-modules/vpc: one NAT gateway per zone instead of a single shared one
# (the module's README, "NAT Gateway Scenarios").
_VPC_MODULE = re.compile(r"terraform-aws-modules/vpc/aws(//)?$")


class HclReferences:
    def __init__(self, source: TerraformSource) -> None:
        self._source = source
        doc = source.document
        self._instances: Mapping[str, TfInstance] = (
            {i.address: i for i in doc.instances} if doc else {}
        )
        self.unresolved: list[str] = []  # comments for ids written as literals

    def ref(self, model_id: str, attr: str = "id") -> str:
        address = self._source.addresses.get(model_id)
        if address is None:
            return _quote(model_id)
        if address.endswith(".main_route_table_id"):
            address, attr = address.removesuffix(".main_route_table_id"), "main_route_table_id"
        inst = self._instances.get(address)
        if inst is None:
            return _quote(model_id)
        if not inst.module:
            return f"{address}.{attr}"
        found = self._through_output(inst, attr)
        if found:
            return found
        self.unresolved.append(
            f'# "{model_id}" is {address}; no output of {inst.module} exposes it, so write '
            "a reference to it by hand"
            + (" (the id is known only after apply)" if "-tf" in model_id else "")
        )
        return _quote(model_id)

    def _through_output(self, inst: TfInstance, attr: str) -> str | None:
        calls = module_calls(inst.module)
        doc = self._source.document
        if len(calls) != 1 or doc is None or inst.module != f"module.{calls[0]}":
            return None  # a module instance (count/for_each) or a nested module
        outputs = (doc.module_config(inst.module) or {}).get("outputs") or {}
        group = sorted(
            (i for i in doc.instances if i.module == inst.module and i.resource == inst.resource),
            key=lambda i: (isinstance(i.index, str), str(i.index).zfill(12)),
        )
        position = group.index(inst)
        noun = inst.type.removeprefix("aws_")
        scalar, listed = [], []
        for name, output in sorted(outputs.items()):
            named = _attrs_named(_refs(output), inst.resource)
            if named is None or not (noun in name or noun.replace("_gateway", "gw") in name):
                continue
            if named - {attr} or (attr != "id" and attr not in named):
                continue
            if name.endswith("_ids") and attr == "id":
                listed.append(f"module.{calls[0]}.{name}[{position}]")
            elif not name.endswith("_ids") and len(group) == 1:
                scalar.append((name != f"{noun}_{attr}", f"module.{calls[0]}.{name}"))
        if scalar:
            return sorted(scalar)[0][1]
        if listed:
            return listed[0]
        return None


def _attrs_named(refs: list[str], resource: str) -> set[str] | None:
    """The attributes of ``resource`` an output reads (empty: the bare resource); None when
    the output reads no instance of it or also reads another resource."""
    named: set[str] = set()
    mine = False
    for ref in refs:
        if ref.startswith(("var.", "local.", "count.", "each.", "path.", "data.")):
            continue
        match = re.match(r"^([a-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.([A-Za-z0-9_]+))?", ref)
        if match is None:
            continue
        if match.group(1) != resource:
            return None
        mine = True
        if match.group(3):
            named.add(match.group(3))
    return named if mine else None


def _refs(output: Any) -> list[str]:
    expr = output.get("expression") if isinstance(output, dict) else None
    refs = expr.get("references") if isinstance(expr, dict) else None
    return [str(r) for r in refs] if isinstance(refs, list) else []


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _block(
    kind: str, labels: tuple[str, ...], body: list[tuple[str, str]], refs: HclReferences
) -> str:
    width = max((len(k) for k, _ in body), default=0)
    head = " ".join([kind, *(_quote(label) for label in labels)])
    lines = [*dict.fromkeys(refs.unresolved), f"{head} {{"]
    lines += [f"  {key.ljust(width)} = {value}" for key, value in body]
    return "\n".join([*lines, "}"])


def _list(items: list[str]) -> str:
    if len(items) <= 1:
        return "[" + ", ".join(items) + "]"
    return "[\n" + "".join(f"    {i},\n" for i in items) + "  ]"


def remediation_hcl(finding: Finding, source: TerraformSource) -> str | None:
    """The HCL that fixes ``finding``, or None when the fix is not an addition."""
    refs = HclReferences(source)
    check = finding.check
    service = check.split("-", 1)[0]
    if check in ("s3-via-transit-gateway", "dynamodb-via-transit-gateway"):
        existing = _gateway_endpoint(source, finding, service)
        if existing is not None and finding.route_table_ids:
            return _association(existing, finding.route_table_ids[0], service, refs)
    if check in _CREATE_ENDPOINT:
        return _block(
            "resource",
            ("aws_vpc_endpoint", _endpoint_label(finding, service, source)),
            [
                ("vpc_id", refs.ref(finding.vpc_id)),
                ("service_name", _quote(f"com.amazonaws.{finding.region}.{_SERVICES[service]}")),
                ("vpc_endpoint_type", '"Gateway"'),
                ("route_table_ids", _list(sorted(refs.ref(t) for t in finding.route_table_ids))),
            ],
            refs,
        )
    if check in ("s3-endpoint-not-associated", "dynamodb-endpoint-not-associated"):
        endpoint = finding.endpoint_id
        if endpoint is None or not finding.route_table_ids:
            return None
        return _association(endpoint, finding.route_table_ids[0], service, refs)
    if check == "cross-az-nat":
        return _cross_az(finding, source, refs)
    return None


def _endpoint_label(finding: Finding, service: str, source: TerraformSource) -> str:
    """Unique per VPC (``…-via-nat``) or per table (``…-via-transit-gateway``), so the snippets
    of several findings can be added side by side; named after the Name tag when there is one."""
    snapshot = source.snapshot
    if finding.check.endswith("-via-transit-gateway") and finding.route_table_ids:
        table = snapshot.route_tables.get(finding.route_table_ids[0])
        name = (table.name if table else None) or finding.route_table_ids[0]
    else:
        vpc = snapshot.vpcs.get(finding.vpc_id)
        name = (vpc.name if vpc else None) or finding.vpc_id
    return _label(f"{service}_gateway_{name}")


def _association(endpoint: str, table: str, service: str, refs: HclReferences) -> str:
    return _block(
        "resource",
        ("aws_vpc_endpoint_route_table_association", _label(f"{service}_{table}")),
        [("vpc_endpoint_id", refs.ref(endpoint)), ("route_table_id", refs.ref(table))],
        refs,
    )


def _gateway_endpoint(source: TerraformSource, finding: Finding, service: str) -> str | None:
    name = f"com.amazonaws.{finding.region}.{service}"
    for endpoint in source.snapshot.endpoints_in_vpc(finding.vpc_id):
        if endpoint.endpoint_type is EndpointType.GATEWAY and endpoint.service_name == name:
            return endpoint.id
    return None


def _cross_az(finding: Finding, source: TerraformSource, refs: HclReferences) -> str | None:
    address = source.addresses.get(finding.route_table_ids[0]) if finding.route_table_ids else None
    doc = source.document
    calls = module_calls(address or "")
    if (
        doc is not None
        and len(calls) == 1
        and address
        and address.startswith(f"module.{calls[0]}.")
    ):
        call = doc.module_call(f"module.{calls[0]}") or {}
        if _VPC_MODULE.search(str(call.get("source", ""))):
            return "\n".join(
                [
                    f'module "{calls[0]}" {{',
                    "  # … keep the other arguments; one NAT gateway in each zone:",
                    "  single_nat_gateway     = false",
                    "  one_nat_gateway_per_az = true",
                    "}",
                ]
            )
    snapshot = source.snapshot
    subnet = snapshot.subnets.get(finding.subnet_ids[0]) if finding.subnet_ids else None
    if subnet is None:
        return None
    same_zone = sorted(
        n.id
        for n in snapshot.nat_gateways.values()
        if n.vpc_id == subnet.vpc_id
        and n.subnet_id is not None
        and n.subnet_id in snapshot.subnets
        and snapshot.subnets[n.subnet_id].availability_zone == subnet.availability_zone
    )
    if not same_zone:
        return None
    return "\n".join(
        [
            f"# in the 0.0.0.0/0 route of {address or finding.route_table_ids[0]}:",
            f"nat_gateway_id = {refs.ref(same_zone[0])}",
        ]
    )
