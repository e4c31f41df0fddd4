"""Parse IAM policy documents (endpoint and bucket policies) into frozen records.

Structure and case rules follow the IAM User Guide, "Grammar of the IAM JSON policy language"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html):

- Element names (``Version``, ``Statement``, ``Effect``, …) and the values of ``Version`` and
  ``Effect`` are literal strings of the grammar, so they are case-sensitive. The other case
  rules live where they are applied: actions are case-insensitive and ARNs case-sensitive
  (matching.py); condition key names are case-insensitive, values follow their operator
  (conditions.py); condition operator names are read without regard to case (the grammar only
  lists them, and no AWS page makes them case-sensitive).
- ``Statement`` is a list of statements; a single statement object is accepted too.
- Endpoint and bucket policies are resource-based: "The principal_block element is required
  in resource-based policies", and an endpoint policy "must contain a Principal element"
  (PrivateLink guide, "Control access to VPC endpoints using endpoint policies").
- "Individual elements must not contain multiple instances of the same key", and a statement
  has one of each pair Principal/NotPrincipal, Action/NotAction, Resource/NotResource.
- A condition value is a string, number or Boolean, or a list of them; numbers and Booleans
  are compared as their JSON text.

Anything else is a PolicyError naming the element (``Statement[2].Condition.StringEquals``),
never a statement silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from vpcpath.errors import PolicyError
from vpcpath.policy.conditions import (
    ConditionOperator,
    parse_operator,
    validate_condition_values,
)
from vpcpath.policy.matching import validate_action, validate_arn_pattern
from vpcpath.policy.requests import PrincipalKind

VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"
_VERSIONS = (VERSION_2012, VERSION_2008)
_POLICY_KEYS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_KINDS = {
    kind.value: kind for kind in PrincipalKind if kind is not PrincipalKind.ANONYMOUS
}


class Effect(StrEnum):
    ALLOW = "Allow"
    DENY = "Deny"


@dataclass(frozen=True, slots=True, kw_only=True)
class PrincipalSpec:
    """A Principal or NotPrincipal value.

    ``everyone`` for ``"*"`` or ``{"AWS": "*"}``, which are equivalent and include anonymous
    callers ("AWS JSON policy elements: Principal", "All principals").
    """

    everyone: bool = False
    entries: tuple[tuple[PrincipalKind, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ConditionClause:
    """One ``operator: {key: values}`` pair; ``path`` names it for messages."""

    operator: ConditionOperator
    key: str
    values: tuple[str, ...]
    path: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    index: int
    effect: Effect
    sid: str | None = None
    principal: PrincipalSpec | None = None
    not_principal: PrincipalSpec | None = None
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    conditions: tuple[ConditionClause, ...] = ()

    @property
    def label(self) -> str:
        """The Sid, else ``Statement[i]`` (0-based, as in the JSON array)."""
        return self.sid if self.sid else f"Statement[{self.index}]"


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    statements: tuple[Statement, ...]
    version: str | None = None
    policy_id: str | None = None

    @property
    def supports_variables(self) -> bool:
        # "If you don't include the Version element and set it to an appropriate version date,
        # variables like ${aws:username} are treated as literal strings" ("Variables and tags").
        return self.version == VERSION_2012


def parse_policy(document: str | bytes | Mapping[str, object]) -> Policy:
    """Parse policy JSON text (or an already-decoded object) into a Policy."""
    if isinstance(document, str | bytes):
        try:
            decoded = json.loads(document, object_pairs_hook=_reject_duplicate_keys)
        except json.JSONDecodeError as exc:
            raise PolicyError(
                f"policy is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from exc
    else:
        decoded = document
    if not isinstance(decoded, Mapping):
        raise PolicyError("policy: the document must be a JSON object")
    _reject_unknown(decoded, _POLICY_KEYS, "policy")
    version = decoded.get("Version")
    if version is not None and version not in _VERSIONS:
        raise PolicyError(f"Version: {version!r} is not '2012-10-17' or '2008-10-17'")
    policy_id = decoded.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        raise PolicyError("Id: must be a string")
    if "Statement" not in decoded:
        raise PolicyError("Statement: the policy has no Statement element")
    raw_statements = decoded["Statement"]
    single = isinstance(raw_statements, Mapping)
    if single:
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list) or not raw_statements:
        raise PolicyError("Statement: must be a statement object or a non-empty list of them")
    variables = version == VERSION_2012
    statements = tuple(
        _parse_statement(raw, index, "Statement" if single else f"Statement[{index}]", variables)
        for index, raw in enumerate(raw_statements)
    )
    return Policy(statements=statements, version=version, policy_id=policy_id)


def _reject_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise PolicyError(f"policy: the key {key!r} appears twice in one JSON object")
        result[key] = value
    return result


def _reject_unknown(obj: Mapping[str, object], allowed: frozenset[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            raise PolicyError(f"{path}: unknown element {key!r} (element names are case-sensitive)")


def _parse_statement(raw: object, index: int, path: str, variables: bool) -> Statement:
    if not isinstance(raw, Mapping):
        raise PolicyError(f"{path}: a statement must be a JSON object")
    _reject_unknown(raw, _STATEMENT_KEYS, path)
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyError(f"{path}.Sid: must be a string")
    effect_raw = raw.get("Effect")
    if effect_raw not in (Effect.ALLOW.value, Effect.DENY.value):
        raise PolicyError(f"{path}.Effect: must be 'Allow' or 'Deny', not {effect_raw!r}")
    _exactly_one(raw, "Principal", "NotPrincipal", path)
    _exactly_one(raw, "Action", "NotAction", path)
    _exactly_one(raw, "Resource", "NotResource", path)

    def principals(name: str) -> PrincipalSpec | None:
        return _parse_principal(raw[name], f"{path}.{name}") if name in raw else None

    def strings(name: str) -> tuple[str, ...] | None:
        return _string_list(raw[name], f"{path}.{name}") if name in raw else None

    actions, not_actions = strings("Action"), strings("NotAction")
    for name, values in (("Action", actions), ("NotAction", not_actions)):
        for n, value in enumerate(values or ()):
            validate_action(value, path=f"{path}.{name}[{n}]")
    resources, not_resources = strings("Resource"), strings("NotResource")
    for name, values in (("Resource", resources), ("NotResource", not_resources)):
        for n, value in enumerate(values or ()):
            validate_arn_pattern(value, variables=variables, path=f"{path}.{name}[{n}]")
    conditions = (
        _parse_conditions(raw["Condition"], f"{path}.Condition", variables)
        if "Condition" in raw
        else ()
    )
    return Statement(
        index=index,
        sid=sid or None,
        effect=Effect(effect_raw),
        principal=principals("Principal"),
        not_principal=principals("NotPrincipal"),
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        conditions=conditions,
    )


def _exactly_one(raw: Mapping[str, object], first: str, second: str, path: str) -> None:
    if first in raw and second in raw:
        raise PolicyError(f"{path}: has both {first} and {second}; use one")
    if first not in raw and second not in raw:
        raise PolicyError(f"{path}: needs {first} or {second}")


def _string_list(value: object, path: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise PolicyError(f"{path}: must not be an empty list")
    for n, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise PolicyError(f"{path}[{n}]: must be a non-empty string, not {item!r}")
    return tuple(items)


def _parse_principal(value: object, path: str) -> PrincipalSpec:
    if value == "*":
        return PrincipalSpec(everyone=True)
    if not isinstance(value, Mapping) or not value:
        raise PolicyError(f'{path}: must be \'*\' or a map such as {{"AWS": "123456789012"}}')
    entries: list[tuple[PrincipalKind, tuple[str, ...]]] = []
    everyone = False
    for name, ids in value.items():
        kind = _PRINCIPAL_KINDS.get(name)
        if kind is None:
            raise PolicyError(
                f"{path}: unknown principal type {name!r} "
                "(expected AWS, Service, Federated or CanonicalUser)"
            )
        identifiers = _string_list(ids, f"{path}.{name}")
        for n, identifier in enumerate(identifiers):
            # "you can use * only to specify everyone/anonymous. You cannot use it to specify
            # part of a name or ARN" (grammar notes, principal_id_string).
            if "*" in identifier and identifier != "*":
                raise PolicyError(
                    f"{path}.{name}[{n}]: {identifier!r} uses a partial wildcard, which the "
                    "Principal element does not allow"
                )
        if kind is PrincipalKind.AWS and "*" in identifiers:
            everyone = True
        entries.append((kind, identifiers))
    return PrincipalSpec(everyone=everyone, entries=tuple(entries))


def _parse_conditions(value: object, path: str, variables: bool) -> tuple[ConditionClause, ...]:
    if not isinstance(value, Mapping):
        raise PolicyError(f"{path}: must be a map of condition operators")
    clauses: list[ConditionClause] = []
    for operator_name, block in value.items():
        block_path = f"{path}.{operator_name}"
        operator = parse_operator(operator_name, path=block_path)
        if not isinstance(block, Mapping) or not block:
            raise PolicyError(f"{block_path}: must be a non-empty map of condition keys")
        seen: dict[str, str] = {}
        for key, raw_values in block.items():
            key_path = f"{block_path}.{key}"
            if not key:
                raise PolicyError(f"{block_path}: a condition key must not be empty")
            # Condition key names are case-insensitive; IAM Access Analyzer reports keys that
            # differ only in case as "Duplicate keys with different case".
            if key.lower() in seen:
                raise PolicyError(
                    f"{key_path}: duplicates condition key {seen[key.lower()]!r} (keys are "
                    "case-insensitive)"
                )
            seen[key.lower()] = key
            values = _condition_values(raw_values, key_path)
            validate_condition_values(operator, values, variables=variables, path=key_path)
            clauses.append(
                ConditionClause(operator=operator, key=key, values=values, path=key_path)
            )
    return tuple(clauses)


def _condition_values(value: object, path: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise PolicyError(f"{path}: value must not be an empty list")
    values: list[str] = []
    for item in items:
        if isinstance(item, bool):
            values.append("true" if item else "false")
        elif isinstance(item, str):
            values.append(item)
        elif isinstance(item, int | float):
            values.append(json.dumps(item))
        else:
            raise PolicyError(
                f"{path}: value must be a string, number or Boolean, or a list of them; "
                f"got {type(item).__name__}"
            )
    return tuple(values)
