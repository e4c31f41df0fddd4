"""``vpcpath.explain/1``: the JSON contract of docs/contracts.md, exactly; fields are only ever
added."""

from __future__ import annotations

from typing import Any

from vpcpath.model.paths import Explanation, Hop, Leg, Path

SCHEMA = "vpcpath.explain/1"


def explanation_to_json(exp: Explanation) -> dict[str, Any]:
    src = exp.source
    return {
        "schema": SCHEMA,
        "source": {
            "id": src.id,
            "type": src.type,
            "vpc_id": src.vpc_id,
            "region": src.region,
            "availability_zone": src.availability_zone,
            "route_table_id": src.route_table_id,
            "subnet_id": src.subnet_id,
            "account_id": src.account_id,
            "route_table_association": src.association,
            "address": src.address,
        },
        "destination": {"query": exp.destination_query},
        "legs": [leg_to_json(leg) for leg in exp.legs],
        "prices": {"source": exp.price_source, "date": exp.price_date},
        "missing": list(exp.missing),
    }


def leg_to_json(leg: Leg) -> dict[str, Any]:
    return {
        "name": leg.name,
        "destination": leg.destination,
        "verdict": str(leg.verdict),
        "paths": [path_to_json(p) for p in leg.paths],
        "usd_per_gb_in": leg.usd_per_gb_in,
        "usd_per_gb_out": leg.usd_per_gb_out,
        "service": leg.service,
        "region": leg.region,
        "cidr_source": leg.cidr_source,
        "hint": leg.hint,
    }


def path_to_json(path: Path) -> dict[str, Any]:
    return {
        "cidrs": [str(c) for c in path.cidrs],
        "verdict": str(path.verdict),
        "hops": [hop_to_json(h) for h in path.hops],
        "explanation": path.explanation,
        "usd_per_gb_in": path.usd_per_gb_in,
        "usd_per_gb_out": path.usd_per_gb_out,
    }


def hop_to_json(hop: Hop) -> dict[str, Any]:
    out: dict[str, Any] = {"id": hop.id, "type": hop.type}
    if hop.type.is_route_table:
        out["route"] = hop.route
    return out
