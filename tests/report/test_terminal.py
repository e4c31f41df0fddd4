"""Text that fits the terminal: width and colour decisions, wrapping, tables."""

from __future__ import annotations

import io

import pytest

from vpcpath.report.style import Style, table
from vpcpath.report.terminal import (
    color_enabled,
    fit_lines,
    split_token,
    terminal_width,
    truncate,
    visible_len,
    wrap,
    wrap_command,
)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),  # piped: off
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # present but empty: ignored (no-color.org)
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, True, False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
        ("auto", {"TERM": "dumb"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),  # the flag wins over the environment
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_color_follows_flag_then_no_color_force_color_then_tty(
    choice: str, env: dict[str, str], tty: bool, expected: bool
) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert color_enabled(choice, stream, env) is expected


def test_width_from_columns_else_none_when_piped() -> None:
    assert terminal_width(io.StringIO(), {"COLUMNS": "100"}) == 100
    assert terminal_width(io.StringIO(), {}) is None
    assert terminal_width(io.StringIO(), {"COLUMNS": "junk"}) is None
    assert terminal_width(io.StringIO(), {"COLUMNS": "5"}) == 20  # never narrower than 20


def test_wrap_hangs_continuations_and_keeps_short_lines() -> None:
    text = "fix: associate vpce-0ce063733efb53556 with rtb-02852e1ef289c2429 and more words"
    assert wrap(text, 40, indent="  ", hang="    ") == [
        "  fix: associate vpce-0ce063733efb53556",
        "    with rtb-02852e1ef289c2429 and more",
        "    words",
    ]
    assert wrap("short", 40) == ["short"]
    assert wrap(text, None) == [text]


def test_long_tokens_break_after_colon_or_slash_before_mid_word() -> None:
    assert split_token("dynamodb-endpoint-not-associated:rtb-0988c87cd1543c839", 40, 40) == [
        "dynamodb-endpoint-not-associated:",
        "rtb-0988c87cd1543c839",
    ]
    assert split_token("/root/.cache/vpcpath/demo-flow-logs-300000", 20, 20) == [
        "/root/.cache/",
        "vpcpath/",
        "demo-flow-logs-",
        "300000",
    ]
    assert split_token("abcdefghij", 4, 4) == ["abcd", "efgh", "ij"]


def test_colour_codes_take_no_room() -> None:
    red = Style(color=True).paint("nat-gateway", "red")
    assert visible_len(red) == len("nat-gateway")
    lines = wrap(f"{red} {red} {red}", 24)
    assert [visible_len(line) for line in lines] == [23, 11]
    assert lines[0].startswith("\033[31m")


def test_table_fits_as_is_when_it_can() -> None:
    rows = [["a", "1"], ["bb", "22"]]
    assert table(rows, ["x", "y"], width=80) == "x   y\n--  --\na   1\nbb  22"
    assert table(rows, ["x", "y"]) == table(rows, ["x", "y"], width=80)


def test_table_wraps_cells_inside_columns_when_too_wide() -> None:
    rows = [["high", "dynamodb-endpoint-not-associated:rtb-0988c87cd1543c839"]]
    out = table(rows, ["severity", "finding"], width=45)
    assert out.splitlines() == [
        "severity  finding",
        "--------  -----------------------------------",
        "high      dynamodb-endpoint-not-associated:",
        "          rtb-0988c87cd1543c839",
    ]


def test_table_stacks_rows_when_columns_cannot_fit() -> None:
    rows = [["subnet-1", "web", "gateway-endpoint $0/GiB", "interface-endpoint $0.010/GiB"]]
    out = table(rows, ["subnet", "name", "s3", "ecr.api"], width=30, key_columns=2)
    assert out.splitlines() == [
        "subnet-1  web",
        "  s3       gateway-endpoint",
        "           $0/GiB",
        "  ecr.api  interface-endpoint",
        "           $0.010/GiB",
    ]


@pytest.mark.parametrize("width", [20, 33, 80, 100])
def test_nothing_runs_past_the_edge(width: int) -> None:
    text = (
        "Prices: AWS public list prices: https://aws.amazon.com/vpc/pricing/ (NAT gateways);"
        " https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer)\n"
        "  money: observed 1.002 days of flow logs × 29.9376 = 30 days; $0.045/GiB"
    )
    fitted = fit_lines(text, width)
    assert max(len(line) for line in fitted.splitlines()) <= width
    assert "".join(fitted.split()) == "".join(text.split())  # every character kept, in order


def test_a_wrapped_command_still_pastes_as_one() -> None:
    command = ".venv/bin/vpcpath audit --sample --flow-logs ~/.cache/vpcpath/logs --format html"
    lines = wrap_command(command, 40, indent="  ")
    assert lines == [
        "  .venv/bin/vpcpath audit --sample \\",
        "      --flow-logs \\",
        "      ~/.cache/vpcpath/logs --format \\",
        "      html",
    ]
    assert " ".join(line.rstrip("\\").strip() for line in lines) == command
    assert wrap_command(command, None, indent="  ") == ["  " + command]


def test_truncate_cuts_one_line_with_an_ellipsis() -> None:
    line = "123456789012 us-east-1       [############............] 12/25 DescribeSubnets"
    assert truncate(line, 40) == "123456789012 us-east-1       [#########…"
    assert len(truncate(line, 40)) == 40
    assert truncate(line, 100) == line
    assert truncate(line, None) == line


def test_fitting_keeps_a_dollar_command_pasteable() -> None:
    text = "  $ aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0c6d71d308b1eb4ea --add-route"
    assert fit_lines(text, 40).splitlines() == [
        "  $ aws ec2 modify-vpc-endpoint \\",
        "      --vpc-endpoint-id \\",
        "      vpce-0c6d71d308b1eb4ea \\",
        "      --add-route",
    ]


def test_a_comment_after_a_wrapped_command_moves_above_it() -> None:
    # After a "#", a backslash does not continue the line: the rest would run as a command.
    command = "aws ec2 delete-route --route-table-id rtb-0c9d38  # after checking why it exists"
    assert wrap_command(command, 40, indent="  ") == [
        "  # after checking why it exists",
        "  aws ec2 delete-route \\",
        "      --route-table-id rtb-0c9d38",
    ]
