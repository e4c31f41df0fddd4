"""Text that fits the terminal: its width, whether it takes colour, wrapping and tables.

Every text renderer gets a ``width`` (``None``: no limit, as when the output goes to a pipe or a
file) and lays its lines out with ``wrap`` and ``fit_table``; measuring ignores colour codes.
Long tokens (ids, paths, URLs) break after ``:`` ``/`` ``,`` before anything else, and
mid-character only when nothing else fits.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping, Sequence
from typing import TextIO

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A visible character or a colour code (kept whole when a token is cut).
_GLYPH = re.compile(r"\x1b\[[0-9;]*m|.", re.S)
# Break opportunities inside a token: after these characters, in this order of preference.
_BREAK_AFTER = (":/,", "-.")
MIN_WIDTH = 20


def visible_len(text: str) -> int:
    """Characters a terminal shows (colour codes take no room)."""
    return len(_ANSI.sub("", text))


def color_enabled(choice: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """``--color always|never`` wins; ``auto`` follows NO_COLOR, then FORCE_COLOR, then the tty.

    https://no-color.org/: a NO_COLOR that is present and not empty turns colour off;
    FORCE_COLOR (present and not empty, not ``0``) turns it on when piped.
    """
    env = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never":
        return False
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force:
        return force != "0"
    if env.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def terminal_width(stream: TextIO, environ: Mapping[str, str] | None = None) -> int | None:
    """COLUMNS when set, else the terminal's width; ``None`` (no limit) when not a terminal."""
    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS", "")
    if columns.strip().isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    if not _isatty(stream):
        return None
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError):
        size = shutil.get_terminal_size()
    return max(size.columns, MIN_WIDTH) if size.columns > 0 else None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def wrap(text: str, width: int | None, *, indent: str = "", hang: str | None = None) -> list[str]:
    """Word-wrap one paragraph: ``indent`` before the first line, ``hang`` before the others."""
    hang = indent if hang is None else hang
    if width is None:
        return [indent + text]
    lines: list[str] = []
    line, room_used = indent, visible_len(indent)
    fresh = True  # nothing but the indent on this line yet
    for space, word in re.findall(r"( *)([^ ]+)", text):
        need = visible_len(word)
        gap = len(space) if not fresh else 0
        if room_used + gap + need <= width:
            line += (space if not fresh else "") + word
            room_used += gap + need
            fresh = False
            continue
        if not fresh:
            lines.append(line)
            line, room_used, fresh = hang, visible_len(hang), True
        room = max(width - room_used, 1)
        pieces = split_token(word, room, width - visible_len(hang))
        for piece in pieces[:-1]:
            lines.append(line + piece)
            line, room_used = hang, visible_len(hang)
        line += pieces[-1]
        room_used += visible_len(pieces[-1])
        fresh = False
    lines.append(line)
    return [ln.rstrip() for ln in lines]


def split_token(token: str, first: int, rest: int) -> list[str]:
    """Cut one token into pieces of at most ``first`` then ``rest`` characters, at break points."""
    pieces: list[str] = []
    room = first
    remaining = token
    while visible_len(remaining) > room:
        cut = _cut_at(remaining, room)
        pieces.append(remaining[:cut])
        remaining = remaining[cut:]
        room = max(rest, 1)
    pieces.append(remaining)
    return pieces


def _cut_at(token: str, room: int) -> int:
    """Index to cut ``token`` so its head shows at most ``room`` characters (at least one)."""
    ends: list[tuple[int, str]] = []  # (string index after glyph, glyph)
    shown = 0
    for m in _GLYPH.finditer(token):
        if not _ANSI.fullmatch(m.group()):
            shown += 1
            if shown > room:
                break
        ends.append((m.end(), m.group()))
    for chars in _BREAK_AFTER:
        for end, glyph in reversed(ends):
            if glyph in chars:
                return end
    return ends[-1][0] if ends else 1


