"""`vpcpath snapshot` and `--live`: read-only collection, with progress bars."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpcpath.cli.common import EXIT_OK, EXIT_PARTIAL, add_collection_flags
from vpcpath.model import Snapshot
from vpcpath.report.style import Style
from vpcpath.report.terminal import terminal_width, truncate

if TYPE_CHECKING:  # botocore loads only when collection runs
    from vpcpath.sources.live import Collection, CollectOptions, RegionProgress


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("snapshot", help="read AWS (read-only) into a snapshot folder")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write")
    p.add_argument("--profile", help="AWS profile (default: the usual AWS configuration)")
    p.add_argument("--force", action="store_true", help="replace DIR when it is not empty")
    add_collection_flags(p)
    p.set_defaults(handler=cmd_snapshot)


def listed(values: Sequence[str] | None) -> tuple[str, ...]:
    """Repeatable, comma-separated flag values as one tuple."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def collect_options(args: argparse.Namespace) -> CollectOptions:
    from vpcpath.sources.live import CollectOptions

    return CollectOptions(
        profile=getattr(args, "profile", None),
        regions=listed(args.regions),
        role_arn=args.role_arn,
        accounts=listed(args.accounts),
        organization=args.organization,
        external_id=args.external_id,
        strict=args.strict,
        workers=args.workers,
    )


class ProgressBars:
    """One bar per account/region on a terminal: finished ones scroll up, running ones are
    redrawn in place below them."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._running: dict[tuple[str, str], str] = {}
        self._drawn = 0
        self._width = terminal_width(stream)  # a wrapped line would break the redraw

    def __call__(self, event: RegionProgress) -> None:
        if not self._enabled:
            return
        from vpcpath.sources.live import progress_line

        if self._drawn:
            self._stream.write(f"\x1b[{self._drawn}F\x1b[J")  # up N lines, clear below
        key = (event.account, event.region)
        if event.finished:
            self._running.pop(key, None)
            self._stream.write(truncate(progress_line(event), self._width) + "\n")
        else:
            self._running[key] = truncate(progress_line(event), self._width)
        for line in self._running.values():
            self._stream.write(line + "\n")
        self._drawn = len(self._running)
        self._stream.flush()


def print_collection(collection: Collection, *, quiet: bool, out: TextIO) -> None:
    from vpcpath.sources.live import missing_lines, summary_lines

    if not quiet:
        for line in summary_lines(collection):
            print(line, file=out)
    for line in missing_lines(collection):
        print(line, file=sys.stderr)


def load_live(args: argparse.Namespace) -> Snapshot:
    """--live: collect into a temporary snapshot, load it, note whether it is partial."""
    from vpcpath.sources.live import live_snapshot

    bars = ProgressBars(sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    snapshot, collection = live_snapshot(collect_options(args), progress=bars)
    print_collection(collection, quiet=args.quiet or not sys.stderr.isatty(), out=sys.stderr)
    args.partial = collection.partial
    return snapshot


def cmd_snapshot(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.sources.live import write_snapshot

    bars = ProgressBars(sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    collection = write_snapshot(collect_options(args), args.out, force=args.force, progress=bars)
    if not args.quiet:
        print(f"Wrote {args.out}", file=out)
    print_collection(collection, quiet=args.quiet, out=out)
    return EXIT_PARTIAL if collection.partial else EXIT_OK
