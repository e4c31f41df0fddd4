"""Load a snapshot folder: raw describe-* JSON files recognised by their top-level key.

Layout (docs/architecture.md "The snapshot folder"): ``<account>/<region>/*.json`` as Batfish reads
it; the
region is the nearest folder named like a region, else the subnets' zones in that folder; the
account is the nearest folder of 12 digits, else the resource's ``OwnerId``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vpcpath.errors import SourceError
from vpcpath.model import IpRanges, PrefixList, Snapshot, SnapshotNotes
from vpcpath.model.regions import REGION_RE
from vpcpath.sources import wire
from vpcpath.sources.ipranges import is_ip_ranges_document, parse_ip_ranges
from vpcpath.sources.merge import merge_copies
from vpcpath.sources.transit_collect import TransitCollector

ACCOUNT_RE = re.compile(r"^\d{12}$")
PREFIX_LIST_FILE_RE = re.compile(r"^(pl-[0-9a-f]+)$")
UNKNOWN_ACCOUNT = "unknown"

# Keys that carry no resources and are never worth reporting.
_META_KEYS = frozenset({"NextToken", "ResponseMetadata", "$metadata"})
# Recognised, counted, not (yet) used by any analysis.
_COUNT_ONLY_KEYS = frozenset({"SecurityGroups", "NetworkAcls"})

# Keys of single-object answers (describe-vpc-attribute, get-managed-prefix-list-entries).
_SCALAR_KEYS = frozenset(
    {
        "Entries",
        "PrefixListId",
        "PrefixListName",
        "OwnerId",
        "VpcId",
        "EnableDnsSupport",
        "EnableDnsHostnames",
    }
)

_RESOURCE_PARSERS: Mapping[str, tuple[str, Callable[[wire.Raw, str, str, str], Any]]] = {
    "Vpcs": ("vpcs", wire.parse_vpc),
    "Subnets": ("subnets", wire.parse_subnet),
    "RouteTables": ("route_tables", wire.parse_route_table),
    "InternetGateways": ("internet_gateways", wire.parse_internet_gateway),
    "EgressOnlyInternetGateways": ("egress_only_internet_gateways", wire.parse_egress_only_gateway),
    "NatGateways": ("nat_gateways", wire.parse_nat_gateway),
    "VpcEndpoints": ("endpoints", wire.parse_vpc_endpoint),
    "NetworkInterfaces": ("network_interfaces", wire.parse_network_interface),
    "VpcPeeringConnections": ("peering_connections", wire.parse_peering),
    "TransitGatewayAttachments": ("transit_gateway_attachments", wire.parse_tgw_attachment),
}


_LIST_KEYS = frozenset({*_RESOURCE_PARSERS, "Reservations", "PrefixLists", "ManagedPrefixLists"})


@dataclass(slots=True)
class _Document:
    path: Path
    body: dict[str, Any]
    account: str | None
    region: str | None


@dataclass(slots=True)
class _Collected:
    """Mutable accumulator used only while loading; the result is a frozen Snapshot."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    prefix_lists: dict[tuple[str, str], PrefixList] = field(default_factory=dict)
    dns: dict[str, dict[str, bool]] = field(default_factory=dict)
    ip_ranges: IpRanges | None = None
    files: list[str] = field(default_factory=list)
    unknown_keys: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    not_understood: list[tuple[str, str]] = field(default_factory=list)
    counted: dict[str, int] = field(default_factory=dict)
    transit: TransitCollector = field(default_factory=TransitCollector)


