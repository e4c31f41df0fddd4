"""What every command's parser does: global flags anywhere, help for every flag, required
flags marked, a missing subcommand answered with the list of subcommands."""

from __future__ import annotations

import argparse
import re

import pytest

from vpcpath.cli import build_parser, main
from vpcpath.cli.parser_rules import subcommand_parsers


def _all_parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    top = build_parser()
    return [(top.prog, top)] + [(p.prog, p) for p in subcommand_parsers(top)]


def _top_commands() -> list[str]:
    top = build_parser()
    action = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    assert {"explain", "audit", "policy", "demo"} <= set(action.choices)
    return list(action.choices)


@pytest.mark.parametrize("prog", [prog for prog, _ in _all_parsers()])
def test_every_flag_and_subcommand_has_help(prog: str) -> None:
    parser = dict(_all_parsers())[prog]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            assert set(helps) == set(action.choices), prog
            assert all(helps.values()), (prog, helps)
        else:
            assert action.help not in (None, "", argparse.SUPPRESS), (prog, action.dest)


def test_required_flags_are_marked_in_help() -> None:
    parsers = dict(_all_parsers())
    explain = parsers["vpcpath explain"].format_help()
    assert "subnet-…, eni-…, i-… or a private IP (required)" in " ".join(explain.split())
    assert "(required: one of --snapshot, --sample, --live" in " ".join(explain.split())
    check = " ".join(parsers["vpcpath policy check"].format_help().split())
    assert "(required: one of --snapshot, --sample, --policy)" in check
    assert "the account that owns the endpoint (required with --policy)" in check
    demo = parsers["vpcpath demo"].format_help()
    assert "required" not in demo  # nothing to mark: --records is optional


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_flags_work_before_or_after_the_subcommand(
    where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = ["--verbose", "--color", "always"]
    command = ["explain", "--sample", "--from", "subnet-085300abd30e0b0c8", "--to", "s3"]
    argv = flags + command if where == "before" else command + flags
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert re.match(r"read \d+ files from ", captured.err)  # --verbose
    assert "\033[32mgateway-endpoint\033[0m" in captured.out  # --color always, piped


def test_a_flag_after_the_subcommand_does_not_reset_one_before(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--color", "always", "explain", "--sample", "--from", "subnet-085300abd30e0b0c8"]
    assert main([*argv, "--to", "s3"]) == 0
    assert "\033[" in capsys.readouterr().out
    assert main(["--color", "always", *argv[2:], "--to", "s3", "--color", "never"]) == 0
    assert "\033[" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        ([], ", ".join(_top_commands())),
        (["policy"], "check, suggest"),
        (["prices"], "show, refresh"),
    ],
)
def test_a_missing_subcommand_lists_the_subcommands(
    argv: list[str], names: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.rstrip().endswith(f"error: name a command: {names}")
    assert "the following arguments are required" not in err
    assert "positional arguments:" in err  # the help, with one line per subcommand


def test_other_usage_errors_keep_the_short_form(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", "--sample", "--to", "s3"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: vpcpath explain")
    assert err.rstrip().endswith("vpcpath: error: the following arguments are required: --from")
