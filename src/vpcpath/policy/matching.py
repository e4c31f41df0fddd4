"""How Action and Resource values (and the Arn* condition operators) match a request.

- Action: "a service namespace, a colon, and the name of an action. Action names can include
  wildcards" (IAM User Guide, "Grammar of the IAM JSON policy language", notes on
  ``action_string``); the prefix and the action name are case-insensitive ("IAM JSON policy
  elements: Action", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
- Resource: an ARN or ``*``. "You can use wildcard characters (* and ?) within any ARN segment
  (the parts separated by colons)" and a ``*`` that ends a segment may run past the colons
  ("IAM JSON policy elements: Resource",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
  ARNs are compared case-sensitively.
- ArnEquals / ArnLike: "Each of the six colon-delimited components of the ARN is checked
  separately and each can include multi-character match wildcards (*) or single-character
  match wildcards (?)" ("IAM JSON policy elements: Condition operators", ARN condition
  operators).
"""

from __future__ import annotations

from functools import lru_cache

from vpcpath.errors import PolicyError
from vpcpath.policy.templates import (
    Template,
    Text,
    ValueLookup,
    Variable,
    Wildcard,
    matches,
    parse_template,
    resolve,
)

ARN_COMPONENTS = 6  # arn:partition:service:region:account:resource


def validate_action(value: str, *, path: str) -> None:
    """An action is ``*`` or ``namespace:name`` (the grammar's ``action_string``)."""
    if value == "*":
        return
    prefix, colon, name = value.partition(":")
    if not colon or not prefix or not name:
        raise PolicyError(
            f"{path}: {value!r} is not an action (expected 'service:action' or '*')"
            + _placeholder_hint(value)
        )


@lru_cache(maxsize=4096)
def action_matches(pattern: str, action: str) -> bool:
    """Case-insensitive glob match of an Action/NotAction value against ``service:Name``."""
    template = parse_template(pattern, variables=False, path="Action")
    resolved = resolve(template, lambda _key: None)
    assert resolved is not None  # no variables were parsed
    return matches(resolved, action, wildcards=True, ignore_case=True)


def split_arn_template(template: Template) -> tuple[Template, ...]:
    """Split a template into ARN components at its first five literal colons.

    Colons inside a variable's value never split (variables belong to the resource part).
    """
    components: list[list[Text | Wildcard | Variable]] = [[]]
    for segment in template:
        if isinstance(segment, Text) and len(components) < ARN_COMPONENTS:
            pieces = segment.text.split(":", ARN_COMPONENTS - len(components))
            for n, piece in enumerate(pieces):
                if n:
                    components.append([])
                if piece:
                    components[-1].append(Text(piece))
        else:
            components[-1].append(segment)
    return tuple(tuple(component) for component in components)


def _ends_with_star(component: Template) -> bool:
    return bool(component) and component[-1] == Wildcard(many=True)


def validate_arn_pattern(value: str, *, variables: bool, path: str) -> None:
    """A Resource value (or Arn* condition value) must be ``*`` or an ARN.

    An ARN pattern with fewer than six components is accepted only when it ends with ``*``
    (the trailing wildcard expands past the colons); otherwise AWS rejects it at policy
    creation and so do we. Variables may appear only in the resource component ("IAM policy
    elements: Variables and tags", "Where you can use policy variables").
    """
    template = parse_template(value, variables=variables, path=path)
    if value == "*":
        return
    components = split_arn_template(template)
    if components[0] != (Text("arn"),) and components[0] != (Wildcard(many=True),):
        raise PolicyError(
            f"{path}: {value!r} is not an ARN (expected 'arn:partition:service:region:"
            f"account:resource' or '*')" + _placeholder_hint(value)
        )
    if len(components) < ARN_COMPONENTS and not _ends_with_star(components[-1]):
        raise PolicyError(
            f"{path}: ARN {value!r} has {len(components)} of the 6 colon-separated components"
        )
    for component in components[: ARN_COMPONENTS - 1]:
        if any(isinstance(segment, Variable) for segment in component):
            raise PolicyError(
                f"{path}: a policy variable may appear only in the resource part of the ARN "
                f"(after the fifth colon), not in {value!r}"
            )


def arn_matches(template: Template, arn: str, lookup: ValueLookup) -> bool:
    """Match an ARN pattern component by component (see module docstring)."""
    if template == (Wildcard(many=True),):
        return True
    components = split_arn_template(template)
    if len(components) > ARN_COMPONENTS:  # pragma: no cover - split stops at six
        return False
    if len(components) < ARN_COMPONENTS and not _ends_with_star(components[-1]):
        return False
    parts = arn.split(":", len(components) - 1)
    if len(parts) != len(components):
        return False
    for component, part in zip(components, parts, strict=True):
        resolved = resolve(component, lookup)
        if resolved is None or not matches(resolved, part, wildcards=True):
            return False
    return True


def _placeholder_hint(value: str) -> str:
    if value.startswith("<") and value.endswith(">"):
        return " — an unfilled placeholder from a policy template?"
    return ""
