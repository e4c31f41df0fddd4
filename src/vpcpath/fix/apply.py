"""``apply``: make a plan's changes in AWS, one action at a time, safely.

- Dry run (the default): every write is sent with ``DryRun=True`` and AWS's answer is
  reported; a write that EC2 carries out anyway stops the run (an emulator may ignore DryRun).
- Before each action the route tables and endpoint it touches are read again and compared with
  the plan's snapshot; any difference other than this plan's own additions stops the run
  before the action (drift).
- Writes only add: CreateVpcEndpoint, ModifyVpcEndpoint ``AddRouteTableIds`` or
  ``PolicyDocument``. No route is ever deleted or replaced.
- After a route-table change, the tables are read until the endpoint's prefix-list route is
  ``active`` ("Gateway endpoints" → "Routing": the route is added when the table is associated),
  a bounded wait with progress.
- Every step goes to the journal; a rerun skips what an earlier run of the same plan did and
  knows the endpoints it created from it, so nothing is created twice. An endpoint of the
  service that no journal explains is drift: apply stops rather than create a second one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vpcpath.errors import ApplyError
from vpcpath.fix.actions import ActionKind, FixAction, FixPlan
from vpcpath.fix.journal import DONE, Journal, JournalEntry
from vpcpath.fix.plan import route_text
from vpcpath.model import RouteTable, VpcEndpoint
from vpcpath.sources.live.ec2_writes import DryRunAnswer, Ec2Writes

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplyOptions:
    execute: bool  # False: dry run
    wait_attempts: int = 60
    wait_seconds: float = 2.0


@dataclass(slots=True, kw_only=True)
class ApplyOutcome:
    entries: list[JournalEntry] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped before the end

    @property
    def complete(self) -> bool:
        return self.stopped is None and all(e.status in (*DONE, "dry-run") for e in self.entries)


@dataclass(frozen=True, slots=True)
class _State:
    tables: Mapping[str, RouteTable]
    endpoint: VpcEndpoint | None  # the action's endpoint (ours, for create), if it exists
    others: tuple[str, ...]  # create: gateway endpoints of the service not made by this action


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _same_policy(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return a == b


def apply_plan(
    plan: FixPlan,
    *,
    digest: str,
    writer_for: Callable[[str, str], Ec2Writes],
    journal: Journal,
    earlier: Iterable[Mapping[str, Any]] = (),
    options: ApplyOptions,
    progress: Progress = lambda _: None,
    sleep: Callable[[float], None] = lambda _: None,
    account_id: str | None = None,
) -> ApplyOutcome:
    """Make (or dry-run) each action in order; ``account_id`` is the credentials' account:
    actions of other accounts are left for a run with their credentials."""
    earlier = list(earlier)
    done_before = {str(e["action_id"]) for e in earlier if e.get("status") in DONE}
    created = {
        str(e["action_id"]): str(e["response"]["vpc_endpoint_id"])
        for e in earlier
        if e.get("response", {}).get("vpc_endpoint_id")
    }
    outcome = ApplyOutcome()

    def record(entry: JournalEntry) -> None:
        journal.append(entry)
        outcome.entries.append(entry)

    for number, action in enumerate(plan.actions, 1):
        label = f"[{number}/{len(plan.actions)}] {action.id}"
        if options.execute and action.id in done_before:
            progress(f"{label}: done by an earlier run, skipped")
            continue
        if account_id is not None and action.account_id != account_id:
            progress(f"{label}: in account {action.account_id}, not {account_id}: left")
            record(
                _entry(
                    action,
                    "other-account",
                    f"{action.vpc_id} is in account {action.account_id}; these credentials are "
                    f"account {account_id}'s: run apply again with that account's credentials",
                )
            )
            continue
        ec2 = writer_for(action.region, action.account_id)
        try:
            state = _read(ec2, action, created)
            if state.endpoint is not None and action.kind is ActionKind.CREATE_GATEWAY_ENDPOINT:
                created[action.id] = state.endpoint.id
            before = _describe(state)
            drift = _drift(plan, action, state, own=_own_endpoints(plan, created))
            if drift:
                record(_entry(action, "drift", drift, before=before))
                outcome.stopped = f"{action.id}: {drift}"
                return outcome
            if _in_place(action, state):
                progress(f"{label}: already in place")
                record(_entry(action, "already-in-place", "", before=before, after=before))
                continue
            progress(f"{label}: {'calling' if options.execute else 'dry run of'} EC2")
            request, answer = _write(ec2, action, state, digest, dry_run=not options.execute)
            if isinstance(answer, DryRunAnswer):
                status = "dry-run" if answer.would_succeed else "dry-run-refused"
                record(_entry(action, status, answer.detail, request=request, before=before))
                continue
            endpoint_id = answer
            if action.kind is ActionKind.CREATE_GATEWAY_ENDPOINT:
                created[action.id] = endpoint_id
            response = {"vpc_endpoint_id": endpoint_id}
            after = _wait(ec2, plan, action, endpoint_id, options, progress, sleep, label)
            record(
                _entry(
                    action,
                    "done",
                    "",
                    request=request,
                    response=response,
                    before=before,
                    after=after,
                )
            )
        except ApplyError as exc:
            record(_entry(action, "failed", str(exc)))
            outcome.stopped = f"{action.id}: {exc}"
            return outcome
    return outcome


def _entry(action: FixAction, status: str, message: str, **parts: dict[str, Any]) -> JournalEntry:
    return JournalEntry(
        action_id=action.id,
        action=str(action.kind),
        status=status,
        time=_now(),
        message=message,
        **parts,
    )


def _read(ec2: Ec2Writes, action: FixAction, created: Mapping[str, str]) -> _State:
    tables = ec2.route_tables(action.route_table_ids) if action.route_table_ids else {}
    if action.kind is not ActionKind.CREATE_GATEWAY_ENDPOINT:
        assert action.vpc_endpoint_id is not None
        return _State(tables=tables, endpoint=ec2.endpoint(action.vpc_endpoint_id), others=())
    ours: VpcEndpoint | None = None
    others: list[str] = []
    for endpoint in ec2.gateway_endpoints(action.vpc_id):
        if endpoint.service_name != action.service_name:
            continue
        if created.get(action.id) == endpoint.id:
            ours = endpoint
        else:
            others.append(endpoint.id)
    return _State(tables=tables, endpoint=ours, others=tuple(sorted(others)))


def _own_endpoints(plan: FixPlan, created: Mapping[str, str]) -> frozenset[str]:
    existing = {a.vpc_endpoint_id for a in plan.actions if a.vpc_endpoint_id}
    return frozenset(existing | set(created.values()))


def _drift(plan: FixPlan, action: FixAction, state: _State, *, own: frozenset[str]) -> str:
    """What differs from the plan's snapshot, beyond this plan's own additions; "" if nothing."""
    for table_id in action.route_table_ids:
        seen = plan.baseline.table(table_id)
        live = state.tables.get(table_id)
        if live is None:
            return f"route table {table_id} no longer exists"
        if seen is None:
            return f"the plan has no record of {table_id}; make the plan again"
        routes = {route_text(r) for r in live.routes}
        ours = {route_text(r) for r in live.routes if _own_route(r, own)}
        missing = sorted(set(seen.routes) - routes)
        added = sorted(routes - set(seen.routes) - ours)
        if missing or added:
            what = "; ".join(
                [f"route {r} is gone" for r in missing] + [f"route {r} was added" for r in added]
            )
            return f"{table_id} changed since the plan was made ({what})"
    if action.kind is ActionKind.CREATE_GATEWAY_ENDPOINT:
        if state.others:
            return (
                f"{action.vpc_id} now has gateway endpoint {', '.join(state.others)} for "
                f"{action.service}; the plan saw none and no journal of this plan made it"
            )
        return ""
    return _endpoint_drift(plan, action, state.endpoint)


def _own_route(route: Any, own: frozenset[str]) -> bool:
    return route.prefix_list_id is not None and route.target_id in own


def _endpoint_drift(plan: FixPlan, action: FixAction, endpoint: VpcEndpoint | None) -> str:
    assert action.vpc_endpoint_id is not None
    seen = plan.baseline.endpoint(action.vpc_endpoint_id)
    if endpoint is None or seen is None:
        return f"{action.vpc_endpoint_id} is not as the plan saw it"
    same_endpoint = [a for a in plan.actions if a.vpc_endpoint_id == endpoint.id]
    allowed = set(seen.route_table_ids) | {t for a in same_endpoint for t in a.route_table_ids}
    live = set(endpoint.route_table_ids)
    if not set(seen.route_table_ids) <= live or not live <= allowed:
        return (
            f"{endpoint.id}'s route tables changed since the plan was made (plan saw "
            f"{', '.join(seen.route_table_ids) or 'none'}; now {', '.join(sorted(live)) or 'none'})"
        )
    policies = [seen.policy, *(a.policy for a in same_endpoint if a.policy is not None)]
    if seen.policy is not None and not any(
        _same_policy(endpoint.policy_document, p) for p in policies
    ):
        return f"{endpoint.id}'s policy changed since the plan was made"
    return ""


def _in_place(action: FixAction, state: _State) -> bool:
    endpoint = state.endpoint
    if endpoint is None:
        return False
    if action.kind is ActionKind.UPDATE_ENDPOINT_POLICY:
        return _same_policy(endpoint.policy_document, action.policy)
    return set(action.route_table_ids) <= set(endpoint.route_table_ids)


def _write(
    ec2: Ec2Writes, action: FixAction, state: _State, digest: str, *, dry_run: bool
) -> tuple[dict[str, Any], str | DryRunAnswer]:
    endpoint = state.endpoint
    if action.kind is ActionKind.UPDATE_ENDPOINT_POLICY:
        assert endpoint is not None and action.policy is not None
        request: dict[str, Any] = {
            "call": "ModifyVpcEndpoint",
            "VpcEndpointId": endpoint.id,
            "PolicyDocument": action.policy,
        }
        set_answer = ec2.set_policy(endpoint.id, action.policy, dry_run=dry_run)
        return request, set_answer or endpoint.id
    if endpoint is not None:  # associate, or resume a create whose endpoint exists
        missing = [t for t in action.route_table_ids if t not in endpoint.route_table_ids]
        request = {
            "call": "ModifyVpcEndpoint",
            "VpcEndpointId": endpoint.id,
            "AddRouteTableIds": missing,
        }
        added = ec2.add_route_tables(endpoint.id, missing, dry_run=dry_run)
        return request, added or endpoint.id
    token = hashlib.sha256(f"{digest}:{action.id}".encode()).hexdigest()[:32]
    request = {
        "call": "CreateVpcEndpoint",
        "VpcId": action.vpc_id,
        "ServiceName": action.service_name,
        "RouteTableIds": list(action.route_table_ids),
        "ClientToken": token,
    }
    created = ec2.create_gateway_endpoint(
        vpc_id=action.vpc_id,
        service_name=action.service_name,
        route_table_ids=action.route_table_ids,
        policy=action.policy,
        client_token=token,
        dry_run=dry_run,
    )
    return request, created


def _describe(state: _State) -> dict[str, Any]:
    endpoint = state.endpoint
    return {
        "route_tables": {
            t.id: sorted(route_text(r) for r in t.routes)
            for t in sorted(state.tables.values(), key=lambda t: t.id)
        },
        "endpoint": None
        if endpoint is None
        else {
            "id": endpoint.id,
            "route_table_ids": sorted(endpoint.route_table_ids),
            "policy": endpoint.policy_document,
        },
    }


def _wait(
    ec2: Ec2Writes,
    plan: FixPlan,
    action: FixAction,
    endpoint_id: str,
    options: ApplyOptions,
    progress: Progress,
    sleep: Callable[[float], None],
    label: str,
) -> dict[str, Any]:
    """Read the tables until each has the endpoint's prefix-list route, active."""
    prefix_list = next(
        (p for r, s, p in plan.baseline.prefix_lists if (r, s) == (action.region, action.service)),
        None,
    )
    pending = list(action.route_table_ids)
    for attempt in range(1, options.wait_attempts + 1):
        tables = ec2.route_tables(action.route_table_ids) if action.route_table_ids else {}
        pending = [
            t
            for t in action.route_table_ids
            if not _has_route(tables.get(t), endpoint_id, prefix_list)
        ]
        if not pending:
            endpoint = ec2.endpoint(endpoint_id)
            return _describe(_State(tables=tables, endpoint=endpoint, others=()))
        progress(
            f"{label}: waiting for the route to {endpoint_id} in {', '.join(pending)} "
            f"(check {attempt}/{options.wait_attempts})"
        )
        sleep(options.wait_seconds)
    raise ApplyError(
        f"the route to {endpoint_id} did not become active in {', '.join(pending)} after "
        f"{options.wait_attempts} checks; run apply again to resume"
    )


def _has_route(table: RouteTable | None, endpoint_id: str, prefix_list: str | None) -> bool:
    if table is None:
        return False
    return any(
        r.target_id == endpoint_id
        and r.prefix_list_id is not None
        and (prefix_list is None or r.prefix_list_id == prefix_list)
        and r.state == "active"
        for r in table.routes
    )
