"""Accepted findings in every format: what was suppressed, what expired, what is stale."""

from __future__ import annotations

from typing import Any

from vpcpath.audit.baseline import Accepted, BaselineOutcome


def _entry(a: Accepted) -> dict[str, Any]:
    return {
        "id": a.id,
        "reason": a.reason,
        "expires": a.expires.isoformat() if a.expires else None,
    }


def baseline_to_json(outcome: BaselineOutcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {
        "file": outcome.source,
        "suppressed": [
            {**_entry(s.accepted), "finding_id": s.finding.id, "title": s.finding.title}
            for s in outcome.suppressed
        ],
        "expired": [_entry(a) for a in outcome.expired],
        "stale": [_entry(a) for a in outcome.stale],
    }


def baseline_lines(outcome: BaselineOutcome | None, *, markdown: bool = False) -> list[str]:
    """Plain lines (or Markdown list items) for the end of a text report."""
    if outcome is None:
        return []
    code = (lambda t: f"`{t}`") if markdown else (lambda t: t)
    bullet = "- " if markdown else "  "
    lines: list[str] = []
    if outcome.suppressed:
        lines.append(
            f"{len(outcome.suppressed)} accepted finding(s), suppressed by {outcome.source}:"
        )
        for s in outcome.suppressed:
            until = f", until {s.accepted.expires}" if s.accepted.expires else ""
            lines.append(f"{bullet}{code(s.finding.id)}: {s.accepted.reason}{until}")
    for a in outcome.expired:
        lines.append(f"accepted {code(a.id)} expired on {a.expires} ({a.source}): reported again")
    for a in outcome.stale:
        lines.append(f"stale entry {code(a.id)} in {a.source}: matches no finding; remove it")
    return lines
