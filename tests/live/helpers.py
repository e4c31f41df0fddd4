"""Comparing snapshots: file trees, and explain's answers leg by leg."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.live.estate import EstateBuilder
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices
from vpcpath.routing.explain import explain

PRICES = load_prices()
DESTINATIONS = (
    "s3",
    "dynamodb",
    "ecr",
    "s3:eu-west-1",
    "dynamodb:us-east-1",
    "8.8.8.8",
    "172.16.1.1",
    "10.0.16.5",
    "52.216.10.10",
    "52.217.10.10",
)


def tree(folder: Path, *, without_manifest: bool = True) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path (manifest.json holds times: left out)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (without_manifest and p.name == "manifest.json")
    }


def manifest(folder: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((folder / "manifest.json").read_text())
    return doc


def sources(estate: EstateBuilder) -> list[str]:
    """Every subnet and instance of the estate, and each instance's private IP."""
    ids = [v for v in estate.ids.values() if v.startswith(("subnet-", "i-"))]
    return ids + sorted(estate.addresses.values())


def answer(snapshot: Snapshot, source: str, destination: str) -> tuple[Any, ...]:
    """What explain says, minus the prose: per leg its verdict, prices and every path's hops."""
    result = explain(snapshot, source, destination, prices=PRICES)
    src = result.source
    return (
        (src.id, src.vpc_id, src.subnet_id, src.route_table_id, src.association),
        tuple(
            (
                leg.name,
                leg.destination,
                str(leg.verdict),
                leg.usd_per_gb_in,
                leg.usd_per_gb_out,
                tuple(
                    (
                        str(path.verdict),
                        tuple(str(c) for c in path.cidrs),
                        tuple((h.id, h.type, h.route) for h in path.hops),
                        path.usd_per_gb_in,
                        path.usd_per_gb_out,
                    )
                    for path in leg.paths
                ),
            )
            for leg in result.legs
        ),
    )


def verdicts(snapshot: Snapshot, source: str, destination: str) -> list[str]:
    return [str(leg.verdict) for leg in explain(snapshot, source, destination).legs]