def load_snapshot(root: Path) -> Snapshot:
    """Read every ``*.json`` under ``root`` into one Snapshot (several accounts and regions)."""
    if not root.exists():
        raise SourceError(f"{root}: no such snapshot folder")
    if not root.is_dir():
        raise SourceError(f"{root}: a snapshot is a folder of describe-* JSON files")
    docs = list(_read_documents(root))
    acc = _Collected()
    acc.not_understood.extend(_other_files(root))
    if not docs:
        raise SourceError(
            f"{root}: no JSON files found{_listing(acc.not_understood)}; a snapshot is the JSON "
            "output of `aws ec2 describe-…` calls (see `vpcpath snapshot --help`)"
        )
    region_cache: dict[Path, str | None] = {}
    understood_any = False
    for doc in docs:
        if _collect(doc, acc, root, region_cache):
            understood_any = True
        else:
            acc.not_understood.append((str(doc.path.relative_to(root)), _why_not(doc.body)))
    if not understood_any:
        raise SourceError(
            f"{root}: no describe output vpcpath understands in {len(acc.files)} JSON files"
            f"{_listing(acc.not_understood)}; it reads `aws ec2 describe-vpcs`, "
            "`describe-subnets`, `describe-route-tables`, … output (DESIGN: snapshot folder)"
        )
    return _assemble(acc, root)


def _other_files(root: Path) -> list[tuple[str, str]]:
    """Files in the tree that are not ``*.json``: listed, never silently passed over."""
    return [
        (str(p.relative_to(root)), "not a .json file")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix != ".json"
    ]


def _listing(items: list[tuple[str, str]]) -> str:
    if not items:
        return ""
    shown = "; ".join(f"{f}: {why}" for f, why in items[:3])
    return f" ({shown}" + (f"; and {len(items) - 3} more)" if len(items) > 3 else ")")


def _why_not(body: dict[str, Any]) -> str:
    keys = [k for k in body if k not in _META_KEYS]
    if not keys:
        return "no describe output in it (empty)"
    if "Entries" in body:
        return (
            "get-managed-prefix-list-entries output that names no list: save it as "
            'pl-<id>.json or add "PrefixListId" beside "Entries"'
        )
    return "no describe output vpcpath reads (keys: " + ", ".join(sorted(keys)[:5]) + ")"


def _read_documents(root: Path) -> Iterator[_Document]:
    for path in sorted(root.rglob("*.json")):
        if not path.is_file():
            continue
        rel_parts = path.relative_to(root).parts[:-1]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
        except UnicodeDecodeError as exc:
            raise SourceError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(
                f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}. "
                "Each file must be the output of one `aws ec2 describe-… --output json` call."
            ) from exc
        if not isinstance(body, dict):
            body = {"<top-level " + type(body).__name__ + ">": body}
        yield _Document(
            path=path,
            body=body,
            account=next((p for p in reversed(rel_parts) if ACCOUNT_RE.match(p)), None),
            region=next((p for p in reversed(rel_parts) if REGION_RE.match(p)), None),
        )


def _region_from_zone(zone: str) -> str | None:
    region = zone[:-1] if zone and zone[-1].isalpha() else None
    return region if region and REGION_RE.match(region) else None


