"""What ``apply`` did, written after every step, so a rerun knows where to resume.

One file per run, ``apply-<UTC time>.json`` in the journal folder, rewritten atomically after
each entry (a run killed mid-way leaves a valid file). A rerun reads every journal in the
folder that belongs to the same plan (the plan's digest) and skips what they record as done.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vpcpath.errors import SourceError

SCHEMA = "vpcpath.apply-journal/1"
DONE = frozenset({"done", "already-in-place"})


def plan_digest(plan_doc: dict[str, Any]) -> str:
    """A fingerprint of what a plan asks for (its actions and the snapshot it was made from)."""
    core = {k: plan_doc.get(k) for k in ("generated_at", "snapshot", "actions")}
    text = json.dumps(core, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(slots=True, kw_only=True)
class JournalEntry:
    action_id: str
    action: str
    status: str  # done, already-in-place, drift, failed, dry-run, dry-run-refused, other-account
    time: str
    message: str = ""
    request: dict[str, Any] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "action_id": self.action_id,
            "action": self.action,
            "status": self.status,
            "time": self.time,
            "message": self.message,
            "request": self.request,
            "response": self.response,
            "before": self.before,
            "after": self.after,
        }


class Journal:
    """The journal of one run (None folder: a dry run, kept in memory)."""

    def __init__(self, folder: Path | None, digest: str, started: datetime) -> None:
        self.folder = folder
        self.digest = digest
        self.started = started.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.entries: list[JournalEntry] = []
        self.path = (
            folder / f"apply-{started.strftime('%Y%m%dT%H%M%S%fZ')}.json" if folder else None
        )

    def append(self, entry: JournalEntry) -> None:
        self.entries.append(entry)
        if self.path is None:
            return
        doc = {
            "schema": SCHEMA,
            "plan_digest": self.digest,
            "started_at": self.started,
            "entries": [e.to_json() for e in self.entries],
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
            tmp.replace(self.path)
        except OSError as exc:
            raise SourceError(f"--journal {self.path}: cannot write ({exc.strerror})") from exc


def earlier_entries(folder: Path, digest: str) -> list[dict[str, Any]]:
    """Every entry of every earlier journal of this plan in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    entries: list[dict[str, Any]] = []
    for path in sorted(folder.glob("apply-*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceError(f"{path}: not a readable apply journal ({exc})") from exc
        if doc.get("schema") == SCHEMA and doc.get("plan_digest") == digest:
            entries.extend(doc.get("entries", []))
    return entries
