"""The command line: argument parsing, exit codes, progress; the only code that prints.

One module per command, each with ``register`` (its flags) and its handler; heavy modules
(DuckDB, botocore, the audit) are imported by the handler that needs them, so every command
starts fast. Exit codes (documented in README.md):

  0  answered
  1  findings at or above --fail-on (audit), or a policy that breaks a needed request
  2  usage error (bad flags or values)
  3  bad input (unreadable snapshot, unknown id, malformed file)
  4  partial result (something was skipped; the output says what)
  5  AWS refused or failed (credentials, permissions, API errors)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from vpcpath import __version__
from vpcpath.cli import apply, audit, check, demo, explain, fix, flows, live, policy, prices
from vpcpath.cli.common import EXIT_AWS, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Parser
from vpcpath.cli.parser_rules import add_global_flags, apply_rules
from vpcpath.errors import (
    ApplyError,
    AwsError,
    FlowLogError,
    PolicyError,
    PricingError,
    SnapshotError,
    SourceError,
    UsageError,
    VpcpathError,
)
from vpcpath.report.style import Style
from vpcpath.report.terminal import color_enabled, terminal_width

# The exception tree → the exit codes of README "Exit codes": the one table, read top down (the
# first class the error is an instance of decides). Lower-layer errors (botocore, OS, DuckDB)
# were translated into these classes where they entered, so nothing else reaches here.
EXIT_CODES: tuple[tuple[type[VpcpathError], int], ...] = (
    (UsageError, EXIT_USAGE),
    (AwsError, EXIT_AWS),  # credentials, denied, throttled, unreachable, refused by the guard
    (ApplyError, EXIT_AWS),
    (SourceError, EXIT_INPUT),
    (SnapshotError, EXIT_INPUT),
    (FlowLogError, EXIT_INPUT),
    (PolicyError, EXIT_INPUT),
    (PricingError, EXIT_INPUT),
    (VpcpathError, EXIT_INPUT),  # any other bad input
)


def exit_code_for(exc: VpcpathError) -> int:
    return next(code for cls, code in EXIT_CODES if isinstance(exc, cls))


# In the order `vpcpath --help` lists them.
COMMANDS = (explain, flows, audit, fix, apply, check, policy, live, demo, prices)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="vpcpath",
        description="Which way VPC traffic to S3, DynamoDB and ECR goes, and what it costs.",
    )
    parser.add_argument("--version", action="version", version=f"vpcpath {__version__}")
    add_global_flags(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    apply_rules(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    style = Style(color=color_enabled(args.color, out), width=terminal_width(out))
    handler: Callable[[argparse.Namespace, Style, TextIO], int] = args.handler
    try:
        return handler(args, style, out)
    except VpcpathError as exc:
        return fail(exit_code_for(exc), exc)
    except KeyboardInterrupt:
        print("vpcpath: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`vpcpath … | head`): not an error, and nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def fail(code: int, exc: Exception) -> int:
    print(f"vpcpath: error: {exc}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
