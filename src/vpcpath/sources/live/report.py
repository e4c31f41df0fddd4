"""What a collection was asked to do and what it did: options, skips, counts, summary lines.

Partial results are values (after pip-audit's ``SkippedDependency``): every refusal is a
:class:`Skip` naming the account, region and IAM action, the AWS error and what the snapshot
lacks because of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from vpcpath.sources.live.session import CallerIdentity, RetrySettings

DEFAULT_WORKERS = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectOptions:
    profile: str | None = None
    regions: tuple[str, ...] = ()  # empty: each account's enabled regions
    role_arn: str | None = None  # may hold {account}
    accounts: tuple[str, ...] = ()
    organization: bool = False
    external_id: str | None = None
    strict: bool = False  # any skip is fatal
    workers: int = DEFAULT_WORKERS  # account/region pairs read at once
    page_size: int | None = None  # items per page (None: AWS's default); smaller avoids timeouts
    retries: RetrySettings | None = None  # None: the AWS configuration's, else adaptive/10


class SkipScope(StrEnum):
    ACCOUNT = "account"
    REGION = "region"
    CALL = "call"


@dataclass(frozen=True, slots=True, kw_only=True)
class Skip:
    scope: SkipScope
    account: str
    region: str | None
    action: str  # the IAM action AWS refused, e.g. ec2:DescribeNatGateways
    code: str  # the AWS error code (UnauthorizedOperation, AccessDenied, …)
    reason: str  # the AWS error message
    missing: str  # what the snapshot lacks because of it

    @property
    def where(self) -> str:
        return f"{self.account}/{self.region}" if self.region else self.account

    def describe(self, *, max_reason: int = 160) -> str:
        reason = self.reason if len(self.reason) <= max_reason else self.reason[:max_reason] + "…"
        detail = f"{self.code}: {reason}" if reason else self.code
        return f"{self.where}: missing {self.missing} — {self.action} refused ({detail})"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallCount:
    account: str
    region: str
    action: str
    requests: int  # pages fetched, retries not counted
    items: int  # items written


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountReport:
    account_id: str
    name: str | None
    role_arn: str | None  # None: read with the caller's own credentials
    regions: tuple[str, ...]  # regions read or attempted (refusals are in the skips)
    skipped: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Collection:
    started_at: datetime
    finished_at: datetime
    caller: CallerIdentity
    retries: RetrySettings
    accounts: tuple[AccountReport, ...]
    calls: tuple[CallCount, ...]
    resources: tuple[tuple[str, int], ...]  # (kind, count), sorted
    skips: tuple[Skip, ...]
    iam_actions: tuple[str, ...]  # every IAM action used, sorted
    files: int

    @property
    def partial(self) -> bool:
        return bool(self.skips)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({r for a in self.accounts for r in a.regions}))

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def requests(self) -> int:
        return sum(c.requests for c in self.calls)


def summary_lines(collection: Collection) -> list[str]:
    """A few lines for people: scope, time, resources per kind, skips."""
    accounts = [a for a in collection.accounts if not a.skipped]
    lines = [
        f"Read {len(accounts)} account(s), {len(collection.regions)} region(s) in "
        f"{collection.seconds:.1f} s: {collection.requests} requests, {collection.files} files.",
    ]
    if collection.resources:
        kinds = ", ".join(f"{count} {kind}" for kind, count in collection.resources if count)
        lines.append(f"  resources: {kinds or 'none'}")
    if collection.skips:
        lines.append(f"  skipped: {len(collection.skips)} (see below)")
    return lines


def missing_lines(collection: Collection) -> list[str]:
    """One line per skip: exactly what the snapshot lacks and why."""
    if not collection.skips:
        return []
    lines = [f"Partial snapshot: {len(collection.skips)} part(s) could not be read:"]
    lines.extend(f"  {skip.describe()}" for skip in collection.skips)
    return lines
