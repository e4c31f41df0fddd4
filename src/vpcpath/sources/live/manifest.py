"""``manifest.json``: what a snapshot holds and what it lacks (docs/architecture.md "The snapshot
folder").

The loader skips it (its ``schema`` starts with ``vpcpath.``); people and scripts read it to see
the tool version, when and by whom the snapshot was taken, which accounts and regions it covers,
how many requests and items each call gave, and every skip with its reason.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vpcpath import __version__
from vpcpath.sources.live.report import Collection

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "vpcpath.snapshot-manifest/1"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_document(collection: Collection) -> dict[str, Any]:
    return {
        "schema": MANIFEST_SCHEMA,
        "tool": {"name": "vpcpath", "version": __version__},
        "started_at": _utc(collection.started_at),
        "finished_at": _utc(collection.finished_at),
        "caller": {"account": collection.caller.account, "arn": collection.caller.arn},
        "partial": collection.partial,
        "accounts": [
            {
                "id": a.account_id,
                "name": a.name,
                "role_arn": a.role_arn,
                "regions": list(a.regions),
                "skipped": a.skipped,
            }
            for a in collection.accounts
        ],
        "regions": list(collection.regions),
        "retries": {
            "mode": collection.retries.mode,
            "max_attempts": collection.retries.max_attempts,
        },
        "calls": [
            {
                "account": c.account,
                "region": c.region,
                "action": c.action,
                "requests": c.requests,
                "items": c.items,
            }
            for c in collection.calls
        ],
        "resources": dict(collection.resources),
        "skipped": [
            {
                "scope": str(s.scope),
                "account": s.account,
                "region": s.region,
                "action": s.action,
                "error": s.code,
                "reason": s.reason,
                "missing": s.missing,
            }
            for s in collection.skips
        ],
        "iam_actions": list(collection.iam_actions),
    }


def write_manifest(folder: Path, collection: Collection) -> Path:
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(manifest_document(collection), indent=2) + "\n", encoding="utf-8")
    return path
