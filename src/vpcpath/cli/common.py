"""What every command shares: exit codes, the parser class, collection flags, JSON out."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, NoReturn, TextIO

from vpcpath.errors import SourceError, UsageError
from vpcpath.pricing.table import PriceTable

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_PARTIAL, EXIT_AWS = 0, 1, 2, 3, 4, 5


class Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with the usage line, as argparse does, and our prefix; a missing
    subcommand shows the list of subcommands instead."""

    def error(self, message: str) -> NoReturn:
        commands = next(
            (a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        if commands is not None and message.startswith("the following arguments are required"):
            self.print_help(sys.stderr)
            names = ", ".join(commands.choices)
            self.exit(EXIT_USAGE, f"\n{self.prog}: error: name a command: {names}\n")
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"vpcpath: error: {message}\n")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (argparse turns the error into exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def output_path(text: str) -> Path:
    """An argparse type: a file name that is not empty."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty file name")
    return Path(text)


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
        "--workers",
        type=positive_int,
        default=8,
        metavar="N",
        help="account/regions read at once (8)",
    )


def add_report_flags(parser: argparse.ArgumentParser, fail_on_note: str = "") -> None:
    """--org-id, --output FILE and --fail-on SEVERITY, as `audit` and `check` take them."""
    from vpcpath.audit.findings import Severity

    parser.add_argument(
        "--org-id",
        metavar="o-…",
        help="your AWS Organizations id, for endpoint-policy checks (default: none)",
    )
    parser.add_argument(
        "--output", type=output_path, metavar="FILE", help="write the report to FILE"
    )
    parser.add_argument(
        "--fail-on",
        choices=[str(s) for s in Severity],
        metavar="SEVERITY",
        help="exit 1 when a finding at or above SEVERITY exists "
        "(critical, high, medium, low, info)" + fail_on_note,
    )


def emit_json(doc: dict[str, Any], out: TextIO) -> None:
    json.dump(doc, out, indent=2)
    out.write("\n")


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc


def write_output(path: Path, text: str, *, option: str) -> None:
    """Write ``text`` to ``path`` as a user expects of an output file.

    A regular file (or a new one) is replaced whole, through a temporary file beside it, so a
    failure or an interrupt never leaves half a report; the temporary file never outlives the
    call. A symlink is written through (its target is replaced, the link stays); a device or
    pipe (``/dev/stdout``, a FIFO) is written to directly, since it cannot be replaced.
    """
    try:
        device = str(path).startswith(("/dev/", "/proc/"))  # /dev/stdout, even to a file
        if device or (path.exists() and not path.is_file()):  # a FIFO, a device
            with path.open("w", encoding="utf-8") as handle:
                handle.write(text)
            return
        target = path.resolve()
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            if target.exists():
                tmp.chmod(target.stat().st_mode & 0o7777)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write ({exc.strerror or exc})") from exc


def price_note(prices: PriceTable) -> str:
    return f"Prices: {prices.source} ({prices.date}); 1 GiB = 2^30 bytes."


def invoked_as() -> str:
    """How to run this vpcpath again from the same folder, for the commands we print.

    ``vpcpath`` when that name on PATH is this program; else the path it was started by
    (``.venv/bin/vpcpath`` under ``make demo``); else ``python -m vpcpath.cli``.
    """
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name == "vpcpath":
        on_path = shutil.which("vpcpath")
        if on_path and Path(on_path).resolve() == Path(argv0).resolve():
            return "vpcpath"
        return argv0
    return f"{sys.executable} -m vpcpath.cli"
