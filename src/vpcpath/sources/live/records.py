"""The tallies of one collection, kept by many worker threads: files, counts, skips, progress."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from vpcpath.errors import AwsError
from vpcpath.sources.live.calls import AwsCall
from vpcpath.sources.live.fetch import Denied
from vpcpath.sources.live.progress import ProgressCallback, RegionProgress
from vpcpath.sources.live.report import CallCount, Skip, SkipScope


@dataclass(slots=True)
class RegionState:
    """Where one account/region job is; only its own worker thread changes it."""

    account: str
    region: str
    total: int
    done: int = 0
    skipped: int = 0


class Records:
    def __init__(self, *, strict: bool, progress: ProgressCallback | None) -> None:
        self.strict = strict
        self.progress = progress
        self.resources: Counter[str] = Counter()
        self.files = 0
        self._skips: list[Skip] = []
        self._counts: dict[tuple[str, str, str], list[int]] = {}  # → [requests, items]
        self._lock = threading.Lock()
        self._progress_lock = threading.Lock()

    def skip(
        self, scope: SkipScope, account: str, region: str | None, denied: Denied, missing: str
    ) -> None:
        """Record a refusal; with ``strict`` it ends the collection instead."""
        skip = Skip(
            scope=scope,
            account=account,
            region=region,
            action=denied.action,
            code=denied.code,
            reason=denied.message,
            missing=missing,
        )
        if self.strict:
            raise AwsError(f"--strict: {skip.describe()}")
        with self._lock:
            self._skips.append(skip)

    def requests(self, state: RegionState, call: AwsCall, count: int) -> None:
        with self._lock:
            self._counter(state, call)[0] += count

    def save(
        self, folder: Path, name: str, body: dict[str, Any], call: AwsCall, state: RegionState
    ) -> None:
        """Write one raw answer as the AWS CLI prints it, and count its items."""
        items = item_count(call, body)
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(body, indent=4, ensure_ascii=False, default=_json_value) + "\n"
        (folder / name).write_text(text, encoding="utf-8")
        with self._lock:
            self.files += 1
            self.resources[call.kind or call.result_key or call.operation] += items
            self._counter(state, call)[1] += items

    def _counter(self, state: RegionState, call: AwsCall) -> list[int]:
        return self._counts.setdefault((state.account, state.region, call.iam_action), [0, 0])

    def report(self, state: RegionState, operation: str | None, *, finished: bool = False) -> None:
        if self.progress is None:
            return
        event = RegionProgress(
            account=state.account,
            region=state.region,
            done=state.done,
            total=state.total,
            operation=operation,
            finished=finished,
            skipped=state.skipped,
        )
        with self._progress_lock:  # one callback at a time: renderers need no locks
            self.progress(event)

    def call_counts(self) -> tuple[CallCount, ...]:
        with self._lock:
            return tuple(
                CallCount(account=a, region=r, action=action, requests=c[0], items=c[1])
                for (a, r, action), c in sorted(self._counts.items())
            )

    def skips(self) -> tuple[Skip, ...]:
        with self._lock:
            return tuple(sorted(self._skips, key=lambda s: (s.account, s.region or "", s.action)))


def item_count(call: AwsCall, body: dict[str, Any]) -> int:
    if call.result_key is None:
        return 1 if body else 0
    items = body.get(call.result_key, [])
    if call.result_key == "Reservations":
        return sum(len(r.get("Instances", [])) for r in items)
    return len(items) if isinstance(items, list) else 0


def _json_value(value: object) -> object:
    """Timestamps as the AWS CLI prints them (ISO 8601 with offset)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", errors="replace")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
