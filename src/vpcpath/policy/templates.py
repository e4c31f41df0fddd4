"""Policy strings with wildcards and policy variables, and how they match.

A policy value such as ``arn:aws:s3:::bucket/${aws:PrincipalAccount}/*`` is parsed once into
a *template*: literal text, wildcards (``*``, ``?``) and variables. At evaluation time the
variables are replaced from the request context and the result is matched.

AWS rules encoded here (IAM User Guide, "IAM policy elements: Variables and tags",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):

- A variable is ``${key}``; the key name is case-insensitive. ``${key, 'default'}`` gives a
  default used when the key has no value ("Specifying default values"); a quote inside the
  default is written ``''``.
- ``${*}``, ``${?}`` and ``${$}`` stand for the literal characters ``*``, ``?`` and ``$``
  ("Special characters").
- Variables are only recognised when the policy's ``Version`` is ``2012-10-17``; in older
  policies ``${aws:username}`` is a literal string.
- Only single-valued keys can be used as variables ("Single-valued vs. multivalued context
  keys", key points). A variable with no value is "effectively null": the value containing it
  equals and is like nothing ("Policy variables with no value"), so it never matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from vpcpath.errors import PolicyError


@dataclass(frozen=True, slots=True)
class Text:
    """Characters matched as they are."""

    text: str


@dataclass(frozen=True, slots=True)
class Wildcard:
    """``*`` (any run of characters, ``many``) or ``?`` (exactly one character)."""

    many: bool


@dataclass(frozen=True, slots=True)
class Variable:
    """``${key}`` or ``${key, 'default'}``, replaced from the request context."""

    key: str
    default: str | None


Segment = Text | Wildcard | Variable
Template = tuple[Segment, ...]
ResolvedTemplate = tuple[Text | Wildcard, ...]
# Returns the single value of a context key, or None when it has none.
ValueLookup = Callable[[str], str | None]

_SPECIAL_VARIABLES = {"*": "*", "?": "?", "$": "$"}


@lru_cache(maxsize=4096)
def parse_template(text: str, *, variables: bool, path: str) -> Template:
    """Split ``text`` into literals, wildcards and (when ``variables``) policy variables.

    Raises PolicyError naming ``path`` for a malformed variable (the IAM validator rejects
    them too: "Missing brace in variable", "Missing quote in variable", "Empty variable").
    """
    segments: list[Segment] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            segments.append(Text("".join(literal)))
            literal.clear()

    i = 0
    while i < len(text):
        char = text[i]
        if variables and text.startswith("${", i):
            variable, i = _parse_variable(text, i, path=path)
            if isinstance(variable, Text):
                literal.append(variable.text)
            else:
                flush()
                segments.append(variable)
            continue
        if char in "*?":
            flush()
            segments.append(Wildcard(many=char == "*"))
        else:
            literal.append(char)
        i += 1
    flush()
    return tuple(segments)


def _parse_variable(text: str, start: int, *, path: str) -> tuple[Variable | Text, int]:
    """Parse the variable that begins at ``text[start]`` (``${``); return it and the end."""
    i = start + 2
    key_chars: list[str] = []
    while i < len(text) and text[i] not in ",}":
        key_chars.append(text[i])
        i += 1
    if i >= len(text):
        raise PolicyError(f"{path}: policy variable {text[start:]!r} has no closing '}}'")
    key = "".join(key_chars).strip()
    if not key:
        raise PolicyError(f"{path}: empty policy variable in {text!r}")
    if any(c.isspace() for c in key):
        raise PolicyError(f"{path}: policy variable key {key!r} contains a space")
    default: str | None = None
    if text[i] == ",":
        i += 1
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text) or text[i] != "'":
            raise PolicyError(
                f"{path}: the default of policy variable ${{{key}}} must be in single quotes"
            )
        default, i = _parse_quoted(text, i, path=path)
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text) or text[i] != "}":
            raise PolicyError(f"{path}: policy variable ${{{key}, …}} has no closing '}}'")
    i += 1  # the closing brace
    if key in _SPECIAL_VARIABLES and default is None:
        return Text(_SPECIAL_VARIABLES[key]), i
    return Variable(key=key, default=default), i


def _parse_quoted(text: str, start: int, *, path: str) -> tuple[str, int]:
    """Read a single-quoted default value starting at ``text[start]`` (``'``)."""
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        if text[i] == "'":
            if text.startswith("''", i):
                chars.append("'")
                i += 2
                continue
            return "".join(chars), i + 1
        chars.append(text[i])
        i += 1
    raise PolicyError(f"{path}: unterminated quoted default in policy variable {text!r}")


def resolve(template: Template, lookup: ValueLookup) -> ResolvedTemplate | None:
    """Replace each variable by its value; None when one has neither value nor default."""
    resolved: list[Text | Wildcard] = []
    for segment in template:
        if isinstance(segment, Variable):
            value = lookup(segment.key)
            if value is None:
                value = segment.default
            if value is None:
                return None
            # A substituted value is data, never a pattern: its '*' and '?' are literal.
            resolved.append(Text(value))
        else:
            resolved.append(segment)
    return tuple(resolved)


@lru_cache(maxsize=4096)
def _compiled(resolved: ResolvedTemplate, wildcards: bool, ignore_case: bool) -> re.Pattern[str]:
    parts: list[str] = []
    for segment in resolved:
        if isinstance(segment, Wildcard):
            if wildcards:
                parts.append(".*" if segment.many else ".")
            else:
                parts.append(re.escape("*" if segment.many else "?"))
        else:
            parts.append(re.escape(segment.text))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(parts), flags)


def matches(
    resolved: ResolvedTemplate, value: str, *, wildcards: bool, ignore_case: bool = False
) -> bool:
    """Whether ``value`` matches the whole resolved template."""
    return _compiled(resolved, wildcards, ignore_case).fullmatch(value) is not None
