"""Read an estate from AWS into a snapshot folder (DESIGN.md "Snapshot folder").

For each account (the caller's, one role, a list, or the whole organization) and each region
(given, or the account's enabled ones) it runs the calls of ``calls.py`` and writes each raw
answer, every page merged, to ``<dest>/<account>/<region>/<aws-cli-command>.json`` — the files
the offline loader reads. Account/region pairs run in parallel; a refused call, region or account
becomes a :class:`Skip` with its reason and the rest goes on (``--strict`` makes it fatal).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from vpcpath.errors import AwsError, UsageError
from vpcpath.sources.live import calls
from vpcpath.sources.live.calls import AwsCall
from vpcpath.sources.live.fetch import Answer, Denied, Gone, fetch
from vpcpath.sources.live.guard import ReadOnlyGuard
from vpcpath.sources.live.organizations import (
    AccountTarget,
    account_targets,
    check_account_flags,
    list_organization_accounts,
)
from vpcpath.sources.live.progress import ProgressCallback, RegionProgress
from vpcpath.sources.live.report import (
    AccountReport,
    CallCount,
    Collection,
    CollectOptions,
    Skip,
    SkipScope,
)
from vpcpath.sources.live.session import (
    ROLE_SESSION_NAME,
    CallerIdentity,
    ReadOnlySession,
)

REGION_NAME_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
# Re-assume a role when its credentials have less than this left (they last an hour).
_CREDENTIALS_MARGIN = timedelta(minutes=10)
_ENABLED_OPT_IN = frozenset({"opt-in-not-required", "opted-in"})
T = TypeVar("T")


def collect(
    options: CollectOptions,
    dest: Path,
    *,
    progress: ProgressCallback | None = None,
    guard: ReadOnlyGuard | None = None,
) -> Collection:
    """Collect into the existing folder ``dest``; returns what was read and what was skipped."""
    check_account_flags(
        role_arn=options.role_arn, accounts=options.accounts, organization=options.organization
    )
    for region in options.regions:
        if not REGION_NAME_RE.match(region):
            raise UsageError(f"--regions: {region!r} is not a region name (like us-east-1)")
    if options.workers < 1:
        raise UsageError("--workers must be at least 1")
    started = datetime.now(UTC)
    guard = guard or ReadOnlyGuard()
    base = ReadOnlySession.from_profile(options.profile, guard=guard, retries=options.retries)
    run = _Run(options, dest, base, progress)
    caller = run.caller_identity()
    organization = list_organization_accounts(base) if options.organization else None
    targets = account_targets(
        caller=caller,
        role_arn=options.role_arn,
        accounts=options.accounts,
        organization_accounts=organization,
    )
    accounts = run.execute(targets)
    return Collection(
        started_at=started,
        finished_at=datetime.now(UTC),
        caller=caller,
        retries=base.retries,
        accounts=accounts,
        calls=run.call_counts(),
        resources=tuple(sorted(run.resources.items())),
        skips=tuple(sorted(run.skips, key=lambda s: (s.account, s.region or "", s.action))),
        iam_actions=tuple(sorted(guard.used_actions)),
        files=run.files,
    )


class _Stopped(Exception):
    """Another job failed or the user pressed Ctrl-C: stop at the next call."""


@dataclass(slots=True)
class _AccountAccess:
    target: AccountTarget
    session: ReadOnlySession | None
    regions: tuple[str, ...] = ()


@dataclass(slots=True)
class _RegionState:
    account: str
    region: str
    total: int
    done: int = 0
    skipped: int = 0


class _Run:
    """The mutable state of one collection; shared by the worker threads under a lock."""

    def __init__(
        self,
        options: CollectOptions,
        dest: Path,
        base: ReadOnlySession,
        progress: ProgressCallback | None,
    ) -> None:
        self.options = options
        self.dest = dest
        self.base = base
        self.progress = progress
        self.skips: list[Skip] = []
        self.resources: Counter[str] = Counter()
        self.files = 0
        self._counts: dict[tuple[str, str, str], list[int]] = {}
        self._lock = threading.Lock()
        self._progress_lock = threading.Lock()
        self._stop = threading.Event()

    # -- phases ------------------------------------------------------------------------------

    def caller_identity(self) -> CallerIdentity:
        sts = self.base.client("sts", self.base.home_region)
        try:
            answer = fetch(sts, calls.CALLER_IDENTITY_CALL, {}, where="caller")
        except (Denied, Gone) as exc:
            raise AwsError(f"cannot tell who is calling: {exc}") from exc
        return CallerIdentity(account=str(answer.body["Account"]), arn=str(answer.body["Arn"]))

    def execute(self, targets: Sequence[AccountTarget]) -> tuple[AccountReport, ...]:
        workers = self.options.workers
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vpcpath") as pool:
            accesses = self._all(pool, [pool.submit(self._prepare, t) for t in targets])
            jobs = [
                pool.submit(self._collect_region, access, region)
                for access in accesses
                for region in access.regions
            ]
            self._all(pool, jobs)
        return tuple(
            AccountReport(
                account_id=a.target.account_id,
                name=a.target.name,
                role_arn=a.target.role_arn,
                regions=a.regions,
                skipped=a.session is None,
            )
            for a in accesses
        )

    def _all(self, pool: ThreadPoolExecutor, futures: list[Future[T]]) -> list[T]:
        """Every result in order; on the first failure (or Ctrl-C) stop the others and raise.

        Leaving the ``with ThreadPoolExecutor`` block then waits for running jobs, which stop
        at their next call, so no thread writes after the caller cleans up.
        """
        try:
            for future in as_completed(futures):
                future.result()
        except BaseException:
            self._stop.set()
            for future in futures:
                future.cancel()
            raise
        return [f.result() for f in futures]

    # -- accounts ----------------------------------------------------------------------------

    def _prepare(self, target: AccountTarget) -> _AccountAccess:
        access = _AccountAccess(target=target, session=None)
        if self._stop.is_set():
            raise _Stopped
        if target.role_arn is None:
            access.session = self.base
        else:
            try:
                access.session = self._assume(target)
            except Denied as denied:
                self._skip(
                    SkipScope.ACCOUNT,
                    target.account_id,
                    None,
                    denied,
                    f"the whole account (cannot assume {target.role_arn})",
                )
                return access
        access.regions = self._regions(access)
        if not access.regions and not self.options.regions:
            access.session = None  # its regions could not be listed; recorded in _regions
        return access

    def _assume(self, target: AccountTarget) -> ReadOnlySession:
        assert target.role_arn is not None
        params: dict[str, Any] = {"RoleArn": target.role_arn, "RoleSessionName": ROLE_SESSION_NAME}
        if self.options.external_id:
            params["ExternalId"] = self.options.external_id
        sts = self.base.client("sts", self.base.home_region)
        try:
            answer = fetch(sts, calls.ASSUME_ROLE_CALL, params, where=target.account_id)
        except Gone as exc:
            raise AwsError(str(exc)) from exc
        creds = answer.body["Credentials"]
        expiration = creds.get("Expiration")
        return self.base.with_credentials(
            access_key=str(creds["AccessKeyId"]),
            secret_key=str(creds["SecretAccessKey"]),
            token=str(creds["SessionToken"]),
            expires_at=expiration if isinstance(expiration, datetime) else None,
        )

    def _session(self, access: _AccountAccess) -> ReadOnlySession:
        """The account's session, re-assuming the role when its credentials run out soon."""
        with self._lock:
            session = access.session
            assert session is not None
            expires = session.expires_at
            if expires is not None and expires - datetime.now(UTC) < _CREDENTIALS_MARGIN:
                session = access.session = self._assume(access.target)
            return session

    def _regions(self, access: _AccountAccess) -> tuple[str, ...]:
        """The given regions that are enabled in the account, or all its enabled regions.

        ``AllRegions`` lists opt-in regions too, with their ``OptInStatus``.
        https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
        """
        account = access.target.account_id
        assert access.session is not None
        client = access.session.client("ec2", access.session.home_region)
        try:
            answer = fetch(client, calls.REGIONS_CALL, {"AllRegions": True}, where=account)
        except Denied as denied:
            if self.options.regions:
                return self.options.regions  # not needed to choose regions; not a gap
            self._skip(
                SkipScope.ACCOUNT,
                account,
                None,
                denied,
                "the whole account (its enabled regions could not be listed; pass --regions)",
            )
            return ()
        status = {
            str(r["RegionName"]): str(r.get("OptInStatus", "opt-in-not-required"))
            for r in answer.body.get("Regions", [])
        }
        enabled = tuple(sorted(r for r, s in status.items() if s in _ENABLED_OPT_IN))
        if not self.options.regions:
            return enabled
        chosen = []
        for region in self.options.regions:
            if region not in status:
                raise UsageError(f"--regions: {region} is not a region of this partition")
            if region in enabled:
                chosen.append(region)
            else:
                self._skip(
                    SkipScope.REGION,
                    account,
                    region,
                    Denied(calls.REGIONS_CALL.iam_action, "RegionNotEnabled", status[region]),
                    "the whole region (an opt-in region not enabled in this account)",
                )
        return tuple(chosen)

    # -- one account and region ------------------------------------------------------------------

    def _collect_region(self, access: _AccountAccess, region: str) -> None:
        account = access.target.account_id
        state = _RegionState(account=account, region=region, total=len(calls.REGION_CALLS))
        try:
            client = self._session(access).client("ec2", region)
            folder = self.dest / account / region
            where = f"{account}/{region}"
            found = self._region_calls(client, folder, where, state)
            if found is not None:
                vpc_ids, prefix_lists = found
                state.total += len(vpc_ids) * len(calls.VPC_DNS_ATTRIBUTES) + len(prefix_lists)
                self._vpc_attributes(client, folder, where, state, vpc_ids)
                self._prefix_list_entries(client, folder, where, state, prefix_lists)
        except _Stopped:
            return
        self._report(state, None, finished=True)

    def _region_calls(
        self, client: Any, folder: Path, where: str, state: _RegionState
    ) -> tuple[list[str], dict[str, tuple[str, str]]] | None:
        """The per-region calls; returns the VPC ids and the prefix lists (id → name, owner)."""
        vpc_ids: list[str] = []
        prefix_lists: dict[str, tuple[str, str]] = {}
        for call in calls.REGION_CALLS:
            answer = self._call(client, call, {}, where, state)
            if answer is None:
                if call is calls.VPCS_CALL:
                    return None  # recorded as a region skip in _call
                continue
            self._save(folder, calls.region_file_name(call), answer.body, call, state)
            items = answer.body.get(call.result_key or "", [])
            if call is calls.VPCS_CALL:
                vpc_ids = [str(v["VpcId"]) for v in items]
            elif call is calls.MANAGED_PREFIX_LISTS_CALL:
                for pl in items:
                    name, owner = str(pl.get("PrefixListName", "")), str(pl.get("OwnerId", ""))
                    prefix_lists[str(pl["PrefixListId"])] = (name, owner)
            elif call is calls.PREFIX_LISTS_CALL:
                # AWS-managed lists; also the fallback when the managed call is refused.
                for pl in items:
                    pl_id = str(pl["PrefixListId"])
                    prefix_lists.setdefault(pl_id, (str(pl.get("PrefixListName", "")), "AWS"))
        return vpc_ids, prefix_lists

    def _vpc_attributes(
        self, client: Any, folder: Path, where: str, state: _RegionState, vpc_ids: list[str]
    ) -> None:
        call = calls.VPC_ATTRIBUTE_CALL
        for vpc_id in vpc_ids:
            for attribute in calls.VPC_DNS_ATTRIBUTES:
                params = {"VpcId": vpc_id, "Attribute": attribute}
                missing = f"DNS attributes of {len(vpc_ids)} VPCs (vpcpath assumes both on)"
                answer = self._call(client, call, params, where, state, missing=missing)
                if answer is None:
                    return  # refused once: the rest would be refused too
                if answer.body:
                    name = calls.vpc_attribute_file_name(vpc_id, attribute)
                    self._save(folder, name, answer.body, call, state)

    def _prefix_list_entries(
        self,
        client: Any,
        folder: Path,
        where: str,
        state: _RegionState,
        prefix_lists: dict[str, tuple[str, str]],
    ) -> None:
        call = calls.PREFIX_LIST_ENTRIES_CALL
        for pl_id, (name, owner) in sorted(prefix_lists.items()):
            missing = f"the CIDRs of {len(prefix_lists)} managed prefix lists"
            params = {"PrefixListId": pl_id}
            answer = self._call(client, call, params, where, state, missing=missing)
            if answer is None:
                return
            if answer.body:
                # The shape the loader recognises: Entries with the list's id beside them.
                body = {
                    "PrefixListId": pl_id,
                    "PrefixListName": name,
                    "OwnerId": owner,
                    "Entries": answer.body.get("Entries", []),
                }
                self._save(folder, calls.prefix_list_entries_file_name(pl_id), body, call, state)

    def _call(
        self,
        client: Any,
        call: AwsCall,
        params: dict[str, Any],
        where: str,
        state: _RegionState,
        *,
        missing: str | None = None,
    ) -> Answer | None:
        """One call; None when refused (recorded) or when the resource vanished meanwhile."""
        if self._stop.is_set():
            raise _Stopped
        self._report(state, call.operation)
        try:
            answer = fetch(client, call, params, where=where)
        except Denied as denied:
            state.skipped += 1
            state.done += 1
            if call is calls.VPCS_CALL:
                scope = SkipScope.REGION
                what = "the whole region (without its VPCs nothing in it can be placed)"
            else:
                scope = SkipScope.CALL
                what = missing or f"{calls.region_file_name(call)} ({call.purpose})"
            self._skip(scope, state.account, state.region, denied, what)
            return None
        except Gone:
            state.done += 1
            return Answer(body={}, requests=1)
        state.done += 1
        with self._lock:
            counts = self._counts.setdefault((state.account, state.region, call.iam_action), [0, 0])
            counts[0] += answer.requests
        return answer

    # -- records -----------------------------------------------------------------------------

    def _save(
        self, folder: Path, name: str, body: dict[str, Any], call: AwsCall, state: _RegionState
    ) -> None:
        items = _item_count(call, body)
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(body, indent=4, ensure_ascii=False, default=_json_value) + "\n"
        (folder / name).write_text(text, encoding="utf-8")
        with self._lock:
            self.files += 1
            self.resources[call.kind or call.result_key or call.operation] += items
            counts = self._counts.setdefault((state.account, state.region, call.iam_action), [0, 0])
            counts[1] += items

    def _skip(
        self, scope: SkipScope, account: str, region: str | None, denied: Denied, missing: str
    ) -> None:
        skip = Skip(
            scope=scope,
            account=account,
            region=region,
            action=denied.action,
            code=denied.code,
            reason=denied.message,
            missing=missing,
        )
        if self.options.strict:
            raise AwsError(f"--strict: {skip.describe()}")
        with self._lock:
            self.skips.append(skip)

    def _report(
        self, state: _RegionState, operation: str | None, *, finished: bool = False
    ) -> None:
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
        with self._progress_lock:
            self.progress(event)

    def call_counts(self) -> tuple[CallCount, ...]:
        return tuple(
            CallCount(account=a, region=r, action=action, requests=c[0], items=c[1])
            for (a, r, action), c in sorted(self._counts.items())
        )


def _item_count(call: AwsCall, body: dict[str, Any]) -> int:
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
