"""Where a command's estate comes from: ``--snapshot``, ``--sample``, ``--live`` or
``--terraform`` (a plan or state as `terraform show -json` prints it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vpcpath.cli.common import add_collection_flags
from vpcpath.cli.live import load_live
from vpcpath.model import IpRanges, Snapshot


def add_estate_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--snapshot", type=Path, metavar="DIR", help="a snapshot folder")
    group.add_argument("--sample", action="store_true", help="the bundled sample estate")
    group.add_argument(
        "--live",
        action="store_true",
        help="read AWS now, read-only (as `vpcpath snapshot` does) and analyse that",
    )
    group.add_argument(
        "--terraform",
        type=Path,
        metavar="FILE",
        help="a Terraform plan or state (`terraform show -json` output), as `check` reads it",
    )
    add_collection_flags(parser.add_argument_group("with --live"))


def load_estate(args: argparse.Namespace) -> Snapshot:
    if getattr(args, "live", False):
        snapshot = load_live(args)
    elif getattr(args, "terraform", None) is not None:
        snapshot = load_terraform_estate(args.terraform, getattr(args, "ip_ranges", None))
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


def terraform_ip_ranges(path: Path | None) -> tuple[IpRanges, str]:
    """The ip-ranges a Terraform source takes its AWS-managed prefix lists from, and a label."""
    from vpcpath.sources.ipranges import read_ip_ranges
    from vpcpath.sources.sample_estate import sample_path

    ranges = read_ip_ranges(path or sample_path() / "ip-ranges.json")
    origin = f"--ip-ranges {path}" if path else "the bundled sample ip-ranges"
    return ranges, f"{origin} (syncToken {ranges.sync_token})"


def load_terraform_estate(path: Path, ip_ranges: Path | None) -> Snapshot:
    """The model of a plan or state; its notes go to stderr (the command's output stays its
    own)."""
    from vpcpath.sources.terraform import load_terraform

    source = load_terraform(path, *terraform_ip_ranges(ip_ranges))
    for note in source.notes:
        print(f"vpcpath: note: {note}", file=sys.stderr)
    return source.snapshot


def print_notes(snapshot: Snapshot) -> None:
    notes = snapshot.notes
    print(f"read {len(notes.files)} files from {notes.root}", file=sys.stderr)
    unread = {file for file, _ in notes.not_understood}
    for file, key in notes.unknown_keys:
        if file in unread:
            continue  # listed once below, as a file not understood
        print(f"  ignored key {key!r} in {file}", file=sys.stderr)
    for key, count in notes.recognised_only:
        print(f"  read {count} {key} (not used by any analysis yet)", file=sys.stderr)
    for what, why in notes.skipped:
        print(f"  skipped {what}: {why}", file=sys.stderr)
    for what, why in notes.ignored:
        print(f"  left out {what}: {why}", file=sys.stderr)
    for file, why in notes.not_understood:
        print(f"  not understood: {file}: {why}", file=sys.stderr)
