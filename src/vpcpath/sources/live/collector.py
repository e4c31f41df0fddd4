"""Read an estate from AWS into a snapshot folder (docs/architecture.md "The snapshot folder").

For each account (the caller's, one role, a list, or the whole organization) and each region
(given, or the account's enabled ones) it runs the calls of ``calls.py`` and writes each raw
answer, every page merged, to ``<dest>/<account>/<region>/<aws-cli-command>.json`` — the files
the offline loader reads. Account/region pairs run in parallel; a refused call, region or account
becomes a :class:`Skip` with its reason and the rest goes on (``--strict`` makes it fatal).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from vpcpath.errors import AwsError, UsageError
from vpcpath.sources.live import calls
from vpcpath.sources.live.accounts import assume_role, enabled_regions, region_opt_in_status
from vpcpath.sources.live.calls import AwsCall
from vpcpath.sources.live.fetch import Answer, Denied, Gone, fetch
from vpcpath.sources.live.guard import ReadOnlyGuard
from vpcpath.sources.live.organizations import (
    AccountTarget,
    account_targets,
    check_account_flags,
    list_organization_accounts,
)
from vpcpath.sources.live.progress import ProgressCallback
from vpcpath.sources.live.records import Records, RegionState
from vpcpath.sources.live.report import (
    AccountReport,
    Collection,
    CollectOptions,
    SkipScope,
)
from vpcpath.sources.live.session import AwsSession, CallerIdentity
from vpcpath.sources.live.transit_tables import collect_transit_tables, transit_table_requests

REGION_NAME_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
# Re-assume a role when its credentials have less than this left (they last an hour).
_CREDENTIALS_MARGIN = timedelta(minutes=10)
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
    base = AwsSession.from_profile(options.profile, guard=guard, retries=options.retries)
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
        calls=run.records.call_counts(),
        resources=tuple(sorted(run.records.resources.items())),
        skips=run.records.skips(),
        iam_actions=tuple(sorted(guard.used_actions)),
        files=run.records.files,
    )


class _Stopped(Exception):
    """Another job failed or the user pressed Ctrl-C: stop at the next call."""


@dataclass(slots=True)
class _AccountAccess:
    target: AccountTarget
    session: AwsSession | None
    regions: tuple[str, ...] = ()


class _Run:
    """The mutable state of one collection; shared by the worker threads under a lock."""

    def __init__(
        self,
        options: CollectOptions,
        dest: Path,
        base: AwsSession,
        progress: ProgressCallback | None,
    ) -> None:
        self.options = options
        self.dest = dest
        self.base = base
        self.records = Records(strict=options.strict, progress=progress)
        self._lock = threading.Lock()
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
                self.records.skip(
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

    def _assume(self, target: AccountTarget) -> AwsSession:
        assert target.role_arn is not None
        return assume_role(
            self.base,
            target.role_arn,
            external_id=self.options.external_id,
            account=target.account_id,
        )

    def _session(self, access: _AccountAccess) -> AwsSession:
        """The account's session, re-assuming the role when its credentials run out soon."""
        with self._lock:
            session = access.session
            assert session is not None
            expires = session.expires_at
            if expires is not None and expires - datetime.now(UTC) < _CREDENTIALS_MARGIN:
                try:
                    session = access.session = self._assume(access.target)
                except Denied as exc:  # allowed an hour ago: the role changed meanwhile
                    raise AwsError(f"{access.target.account_id}: {exc}") from exc
            return session

    def _regions(self, access: _AccountAccess) -> tuple[str, ...]:
        """The given regions that are enabled in the account, or all its enabled regions."""
        account = access.target.account_id
        assert access.session is not None
        try:
            status = region_opt_in_status(access.session, account)
        except Denied as denied:
            if self.options.regions:
                return tuple(sorted(self.options.regions))  # only needed to choose: not a gap
            what = "the whole account (its enabled regions could not be listed; pass --regions)"
            self.records.skip(SkipScope.ACCOUNT, account, None, denied, what)
            return ()
        enabled = enabled_regions(status)
        if not self.options.regions:
            return enabled
        for region in self.options.regions:
            if region not in status:
                raise UsageError(f"--regions: {region} is not a region of this partition")
            if region not in enabled:
                refusal = Denied(calls.REGIONS_CALL.iam_action, "RegionNotEnabled", status[region])
                what = "the whole region (an opt-in region not enabled in this account)"
                self.records.skip(SkipScope.REGION, account, region, refusal, what)
        return tuple(sorted(r for r in self.options.regions if r in enabled))

    # -- one account and region ------------------------------------------------------------------

    def _collect_region(self, access: _AccountAccess, region: str) -> None:
        account = access.target.account_id
        state = RegionState(account=account, region=region, total=len(calls.REGION_CALLS))
        try:
            client = self._session(access).client("ec2", region)
            folder = self.dest / account / region
            where = f"{account}/{region}"
            found = self._region_calls(client, folder, where, state)
            if found is not None:
                vpc_ids, prefix_lists, tgw_tables = found
                state.total += len(vpc_ids) * len(calls.VPC_DNS_ATTRIBUTES) + len(prefix_lists)
                state.total += transit_table_requests(tgw_tables)
                self._vpc_attributes(client, folder, where, state, vpc_ids)
                self._prefix_list_entries(client, folder, where, state, prefix_lists)
                collect_transit_tables(
                    lambda call, params, missing: self._call(
                        client, call, params, where, state, missing=missing
                    ),
                    lambda name, body, call: self.records.save(folder, name, body, call, state),
                    tgw_tables,
                )
        except _Stopped:
            return
        self.records.report(state, None, finished=True)

    def _region_calls(
        self, client: Any, folder: Path, where: str, state: RegionState
    ) -> tuple[list[str], dict[str, tuple[str, str]], list[str]] | None:
        """The per-region calls; returns the VPC ids, the prefix lists (id → name, owner) and
        the transit gateway route tables."""
        vpc_ids: list[str] = []
        prefix_lists: dict[str, tuple[str, str]] = {}
        tgw_tables: list[str] = []
        for call in calls.REGION_CALLS:
            answer = self._call(client, call, {}, where, state)
            if answer is None:
                if call is calls.VPCS_CALL:
                    return None  # recorded as a region skip in _call
                continue
            self.records.save(folder, calls.region_file_name(call), answer.body, call, state)
            items = answer.body.get(call.result_key or "", [])
            if call is calls.VPCS_CALL:
                vpc_ids = [str(v["VpcId"]) for v in items]
            elif call is calls.TGW_ROUTE_TABLES_CALL:
                tgw_tables = sorted(str(t["TransitGatewayRouteTableId"]) for t in items)
            elif call is calls.MANAGED_PREFIX_LISTS_CALL:
                for pl in items:
                    name, owner = str(pl.get("PrefixListName", "")), str(pl.get("OwnerId", ""))
                    prefix_lists[str(pl["PrefixListId"])] = (name, owner)
            elif call is calls.PREFIX_LISTS_CALL:
                # AWS-managed lists; also the fallback when the managed call is refused.
                for pl in items:
                    pl_id = str(pl["PrefixListId"])
                    prefix_lists.setdefault(pl_id, (str(pl.get("PrefixListName", "")), "AWS"))
        return vpc_ids, prefix_lists, tgw_tables

    def _vpc_attributes(
        self, client: Any, folder: Path, where: str, state: RegionState, vpc_ids: list[str]
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
                    self.records.save(folder, name, answer.body, call, state)

    def _prefix_list_entries(
        self,
        client: Any,
        folder: Path,
        where: str,
        state: RegionState,
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
                self.records.save(
                    folder, calls.prefix_list_entries_file_name(pl_id), body, call, state
                )

    def _call(
        self,
        client: Any,
        call: AwsCall,
        params: dict[str, Any],
        where: str,
        state: RegionState,
        *,
        missing: str | None = None,
    ) -> Answer | None:
        """One call; None when refused (recorded) or when the resource vanished meanwhile."""
        if self._stop.is_set():
            raise _Stopped
        self.records.report(state, call.operation)
        try:
            answer = fetch(client, call, params, where=where, page_size=self.options.page_size)
        except Denied as denied:
            state.skipped += 1
            state.done += 1
            if call is calls.VPCS_CALL:
                scope = SkipScope.REGION
                what = "the whole region (without its VPCs nothing in it can be placed)"
            else:
                scope = SkipScope.CALL
                what = missing or f"{calls.region_file_name(call)} ({call.purpose})"
            self.records.skip(scope, state.account, state.region, denied, what)
            return None
        except Gone:
            state.done += 1
            return Answer(body={}, requests=1)
        state.done += 1
        self.records.requests(state, call, answer.requests)
        return answer
