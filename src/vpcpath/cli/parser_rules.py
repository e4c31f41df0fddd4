"""Rules every command's parser follows, applied once the commands have registered their flags.

- The global flags (``--verbose``, ``--color``) work before and after the subcommand.
- ``--help`` marks required flags (and the required one-of groups, such as
  ``--snapshot | --sample | --live``).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

COLOR_HELP = "colour output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)"


def add_global_flags(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """On the top parser with their defaults; on a subcommand without, so that a flag given
    before the subcommand is not reset by the subcommand's parser."""
    verbose: object = False if top else argparse.SUPPRESS
    color: object = "auto" if top else argparse.SUPPRESS
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=verbose, help="say more about inputs"
    )
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default=color, help=COLOR_HELP
    )


def subcommand_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser below ``parser`` (subcommands, their subcommands, …), each once."""
    seen: set[int] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                if id(child) not in seen:
                    seen.add(id(child))
                    yield child
                    yield from subcommand_parsers(child)


def apply_rules(parser: argparse.ArgumentParser) -> None:
    for child in subcommand_parsers(parser):
        if not any(isinstance(a, argparse._SubParsersAction) for a in child._actions):
            add_global_flags(child, top=False)
        mark_required(child)


def mark_required(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if action.required and action.option_strings and "required" not in (action.help or ""):
            action.help = f"{action.help or ''} (required)".lstrip()
    for group in parser._mutually_exclusive_groups:
        if group.required and group._group_actions:
            names = ", ".join(a.option_strings[-1] for a in group._group_actions)
            first = group._group_actions[0]
            first.help = f"{first.help or ''} (required: one of {names})".lstrip()