def fit_table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    width: int | None,
    *,
    key_columns: int = 1,
) -> str:
    """Aligned columns that fit ``width``: wrap cells inside their columns when the natural
    widths are too wide; when even that cannot fit, one block per row (the first
    ``key_columns`` cells, then one ``header  value`` line per other cell)."""
    natural = [visible_len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            natural[i] = max(natural[i], visible_len(cell))
    gaps = 2 * (len(headers) - 1)
    if width is None or sum(natural) + gaps <= width:
        return _aligned(rows, headers, natural, None)
    least = [_longest_piece(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            least[i] = max(least[i], _longest_piece(cell))
    if sum(least) + gaps > width:
        return stacked(rows, headers, width, key_columns=key_columns)
    widths = list(natural)
    while sum(widths) + gaps > width:
        i = max(range(len(widths)), key=lambda k: (widths[k] - least[k], widths[k]))
        widths[i] -= 1
    return _aligned(rows, headers, widths, width)


def _longest_piece(cell: str) -> int:
    """The narrowest a column can be for this cell: its longest word, cut at break points."""
    longest = 0
    for word in cell.split():
        parts = re.split(r"(?<=[:/,])", _ANSI.sub("", word))
        longest = max(longest, *(len(p) for p in parts))
    return longest


def _aligned(
    rows: Sequence[Sequence[str]], headers: Sequence[str], widths: list[int], limit: int | None
) -> str:
    def render(cells: Sequence[str]) -> list[str]:
        wrapped = [wrap(c, widths[i]) if limit is not None else [c] for i, c in enumerate(cells)]
        height = max(len(w) for w in wrapped)
        out = []
        for n in range(height):
            parts = []
            for i, lines in enumerate(wrapped):
                text = lines[n] if n < len(lines) else ""
                parts.append(text + " " * (widths[i] - visible_len(text)))
            out.append("  ".join(parts).rstrip())
        return out

    lines = render(headers)
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.extend(render(row))
    return "\n".join(lines)


def stacked(
    rows: Sequence[Sequence[str]], headers: Sequence[str], width: int, *, key_columns: int = 1
) -> str:
    """One block per row: the first ``key_columns`` cells on a line, then ``header  value``."""
    label = max((visible_len(h) for h in headers[key_columns:]), default=0)
    blocks: list[str] = []
    for row in rows:
        key = "  ".join(c for c in row[:key_columns] if c)
        lines = wrap(key, width)
        for header, cell in zip(headers[key_columns:], row[key_columns:], strict=True):
            if not cell:
                continue
            head = f"  {header}" + " " * (label - visible_len(header)) + "  "
            lines += wrap(cell, width, indent=head, hang=" " * visible_len(head))
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def fit_lines(text: str, width: int | None) -> str:
    """Wrap every line of ``text`` to ``width``, continuing under the line's own indent; a
    ``$ command`` line is continued with trailing backslashes, so it still pastes as one."""
    if width is None:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if visible_len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        if _ANSI.sub("", line).lstrip(" ").startswith("$ "):
            out.extend(wrap_command(line.lstrip(" "), width, indent=indent))
        else:
            out.extend(wrap(line.lstrip(" "), width, indent=indent, hang=indent + "  "))
    return "\n".join(out)


def wrap_command(command: str, width: int | None, *, indent: str = "") -> list[str]:
    """A shell command that still runs when pasted: continued lines end with `` \\``, and a
    trailing ``# comment`` moves to a line of its own above the command (a backslash inside a
    comment would not continue the line, and its next words would run as a command)."""
    if width is None or visible_len(indent + command) <= width:
        return [indent + command]
    code, _, comment = command.partition("  # ")
    closing = re.search(r"(?:\x1b\[[0-9;]*m)+$", comment)
    if closing:  # colour codes that close the whole command close its code part now
        comment, code = comment[: closing.start()], code + closing.group()
    lines = wrap(f"# {comment}", width, indent=indent, hang=indent + "# ") if comment else []
    hang = indent + "    "
    wrapped = wrap(code, width - 2, indent=indent, hang=hang)
    return lines + [line + " \\" for line in wrapped[:-1]] + wrapped[-1:]


def truncate(text: str, width: int | None) -> str:
    """One line cut to ``width`` with an ellipsis: for lines redrawn in place (progress bars),
    where a wrapped line would break the redraw."""
    if width is None or visible_len(text) <= width:
        return text
    plain = _ANSI.sub("", text)
    return plain[: max(width - 1, 0)] + "…"
