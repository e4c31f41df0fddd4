"""``vpcpath fix --format plan``: the plan for people — actions, the proof, money, what is left."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from vpcpath.fix.actions import ActionKind, FixAction, FixPlan
from vpcpath.fix.money import ActionMoney, MovedMoney
from vpcpath.fix.what_if import LegChange, WhatIf
from vpcpath.report.money_format import size, usd
from vpcpath.report.style import Style

_LABEL = {"s3": "S3", "dynamodb": "DynamoDB"}


def render_fix_plan(
    plan: FixPlan,
    what_if: WhatIf,
    money: MovedMoney | None,
    style: Style,
    price_note: str = "",
) -> str:
    lines: list[str] = []
    verdict = (
        style.paint("the proof holds", "green")
        if what_if.holds
        else style.paint("THE PROOF FAILS", "red", "bold")
    )
    lines.append(
        style.paint(
            f"vpcpath fix: {len(plan.actions)} action(s), {len(plan.not_fixed)} finding(s) not "
            "fixed",
            "bold",
        )
        + f" — {verdict}"
    )
    if price_note:
        lines.append(price_note)
    by_action = {m.action_id: m for m in money.actions} if money else {}
    for number, action in enumerate(plan.actions, 1):
        lines.append("")
        lines.extend(_action_lines(number, action, what_if, by_action.get(action.id), style))
    lines.append("")
    lines.extend(_proof_lines(what_if, style))
    if money is not None:
        bound = " (upper bound)" if money.upper_bound else ""
        lines.append(
            f"Money: {style.paint(usd(money.usd_per_month), 'bold')}/month"
            f"{bound} ({size(money.bytes_per_month)}/month) moves from NAT to gateway endpoints "
            f"— {money.basis}."
        )
    else:
        lines.append(
            "Money: not priced; add --flow-logs PATH (exact) or --cloudwatch (upper bound)."
        )
    if plan.not_fixed:
        lines.append("")
        lines.append(style.paint("Not fixed:", "bold"))
        for item in plan.not_fixed:
            lines.append(f"  - {item.finding_id}: {item.why}")
            if item.command:
                lines.append(f"      {style.paint('$ ' + item.command, 'dim')}")
    return style.fit("\n".join(lines))


def _action_lines(
    number: int,
    action: FixAction,
    what_if: WhatIf,
    money: ActionMoney | None,
    style: Style,
) -> list[str]:
    label = _LABEL.get(action.service, action.service)
    where = f"{label}, {action.region}, {action.vpc_id}"
    article = "an" if label == "S3" else "a"
    head = {
        ActionKind.CREATE_GATEWAY_ENDPOINT: f"create {article} {label} gateway endpoint ({where})",
        ActionKind.ASSOCIATE_ROUTE_TABLES: f"associate {action.vpc_endpoint_id} ({where})",
        ActionKind.UPDATE_ENDPOINT_POLICY: f"update the policy of {action.vpc_endpoint_id} "
        f"({where})",
    }[action.kind]
    lines = [style.paint(f"{number}. {head}", "bold")]
    if action.route_table_ids:
        lines.append(f"   route tables: {', '.join(action.route_table_ids)}")
    lines.append(f"   fixes: {', '.join(action.finding_ids)}")
    moved = what_if.moved_subnets(action.id)
    if moved:
        text = f"   moves {len(moved)} subnet(s) to the gateway endpoint: {', '.join(moved)}"
        if money is not None:
            text += f" — {usd(money.usd_per_month)}/month ({size(money.bytes_per_month)})"
        lines.append(text)
    for change in action.policy_changes:
        lines.append(f"   policy: {change}")
    verdict = action.policy_verdict
    if verdict is not None:
        state = style.paint("passes", "green") if verdict.passes else style.paint("BREAKS", "red")
        extra = f"; breaks {', '.join(verdict.breaks)}" if verdict.breaks else ""
        gaps = (
            f"; perimeter gaps (allowed, a data perimeter would deny): "
            f"{', '.join(verdict.perimeter_gaps)}"
            if verdict.perimeter_gaps
            else ""
        )
        lines.append(f"   policy: {verdict.source}; policy check {state}{extra}{gaps}")
    return lines


def _proof_lines(what_if: WhatIf, style: Style) -> list[str]:
    planned = [c for c in what_if.changes if c.action_id is not None]
    lines = [
        f"What-if: {len(what_if.subnets)} subnet(s) traced to {len(what_if.destinations)} "
        f"destination(s) before and after; {len(planned)} leg(s) change, as planned:"
    ]
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for change in planned:
        key = (change.leg, str(change.old_verdict), str(change.new_verdict))
        grouped[key].append(change.subnet_id)
    for (leg, old, new), subnets in sorted(grouped.items()):
        lines.append(f"   {leg}: {old} → {new} from {len(set(subnets))} subnet(s)")
    for change in what_if.unexpected:
        lines.append(style.paint(f"   UNEXPECTED: {_change_text(change)}", "red", "bold"))
    for problem in what_if.problems:
        lines.append(style.paint(f"   cannot prove: {problem}", "red"))
    return lines


def _change_text(change: LegChange) -> str:
    cidrs = ", ".join(str(c) for c in change.cidrs[:3])
    more = f" (+{len(change.cidrs) - 3})" if len(change.cidrs) > 3 else ""
    return (
        f"{change.subnet_id} → {change.destination} ({change.leg}): {change.old_verdict} → "
        f"{change.new_verdict} for {cidrs}{more}"
    )


def render_what_if_json(what_if: Mapping[str, Any] | None) -> str:
    """The proof a plan file carries (its ``what_if``), in a few lines: for apply's dry run."""
    if not what_if:
        return "What-if: the plan file carries none (make it with `vpcpath fix --format json`)."
    grouped: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for change in what_if.get("changes", []):
        grouped[(change["leg"], change["from"], change["to"])].add(change["subnet_id"])
    state = "holds" if what_if.get("holds") else "DOES NOT HOLD"
    lines = [
        f"What-if ({state}): {len(what_if.get('subnets', []))} subnet(s) traced; the legs that "
        "change:"
    ]
    for (leg, old, new), subnets in sorted(grouped.items()):
        lines.append(f"   {leg}: {old} → {new} from {len(subnets)} subnet(s)")
    money = what_if.get("money")
    if money:
        bound = " (upper bound)" if money.get("upper_bound") else ""
        lines.append(
            f"   {usd(money['usd_per_month'])}/month{bound} moves from NAT to gateway endpoints"
        )
    return "\n".join(lines)
