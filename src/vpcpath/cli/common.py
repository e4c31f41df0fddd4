"""What every command shares: exit codes, the parser class, loading the estate, JSON out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn, TextIO

from vpcpath.errors import SourceError
from vpcpath.model import Snapshot
from vpcpath.pricing.table import PriceTable

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_PARTIAL, EXIT_AWS = 0, 1, 2, 3, 4, 5


class Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with the usage line, as argparse does, and our prefix."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"vpcpath: error: {message}\n")


def add_estate_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--snapshot", type=Path, metavar="DIR", help="a snapshot folder")
    group.add_argument("--sample", action="store_true", help="the bundled sample estate")
    group.add_argument(
        "--live",
        action="store_true",
        help="read AWS now, read-only (as `vpcpath snapshot` does) and analyse that",
    )
    add_collection_flags(parser.add_argument_group("with --live"))


def add_collection_flags(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--regions",
        action="append",
        metavar="R1,R2",
        help="regions to read (default: every region enabled in each account)",
    )
    parser.add_argument(
        "--role-arn",
        metavar="ARN",
        help="read through this role; with --accounts/--organization put {account} in its id",
    )
    accounts = parser.add_mutually_exclusive_group()
    accounts.add_argument("--accounts", action="append", metavar="ID1,ID2", help="accounts to read")
    accounts.add_argument(
        "--organization",
        action="store_true",
        help="read every active account of your AWS Organization",
    )
    parser.add_argument("--external-id", metavar="ID", help="the ExternalId the role requires")
    parser.add_argument(
        "--strict", action="store_true", help="fail when any call, region or account is refused"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars or summary")
    parser.add_argument(
        "--workers", type=int, default=8, metavar="N", help="account/regions read at once (8)"
    )


def load_estate(args: argparse.Namespace) -> Snapshot:
    if getattr(args, "live", False):
        from vpcpath.cli.live import load_live

        snapshot = load_live(args)
    else:
        from vpcpath.sources.folder import load_snapshot
        from vpcpath.sources.sample_estate import load_sample

        snapshot = load_sample() if args.sample else load_snapshot(args.snapshot)
        if snapshot.notes.skipped:
            # A partial snapshot gives a partial answer (exit 4), and says what is missing.
            args.partial = True
            if not args.verbose:
                for what, why in snapshot.notes.skipped:
                    print(f"vpcpath: warning: snapshot is missing {what}: {why}", file=sys.stderr)
    if args.verbose:
        print_notes(snapshot)
    return snapshot


def print_notes(snapshot: Snapshot) -> None:
    notes = snapshot.notes
    print(f"read {len(notes.files)} files from {notes.root}", file=sys.stderr)
    for file, key in notes.unknown_keys:
        print(f"  ignored key {key!r} in {file}", file=sys.stderr)
    for key, count in notes.recognised_only:
        print(f"  read {count} {key} (not used by any analysis yet)", file=sys.stderr)
    for what, why in notes.skipped:
        print(f"  skipped {what}: {why}", file=sys.stderr)


def emit_json(doc: dict[str, Any], out: TextIO) -> None:
    json.dump(doc, out, indent=2)
    out.write("\n")


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc


def price_note(prices: PriceTable) -> str:
    return f"Prices: {prices.source} ({prices.date}); 1 GB = 2^30 bytes."
