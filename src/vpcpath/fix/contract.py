"""The ``vpcpath.fix/1`` JSON contract, both ways: ``fix`` writes it, ``apply`` reads it.

::

    {"schema": "vpcpath.fix/1", "generated_at", "snapshot": {"source", "accounts", "regions",
                                                             "route_tables", "endpoints",
                                                             "prefix_lists"},
     "actions": [{"id", "action", "account_id", "region", "vpc_id", "service_name",
                  "vpc_endpoint_id", "route_table_ids", "policy", "finding_ids",
                  "policy_check", "policy_changes"}],
     "not_fixed": [{"finding_id", "why", "command"}],
     "what_if": {"holds", "destinations", "subnets", "changes", "unexpected", "problems",
                 "money"}}

``snapshot`` records what the plan was made from — every route table and endpoint an action
touches, as the plan saw it — so ``apply`` can tell drift from its own earlier work.
"""

from __future__ import annotations

import json
from typing import Any

from vpcpath.errors import SourceError
from vpcpath.fix.actions import (
    ActionKind,
    EndpointBaseline,
    FixAction,
    FixPlan,
    NotFixed,
    PlanBaseline,
    PolicyVerdict,
    TableBaseline,
)
from vpcpath.fix.money import MovedMoney
from vpcpath.fix.what_if import LegChange, WhatIf

SCHEMA = "vpcpath.fix/1"


def plan_to_json(
    plan: FixPlan, what_if: WhatIf | None = None, money: MovedMoney | None = None
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generated_at": plan.generated_at,
        "snapshot": _baseline(plan.baseline),
        "actions": [_action(a) for a in plan.actions],
        "not_fixed": [
            {"finding_id": n.finding_id, "why": n.why, "command": n.command} for n in plan.not_fixed
        ],
        "what_if": _what_if(what_if, money) if what_if is not None else None,
    }


def _baseline(baseline: PlanBaseline) -> dict[str, Any]:
    return {
        "source": baseline.source,
        "accounts": list(baseline.accounts),
        "regions": list(baseline.regions),
        "route_tables": [{"id": t.id, "routes": list(t.routes)} for t in baseline.route_tables],
        "endpoints": [
            {"id": e.id, "route_table_ids": list(e.route_table_ids), "policy": e.policy}
            for e in baseline.endpoints
        ],
        "prefix_lists": [
            {"region": r, "service": s, "prefix_list_id": p} for r, s, p in baseline.prefix_lists
        ],
    }


def _action(action: FixAction) -> dict[str, Any]:
    verdict = action.policy_verdict
    return {
        "id": action.id,
        "action": str(action.kind),
        "account_id": action.account_id,
        "region": action.region,
        "vpc_id": action.vpc_id,
        "service_name": action.service_name,
        "vpc_endpoint_id": action.vpc_endpoint_id,
        "route_table_ids": list(action.route_table_ids),
        "policy": json.loads(action.policy) if action.policy is not None else None,
        "finding_ids": list(action.finding_ids),
        "policy_check": None
        if verdict is None
        else {
            "passes": verdict.passes,
            "breaks": list(verdict.breaks),
            "perimeter_gaps": list(verdict.perimeter_gaps),
            "source": verdict.source,
        },
        "policy_changes": list(action.policy_changes),
    }


def _change(change: LegChange) -> dict[str, Any]:
    return {
        "subnet_id": change.subnet_id,
        "destination": change.destination,
        "leg": change.leg,
        "from": str(change.old_verdict),
        "to": str(change.new_verdict),
        "cidrs": [str(c) for c in change.cidrs],
        "action_id": change.action_id,
    }


def _what_if(what_if: WhatIf, money: MovedMoney | None) -> dict[str, Any]:
    return {
        "holds": what_if.holds,
        "destinations": list(what_if.destinations),
        "subnets": list(what_if.subnets),
        "changes": [_change(c) for c in what_if.changes if c.action_id is not None],
        "unexpected": [_change(c) for c in what_if.unexpected],
        "problems": list(what_if.problems),
        "money": None
        if money is None
        else {
            "basis": money.basis,
            "upper_bound": money.upper_bound,
            "usd_per_month": money.usd_per_month,
            "bytes_per_month": money.bytes_per_month,
            "actions": [
                {
                    "action_id": m.action_id,
                    "bytes_per_month": m.bytes_per_month,
                    "usd_per_month": m.usd_per_month,
                }
                for m in money.actions
            ],
        },
    }


def plan_from_json(doc: Any, where: str) -> FixPlan:
    """A plan read back from its JSON; raises SourceError naming what is wrong."""
    try:
        if doc.get("schema") != SCHEMA:
            raise SourceError(f"{where}: not a {SCHEMA} plan (schema {doc.get('schema')!r})")
        snap = doc["snapshot"]
        baseline = PlanBaseline(
            source=str(snap.get("source", "")),
            accounts=tuple(snap.get("accounts", ())),
            regions=tuple(snap.get("regions", ())),
            route_tables=tuple(
                TableBaseline(id=t["id"], routes=tuple(t["routes"])) for t in snap["route_tables"]
            ),
            endpoints=tuple(
                EndpointBaseline(
                    id=e["id"], route_table_ids=tuple(e["route_table_ids"]), policy=e["policy"]
                )
                for e in snap["endpoints"]
            ),
            prefix_lists=tuple(
                (p["region"], p["service"], p["prefix_list_id"]) for p in snap["prefix_lists"]
            ),
        )
        actions = tuple(_read_action(a) for a in doc["actions"])
        not_fixed = tuple(
            NotFixed(finding_id=n["finding_id"], why=n["why"], command=n["command"])
            for n in doc["not_fixed"]
        )
        return FixPlan(
            generated_at=str(doc["generated_at"]),
            baseline=baseline,
            actions=actions,
            not_fixed=not_fixed,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceError(
            f"{where}: not a valid {SCHEMA} plan ({type(exc).__name__}: {exc})"
        ) from exc


def _read_action(raw: dict[str, Any]) -> FixAction:
    region = str(raw["region"])
    service_name = str(raw["service_name"])
    prefix = f"com.amazonaws.{region}."
    if not service_name.startswith(prefix):
        raise ValueError(f"service_name {service_name!r} is not in region {region}")
    check = raw.get("policy_check")
    return FixAction(
        id=str(raw["id"]),
        kind=ActionKind(raw["action"]),
        account_id=str(raw["account_id"]),
        region=region,
        vpc_id=str(raw["vpc_id"]),
        service=service_name[len(prefix) :],
        vpc_endpoint_id=raw["vpc_endpoint_id"],
        route_table_ids=tuple(raw["route_table_ids"]),
        policy=json.dumps(raw["policy"], indent=2) if raw["policy"] is not None else None,
        finding_ids=tuple(raw["finding_ids"]),
        policy_verdict=None
        if check is None
        else PolicyVerdict(
            passes=bool(check["passes"]),
            breaks=tuple(check["breaks"]),
            perimeter_gaps=tuple(check["perimeter_gaps"]),
            source=str(check.get("source", "")),
        ),
        policy_changes=tuple(raw.get("policy_changes", ())),
    )
