"""Read AWS's ``ip-ranges.json`` (keys ``syncToken``, ``createDate``, ``prefixes``)."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vpcpath.errors import SourceError
from vpcpath.model import IpPrefix, IpRanges


def is_ip_ranges_document(doc: Any) -> bool:
    return isinstance(doc, dict) and "syncToken" in doc and "prefixes" in doc


def parse_ip_ranges(doc: Mapping[str, Any], where: str) -> IpRanges:
    prefixes: list[IpPrefix] = []
    for key, field in (("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")):
        for i, entry in enumerate(doc.get(key) or []):
            try:
                network = ipaddress.ip_network(entry[field], strict=False)
            except (KeyError, TypeError, ValueError) as exc:
                raise SourceError(f"{where}: {key}[{i}].{field} is not a CIDR ({exc})") from exc
            prefixes.append(
                IpPrefix(
                    network=network,
                    region=str(entry.get("region", "")),
                    service=str(entry.get("service", "")),
                    network_border_group=str(entry.get("network_border_group", "")),
                )
            )
    return IpRanges(
        sync_token=str(doc.get("syncToken", "")),
        create_date=str(doc.get("createDate", "")),
        prefixes=tuple(prefixes),
    )


def read_ip_ranges(path: Path) -> IpRanges:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    return ip_ranges_from_bytes(data, path)


def ip_ranges_from_bytes(data: bytes, path: Path) -> IpRanges:
    """The ranges in ``data``, the bytes read from ``path`` (named in errors)."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: cannot read ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if not is_ip_ranges_document(doc):
        raise SourceError(f"{path}: not an ip-ranges.json (no syncToken/prefixes keys)")
    return parse_ip_ranges(doc, str(path))
