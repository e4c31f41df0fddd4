"""`vpcpath apply PLAN.json`: make a fix plan's changes — a dry run unless --yes."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from vpcpath.cli.common import EXIT_OK, EXIT_PARTIAL, read_text
from vpcpath.errors import SourceError, UsageError
from vpcpath.report.style import Style


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "apply", help="make a fix plan's changes in AWS (a dry run unless --yes); only adds"
    )
    p.add_argument("plan", type=Path, metavar="PLAN.json", help="`vpcpath fix --format json`")
    p.add_argument("--yes", action="store_true", help="make the changes (default: dry run)")
    p.add_argument(
        "--journal",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="where apply-<UTC time>.json records each step, and a rerun resumes from (.)",
    )
    p.add_argument(
        "--profile",
        help="AWS profile; it needs required-permissions-apply.json on top of the read ones",
    )
    p.add_argument(
        "--wait",
        type=int,
        default=120,
        metavar="SECONDS",
        help="how long to wait for each new route to become active (120)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(handler=cmd_apply)


def cmd_apply(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.fix.apply import ApplyOptions, apply_plan
    from vpcpath.fix.contract import plan_from_json
    from vpcpath.fix.journal import Journal, earlier_entries, plan_digest
    from vpcpath.sources.live.ec2_writes import Ec2Writes, caller_account
    from vpcpath.sources.live.session import AwsSession

    if args.wait < 0:
        raise UsageError("--wait must be 0 or more seconds")
    text = read_text(args.plan)
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise SourceError(f"{args.plan}: not JSON ({exc})") from exc
    plan = plan_from_json(doc, str(args.plan))
    what_if = doc.get("what_if") or {}
    if what_if.get("holds") is False:
        raise SourceError(
            f"{args.plan}: its what-if does not prove the plan (unexpected changes); apply "
            "refuses it — make the plan again and read the proof"
        )
    session = AwsSession.for_apply(args.profile)
    account = caller_account(session.client("sts", session.home_region))
    digest = plan_digest(doc)
    now = datetime.now(UTC)
    journal = Journal(args.journal if args.yes else None, digest, now)
    earlier = earlier_entries(args.journal, digest) if args.yes else []
    mode = "applying" if args.yes else "dry run (nothing changes; add --yes to apply)"
    print(
        style.paint(
            f"vpcpath apply: {len(plan.actions)} action(s), {mode}, as account {account}", "bold"
        ),
        file=out,
    )

    if not args.yes:
        from vpcpath.report.fix_text import render_what_if_json

        print(style.fit(render_what_if_json(what_if)), file=out)

    def progress(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr)

    outcome = apply_plan(
        plan,
        digest=digest,
        writer_for=lambda region, account: Ec2Writes(
            session.client("ec2", region), region=region, account_id=account
        ),
        journal=journal,
        earlier=earlier,
        options=ApplyOptions(
            execute=args.yes, wait_attempts=max(1, args.wait // 2), wait_seconds=2.0
        ),
        progress=progress,
        sleep=time.sleep,
        account_id=account,
    )
    for entry in outcome.entries:
        detail = f": {entry.message}" if entry.message else ""
        endpoint = entry.response.get("vpc_endpoint_id")
        made = f" ({endpoint})" if endpoint else ""
        print(f"  {entry.status:<16} {entry.action_id}{made}{detail}", file=out)
    if journal.path is not None and journal.entries:
        print(f"journal: {journal.path}", file=out)
    if outcome.stopped is not None:
        print(style.paint(f"stopped: {outcome.stopped}", "red", "bold"), file=out)
        return EXIT_PARTIAL
    if not outcome.complete:
        return EXIT_PARTIAL
    if not outcome.entries and args.yes:
        print("nothing to do: every action was done by an earlier run", file=out)
    return EXIT_OK