def _infer_region(doc: _Document, cache: dict[Path, str | None]) -> str | None:
    """Without a region folder: the region of the subnets' zones found beside the file."""
    if doc.region:
        return doc.region
    folder = doc.path.parent
    if folder not in cache:
        regions: set[str] = set()
        for sibling in sorted(folder.glob("*.json")):
            try:
                body = json.loads(sibling.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue  # reported when that file itself is read
            subnets = body.get("Subnets") if isinstance(body, dict) else None
            for subnet in subnets if isinstance(subnets, list) else []:
                zone = subnet.get("AvailabilityZone", "") if isinstance(subnet, dict) else ""
                region = _region_from_zone(str(zone))
                if region:
                    regions.add(region)
        cache[folder] = regions.pop() if len(regions) == 1 else None
    return cache[folder]


def _is_manifest(body: dict[str, Any]) -> bool:
    schema = body.get("schema")
    return isinstance(schema, str) and schema.startswith("vpcpath.")


def _collect(doc: _Document, acc: _Collected, root: Path, cache: dict[Path, str | None]) -> bool:
    """Read one document into ``acc``; whether vpcpath understood anything in it."""
    rel = str(doc.path.relative_to(root))
    acc.files.append(rel)
    body = doc.body
    if is_ip_ranges_document(body):
        ranges = parse_ip_ranges(body, rel)
        if acc.ip_ranges is None or ranges.sync_token > acc.ip_ranges.sync_token:
            acc.ip_ranges = ranges
        return True
    if _is_manifest(body):
        # A partial collection says what it could not read; the snapshot stays partial.
        for skip in body.get("skipped") or []:
            if isinstance(skip, dict):
                where = "/".join(
                    str(skip[k]) for k in ("account", "region", "action") if skip.get(k)
                )
                missing = skip.get("missing") or skip.get("reason") or "skipped"
                acc.skipped.append(
                    (where or rel, f"{skip.get('error', '')}: {missing}".strip(": "))
                )
        return True
    region = _infer_region(doc, cache)
    account = doc.account or UNKNOWN_ACCOUNT
    understood = False

    def need_region(what: str) -> str:
        if region is None:
            raise SourceError(
                f"{doc.path}: cannot tell which region {what} belong to; put the file under a "
                "folder named like the region (e.g. 123456789012/us-east-1/)"
            )
        return region

    if "Entries" in body:
        # get-managed-prefix-list-entries answers with the entries only; the list they belong
        # to is the PrefixListId beside them, else the file's name (pl-….json).
        list_id = body.get("PrefixListId") or _prefix_list_id_from_name(doc.path)
        if list_id:
            entries = wire.parse_prefix_list_entries(
                {**body, "PrefixListId": list_id}, need_region("the prefix list"), rel
            )
            _merge_prefix_list(acc, entries)
            understood = True
    if "VpcId" in body and ("EnableDnsSupport" in body or "EnableDnsHostnames" in body):
        attrs = acc.dns.setdefault(str(body["VpcId"]), {})
        for name in ("EnableDnsSupport", "EnableDnsHostnames"):
            value = body.get(name)
            if isinstance(value, dict) and "Value" in value:
                attrs[name] = bool(value["Value"])
        understood = True
    for key, value in body.items():
        if key in _META_KEYS or key in _SCALAR_KEYS:
            continue
        if acc.transit.accepts(key, rel):
            acc.transit.add(key, value, rel, account, need_region(key))
            understood = True
            if key not in _LIST_KEYS:
                continue
        if key in _COUNT_ONLY_KEYS:
            acc.counted[key] = acc.counted.get(key, 0) + len(_items(value, f"{rel}: {key}"))
            understood = True
        elif key in _LIST_KEYS:
            _collect_key(key, value, rel, account, need_region(key), acc)
            understood = True
        else:
            acc.unknown_keys.append((rel, key))
    return understood


def _prefix_list_id_from_name(path: Path) -> str | None:
    match = PREFIX_LIST_FILE_RE.match(path.stem)
    return match.group(1) if match else None


def _items(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise SourceError(f"{where}: expected a list")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise SourceError(f"{where}[{i}]: expected an object")
    return value


def _collect_key(
    key: str, value: Any, rel: str, account: str, region: str, acc: _Collected
) -> None:
    items = _items(value, f"{rel}: {key}")
    if key == "Reservations":
        for r_i, reservation in enumerate(items):
            owner = str(reservation.get("OwnerId") or account)
            where = f"{rel}: Reservations[{r_i}].Instances"
            for i, raw in enumerate(_items(reservation.get("Instances") or [], where)):
                inst = wire.parse_instance(raw, owner, region, f"{where}[{i}]")
                if isinstance(inst, wire.NotModelled):
                    acc.ignored.append((inst.id, inst.why))
                else:
                    _add(acc, "instances", inst.id, inst)
        return
    if key in ("PrefixLists", "ManagedPrefixLists"):
        for i, raw in enumerate(items):
            _merge_prefix_list(acc, wire.parse_prefix_list(raw, region, f"{rel}: {key}[{i}]"))
        return
    bucket, parser = _RESOURCE_PARSERS[key]
    for i, raw in enumerate(items):
        record = parser(raw, account, region, f"{rel}: {key}[{i}]")
        _add(acc, bucket, record.id, record)


def _add(acc: _Collected, bucket: str, key: str, record: Any) -> None:
    # The same resource in two files (two snapshots of one account, both sides of a peering)
    # is one resource (sources/merge.py); only a real contradiction is noted.
    existing = acc.resources.setdefault(bucket, {}).get(key)
    if existing is None:
        acc.resources[bucket][key] = record
        return
    merged, conflict = merge_copies(existing, record)
    acc.resources[bucket][key] = merged
    if conflict is not None:
        acc.skipped.append((key, conflict))


def _merge_prefix_list(acc: _Collected, pl: PrefixList) -> None:
    key = (pl.region, pl.id)
    old = acc.prefix_lists.get(key)
    if old is None:
        acc.prefix_lists[key] = pl
        return
    cidrs = tuple(dict.fromkeys((*old.cidrs, *pl.cidrs)))
    acc.prefix_lists[key] = replace(
        old,
        name=old.name or pl.name,
        owner_id=old.owner_id if old.owner_id not in ("", "AWS") else (pl.owner_id or old.owner_id),
        cidrs=cidrs,
        cidrs_known=old.cidrs_known or pl.cidrs_known,
    )


def _assemble(acc: _Collected, root: Path) -> Snapshot:
    res = acc.resources
    vpcs = dict(res.get("vpcs", {}))
    for vpc_id, attrs in acc.dns.items():
        if vpc_id in vpcs:
            vpcs[vpc_id] = replace(
                vpcs[vpc_id],
                dns_support=attrs.get("EnableDnsSupport", vpcs[vpc_id].dns_support),
                dns_hostnames=attrs.get("EnableDnsHostnames", vpcs[vpc_id].dns_hostnames),
            )

    # Resources whose describe output has no OwnerId take their VPC's account.
    def owned(bucket: str) -> dict[str, Any]:
        out = {}
        for rid, rec in res.get(bucket, {}).items():
            if rec.account_id == UNKNOWN_ACCOUNT and getattr(rec, "vpc_id", None) in vpcs:
                rec = replace(rec, account_id=vpcs[rec.vpc_id].account_id)
            out[rid] = rec
        return out

    transit = acc.transit.build(vpcs)
    acc.skipped.extend(acc.transit.skipped)
    for (region, pl_id), pl in list(acc.prefix_lists.items()):
        if not pl.cidrs_known:
            acc.skipped.append((pl_id, f"prefix list in {region} has no CIDRs in the snapshot"))
    return Snapshot(
        vpcs=vpcs,
        subnets=owned("subnets"),
        route_tables=owned("route_tables"),
        internet_gateways=owned("internet_gateways"),
        egress_only_internet_gateways=owned("egress_only_internet_gateways"),
        nat_gateways=owned("nat_gateways"),
        endpoints=owned("endpoints"),
        prefix_lists=dict(acc.prefix_lists),
        network_interfaces=owned("network_interfaces"),
        instances=owned("instances"),
        peering_connections=owned("peering_connections"),
        transit_gateway_attachments=owned("transit_gateway_attachments"),
        transit=transit,
        ip_ranges=acc.ip_ranges,
        notes=SnapshotNotes(
            root=str(root),
            files=tuple(acc.files),
            unknown_keys=tuple(acc.unknown_keys),
            skipped=tuple(acc.skipped),
            recognised_only=tuple(sorted(acc.counted.items())),
            ignored=tuple(acc.ignored),
            not_understood=tuple(acc.not_understood),
        ),
    )
