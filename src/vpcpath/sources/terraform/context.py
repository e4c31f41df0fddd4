"""What every resource builder shares: ids (real or synthetic), links, region, account, notes.

An id Terraform knows only after apply gets a synthetic one, ``<prefix>-tf<15 hex>``, the
SHA-256 of the resource address: the same address always gives the same id, so findings keep
their ids from one plan to the next.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vpcpath.model import Tags
from vpcpath.sources.terraform.document import TfDocument, TfInstance
from vpcpath.sources.terraform.references import References, Target, expression_at

_PREFIX = {
    "aws_vpc": "vpc",
    "aws_subnet": "subnet",
    "aws_route_table": "rtb",
    "aws_default_route_table": "rtb",
    "aws_internet_gateway": "igw",
    "aws_egress_only_internet_gateway": "eigw",
    "aws_nat_gateway": "nat",
    "aws_vpc_endpoint": "vpce",
    "aws_vpc_peering_connection": "pcx",
    "aws_ec2_transit_gateway": "tgw",
    "aws_ec2_transit_gateway_vpc_attachment": "tgw-attach",
    "aws_ec2_managed_prefix_list": "pl",
    "aws_vpn_gateway": "vgw",
    "aws_network_interface": "eni",
    "aws_instance": "i",
}
_ARN = re.compile(r"^arn:aws[a-z-]*:ec2:([a-z0-9-]+):(\d{12}):")
REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
MAIN_TABLE_ATTRS = frozenset({"main_route_table_id", "default_route_table_id"})
UNKNOWN_ACCOUNT = "unknown"


def synthetic_id(prefix: str, address: str) -> str:
    return f"{prefix}-tf{hashlib.sha256(address.encode()).hexdigest()[:15]}"


def known_text(value: Any) -> str | None:
    """A known, set string value ("" is how a state says "not set")."""
    return value if isinstance(value, str) and value else None


def value_at(values: Any, path: Sequence[str | int]) -> Any:
    node = values
    for step in path:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
    return node


def tags_of(values: Mapping[str, Any]) -> Tags:
    tags = values.get("tags")
    if not isinstance(tags, dict):
        return ()
    return tuple(sorted((str(k), str(v)) for k, v in tags.items() if v is not None))


def region_from_zone(zone: str) -> str | None:
    region = zone[:-1] if zone and zone[-1].isalpha() else None
    return region if region and REGION_RE.match(region) else None


class BuildContext:
    def __init__(self, doc: TfDocument) -> None:
        self.doc = doc
        self.refs = References(doc)
        self.notes: list[str] = []
        self.addresses: dict[str, str] = {}  # model id → Terraform address
        self.region = self._document_region()
        self.account = self._document_account()
        self.main_tables: dict[str, str] = {}  # VPC address → its main route table id

    # ---- ids ---------------------------------------------------------------------------
    def id_of(self, inst: TfInstance) -> str:
        real = known_text(inst.values.get("id"))
        if real and not inst.is_unknown("id"):
            return real
        return synthetic_id(_PREFIX.get(inst.type, inst.type), inst.address)

    def register(self, model_id: str, address: str) -> None:
        self.addresses.setdefault(model_id, address)

    def main_table_id(self, vpc: TfInstance) -> str:
        if vpc.address not in self.main_tables:
            real = None
            for attr in ("main_route_table_id", "default_route_table_id"):
                if not vpc.is_unknown(attr):
                    real = real or known_text(vpc.values.get(attr))
            self.main_tables[vpc.address] = real or synthetic_id(
                "rtb", f"{vpc.address}.main_route_table_id"
            )
        return self.main_tables[vpc.address]

    def target_id(self, target: Target) -> str:
        inst = target.instance
        if inst.type == "aws_vpc" and target.attr in MAIN_TABLE_ATTRS:
            return self.main_table_id(inst)
        if inst.type == "aws_default_route_table":
            return self.default_table_id(inst)
        return self.id_of(inst)

    def default_table_id(self, inst: TfInstance) -> str:
        """An aws_default_route_table is the VPC's main table: one id for both."""
        known = known_text(inst.values.get("default_route_table_id")) or known_text(
            inst.values.get("id")
        )
        if known and not inst.is_unknown("default_route_table_id"):
            return known
        for target in self.refs.targets(inst, ("default_route_table_id",), ("aws_vpc",)):
            return self.main_table_id(target.instance)
        return self.id_of(inst)

    # ---- links -------------------------------------------------------------------------
    def link(
        self,
        inst: TfInstance,
        path: Sequence[str | int],
        types: Iterable[str],
        *,
        what: str,
    ) -> str | None:
        """The id one attribute points at: its known value, else what its expression names."""
        found = self.links(inst, path, types, what=what, many=False)
        return found[0] if found else None

    def links(
        self,
        inst: TfInstance,
        path: Sequence[str | int],
        types: Iterable[str],
        *,
        what: str,
        many: bool = True,
    ) -> list[str]:
        value = value_at(inst.values, path)
        is_unknown = value_at(inst.unknown, path) is True
        if not is_unknown:
            if isinstance(value, list):
                return [v for v in value if known_text(v)]
            text = known_text(value)
            return [text] if text else []
        targets = self.refs.targets(inst, path, types, many=many)
        if not targets:
            self.notes.append(
                f"{inst.address}: {what} is known only after apply and its expression names no "
                "resource vpcpath can follow"
            )
        ids: list[str] = []
        for target in targets:
            ident = self.target_id(target)
            if ident not in ids:
                ids.append(ident)
        return ids

    def is_set(self, inst: TfInstance, path: Sequence[str | int]) -> bool:
        """Whether an optional attribute is given: a known value, or an expression for it."""
        if value_at(inst.unknown, path) is not True:
            value = value_at(inst.values, path)
            return bool(value) if isinstance(value, (str, list)) else value is not None
        return expression_at(inst.config, path) is not None

    # ---- region and account --------------------------------------------------------------
    def region_of(self, inst: TfInstance) -> str:
        own = known_text(inst.values.get("region"))
        if own and REGION_RE.match(own):
            return own
        arn = _ARN.match(known_text(inst.values.get("arn")) or "")
        return arn.group(1) if arn else self.region

    def account_of(self, inst: TfInstance) -> str:
        owner = known_text(inst.values.get("owner_id"))
        if owner and owner.isdigit():
            return owner
        arn = _ARN.match(known_text(inst.values.get("arn")) or "")
        return arn.group(2) if arn else self.account

    def _document_region(self) -> str:
        for inst in self.doc.instances:
            own = known_text(inst.values.get("region"))
            if own and REGION_RE.match(own):
                return own
        provider = (self.doc.configuration.get("provider_config") or {}).get("aws")
        expr = ((provider or {}).get("expressions") or {}).get("region") or {}
        constant = expr.get("constant_value")
        if isinstance(constant, str) and REGION_RE.match(constant):
            return constant
        for ref in expr.get("references") or []:
            if str(ref).startswith("var."):
                value = self.doc.variables.get(str(ref)[4:])
                if isinstance(value, str) and REGION_RE.match(value):
                    return value
        for inst in self.doc.instances:
            arn = _ARN.match(known_text(inst.values.get("arn")) or "")
            if arn:
                return arn.group(1)
        zones = {
            region_from_zone(str(inst.values.get("availability_zone") or ""))
            for inst in self.doc.instances
            if inst.type == "aws_subnet"
        } - {None}
        if len(zones) == 1:
            return str(zones.pop())
        self.notes.append(
            "the region is in neither the aws provider configuration nor the resources: "
            "traced as us-east-1"
        )
        return "us-east-1"

    def _document_account(self) -> str:
        for inst in self.doc.instances:
            owner = known_text(inst.values.get("owner_id"))
            if owner and owner.isdigit():
                return owner
            arn = _ARN.match(known_text(inst.values.get("arn")) or "")
            if arn:
                return arn.group(2)
        return UNKNOWN_ACCOUNT
